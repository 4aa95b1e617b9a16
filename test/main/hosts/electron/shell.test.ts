import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CHANNEL_NAMES } from '../../../../shared/channels';
import { bundle, FAKE as fake, ROOT } from './bundle';

type Fake = typeof import('./fake-electron');

describe('Electron shell (under a recording fake of electron)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xpl-shell-'));
  let rec: Fake['record'];
  let fakeMod: Fake;
  before(async () => {
    // The bundle imports the fake by path, so it shares this module instance.
    fakeMod = (await import(pathToFileURL(fake).href)) as Fake;
    fakeMod.setUserData(dir);
    rec = fakeMod.record;
    await import(
      pathToFileURL(await bundle(join(ROOT, 'main/hosts/electron/main.ts'), 'main.mjs')).href
    );
    await import(
      pathToFileURL(await bundle(join(ROOT, 'main/hosts/electron/preload.ts'), 'preload.mjs')).href
    );
    await fakeMod.firstWindow;
  });
  after(async () => {
    await (rec.appEvents.get('window-all-closed')?.() as Promise<void> | undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens one window: context isolation, sandbox, no node integration, our preload', () => {
    assert.equal(rec.windows.length, 1);
    const prefs = rec.windows[0].options.webPreferences as Record<string, unknown>;
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.webviewTag, false);
    assert.match(String(prefs.preload), /preload[\\/]index\.cjs$/);
    assert.equal(rec.windows[0].url, 'app://lab/index.html');
  });

  it('refuses window.open, foreign navigation, webviews and permission requests', () => {
    const wc = rec.windows[0].webContents;
    assert.deepEqual(wc.windowOpenHandler?.({ url: 'https://example.org' }), { action: 'deny' });
    let prevented = false;
    wc.listeners.get('will-navigate')?.(
      { preventDefault: () => (prevented = true) },
      'https://example.org/',
    );
    assert.equal(prevented, true);
    prevented = false;
    wc.listeners.get('will-navigate')?.(
      { preventDefault: () => (prevented = true) },
      'app://lab/index.html',
    );
    assert.equal(prevented, false);
    let granted: boolean | null = null;
    rec.permissionHandler?.(null, 'media', (ok: boolean) => (granted = ok));
    assert.equal(granted, false);
  });

  it('registers one IPC handler per channel, and answers only our own frame', async () => {
    assert.deepEqual([...rec.ipc.keys()].sort(), CHANNEL_NAMES.map((c) => `api:${c}`).sort());
    const wc = rec.windows[0].webContents;
    const own = { sender: wc, senderFrame: { url: 'app://lab/index.html' } };
    const ok = (await rec.ipc.get('api:experiments.list')!(own, {})) as {
      ok: boolean;
      value: unknown;
    };
    assert.deepEqual(ok, { ok: true, value: [] });
    const foreignFrame = { sender: wc, senderFrame: { url: 'https://evil.example/' } };
    const r1 = (await rec.ipc.get('api:experiments.list')!(foreignFrame, {})) as {
      ok: boolean;
      error: { message: string };
    };
    assert.equal(r1.ok, false);
    assert.match(r1.error.message, /not our frame/);
    const otherContents = { sender: {}, senderFrame: { url: 'app://lab/index.html' } };
    assert.equal(
      ((await rec.ipc.get('api:experiments.list')!(otherContents, {})) as { ok: boolean }).ok,
      false,
    );
    const bad = (await rec.ipc.get('api:experiments.get')!(own, { id: 'x' })) as {
      ok: boolean;
      error: { code: string };
    };
    assert.equal(bad.error.code, 'invalid-argument');
  });

  it('serves the renderer over app:// only inside the renderer folder', async () => {
    const handler = rec.protocolHandlers.get('app')!;
    const res = (await handler(new Request('app://lab/../../etc/passwd'))) as Response;
    assert.equal(res.status, 404);
    const other = (await handler(new Request('app://evil/index.html'))) as Response;
    assert.equal(other.status, 404);
  });

  it('has the File / View / Help menu with the lab commands', () => {
    const template = (
      rec.menu as { template: { label?: string; submenu?: { label?: string }[] }[] }
    ).template;
    const file = template.find((m) => m.label === '&File')!;
    const labels = file.submenu!.map((i) => i.label).filter(Boolean);
    assert.deepEqual(labels, [
      'New simulation',
      'Import xentrace dump…',
      'Open notebook…',
      'Export notebook…',
    ]);
    assert.ok(template.find((m) => m.label === '&View'));
    assert.ok(template.find((m) => m.label === '&Help'));
  });

  it('preload exposes exactly one method per channel plus the push subscription', async () => {
    const api = rec.exposed.get('xenPiLab') as Record<string, (r: unknown) => Promise<unknown>>;
    assert.ok(Object.isFrozen(api));
    assert.deepEqual(Object.keys(api).sort(), [...CHANNEL_NAMES, 'onPush'].sort());
    await api['run.summary']({ experimentId: 3 });
    assert.deepEqual(rec.invoked.at(-1), ['api:run.summary', { experimentId: 3 }]);
    assert.equal(rec.exposed.size, 1);
  });
});
