import type { CliCommand } from '../command';
import { takeFlag, takeOption } from '../args';

export const listCommand: CliCommand = {
  name: 'list',
  summary: 'list the experiments in the notebook',
  usage: `xen-pi-lab list [--search TEXT] [--tag TAG] [--json]

Lists the notebook's experiments, newest first: id, kind, policy, max list length, title, tags.`,
  async run(args, ctx) {
    const json = takeFlag(args, '--json');
    const search = takeOption(args, '--search');
    const tag = takeOption(args, '--tag');
    const items = ctx.openStore().listExperiments({ search, tag });
    if (json) {
      ctx.stdout(JSON.stringify(items, null, 1) + '\n');
      return 0;
    }
    if (items.length === 0) {
      ctx.stdout('no experiments\n');
      return 0;
    }
    ctx.stdout('   id  kind        policy        max list  title\n');
    for (const e of items) {
      ctx.stdout(
        `${String(e.id).padStart(5)}  ${e.kind.padEnd(10)}  ${(e.policy ?? '-').padEnd(12)}  ${String(
          e.maxListLength ?? '-',
        ).padStart(8)}  ${e.title}${e.tags.length ? `  [${e.tags.join(', ')}]` : ''}${
          e.damaged ? `  DAMAGED: ${e.damaged} (\`xen-pi-lab delete ${e.id}\` removes it)` : ''
        }\n`,
      );
    }
    return 0;
  },
};
