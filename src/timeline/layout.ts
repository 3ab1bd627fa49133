// Vertical layout of a timeline canvas (css px): axis, CPU lanes, optional thread lanes, counter tracks.
import type { CounterTrack, Trace } from '../engine/types.ts'
import type { Lane, TraceIndex } from './model.ts'

export const GUTTER = 172
export const AXIS_H = 26
export const LANE_H = 16
export const LANE_GAP = 3
/** lanes of a compare view (A and B stacked): both runs' CPU lanes fit one 1440×900 screen */
export const LANE_H_COMPACT = 12
export const LANE_GAP_COMPACT = 1
export const SECTION_H = 18
export const COUNTER_H = 40
export const COUNTER_GAP = 6
export const FONT = '11px "DejaVu Sans", sans-serif'
export const FONT_SMALL = '10px "DejaVu Sans", sans-serif'
export const FONT_BOLD = 'bold 11px "DejaVu Sans", sans-serif'

export interface LaneBox { lane: Lane; y: number; h: number }
/**
 * A counter track. `ref` is run A's track of the same name when A's counters are drawn in B's canvas
 * (compare view); `max` is the scale, shared by A and B (Perfetto: one y scale per counter track).
 */
export interface CounterBox { track: CounterTrack; ref: CounterTrack | null; y: number; h: number; max: number }
export interface Layout {
  width: number
  height: number
  plotX: number
  plotW: number
  lanes: LaneBox[]
  sections: { label: string; y: number }[]
  counters: CounterBox[]
  /** y range of the lane block (for selection / markers) */
  lanesTop: number
  lanesBottom: number
}

const counterMax = new WeakMap<CounterTrack, number>()
/** Scale counters to their whole-run maximum so panning does not rescale them. */
function maxOf(c: CounterTrack): number {
  let m = counterMax.get(c)
  if (m === undefined) {
    m = 0
    for (let i = 0; i < c.v.length; i++) if (c.v[i]! > m) m = c.v[i]!
    counterMax.set(c, m)
  }
  return m
}

export interface LayoutOptions {
  /** shorter lanes (compare view) */
  compact?: boolean
  /** false: no counter tracks in this canvas (hidden, or drawn in the other run's canvas) */
  counters?: boolean
  /** run A's counters: drawn in this canvas beside B's, by name, on one scale per counter */
  overlay?: readonly CounterTrack[] | null
  /** the other run's counters when each run draws its own (SVG export): scales shared by name */
  scaleWith?: readonly CounterTrack[] | null
  /** derived counter tracks after the run's own (softnet_stat per CPU: softnet.ts) */
  extra?: readonly CounterTrack[]
}

export function computeLayout(width: number, trace: Pick<Trace, 'counters'>, index: TraceIndex, threadLanes: boolean, opts: LayoutOptions = {}): Layout {
  const lanes: LaneBox[] = []
  const sections: Layout['sections'] = []
  const lh = opts.compact ? LANE_H_COMPACT : LANE_H
  const gap = opts.compact ? LANE_GAP_COMPACT : LANE_GAP
  let y = AXIS_H + 4
  const lanesTop = y
  sections.push({ label: 'CPUs', y })
  y += SECTION_H
  for (const lane of index.cpuLanes) { lanes.push({ lane, y, h: lh }); y += lh + gap }
  if (threadLanes && index.actorLanes.length) {
    y += 4
    sections.push({ label: 'Threads and IRQs', y })
    y += SECTION_H
    for (const lane of index.actorLanes) { lanes.push({ lane, y, h: lh }); y += lh + gap }
  }
  const lanesBottom = y
  const counters: CounterBox[] = []
  const pairs = opts.counters === false ? [] : counterPairs(opts.extra?.length ? [...trace.counters, ...opts.extra] : trace.counters, opts.overlay ?? null)
  if (pairs.length) {
    y += 4
    sections.push({ label: opts.overlay ? 'Counters: A dashed grey, B solid, one scale per counter' : 'Counters', y })
    y += SECTION_H
    const other = new Map((opts.scaleWith ?? []).map((c) => [c.name, c]))
    for (const { track, ref } of pairs) {
      const o = ref ?? other.get(track.name)
      counters.push({ track, ref, y, h: COUNTER_H, max: Math.max(maxOf(track), o ? maxOf(o) : 0) })
      y += COUNTER_H + COUNTER_GAP
    }
  }
  return { width, height: y + 6, plotX: GUTTER, plotW: Math.max(50, width - GUTTER - 8), lanes, sections, counters, lanesTop, lanesBottom }
}

/** B's counters with A's of the same name; A-only counters follow (drawn as A's line only). */
function counterPairs(b: readonly CounterTrack[], a: readonly CounterTrack[] | null): { track: CounterTrack; ref: CounterTrack | null }[] {
  if (!a) return b.map((track) => ({ track, ref: null }))
  const byName = new Map(a.map((c) => [c.name, c]))
  const out = b.map((track) => ({ track, ref: byName.get(track.name) ?? null }))
  const inB = new Set(b.map((c) => c.name))
  for (const c of a) if (!inB.has(c.name)) out.push({ track: c, ref: c })
  return out
}

export function laneAt(layout: Layout, y: number): LaneBox | null {
  for (const b of layout.lanes) if (y >= b.y - 1 && y < b.y + b.h + 1) return b
  return null
}
