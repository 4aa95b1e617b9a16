/**
 * The renderer's only way to main: the Electron preload bridge when present, otherwise the
 * browser host (HTTP POST /api/<channel> + WebSocket /events, with the per-start token).
 */
import type {
  ApiRequest,
  ApiResponses,
  Channel,
  LabBridge,
  PushEventName,
  PushEvents,
} from '@shared/api';
import { ApiError, type ApiErrorPayload } from '@shared/errors';

/** What main/hosts/electron/preload.ts exposes as `window.xenPiLab`. */
export type PreloadApi = {
  [C in Channel]: (
    req: ApiRequest<C>,
  ) => Promise<{ ok: true; value: ApiResponses[C] } | { ok: false; error: ApiErrorPayload }>;
} & {
  onPush: (cb: (event: PushEventName, payload: unknown) => void) => void;
};

declare global {
  interface Window {
    xenPiLab?: PreloadApi;
  }
}

type Listener = (payload: unknown) => void;

class Listeners {
  private map = new Map<PushEventName, Set<Listener>>();
  on(event: PushEventName, cb: Listener): () => void {
    let set = this.map.get(event);
    if (!set) this.map.set(event, (set = new Set()));
    set.add(cb);
    return () => set.delete(cb);
  }
  emit(event: PushEventName, payload: unknown) {
    for (const cb of this.map.get(event) ?? []) cb(payload);
  }
}

function electronBridge(pre: PreloadApi): LabBridge {
  const listeners = new Listeners();
  pre.onPush((e, p) => listeners.emit(e, p));
  return {
    async invoke(channel, req) {
      const call = pre[channel] as (
        r: unknown,
      ) => Promise<{ ok: boolean; value?: unknown; error?: ApiErrorPayload }>;
      const r = await call(req);
      if (!r.ok) throw ApiError.fromPayload(r.error!);
      return r.value as never;
    },
    on(event, cb) {
      return listeners.on(event, cb as Listener);
    },
  };
}

export function browserToken(): string {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem('xen-pi-lab-token', fromUrl);
    return fromUrl;
  }
  return sessionStorage.getItem('xen-pi-lab-token') ?? '';
}

function httpBridge(): LabBridge {
  const token = browserToken();
  const listeners = new Listeners();
  let retry = 500;
  const connect = () => {
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(
      `${proto}://${location.host}/events?token=${encodeURIComponent(token)}`,
    );
    ws.onmessage = (m) => {
      const { event, payload } = JSON.parse(String(m.data)) as {
        event: PushEventName;
        payload: unknown;
      };
      listeners.emit(event, payload);
    };
    // `data-events` on <html> says whether push events can arrive (tests wait on it, not on time).
    ws.onopen = () => {
      retry = 500;
      document.documentElement.dataset.events = 'open';
    };
    ws.onclose = () => {
      document.documentElement.dataset.events = 'closed';
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10_000);
    };
  };
  connect();
  return {
    async invoke(channel, req) {
      const res = await fetch(`/api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(req ?? {}),
      });
      const body = (await res.json()) as { ok: boolean; value?: unknown; error?: ApiErrorPayload };
      if (!body.ok)
        throw ApiError.fromPayload(
          body.error ?? { code: 'internal', message: `HTTP ${res.status}` },
        );
      return body.value as never;
    },
    on(event, cb) {
      return listeners.on(event, cb as Listener);
    },
  };
}

/** Upload a local file to the browser host; returns the path main can read. Browser host only. */
export async function uploadFile(file: File, onProgress?: (sent: number) => void): Promise<string> {
  const token = browserToken();
  const res = await fetch(`/upload?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: file,
  });
  const body = (await res.json()) as {
    ok: boolean;
    value?: { path: string };
    error?: ApiErrorPayload;
  };
  if (!body.ok)
    throw ApiError.fromPayload(body.error ?? { code: 'internal', message: `HTTP ${res.status}` });
  onProgress?.(file.size);
  return body.value!.path;
}

export const isElectron = typeof window !== 'undefined' && !!window.xenPiLab;

export const bridge: LabBridge = isElectron ? electronBridge(window.xenPiLab!) : httpBridge();

export function invoke<C extends Channel>(
  channel: C,
  req: ApiRequest<C>,
): Promise<ApiResponses[C]> {
  return bridge.invoke(channel, req);
}

export function onPush<E extends PushEventName>(
  event: E,
  cb: (p: PushEvents[E]) => void,
): () => void {
  return bridge.on(event, cb);
}
