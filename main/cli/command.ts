export interface CliContext {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  openStore: () => import('../store/store').Store;
}
export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** Whether `run(args)` opens the notebook (default true): false spares loading SQLite. */
  usesStore?(args: string[]): boolean;
  run(args: string[], ctx: CliContext): Promise<number>;
}
