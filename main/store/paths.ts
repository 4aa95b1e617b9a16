import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the browser host and the CLI keep the notebook when `--db` is not given:
 * $XDG_DATA_HOME/xen-pi-lab (default ~/.local/share/xen-pi-lab) on Linux, the platform's
 * application-data folder elsewhere. The Electron shell uses app.getPath('userData') instead.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  if (env.XEN_PI_LAB_DATA) return env.XEN_PI_LAB_DATA;
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'xen-pi-lab');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'xen-pi-lab');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'xen-pi-lab');
}

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(defaultDataDir(env), 'notebook.db');
}
