/**
 * The one operation vocabulary of the lab (../shared/docs/model.md, "Operations").
 * Produced by the stochastic workload generator, workload scripts and xentrace reconstruction;
 * consumed by the host model (main/engine). `t` is virtual time in nanoseconds.
 */
export type Op =
  | { t: number; op: 'pcpus'; n: number }
  | { t: number; op: 'vcpu_create'; dom: number; vcpu: number; pi: boolean }
  | { t: number; op: 'vcpu_destroy'; dom: number; vcpu: number }
  | { t: number; op: 'block'; dom: number; vcpu: number; pcpu: number }
  | { t: number; op: 'post'; dom: number; vcpu: number }
  | { t: number; op: 'wake'; dom: number; vcpu: number }
  | { t: number; op: 'run'; dom: number; vcpu: number; pcpu: number }
  | { t: number; op: 'pcpu_offline'; pcpu: number }
  | { t: number; op: 'pcpu_online'; pcpu: number };

export type OpName = Op['op'];

export const OP_NAMES = [
  'pcpus',
  'vcpu_create',
  'vcpu_destroy',
  'block',
  'post',
  'wake',
  'run',
  'pcpu_offline',
  'pcpu_online',
] as const satisfies readonly OpName[];

/** Numeric op codes, index into OP_NAMES; used by compact (typed-array) op streams. */
export const OpCode = {
  pcpus: 0,
  vcpu_create: 1,
  vcpu_destroy: 2,
  block: 3,
  post: 4,
  wake: 5,
  run: 6,
  pcpu_offline: 7,
  pcpu_online: 8,
} as const satisfies Record<OpName, number>;
export type OpCode = (typeof OpCode)[OpName];

/**
 * Receiver of operations in their compact numeric form, so producers at 4M-vCPU scale do not
 * allocate an object per operation. Field meaning per code:
 *   pcpus: a = n; vcpu_create: a = dom, b = vcpu, c = pi ? 1 : 0; block/run: a = dom, b = vcpu,
 *   c = pcpu; vcpu_destroy/post/wake: a = dom, b = vcpu; pcpu_offline/online: a = pcpu.
 */
export interface OpSink {
  op(code: OpCode, t: number, a: number, b: number, c: number): void;
}

export function opToCompact(o: Op): [OpCode, number, number, number, number] {
  switch (o.op) {
    case 'pcpus':
      return [OpCode.pcpus, o.t, o.n, 0, 0];
    case 'vcpu_create':
      return [OpCode.vcpu_create, o.t, o.dom, o.vcpu, o.pi ? 1 : 0];
    case 'vcpu_destroy':
    case 'post':
    case 'wake':
      return [OpCode[o.op], o.t, o.dom, o.vcpu, 0];
    case 'block':
    case 'run':
      return [OpCode[o.op], o.t, o.dom, o.vcpu, o.pcpu];
    case 'pcpu_offline':
    case 'pcpu_online':
      return [OpCode[o.op], o.t, o.pcpu, 0, 0];
  }
}

export function compactToOp(code: OpCode, t: number, a: number, b: number, c: number): Op {
  switch (code) {
    case OpCode.pcpus:
      return { t, op: 'pcpus', n: a };
    case OpCode.vcpu_create:
      return { t, op: 'vcpu_create', dom: a, vcpu: b, pi: c !== 0 };
    case OpCode.vcpu_destroy:
      return { t, op: 'vcpu_destroy', dom: a, vcpu: b };
    case OpCode.block:
      return { t, op: 'block', dom: a, vcpu: b, pcpu: c };
    case OpCode.post:
      return { t, op: 'post', dom: a, vcpu: b };
    case OpCode.wake:
      return { t, op: 'wake', dom: a, vcpu: b };
    case OpCode.run:
      return { t, op: 'run', dom: a, vcpu: b, pcpu: c };
    case OpCode.pcpu_offline:
      return { t, op: 'pcpu_offline', pcpu: a };
    case OpCode.pcpu_online:
      return { t, op: 'pcpu_online', pcpu: a };
    default:
      throw new Error(`unknown op code ${String(code)}`);
  }
}
