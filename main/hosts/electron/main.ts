/**
 * The Electron shell: one sandboxed window, the app menu and native dialogs, and IPC that forwards
 * each contract channel to the same handlers the browser host and the CLI use.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  net,
  protocol,
  session,
  shell,
  type WebContents,
} from 'electron';
import { existsSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CHANNEL_NAMES, IPC_PUSH, ipcChannel } from '../../../shared/channels';
import { PUSH_EVENTS, type PushEvents } from '../../../shared/api';
import { ApiError } from '../../../shared/errors';
import { dispatch } from '../../api/dispatch';
import { createServices, type Services } from '../../api/services';
import { appIdentity } from '../../store/identity';
import { CSP } from '../http/security';
import { buildMenu } from './menu';
import { PathGrants } from './path-grants';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = normalize(join(here, '../renderer'));
const preloadPath = join(here, '../preload/index.cjs');
const ICON = join(here, '../../assets/icon.png');
const SCHEME = 'app';
const ORIGIN = `${SCHEME}://lab`;
const SERIES_URL = 'https://lists.xenproject.org/archives/html/xen-devel/2017-07/msg00799.html';

protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let win: BrowserWindow | null = null;
let services: Services | null = null;
let dbPath = join(app.getPath('userData'), 'notebook.db');
/** Paths the user picked in our native dialogs: the only ones path-taking channels accept. */
const grants = new PathGrants();
/** Developer tools only in an unpackaged (development) run. */
const devTools = !app.isPackaged;

function push<E extends keyof PushEvents>(event: E, payload: PushEvents[E]) {
  win?.webContents.send(IPC_PUSH, event, payload);
}

/** Our window's top frame (no parent: never an iframe inside it) showing our own origin. */
function isOwnFrame(
  sender: WebContents,
  frame: { url?: string; parent?: unknown } | null | undefined,
): boolean {
  return (
    !!win &&
    sender === win.webContents &&
    !!frame &&
    !frame.parent &&
    !!frame.url &&
    frame.url.startsWith(ORIGIN + '/')
  );
}

/** Navigation and redirects stay inside the app's origin, in every webContents. */
function guardNavigation(contents: WebContents) {
  const stay = (e: { preventDefault(): void }, url: string) => {
    if (!url.startsWith(ORIGIN + '/')) e.preventDefault();
  };
  contents.on('will-navigate', stay);
  contents.on('will-redirect', stay);
  contents.on('will-attach-webview', (ev) => ev.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

function openServices(path: string): Services {
  const s = createServices({
    dbPath: path,
    host: 'electron',
    dialogs: {
      open: async ({ title, filters }) => {
        const r = await dialog.showOpenDialog(win!, { title, filters, properties: ['openFile'] });
        const path = r.canceled ? null : (r.filePaths[0] ?? null);
        grants.grant(path);
        return { path };
      },
      save: async ({ title, defaultName }) => {
        const r = await dialog.showSaveDialog(win!, { title, defaultPath: defaultName });
        const path = r.canceled ? null : (r.filePath ?? null);
        grants.grant(path);
        return { path };
      },
    },
  });
  for (const event of PUSH_EVENTS)
    s.events.on(event, ((p: PushEvents[typeof event]) => push(event, p)) as never);
  return s;
}

function registerIpc() {
  for (const name of CHANNEL_NAMES) {
    ipcMain.handle(ipcChannel(name), async (e, arg: unknown) => {
      if (!isOwnFrame(e.sender, e.senderFrame)) {
        return {
          ok: false,
          error: new ApiError('unavailable', 'IPC refused: not our frame').toPayload(),
        };
      }
      if (!services)
        return { ok: false, error: new ApiError('unavailable', 'no notebook open').toPayload() };
      const refused = grants.refusal(name, arg);
      if (refused) return { ok: false, error: new ApiError('forbidden', refused).toPayload() };
      return dispatch(services.handlers, name, arg);
    });
  }
}

function serveRenderer() {
  protocol.handle(SCHEME, async (req) => {
    const url = new URL(req.url);
    const rel =
      url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = normalize(join(rendererDir, rel));
    if (url.host !== 'lab' || !file.startsWith(rendererDir + sep) || !existsSync(file))
      return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('content-security-policy', CSP.replace(/ws:\/\/\S+ ws:\/\/\S+;/, ';'));
    return new Response(res.body, { status: res.status, headers });
  });
}

function createWindow() {
  win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Xen PI Lab',
    ...(existsSync(ICON) ? { icon: ICON } : {}),
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      devTools,
    },
  });
  win.once('ready-to-show', () => win?.show());
  guardNavigation(win.webContents);
  win.on('closed', () => (win = null));
  void win.loadURL(`${ORIGIN}/index.html`);
}

