/**
 * A terse way to write hand-checked op streams in tests: one op per line or `;`-separated,
 * `create D V [nopi]`, `destroy D V`, `block D V P`, `post D V`, `wake D V`, `run D V P`,
 * `off P`, `on P`, `pcpus N`; an optional `@T` prefix sets the time (default: the op's index).
 */
import type { Op } from '../../../shared/ops';
import { opToCompact } from '../../../shared/ops';
import type { PolicyConfigInput } from '../../../shared/params';
import { PolicyConfigSchema } from '../../../shared/params';
import { DEFAULT_COSTS } from '../../../shared/results';
import type { EngineConfig } from '../../../main/engine/index';
import { HostModel } from '../../../main/engine/host-model';

export function ops(text: string): Op[] {
  const out: Op[] = [];
  const lines = text
    .split(/[;\n]/)
    .map((l) => l.trim())
    .filter(Boolean);
  lines.forEach((line, i) => {
    let parts = line.split(/\s+/);
    let t = i;
    if (parts[0].startsWith('@')) {
      t = Number(parts[0].slice(1));
      parts = parts.slice(1);
    }
    const [kw, ...r] = parts;
    const n = r.map(Number);
    switch (kw) {
      case 'pcpus':
        out.push({ t, op: 'pcpus', n: n[0] });
        break;
      case 'create':
        out.push({ t, op: 'vcpu_create', dom: n[0], vcpu: n[1], pi: r[2] !== 'nopi' });
        break;
      case 'destroy':
        out.push({ t, op: 'vcpu_destroy', dom: n[0], vcpu: n[1] });
        break;
      case 'block':
        out.push({ t, op: 'block', dom: n[0], vcpu: n[1], pcpu: n[2] });
        break;
      case 'post':
        out.push({ t, op: 'post', dom: n[0], vcpu: n[1] });
        break;
      case 'wake':
        out.push({ t, op: 'wake', dom: n[0], vcpu: n[1] });
        break;
      case 'run':
        out.push({ t, op: 'run', dom: n[0], vcpu: n[1], pcpu: n[2] });
        break;
      case 'off':
        out.push({ t, op: 'pcpu_offline', pcpu: n[0] });
        break;
      case 'on':
        out.push({ t, op: 'pcpu_online', pcpu: n[0] });
        break;
      default:
        throw new Error(`bad test op ${line}`);
    }
  });
  return out;
}

export function config(policy: PolicyConfigInput, seed = 1, buckets = 64): EngineConfig {
  return { policy: PolicyConfigSchema.parse(policy), costs: { ...DEFAULT_COSTS }, buckets, seed };
}

/** Applies ops to a fresh model and returns it (not finished). */
export function apply(cfg: EngineConfig, list: Op[]): HostModel {
  const m = new HostModel(cfg);
  for (const o of list) {
    const [c, t, a, b, d] = opToCompact(o);
    m.op(c, t, a, b, d);
  }
  return m;
}
