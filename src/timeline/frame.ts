// A timeline drawn off screen through the same tracks and canvas backend as the on-screen canvas
// (render.ts): the PNG export draws every lane of each run this way instead of copying the canvases.
import type { KnobWrite, ModeSwitch } from '../engine/scenario.ts'
import type { CounterTrack, SimResult } from '../engine/types.ts'
import { computeLayout } from './layout.ts'
import { knobWriteLabel, type TraceIndex } from './model.ts'
import { Renderer, type TimeRange } from './render.ts'
import type { SliceDetails } from './sliceDetails.ts'
import { softnetCounters } from './softnet.ts'

/** The scenario's scheduled mode switches and knob writes as marks (dashed until applied). */
export function scheduledMarks(switches: readonly ModeSwitch[], irqBase: number, writes: readonly KnobWrite[] = []): { tNs: number; label: string }[] {
  return [
    ...switches.map((w) => ({ tNs: w.atMs * 1e6, label: `${w.queue < 0 ? 'all IRQs' : `IRQ ${irqBase + w.queue}`} → ${w.threaded ? 'threaded' : 'softirq'} (scheduled)` })),
    ...writes.map((w) => ({ tNs: w.atMs * 1e6, label: `${knobWriteLabel(w)} (scheduled)` })),
  ]
}

export interface FrameOptions {
  width: number
  dpr: number
  t0: number
  t1: number
  threadLanes: boolean
  compact: boolean
  counters: boolean
  overlay: readonly CounterTrack[] | null
  showEvents: boolean
  selection: TimeRange | null
  scheduled: { tNs: number; label: string }[]
  details: SliceDetails | null
  softnet: boolean
}

/** One run's whole timeline (every lane, not only those on screen) on a new canvas. */
export function drawTimelineCanvas(result: SimResult, index: TraceIndex, o: FrameOptions): HTMLCanvasElement {
  const layout = computeLayout(o.width, result.trace, index, o.threadLanes, { compact: o.compact, counters: o.counters, overlay: o.overlay, extra: o.softnet ? softnetCounters(result) : undefined })
  const canvas = document.createElement('canvas')
  canvas.width = Math.round(layout.width * o.dpr)
  canvas.height = Math.round(layout.height * o.dpr)
  const ctx = canvas.getContext('2d', { alpha: false })
  if (!ctx) return canvas
  new Renderer().draw({
    ctx, dpr: o.dpr, layout, trace: result.trace, index, t0: o.t0, t1: o.t1, selection: o.selection, hover: null, cursorNs: null,
    showEvents: o.showEvents, scheduledSwitches: o.scheduled, details: o.details,
  })
  return canvas
}
