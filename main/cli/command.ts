export interface CliContext {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  openStore: () => import('../store/store').Store;
}
export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], ctx: CliContext): Promise<number>;
}
