/**
 * Which file paths the desktop renderer may hand to main. A compromised renderer must not read or
 * write any file it names: the path-taking channels accept only a path the user picked in a native
 * dialog that main opened (each dialog grants the path it returned), or no path at all (the
 * default export location beside the notebook). Kept free of `electron` so it is tested as is.
 */
import { resolve } from 'node:path';
import type { Channel } from '../../../shared/api';

/** The argument field of each channel that names a file or folder on this machine. */
export const PATH_FIELDS: Partial<Record<Channel, string>> = {
  'trace.import': 'path',
  'notebook.import': 'path',
  'notebook.export': 'path',
  'experiments.exportJson': 'path',
  'experiments.exportReport': 'dir',
};

export class PathGrants {
  private readonly granted = new Set<string>();

  /** Records a path a native dialog returned (null: the dialog was cancelled). */
  grant(path: string | null | undefined): void {
    if (path) this.granted.add(resolve(path));
  }

  /** Why `arg` may not be dispatched on `channel`; null when it may. */
  refusal(channel: string, arg: unknown): string | null {
    const field = PATH_FIELDS[channel as Channel];
    if (!field || !arg || typeof arg !== 'object') return null;
    const path = (arg as Record<string, unknown>)[field];
    // Absent: the default location; not a string: the channel's schema refuses it.
    if (typeof path !== 'string') return null;
    if (this.granted.has(resolve(path))) return null;
    return (
      `${channel}: ${field} ${JSON.stringify(path)} was not chosen in a file dialog of this ` +
      'app; use Browse… (the desktop app takes paths only from its own dialogs)'
    );
  }
}
