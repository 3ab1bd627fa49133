// A log-bucketed histogram for latencies: 16 buckets per power of two, so each bucket is 4.4%
// wide and a percentile read at its geometric middle is within ±2.2% of the true value. Memory is
// fixed (64 octaves × 16), whatever the number of samples.
export const BUCKETS_PER_OCTAVE = 16
const N = 64 * BUCKETS_PER_OCTAVE

export class LogHistogram {
  readonly counts = new Float64Array(N)
  count = 0

  add(ns: number): void {
    const b = ns <= 1 ? 0 : Math.min(N - 1, Math.floor(Math.log2(ns) * BUCKETS_PER_OCTAVE))
    this.counts[b]!++
    this.count++
  }

  /** lower edge of bucket b, ns */
  static lower(b: number): number {
    return Math.pow(2, b / BUCKETS_PER_OCTAVE)
  }

  /** the q-quantile (0..1), ns, at the geometric middle of its bucket; NaN when empty */
  quantile(q: number): number {
    if (this.count === 0) return NaN
    const target = Math.max(1, Math.ceil(q * this.count))
    let seen = 0
    for (let b = 0; b < N; b++) {
      seen += this.counts[b]!
      if (seen >= target) return Math.pow(2, (b + 0.5) / BUCKETS_PER_OCTAVE)
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
