import { test } from 'node:test';
import assert from 'node:assert/strict';
import { domainsAt, listAt, simulate } from '../../../main/engine/index';
import { SimParamsSchema } from '../../../shared/params';

const run = simulate(
  SimParamsSchema.parse({
    workload: { pcpus: 4, domains: 6, vcpusPerDomain: 5, placement: 'random', durationNs: 30e6 },
    policy: { policy: 'series', K: 1 },
    buckets: 64,
    seed: 4,
  }),
);

/** Per-domain counts of one list (or all lists), from listAt's rows. */
function fromRows(t: number, pcpus: number[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const p of pcpus)
    for (const r of listAt(run, t, p, 0, 10_000).rows) m.set(r.dom, (m.get(r.dom) ?? 0) + 1);
  return m;
}

test('domainsAt counts exactly what listAt lists, per pCPU and over every list', () => {
  const P = run.summary.pcpus;
  let nonEmpty = 0;
  for (let t = 0; t <= run.summary.endNs; t += run.summary.endNs / 40) {
    for (const pcpu of [null, ...Array.from({ length: P }, (_, p) => p)]) {
      const want = fromRows(t, pcpu === null ? [...Array(P).keys()] : [pcpu]);
      const got = domainsAt(run, t, { pcpu, dom: null, top: 100 });
      assert.equal(
        got.total,
        [...want.values()].reduce((a, b) => a + b, 0),
      );
      assert.equal(got.domains, want.size);
      assert.deepEqual(new Map(got.top.map((d) => [d.dom, d.count])), want);
      // Largest first, ties by domain id.
      for (let i = 1; i < got.top.length; i++) {
        const [a, b] = [got.top[i - 1], got.top[i]];
        assert.ok(a.count > b.count || (a.count === b.count && a.dom < b.dom));
      }
      if (got.total) nonEmpty++;
    }
  }
  assert.ok(nonEmpty > 10, 'the run has listed vCPUs to count');
});

test('a domain filter gives that domain only and the pCPUs that hold it', () => {
  const t = run.summary.maxListAtNs;
  const all = domainsAt(run, t, { pcpu: null, dom: null, top: 3 });
  assert.ok(all.top.length <= 3);
  const d = all.top[0].dom;
  const one = domainsAt(run, t, { pcpu: null, dom: d, top: 100 });
  assert.equal(one.domains, 1);
  assert.equal(one.total, all.top[0].count);
  assert.equal(
    one.pcpus.reduce((a, p) => a + p.count, 0),
    one.total,
  );
  for (const p of one.pcpus)
    assert.equal(p.count, listAt(run, t, p.pcpu, 0, 10_000, `d${d}`).total, `pCPU ${p.pcpu}`);
});
