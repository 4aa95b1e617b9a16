/**
 * The built CLI (scripts/build-cli.mjs -> out/cli, run by bin/xen-pi-lab.mjs) as installed without
 * devDependencies: a folder holding package.json, the launcher, a fresh build and only the
 * packages package-lock.json does not mark dev. No tsx, no TypeScript: it must still run, and
 * print exactly what the sources print in-process.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli, TRACES } from '../main/cli/commands/cli-helpers';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'xpl-built-cli-'));
const app = join(dir, 'app');
after(() => rmSync(dir, { recursive: true, force: true }));

/** Top-level runtime packages (their own dependencies are top-level entries too). */
function runtimePackages(): string[] {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([k, v]) => /^node_modules\/[^/]+(\/[^/]+)?$/.test(k) && !v.dev && !v.devOptional)
    .map(([k]) => k.slice('node_modules/'.length))
    .filter((name) => !name.includes('/node_modules/'));
}

function install(without: string[] = []): void {
  rmSync(join(app, 'node_modules'), { recursive: true, force: true });
  mkdirSync(join(app, 'node_modules'), { recursive: true });
  for (const name of runtimePackages()) {
    if (without.includes(name)) continue;
    if (name.includes('/'))
      mkdirSync(join(app, 'node_modules', name.split('/')[0]), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), join(app, 'node_modules', name), 'dir');
  }
}

const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(app, 'bin', 'xen-pi-lab.mjs'), ...args], {
    encoding: 'utf8',
    cwd: dir,
    env: { ...process.env, XEN_PI_LAB_DATA: join(dir, 'data'), ...env },
  });

describe('the built CLI, installed without devDependencies', () => {
  before(() => {
    mkdirSync(join(app, 'bin'), { recursive: true });
    copyFileSync(join(ROOT, 'package.json'), join(app, 'package.json'));
    copyFileSync(join(ROOT, 'bin', 'xen-pi-lab.mjs'), join(app, 'bin', 'xen-pi-lab.mjs'));
    const b = spawnSync(
      process.execPath,
      [join(ROOT, 'scripts', 'build-cli.mjs'), '--outdir', join(app, 'out', 'cli')],
      { encoding: 'utf8' },
    );
    assert.equal(b.status, 0, b.stderr);
    install();
  });

  it('prints the version of package.json', () => {
    const r = run(['--version']);
    assert.equal(r.status, 0, r.stderr);
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    assert.equal(r.stdout, `${version}\n`);
  });

  it('cannot reach tsx (so it runs no TypeScript)', () => {
    const r = run(['--version'], { XEN_PI_LAB_FROM_SOURCE: '1' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /tsx/);
  });

  it('imports a dump exactly like the sources do in-process', async () => {
    const dump = join(TRACES, 'smallbuf-all.bin');
    const built = run(['import', dump, '--json', '--cpu-hz', '2445.414M']);
    const src = await cli(['import', dump, '--json', '--cpu-hz', '2445.414M']);
    assert.equal(src.code, 0, src.err);
    assert.equal(built.status, 0, built.stderr);
    assert.equal(built.stdout, src.out);
  });

  it('loads SQLite and zod only for commands that need them', () => {
    const db = join(dir, 'nb.db');
    const saved = run(['--db', db, 'import', join(TRACES, 'pvh-sched.bin'), '--save']);
    assert.equal(saved.status, 0, saved.stderr);
    assert.match(saved.stdout, /saved as experiment 1/);
    const list = run(['--db', db, 'list', '--json']);
    assert.equal(list.status, 0, list.stderr);
    assert.equal((JSON.parse(list.stdout) as { title: string }[])[0].title, 'pvh-sched.bin');
    // Without better-sqlite3 and zod installed, `import --json` still works; `list` cannot.
    install(['better-sqlite3', 'zod']);
    try {
      const imp = run(['import', join(TRACES, 'pvh-sched.bin'), '--json']);
      assert.equal(imp.status, 0, imp.stderr);
      assert.equal((JSON.parse(imp.stdout) as { id: null }).id, null);
      const noDb = run(['--db', db, 'list']);
      assert.notEqual(noDb.status, 0);
      assert.match(noDb.stderr, /better-sqlite3/);
    } finally {
      install();
    }
  });
});
