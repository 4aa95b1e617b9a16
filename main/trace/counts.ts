/**
 * Counts records per event id in an open-addressing table of typed arrays: a Map costs several
 * times more per record, and an import counts tens of millions of records.
 */
export class EventCounter {
  private keys = new Int32Array(1024).fill(-1);
  private counts = new Float64Array(1024);
  private size = 0;

  add(id: number, by = 1): void {
    const mask = this.keys.length - 1;
    let h = Math.imul(id ^ (id >>> 15), 0x2c1b3c6d);
    h = (h ^ (h >>> 12)) & mask;
    for (;;) {
      const k = this.keys[h];
      if (k === id) {
        this.counts[h] += by;
        return;
      }
      if (k === -1) break;
      h = (h + 1) & mask;
    }
    this.keys[h] = id;
    this.counts[h] = by;
    if (++this.size * 2 > this.keys.length) this.grow();
  }

  entries(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.keys.length; i++)
      if (this.keys[i] !== -1) out.push([this.keys[i], this.counts[i]]);
    return out.sort((a, b) => a[0] - b[0]);
  }

  private grow(): void {
    const old = this.entries();
    this.keys = new Int32Array(this.keys.length * 2).fill(-1);
    this.counts = new Float64Array(this.keys.length);
    this.size = 0;
    for (const [k, c] of old) this.add(k, c);
  }
}

export const hexId = (id: number): string => `0x${(id >>> 0).toString(16).padStart(8, '0')}`;
