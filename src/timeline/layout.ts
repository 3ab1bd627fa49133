// Vertical layout of a timeline canvas (css px): axis, CPU lanes, optional thread lanes, counter tracks.
import type { CounterTrack, Trace } from '../engine/types.ts'
import type { Lane, TraceIndex } from './model.ts'

export const GUTTER = 172
export const AXIS_H = 26
export const LANE_H = 16
export const LANE_GAP = 3
export const SECTION_H = 18
export const COUNTER_H = 40
export const COUNTER_GAP = 6
export const FONT = '11px "DejaVu Sans", sans-serif'
export const FONT_SMALL = '10px "DejaVu Sans", sans-serif'
export const FONT_BOLD = 'bold 11px "DejaVu Sans", sans-serif'

export interface LaneBox { lane: Lane; y: number; h: number }
export interface CounterBox { track: CounterTrack; y: number; h: number; max: number }
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

export function computeLayout(width: number, trace: Pick<Trace, 'counters'>, index: TraceIndex, threadLanes: boolean): Layout {
  const lanes: LaneBox[] = []
  const sections: Layout['sections'] = []
  let y = AXIS_H + 4
  const lanesTop = y
  sections.push({ label: 'CPUs', y })
  y += SECTION_H
  for (const lane of index.cpuLanes) { lanes.push({ lane, y, h: LANE_H }); y += LANE_H + LANE_GAP }
  if (threadLanes && index.actorLanes.length) {
    y += 4
    sections.push({ label: 'Threads and IRQs', y })
    y += SECTION_H
    for (const lane of index.actorLanes) { lanes.push({ lane, y, h: LANE_H }); y += LANE_H + LANE_GAP }
  }
  const lanesBottom = y
  const counters: CounterBox[] = []
  if (trace.counters.length) {
    y += 4
    sections.push({ label: 'Counters', y })
    y += SECTION_H
    for (const track of trace.counters) { counters.push({ track, y, h: COUNTER_H, max: maxOf(track) }); y += COUNTER_H + COUNTER_GAP }
  }
  return { width, height: y + 6, plotX: GUTTER, plotW: Math.max(50, width - GUTTER - 8), lanes, sections, counters, lanesTop, lanesBottom }
}

export function laneAt(layout: Layout, y: number): LaneBox | null {
  for (const b of layout.lanes) if (y >= b.y - 1 && y < b.y + b.h + 1) return b
  return null
}
