/**
 * Names and payload layouts of the event ids a Xen 4.17 dump holds (trace.h, sched/core.c,
 * credit2.c, hvm/trace.h), plus the user's mapping for ids of private builds (e.g. the PI
 * blocking-list events of the unmerged 2017 series, whose ids were never in trace.h).
 * Unknown ids are not an error: they are counted and shown as `unknown`.
 */
import { RUNSTATE_NAMES, isRunstateChange } from './format';
import { PI_RECORD_NAMES } from './pi-records';
// Types only: the zod schemas live in user-ids.ts, loaded only when a mapping is parsed.
import type { FieldRef, UserIdMapping } from './user-ids';

export type { FieldRef, UserIdMapping, UserIdMappingInput } from './user-ids';

export interface EventDef {
  name: string;
  /** One name per extra word; `dom:vcpu` marks the packed (vcpu low 16, domain high 16) word. */
  fields: string[];
}

const SCHED_CLASS_NAMES = ['credit', 'credit2', '?', 'arinc653', 'rtds', 'null'];
const CREDIT2_EVENTS: Record<number, string> = {
  1: 'tick',
  2: 'runq_pos',
  3: 'credit_burn',
  4: 'credit_add',
  5: 'tickle_check',
  6: 'tickle',
  7: 'credit_reset',
  8: 'sched_tasklet',
  9: 'update_load',
  10: 'runq_assign',
  11: 'update_unit_load',
  12: 'update_runq_load',
  13: 'tickle_new',
  14: 'runq_max_weight',
  15: 'migrate',
  16: 'load_check',
  17: 'load_balance',
  19: 'picked_cpu',
  20: 'runq_candidate',
  21: 'schedule',
  22: 'ratelimit',
  23: 'runq_cand_check',
};

const d = (name: string, ...fields: string[]): EventDef => ({ name, fields });

