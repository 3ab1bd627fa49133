// Canvas 2D renderer: composes the timeline's tracks (tracks.ts) through the canvas backend. Slices
// never become one fillRect each: every lane track aggregates per device pixel column (model.ts)
// into one ImageData (the context's `raster`), so a frame costs O(visible slices + pixels), not
// O(slices) canvas calls (~1 µs each on this software canvas). The frame chrome (axis, gutter,
// hover, selection, crosshair) is drawn here; markers and counters are tracks, capped in count.
import { scaleLinear, type ScaleLinear } from 'd3'
import { END_REASON_NAMES, SLICE_KIND_NAMES, type Trace } from '../engine/types.ts'
import { decimalsForStep, fmtTime, fmtTimeFixed, sortedCopy, unitFor } from './format.ts'
import { AXIS_H, FONT, FONT_BOLD, FONT_SMALL, type Layout } from './layout.ts'
import { Aggregator, runMarks, type TraceIndex } from './model.ts'
import type { SliceDetails } from './sliceDetails.ts'
import { CanvasPainter, clip, CounterLineTrack, FlowTrack, laneCentres, ModeSwitchTrack, SliceLaneTrack, ThreadStateTrack, TRACK_COLORS, WakeupMigrationTrack, type LaneRaster, type ModeMark, type TrackHit, type TrackRenderContext } from './tracks.ts'

export { clip }

export interface TimeRange { startNs: number; endNs: number }

export interface FrameInput {
  ctx: CanvasRenderingContext2D
  dpr: number
  layout: Layout
  trace: Trace
  index: TraceIndex
  t0: number
  t1: number
  selection: TimeRange | null
  /** time under the pointer (crosshair), ns */
  cursorNs?: number | null
  hover: { slice: number; laneKey: string } | null
  showEvents: boolean
  /** scheduled (not yet applied) switches from the scenario, ns */
  scheduledSwitches: { tNs: number; label: string }[]
  /** css-px y range of the canvas that is on screen: lanes outside it are not aggregated */
  visibleY?: [number, number]
  /** the clicked slice: outlined, with its flow arrows */
  details?: SliceDetails | null
  /** extra drawing over the lanes after the tracks' labels (a story step's highlight: overlays.ts) */
  overlays?: readonly OverlayDraw[]
  /**
   * One part of the frame, for a heavy draw spread over frames (each part onto what the one before drew,
   * from the same input; in order they draw exactly what one full draw draws): 'lanes' the lanes' pixels
   * (aggregated, put in place; the rest of the canvas keeps the last frame), 'chrome' a cleared canvas with
   * the lanes again (reused pixels), the axis, labels, bands, hatching and hover, 'rest' the counters,
   * marks, selection and crosshair. Absent: all of it, on a cleared canvas.
   */
  part?: 'lanes' | 'chrome' | 'rest'
}

/** An overlay: draws over the lanes with the frame's time scale and the lanes on screen. */
export type OverlayDraw = (o: { ctx: CanvasRenderingContext2D; layout: Layout; t0: number; t1: number; x: (t: number) => number; drawnLanes: ReadonlySet<string> }) => void

export interface FrameStats {
  visibleSlices: number
  ms: number
  /** cheap signature of what was drawn (tests: "the timeline changed") */
  signature: number
  eventsDrawn: number
  /** thread lanes drawn with a thread-state band */
  stateLanes: number
  /** flow arrows drawn for the clicked slice */
  flows: number
}

/** The tracks of one layout: built once per (layout, trace, index), reused frame to frame. */
interface FrameTracks {
  layout: Layout
  trace: Trace
  index: TraceIndex
  lanes: { box: Layout['lanes'][number]; track: SliceLaneTrack; state: ThreadStateTrack | null }[]
  counters: { box: Layout['counters'][number]; track: CounterLineTrack }[]
  marks: WakeupMigrationTrack
}

function buildTracks(layout: Layout, trace: Trace, index: TraceIndex): FrameTracks {
  const agg = new Aggregator()
  return {
    layout, trace, index,
    lanes: layout.lanes.map((box) => ({ box, track: new SliceLaneTrack(box.lane, trace, agg, index), state: box.lane.kind === 'actor' ? new ThreadStateTrack(box.lane, trace, index) : null })),
    counters: layout.counters.map((box) => ({ box, track: CounterLineTrack.fromBox(box) })),
    marks: new WakeupMigrationTrack(trace, index, laneCentres(layout.lanes, layout.lanesTop)),
  }
}

const WHITE = 0xffffffff

