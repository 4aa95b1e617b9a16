/**
 * The lab's own xentrace records for the VT-d PI blocking lists (docs/trace-import.md, "PI list
 * records"). Xen has no such events; the seed series added some, with ids that were never in
 * public/trace.h. The lab's ids sit in class TRC_HW (0x0080f000, so `xentrace -e all` or
 * `-e 0x0080f000` enables them) under subclass 0xe: Xen 4.17 defines only subclasses 1 (TRC_HW_PM)
 * and 2 (TRC_HW_IRQ) there, and xenalyze accepts unknown TRC_HW ids silently (an unknown class
 * is FATAL for it, an HVM-class id on the idle vCPU a warning). The export writes them by
 * default; the import recognises them by default.
 */

export const PI_SUBCLASS = 0x0080e000;
/** d1 dom, d2 vCPU, d3 list pCPU, d4 list length after the add. */
export const PI_LIST_ADD = PI_SUBCLASS + 1;
/** d1 dom, d2 vCPU, d3 list pCPU, d4 list length after the delete. */
export const PI_LIST_DEL = PI_SUBCLASS + 2;
/** d1 list pCPU, d2 entries walked (list length at the interrupt), d3 ON entries removed. The
 *  removed entries follow as PI_LIST_DEL records of that list. */
export const PI_WAKEUP = PI_SUBCLASS + 3;
/** d1 dom, d2 flags (bit 0 HVM, bit 1 PI: an assigned device): written when the domain
 *  is created, next to Xen's TRC_SCHED_DOM_ADD, so domains whose vCPUs never run still count. */
export const PI_DOMAIN = PI_SUBCLASS + 4;
/** d1 dom, d2 vCPU: one vCPU removed while its domain lives on (Xen itself cannot do that;
 *  lab scripts can). A domain's last vCPU is written as TRC_SCHED_DOM_REM instead. */
export const PI_VCPU_GONE = PI_SUBCLASS + 5;

export const DOMAIN_HVM = 1;
export const DOMAIN_PI = 2;

export const PI_RECORD_NAMES: [number, string, string[]][] = [
  [PI_LIST_ADD, 'lab_pi_list_add', ['dom', 'vcpu', 'pcpu', 'length']],
  [PI_LIST_DEL, 'lab_pi_list_del', ['dom', 'vcpu', 'pcpu', 'length']],
  [PI_WAKEUP, 'lab_pi_wakeup', ['pcpu', 'walked', 'cleared']],
  [PI_DOMAIN, 'lab_domain', ['dom', 'flags']],
  [PI_VCPU_GONE, 'lab_vcpu_gone', ['dom', 'vcpu']],
];

export const isPiRecord = (id: number): boolean => id > PI_SUBCLASS && id <= PI_VCPU_GONE;

/** What the PI list records of a dump say, counted from the records alone (exact). */
export interface PiRecordLists {
  adds: number;
  deletes: number;
  wakeupInterrupts: number;
  /** Sum of the walk lengths the wakeup records give. */
  walked: number;
  /** ON entries the wakeup interrupts removed. */
  cleared: number;
  maxListLength: number;
  /** Largest `length after` each list pCPU reported. */
  perPcpu: { pcpu: number; maxLength: number }[];
  /** Domains named by PI list records or lab domain records with the PI flag. */
  piDomains: number[];
  /** Domains the lab domain records say are HVM. */
  hvmDomains: number[];
}

/** Counts the lab's records as they arrive (merged order). */
export class PiRecordCounter {
  adds = 0;
  deletes = 0;
  wakeups = 0;
  walked = 0;
  cleared = 0;
  private max: number[] = [];
  /** 1: the domain (a list record's) is in `pi` and `hvm` already. */
  private readonly listed = new Uint8Array(65536);
  readonly pi = new Set<number>();
  readonly hvm = new Set<number>();

  get seen(): boolean {
    return this.adds + this.deletes + this.wakeups > 0;
  }

  record(id: number, words: ArrayLike<number>, n: number): void {
    if (id === PI_LIST_ADD || id === PI_LIST_DEL) {
      if (n < 4) return;
      if (id === PI_LIST_ADD) this.adds++;
      else this.deletes++;
      // Two Set insertions per record otherwise (the sets only grow): once per domain below 65536.
      const dom = words[0];
      // (undefined past the table: those domains are added every time)
      if (this.listed[dom] !== 1) {
        this.listed[dom] = 1;
        this.pi.add(dom);
        this.hvm.add(dom);
      }
      const p = words[2];
      if (p < 65536 && words[3] > (this.max[p] ?? 0)) this.max[p] = words[3];
    } else if (id === PI_WAKEUP && n >= 3) {
      this.wakeups++;
      this.walked += words[1];
      this.cleared += words[2];
    } else if (id === PI_DOMAIN && n >= 2) {
      if (words[1] & DOMAIN_HVM) this.hvm.add(words[0]);
      if (words[1] & DOMAIN_PI) this.pi.add(words[0]);
    }
  }

  result(pcpus: number): PiRecordLists {
    const perPcpu = Array.from({ length: Math.max(pcpus, this.max.length) }, (_, pcpu) => ({
      pcpu,
      maxLength: this.max[pcpu] ?? 0,
    }));
    const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
    return {
      adds: this.adds,
      deletes: this.deletes,
      wakeupInterrupts: this.wakeups,
      walked: this.walked,
      cleared: this.cleared,
      maxListLength: perPcpu.reduce((m, p) => Math.max(m, p.maxLength), 0),
      perPcpu,
      piDomains: sorted(this.pi),
      hvmDomains: sorted(this.hvm),
    };
  }
}
