/**
 * What ->offline means: a pause. A 4-vCPU HVM domain paused and unpaused many times (running ->
 * offline, offline -> runnable, as on the Intel host of issue 9) keeps its 4 vCPUs: H = 4,
 * 4 created, none destroyed; a domain destroy record ends them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importTrace } from '../../../main/trace/index';
import { DumpWriter } from '../../../main/trace/writer';
import {
  TRC_HVM_VMENTRY,
  TRC_SCHED_DOM_REM,
  RUNSTATE_BLOCKED,
  RUNSTATE_OFFLINE,
  RUNSTATE_RUNNABLE,
  RUNSTATE_RUNNING,
  runstateId,
} from '../../../main/trace/format';

const dir = mkdtempSync(join(tmpdir(), 'xpl-lifecycle-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const HZ = 2.4e9;
const DOM = 1;
const VCPUS = 4;
const PAUSES = 107;

/** A dump of d1 (4 vCPUs on pCPUs 0..3): run, block, wake, run; then paused and unpaused
 *  PAUSES times; then (if `destroy`) a domain destroy record. */
function writeDump(file: string, destroy: boolean): void {
  const fd = openSync(file, 'w');
  try {
    const w = new DumpWriter(fd, 4096);
    w.setPcpus(VCPUS);
    let t = 1e12;
    const rs = (v: number, from: number, to: number) =>
      w.record(v, runstateId(from, to), (t += 1000), 1, ((DOM << 16) | v) >>> 0);
    for (let v = 0; v < VCPUS; v++) {
      rs(v, RUNSTATE_RUNNABLE, RUNSTATE_RUNNING);
      w.record(v, TRC_HVM_VMENTRY, (t += 1000), 0);
      rs(v, RUNSTATE_RUNNING, RUNSTATE_BLOCKED);
      rs(v, RUNSTATE_BLOCKED, RUNSTATE_RUNNABLE);
      rs(v, RUNSTATE_RUNNABLE, RUNSTATE_RUNNING);
    }
    for (let k = 0; k < PAUSES; k++) {
      for (let v = 0; v < VCPUS; v++) rs(v, RUNSTATE_RUNNING, RUNSTATE_OFFLINE);
      for (let v = 0; v < VCPUS; v++) rs(v, RUNSTATE_OFFLINE, RUNSTATE_RUNNABLE);
      for (let v = 0; v < VCPUS; v++) rs(v, RUNSTATE_RUNNABLE, RUNSTATE_RUNNING);
    }
    if (destroy) {
      for (let v = 0; v < VCPUS; v++) rs(v, RUNSTATE_RUNNING, RUNSTATE_OFFLINE);
      w.record(0, TRC_SCHED_DOM_REM, (t += 1000), 1, DOM);
    }
    w.finish();
  } finally {
    closeSync(fd);
  }
}

test('pause/unpause of a 4-vCPU HVM domain: H = 4, 4 vCPUs created, none destroyed', async () => {
  const file = join(dir, 'pauses.trace');
  writeDump(file, false);
  const imp = await importTrace(file, { cpuHz: HZ });
  assert.deepEqual(imp.errors, []);
  const s = imp.result.summary;
  assert.equal(s.H, VCPUS);
  assert.equal(s.opCounts.vcpu_create, VCPUS);
  assert.equal(s.opCounts.vcpu_destroy ?? 0, 0);
  // H never moved after the creates.
  const hLog = Array.from(imp.result.series['log.h.v'] as ArrayLike<number>);
  assert.deepEqual(hLog.slice(-1), [VCPUS]);
  assert.deepEqual(hLog, [1, 2, 3, 4].slice(0, hLog.length));
  assert.deepEqual(
    imp.domains.map((d) => [d.dom, d.vcpus, d.pauses, d.destroyed]),
    [[DOM, VCPUS, VCPUS * PAUSES, false]],
  );
  assert.ok(imp.domains[0].lastSeenNs > imp.domains[0].firstSeenNs);
  // No PI records: the lists are a reconstruction, and say so.
  assert.equal(imp.provenance.source, 'reconstructed');
  assert.match(imp.provenance.label, /assuming every HVM domain has an assigned device/);
});

test('the first rule stays available: --offline-as destroy', async () => {
  const file = join(dir, 'pauses-destroy.trace');
  writeDump(file, false);
  const imp = await importTrace(file, { cpuHz: HZ, offlineAs: 'destroy' });
  assert.equal(imp.result.summary.opCounts.vcpu_destroy, VCPUS * PAUSES);
});

test('a domain destroy record ends the domain: 4 created, 4 destroyed, H back to 0', async () => {
  const file = join(dir, 'destroy.trace');
  writeDump(file, true);
  const imp = await importTrace(file, { cpuHz: HZ });
  const s = imp.result.summary;
  assert.equal(s.opCounts.vcpu_create, VCPUS);
  assert.equal(s.opCounts.vcpu_destroy, VCPUS);
  assert.equal(s.H, 0);
  assert.equal(imp.domains[0].destroyed, true);
});

test('a dump with no HVM domain says so, with its true span', async () => {
  const file = join(dir, 'pv.trace');
  const fd = openSync(file, 'w');
  const w = new DumpWriter(fd, 4096);
  w.setPcpus(1);
  // dom0 only (PV), 1 ms of runstate changes.
  w.record(0, runstateId(RUNSTATE_RUNNABLE, RUNSTATE_RUNNING), 1e12, 1, 0);
  w.record(0, runstateId(RUNSTATE_RUNNING, RUNSTATE_BLOCKED), 1e12 + HZ / 1000, 1, 0);
  w.finish();
  closeSync(fd);
  const imp = await importTrace(file, { cpuHz: HZ });
  assert.equal(imp.provenance.noHvm, true);
  assert.equal(imp.provenance.source, 'no-hvm');
  assert.ok(Math.abs(imp.provenance.spanNs - 1e6) < 1);
  assert.ok(imp.assumptions.notes.some((n) => /No HVM domain in this dump/.test(n)));
});
