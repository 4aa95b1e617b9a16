import { exportNotebook, importNotebook } from '../../notebook/exchange';
import { takeFlag, UsageError } from '../args';
import type { CliCommand } from '../command';

export const notebookCommand: CliCommand = {
  name: 'notebook',
  summary: 'export the whole notebook as one file, or merge such a file in',
  usage: `xen-pi-lab notebook export FILE [--json]
xen-pi-lab notebook import FILE [--json]

export  writes a consistent snapshot of the notebook (SQLite VACUUM INTO) to FILE, which must not
        exist; another installation opens it or imports it.
import  merges every experiment of FILE (tags, results, series, annotations, sweep groups) into
        this notebook under new ids, overwriting nothing. A file from a newer Xen PI Lab is
        refused and left untouched. Shards of one sweep (sweep --shard I/N) merge into one
        group whatever the order; a point that group already holds is skipped, not copied.`,
  async run(args, ctx) {
    const json = takeFlag(args, '--json');
    const [sub, file, ...rest] = args;
    if (!file || rest.length) throw new UsageError('give export|import and one FILE');
    const store = ctx.openStore();
    if (sub === 'export') {
      const r = exportNotebook(store, file);
      ctx.stdout(
        json
          ? JSON.stringify(r) + '\n'
          : `exported ${r.experiments} experiment(s) to ${r.path} (${r.bytes} bytes)\n`,
      );
      return 0;
    }
    if (sub === 'import') {
      const r = importNotebook(store, file);
      ctx.stdout(
        json
          ? JSON.stringify(r) + '\n'
          : `imported ${r.imported} experiment(s) as ${r.experiments.join(', ') || '-'}` +
              (r.groups.length ? `, ${r.groups.length} sweep group(s)` : '') +
              (r.duplicates ? `, ${r.duplicates} sweep point(s) already present skipped` : '') +
              '\n',
      );
      return 0;
    }
    throw new UsageError(`unknown notebook subcommand ${JSON.stringify(sub)}`);
  },
};
