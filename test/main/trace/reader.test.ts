import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readTrace, readTraceBytes, type MergedSink } from '../../../main/trace/reader';
import { DUMPS, HOST_HZ, dumpPath, eventsTxt, xenalyzeSummary } from './fixtures';

const none: MergedSink = { record() {} };

for (const dump of DUMPS) {
  test(`${dump}: windows, records, TSC range and every event count equal NAME.events.txt`, () => {
    const want = eventsTxt(dump);
    const { stats, errors } = readTrace(dumpPath(dump), none);
    assert.deepEqual(errors, []);
    assert.equal(stats.bytes, want.bytes);
    assert.deepEqual(stats.cpus, want.cpus);
    assert.equal(stats.windows, want.windows);
    // events.txt counts the CPU_CHANGE records among its records (0x1f003 is in its table).
    assert.equal(stats.records, want.records);
    assert.equal(stats.recordsWithTsc, want.withTsc);
    assert.equal(stats.firstTsc, want.firstTsc);
    assert.equal(stats.lastTsc, want.lastTsc);
    assert.deepEqual(stats.eventCounts, want.counts);
    const perCpu = Object.values(stats.perCpuRecords).reduce((a, b) => a + b, 0);
    assert.equal(perCpu + stats.windows, stats.records);
    assert.equal(stats.lostRecords, want.counts['0x0001f001'] ?? 0);
    assert.equal(stats.wrapRecords, want.counts['0x0001f002'] ?? 0);
    assert.equal(stats.decodedBytes, stats.bytes);
  });

  test(`${dump}: per-pCPU volume, domains, vCPUs and total time agree with xenalyze --summary`, () => {
    const x = xenalyzeSummary(dump);
    const { stats } = readTrace(dumpPath(dump), none);
    assert.deepEqual(stats.volume, x.volume);
    assert.deepEqual(
      stats.domains,
      [...x.domains].sort((a, b) => a - b),
    );
    assert.deepEqual(
      stats.vcpus,
      [...x.vcpus].sort((a, b) => +a.slice(1).split('v')[0] - +b.slice(1).split('v')[0] || 0),
    );
    const seconds = Number(BigInt(stats.lastTsc!) - BigInt(stats.firstTsc!)) / HOST_HZ;
    assert.equal(seconds.toFixed(2), x.totalSeconds.toFixed(2));
  });
}

test('smallbuf-all: 34 lost-records records saying 6069 records were lost', () => {
  const { stats } = readTrace(dumpPath('smallbuf-all.bin'), none);
  assert.equal(stats.lostRecords, 34);
  assert.equal(stats.recordsLost, 6069);
});

test('pvh-all: a pCPU whose data starts without TSC: those records come first, then TSC order', () => {
  const seen: { cpu: number; tsc: number }[] = [];
  readTrace(dumpPath('pvh-all.bin'), { record: (cpu, _id, tsc) => void seen.push({ cpu, tsc }) });
  assert.ok(seen.length > 0);
  for (let i = 1; i < seen.length; i++)
    assert.ok(seen[i].tsc >= seen[i - 1].tsc, `record ${i} goes back in time`);
});

test('merged records are in TSC order on every dump; lost records come twice (start and end)', () => {
  for (const dump of DUMPS) {
    let last = -Infinity;
    let lost = 0;
    let lostEnd = 0;
    readTrace(dumpPath(dump), {
      record(_cpu, id, tsc) {
        assert.ok(tsc >= last, `${dump}: merged order goes back`);
        last = tsc;
        if (id === 0x1f001) lost++;
        if (id === 0x1f032) lostEnd++;
      },
    });
    assert.equal(lost, lostEnd);
  }
});

test('the merge only holds a few chunks: a dump read with 1 KiB chunks gives the same answer', () => {
  const bytes = readFileSync(dumpPath('pvh-sched.bin'));
  const order: number[] = [];
  const a = readTraceBytes(bytes, 'x', { record: (cpu, id, tsc) => void order.push(cpu, id, tsc) });
  const order2: number[] = [];
  const b = readTraceBytes(
    bytes,
    'x',
    { record: (cpu, id, tsc) => void order2.push(cpu, id, tsc) },
    { chunkBytes: 1024 },
  );
  assert.deepEqual(b.stats, a.stats);
  assert.deepEqual(order2, order);
  assert.equal(b.sha256, a.sha256);
  // Memory stays a few chunks because the four cursors move through the file together: each of
  // the ~800 chunks is read about once (a few again after LRU eviction), not once per cursor.
  const chunks = Math.ceil(bytes.length / b.chunkBytes);
  assert.ok(b.chunkReads <= chunks * 1.25, `${b.chunkReads} reads for ${chunks} chunks`);
});

test('sha256 is the hash of the whole file', async () => {
  const { createHash } = await import('node:crypto');
  const bytes = readFileSync(dumpPath('dom0-sched.bin'));
  const r = readTrace(dumpPath('dom0-sched.bin'), none);
  assert.equal(r.sha256, createHash('sha256').update(bytes).digest('hex'));
});

test('unknown ids are counted, not fatal', () => {
  // One window of pCPU 0: a record with an id no table knows, then a runstate change.
  const words = [
    0x2001f003,
    0,
    28,
    0x80000000 | 0x0ab0c0de,
    1,
    0,
    0x9002_1101 >>> 0,
    5,
    0,
    0x00010000,
  ];
  const bytes = new Uint8Array(new Uint32Array(words).buffer);
  const { stats, errors } = readTraceBytes(bytes, 'x', none);
  assert.deepEqual(errors, []);
  assert.equal(stats.unknownRecords, 1);
  assert.equal(stats.eventCounts['0x0ab0c0de'], 1);
  assert.deepEqual(stats.vcpus, ['d1v0']);
});
