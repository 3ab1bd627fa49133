// Perfetto-style tracks (issue 12 item 1; PF:ui/src/public/track.ts): a track draws itself from a
// render context (painter, size, visible window, time scale, colours) and answers hit tests. The
// painter is the backend: `CanvasPainter` (the on-screen canvas and the PNG export, render.ts) and
// `SvgPainter` (the SVG export, svg.ts); tests use a recording painter. Slice lanes (CPU and thread,
// with their summarised parts), thread-state bands, counters and markers (wakeups, migrations, mode
// switches, flow arrows) are tracks. A canvas context may carry a device-pixel `raster`: slice lanes
// then write their aggregated columns into one ImageData (O(visible slices + pixels)) instead of
// painting rects.
import type { CounterTrack, Trace } from '../engine/types.ts'
import { blend, buildPixelLut, INTENSITY_LEVELS, KIND_COUNT, LANE_BG, packRgb, rgbCss } from './colors.ts'
import { fmtSig, fmtTime } from './format.ts'
import type { CounterBox, LaneBox } from './layout.ts'
import { Aggregator, columnStack, counterValueAt, forEachVisible, hitTest, intensityLevel, lowerBoundBy, NO_KIND, pixelRuns, summaryFrom, type Lane, type PixelRow, type TraceIndex } from './model.ts'
import type { SliceDetails, Flow } from './sliceDetails.ts'
import { columnState, stateColumns } from './stateTrack.ts'
import { ThreadState, THREAD_STATE_COLORS, threadStatesFor, type StateInput } from './threadStates.ts'

export type Pt = readonly [number, number]
export interface TextOpts { fill?: string; size?: number; bold?: boolean; align?: 'left' | 'right' | 'center'; baseline?: 'middle' | 'alphabetic' }

/** What a backend can draw. Coordinates are css px in the track's own box (0,0 = its top left). */
export interface Painter {
  /** filled rectangles of one colour (a backend may merge them into one node); `alpha` multiplies the fill */
  rects(fill: string, rs: readonly (readonly [x: number, y: number, w: number, h: number])[], alpha?: number): void
  polyline(points: readonly Pt[], stroke: string, dash?: readonly number[], width?: number): void
  /** a closed filled polygon */
  polygon(points: readonly Pt[], fill: string): void
  dot(x: number, y: number, r: number, fill: string): void
  /** a cubic Bézier stroke */
  curve(a: Pt, c1: Pt, c2: Pt, b: Pt, stroke: string, width: number): void
  strokeRect(x: number, y: number, w: number, h: number, stroke: string, width: number): void
  /** diagonal hatching (summarised regions) */
  hatch(x: number, y: number, w: number, h: number): void
  text(x: number, y: number, s: string, opts?: TextOpts): void
  textWidth(s: string, size?: number): number
  /** draw `fn` clipped to a rectangle */
  clip(x: number, y: number, w: number, h: number, fn: () => void): void
}

export interface TrackColors { laneBg: string; counterBg: string; counterLine: string; dropLine: string; refLine: string; label: string }
export const TRACK_COLORS: TrackColors = { laneBg: LANE_BG, counterBg: '#f8f9fa', counterLine: '#1a73e8', dropLine: '#d93025', refLine: '#5f6368', label: '#5f6368' }

/** Device pixels of the lane block (canvas backend only): slice lanes write their rows here. */
export interface LaneRaster {
  u32: Uint32Array
  /** device px */
  width: number
  height: number
  /** the track box's top and bottom rows in the raster (may lie outside it) */
  row0: number
  row1: number
  /** signature of what was drawn (tests: "the timeline changed"), updated by the lanes */
  sig: number
}

export interface TrackRenderContext {
  painter: Painter
  /** the track's box, css px */
  size: { width: number; height: number }
  /** visible window, ns */
  visibleWindow: { t0: number; t1: number }
  /** ns → x in the box */
  timescale: (t: number) => number
  colors: TrackColors
  /** canvas backend: the lane block as device pixels */
  raster?: LaneRaster
}

export type TrackHit = { kind: 'slice'; slice: number; nearby: number } | { kind: 'counter'; value: number | null; t: number } | { kind: 'mark'; title: string; rows: [string, string][] }

export interface Track {
  key: string
  label: string
  render(ctx: TrackRenderContext): void
  /** what is under (x, y) in the box, or null */
  hitTest(ctx: TrackRenderContext, x: number, y: number): TrackHit | null
}

/** A render context for a box of `width`×`height` showing [t0, t1] over the whole width. */
export function trackContext(painter: Painter, width: number, height: number, t0: number, t1: number, colors = TRACK_COLORS): TrackRenderContext {
  const k = width / Math.max(t1 - t0, 1e-9)
  return { painter, size: { width, height }, visibleWindow: { t0, t1 }, timescale: (t) => (t - t0) * k, colors }
}

const invert = (ctx: TrackRenderContext, x: number) => ctx.visibleWindow.t0 + (x / ctx.size.width) * (ctx.visibleWindow.t1 - ctx.visibleWindow.t0)