/** Per-canvas tracks and scratch buffers reused from frame to frame. */
export class Renderer {
  private img: ImageData | null = null
  /** what the ImageData currently holds: hover/selection-only redraws reuse it */
  private imgKey = ''
  private imgTracks: FrameTracks | null = null
  private imgStats = { visible: 0, sig: 0 }
  private drawnLanes = new Set<string>()
  private tracks: FrameTracks | null = null
  private painter: CanvasPainter | null = null
  private painterCtx: CanvasRenderingContext2D | null = null

  private tracksFor(f: FrameInput): FrameTracks {
    const t = this.tracks
    if (t && t.layout === f.layout && t.trace === f.trace && t.index === f.index) return t
    return (this.tracks = buildTracks(f.layout, f.trace, f.index))
  }

  /** A track's render context: its box at (plotX, y), `h` tall, the frame's window. */
  private boxCtx(f: FrameInput, y: number, h: number, raster?: LaneRaster): TrackRenderContext {
    const { plotX, plotW } = f.layout
    const k = plotW / Math.max(f.t1 - f.t0, 1e-9)
    const t0 = f.t0
    this.painter!.at(plotX, y)
    return { painter: this.painter!, size: { width: plotW, height: h }, visibleWindow: { t0: f.t0, t1: f.t1 }, timescale: (t) => (t - t0) * k, colors: TRACK_COLORS, raster }
  }

  draw(f: FrameInput): FrameStats {
    const t = performance.now()
    const { ctx, dpr, layout } = f
    const { width, height, plotX, plotW } = layout
    const span = Math.max(f.t1 - f.t0, 1e-9)
    const x = scaleLinear().domain([f.t0, f.t1]).range([plotX, plotX + plotW])
    if (this.painterCtx !== ctx) { this.painter = new CanvasPainter(ctx); this.painterCtx = ctx }
    const tracks = this.tracksFor(f)
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
    // 'lanes' goes onto the last frame (no blank frame between two results); 'chrome' starts from white
    // like a full draw, so the three parts end as one full draw does
    if (!f.part || f.part === 'chrome') {
      ctx.fillStyle = '#ffffff'
      ctx.fillRect(0, 0, width, height)
    }
    if (f.part === 'rest') return { visibleSlices: this.imgStats.visible, ms: performance.now() - t, signature: this.imgStats.sig >>> 0, ...this.drawOverlays(f, tracks, x, span) }

    // --- slice lanes: each track writes its aggregated pixel columns into one ImageData ---
    const dx0 = Math.round(plotX * dpr)
    const dW = Math.max(1, Math.round(plotW * dpr))
    const dy0 = Math.round(layout.lanesTop * dpr)
    const dH = Math.max(1, Math.round((layout.lanesBottom - layout.lanesTop) * dpr))
    // Virtual scrolling: lanes scrolled out of view cost nothing (Perfetto does the same).
    const [vy0, vy1] = f.visibleY ?? [0, height]
    const onScreen = tracks.lanes.filter(({ box: b }) => b.y + b.h >= vy0 && b.y <= vy1)
    const key = `${f.t0}|${f.t1}|${dW}|${dH}|${onScreen[0]?.box.lane.key}|${onScreen[onScreen.length - 1]?.box.lane.key}`
    if (!this.img || key !== this.imgKey || tracks !== this.imgTracks) {
      if (!this.img || this.img.width !== dW || this.img.height !== dH) this.img = new ImageData(dW, dH)
      const u32 = new Uint32Array(this.img.data.buffer)
      u32.fill(WHITE)
      const raster: LaneRaster = { u32, width: dW, height: dH, row0: 0, row1: 0, sig: 0 }
      let visible = 0
      this.drawnLanes.clear()
      for (const { box, track } of onScreen) {
        this.drawnLanes.add(box.lane.key)
        raster.row0 = Math.round(box.y * dpr) - dy0
        raster.row1 = Math.round((box.y + box.h) * dpr) - dy0
        track.render(this.boxCtx(f, box.y, box.h, raster))
        visible += track.row?.visible ?? 0
      }
      this.imgKey = key
      this.imgTracks = tracks
      this.imgStats = { visible, sig: raster.sig }
    }
    ctx.putImageData(this.img!, dx0, dy0)
    if (f.part === 'lanes') return { visibleSlices: this.imgStats.visible, ms: performance.now() - t, signature: this.imgStats.sig >>> 0, eventsDrawn: 0, stateLanes: 0, flows: 0 }
    const out = this.drawOverlays(f, tracks, x, span)
    return { visibleSlices: this.imgStats.visible, ms: performance.now() - t, signature: this.imgStats.sig >>> 0, ...out }
  }

