import { describe, expect, it } from 'vitest'
import { LogHistogram } from '../engine/core/histogram.ts'
import { bucketUpper, latencyCdf, NO_SAMPLES, percentileText, quantileNs, tailFloor, type Latency } from './latencyCdf.ts'

/** A latency summary as the engine builds it, from raw samples. */
function summaryOf(samples: number[]): Latency {
  const h = new LogHistogram()
  for (const s of samples) h.add(s)
  return { count: h.count, p50Ns: h.quantile(0.5), p90Ns: h.quantile(0.9), p99Ns: h.quantile(0.99), p999Ns: h.quantile(0.999), buckets: h.buckets() }
}

// 5 µs floor plus an exponential tail (mean 20 µs), by inverse CDF: deterministic, no RNG
const N = 100_000
const samples = Array.from({ length: N }, (_, i) => 5000 - 20_000 * Math.log(1 - (i + 0.5) / N))
const trueQuantile = (q: number) => samples[Math.max(1, Math.ceil(q * N)) - 1]!

describe('latency CDF', () => {
  const lat = summaryOf(samples)
  const cdf = latencyCdf(lat)

  it('is monotone in time and fraction, starts at 0 and ends at exactly 1', () => {
    if (cdf.empty) throw new Error('expected samples')
    expect(cdf.count).toBe(N)
    expect(cdf.points[0]!.f).toBe(0)
    expect(cdf.points.at(-1)!.f).toBe(1)
    for (let i = 1; i < cdf.points.length; i++) {
      expect(cdf.points[i]!.ns).toBeGreaterThanOrEqual(cdf.points[i - 1]!.ns)
      expect(cdf.points[i]!.f).toBeGreaterThanOrEqual(cdf.points[i - 1]!.f)
    }
  })

  it('reads quantiles back within ±3.2 % of the true values, exactly as the engine does', () => {
    for (const q of [0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 1]) {
      const got = quantileNs(lat, q)
      expect(Math.abs(got / trueQuantile(q) - 1), `q=${q}`).toBeLessThanOrEqual(0.032)
    }
    expect(quantileNs(lat, 0.5)).toBe(lat.p50Ns)
    expect(quantileNs(lat, 0.99)).toBe(lat.p99Ns)
    expect(quantileNs(lat, 0.999)).toBe(lat.p999Ns)
  })

  it('puts a quantile where the curve crosses it, within the bucket', () => {
    if (cdf.empty) throw new Error('expected samples')
    for (const q of [0.5, 0.99, 0.999]) {
      const i = cdf.points.findIndex((p) => p.f >= q)
      expect(Math.abs(cdf.points[i]!.ns / quantileNs(lat, q) - 1)).toBeLessThanOrEqual(0.032)
    }
  })

  it('is piecewise linear in a bucket and flat across empty ones', () => {
    const two: Latency = { count: 4, p50Ns: 0, p90Ns: 0, p99Ns: 0, p999Ns: 0, buckets: [[1024, 1], [4096, 3]] }
    const c = latencyCdf(two)
    if (c.empty) throw new Error('expected samples')
    expect(c.points).toEqual([{ ns: 1024, f: 0 }, { ns: 1088, f: 0.25 }, { ns: 4096, f: 0.25 }, { ns: 4352, f: 1 }])
  })

  it('knows bucket edges at and between powers of two', () => {
    expect(bucketUpper(1)).toBe(1.0625)
    expect(bucketUpper(1024)).toBe(1088)
    expect(bucketUpper(1984)).toBe(2048)
    for (let b = 0; b < 400; b++) expect(bucketUpper(LogHistogram.lower(b))).toBe(LogHistogram.lower(b + 1))
  })

  it('says so when there are no samples', () => {
    const none: Latency = { count: 0, p50Ns: NaN, p90Ns: NaN, p99Ns: NaN, p999Ns: NaN, buckets: [] }
    expect(latencyCdf(none)).toEqual({ empty: true, message: NO_SAMPLES })
    expect(latencyCdf(undefined)).toEqual({ empty: true, message: 'no latency samples' })
    expect(quantileNs(none, 0.5)).toBeNaN()
  })

  it('keeps p99.9 on the tail plot however few samples there are', () => {
    expect(tailFloor(10)).toBe(1e-3)
    expect(tailFloor(1000)).toBe(1e-3)
    expect(tailFloor(50_000)).toBe(1e-5)
  })
})

describe('percentile text', () => {
  it('names each percentile with its unit, and the sample count', () => {
    const lat: Latency = { count: 12345, p50Ns: 12_300, p90Ns: 20_000, p99Ns: 40_100, p999Ns: 1_250_000, buckets: [[12_288, 12345]] }
    expect(percentileText(lat)).toBe('p50 12.3 µs, p99 40.1 µs, p99.9 1.25 ms (12,345 packets)')
    expect(percentileText(undefined)).toBe('no latency samples')
  })
})
