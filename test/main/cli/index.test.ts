import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../../main/cli/index';
import { Store } from '../../../main/store/store';

const dir = mkdtempSync(join(tmpdir(), 'xpl-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('xen-pi-lab CLI', () => {
  it('--help lists every subcommand', async () => {
    const r = await cli(['--help']);
    assert.equal(r.code, 0);
    for (const c of ['serve', 'simulate', 'import', 'replay', 'export', 'list'])
      assert.match(r.out, new RegExp(`\\n  ${c} `));
    assert.match(r.out, /--db FILE/);
  });

  it('refuses unknown commands and missing option values with exit code 2', async () => {
    const r = await cli(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown command "frobnicate"/);
    const d = await cli(['--db']);
    assert.equal(d.code, 2);
    assert.match(d.err, /--db needs a value/);
    const none = await cli([]);
    assert.equal(none.code, 2);
  });

  it('list reads the notebook given with --db', async () => {
    const db = join(dir, 'nb.db');
    const s = Store.open(db);
    s.createExperiment({ kind: 'trace', title: 'pvh-sched dump', tags: ['run2'] });
    s.close();
    const r = await cli(['--db', db, 'list', '--json']);
    assert.equal(r.code, 0, r.err);
    const items = JSON.parse(r.out) as { title: string; tags: string[] }[];
    assert.deepEqual(
      items.map((i) => [i.title, i.tags]),
      [['pvh-sched dump', ['run2']]],
    );
    const text = await cli(['--db', db, 'list']);
    assert.match(text.out, /pvh-sched dump {2}\[run2\]/);
  });

  it('serve refuses to start without a built renderer, naming the fix', async () => {
    const r = await cli([
      '--db',
      join(dir, 'serve.db'),
      'serve',
      '--renderer',
      join(dir, 'nowhere'),
    ]);
    assert.equal(r.code, 1);
    assert.match(r.err, /npm run build/);
  });

  it('runs as the installed bin (the built CLI in out/cli)', () => {
    const r = spawnSync(
      process.execPath,
      [join(import.meta.dirname, '../../../bin/xen-pi-lab.mjs'), '--version'],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
  });
});
