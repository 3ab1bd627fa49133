// Number and time formatting with units. Times are ns of simulated time.

export type TimeUnit = 'ns' | 'µs' | 'ms' | 's'
const UNIT_NS: Record<TimeUnit, number> = { ns: 1, µs: 1e3, ms: 1e6, s: 1e9 }

/** The unit a span of `spanNs` reads best in. */
export function unitFor(spanNs: number): TimeUnit {
  const a = Math.abs(spanNs)
  if (a >= 1e9) return 's'
  if (a >= 1e6) return 'ms'
  if (a >= 1e3) return 'µs'
  return 'ns'
}

/** 3 significant digits, unit picked from the value: "12.5 ms", "340 µs", "0 ns". */
export function fmtTime(ns: number, unit: TimeUnit = unitFor(ns)): string {
  if (!Number.isFinite(ns)) return '–'
  const v = ns / UNIT_NS[unit]
  return `${fmtSig(v)} ${unit}`
}

/** A time in a fixed unit with a fixed number of decimals (axis ticks). */
export function fmtTimeFixed(ns: number, unit: TimeUnit, decimals: number): string {
  return `${(ns / UNIT_NS[unit]).toFixed(Math.max(0, Math.min(9, decimals)))} ${unit}`
}

/** Decimals a tick step needs in `unit`. */
export function decimalsForStep(stepNs: number, unit: TimeUnit): number {
  const s = stepNs / UNIT_NS[unit]
  return s >= 1 ? 0 : Math.ceil(-Math.log10(s) - 1e-9)
}

/** `toLocaleString('en-US')` of a number, through one formatter (the call builds a new one each time: ~15× slower) */
const EN_US = new Intl.NumberFormat('en-US')

export function fmtSig(v: number, sig = 3): string {
  if (v === 0) return '0'
  const a = Math.abs(v)
  if (a >= 10 ** sig) return EN_US.format(Math.round(v))
  const d = Math.max(0, sig - 1 - Math.floor(Math.log10(a)))
  return v.toFixed(Math.min(d, 6)).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')
}

/** Integer with thousands separators. */
export const fmtInt = (v: number): string => EN_US.format(Math.round(v))

export const fmtPct = (v: number): string => `${v >= 10 || v === 0 ? v.toFixed(0) : v.toFixed(1)} %`

/** A sorted copy (Array#toSorted is ES2023; the app targets ES2022 libs). */
export function sortedCopy<T>(items: readonly T[], cmp: (a: T, b: T) => number): T[] {
  const copy = items.slice()
  // oxlint-disable-next-line unicorn/no-array-sort -- sorting a fresh copy
  copy.sort(cmp)
  return copy
}
