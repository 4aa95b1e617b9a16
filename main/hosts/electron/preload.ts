/**
 * The sandboxed preload: exposes exactly one method per contract channel (plus one push-event
 * subscription) as `window.xenPiLab`. No Node APIs, no generic invoke, nothing else.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNEL_NAMES, IPC_PUSH, ipcChannel, PUSH_EVENT_NAMES } from '../../../shared/channels';

const api: Record<string, unknown> = {};
for (const name of CHANNEL_NAMES) {
  api[name] = (req: unknown) => ipcRenderer.invoke(ipcChannel(name), req);
}
api.onPush = (cb: (event: string, payload: unknown) => void) => {
  ipcRenderer.on(IPC_PUSH, (_e: IpcRendererEvent, event: unknown, payload: unknown) => {
    if (typeof event === 'string' && (PUSH_EVENT_NAMES as readonly string[]).includes(event))
      cb(event, payload);
  });
};

contextBridge.exposeInMainWorld('xenPiLab', Object.freeze(api));
