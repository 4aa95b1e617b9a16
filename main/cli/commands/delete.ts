import type { CliCommand } from '../command';
import { takeFlag, UsageError } from '../args';

export const deleteCommand: CliCommand = {
  name: 'delete',
  summary: 'delete experiments from the notebook (a damaged one included)',
  usage: `xen-pi-lab delete ID... [--json]

Deletes each experiment with its result, series, tags and annotations; replays of it keep their
own results. Works on an experiment listed as DAMAGED too (its stored data is not read).`,
  async run(args, ctx) {
    const json = takeFlag(args, '--json');
    if (args.length === 0) throw new UsageError('delete needs at least one experiment ID');
    const ids = args.map((a) => {
      if (!/^[1-9]\d{0,14}$/.test(a))
        throw new UsageError(`not an experiment id: ${JSON.stringify(a)}`);
      return Number(a);
    });
    const store = ctx.openStore();
    // All or nothing: an unknown id leaves every experiment in place.
    store.db.transaction(() => ids.forEach((id) => store.deleteExperiment(id)))();
    ctx.stdout(json ? JSON.stringify({ deleted: ids }) + '\n' : `deleted ${ids.join(', ')}\n`);
    return 0;
  },
};