/** Cheap text clipping (DejaVu Sans 10–11 px ≈ 6.3 px per char): avoids measureText per label. */
export function clip(text: string, px: number): string {
  const n = Math.floor(px / 6.4)
  if (n <= 1) return ''
  return text.length <= n ? text : `${text.slice(0, n - 1)}…`
}

const LUT = buildPixelLut()
const BG = packRgb(LANE_BG)
const WHITE = packRgb('#ffffff')
const MAX_LABELS = 600

/**
 * A CPU or thread lane: the slices aggregated per pixel column (each column stacked by kind, paler =
 * partly busy); past the stored slices, from the busy summary (hatched, `renderSummarised`).
 * Raster backend: one row buffer copied to the box's device rows; vector backends: merged pixel runs.
 */
export class SliceLaneTrack implements Track {
  readonly key: string
  readonly label: string
  /** the last rendered row (labels, busy %) */
  row: PixelRow | null = null
  /** busy fraction over the last rendered window */
  busy = 0
  private rowBuf = new Uint32Array(0)
  private sk = new Uint8Array(KIND_COUNT)
  private sh = new Int32Array(KIND_COUNT)
  constructor(readonly lane: Lane, private trace: Pick<Trace, 'slices'> & Partial<Pick<Trace, 'actors'>>, private agg = new Aggregator(), private index?: TraceIndex) {
    this.key = lane.key
    this.label = lane.label
  }
  private aggregate(ctx: TrackRenderContext, width: number): PixelRow {
    const { t0, t1 } = ctx.visibleWindow
    const ix = this.index
    const summary = ix?.busy ? { mip: ix.busy, from: summaryFrom(ix, this.lane, t0, t1, width) } : undefined
    const row = this.agg.aggregate(this.lane, this.trace.slices, t0, t1, width, this.row ?? undefined, summary)
    this.row = row
    let busy = 0
    for (let c = 0; c < row.width; c++) busy += row.cover[c]!
    this.busy = busy / row.width
    return row
  }
  render(ctx: TrackRenderContext): void {
    if (ctx.raster) { this.rasterize(ctx, ctx.raster); return }
    const { width, height } = ctx.size
    ctx.painter.rects(ctx.colors.laneBg, [[0, 0, width, height]])
    const row = this.aggregate(ctx, width)
    const byFill = new Map<string, [number, number, number, number][]>()
    for (const r of pixelRuns(row, INTENSITY_LEVELS, height)) {
      const fill = rgbCss(blend(r.kind, (r.level + 1) / INTENSITY_LEVELS))
      let l = byFill.get(fill)
      if (!l) byFill.set(fill, (l = []))
      l.push([r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0])
    }
    for (const [fill, rs] of byFill) ctx.painter.rects(fill, rs)
  }
  /**
   * One row buffer for the lane, copied to each of its device rows, then the columns where several
   * kinds ran overwritten as stacks (columnStack): O(visible slices + pixels).
   */
  private rasterize(ctx: TrackRenderContext, ra: LaneRaster): void {
    const dW = ra.width
    const row = this.aggregate(ctx, dW)
    if (this.rowBuf.length !== dW) this.rowBuf = new Uint32Array(dW)
    const buf = this.rowBuf
    const u32 = ra.u32
    let sig = ra.sig
    for (let c = 0; c < dW; c++) {
      const k = row.kind[c]!
      if (k === NO_KIND) buf[c] = BG
      else if (row.edge[c] && c > 0 && row.kind[c - 1] !== NO_KIND) buf[c] = WHITE
      else buf[c] = LUT[k * INTENSITY_LEVELS + intensityLevel(row.cover[c]!, INTENSITY_LEVELS)]!
      if (k !== NO_KIND) sig = (sig * 31 + k * 17 + c) | 0
    }
    const { row0: r0, row1: r1 } = ra
    const ya = Math.max(0, r0)
    const yb = Math.min(ra.height, r1)
    for (let r = ya; r < yb; r++) u32.set(buf, r * dW)
    const sk = this.sk
    const sh = this.sh
    for (let c = 0; c < dW; c++) {
      if (row.kinds[c]! < 2 || buf[c] === WHITE) continue
      const level = intensityLevel(row.cover[c]!, INTENSITY_LEVELS)
      const n = columnStack(row, c, r1 - r0, sk, sh)
      let y = r1
      for (let i = 0; i < n; i++) {
        const px = LUT[sk[i]! * INTENSITY_LEVELS + level]!
        const top = y - sh[i]!
        for (let r = Math.max(top, ya); r < Math.min(y, yb); r++) u32[r * dW + c] = px
        y = top
        sig = (sig * 31 + sk[i]! * 7 + sh[i]!) | 0
      }
    }
    ra.sig = sig
  }
  /** Names inside slices wide enough (zoomed in); `budget.n` caps them over all lanes. */
  renderLabels(ctx: TrackRenderContext, budget: { n: number }): void {
    const row = this.row
    const actors = this.trace.actors
    if (!row || !actors || row.visible > 400 || budget.n > MAX_LABELS) return
    // a row filled from the busy summary counted no slices there: walking them for labels would
    // visit every stored slice of the lane (~40 ms per landing at 0.5 M slices)
    const { t0, t1 } = ctx.visibleWindow
    const labelEnd = Math.min(t1, row.summaryFrom)
    if (labelEnd <= t0) return
    const s = this.trace.slices
    const x = ctx.timescale
    const { width, height } = ctx.size
    forEachVisible(this.lane, s, t0, labelEnd, (i) => {
      const xa = Math.max(x(s.start[i]!), 0)
      const xb = Math.min(x(s.end[i]!), width)
      if (xb - xa < 44 || budget.n > MAX_LABELS) return
      const k = s.kind[i]!
      ctx.painter.text(xa + 3, height / 2 + 0.5, clip(actors[s.actor[i]!]?.name ?? '', xb - xa - 6), { size: 10, fill: k === 2 || k === 8 || k === 1 ? '#202124' : '#ffffff', baseline: 'middle' })
      budget.n++
    })
  }
  /**
   * Where the lane has no stored slices (past `trace.maxSlices`) it was drawn from the busy summary:
   * hatched, as Perfetto marks incomplete regions, a dashed edge, and (once per frame, `st.labelled`)
   * "summarised: 1 px = X". Returns whether the lane has such a part on screen.
   */
  renderSummarised(ctx: TrackRenderContext, st: { labelled: boolean }): boolean {
    const from = this.lane.detailEnd
    const mip = this.index?.busy
    const { t0, t1 } = ctx.visibleWindow
    if (!mip || !this.lane.series || !(from < t1)) return false
    const p = ctx.painter
    const { width, height } = ctx.size
    const xa = ctx.timescale(Math.max(from, t0))
    p.hatch(xa, 0, width - xa, height)
    p.polyline([[Math.round(xa) + 0.5, 0], [Math.round(xa) + 0.5, height]], 'rgba(32,33,36,0.55)', [3, 2])
    if (!st.labelled && width - xa > 150) {
      const nsPerPx = (t1 - t0) / Math.max(width, 1)
      const bucketNs = mip.levels[0]!.bucketNs
      const text = nsPerPx >= bucketNs ? `summarised: 1 px = ${fmtTime(nsPerPx)}` : `summarised: ${fmtTime(bucketNs)} buckets`
      const w = p.textWidth(text, 10) + 8
      p.rects('rgba(255,255,255,0.92)', [[xa + 3, 1, w, Math.min(14, height - 2)]])
      p.text(xa + 7, Math.min(8, height / 2) + 0.5, text, { size: 10, baseline: 'middle' })
      st.labelled = true
    }
    return true
  }
  hitTest(ctx: TrackRenderContext, x: number, y: number): TrackHit | null {
    if (y < 0 || y >= ctx.size.height || x < 0 || x >= ctx.size.width) return null
    const slop = (3 * (ctx.visibleWindow.t1 - ctx.visibleWindow.t0)) / ctx.size.width
    const h = hitTest(this.lane, this.trace.slices, invert(ctx, x), slop)
    return h ? { kind: 'slice', slice: h.slice, nearby: h.nearby } : null
  }
}

