import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseScript, runScript, ScriptError } from '../../../main/engine/index';
import { config } from './ops-dsl';

const DIR = join(import.meta.dirname, '../../fixtures/model-cases');

test('the worked cases of data/model-cases give exactly the expected summaries', () => {
  const cases = readdirSync(DIR).filter((f) => f.endsWith('.json'));
  assert.equal(cases.length, 15);
  for (const f of cases) {
    const m = /^(.*)\.(upstream|series|least-loaded)\.K(\d+)(\.fixup-cycle)?\.json$/.exec(f);
    assert.ok(m, f);
    const want = JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Record<string, unknown>;
    const r = runScript(
      readFileSync(join(DIR, `${m[1]}.jsonl`), 'utf8'),
      config({
        policy: m[2] as 'series',
        K: Number(m[3]),
        fixup: m[4] ? 'cycle' : 'random',
      }),
    );
    const got = r.summary as unknown as Record<string, unknown>;
    for (const k of Object.keys(want)) assert.deepEqual(got[k], want[k], `${f}: ${k}`);
  }
});

test('parseScript reads every op and skips blank lines', () => {
  const ops = parseScript(
    '{"t":0,"op":"pcpus","n":2}\n\n  {"t": 1, "op": "vcpu_create", "dom": 1, "vcpu": 0, "pi": false}\r\n',
  );
  assert.deepEqual(ops, [
    { t: 0, op: 'pcpus', n: 2 },
    { t: 1, op: 'vcpu_create', dom: 1, vcpu: 0, pi: false },
  ]);
});

test('bad lines are rejected with their line number and reason', () => {
  const head =
    '{"t":0,"op":"pcpus","n":2}\n{"t":0,"op":"vcpu_create","dom":1,"vcpu":0,"pi":true}\n\n';
  const cases: [string, number, RegExp][] = [
    ['{"t":1,"op":"block","dom":1,"vcpu":0}', 4, /missing "pcpu"/],
    ['{"t":1,"op":"jump"}', 4, /unknown op "jump"/],
    ['{"t":1,"op":"post","dom":1,"vcpu":0,"x":1}', 4, /unknown field "x"/],
    ['{"t":1,"op":"post","dom":1.5,"vcpu":0}', 4, /"dom" must be an integer/],
    ['{"t":-1,"op":"post","dom":1,"vcpu":0}', 4, /"t" must be/],
    ['{"t":1,"op":"vcpu_create","dom":1,"vcpu":1,"pi":1}', 4, /"pi" must be true or false/],
    ['{"t":1,"op":"post",', 4, /invalid JSON/],
    ['[1]', 4, /not a JSON object/],
    // Model rules are checked by running, and still name the line.
    ['{"t":1,"op":"post","dom":9,"vcpu":0}', 4, /unknown vCPU d9v0/],
    ['{"t":1,"op":"vcpu_create","dom":1,"vcpu":0,"pi":true}', 4, /created twice/],
    ['{"t":1,"op":"run","dom":1,"vcpu":0,"pcpu":2}', 4, /pCPU 2 does not exist/],
  ];
  for (const [line, n, re] of cases) {
    assert.throws(
      () =>
        runScript(
          head + line + '\n{"t":5,"op":"post","dom":1,"vcpu":0}\n',
          config({ policy: 'upstream' }),
        ),
      (e: unknown) => e instanceof ScriptError && e.line === n && re.test(e.reason),
      line,
    );
  }
  assert.throws(
    () =>
      parseScript(
        head + '{"t":9,"op":"post","dom":1,"vcpu":0}\n{"t":3,"op":"post","dom":1,"vcpu":0}',
      ),
    (e: unknown) => e instanceof ScriptError && e.line === 5 && /backwards/.test(e.reason),
  );
  assert.throws(
    () => parseScript('{"t":0,"op":"vcpu_create","dom":1,"vcpu":0,"pi":true}'),
    (e: unknown) => e instanceof ScriptError && e.line === 1 && /first operation/.test(e.reason),
  );
  assert.throws(() => parseScript('\n\n'), ScriptError);
});

test('an integer field over 32 bits is called too large, not "must be >= 0"', () => {
  assert.throws(
    () => parseScript('{"t":0,"op":"post","dom":1,"vcpu":1e10}\n'),
    (e: unknown) =>
      e instanceof ScriptError &&
      /"vcpu" is too large: 10000000000 \(at most 4294967295\)/.test(e.reason) &&
      !/>= 0/.test(e.reason),
  );
  assert.throws(
    () => parseScript('{"t":0,"op":"post","dom":-1,"vcpu":0}\n'),
    (e: unknown) => e instanceof ScriptError && /"dom" must be an integer >= 0/.test(e.reason),
  );
});