async function pickAndPush(command: 'import-trace') {
  const r = await dialog.showOpenDialog(win!, {
    title: 'Import xentrace dump',
    properties: ['openFile'],
    filters: [
      { name: 'xentrace dumps', extensions: ['bin', 'trace', 'xentrace', 'dat'] },
      { name: 'All files', extensions: ['*'] },
    ],
  });
  if (!r.canceled && r.filePaths[0]) {
    grants.grant(r.filePaths[0]);
    push('menu.command', { command, path: r.filePaths[0] });
  }
}

async function openNotebook() {
  const r = await dialog.showOpenDialog(win!, {
    title: 'Open notebook',
    properties: ['openFile', 'promptToCreate'],
    filters: [{ name: 'Xen PI Lab notebooks', extensions: ['db', 'xpilab'] }],
  });
  if (r.canceled || !r.filePaths[0]) return;
  let next: Services;
  try {
    next = openServices(r.filePaths[0]);
  } catch (e) {
    dialog.showErrorBox('Cannot open notebook', (e as Error).message);
    return;
  }
  await services?.close();
  services = next;
  dbPath = r.filePaths[0];
  win?.webContents.reload();
}

async function exportNotebook() {
  const r = await dialog.showSaveDialog(win!, {
    title: 'Export notebook',
    defaultPath: 'xen-pi-lab-notebook.db',
    filters: [{ name: 'Xen PI Lab notebooks', extensions: ['db'] }],
  });
  if (r.canceled || !r.filePath || !services) return;
  try {
    // SQLite's online backup API: a consistent copy even while the notebook is in use.
    await services.store.db.backup(r.filePath);
    push('menu.command', { command: 'export-notebook', path: r.filePath });
  } catch (e) {
    dialog.showErrorBox('Export failed', (e as Error).message);
  }
}

function about() {
  const id = appIdentity();
  void dialog.showMessageBox(win!, {
    type: 'info',
    title: 'About Xen PI Lab',
    message: `Xen PI Lab ${id.version}`,
    detail: `commit ${id.commit ?? 'unknown'}\nElectron ${process.versions.electron}, Node ${process.versions.node}\nnotebook: ${dbPath}`,
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('web-contents-created', (_e, contents) => guardNavigation(contents));
  void app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
    // Synchronous permission checks (e.g. navigator.permissions, clipboard) are refused too.
    session.defaultSession.setPermissionCheckHandler(() => false);
    try {
      services = openServices(dbPath);
    } catch (e) {
      dialog.showErrorBox('Cannot open the notebook', (e as Error).message);
      app.quit();
      return;
    }
    serveRenderer();
    registerIpc();
    Menu.setApplicationMenu(
      buildMenu(
        {
          newSimulation: () => push('menu.command', { command: 'new-simulation' }),
          importTrace: () => void pickAndPush('import-trace'),
          openNotebook: () => void openNotebook(),
          exportNotebook: () => void exportNotebook(),
          about,
          openSeries: () => void shell.openExternal(SERIES_URL),
        },
        { devTools },
      ),
    );
    createWindow();
  });
  app.on('window-all-closed', () => {
    void services?.close().finally(() => app.quit());
  });
}
