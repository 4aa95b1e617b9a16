/**
 * Electron hardening (issue 11, item 10), checked on the real shell code under the recording fake
 * of `electron`, as a packaged (production) app: fuses in electron-builder.yml, permission checks,
 * navigation and redirect guards on every webContents, main-frame-only IPC, no developer tools,
 * and path-taking channels that accept only paths from the app's own dialogs.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { bundle, FAKE, ROOT } from './bundle';

type Fake = typeof import('./fake-electron');
type Reply = { ok: boolean; value?: unknown; error?: { code: string; message: string } };
type MenuItem = { label?: string; role?: string; click?: () => void; submenu?: MenuItem[] };

/** The `electronFuses` block of electron-builder.yml, as key -> boolean. */
function fuses(): Record<string, boolean> {
  const text = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
  const block = /^electronFuses:\n((?: {2}.*\n)+)/m.exec(text);
  assert.ok(block, 'electron-builder.yml has an electronFuses block');
  return Object.fromEntries(
    block[1]
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/:\s*/))
      .map(([k, v]) => [k, v === 'true']),
  );
}

describe('Electron hardening (packaged app, under the fake)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xpl-harden-'));
  let fake: Fake;
  let rec: Fake['record'];
  let own: { sender: unknown; senderFrame: { url: string; parent: null } };
  const call = (channel: string, arg: unknown, from: unknown = own) =>
    rec.ipc.get(`api:${channel}`)!(from, arg) as Promise<Reply>;
  const menuItem = (label: string) =>
    (rec.menu as { template: MenuItem[] }).template
      .flatMap((m) => m.submenu ?? [])
      .find((i) => i.label === label)!;

  before(async () => {
    fake = (await import(pathToFileURL(FAKE).href)) as Fake;
    fake.setUserData(dir);
    fake.app.isPackaged = true;
    rec = fake.record;
    await import(
      pathToFileURL(await bundle(join(ROOT, 'main/hosts/electron/main.ts'), 'main-hardening.mjs'))
        .href
    );
    const win = await fake.firstWindow;
    own = { sender: win.webContents, senderFrame: { url: 'app://lab/index.html', parent: null } };
  });
  after(async () => {
    await (rec.appEvents.get('window-all-closed')?.() as Promise<void> | undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('electron-builder flips the fuses of the checklist (names from electron-builder 26`s schema)', () => {
    const f = fuses();
    assert.deepEqual(
      {
        runAsNode: f.runAsNode,
        enableNodeOptionsEnvironmentVariable: f.enableNodeOptionsEnvironmentVariable,
        enableNodeCliInspectArguments: f.enableNodeCliInspectArguments,
        enableCookieEncryption: f.enableCookieEncryption,
        enableEmbeddedAsarIntegrityValidation: f.enableEmbeddedAsarIntegrityValidation,
        onlyLoadAppFromAsar: f.onlyLoadAppFromAsar,
      },
      {
        runAsNode: false,
        enableNodeOptionsEnvironmentVariable: false,
        enableNodeCliInspectArguments: false,
        enableCookieEncryption: true,
        enableEmbeddedAsarIntegrityValidation: true,
        onlyLoadAppFromAsar: true,
      },
    );
    const schema = JSON.parse(
      readFileSync(join(ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8'),
    ) as { definitions: { FuseOptionsV1: { properties: Record<string, unknown> } } };
    for (const k of Object.keys(f))
      assert.ok(k in schema.definitions.FuseOptionsV1.properties, `${k} is a known fuse`);
  });

  it('refuses permission checks as well as permission requests', () => {
    assert.equal(rec.permissionCheckHandler?.(null, 'clipboard-read', 'app://lab'), false);
    let granted: boolean | null = null;
    rec.permissionHandler?.(null, 'notifications', (ok: boolean) => (granted = ok));
    assert.equal(granted, false);
  });

  it('guards navigation, redirects, popups and webviews of every webContents', () => {
    const contents = new fake.FakeWebContents();
    let webview = false;
    const attach = new Map<string, (...a: unknown[]) => unknown>();
    const c = Object.assign(contents, {
      on(event: string, h: (...a: unknown[]) => unknown) {
        attach.set(event, h);
        contents.listeners.set(event, h);
      },
    });
    rec.webContentsCreated?.({}, c);
    for (const wc of [c, rec.windows[0].webContents]) {
      for (const event of ['will-navigate', 'will-redirect']) {
        let prevented = false;
        wc.listeners.get(event)?.(
          { preventDefault: () => (prevented = true) },
          'https://evil.example/',
        );
        assert.equal(prevented, true, event);
        prevented = false;
        wc.listeners.get(event)?.({ preventDefault: () => (prevented = true) }, 'app://lab/x');
        assert.equal(prevented, false, event);
      }
      assert.deepEqual(wc.windowOpenHandler?.({ url: 'https://evil.example' }), { action: 'deny' });
    }
    attach.get('will-attach-webview')?.({ preventDefault: () => (webview = true) });
    assert.equal(webview, true);
  });

  it('answers IPC only from the main frame, never from a subframe of our page', async () => {
    assert.equal((await call('experiments.list', {})).ok, true);
    const sub = { ...own, senderFrame: { url: 'app://lab/index.html', parent: {} } };
    const r = await call('experiments.list', {}, sub);
    assert.equal(r.ok, false);
    assert.match(r.error!.message, /not our frame/);
  });

  it('has no developer tools in a packaged app (menu and webPreferences)', () => {
    const prefs = rec.windows[0].options.webPreferences as Record<string, unknown>;
    assert.equal(prefs.devTools, false);
    const roles = (rec.menu as { template: MenuItem[] }).template
      .flatMap((m) => m.submenu ?? [])
      .map((i) => i.role);
    assert.ok(roles.includes('reload'));
    assert.ok(!roles.includes('toggleDevTools'));
  });

  it('path-taking channels accept only paths returned by the app`s own dialogs', async () => {
    const picked = join(dir, 'picked-dump.bin'); // absent: the grant passes, the import answers not-found
    const typed = join(dir, 'typed.bin');
    const refused = await call('trace.import', { path: typed });
    assert.equal(refused.error?.code, 'forbidden');
    assert.match(refused.error!.message, /not chosen in a file dialog/);
    for (const [channel, arg] of [
      ['notebook.import', { path: typed }],
      ['notebook.export', { path: typed }],
      ['experiments.exportJson', { id: 1, path: typed }],
      ['experiments.exportReport', { id: 1, dir: typed }],
    ] as const)
      assert.equal((await call(channel, arg)).error?.code, 'forbidden', channel);

    fake.dialog.showOpenDialog = async () => ({ canceled: false, filePaths: [picked] });
    assert.deepEqual(await call('dialog.open', {}), { ok: true, value: { path: picked } });
    const allowed = await call('trace.import', { path: picked });
    assert.equal(allowed.error?.code, 'not-found');
    assert.equal((await call('trace.import', { path: typed })).error?.code, 'forbidden');

    // The File menu's import dialog grants its pick too.
    const fromMenu = join(dir, 'menu-dump.bin');
    fake.dialog.showOpenDialog = async () => ({ canceled: false, filePaths: [fromMenu] });
    menuItem('Import xentrace dump…').click!();
    await new Promise<void>((r) => setImmediate(r));
    assert.equal((await call('trace.import', { path: fromMenu })).error?.code, 'not-found');
    // No path: the default export location beside the notebook.
    assert.equal((await call('notebook.export', {})).ok, true);
  });

  it('"Open notebook…" refuses a foreign database and leaves it byte-identical', async () => {
    const other = join(dir, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE mine (x); INSERT INTO mine VALUES (1)');
    db.close();
    const before = createHash('sha256').update(readFileSync(other)).digest('hex');
    fake.dialog.showOpenDialog = async () => ({ canceled: false, filePaths: [other] });
    const shown = new Promise<string>(
      (r) => (fake.dialog.showErrorBox = (title: string, msg: string) => r(`${title}: ${msg}`)),
    );
    menuItem('Open notebook…').click!();
    assert.match(await shown, /Cannot open notebook: .*another application/);
    assert.equal(createHash('sha256').update(readFileSync(other)).digest('hex'), before);
    assert.equal((await call('experiments.list', {})).ok, true);
  });
});
