import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { OpBlocks, type OpStage } from '../../../main/trace/op-columns';
import { SPILL_BLOCK, SpillOpBlocks } from '../../../main/trace/op-spill';
import { readTrace } from '../../../main/trace/reader';
import { Reconstructor } from '../../../main/trace/reconstruct';
import { writeSimDump } from './sim-dump';
import { OpCode } from '../../../shared/ops';

const dir = mkdtempSync(join(tmpdir(), 'xpl-spill-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Every staged op, in order, five numbers each. */
function drain(stage: OpStage): Float64Array {
  const out = new Float64Array(stage.length * 5);
  let j = 0;
  for (const [{ code, t, a, b, c }, len] of stage.parts())
    for (let i = 0; i < len; i++) out.set([code[i], t[i], a[i], b[i], c[i]], 5 * j++);
  assert.equal(j, stage.length);
  return out;
}

test('ops past the in-memory blocks go to a temporary file and come back in order', () => {
  const sub = mkdtempSync(join(dir, 'a-'));
  const stage = new SpillOpBlocks({ memBlocks: 1, dir: sub });
  const n = 3 * SPILL_BLOCK + 1234;
  const want = new Float64Array(5 * n);
  for (let i = 0; i < n; i++) {
    const op = [OpCode.block, i * 1.5 + 2 ** 40, i % 7000, i % 13, (i % 5) - 2];
    want.set(op, 5 * i);
    stage.op(op[0] as OpCode, op[1], op[2], op[3], op[4]);
  }
  assert.equal(stage.length, n);
  // Block 1 in memory, blocks 2 and 3 in the file, the partial block in memory.
  assert.equal(stage.spilledBytes, 2 * SPILL_BLOCK * 21);
  assert.deepEqual(drain(stage), want);
  // Read back twice (finish counts, then streams).
  assert.deepEqual(drain(stage), want);
  stage.release();
  assert.deepEqual(readdirSync(sub), [], 'the temporary file is removed');
});

test('a dump small enough for memory writes no file', () => {
  const sub = mkdtempSync(join(dir, 'b-'));
  const stage = new SpillOpBlocks({ dir: sub });
  for (let i = 0; i < 1000; i++) stage.op(OpCode.run, i, 1, 0, 2);
  assert.equal(stage.spilledBytes, 0);
  assert.deepEqual(readdirSync(sub), []);
  assert.equal(drain(stage).length, 5000);
  stage.release();
});

test('the reconstruction gives the same op stream staged on disk as in memory', () => {
  const file = join(dir, 'sim.trace');
  writeSimDump(file, 1e9, 3);
  // The dump holds the lab's PI records too: both streams (scheduler-based, as-recorded) staged.
  const rebuild = (newStage: () => OpStage) => {
    const stages: OpStage[] = [];
    const rec = new Reconstructor('post', [], 'destroy', () => {
      stages.push(newStage());
      return stages[stages.length - 1];
    });
    const read = readTrace(file, rec, { hash: false });
    const pcpus = read.stats.cpus[read.stats.cpus.length - 1] + 1;
    const args = [pcpus, (d: number) => d !== 0, () => true, read.firstTscRel, 2.5e9] as const;
    const spilled = stages.map((s) => (s instanceof SpillOpBlocks ? s.spilledBytes : 0));
    const ops = rec.finish(...args);
    const recorded = rec.finishRecorded(...args);
    return { ops, recorded, stages: stages.length, spilled };
  };
  const inMemory = rebuild(() => new OpBlocks());
  assert.ok(inMemory.ops.code.length > 2 * SPILL_BLOCK, `${inMemory.ops.code.length} ops`);
  assert.equal(inMemory.stages, 2, 'a stage per stream');
  assert.ok(inMemory.recorded !== null);
  const sub = mkdtempSync(join(dir, 'c-'));
  const onDisk = rebuild(() => new SpillOpBlocks({ memBlocks: 0, dir: sub }));
  assert.ok(
    onDisk.spilled.every((b) => b > 0),
    `both streams spilled: ${onDisk.spilled.join(', ')} bytes`,
  );
  assert.deepEqual(onDisk.ops, inMemory.ops);
  assert.deepEqual(onDisk.recorded, inMemory.recorded);
  assert.deepEqual(readdirSync(sub), [], 'both temporary files are removed');
});
