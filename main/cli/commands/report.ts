import { writeReport } from '../../notebook/report';
import { writeRunJson } from '../../notebook/run-json';
import { takeFlag, UsageError } from '../args';
import type { CliCommand } from '../command';

export const reportCommand: CliCommand = {
  name: 'report',
  summary: 'write a Markdown report (or --json, the run as JSON) of an experiment',
  usage: `xen-pi-lab report ID DIR
xen-pi-lab report ID FILE.json --json

Writes DIR/report.md: provenance (app version and commit, engine version, seed, trace sha256 and
cpu_hz), parameters, the summary in xenalyze / perf-sched layout, notes and annotations.
The CLI renders no charts: the report says so. Export the report from the app (Export menu) to
get the heatmap, H/bound and walk-histogram PNGs beside it. DIR must not already hold a report.

With --json, writes the run as JSON instead (provenance, params, summary, every series).`,
  async run(args, ctx) {
    const json = takeFlag(args, '--json');
    if (args.length !== 2) throw new UsageError('give an experiment id and an output path');
    const id = Number(args[0]);
    if (!Number.isInteger(id) || id <= 0) throw new UsageError(`${args[0]}: not an id`);
    const store = ctx.openStore();
    if (json) {
      const r = writeRunJson(store, id, { path: args[1] });
      ctx.stdout(`wrote ${r.path} (${r.bytes} bytes)\n`);
      return 0;
    }
    const r = writeReport(store, id, {
      dir: args[1],
      chartsNote:
        'No charts: this report was written by the command line (`xen-pi-lab report`), which ' +
        'renders no charts. Export it from the app to include the heatmap, H/bound and ' +
        'walk-histogram PNGs.',
    });
    ctx.stdout(`wrote ${r.files.map((f) => `${r.dir}/${f}`).join(', ')}\n`);
    return 0;
  },
};