let stateScratch = new Float64Array(0)

/**
 * Thread-state band of a thread lane (Perfetto's thread-state track, folded into the lane): per css
 * pixel column the state a task spent most of its non-sleeping time in — Running, Runnable,
 * Interrupted — as a strip at the lane's bottom; where it did not run at all in a column its waiting
 * fills the lane, pale. Columns merged into runs: O(visible spans + px). Returns false without spans.
 */
export class ThreadStateTrack implements Track {
  readonly key: string
  readonly label: string
  constructor(private lane: Lane, private input: StateInput, private index: TraceIndex) {
    this.key = `state:${lane.key}`
    this.label = `${lane.label} state`
  }
  render(ctx: TrackRenderContext): boolean {
    const sp = threadStatesFor(this.input, this.index).byActor.get(this.lane.id)
    if (!sp) return false
    const { width, height } = ctx.size
    const { t0, t1 } = ctx.visibleWindow
    const cols = Math.max(1, Math.floor(width))
    if (stateScratch.length < cols * 4) stateScratch = new Float64Array(cols * 4)
    const acc = stateColumns(sp, t0, t1, cols, stateScratch)
    const per = (t1 - t0) / cols
    const band = height >= 14 ? 4 : 3
    const yb = height - band
    let c = 0
    while (c < cols) {
      const st = columnState(acc, c)
      const full = st > 0 && (acc[c * 4 + ThreadState.running] ?? 0) === 0
      let e = c + 1
      while (e < cols && columnState(acc, e) === st && (st > 0 && (acc[e * 4 + ThreadState.running] ?? 0) === 0) === full) e++
      if (st >= 0) {
        const busy = (acc[c * 4]! + acc[c * 4 + 1]! + acc[c * 4 + 2]!) / per
        const alpha = 0.45 + 0.55 * Math.min(1, busy)
        const fill = THREAD_STATE_COLORS[st]!
        if (full) ctx.painter.rects(fill, [[c, 0, e - c, height - band]], alpha * 0.45)
        ctx.painter.rects(fill, [[c, yb, e - c, band]], alpha)
      }
      c = e
    }
    return true
  }
  hitTest(): TrackHit | null { return null }
}

