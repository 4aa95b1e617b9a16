import { resolve } from 'node:path';
import type { Store } from '../store/store';
import { defaultDbPath } from '../store/paths';
import { takeOption, UsageError } from './args';
import type { CliCommand, CliContext } from './command';

interface Entry {
  name: string;
  summary: string;
  load: () => Promise<CliCommand>;
}

/** Subcommands, loaded on use so `--help` stays instant and one command's deps never block another. */
const COMMANDS: Entry[] = [
  {
    name: 'serve',
    summary: 'browser host on 127.0.0.1 (for machines without a display)',
    load: async () => (await import('./commands/serve')).serveCommand,
  },
  {
    name: 'simulate',
    summary: 'run the host model on a preset, a config or a workload script',
    load: async () => (await import('./commands/simulate')).simulateCommand,
  },
  {
    name: 'import',
    summary: 'read a xentrace dump, rebuild per-pCPU PI list occupancy',
    load: async () => (await import('./commands/import')).importCommand,
  },
  {
    name: 'replay',
    summary: 'replay a xentrace dump under another placement policy',
    load: async () => (await import('./commands/replay')).replayCommand,
  },
  {
    name: 'export',
    summary: 'write a saved run as a xentrace dump, JSON, Perfetto trace or Parquet tables',
    load: async () => (await import('./commands/export')).exportCommand,
  },
  {
    name: 'sweep',
    summary: 'run a parameter grid (K x policy x seed ...) as one saved group',
    load: async () => (await import('./commands/sweep')).sweepCommand,
  },
  {
    name: 'recommend',
    summary: 'the smallest K (and policy) meeting walk / remote-placement targets, from a sweep',
    load: async () => (await import('./commands/recommend')).recommendCommand,
  },
  {
    name: 'verify',
    summary: 're-run a saved experiment and check the results are identical',
    load: async () => (await import('./commands/verify')).verifyCommand,
  },
  {
    name: 'report',
    summary: 'write a Markdown report (or JSON) of an experiment',
    load: async () => (await import('./commands/report')).reportCommand,
  },
  {
    name: 'notebook',
    summary: 'export the whole notebook as one file, or merge such a file in',
    load: async () => (await import('./commands/notebook')).notebookCommand,
  },
  {
    name: 'delete',
    summary: 'delete experiments from the notebook (a damaged one included)',
    load: async () => (await import('./commands/delete')).deleteCommand,
  },
  {
    name: 'list',
    summary: 'list the experiments in the notebook',
    load: async () => (await import('./commands/list')).listCommand,
  },
];

function usage(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Xen PI Lab: VT-d posted-interrupt blocking lists, simulated and measured.

Usage: xen-pi-lab [--db FILE] <command> [options]
       xen-pi-lab <command> --help

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`).join('\n')}

Options:
  --db FILE    notebook database (default: ${defaultDbPath()})
  --help       this text
  --version    print the version
`;
}

export async function main(argv: string[], io?: Partial<CliContext>): Promise<number> {
  const stdout = io?.stdout ?? ((s: string) => void process.stdout.write(s));
  const stderr = io?.stderr ?? ((s: string) => void process.stderr.write(s));
  const args = [...argv];
  let dbPath: string;
  try {
    dbPath = resolve(takeOption(args, '--db') ?? process.env.XEN_PI_LAB_DB ?? defaultDbPath());
  } catch (e) {
    stderr(`${(e as Error).message}\n`);
    return 2;
  }
  const name = args.shift();
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? stdout : stderr)(usage());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    const { packageVersion } = await import('../store/identity');
    stdout(`${packageVersion()}\n`);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    stderr(`unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return 2;
  }
  const cmd = await entry.load();
  if (args.includes('--help') || args.includes('-h')) {
    stdout(`${cmd.usage}\n`);
    return 0;
  }
  let store: Store | null = null;
  // SQLite is loaded only when the command will open the notebook (`import` without --save never does).
  const StoreClass =
    (cmd.usesStore?.(args) ?? true) ? (await import('../store/store')).Store : null;
  const ctx: CliContext = {
    stdout,
    stderr,
    openStore: () => {
      if (!StoreClass) throw new Error(`${name} ${args.join(' ')}: the notebook was not loaded`);
      return (store ??= StoreClass.open(dbPath));
    },
  };
  try {
    return await cmd.run(args, ctx);
  } catch (e) {
    const err = e as Error;
    stderr(`xen-pi-lab ${name}: ${err.message}\n`);
    if (err instanceof UsageError) stderr(`\n${cmd.usage}\n`);
    return err instanceof UsageError ? 2 : 1;
  } finally {
    (store as Store | null)?.close();
  }
}
