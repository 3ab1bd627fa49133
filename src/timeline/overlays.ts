// Overlay tracks drawn by the canvas renderer through `FrameInput.overlays`: thread-state bands,
// the clicked slice with its wakeup flow arrows (waker slice → wakee slice, Perfetto's flows),
// and labels on migration marks. Plus hit testing of the wakeup / migration marks for hover text.
import type { Layout } from './layout.ts'
import { lowerBoundBy, type TraceIndex } from './model.ts'
import type { OverlayDraw } from './render.ts'
import type { SliceDetails, Flow } from './sliceDetails.ts'
import { drawStateBands } from './stateTrack.ts'
import type { StateInput } from './threadStates.ts'

export const FLOW_COLOR = '#1a73e8'
export const SELECT_COLOR = '#174ea6'
const MAX_MIGRATION_LABELS = 60

/** y centre of a CPU lane, or of the actor's thread lane when `preferActor` and it is shown. */
function laneY(layout: Layout, cpu: number, actor?: number): number | undefined {
  if (actor !== undefined) {
    const a = layout.lanes.find((b) => b.lane.kind === 'actor' && b.lane.id === actor)
    if (a) return a.y + a.h / 2
  }
  const b = layout.lanes.find((l) => l.lane.kind === 'cpu' && l.lane.id === cpu)
  return b ? b.y + b.h / 2 : undefined
}

function arrow(ctx: CanvasRenderingContext2D, xa: number, ya: number, xb: number, yb: number): void {
  // a cubic Bézier that leaves and enters horizontally, like Perfetto's flow arrows
  const dx = Math.max(12, Math.abs(xb - xa) / 2)
  ctx.beginPath()
  ctx.moveTo(xa, ya)
  ctx.bezierCurveTo(xa + dx, ya, xb - dx, yb, xb, yb)
  ctx.stroke()
  ctx.beginPath()
  ctx.moveTo(xb, yb)
  ctx.lineTo(xb - 6, yb - 3.5)
  ctx.lineTo(xb - 6, yb + 3.5)
  ctx.closePath()
  ctx.fill()
}

export function stateBandsOverlay(trace: StateInput, index: TraceIndex, out: { lanes: number }): OverlayDraw {
  return ({ ctx, layout, t0, t1, drawnLanes }) => {
    if (!layout.lanes.some((b) => b.lane.kind === 'actor')) { out.lanes = 0; return }
    out.lanes = drawStateBands({ ctx, layout, trace, index, t0, t1, drawn: drawnLanes })
  }
}

/** The clicked slice outlined on its CPU (and thread) lane, arrows from its waker and to the tasks it woke. */
export function detailsOverlay(trace: StateInput, d: SliceDetails, out: { flows: number }): OverlayDraw {
  return ({ ctx, layout, x }) => {
    const s = trace.slices
    ctx.save()
    ctx.beginPath()
    ctx.rect(layout.plotX, layout.lanesTop, layout.plotW, layout.lanesBottom - layout.lanesTop)
    ctx.clip()
    ctx.strokeStyle = SELECT_COLOR
    ctx.lineWidth = 2
    for (const b of layout.lanes) {
      if (!((b.lane.kind === 'cpu' && b.lane.id === d.cpu) || (b.lane.kind === 'actor' && b.lane.id === d.actor))) continue
      const xa = x(d.start)
      ctx.strokeRect(xa - 1, b.y - 1, Math.max(x(d.end) - xa, 1) + 2, b.h + 2)
    }
    ctx.strokeStyle = FLOW_COLOR
    ctx.fillStyle = FLOW_COLOR
    ctx.lineWidth = 1.5
    let flows = 0
    const draw = (f: Flow) => {
      const ya = laneY(layout, f.fromCpu)
      const wakeeCpu = f.wakeeSlice >= 0 ? s.cpu[f.wakeeSlice]! : f.toCpu
      const yb = laneY(layout, wakeeCpu)
      if (ya === undefined || yb === undefined) return
      const tb = f.wakeeSlice >= 0 ? s.start[f.wakeeSlice]! : f.t
      arrow(ctx, x(f.t), ya, x(tb), yb)
      flows++
    }
    if (d.wokenBy) draw(d.wokenBy)
    for (const f of d.woke) draw(f)
    ctx.restore()
    out.flows = flows
  }
}