  /** lanes drawn from the busy summary past their stored slices (e2e reads it from the canvas' wrapper) */
  summarisedLanes = 0

  /** busy % over the visible window of each drawn lane, as its label shows it (e2e) */
  laneBusyPercent(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const { box, track } of this.tracks?.lanes ?? []) if (this.drawnLanes.has(box.lane.key)) out[box.lane.key] = Math.round(track.busy * 1000) / 10
    return out
  }

  /** What the tracks have under the css point (x, y) of the last frame: a slice, a counter value or a mark. */
  hitTest(f: Pick<FrameInput, 'layout' | 't0' | 't1' | 'showEvents'>, x: number, y: number): (TrackHit & { laneKey?: string }) | null {
    const tr = this.tracks
    const { layout } = f
    if (!tr || tr.layout !== layout || x < layout.plotX) return null
    const k = layout.plotW / Math.max(f.t1 - f.t0, 1e-9)
    const at = (h: number): TrackRenderContext => ({ painter: this.painter!, size: { width: layout.plotW, height: h }, visibleWindow: { t0: f.t0, t1: f.t1 }, timescale: (t) => (t - f.t0) * k, colors: TRACK_COLORS })
    const px = x - layout.plotX
    for (const c of tr.counters) if (y >= c.box.y && y < c.box.y + c.box.h) return c.track.hitTest(at(c.box.h), px, y - c.box.y)
    const lane = layout.lanes.find((b) => y >= b.y - 1 && y < b.y + b.h + 1)
    const l = lane && tr.lanes.find((e) => e.box === lane)
    const hit = l ? l.track.hitTest(at(lane.h), px, Math.min(Math.max(y - lane.y, 0), lane.h - 1)) : null
    if (hit) return { ...hit, laneKey: lane!.lane.key }
    if (!f.showEvents || y < layout.lanesTop || y >= layout.lanesBottom) return null
    return tr.marks.hitTest(at(layout.lanesBottom - layout.lanesTop), px, y - layout.lanesTop)
  }

  /** What stays fixed on a frame's lanes: grid and axis, gutter labels, labels in slices, thread-state bands, flows, overlays, hatching, hover. */
  private chromeStats = { stateLanes: 0, flows: 0 }
  private drawChrome(f: FrameInput, tracks: FrameTracks, x: ScaleLinear<number, number>, span: number): { stateLanes: number; flows: number } {
    const { ctx, layout, trace } = f
    const { width, height, plotX, plotW } = layout
    const painter = this.painter!
    const lanesH = layout.lanesBottom - layout.lanesTop
    // --- grid and axis ---
    const ticks = x.ticks(Math.max(2, Math.floor(plotW / 110)))
    const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : span
    const unit = unitFor(Math.max(f.t1, step))
    const dec = decimalsForStep(step, unit)
    ctx.fillStyle = '#f8f9fa'
    ctx.fillRect(0, 0, width, AXIS_H)
    ctx.strokeStyle = '#dadce0'
    ctx.lineWidth = 1
    ctx.beginPath()
    ctx.moveTo(0, AXIS_H - 0.5)
    ctx.lineTo(width, AXIS_H - 0.5)
    ctx.stroke()
    ctx.font = FONT
    ctx.textBaseline = 'middle'
    ctx.textAlign = 'center'
    ctx.fillStyle = '#3c4043'
    ctx.beginPath()
    ctx.strokeStyle = 'rgba(60,64,67,0.12)'
    for (const tk of ticks) {
      const px = Math.round(x(tk)) + 0.5
      ctx.moveTo(px, AXIS_H - 6)
      ctx.lineTo(px, height)
      const text = fmtTimeFixed(tk, unit, dec)
      const half = text.length * 3.3
      ctx.fillText(text, Math.min(Math.max(px, plotX + half - 4), plotX + plotW - half), AXIS_H / 2 - 1)
    }
    ctx.stroke()

    // --- gutter: lane and section labels ---
    ctx.textAlign = 'left'
    ctx.fillStyle = '#ffffff'
    ctx.fillRect(0, AXIS_H, plotX - 4, height - AXIS_H)
    for (const s of layout.sections) {
      ctx.font = FONT_BOLD
      ctx.fillStyle = '#202124'
      ctx.fillText(s.label, 8, s.y + 9)
      ctx.strokeStyle = '#e8eaed'
      ctx.beginPath()
      ctx.moveTo(0, s.y + 0.5)
      ctx.lineTo(width, s.y + 0.5)
      ctx.stroke()
    }
    ctx.font = FONT
    for (const box of layout.lanes) {
      ctx.fillStyle = box.lane.kind === 'cpu' ? '#202124' : '#5f6368'
      ctx.fillText(clip(box.lane.label, plotX - 50), 12, box.y + box.h / 2 + 0.5)
    }
    // busy share of each lane over the visible window (SchedViz-style utilisation at a glance)
    ctx.font = FONT_SMALL
    ctx.textAlign = 'right'
    ctx.fillStyle = '#5f6368'
    for (const { box, track } of tracks.lanes) {
      if (this.drawnLanes.has(box.lane.key)) ctx.fillText(`${Math.round(track.busy * 100)}%`, plotX - 6, box.y + box.h / 2 + 0.5)
    }
    ctx.textAlign = 'left'
    ctx.font = FONT

    const block = (fn: () => void) => painter.at(0, 0).clip(plotX, layout.lanesTop, plotW, lanesH, fn)
    // --- the lane tracks' labels inside wide slices (zoomed in) ---
    const budget = { n: 0 }
    block(() => {
      for (const { box, track } of tracks.lanes) if (this.drawnLanes.has(box.lane.key)) track.renderLabels(this.boxCtx(f, box.y, box.h), budget)
    })

    // --- thread-state bands, migration labels, the clicked slice's flows, overlays ---
    let stateLanes = 0
    for (const { box, state } of tracks.lanes) if (state && this.drawnLanes.has(box.lane.key) && state.render(this.boxCtx(f, box.y, box.h))) stateLanes++
    if (f.showEvents) tracks.marks.renderLabels(this.boxCtx(f, layout.lanesTop, lanesH))
    let flows = 0
    if (f.details) {
      const ft = new FlowTrack(trace, f.details, layout.lanes, layout.lanesTop)
      block(() => ft.render(this.boxCtx(f, layout.lanesTop, lanesH)))
      flows = ft.drawn
    }
    for (const o of f.overlays ?? []) o({ ctx, layout, t0: f.t0, t1: f.t1, x, drawnLanes: this.drawnLanes })

    // --- summarised regions (past the stored slices): hatched, with their resolution ---
    const until = f.index.simulatedUntil
    if (until !== undefined && until < f.t1) {
      // a snapshot of a run still in progress: the rest of the axis is not simulated yet
      const xa = Math.max(x(until), plotX)
      ctx.fillStyle = 'rgba(241,243,244,0.85)'
      ctx.fillRect(xa, layout.lanesTop, plotX + plotW - xa, lanesH)
      ctx.fillStyle = '#5f6368'
      ctx.font = FONT_SMALL
      ctx.textAlign = 'left'
      if (plotX + plotW - xa > 120) ctx.fillText('simulating… (not simulated yet)', xa + 6, layout.lanesTop + 24)
    }
    this.summarisedLanes = 0
    const summarised = { labelled: false }
    block(() => {
      for (const { box, track } of tracks.lanes) if (this.drawnLanes.has(box.lane.key) && track.renderSummarised(this.boxCtx(f, box.y, box.h), summarised)) this.summarisedLanes++
    })

    // --- hover outline ---
    const s = trace.slices
    if (f.hover) {
      const box = layout.lanes.find((b) => b.lane.key === f.hover!.laneKey)
      const i = f.hover.slice
      if (box && i < s.count) {
        const xa = Math.max(x(s.start[i]!), plotX - 1)
        const xb = Math.min(x(s.end[i]!), plotX + plotW + 1)
        ctx.strokeStyle = '#202124'
        ctx.lineWidth = 1.5
        ctx.strokeRect(xa - 0.75, box.y - 0.75, Math.max(xb - xa, 1) + 1.5, box.h + 1.5)
        ctx.lineWidth = 1
      }
    }

    return { stateLanes, flows }
  }

  /** Everything on top of the slices: chrome, labels, tracks' overlays, counters, markers; capped, redrawn every frame. */
  private drawOverlays(f: FrameInput, tracks: FrameTracks, x: ScaleLinear<number, number>, span: number): { eventsDrawn: number; stateLanes: number; flows: number } {
    const { ctx, layout, trace } = f
    const { width, height, plotX, plotW } = layout
    const painter = this.painter!
    const lanesH = layout.lanesBottom - layout.lanesTop
    if (f.part !== 'rest') this.chromeStats = this.drawChrome(f, tracks, x, span)
    if (f.part === 'chrome') return { eventsDrawn: 0, ...this.chromeStats }
    const { stateLanes, flows } = this.chromeStats

    // --- counter tracks ---
    for (const { box, track } of tracks.counters) {
      track.render(this.boxCtx(f, box.y, box.h))
      track.gutter(painter.at(0, 0), 12, box.y, plotX - 20)
    }

    // --- wakeups and migrations (only when few enough to read) ---
    let eventsDrawn = 0
    if (f.showEvents) { tracks.marks.render(this.boxCtx(f, layout.lanesTop, lanesH)); eventsDrawn = tracks.marks.drawn }

    // --- mode switches and knob writes: applied (solid) and scheduled (dashed) ---
    const marks: ModeMark[] = runMarks(trace.events).map((m) => ({ ...m, applied: true }))
    for (const m of f.scheduledSwitches) if (!marks.some((a) => Math.abs(a.tNs - m.tNs) < 1)) marks.push({ ...m, applied: false })
    new ModeSwitchTrack(sortedCopy(marks, (a, b) => a.tNs - b.tNs), layout.lanesTop - AXIS_H, width - 2 - plotX).render(this.boxCtx(f, AXIS_H, height - AXIS_H))

    // --- selection ---
    if (f.selection) {
      const a = x(Math.max(f.selection.startNs, f.t0))
      const b = x(Math.min(f.selection.endNs, f.t1))
      if (b > a) {
        ctx.fillStyle = 'rgba(26,115,232,0.14)'
        ctx.fillRect(a, AXIS_H, b - a, height - AXIS_H)
        ctx.strokeStyle = '#1a73e8'
        ctx.beginPath()
        ctx.moveTo(Math.round(a) + 0.5, AXIS_H)
        ctx.lineTo(Math.round(a) + 0.5, height)
        ctx.moveTo(Math.round(b) - 0.5, AXIS_H)
        ctx.lineTo(Math.round(b) - 0.5, height)
        ctx.stroke()
      }
    }

    // --- crosshair at the pointer, with its time on the axis ---
    if (f.cursorNs !== null && f.cursorNs !== undefined && f.cursorNs >= f.t0 && f.cursorNs <= f.t1) {
      const px = Math.round(x(f.cursorNs)) + 0.5
      ctx.strokeStyle = 'rgba(32,33,36,0.5)'
      ctx.beginPath()
      ctx.moveTo(px, AXIS_H)
      ctx.lineTo(px, height)
      ctx.stroke()
      const label = fmtTime(f.cursorNs, unitFor(Math.max(f.t1, 1)))
      ctx.font = FONT_SMALL
      const w = ctx.measureText(label).width + 8
      const lx = Math.min(Math.max(px - w / 2, plotX), plotX + plotW - w)
      ctx.fillStyle = '#202124'
      ctx.fillRect(lx, 3, w, AXIS_H - 8)
      ctx.fillStyle = '#ffffff'
      ctx.textAlign = 'center'
      ctx.fillText(label, lx + w / 2, AXIS_H / 2 - 1)
      ctx.textAlign = 'left'
    }
    return { eventsDrawn, stateLanes, flows }
  }
}

