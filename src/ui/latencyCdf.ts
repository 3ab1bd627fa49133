// The CDF of a run's latency histogram (summary.latency: log-linear, 16 buckets per power of two),
// DOM-free so the chart and its tests share it. Inside a bucket the samples are taken as spread
// evenly, so the curve is piecewise linear between bucket edges and flat across empty buckets.
import type { SimResult } from '../engine/types.ts'
import { fmtInt, fmtTime } from '../timeline/format.ts'

/** summary.latency; `what` (the measured span) is optional: older engines and runs do not set it. */
export type Latency = NonNullable<SimResult['summary']['latency']> & { what?: string }

export const DEFAULT_WHAT = 'wire → read'
export const latencyWhat = (lat: Latency | undefined): string => lat?.what ?? DEFAULT_WHAT

export const NO_SAMPLES = 'no latency samples'

/** The percentiles the chart marks, with the summary field that holds each. */
export const MARKS = [
  { q: 0.5, label: 'p50', key: 'p50Ns' },
  { q: 0.99, label: 'p99', key: 'p99Ns' },
  { q: 0.999, label: 'p99.9', key: 'p999Ns' },
] as const

export interface CdfPoint { ns: number; f: number }
export type Cdf = { empty: true; message: string } | { empty: false; count: number; points: CdfPoint[] }

/** Upper edge of the bucket whose lower edge is `lower`: a bucket is 1/16 of its power of two wide. */
export function bucketUpper(lower: number): number {
  let e = Math.floor(Math.log2(lower))
  // guard log2 rounding at exact powers of two
  if (2 ** e > lower) e--
  else if (2 ** (e + 1) <= lower) e++
  return lower + 2 ** e / 16
}

/** Bucket counts → monotone CDF points, starting at 0 and ending at exactly 1. */
export function latencyCdf(lat: Latency | undefined): Cdf {
  const buckets = (lat?.buckets ?? []).filter(([lo, n]) => n > 0 && lo > 0)
  const total = buckets.reduce((a, [, n]) => a + n, 0)
  if (total === 0) return { empty: true, message: NO_SAMPLES }
  const points: CdfPoint[] = []
  let seen = 0
  for (const [lo, n] of buckets) {
    points.push({ ns: lo, f: seen / total })
    seen += n
    // the last point is 1 itself, not a sum that float rounding left a hair below it
    points.push({ ns: bucketUpper(lo), f: seen === total ? 1 : seen / total })
  }
  return { empty: false, count: total, points }
}

/**
 * The q-quantile read back from the buckets like the engine reads it (the middle of the bucket
 * holding the ceil(q·count)-th sample): within ±3.2 % of the true value. NaN when empty.
 */
export function quantileNs(lat: Latency | undefined, q: number): number {
  const buckets = (lat?.buckets ?? []).filter(([, n]) => n > 0)
  const total = buckets.reduce((a, [, n]) => a + n, 0)
  if (total === 0) return NaN
  const target = Math.max(1, Math.ceil(q * total))
  let seen = 0
  for (const [lo, n] of buckets) {
    seen += n
    if (seen >= target) return (lo + bucketUpper(lo)) / 2
  }
  return NaN
}

/** The smallest 1 − F a tail plot must show: a power of ten at or below one sample, and ≤ 0.001 so p99.9 is on it. */
export function tailFloor(count: number): number {
  // 1 / 10^k rounds to the double of the literal 1e-k; 10 ** -k can land one ulp off
  return Math.min(1e-3, 1 / 10 ** Math.ceil(Math.log10(Math.max(1, count))))
}

/** "p50 12.3 µs, p99 40.1 µs, p99.9 81 µs (12,345 packets)", or that there were none. */
export function percentileText(lat: Latency | undefined): string {
  if (!lat || lat.count === 0) return NO_SAMPLES
  return `${MARKS.map((m) => `${m.label} ${fmtTime(lat[m.key])}`).join(', ')} (${fmtInt(lat.count)} packets)`
}
