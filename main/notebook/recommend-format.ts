/** `recommend`'s human output: the answer first, then how sure it is, the front and every point. */
import { baseText, type RecommendAnswer } from '../../shared/recommend';
import type { Spread } from '../../shared/recommend';

function num(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) < 1 ? v.toPrecision(3) : v.toFixed(1);
}

const fmtSpread = (s: Spread) => `${num(s.min)} / ${num(s.median)} / ${num(s.max)}`;

export function formatRecommendation(a: RecommendAnswer): string {
  const out: string[] = [];
  const c = a.chosen;
  const seeds = a.seeds.length;
  if (c) {
    const p = a.points.find((x) => x.K === c.K && x.policy === c.policy)!;
    out.push(
      `Recommended: K = ${c.K} with ${c.policy} — meets ${a.targets.join(' and ')} on all ${seeds} seed(s).`,
    );
    for (const [m, s] of Object.entries(p.spread))
      out.push(`  ${m}: min / median / max over seeds ${fmtSpread(s)}`);
  } else {
    out.push(`No K in ${a.Ks.join(', ')} meets ${a.targets.join(' and ')} on every seed.`);
  }
  for (const n of a.nearMisses)
    out.push(
      `  not sure: K = ${n.K} ${n.policy} passes on ${n.passedSeeds} of ${n.seeds} seeds only`,
    );
  out.push(
    `sweep group ${a.groupId}${a.reused ? ' (reused: the notebook already held these runs)' : ''}`,
    `base: ${baseText(a.base)}`,
    '',
    `Pareto front (medians; ${a.frontAxes[0]} vs ${a.frontAxes[1]}):`,
  );
  for (const f of a.front)
    out.push(`  K = ${String(f.K).padEnd(6)} ${f.policy.padEnd(20)} ${num(f.x)}  ${num(f.y)}`);
  out.push('', 'Every point (min / median / max over seeds):');
  const metrics = Object.keys(a.points[0]?.spread ?? {});
  out.push(`  ${'K'.padEnd(6)} ${'policy'.padEnd(20)} ${'pass'.padEnd(6)} ${metrics.join(' | ')}`);
  for (const p of a.points)
    out.push(
      `  ${String(p.K).padEnd(6)} ${p.policy.padEnd(20)} ${`${p.passedSeeds}/${p.seeds.length}`.padEnd(6)} ${metrics
        .map((m) => fmtSpread(p.spread[m]))
        .join(' | ')}${p.failing.length ? `  fails: ${p.failing.join(', ')}` : ''}`,
    );
  if (a.experimentId !== undefined) out.push('', `saved as experiment ${a.experimentId}`);
  return out.join('\n') + '\n';
}