export const EVENT_TABLE: ReadonlyMap<number, EventDef> = new Map<number, EventDef>([
  [0x0001f001, d('lost_records', 'count', 'did:vid', 'first_tsc_lo', 'first_tsc_hi')],
  [0x0001f002, d('wrap_buffer')],
  [0x0001f003, d('cpu_change', 'cpu', 'window_size')],
  [0x0001f004, d('trace_irq', 'vector', 'tsc_lo', 'tsc_hi', 'irq')],
  [0x00021002, d('continue_running', 'dom:vcpu')],
  [0x00028001, d('dom_add', 'dom')],
  [0x00028002, d('dom_rem', 'dom')],
  [0x00028003, d('sleep', 'dom', 'vcpu')],
  [0x00028004, d('wake', 'dom', 'vcpu')],
  [0x00028005, d('yield', 'dom', 'vcpu')],
  [0x00028006, d('block', 'dom', 'vcpu')],
  [0x00028007, d('shutdown', 'dom', 'vcpu', 'reason')],
  [0x00028008, d('ctl')],
  [0x00028009, d('adjdom', 'dom')],
  [0x0002800a, d('switch', 'prev_dom', 'prev_unit', 'next_dom', 'next_unit')],
  [0x0002800b, d('s_timer_fn')],
  [0x0002800c, d('t_timer_fn')],
  [0x0002800d, d('dom_timer_fn')],
  [0x0002800e, d('switch_infprev', 'dom', 'unit', 'ran_ns')],
  [0x0002800f, d('switch_infnext', 'dom', 'unit', 'waited_ns', 'slice_ns')],
  [0x00028010, d('shutdown_code', 'dom', 'vcpu', 'reason')],
  [0x00028011, d('switch_infcont', 'dom', 'unit', 'running_ns', 'slice_ns')],
  [0x00041001, d('dom0_dom_add', 'dom')],
  [0x00041002, d('dom0_dom_rem', 'dom')],
  [0x00081001, d('vmentry')],
  [0x00081002, d('vmexit', 'reason', 'rip')],
  [0x00081102, d('vmexit64', 'reason', 'rip_lo', 'rip_hi')],
  [0x00082001, d('pf_xen', 'error', 'va')],
  [0x00082101, d('pf_xen64', 'error', 'va_lo', 'va_hi')],
  [0x00082002, d('pf_inject', 'error', 'va')],
  [0x00082102, d('pf_inject64', 'error', 'va_lo', 'va_hi')],
  [0x00082003, d('inj_exc', 'vector', 'error')],
  [0x00082004, d('inj_virq', 'vector', 'fake')],
  [0x00082005, d('reinj_virq', 'vector')],
  [0x00082006, d('io_read', 'port', 'size')],
  [0x00082007, d('io_write', 'port', 'size')],
  [0x00082008, d('cr_read', 'cr', 'value')],
  [0x00082108, d('cr_read64', 'cr', 'value_lo', 'value_hi')],
  [0x00082009, d('cr_write', 'cr', 'value')],
  [0x00082109, d('cr_write64', 'cr', 'value_lo', 'value_hi')],
  [0x0008200a, d('dr_read')],
  [0x0008200b, d('dr_write')],
  [0x0008200c, d('msr_read', 'msr', 'value_lo', 'value_hi')],
  [0x0008200d, d('msr_write', 'msr', 'value_lo', 'value_hi')],
  [0x0008200e, d('cpuid', 'leaf', 'eax', 'ebx', 'ecx', 'edx')],
  [0x0008200f, d('intr', 'vector')],
  [0x00082010, d('nmi')],
  [0x00082011, d('smi')],
  [0x00082012, d('vmmcall', 'func')],
  [0x00082013, d('hlt', 'pending')],
  [0x00082014, d('invlpg', 'invlpga', 'va')],
  [0x00082114, d('invlpg64', 'invlpga', 'va_lo', 'va_hi')],
  [0x00082015, d('mce')],
  [0x00082016, d('ioport_read', 'port', 'size', 'data')],
  [0x00082216, d('ioport_write', 'port', 'size', 'data')],
  [0x00082017, d('mmio_read', 'addr', 'size', 'data')],
  [0x00082217, d('mmio_write', 'addr', 'size', 'data')],
  [0x00082018, d('clts')],
  [0x00082019, d('lmsw', 'value')],
  [0x00082119, d('lmsw64', 'value_lo', 'value_hi')],
  [0x0008201a, d('rdtsc', 'tsc_lo', 'tsc_hi')],
  [0x00082020, d('intr_window', 'vector', 'source', 'intr')],
  [0x00082021, d('npf', 'gpa_lo', 'gpa_hi', 'mfn_lo', 'mfn_hi', 'qualification', 'p2mt')],
  [0x00082022, d('realmode_emulate')],
  [0x00082023, d('trap', 'vector')],
  [0x00082024, d('trap_debug', 'exit_qualification')],
  [0x00082025, d('vlapic')],
  [0x00084001, d('emul_hpet_start_timer')],
  [0x00084002, d('emul_pit_start_timer')],
  [0x00084003, d('emul_rtc_start_timer')],
  [0x00084004, d('emul_lapic_start_timer')],
  [0x00084005, d('emul_hpet_stop_timer')],
  [0x00084006, d('emul_pit_stop_timer')],
  [0x00084007, d('emul_rtc_stop_timer')],
  [0x00084008, d('emul_lapic_stop_timer')],
  [0x00084009, d('emul_pit_timer_cb')],
  [0x0008400a, d('emul_lapic_timer_cb')],
  [0x0008400b, d('emul_pic_int_output')],
  [0x0008400c, d('emul_pic_kick')],
  [0x0008400d, d('emul_pic_intack')],
  [0x0008400e, d('emul_pic_posedge')],
  [0x0008400f, d('emul_pic_negedge')],
  [0x00084010, d('emul_pic_pend_irq_call')],
  [0x00084011, d('emul_lapic_pic_intr')],
  [0x00201001, d('pv_hypercall')],
  [0x00201002, d('pv_trap')],
  [0x00201003, d('pv_page_fault')],
  [0x00201004, d('pv_forced_invalid_op')],
  [0x00201005, d('pv_emulate_privop')],
  [0x00201006, d('pv_emulate_4gb')],
  [0x00201007, d('pv_math_state_restore')],
  [0x00201008, d('pv_paging_fixup')],
  [0x00201009, d('pv_gdt_ldt_mapping_fault')],
  [0x0020100a, d('pv_ptwr_emulation')],
  [0x0020100b, d('pv_ptwr_emulation_pae')],
  [0x0020100c, d('pv_hypercall_v2_old')],
  [0x0020100d, d('pv_hypercall_v2', 'op_and_flags')],
  [0x00201103, d('pv_page_fault64')],
  [0x00201104, d('pv_page_fault64', 'eip_lo', 'eip_hi', 'addr_lo', 'addr_hi', 'error')],
  [0x00201106, d('pv_emulate_privop64', 'eip_lo', 'eip_hi')],
  [0x0020110b, d('pv_ptwr_emulation64')],
  [0x0020200e, d('pv_hypercall_subcall', 'op_and_flags')],
  [0x00801001, d('hw_pm_freq_change', 'old', 'new')],
  [0x00801002, d('hw_pm_idle_entry', 'cstate', 'tsc')],
  [0x00801003, d('hw_pm_idle_exit', 'cstate', 'tsc')],
  [0x00802001, d('hw_irq_move_cleanup_delay')],
  [0x00802002, d('hw_irq_move_cleanup')],
  [0x00802003, d('hw_irq_bind_vector')],
  [0x00802004, d('hw_irq_clear_vector')],
  [0x00802005, d('hw_irq_move_finish')],
  [0x00802006, d('hw_irq_assign_vector')],
  [0x00802007, d('hw_irq_unmapped_vector')],
  [0x00802008, d('hw_irq_handled', 'irq', 'tsc_in', 'tsc_out')],
  ...PI_RECORD_NAMES.map(([id, name, fields]): [number, EventDef] => [id, d(name, ...fields)]),
]);

