/**
 * Workload scripts: the JSON Lines operations of docs/model.md, one object per line (blank lines
 * are ignored). Parsing checks each line's shape; running checks the model's rules (unknown vCPU,
 * duplicate create, block/run on an offline pCPU, time going backwards) and reports the line.
 */
import { OP_NAMES, opToCompact } from '../../shared/ops';
import type { Op, OpName } from '../../shared/ops';
import type { RunResult } from '../../shared/results';
import { EngineInputError, ScriptError } from './errors';
import { HostModel } from './host-model';
import type { EngineConfig } from './host-model';

const FIELDS: Record<OpName, Record<string, 'int' | 'bool'>> = {
  pcpus: { n: 'int' },
  vcpu_create: { dom: 'int', vcpu: 'int', pi: 'bool' },
  vcpu_destroy: { dom: 'int', vcpu: 'int' },
  block: { dom: 'int', vcpu: 'int', pcpu: 'int' },
  post: { dom: 'int', vcpu: 'int' },
  wake: { dom: 'int', vcpu: 'int' },
  run: { dom: 'int', vcpu: 'int', pcpu: 'int' },
  pcpu_offline: { pcpu: 'int' },
  pcpu_online: { pcpu: 'int' },
};
const NAMES = new Set<string>(OP_NAMES);

function parseLine(line: string): Op {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    throw new Error(`invalid JSON (${(e as Error).message})`, { cause: e });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not a JSON object');
  const o = v as Record<string, unknown>;
  if (typeof o.op !== 'string') throw new Error('missing "op"');
  if (!NAMES.has(o.op)) throw new Error(`unknown op "${o.op}"`);
  const fields = FIELDS[o.op as OpName];
  if (typeof o.t !== 'number' || !Number.isFinite(o.t) || o.t < 0)
    throw new Error('"t" must be a finite number >= 0 (ns)');
  for (const [k, kind] of Object.entries(fields)) {
    const x = o[k];
    if (x === undefined) throw new Error(`${o.op}: missing "${k}"`);
    if (kind === 'bool' && typeof x !== 'boolean') throw new Error(`"${k}" must be true or false`);
    if (kind === 'int' && !(typeof x === 'number' && Number.isInteger(x) && x >= 0))
      throw new Error(`"${k}" must be an integer >= 0`);
    if (kind === 'int' && (x as number) >= 2 ** 32)
      throw new Error(`"${k}" is too large: ${String(x)} (at most ${2 ** 32 - 1})`);
  }
  for (const k of Object.keys(o))
    if (k !== 'op' && k !== 't' && !(k in fields)) throw new Error(`${o.op}: unknown field "${k}"`);
  return o as unknown as Op;
}

/** Parses a whole script; `lines[i]` is the 1-based line of `ops[i]`. */
export function parseScriptLines(text: string): { ops: Op[]; lines: number[] } {
  const ops: Op[] = [];
  const lines: number[] = [];
  const src = text.split('\n');
  let lastT = 0;
  for (let i = 0; i < src.length; i++) {
    const line = src[i].trim();
    if (line === '') continue;
    let o: Op;
    try {
      o = parseLine(line);
    } catch (e) {
      throw new ScriptError(i + 1, (e as Error).message);
    }
    if (o.t < lastT) throw new ScriptError(i + 1, `time goes backwards (${o.t} < ${lastT})`);
    lastT = o.t;
    ops.push(o);
    lines.push(i + 1);
  }
  if (ops.length === 0) throw new ScriptError(1, 'empty script');
  if (ops[0].op !== 'pcpus') throw new ScriptError(lines[0], 'the first operation must be pcpus');
  return { ops, lines };
}

export function parseScript(text: string): Op[] {
  return parseScriptLines(text).ops;
}

/** Runs a parsed script; an invalid operation becomes a ScriptError naming its line. */
export function runOps(ops: Op[], lines: number[], cfg: EngineConfig): RunResult {
  const run = new HostModel(cfg, { expectedEndNs: ops[ops.length - 1]?.t });
  for (const o of ops) {
    const [code, t, a, b, c] = opToCompact(o);
    try {
      run.op(code, t, a, b, c);
    } catch (e) {
      if (e instanceof EngineInputError) throw new ScriptError(lines[e.opIndex], e.message);
      throw e;
    }
  }
  return run.finish();
}

/** Validates the whole script (shape, then the model's rules) and returns the run's result. */
export function runScript(text: string, cfg: EngineConfig): RunResult {
  const { ops, lines } = parseScriptLines(text);
  return runOps(ops, lines, cfg);
}