/** A counter: its area and line on the box's scale (0..max), one min/max pair per column; `ref` (run A) dashed grey. */
export class CounterLineTrack implements Track {
  readonly key: string
  readonly label: string
  constructor(readonly track: CounterTrack, readonly max: number, private ref: CounterTrack | null = null) {
    this.key = `counter:${track.name}`
    this.label = track.name
  }
  static fromBox(c: CounterBox): CounterLineTrack {
    return new CounterLineTrack(c.track, c.max, c.ref)
  }
  private yOf(ctx: TrackRenderContext, v: number): number { return ctx.size.height - 2 - (v / this.max) * (ctx.size.height - 4) }
  render(ctx: TrackRenderContext): void {
    const p = ctx.painter
    const { width, height } = ctx.size
    const { t0, t1 } = ctx.visibleWindow
    p.rects(ctx.colors.counterBg, [[0, 0, width, height]])
    const tr = this.track
    const n = tr.t.length
    if (this.max <= 0) return
    // compare view: A's track alone (`ref` = the track: not in B) is only the dashed line
    if (n > 0 && this.ref !== tr) {
      // one min/max pair per css pixel column: ≤ 2·width points whatever the sample count
      const cols = Math.max(1, Math.floor(width))
      const per = (t1 - t0) / cols
      let i = Math.max(0, lowerBoundTimes(tr.t, t0) - 1)
      const area: Pt[] = []
      const line: Pt[] = []
      for (let col = 0; col < cols; col++) {
        const ta = t0 + col * per
        const tb = ta + per
        let mn = Infinity
        let mx = -Infinity
        while (i + 1 < n && tr.t[i + 1]! <= ta) i++
        if (tr.t[i]! <= tb) mn = mx = tr.v[i]!
        for (let j = i + 1; j < n && tr.t[j]! < tb; j++) { const v = tr.v[j]!; if (v < mn) mn = v; if (v > mx) mx = v }
        if (mx === -Infinity) continue
        const px = col + 0.5
        const hi = this.yOf(ctx, mx)
        const lo = this.yOf(ctx, mn)
        if (!area.length) area.push([px, height])
        area.push([px, hi])
        line.push([px, hi])
        if (lo - hi > 1) line.push([px, lo], [px, hi])
      }
      if (area.length) {
        area.push([area[area.length - 1]![0], height])
        const drop = /drop/i.test(tr.name)
        p.polygon(area, drop ? 'rgba(217,48,37,0.22)' : 'rgba(26,115,232,0.20)')
        p.polyline(line, drop ? ctx.colors.dropLine : ctx.colors.counterLine)
      }
    }
    if (this.ref) this.renderRef(ctx, this.ref)
  }
  /** run A: a dashed line of per-column maxima */
  private renderRef(ctx: TrackRenderContext, tr: CounterTrack): void {
    const n = tr.t.length
    if (n === 0) return
    const { t0, t1 } = ctx.visibleWindow
    const cols = Math.max(1, Math.floor(ctx.size.width))
    const per = (t1 - t0) / cols
    let i = Math.max(0, lowerBoundTimes(tr.t, t0) - 1)
    const pts: Pt[] = []
    for (let col = 0; col < cols; col++) {
      const ta = t0 + col * per
      const tb = ta + per
      while (i + 1 < n && tr.t[i + 1]! <= ta) i++
      if (tr.t[i]! > tb) continue
      let mx = tr.v[i]!
      for (let j = i + 1; j < n && tr.t[j]! < tb; j++) if (tr.v[j]! > mx) mx = tr.v[j]!
      pts.push([col + 0.5, this.yOf(ctx, mx)])
    }
    if (pts.length) ctx.painter.polyline(pts, ctx.colors.refLine, [4, 3], 1.5)
  }
  /** The gutter text at (x, y) = the track's top: name (a parenthetical on its own line), then scale and unit. */
  gutter(p: Painter, x: number, y: number, maxW: number, colors = TRACK_COLORS): void {
    const name = this.track.name
    const paren = name.indexOf(' (')
    const head = paren > 0 ? name.slice(0, paren) : name
    const tail = paren > 0 ? name.slice(paren + 1) : ''
    p.text(x, y + 8, clip(head, maxW), { baseline: 'middle' })
    if (tail) p.text(x, y + 20, clip(tail, maxW), { fill: colors.label, size: 10, baseline: 'middle' })
    p.text(x, tail ? y + 32 : y + 24, `scale 0–${fmtSig(this.max)} ${this.track.unit}`, { fill: colors.label, size: 10, baseline: 'middle' })
  }
  hitTest(ctx: TrackRenderContext, x: number, y: number): TrackHit | null {
    if (y < 0 || y >= ctx.size.height || x < 0 || x >= ctx.size.width) return null
    const t = invert(ctx, x)
    return { kind: 'counter', value: counterValueAt(this.track, t), t }
  }
}