/** The known definition of an id, or a generated one (runstates, credit2, unknown). */
export function describeEvent(id: number, user?: ReadonlyMap<number, UserIdMapping>): EventDef {
  const u = user?.get(id);
  if (u) return { name: u.name ?? u.kind, fields: userFields(u) };
  const known = EVENT_TABLE.get(id);
  if (known) return known;
  if (isRunstateChange(id)) {
    const from = RUNSTATE_NAMES[(id >> 8) & 3];
    const to = RUNSTATE_NAMES[(id >> 4) & 3];
    return { name: `runstate_change:${from}->${to}`, fields: ['dom:vcpu'] };
  }
  if ((id & 0x0ffff000) === 0x00022000) {
    const sched = SCHED_CLASS_NAMES[(id >> 9) & 7] ?? 'sched';
    const n = id & 0x1ff;
    return {
      name: `${sched}:${(sched === 'credit2' && CREDIT2_EVENTS[n]) || `event${n}`}`,
      fields: [],
    };
  }
  return { name: 'unknown', fields: [] };
}

export const classOf = (id: number): string => {
  const main = (id >>> 16) & 0xfff;
  const names: Record<number, string> = {
    1: 'gen',
    2: 'sched',
    4: 'dom0op',
    8: 'hvm',
    0x10: 'mem',
    0x20: 'pv',
    0x40: 'shadow',
    0x80: 'hw',
    0x800: 'guest',
  };
  return names[main] ?? 'unknown';
};

export function userFields(u: UserIdMapping): string[] {
  const out: string[] = [];
  for (const [k, f] of [
    ['dom', u.dom],
    ['vcpu', u.vcpu],
    ['pcpu', u.pcpu],
  ] as const) {
    if (f) out[f.word - 1] = out[f.word - 1] ? `${out[f.word - 1]}|${k}` : k;
  }
  return Array.from(out, (x) => x ?? '');
}

/** Cuts a field out of a payload (`words[0]` is d1). */
export function readField(words: ArrayLike<number>, f: FieldRef): number {
  const w = words[f.word - 1] ?? 0;
  const v = f.shift ? w >>> f.shift : w >>> 0;
  return f.bits >= 32 ? v >>> 0 : v & ((1 << f.bits) - 1);
}
