// Perfetto-style tracks (issue 12 item 1; PF:ui/src/public/track.ts): a track draws itself from a
// render context (painter, size, visible window, time scale, colours) and answers hit tests. The
// painter is the backend: `SvgPainter` (the SVG export) and `CanvasPainter` (canvas 2D); tests use
// a recording painter. Slice lanes (CPU and thread) and counters are tracks; the on-screen canvas
// still fills slice lanes through its ImageData fast path in render.ts (see ARCHITECTURE.md).
import type { CounterTrack, Trace } from '../engine/types.ts'
import { blend, INTENSITY_LEVELS, LANE_BG, rgbCss } from './colors.ts'
import { fmtSig } from './format.ts'
import type { CounterBox, LaneBox } from './layout.ts'
import { Aggregator, counterValueAt, hitTest, pixelRuns, type Lane } from './model.ts'

/** What a backend can draw. Coordinates are css px in the track's own box (0,0 = its top left). */
export interface Painter {
  /** filled rectangles of one colour (a backend may merge them into one node) */
  rects(fill: string, rs: readonly (readonly [x: number, y: number, w: number, h: number])[]): void
  polyline(points: readonly (readonly [number, number])[], stroke: string, dash?: readonly number[]): void
  text(x: number, y: number, s: string, opts?: { fill?: string; size?: number; bold?: boolean }): void
}

export interface TrackColors { laneBg: string; counterBg: string; counterLine: string; dropLine: string; refLine: string; label: string }
export const TRACK_COLORS: TrackColors = { laneBg: LANE_BG, counterBg: '#f8f9fa', counterLine: '#1a73e8', dropLine: '#d93025', refLine: '#80868b', label: '#5f6368' }

export interface TrackRenderContext {
  painter: Painter
  /** the track's box, css px */
  size: { width: number; height: number }
  /** visible window, ns */
  visibleWindow: { t0: number; t1: number }
  /** ns → x in the box */
  timescale: (t: number) => number
  colors: TrackColors
}

export type TrackHit = { kind: 'slice'; slice: number; nearby: number } | { kind: 'counter'; value: number | null; t: number }

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

/** A CPU or thread lane: the slices merged into pixel runs (each column stacked by kind, paler = partly busy). */
export class SliceLaneTrack implements Track {
  readonly key: string
  readonly label: string
  constructor(private lane: Lane, private trace: Pick<Trace, 'slices'>, private agg = new Aggregator()) {
    this.key = lane.key
    this.label = lane.label
  }
  render(ctx: TrackRenderContext): void {
    const { width, height } = ctx.size
    ctx.painter.rects(ctx.colors.laneBg, [[0, 0, width, height]])
    const row = this.agg.aggregate(this.lane, this.trace.slices, ctx.visibleWindow.t0, ctx.visibleWindow.t1, width)
    const byFill = new Map<string, [number, number, number, number][]>()
    for (const r of pixelRuns(row, INTENSITY_LEVELS, height)) {
      const fill = rgbCss(blend(r.kind, (r.level + 1) / INTENSITY_LEVELS))
      let l = byFill.get(fill)
      if (!l) byFill.set(fill, (l = []))
      l.push([r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0])
    }
    for (const [fill, rs] of byFill) ctx.painter.rects(fill, rs)
  }
  hitTest(ctx: TrackRenderContext, x: number, y: number): TrackHit | null {
    if (y < 0 || y >= ctx.size.height || x < 0 || x >= ctx.size.width) return null
    const slop = (3 * (ctx.visibleWindow.t1 - ctx.visibleWindow.t0)) / ctx.size.width
    const h = hitTest(this.lane, this.trace.slices, invert(ctx, x), slop)
    return h ? { kind: 'slice', slice: h.slice, nearby: h.nearby } : null
  }
}

