import { JobRunner } from '../../jobs/runner';
import { verifyExperiment } from '../../notebook/verify';
import { takeFlag, UsageError } from '../args';
import type { CliCommand } from '../command';

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 're-run a saved experiment and check the results are identical',
  usage: `xen-pi-lab verify ID [--json]

Recomputes experiment ID from what the notebook recorded (a simulation's parameters and seed, a
replay's source operations and policy, an import's file if still present with the same sha256)
and compares the summary and every series byte for byte. Nothing is written.
Exit status: 0 identical, 1 different or not verifiable.`,
  async run(args, ctx) {
    const json = takeFlag(args, '--json');
    if (args.length !== 1) throw new UsageError('give one experiment id');
    const id = Number(args[0]);
    if (!Number.isInteger(id) || id <= 0) throw new UsageError(`${args[0]}: not an id`);
    const jobs = new JobRunner();
    const report = await verifyExperiment(ctx.openStore(), jobs, id);
    await jobs.shutdown();
    if (json) ctx.stdout(JSON.stringify(report, null, 1) + '\n');
    else {
      ctx.stdout(
        `experiment ${id} (${report.method}): ${report.outcome.toUpperCase()}` +
          (report.seriesCompared ? `, ${report.seriesCompared} series compared` : '') +
          '\n',
      );
      for (const d of report.differences) ctx.stdout(`  ${d}\n`);
    }
    return report.identical ? 0 : 1;
  },
};
