/**
 * `npm install` on Node 20 (issue 12 item 14): every installed package accepts the Node the
 * README requires, except the packaging-only ones the README names (they print EBADENGINE).
 * A new package that needs a newer Node fails here until the README says so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../e2e/harness';

type V = [number, number, number];
const parse = (s: string): V => {
  const [a = 0, b = 0, c = 0] = s.split('.').map((x) => Number.parseInt(x, 10) || 0);
  return [a, b, c];
};
const cmp = (x: V, y: V) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2];

/** Enough of npm's ranges for `engines.node` (>=, >, <, <=, ^, ~, x, ||). */
export function accepts(range: string, version: string): boolean {
  const v = parse(version);
  return range.split('||').some((alt) =>
    alt
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .trim()
      .split(/\s+/)
      .filter((c) => c && c !== '*' && c !== 'x')
      .every((c) => {
        const m = /^(>=|<=|>|<|\^|~|=)?v?([\d.x*]+)$/.exec(c);
        if (!m) return true;
        const b = parse(m[2].replace(/[x*]/g, '0'));
        const d = cmp(v, b);
        switch (m[1]) {
          case '>=':
            return d >= 0;
          case '>':
            return d > 0;
          case '<':
            return d < 0;
          case '<=':
            return d <= 0;
          case '^':
            return d >= 0 && v[0] === b[0];
          case '~':
            return d >= 0 && v[0] === b[0] && v[1] === b[1];
          default: {
            // "20", "20.x", "20.1": a partial version matches every version it starts.
            const given = m[2].split('.').filter((x) => /^\d+$/.test(x)).length;
            return given < 3 ? v.slice(0, given).every((n, i) => n === b[i]) : d === 0;
          }
        }
      }),
  );
}

test('range reading', () => {
  assert.ok(accepts('>=20.19', '20.19.0'));
  assert.ok(accepts('>= 10.0.0', '20.19.0'));
  assert.ok(accepts('20 || >=22', '20.19.0'));
  assert.ok(!accepts('18.x', '20.19.0'));
  assert.ok(!accepts('>=22.12.0', '20.19.0'));
  assert.ok(accepts('^18.17.0 || >=20.5.0', '20.19.0'));
  assert.ok(!accepts('^18.17.0 || ^22', '20.19.0'));
});

test('only the packages the README names need a newer Node than the README requires', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const min = /(\d+\.\d+(?:\.\d+)?)/.exec(pkg.engines.node)![1];
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const refusing: string[] = [];
  for (const [path, p] of Object.entries(
    lock.packages as Record<string, { engines?: { node?: string }; version?: string }>,
  )) {
    const range = p.engines?.node;
    if (!path || !range || accepts(range, min)) continue;
    refusing.push(`${path.replace(/^.*node_modules\//, '')}@${p.version} (${range})`);
  }
  for (const r of refusing) {
    const name = r.slice(0, r.lastIndexOf('@'));
    assert.ok(readme.includes(`\`${name}\``), `README names ${r}`);
  }
  assert.match(readme, /EBADENGINE/);
});