/** A counter: its line on the box's scale (0..max), label with scale and unit; `ref` (run A) dashed grey. */
export class CounterLineTrack implements Track {
  readonly key: string
  readonly label: string
  constructor(private track: CounterTrack, private max: number, private ref: CounterTrack | null = null) {
    this.key = `counter:${track.name}`
    this.label = track.name
  }
  static fromBox(c: CounterBox): CounterLineTrack {
    return new CounterLineTrack(c.track, c.max, c.ref && c.ref !== c.track ? c.ref : null)
  }
  private points(ctx: TrackRenderContext, tr: CounterTrack): [number, number][] {
    const { width, height } = ctx.size
    const { t0, t1 } = ctx.visibleWindow
    const pts: [number, number][] = []
    const stride = Math.max(1, Math.floor(tr.t.length / (width * 2)))
    for (let i = 0; i < tr.t.length; i += stride) {
      const t = tr.t[i]!
      if (t < t0 || t > t1) continue
      pts.push([+ctx.timescale(t).toFixed(1), +(height - 2 - (tr.v[i]! / this.max) * (height - 4)).toFixed(1)])
    }
    return pts
  }
  render(ctx: TrackRenderContext): void {
    const p = ctx.painter
    p.rects(ctx.colors.counterBg, [[0, 0, ctx.size.width, ctx.size.height]])
    if (this.max <= 0) return
    if (this.ref) {
      const r = this.points(ctx, this.ref)
      if (r.length) p.polyline(r, ctx.colors.refLine, [4, 3])
    }
    const pts = this.points(ctx, this.track)
    if (pts.length) p.polyline(pts, /drop/i.test(this.track.name) ? ctx.colors.dropLine : ctx.colors.counterLine)
  }
  /** the gutter text: name, then scale and unit */
  gutter(p: Painter, x: number, y: number, colors = TRACK_COLORS): void {
    p.text(x, y + 12, this.track.name)
    p.text(x, y + 28, `scale 0–${fmtSig(this.max)} ${this.track.unit}`, { fill: colors.label, size: 10 })
  }
  hitTest(ctx: TrackRenderContext, x: number, y: number): TrackHit | null {
    if (y < 0 || y >= ctx.size.height || x < 0 || x >= ctx.size.width) return null
    const t = invert(ctx, x)
    return { kind: 'counter', value: counterValueAt(this.track, t), t }
  }
}

/** The tracks of a layout, top to bottom, with their boxes. */
export function layoutTracks(lanes: readonly LaneBox[], counters: readonly CounterBox[], trace: Pick<Trace, 'slices'>): { track: Track; y: number; h: number; counter?: CounterLineTrack }[] {
  const agg = new Aggregator()
  return [
    ...lanes.map((b) => ({ track: new SliceLaneTrack(b.lane, trace, agg) as Track, y: b.y, h: b.h })),
    ...counters.map((c) => { const t = CounterLineTrack.fromBox(c); return { track: t as Track, y: c.y, h: c.h, counter: t } }),
  ]
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** SVG backend: strings, each `rects` call one path (a few thousand nodes for a 1M-slice view). */
export class SvgPainter implements Painter {
  readonly out: string[] = []
  constructor(private ox = 0, private oy = 0) {}
  at(ox: number, oy: number): this { this.ox = ox; this.oy = oy; return this }
  rects(fill: string, rs: readonly (readonly [number, number, number, number])[]): void {
    if (rs.length === 1) {
      const [x, y, w, h] = rs[0]!
      this.out.push(`<rect x="${this.ox + x}" y="${this.oy + y}" width="${w}" height="${h}" fill="${fill}"/>`)
      return
    }
    this.out.push(`<path d="${rs.map(([x, y, w, h]) => `M${this.ox + x} ${this.oy + y}h${w}v${h}h${-w}z`).join('')}" fill="${fill}"/>`)
  }
  polyline(points: readonly (readonly [number, number])[], stroke: string, dash?: readonly number[]): void {
    const pts = points.map(([x, y]) => `${(this.ox + x).toFixed(1)},${(this.oy + y).toFixed(1)}`).join(' ')
    this.out.push(`<polyline points="${pts}" fill="none" stroke="${stroke}"${dash ? ` stroke-dasharray="${dash.join(' ')}"` : ''}/>`)
  }
  text(x: number, y: number, s: string, o: { fill?: string; size?: number; bold?: boolean } = {}): void {
    this.out.push(`<text x="${this.ox + x}" y="${this.oy + y}"${o.fill ? ` fill="${o.fill}"` : ''}${o.size ? ` font-size="${o.size}"` : ''}${o.bold ? ' font-weight="bold"' : ''}>${esc(s)}</text>`)
  }
}

/** Canvas 2D backend. */
export class CanvasPainter implements Painter {
  constructor(private c: CanvasRenderingContext2D, private ox = 0, private oy = 0) {}
  at(ox: number, oy: number): this { this.ox = ox; this.oy = oy; return this }
  rects(fill: string, rs: readonly (readonly [number, number, number, number])[]): void {
    this.c.fillStyle = fill
    for (const [x, y, w, h] of rs) this.c.fillRect(this.ox + x, this.oy + y, w, h)
  }
  polyline(points: readonly (readonly [number, number])[], stroke: string, dash?: readonly number[]): void {
    const c = this.c
    c.save()
    c.strokeStyle = stroke
    c.setLineDash(dash ? [...dash] : [])
    c.beginPath()
    points.forEach(([x, y], i) => (i ? c.lineTo(this.ox + x, this.oy + y) : c.moveTo(this.ox + x, this.oy + y)))
    c.stroke()
    c.restore()
  }
  text(x: number, y: number, s: string, o: { fill?: string; size?: number; bold?: boolean } = {}): void {
    this.c.fillStyle = o.fill ?? '#202124'
    this.c.font = `${o.bold ? 'bold ' : ''}${o.size ?? 11}px "DejaVu Sans", sans-serif`
    this.c.fillText(s, this.ox + x, this.oy + y)
  }
}