/** An absolute time with enough decimals to tell apart the two ends of a slice `dur` long. */
function preciseTime(t: number, dur: number): string {
  const unit = unitFor(Math.max(t, 1))
  const unitNs = unit === 's' ? 1e9 : unit === 'ms' ? 1e6 : unit === 'µs' ? 1e3 : 1
  const dec = Math.max(0, Math.min(6, Math.ceil(Math.log10(unitNs / Math.max(dur / 10, 1)))))
  return fmtTimeFixed(t, unit, dec)
}

/** Tooltip content for one slice: what ran, when, packets, why it ended. */
export function describeSlice(trace: Trace, i: number): { title: string; rows: [string, string][] } {
  const s = trace.slices
  const kind = s.kind[i]!
  const actor = trace.actors[s.actor[i]!]
  const reason = END_REASON_NAMES[s.reason[i]!] ?? ''
  const st = s.start[i]!
  const en = s.end[i]!
  return {
    title: `${SLICE_KIND_NAMES[kind] ?? 'slice'}: ${actor?.name ?? `actor ${s.actor[i]}`}`,
    rows: [
      ['CPU', String(s.cpu[i])],
      ['from', preciseTime(st, en - st)],
      ['to', preciseTime(en, en - st)],
      ['duration', fmtTime(en - st)],
      ['packets', String(s.packets[i])],
      ['ended by', reason || '—'],
    ],
  }
}
