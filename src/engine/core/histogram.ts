// A log-linear histogram for latencies (HDR style): per power of two, 16 equal sub-buckets, so a
// bucket is at most 6.25% of its value wide and a percentile read at its middle is within ±3.2% of
// the true value. Buckets come from the float's exponent and top mantissa bits and their edges from
// exact arithmetic, so Node and every browser give bit-identical results. Memory is fixed.
export const BUCKETS_PER_OCTAVE = 16
const OCTAVES = 64
const N = OCTAVES * BUCKETS_PER_OCTAVE
/** 2^e, exact */
const POW2 = (() => {
  const p = new Float64Array(OCTAVES)
  p[0] = 1
  for (let e = 1; e < OCTAVES; e++) p[e] = p[e - 1]! * 2
  return p
})()
const f64 = new Float64Array(1)
const u32 = new Uint32Array(f64.buffer)
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0 // little-endian: the high word is [1]

function bucketOf(ns: number): number {
  if (!(ns >= 1)) return 0
  f64[0] = ns
  const hi = u32[HI]!
  const e = ((hi >>> 20) & 0x7ff) - 1023
  if (e >= OCTAVES) return N - 1
  return e * BUCKETS_PER_OCTAVE + ((hi >>> 16) & 0xf)
}

export class LogHistogram {
  readonly counts = new Float64Array(N)
  count = 0

  add(ns: number): void {
    this.counts[bucketOf(ns)]!++
    this.count++
  }

  /** lower edge of bucket b, ns */
  static lower(b: number): number {
    const e = Math.floor(b / BUCKETS_PER_OCTAVE)
    return (POW2[e]! * (BUCKETS_PER_OCTAVE + (b % BUCKETS_PER_OCTAVE))) / BUCKETS_PER_OCTAVE
  }

  /** the q-quantile (0..1), ns, at the middle of its bucket; NaN when empty */
  quantile(q: number): number {
    if (this.count === 0) return NaN
    const target = Math.max(1, Math.ceil(q * this.count))
    let seen = 0
    for (let b = 0; b < N; b++) {
      seen += this.counts[b]!
      if (seen >= target) return (LogHistogram.lower(b) + LogHistogram.lower(b + 1)) / 2
    }
    return NaN
  }

  /** the non-empty buckets: [lower edge ns, count] */
  buckets(): Array<[number, number]> {
    const out: Array<[number, number]> = []
    for (let b = 0; b < N; b++) if (this.counts[b]) out.push([LogHistogram.lower(b), this.counts[b]!])
    return out
  }
}