function lowerBoundTimes(t: Float64Array, v: number): number {
  let lo = 0
  let hi = t.length
  while (lo < hi) { const m = (lo + hi) >>> 1; if (t[m]! < v) lo = m + 1; else hi = m }
  return lo
}

/** CPU lanes' (and optionally thread lanes') vertical centres in a marker track's box. */
export interface LaneCentres { cpu: ReadonlyMap<number, number>; actor: ReadonlyMap<number, number> }
export function laneCentres(lanes: readonly LaneBox[], top: number): LaneCentres {
  const cpu = new Map<number, number>()
  const actor = new Map<number, number>()
  for (const b of lanes) (b.lane.kind === 'cpu' ? cpu : actor).set(b.lane.id, b.y - top + b.h / 2)
  return { cpu, actor }
}

const MAX_EVENTS = 2500
const MAX_MIGRATION_LABELS = 60

/**
 * Wakeups (waker CPU → wakee CPU, an arrowhead where it was placed; a dot on the same CPU) and
 * migrations (dashed, a diamond where the thread landed, "name a→b" labels when few) over the lane
 * block; drawn only when zoomed in enough to read them (≤ 1 per 3 px). Hover text via `hitTest`.
 */
export class WakeupMigrationTrack implements Track {
  readonly key = 'marks:wakeups'
  readonly label = 'wakeups and migrations'
  /** how many were drawn in the last render */
  drawn = 0
  constructor(private input: StateInput, private index: TraceIndex, private y: LaneCentres) {}
  private range(ctx: TrackRenderContext) {
    const { t0, t1 } = ctx.visibleWindow
    const { wakeups: w, migrations: m } = this.input.events
    const ix = this.index
    return { wa: lowerBoundBy(ix.wakeupOrder, w.t, t0), wb: lowerBoundBy(ix.wakeupOrder, w.t, t1), ma: lowerBoundBy(ix.migrationOrder, m.t, t0), mb: lowerBoundBy(ix.migrationOrder, m.t, t1) }
  }
  private readable(ctx: TrackRenderContext, r: { wa: number; wb: number; ma: number; mb: number }): boolean {
    return r.wb - r.wa + (r.mb - r.ma) <= Math.min(MAX_EVENTS, ctx.size.width / 3)
  }
  render(ctx: TrackRenderContext): void {
    this.drawn = 0
    const r = this.range(ctx)
    if (!this.readable(ctx, r)) return
    const p = ctx.painter
    const x = ctx.timescale
    const { wakeups: w, migrations: m } = this.input.events
    const cpuY = this.y.cpu
    for (let q = r.wa; q < r.wb; q++) {
      const i = this.index.wakeupOrder[q]!
      const px = x(w.t[i]!)
      const ya = cpuY.get(w.fromCpu[i]!)
      const yb = cpuY.get(w.toCpu[i]!)
      if (ya === undefined || yb === undefined) continue
      if (ya === yb) { p.dot(px, yb - 6, 1.8, 'rgba(32,33,36,0.7)'); continue }
      p.polyline([[px, ya], [px, yb]], 'rgba(32,33,36,0.45)')
      const dir = yb > ya ? 1 : -1
      p.polygon([[px, yb], [px - 3, yb - 5 * dir], [px + 3, yb - 5 * dir]], 'rgba(32,33,36,0.7)')
    }
    for (let q = r.ma; q < r.mb; q++) {
      const i = this.index.migrationOrder[q]!
      const px = x(m.t[i]!)
      const ya = cpuY.get(m.fromCpu[i]!)
      const yb = cpuY.get(m.toCpu[i]!)
      if (yb === undefined) continue
      if (ya !== undefined && ya !== yb) p.polyline([[px, ya], [px, yb]], 'rgba(227,116,0,0.9)', [2, 2])
      p.polygon([[px, yb - 5], [px + 4, yb], [px, yb + 5], [px - 4, yb]], '#e37400')
    }
    this.drawn = r.wb - r.wa + (r.mb - r.ma)
  }
  /** "name 3→7" beside each migration diamond when few are on screen */
  renderLabels(ctx: TrackRenderContext): void {
    const r = this.range(ctx)
    if (r.mb - r.ma > MAX_MIGRATION_LABELS || !this.readable(ctx, r)) return
    const m = this.input.events.migrations
    for (let q = r.ma; q < r.mb; q++) {
      const i = this.index.migrationOrder[q]!
      const y = this.y.cpu.get(m.toCpu[i]!)
      if (y === undefined) continue
      const name = this.input.actors[m.actor[i]!]?.name ?? ''
      ctx.painter.text(ctx.timescale(m.t[i]!) + 6, y - 6, `${name} ${m.fromCpu[i]}→${m.toCpu[i]}`, { size: 10, fill: '#b06000', baseline: 'middle' })
    }
  }
  hitTest(ctx: TrackRenderContext, x: number, y: number): TrackHit | null {
    const t = invert(ctx, x)
    const slop = (3 * (ctx.visibleWindow.t1 - ctx.visibleWindow.t0)) / ctx.size.width
    let cpuAtY: number | undefined
    for (const [cpu, cy] of this.y.cpu) if (y >= cy - 14 && y < cy + 14 && (cpuAtY === undefined || Math.abs(cy - y) < Math.abs(this.y.cpu.get(cpuAtY)! - y))) cpuAtY = cpu
    const name = (a: number) => this.input.actors[a]?.name ?? `actor ${a}`
    const { wakeups: w, migrations: m } = this.input.events
    const ix = this.index
    for (let p = lowerBoundBy(ix.migrationOrder, m.t, t - slop); p < ix.migrationOrder.length; p++) {
      const i = ix.migrationOrder[p]!
      if (m.t[i]! > t + slop) break
      if (m.toCpu[i] === cpuAtY || m.fromCpu[i] === cpuAtY) return { kind: 'mark', title: `migration: ${name(m.actor[i]!)}`, rows: [['from', `CPU ${m.fromCpu[i]}`], ['to', `CPU ${m.toCpu[i]}`], ['at', fmtTime(m.t[i]!)]] }
    }
    for (let p = lowerBoundBy(ix.wakeupOrder, w.t, t - slop); p < ix.wakeupOrder.length; p++) {
      const i = ix.wakeupOrder[p]!
      if (w.t[i]! > t + slop) break
      const lo = Math.min(w.fromCpu[i]!, w.toCpu[i]!)
      const hi = Math.max(w.fromCpu[i]!, w.toCpu[i]!)
      if (cpuAtY !== undefined && cpuAtY >= lo && cpuAtY <= hi) {
        return { kind: 'mark', title: `wakeup: ${name(w.waker[i]!)} woke ${name(w.wakee[i]!)}`, rows: [['waker CPU', `CPU ${w.fromCpu[i]}`], ['placed on', `CPU ${w.toCpu[i]}`], ['at', fmtTime(w.t[i]!)], ['click', 'a slice for its flow arrows']] }
      }
    }
    return null
  }
}

