import { Menu, type MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  newSimulation(): void;
  importTrace(): void;
  openNotebook(): void;
  exportNotebook(): void;
  about(): void;
  openSeries(): void;
}

export interface MenuOptions {
  /** "Toggle Developer Tools" in the View menu: development runs only, never a packaged app. */
  devTools: boolean;
}

export function buildMenu(actions: MenuActions, opts: MenuOptions = { devTools: false }): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'New simulation', accelerator: 'CmdOrCtrl+N', click: actions.newSimulation },
        { label: 'Import xentrace dump…', accelerator: 'CmdOrCtrl+O', click: actions.importTrace },
        { type: 'separator' },
        { label: 'Open notebook…', accelerator: 'CmdOrCtrl+Shift+O', click: actions.openNotebook },
        {
          label: 'Export notebook…',
          accelerator: 'CmdOrCtrl+Shift+E',
          click: actions.exportNotebook,
        },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { role: 'reload' },
        ...(opts.devTools ? [{ role: 'toggleDevTools' as const }] : []),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: '&Help',
      submenu: [
        { label: 'The 2017 series on xen-devel', click: actions.openSeries },
        { label: 'About Xen PI Lab', click: actions.about },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
