import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createServices } from '../../api/services';
import { appRoot } from '../../store/identity';
import { startHttpHost } from '../../hosts/http/server';
import type { CliCommand } from '../command';
import { takeOption } from '../args';

// From source (main/cli/commands) or from the bundle (out/cli) alike.
const repoRoot = appRoot() ?? process.cwd();

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'browser host: the lab in a web browser, on 127.0.0.1 only',
  usage: `xen-pi-lab serve [--port N] [--db FILE] [--renderer DIR]

Serves the built renderer and the API on http://127.0.0.1:PORT and prints a URL with a random
token (required on every request; a new one each start). Build the renderer first with
\`npm run build\` (\`npm run serve\` does both). Stop with Ctrl+C.`,
  async run(args, ctx) {
    const port = Number(takeOption(args, '--port') ?? '0');
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      ctx.stderr(`--port must be an integer 0..65535\n`);
      return 2;
    }
    const rendererDir = resolve(
      takeOption(args, '--renderer') ?? join(repoRoot, 'out', 'renderer'),
    );
    if (!existsSync(join(rendererDir, 'index.html'))) {
      ctx.stderr(
        `No built renderer in ${rendererDir}: run \`npm run build\` first (or \`npm run serve\`).\n`,
      );
      return 1;
    }
    const store = ctx.openStore();
    const dbPath = store.path;
    store.close();
    const services = createServices({ dbPath, host: 'browser' });
    const host = await startHttpHost({ services, rendererDir, port });
    ctx.stdout(`Xen PI Lab browser host\n  notebook: ${dbPath}\n  open:     ${host.url}\n`);
    await new Promise<void>((done) => {
      const stop = () => {
        ctx.stdout('\nstopping\n');
        void host
          .close()
          .then(() => services.close())
          .then(done);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
