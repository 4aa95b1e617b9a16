/**
 * A stand-in for the `electron` module, recording what the shell asks of it, so the shell's
 * security settings and IPC wiring can be tested under Node (no Electron binary here).
 */
type Handler = (...args: unknown[]) => unknown;

export const record = {
  windows: [] as FakeWindow[],
  ipc: new Map<string, Handler>(),
  exposed: new Map<string, unknown>(),
  invoked: [] as [string, unknown][],
  schemes: [] as unknown[],
  protocolHandlers: new Map<string, Handler>(),
  permissionHandler: null as Handler | null,
  permissionCheckHandler: null as Handler | null,
  menu: null as unknown,
  appEvents: new Map<string, Handler>(),
  webContentsCreated: null as Handler | null,
};

export class FakeWebContents {
  windowOpenHandler: Handler | null = null;
  listeners = new Map<string, Handler>();
  sent: unknown[][] = [];
  setWindowOpenHandler(h: Handler) {
    this.windowOpenHandler = h;
  }
  on(event: string, h: Handler) {
    this.listeners.set(event, h);
  }
  send(...args: unknown[]) {
    this.sent.push(args);
  }
  reload() {}
}

let windowMade: (w: FakeWindow) => void = () => {};
/** Resolves with the first window the shell creates (tests wait on it, not on a poll). */
export const firstWindow = new Promise<FakeWindow>((r) => (windowMade = r));

export class FakeWindow {
  options: Record<string, unknown>;
  webContents = new FakeWebContents();
  url: string | null = null;
  constructor(options: Record<string, unknown>) {
    this.options = options;
    record.windows.push(this);
    windowMade(this);
  }
  once() {}
  on() {}
  show() {}
  loadURL(url: string) {
    this.url = url;
    return Promise.resolve();
  }
  isMinimized() {
    return false;
  }
  focus() {}
  restore() {}
}

let userData = '/tmp';
export function setUserData(dir: string) {
  userData = dir;
}

export const app = {
  /** false: a development run (the shell then offers developer tools). */
  isPackaged: false,
  getPath: () => userData,
  requestSingleInstanceLock: () => true,
  whenReady: () => Promise.resolve(),
  on: (event: string, h: Handler) => {
    if (event === 'web-contents-created') record.webContentsCreated = h;
    record.appEvents.set(event, h);
  },
  quit: () => {},
};
export const BrowserWindow = FakeWindow;
export const dialog = {
  showErrorBox: (title: string, msg: string): void => {
    throw new Error(`showErrorBox: ${title}: ${msg}`);
  },
  showOpenDialog: async (): Promise<{ canceled: boolean; filePaths: string[] }> => ({
    canceled: true,
    filePaths: [],
  }),
  showSaveDialog: async () => ({ canceled: true }),
  showMessageBox: async () => ({}),
};
export const ipcMain = {
  handle: (channel: string, h: Handler) => {
    if (record.ipc.has(channel)) throw new Error(`second handler for ${channel}`);
    record.ipc.set(channel, h);
  },
};
export const Menu = {
  buildFromTemplate: (t: unknown) => ({ template: t }),
  setApplicationMenu: (m: unknown) => (record.menu = m),
};
export const net = { fetch: async () => new Response('') };
export const protocol = {
  registerSchemesAsPrivileged: (s: unknown) => record.schemes.push(s),
  handle: (scheme: string, h: Handler) => record.protocolHandlers.set(scheme, h),
};
export const session = {
  defaultSession: {
    setPermissionRequestHandler: (h: Handler) => (record.permissionHandler = h),
    setPermissionCheckHandler: (h: Handler) => (record.permissionCheckHandler = h),
  },
};
export const shell = { openExternal: async () => {} };

// Renderer-side pieces used by the preload.
export const contextBridge = {
  exposeInMainWorld: (key: string, api: unknown) => record.exposed.set(key, api),
};
export const ipcRenderer = {
  invoke: (channel: string, arg: unknown) => {
    record.invoked.push([channel, arg]);
    return Promise.resolve({ ok: true, value: null });
  },
  on: () => {},
};
