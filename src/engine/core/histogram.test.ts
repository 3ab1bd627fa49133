import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { LogHistogram } from './histogram.ts'

describe('log-bucketed latency histogram', () => {
  it('reads any percentile within ±3.2% of the exact one (property)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 2, max: 1e9 }), { minLength: 1, maxLength: 300 }), fc.constantFrom(0.5, 0.9, 0.99, 0.999), (xs, q) => {
      const h = new LogHistogram()
      for (const x of xs) h.add(x)
      const sorted = xs.toSorted((a, b) => a - b)
      const exact = sorted[Math.max(0, Math.ceil(q * xs.length) - 1)]!
      const got = h.quantile(q)
      expect(Math.abs(got / exact - 1)).toBeLessThanOrEqual(0.032)
    }), { numRuns: 300 })
  })
  it('keeps every sample, in fixed memory', () => {
    const h = new LogHistogram()
    for (let i = 1; i <= 100_000; i++) h.add(i * 37)
    expect(h.count).toBe(100_000)
    expect(h.buckets().reduce((a, [, c]) => a + c, 0)).toBe(100_000)
    expect(h.counts.length).toBe(64 * 16)
    expect(new LogHistogram().quantile(0.5)).toBeNaN()
  })
})
