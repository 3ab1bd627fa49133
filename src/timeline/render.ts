// Canvas 2D renderer. Slices never become one fillRect each: every lane is aggregated per device
// pixel column (model.ts) and written into one ImageData, so a frame costs O(visible slices +
// pixels), not O(slices) canvas calls (~1 µs each on this software canvas). Vector overlays
// (axis, labels, markers, counters, events) are capped in count.
import { scaleLinear, type ScaleLinear } from 'd3'
import { END_REASON_NAMES, SLICE_KIND_NAMES, type Trace } from '../engine/types.ts'
import { buildPixelLut, INTENSITY_LEVELS, KIND_COUNT, LANE_BG, packRgb } from './colors.ts'
import { decimalsForStep, fmtSig, fmtTime, fmtTimeFixed, sortedCopy, unitFor } from './format.ts'
import { AXIS_H, FONT, FONT_BOLD, FONT_SMALL, type Layout } from './layout.ts'
import { Aggregator, columnStack, forEachVisible, groupModeSwitches, intensityLevel, lowerBoundBy, NO_KIND, summaryFrom, type PixelRow, type TraceIndex } from './model.ts'

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
  /** extra tracks drawn over the lanes, before events and markers (thread states, flows: src/timeline/overlays.ts) */
  overlays?: readonly OverlayDraw[]
}

/** An overlay track: draws over the lanes with the frame's time scale and the lanes on screen. */
export type OverlayDraw = (o: { ctx: CanvasRenderingContext2D; layout: Layout; t0: number; t1: number; x: (t: number) => number; drawnLanes: ReadonlySet<string> }) => void

export interface FrameStats {
  visibleSlices: number
  ms: number
  /** cheap signature of what was drawn (tests: "the timeline changed") */
  signature: number
  eventsDrawn: number
}

const LUT = buildPixelLut()
const BG = packRgb(LANE_BG)
const WHITE = packRgb('#ffffff')
const MAX_EVENTS = 2500
const MAX_LABELS = 600

/** Per-canvas scratch buffers reused from frame to frame. */
export class Renderer {
  private agg = new Aggregator()
  private rows = new Map<string, PixelRow>()
  private img: ImageData | null = null
  private rowBuf = new Uint32Array(0)
  private stackKinds = new Uint8Array(KIND_COUNT)
  private stackHeights = new Int32Array(KIND_COUNT)
  /** what the ImageData currently holds: hover/selection-only redraws reuse it */
  private imgKey = ''
  private imgTrace: Trace | null = null
  private imgLayout: Layout | null = null
  private imgStats = { visible: 0, sig: 0 }
  private drawnLanes = new Set<string>()
  /** busy fraction of each drawn lane over the visible window */
  private laneBusy = new Map<string, number>()

  draw(f: FrameInput): FrameStats {
    const t = performance.now()
    const { ctx, dpr, layout, trace } = f
    const { width, height, plotX, plotW } = layout
    const span = Math.max(f.t1 - f.t0, 1e-9)
    const x = scaleLinear().domain([f.t0, f.t1]).range([plotX, plotX + plotW])
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
    ctx.fillStyle = '#ffffff'
    ctx.fillRect(0, 0, width, height)

    // --- slices: aggregated pixel columns into one ImageData ---
    const dx0 = Math.round(plotX * dpr)
    const dW = Math.max(1, Math.round(plotW * dpr))
    const dy0 = Math.round(layout.lanesTop * dpr)
    const dH = Math.max(1, Math.round((layout.lanesBottom - layout.lanesTop) * dpr))
    // Virtual scrolling: lanes scrolled out of view cost nothing (Perfetto does the same).
    const [vy0, vy1] = f.visibleY ?? [0, height]
    const onScreen = layout.lanes.filter((b) => b.y + b.h >= vy0 && b.y <= vy1)
    const key = `${f.t0}|${f.t1}|${dW}|${dH}|${onScreen[0]?.lane.key}|${onScreen[onScreen.length - 1]?.lane.key}`
    let visible = this.imgStats.visible
    let sig = this.imgStats.sig
    if (!this.img || key !== this.imgKey || trace !== this.imgTrace || layout !== this.imgLayout) {
      if (!this.img || this.img.width !== dW || this.img.height !== dH) this.img = new ImageData(dW, dH)
      ;({ visible, sig } = this.fillLanes(f, onScreen, dW, dH, dy0))
      this.imgKey = key
      this.imgTrace = trace
      this.imgLayout = layout
      this.imgStats = { visible, sig }
    }
    ctx.putImageData(this.img!, dx0, dy0)
    this.drawOverlays(f, x, span)
    return { visibleSlices: visible, ms: performance.now() - t, signature: sig >>> 0, eventsDrawn: this.eventsDrawn }
  }