export interface ModeMark { tNs: number; label: string; applied: boolean }
/**
 * Mode switches as red lines over the whole plot (dashed = scheduled, not yet applied), each
 * labelled at the top of the lane block unless it would overlap the previous label.
 * The box spans the plot column from the axis down; `labelY` = the lane block's top in it,
 * `maxRight` = the rightmost x a label may reach.
 */
export class ModeSwitchTrack implements Track {
  readonly key = 'marks:mode-switches'
  readonly label = 'mode switches'
  constructor(private marks: readonly ModeMark[], private labelY: number, private maxRight: number) {}
  render(ctx: TrackRenderContext): void {
    const p = ctx.painter
    const { t0, t1 } = ctx.visibleWindow
    let labelRight = -Infinity
    for (const m of this.marks) {
      if (m.tNs < t0 || m.tNs > t1) continue
      const px = Math.round(ctx.timescale(m.tNs)) + 0.5
      p.polyline([[px, 0], [px, ctx.size.height]], '#b31412', m.applied ? [] : [4, 3], 1.5)
      const w = p.textWidth(m.label, 10) + 8
      if (px + 2 > labelRight) {
        const lx = Math.min(px + 2, this.maxRight - w)
        p.rects('#b31412', [[lx, this.labelY + 1, w, 14]])
        p.text(lx + 4, this.labelY + 8.5, m.label, { size: 10, fill: '#ffffff', baseline: 'middle' })
        labelRight = lx + w
      }
    }
  }
  hitTest(): TrackHit | null { return null }
}

export const FLOW_COLOR = '#1a73e8'
export const SELECT_COLOR = '#174ea6'

/**
 * The clicked slice outlined on its CPU (and thread) lane, and Perfetto-style flow arrows from its
 * waker's slice and to the slices of the tasks it woke, over the lane block.
 */
