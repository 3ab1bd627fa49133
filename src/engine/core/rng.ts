// Seeded PRNG (mulberry32): same seed → same sequence in Node and every browser.
// A class, not a closure: its small next() is inlined at the call sites, so the double it
// returns is not boxed on the heap (millions of arrival draws per simulated second).
export class Rng {
  private a: number

  constructor(seed: number) {
    this.a = seed >>> 0
  }

  /** the next number in [0, 1) */
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0
    let t = this.a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function mulberry32(seed: number): Rng {
  return new Rng(seed)
}