  private eventsDrawn = 0
  private hatch: CanvasPattern | null = null
  /** lanes drawn from the busy summary past their stored slices (e2e reads it from the canvas' wrapper) */
  summarisedLanes = 0

  /** busy % over the visible window of each drawn lane, as its label shows it (e2e) */
  laneBusyPercent(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const k of this.drawnLanes) out[k] = Math.round((this.laneBusy.get(k) ?? 0) * 1000) / 10
    return out
  }

  /**
   * Where a lane has no stored slices (past `trace.maxSlices`) it is drawn from the busy summary:
   * hatched, as Perfetto marks incomplete regions, with "summarised: 1 px = X" at its start.
   */
  private drawSummarised(f: FrameInput, x: ScaleLinear<number, number>): void {
    const { ctx, layout } = f
    const mip = f.index.busy
    this.summarisedLanes = 0
    const until = f.index.simulatedUntil
    if (until !== undefined && until < f.t1) {
      // a snapshot of a run still in progress: the rest of the axis is not simulated yet
      const xa = Math.max(x(until), layout.plotX)
      ctx.fillStyle = 'rgba(241,243,244,0.85)'
      ctx.fillRect(xa, layout.lanesTop, layout.plotX + layout.plotW - xa, layout.lanesBottom - layout.lanesTop)
      ctx.fillStyle = '#5f6368'
      ctx.font = FONT_SMALL
      ctx.textAlign = 'left'
      if (layout.plotX + layout.plotW - xa > 120) ctx.fillText('simulating… (not simulated yet)', xa + 6, layout.lanesTop + 24)
    }
    if (!mip) return
    if (!this.hatch) {
      const tile = new OffscreenCanvas(8, 8)
      const tc = tile.getContext('2d')
      if (tc) {
        tc.strokeStyle = 'rgba(32,33,36,0.28)'
        tc.lineWidth = 1
        tc.beginPath()
        tc.moveTo(-2, 10)
        tc.lineTo(10, -2)
        tc.stroke()
        this.hatch = ctx.createPattern(tile, 'repeat')
      }
    }
    const nsPerPx = (f.t1 - f.t0) / Math.max(layout.plotW, 1)
    const bucketNs = mip.levels[0]!.bucketNs
    let labelled = false
    ctx.save()
    ctx.beginPath()
    ctx.rect(layout.plotX, layout.lanesTop, layout.plotW, layout.lanesBottom - layout.lanesTop)
    ctx.clip()
    for (const box of layout.lanes) {
      const from = box.lane.detailEnd
      if (!box.lane.series || !(from < f.t1) || !this.drawnLanes.has(box.lane.key)) continue
      this.summarisedLanes++
      const xa = x(Math.max(from, f.t0))
      const xb = layout.plotX + layout.plotW
      if (this.hatch) { ctx.fillStyle = this.hatch; ctx.fillRect(xa, box.y, xb - xa, box.h) }
      ctx.strokeStyle = 'rgba(32,33,36,0.55)'
      ctx.setLineDash([3, 2])
      ctx.beginPath()
      ctx.moveTo(Math.round(xa) + 0.5, box.y)
      ctx.lineTo(Math.round(xa) + 0.5, box.y + box.h)
      ctx.stroke()
      ctx.setLineDash([])
      if (!labelled && xb - xa > 150) {
        const text = nsPerPx >= bucketNs ? `summarised: 1 px = ${fmtTime(nsPerPx)}` : `summarised: ${fmtTime(bucketNs)} buckets`
        ctx.font = FONT_SMALL
        const w = ctx.measureText(text).width + 8
        ctx.fillStyle = 'rgba(255,255,255,0.92)'
        ctx.fillRect(xa + 3, box.y + 1, w, Math.min(14, box.h - 2))
        ctx.fillStyle = '#202124'
        ctx.textAlign = 'left'
        ctx.fillText(text, xa + 7, box.y + Math.min(8, box.h / 2) + 0.5)
        labelled = true
      }
    }
    ctx.restore()
  }

  /**
   * Aggregate the on-screen lanes into the ImageData: one row buffer per lane, copied to each pixel
   * row, then the columns where several kinds ran are overwritten as stacks (columnStack). The
   * overwrite touches only those columns' lane pixels, so a frame stays O(visible slices + pixels).
   */
  private fillLanes(f: FrameInput, lanes: Layout['lanes'], dW: number, dH: number, dy0: number): { visible: number; sig: number } {
    const { dpr, trace } = f
    if (this.rowBuf.length !== dW) this.rowBuf = new Uint32Array(dW)
    const u32 = new Uint32Array(this.img!.data.buffer)
    u32.fill(WHITE)
    let visible = 0
    let sig = 0
    this.drawnLanes.clear()
    const sk = this.stackKinds
    const sh = this.stackHeights
    for (const box of lanes) {
      this.drawnLanes.add(box.lane.key)
      const summary = f.index.busy ? { mip: f.index.busy, from: summaryFrom(f.index, box.lane, f.t0, f.t1, dW) } : undefined
      const row = this.agg.aggregate(box.lane, trace.slices, f.t0, f.t1, dW, this.rows.get(box.lane.key), summary)
      this.rows.set(box.lane.key, row)
      visible += row.visible
      let busy = 0
      for (let c = 0; c < dW; c++) busy += row.cover[c]!
      this.laneBusy.set(box.lane.key, busy / dW)
      const buf = this.rowBuf
      for (let c = 0; c < dW; c++) {
        const k = row.kind[c]!
        if (k === NO_KIND) buf[c] = BG
        else if (row.edge[c] && c > 0 && row.kind[c - 1] !== NO_KIND) buf[c] = WHITE
        else buf[c] = LUT[k * INTENSITY_LEVELS + intensityLevel(row.cover[c]!, INTENSITY_LEVELS)]!
        if (k !== NO_KIND) sig = (sig * 31 + k * 17 + c) | 0
      }
      const r0 = Math.round(box.y * dpr) - dy0
      const r1 = Math.round((box.y + box.h) * dpr) - dy0
      const ra = Math.max(0, r0)
      const rb = Math.min(dH, r1)
      for (let r = ra; r < rb; r++) u32.set(buf, r * dW)
      // columns with several kinds: a stack in kind order from the bottom, heights ∝ time share
      for (let c = 0; c < dW; c++) {
        if (row.kinds[c]! < 2 || buf[c] === WHITE) continue
        const level = intensityLevel(row.cover[c]!, INTENSITY_LEVELS)
        const n = columnStack(row, c, r1 - r0, sk, sh)
        let y = r1
        for (let i = 0; i < n; i++) {
          const px = LUT[sk[i]! * INTENSITY_LEVELS + level]!
          const ya = y - sh[i]!
          for (let r = Math.max(ya, ra); r < Math.min(y, rb); r++) u32[r * dW + c] = px
          y = ya
          sig = (sig * 31 + sk[i]! * 7 + sh[i]!) | 0
        }
      }
    }
    return { visible, sig }
  }

  /** Everything vector on top of the slices: cheap, capped, redrawn every frame. */
  private drawOverlays(f: FrameInput, x: ScaleLinear<number, number>, span: number): void {
    const { ctx, layout, trace } = f
    const { width, height, plotX, plotW } = layout

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
    for (const box of layout.lanes) {
      const b = this.drawnLanes.has(box.lane.key) ? this.laneBusy.get(box.lane.key) : undefined
      if (b !== undefined) ctx.fillText(`${Math.round(b * 100)}%`, plotX - 6, box.y + box.h / 2 + 0.5)
    }
    ctx.textAlign = 'left'
    ctx.font = FONT

    // --- labels inside wide slices (zoomed in) ---
    ctx.save()
    ctx.beginPath()
    ctx.rect(plotX, layout.lanesTop, plotW, layout.lanesBottom - layout.lanesTop)
    ctx.clip()
    ctx.font = FONT_SMALL
    let labels = 0
    const s = trace.slices
    for (const box of layout.lanes) {
      const row = this.rows.get(box.lane.key)
      if (!row || !this.drawnLanes.has(box.lane.key) || row.visible > 400 || labels > MAX_LABELS) continue
      // a row filled from the busy summary counted no slices there: walking them for labels would
      // visit every stored slice of the lane (~40 ms per landing at 0.5 M slices)
      const labelEnd = Math.min(f.t1, row.summaryFrom)
      if (labelEnd <= f.t0) continue
      forEachVisible(box.lane, s, f.t0, labelEnd, (i) => {
        const xa = Math.max(x(s.start[i]!), plotX)
        const xb = Math.min(x(s.end[i]!), plotX + plotW)
        if (xb - xa < 44 || labels > MAX_LABELS) return
        const name = trace.actors[s.actor[i]!]?.name ?? ''
        const k = s.kind[i]!
        ctx.fillStyle = k === 2 || k === 8 || k === 1 ? '#202124' : '#ffffff'
        ctx.fillText(clip(name, xb - xa - 6), xa + 3, box.y + box.h / 2 + 0.5)
        labels++
      })
    }
    ctx.restore()

    // --- overlay tracks (thread states, flow arrows, details) ---
    for (const o of f.overlays ?? []) o({ ctx, layout, t0: f.t0, t1: f.t1, x, drawnLanes: this.drawnLanes })

    // --- summarised regions (past the stored slices): hatched, with their resolution ---
    this.drawSummarised(f, x)

    // --- hover outline ---
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

    // --- counters ---
    for (const c of layout.counters) this.drawCounter(ctx, c, f, plotX, plotW)

    // --- wakeups and migrations (only when few enough to read) ---
    this.eventsDrawn = f.showEvents ? this.drawEvents(f, x) : 0

    // --- mode switches: applied (solid) and scheduled (dashed) ---
    const marks: { tNs: number; label: string; applied: boolean }[] = groupModeSwitches(trace.events.modeSwitches).map((m) => ({ ...m, applied: true }))
    for (const m of f.scheduledSwitches) if (!marks.some((a) => Math.abs(a.tNs - m.tNs) < 1)) marks.push({ ...m, applied: false })
    ctx.font = FONT_SMALL
    let labelRight = -Infinity
    for (const m of sortedCopy(marks, (a, b) => a.tNs - b.tNs)) {
      if (m.tNs < f.t0 || m.tNs > f.t1) continue
      const px = Math.round(x(m.tNs)) + 0.5
      ctx.strokeStyle = '#b31412'
      ctx.setLineDash(m.applied ? [] : [4, 3])
      ctx.lineWidth = 1.5
      ctx.beginPath()
      ctx.moveTo(px, AXIS_H)
      ctx.lineTo(px, height)
      ctx.stroke()
      ctx.setLineDash([])
      ctx.lineWidth = 1
      const w = ctx.measureText(m.label).width + 8
      if (px + 2 > labelRight) {
        const lx = Math.min(px + 2, width - w - 2)
        ctx.fillStyle = '#b31412'
        ctx.fillRect(lx, layout.lanesTop + 1, w, 14)
        ctx.fillStyle = '#ffffff'
        ctx.textAlign = 'left'
        ctx.fillText(m.label, lx + 4, layout.lanesTop + 8.5)
        labelRight = lx + w
      }
    }

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
  }

  private drawCounter(ctx: CanvasRenderingContext2D, c: Layout['counters'][number], f: FrameInput, plotX: number, plotW: number): void {
    const { track, ref, y, h, max } = c
    ctx.fillStyle = '#f8f9fa'
    ctx.fillRect(plotX, y, plotW, h)
    ctx.fillStyle = '#202124'
    ctx.font = FONT
    ctx.textAlign = 'left'
    // "NIC rx rings (all queues)": the parenthetical goes on its own line rather than being cut
    const paren = track.name.indexOf(' (')
    const head = paren > 0 ? track.name.slice(0, paren) : track.name
    const tail = paren > 0 ? track.name.slice(paren + 1) : ''
    ctx.fillText(clip(head, plotX - 20), 12, y + 8)
    ctx.fillStyle = '#5f6368'
    ctx.font = FONT_SMALL
    if (tail) ctx.fillText(clip(tail, plotX - 20), 12, y + 20)
    ctx.fillText(`scale 0–${fmtSig(max)} ${track.unit}`, 12, tail ? y + 32 : y + 24)
    const n = track.t.length
    if (max <= 0) return
    // compare view: A's track of the same name, on the same scale, as a dashed grey line over B's
    if (n === 0 || ref === track) { if (ref) this.drawCounterLine(ctx, ref, y, h, max, f, plotX, plotW); return }
    // One min/max pair per css pixel column: ≤ 2·width path points whatever the sample count.
    const cols = Math.max(1, Math.floor(plotW))
    const per = (f.t1 - f.t0) / cols
    let i = Math.max(0, lowerBoundByTimes(track.t, f.t0) - 1)
    const yOf = (v: number) => y + h - 2 - (v / max) * (h - 4)
    const hi: number[] = []
    const lo: number[] = []
    for (let col = 0; col < cols; col++) {
      const ta = f.t0 + col * per
      const tb = ta + per
      let mn = Infinity
      let mx = -Infinity
      // the sample in effect at ta
      while (i + 1 < n && track.t[i + 1]! <= ta) i++
      if (track.t[i]! <= tb) { mn = mx = track.v[i]! }
      let j = i + 1
      while (j < n && track.t[j]! < tb) { const v = track.v[j]!; if (v < mn) mn = v; if (v > mx) mx = v; j++ }
      if (mx === -Infinity) { hi.push(NaN); lo.push(NaN); continue }
      hi.push(yOf(mx))
      lo.push(yOf(mn))
    }
    const color = /drop/i.test(track.name) ? '#d93025' : '#1a73e8'
    ctx.beginPath()
    let started = false
    for (let col = 0; col < cols; col++) {
      const v = hi[col]!
      if (Number.isNaN(v)) continue
      const px = plotX + col + 0.5
      if (!started) { ctx.moveTo(px, y + h); started = true }
      ctx.lineTo(px, v)
    }
    if (!started) { if (ref) this.drawCounterLine(ctx, ref, y, h, max, f, plotX, plotW); return }
    for (let col = cols - 1; col >= 0; col--) if (!Number.isNaN(hi[col]!)) { ctx.lineTo(plotX + col + 0.5, y + h); break }
    ctx.closePath()
    ctx.fillStyle = color === '#d93025' ? 'rgba(217,48,37,0.22)' : 'rgba(26,115,232,0.20)'
    ctx.fill()
    ctx.beginPath()
    started = false
    for (let col = 0; col < cols; col++) {
      const v = hi[col]!
      if (Number.isNaN(v)) continue
      const px = plotX + col + 0.5
      if (!started) { ctx.moveTo(px, v); started = true } else ctx.lineTo(px, v)
      if (lo[col]! - v > 1) { ctx.lineTo(px, lo[col]!); ctx.lineTo(px, v) }
    }
    ctx.strokeStyle = color
    ctx.stroke()
    if (ref) this.drawCounterLine(ctx, ref, y, h, max, f, plotX, plotW)
  }

  /** A counter as a dashed line of per-column maxima (run A beside B's filled track). */
  private drawCounterLine(ctx: CanvasRenderingContext2D, track: Layout['counters'][number]['track'], y: number, h: number, max: number, f: FrameInput, plotX: number, plotW: number): void {
    const n = track.t.length
    if (n === 0) return
    const cols = Math.max(1, Math.floor(plotW))
    const per = (f.t1 - f.t0) / cols
    let i = Math.max(0, lowerBoundByTimes(track.t, f.t0) - 1)
    ctx.beginPath()
    let started = false
    for (let col = 0; col < cols; col++) {
      const ta = f.t0 + col * per
      const tb = ta + per
      while (i + 1 < n && track.t[i + 1]! <= ta) i++
      if (track.t[i]! > tb) continue
      let mx = track.v[i]!
      for (let j = i + 1; j < n && track.t[j]! < tb; j++) if (track.v[j]! > mx) mx = track.v[j]!
      const py = y + h - 2 - (mx / max) * (h - 4)
      if (!started) { ctx.moveTo(plotX + col + 0.5, py); started = true } else ctx.lineTo(plotX + col + 0.5, py)
    }
    ctx.save()
    ctx.setLineDash([4, 3])
    ctx.strokeStyle = '#5f6368'
    ctx.lineWidth = 1.5
    ctx.stroke()
    ctx.restore()
  }

  private drawEvents(f: FrameInput, x: (v: number) => number): number {
    const { ctx, layout, trace, index } = f
    const cpuY = new Map<number, number>()
    for (const b of layout.lanes) if (b.lane.kind === 'cpu') cpuY.set(b.lane.id, b.y + b.h / 2)
    const w = trace.events.wakeups
    const m = trace.events.migrations
    const wa = lowerBoundBy(index.wakeupOrder, w.t, f.t0)
    const wb = lowerBoundBy(index.wakeupOrder, w.t, f.t1)
    const ma = lowerBoundBy(index.migrationOrder, m.t, f.t0)
    const mb = lowerBoundBy(index.migrationOrder, m.t, f.t1)
    // Only when zoomed in enough to read them: about one event per 3 px at most.
    if (wb - wa + (mb - ma) > Math.min(MAX_EVENTS, layout.plotW / 3)) return 0
    ctx.save()
    ctx.strokeStyle = 'rgba(32,33,36,0.45)'
    ctx.fillStyle = 'rgba(32,33,36,0.7)'
    ctx.lineWidth = 1
    for (let p = wa; p < wb; p++) {
      const i = index.wakeupOrder[p]!
      const px = x(w.t[i]!)
      const ya = cpuY.get(w.fromCpu[i]!)
      const yb = cpuY.get(w.toCpu[i]!)
      if (ya === undefined || yb === undefined) continue
      if (ya === yb) { ctx.beginPath(); ctx.arc(px, yb - 6, 1.8, 0, Math.PI * 2); ctx.fill(); continue }
      ctx.beginPath()
      ctx.moveTo(px, ya)
      ctx.lineTo(px, yb)
      ctx.stroke()
      const dir = yb > ya ? 1 : -1
      ctx.beginPath()
      ctx.moveTo(px, yb)
      ctx.lineTo(px - 3, yb - 5 * dir)
      ctx.lineTo(px + 3, yb - 5 * dir)
      ctx.closePath()
      ctx.fill()
    }
    ctx.strokeStyle = 'rgba(227,116,0,0.9)'
    ctx.fillStyle = '#e37400'
    ctx.setLineDash([2, 2])
    for (let p = ma; p < mb; p++) {
      const i = index.migrationOrder[p]!
      const px = x(m.t[i]!)
      const ya = cpuY.get(m.fromCpu[i]!)
      const yb = cpuY.get(m.toCpu[i]!)
      if (yb === undefined) continue
      if (ya !== undefined && ya !== yb) {
        ctx.beginPath()
        ctx.moveTo(px, ya)
        ctx.lineTo(px, yb)
        ctx.stroke()
      }
      // a diamond where the thread landed
      ctx.beginPath()
      ctx.moveTo(px, yb - 5)
      ctx.lineTo(px + 4, yb)
      ctx.lineTo(px, yb + 5)
      ctx.lineTo(px - 4, yb)
      ctx.closePath()
      ctx.fill()
    }
    ctx.restore()
    return wb - wa + (mb - ma)
  }
}

function lowerBoundByTimes(t: Float64Array, v: number): number {
  let lo = 0
  let hi = t.length
  while (lo < hi) { const m = (lo + hi) >>> 1; if (t[m]! < v) lo = m + 1; else hi = m }
  return lo
}

/** Cheap text clipping (DejaVu Sans 10–11 px ≈ 6.3 px per char): avoids measureText per label. */
export function clip(text: string, px: number): string {
  const n = Math.floor(px / 6.4)
  if (n <= 1) return ''
  return text.length <= n ? text : `${text.slice(0, n - 1)}…`
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