export class FlowTrack implements Track {
  readonly key = 'marks:flows'
  readonly label = 'flows'
  drawn = 0
  constructor(private input: StateInput, private d: SliceDetails, private lanes: readonly LaneBox[], private top: number) {}
  render(ctx: TrackRenderContext): void {
    const p = ctx.painter
    const x = ctx.timescale
    const d = this.d
    const s = this.input.slices
    for (const b of this.lanes) {
      if (!((b.lane.kind === 'cpu' && b.lane.id === d.cpu) || (b.lane.kind === 'actor' && b.lane.id === d.actor))) continue
      const xa = x(d.start)
      p.strokeRect(xa - 1, b.y - this.top - 1, Math.max(x(d.end) - xa, 1) + 2, b.h + 2, SELECT_COLOR, 2)
    }
    const cy = laneCentres(this.lanes, this.top).cpu
    let flows = 0
    const draw = (f: Flow) => {
      const ya = cy.get(f.fromCpu)
      const yb = cy.get(f.wakeeSlice >= 0 ? s.cpu[f.wakeeSlice]! : f.toCpu)
      if (ya === undefined || yb === undefined) return
      const xa = x(f.t)
      const xb = x(f.wakeeSlice >= 0 ? s.start[f.wakeeSlice]! : f.t)
      // leaves and enters horizontally, like Perfetto's flow arrows
      const dx = Math.max(12, Math.abs(xb - xa) / 2)
      p.curve([xa, ya], [xa + dx, ya], [xb - dx, yb], [xb, yb], FLOW_COLOR, 1.5)
      p.polygon([[xb, yb], [xb - 6, yb - 3.5], [xb - 6, yb + 3.5]], FLOW_COLOR)
      flows++
    }
    if (d.wokenBy) draw(d.wokenBy)
    for (const f of d.woke) draw(f)
    this.drawn = flows
  }
  hitTest(): TrackHit | null { return null }
}