/** "→ CPU 7" beside each migration diamond when few are on screen (the diamonds come from the renderer). */
export function migrationLabelsOverlay(trace: StateInput, index: TraceIndex, enabled: boolean): OverlayDraw {
  return ({ ctx, layout, t0, t1, x }) => {
    if (!enabled) return
    const m = trace.events.migrations
    const a = lowerBoundBy(index.migrationOrder, m.t, t0)
    const b = lowerBoundBy(index.migrationOrder, m.t, t1)
    const w = trace.events.wakeups
    const events = b - a + lowerBoundBy(index.wakeupOrder, w.t, t1) - lowerBoundBy(index.wakeupOrder, w.t, t0)
    if (b - a > MAX_MIGRATION_LABELS || events > Math.min(2500, layout.plotW / 3)) return
    ctx.save()
    ctx.font = '10px "DejaVu Sans", sans-serif'
    ctx.fillStyle = '#b06000'
    ctx.textAlign = 'left'
    ctx.textBaseline = 'middle'
    for (let p = a; p < b; p++) {
      const i = index.migrationOrder[p]!
      const y = laneY(layout, m.toCpu[i]!)
      if (y === undefined) continue
      const name = trace.actors[m.actor[i]!]?.name ?? ''
      ctx.fillText(`${name} ${m.fromCpu[i]}→${m.toCpu[i]}`, x(m.t[i]!) + 6, y - 6)
    }
    ctx.restore()
  }
}

export const HIGHLIGHT_COLOR = '#f9ab00'

/**
 * The lanes a story step points at (labels matching `re`): an amber outline across the plot and a bar
 * in the gutter. `out.lanes` = how many lanes matched (drawn or scrolled away).
 */
export function highlightLanesOverlay(re: RegExp, out: { lanes: number }): OverlayDraw {
  return ({ ctx, layout, drawnLanes }) => {
    let n = 0
    ctx.save()
    ctx.strokeStyle = HIGHLIGHT_COLOR
    ctx.fillStyle = HIGHLIGHT_COLOR
    ctx.lineWidth = 2
    for (const b of layout.lanes) {
      if (!re.test(b.lane.label)) continue
      n++
      if (!drawnLanes.has(b.lane.key)) continue
      ctx.strokeRect(layout.plotX + 1, b.y - 1, layout.plotW - 2, b.h + 2)
      ctx.fillRect(0, b.y - 1, 4, b.h + 2)
    }
    ctx.restore()
    out.lanes = n
  }
}

export interface MarkHit { title: string; rows: [string, string][] }

/** The wakeup or migration mark under (t, y), within `slopNs`: its hover text. */
export function markAt(trace: StateInput, index: TraceIndex, layout: Layout, t: number, y: number, slopNs: number, fmt: (ns: number) => string): MarkHit | null {
  const cpuAtY = layout.lanes.find((b) => b.lane.kind === 'cpu' && y >= b.y - 6 && y < b.y + b.h + 6)?.lane.id
  const name = (a: number) => trace.actors[a]?.name ?? `actor ${a}`
  const m = trace.events.migrations
  for (let p = lowerBoundBy(index.migrationOrder, m.t, t - slopNs); p < index.migrationOrder.length; p++) {
    const i = index.migrationOrder[p]!
    if (m.t[i]! > t + slopNs) break
    if (m.toCpu[i] === cpuAtY || m.fromCpu[i] === cpuAtY) return { title: `migration: ${name(m.actor[i]!)}`, rows: [['from', `CPU ${m.fromCpu[i]}`], ['to', `CPU ${m.toCpu[i]}`], ['at', fmt(m.t[i]!)]] }
  }
  const w = trace.events.wakeups
  for (let p = lowerBoundBy(index.wakeupOrder, w.t, t - slopNs); p < index.wakeupOrder.length; p++) {
    const i = index.wakeupOrder[p]!
    if (w.t[i]! > t + slopNs) break
    const lo = Math.min(w.fromCpu[i]!, w.toCpu[i]!)
    const hi = Math.max(w.fromCpu[i]!, w.toCpu[i]!)
    if (cpuAtY !== undefined && cpuAtY >= lo && cpuAtY <= hi) {
      return { title: `wakeup: ${name(w.waker[i]!)} woke ${name(w.wakee[i]!)}`, rows: [['waker CPU', `CPU ${w.fromCpu[i]}`], ['placed on', `CPU ${w.toCpu[i]}`], ['at', fmt(w.t[i]!)], ['click', 'a slice for its flow arrows']] }
    }
  }
  return null
}
