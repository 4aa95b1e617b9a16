/** The shell's location as a URL hash, so a reload reopens the same page and tab. */
import type { SimParamsInput } from '../../../../shared/params';

export type ExperimentTab = 'setup' | 'run' | 'notes' | 'replays';

/** What the main area shows. */
export type Page =
  | { kind: 'home' }
  | { kind: 'new-sim'; prefill?: SimParamsInput; title?: string; experimentId?: number }
  | { kind: 'import'; path?: string }
  | { kind: 'experiment'; id: number }
  | { kind: 'compare'; ids: number[] }
  | { kind: 'sweep'; groupId?: number | null; baseExperimentId?: number | null }
  | { kind: 'recommend'; preset?: string | null; baseExperimentId?: number | null };

const TABS: ExperimentTab[] = ['setup', 'run', 'notes', 'replays'];

export function pageToHash(p: Page, tab: ExperimentTab): string {
  switch (p.kind) {
    case 'home':
      return '#/';
    case 'new-sim':
      return '#/new';
    case 'import':
      return '#/import';
    case 'experiment':
      return `#/experiment/${p.id}/${tab}`;
    case 'compare':
      return `#/compare/${p.ids.join(',')}`;
    case 'sweep':
      return p.groupId ? `#/sweep/${p.groupId}` : '#/sweep';
    case 'recommend':
      return p.baseExperimentId ? `#/recommend/${p.baseExperimentId}` : '#/recommend';
  }
}

export function hashToPage(hash: string): { page: Page; tab?: ExperimentTab } {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (parts[0] === 'new') return { page: { kind: 'new-sim' } };
  if (parts[0] === 'import') return { page: { kind: 'import' } };
  if (parts[0] === 'experiment' && /^\d+$/.test(parts[1] ?? '')) {
    const tab = TABS.includes(parts[2] as ExperimentTab) ? (parts[2] as ExperimentTab) : undefined;
    return { page: { kind: 'experiment', id: Number(parts[1]) }, tab };
  }
  if (parts[0] === 'compare' && parts[1]) {
    const ids = parts[1]
      .split(',')
      .filter((x) => /^\d+$/.test(x))
      .map(Number);
    if (ids.length >= 2) return { page: { kind: 'compare', ids } };
  }
  if (parts[0] === 'sweep')
    return /^\d+$/.test(parts[1] ?? '')
      ? { page: { kind: 'sweep', groupId: Number(parts[1]) } }
      : { page: { kind: 'sweep' } };
  if (parts[0] === 'recommend')
    return /^\d+$/.test(parts[1] ?? '')
      ? { page: { kind: 'recommend', baseExperimentId: Number(parts[1]) } }
      : { page: { kind: 'recommend' } };
  return { page: { kind: 'home' } };
}