/** The tracks of a layout, top to bottom, with their boxes. */
export function layoutTracks(lanes: readonly LaneBox[], counters: readonly CounterBox[], trace: Pick<Trace, 'slices'> & Partial<Pick<Trace, 'actors'>>, index?: TraceIndex): { track: Track; y: number; h: number; lane?: SliceLaneTrack; counter?: CounterLineTrack }[] {
  const agg = new Aggregator()
  return [
    ...lanes.map((b) => { const t = new SliceLaneTrack(b.lane, trace, agg, index); return { track: t as Track, y: b.y, h: b.h, lane: t } }),
    ...counters.map((c) => { const t = CounterLineTrack.fromBox(c); return { track: t as Track, y: c.y, h: c.h, counter: t } }),
  ]
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const f1 = (v: number) => +v.toFixed(1)

/** The SVG `<defs>` the SVG backend refers to (the hatch pattern). */
export const SVG_DEFS = '<defs><pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse"><path d="M-2 10L10 -2" stroke="rgba(32,33,36,0.28)"/></pattern></defs>'

/** SVG backend: strings, each `rects` call one path (a few thousand nodes for a 1M-slice view). */
export class SvgPainter implements Painter {
  readonly out: string[] = []
  constructor(private ox = 0, private oy = 0) {}
  at(ox: number, oy: number): this { this.ox = ox; this.oy = oy; return this }
  rects(fill: string, rs: readonly (readonly [number, number, number, number])[], alpha?: number): void {
    const op = alpha !== undefined && alpha < 1 ? ` fill-opacity="${alpha.toFixed(3)}"` : ''
    if (rs.length === 1) {
      const [x, y, w, h] = rs[0]!
      this.out.push(`<rect x="${f1(this.ox + x)}" y="${f1(this.oy + y)}" width="${f1(w)}" height="${f1(h)}" fill="${fill}"${op}/>`)
      return
    }
    this.out.push(`<path d="${rs.map(([x, y, w, h]) => `M${f1(this.ox + x)} ${f1(this.oy + y)}h${f1(w)}v${f1(h)}h${f1(-w)}z`).join('')}" fill="${fill}"${op}/>`)
  }
  private pts(points: readonly Pt[]): string { return points.map(([x, y]) => `${(this.ox + x).toFixed(1)},${(this.oy + y).toFixed(1)}`).join(' ') }
  polyline(points: readonly Pt[], stroke: string, dash?: readonly number[], width?: number): void {
    this.out.push(`<polyline points="${this.pts(points)}" fill="none" stroke="${stroke}"${dash?.length ? ` stroke-dasharray="${dash.join(' ')}"` : ''}${width ? ` stroke-width="${width}"` : ''}/>`)
  }
  polygon(points: readonly Pt[], fill: string): void { this.out.push(`<polygon points="${this.pts(points)}" fill="${fill}"/>`) }
  dot(x: number, y: number, r: number, fill: string): void { this.out.push(`<circle cx="${f1(this.ox + x)}" cy="${f1(this.oy + y)}" r="${r}" fill="${fill}"/>`) }
  curve(a: Pt, c1: Pt, c2: Pt, b: Pt, stroke: string, width: number): void {
    const q = ([x, y]: Pt) => `${f1(this.ox + x)} ${f1(this.oy + y)}`
    this.out.push(`<path d="M${q(a)}C${q(c1)} ${q(c2)} ${q(b)}" fill="none" stroke="${stroke}" stroke-width="${width}"/>`)
  }
  strokeRect(x: number, y: number, w: number, h: number, stroke: string, width: number): void {
    this.out.push(`<rect x="${f1(this.ox + x)}" y="${f1(this.oy + y)}" width="${f1(w)}" height="${f1(h)}" fill="none" stroke="${stroke}" stroke-width="${width}"/>`)
  }
  hatch(x: number, y: number, w: number, h: number): void { this.rects('url(#hatch)', [[x, y, w, h]]) }
  text(x: number, y: number, s: string, o: TextOpts = {}): void {
    const anchor = o.align === 'right' ? ' text-anchor="end"' : o.align === 'center' ? ' text-anchor="middle"' : ''
    this.out.push(`<text x="${f1(this.ox + x)}" y="${f1(this.oy + y)}"${o.baseline === 'middle' ? ' dominant-baseline="middle"' : ''}${anchor}${o.fill ? ` fill="${o.fill}"` : ''}${o.size ? ` font-size="${o.size}"` : ''}${o.bold ? ' font-weight="bold"' : ''}>${esc(s)}</text>`)
  }
  textWidth(s: string, size = 11): number { return s.length * size * 0.6 }
  clip(_x: number, _y: number, _w: number, _h: number, fn: () => void): void { fn() }
}

/** Canvas 2D backend (the on-screen timeline and the PNG export). */
export class CanvasPainter implements Painter {
  private pattern: CanvasPattern | null = null
  constructor(private c: CanvasRenderingContext2D, private ox = 0, private oy = 0) {}
  at(ox: number, oy: number): this { this.ox = ox; this.oy = oy; return this }
  rects(fill: string, rs: readonly (readonly [number, number, number, number])[], alpha?: number): void {
    const c = this.c
    c.fillStyle = fill
    if (alpha !== undefined) c.globalAlpha = alpha
    for (const [x, y, w, h] of rs) c.fillRect(this.ox + x, this.oy + y, w, h)
    if (alpha !== undefined) c.globalAlpha = 1
  }
  private path(points: readonly Pt[]): void {
    const c = this.c
    c.beginPath()
    points.forEach(([x, y], i) => (i ? c.lineTo(this.ox + x, this.oy + y) : c.moveTo(this.ox + x, this.oy + y)))
  }
  polyline(points: readonly Pt[], stroke: string, dash?: readonly number[], width = 1): void {
    const c = this.c
    c.strokeStyle = stroke
    c.lineWidth = width
    if (dash?.length) c.setLineDash([...dash])
    this.path(points)
    c.stroke()
    if (dash?.length) c.setLineDash([])
    c.lineWidth = 1
  }
  polygon(points: readonly Pt[], fill: string): void {
    this.path(points)
    this.c.closePath()
    this.c.fillStyle = fill
    this.c.fill()
  }
  dot(x: number, y: number, r: number, fill: string): void {
    const c = this.c
    c.beginPath()
    c.arc(this.ox + x, this.oy + y, r, 0, Math.PI * 2)
    c.fillStyle = fill
    c.fill()
  }
  curve(a: Pt, c1: Pt, c2: Pt, b: Pt, stroke: string, width: number): void {
    const c = this.c
    const { ox, oy } = this
    c.strokeStyle = stroke
    c.lineWidth = width
    c.beginPath()
    c.moveTo(ox + a[0], oy + a[1])
    c.bezierCurveTo(ox + c1[0], oy + c1[1], ox + c2[0], oy + c2[1], ox + b[0], oy + b[1])
    c.stroke()
    c.lineWidth = 1
  }
  strokeRect(x: number, y: number, w: number, h: number, stroke: string, width: number): void {
    this.c.strokeStyle = stroke
    this.c.lineWidth = width
    this.c.strokeRect(this.ox + x, this.oy + y, w, h)
    this.c.lineWidth = 1
  }
  hatch(x: number, y: number, w: number, h: number): void {
    if (!this.pattern) {
      const tile = new OffscreenCanvas(8, 8)
      const tc = tile.getContext('2d')
      if (!tc) return
      tc.strokeStyle = 'rgba(32,33,36,0.28)'
      tc.lineWidth = 1
      tc.beginPath()
      tc.moveTo(-2, 10)
      tc.lineTo(10, -2)
      tc.stroke()
      this.pattern = this.c.createPattern(tile, 'repeat')
    }
    if (!this.pattern) return
    this.c.fillStyle = this.pattern
    this.c.fillRect(this.ox + x, this.oy + y, w, h)
  }
  private font(o: TextOpts): string { return `${o.bold ? 'bold ' : ''}${o.size ?? 11}px "DejaVu Sans", sans-serif` }
  text(x: number, y: number, s: string, o: TextOpts = {}): void {
    const c = this.c
    c.fillStyle = o.fill ?? '#202124'
    c.font = this.font(o)
    c.textAlign = o.align ?? 'left'
    c.textBaseline = o.baseline ?? 'alphabetic'
    c.fillText(s, this.ox + x, this.oy + y)
  }
  textWidth(s: string, size = 11): number { this.c.font = this.font({ size }); return this.c.measureText(s).width }
  clip(x: number, y: number, w: number, h: number, fn: () => void): void {
    const c = this.c
    c.save()
    c.beginPath()
    c.rect(this.ox + x, this.oy + y, w, h)
    c.clip()
    try { fn() } finally { c.restore() }
  }
}
