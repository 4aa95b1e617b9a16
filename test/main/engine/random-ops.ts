/** Random valid op streams (every op legal for model.md) for property tests. */
import type { Op } from '../../../shared/ops';
import { Rng } from '../../../main/engine/rng';

export function randomOps(seed: number, count: number, P = 4): Op[] {
  const r = new Rng(seed);
  const ops: Op[] = [{ t: 0, op: 'pcpus', n: P }];
  const online = Array(P).fill(true);
  const live: [number, number][] = [];
  let nextVcpu = 0;
  let t = 0;
  const onlineP = () => {
    const c = online.map((o, i) => (o ? i : -1)).filter((i) => i >= 0);
    return c[r.below(c.length)];
  };
  while (ops.length < count) {
    t += r.below(3) === 0 ? 0 : 1 + r.below(5);
    const x = r.float();
    if (live.length === 0 || x < 0.06) {
      const dom = 1 + r.below(3);
      const v: [number, number] = [dom, nextVcpu++];
      live.push(v);
      ops.push({ t, op: 'vcpu_create', dom, vcpu: v[1], pi: r.float() < 0.85 });
      continue;
    }
    const [dom, vcpu] = live[r.below(live.length)];
    if (x < 0.08) {
      live.splice(
        live.findIndex((l) => l[0] === dom && l[1] === vcpu),
        1,
      );
      ops.push({ t, op: 'vcpu_destroy', dom, vcpu });
    } else if (x < 0.4) ops.push({ t, op: 'block', dom, vcpu, pcpu: onlineP() });
    else if (x < 0.6) ops.push({ t, op: 'post', dom, vcpu });
    else if (x < 0.7) ops.push({ t, op: 'wake', dom, vcpu });
    else if (x < 0.97) ops.push({ t, op: 'run', dom, vcpu, pcpu: onlineP() });
    else {
      const p = r.below(P);
      if (online[p] && online.filter(Boolean).length > 1) {
        online[p] = false;
        ops.push({ t, op: 'pcpu_offline', pcpu: p });
      } else if (!online[p]) {
        online[p] = true;
        ops.push({ t, op: 'pcpu_online', pcpu: p });
      }
    }
  }
  return ops;
}
