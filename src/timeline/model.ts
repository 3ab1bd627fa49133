// Renderer-independent timeline model: per-lane slice indexes, per-pixel aggregation and range
// statistics. Works on the engine's typed-array columns only, so it is unit-tested with synthetic
// arrays and shared by the canvas renderer, the SVG export, tooltips and the selection panel.
import { NAPI_ID_BASE } from '../engine/constants.ts'
import { KNOB_INFO, type KnobName } from '../engine/scenario.ts'
import type { Actor, BusySummary, CounterTrack, SliceColumns, Trace } from '../engine/types.ts'
import { KIND_COUNT } from './colors.ts'
import { addBusyColumns, buildMipmap, busyInRange, levelTotal, spreadSpan, type BusyMipmap, type BusySeries } from './mipmap.ts'

export interface Lane {
  key: string
  label: string
  kind: 'cpu' | 'actor'
  /** CPU number (cpu lanes) or actor id (actor lanes) */
  id: number
  /** slice indices sorted by start */
  idx: Uint32Array
  /**
   * running max of end over idx: monotonic, so it can be binary-searched even if slices nest. Empty
   * when the ends are already in order along idx (slices that do not nest: every engine lane), then
   * `ends` (the slices' end column) gives it: 8 bytes per slice and lane type not stored (`laneMaxEnd`)
   */
  maxEnd: Float64Array
  /** the slices' end column, when `maxEnd` is empty */
  ends?: Float64Array | undefined
  /**
   * Stored slices are complete before this time (ns); from here on the lane is drawn from the busy
   * summary (`TraceIndex.busy`). Infinity when nothing was dropped. A bucket boundary, so the two
   * parts add up exactly.
   */
  detailEnd: number
  /** where this lane's busy time lives in the summary (absent: no summary) */
  series?: BusySeries
}

export interface TraceIndex {
  cpuLanes: Lane[]
  actorLanes: Lane[]
  /** wakeup / migration indices sorted by time */
  wakeupOrder: Uint32Array
  migrationOrder: Uint32Array
  /** whole-run busy mipmap, when the trace carries a busy summary */
  busy?: BusyMipmap
  /** a snapshot of a run in progress: simulated up to here (ns), nothing after it yet */
  simulatedUntil?: number
}

function sortByKey(idx: Uint32Array, key: Float64Array): Uint32Array {
  let sorted = true
  for (let i = 1; i < idx.length; i++) if (key[idx[i]!]! < key[idx[i - 1]!]!) { sorted = false; break }
  if (sorted) return idx
  const copy = Uint32Array.from(idx) // sort a copy: the caller may still hold idx
  // oxlint-disable-next-line unicorn/no-array-sort -- sorting our own copy in place is the point
  return copy.sort((a, b) => key[a]! - key[b]! || a - b)
}

function makeLane(key: string, label: string, kind: Lane['kind'], id: number, idx: Uint32Array, s: SliceColumns): Lane {
  const sortedIdx = sortByKey(idx, s.start)
  let inOrder = true
  for (let i = 1; i < sortedIdx.length; i++) if (s.end[sortedIdx[i]!]! < s.end[sortedIdx[i - 1]!]!) { inOrder = false; break }
  if (inOrder) return { key, label, kind, id, idx: sortedIdx, maxEnd: new Float64Array(0), ends: s.end, detailEnd: Infinity }
  const maxEnd = new Float64Array(sortedIdx.length)
  let m = -Infinity
  for (let i = 0; i < sortedIdx.length; i++) {
    const e = s.end[sortedIdx[i]!]!
    if (e > m) m = e
    maxEnd[i] = m
  }
  return { key, label, kind, id, idx: sortedIdx, maxEnd, ends: undefined, detailEnd: Infinity }
}

/** The running max of end at position i of the lane (see `Lane.maxEnd`). */
export function laneMaxEnd(lane: Lane, i: number): number {
  return lane.maxEnd.length ? lane.maxEnd[i]! : lane.ends![lane.idx[i]!]!
}

/** Slices per column above which a lane zoomed out past a bucket per pixel is drawn from the summary. */
const SUMMARY_DENSITY = 8
/** A usual plot width (columns): only decides whether the worker builds the levels or the page does if ever needed, not what is drawn */
const USUAL_WIDTH = 1000

/** SliceKind an actor's summary is drawn in when it has no stored slice to tell (by ActorKind). */
const ACTOR_DRAW_KIND = [0, 2, 3, 4, 5, 6, 7] as const

/** The kind an actor spent most of its stored time in (its lane's summary colour). */
function dominantKind(lane: Lane, s: SliceColumns, fallback: number): number {
  const t = new Float64Array(KIND_COUNT)
  for (let p = 0; p < lane.idx.length; p++) { const i = lane.idx[p]!; t[Math.min(s.kind[i]!, KIND_COUNT - 1)]! += s.end[i]! - s.start[i]! }
  let best = fallback
  let bestV = 0
  for (let k = 0; k < KIND_COUNT; k++) if (t[k]! > bestV) { bestV = t[k]!; best = k }
  return best
}

/** Group slice indices by a small-integer key (counting sort: O(n), no per-slice allocation). */
function groupBy(n: number, keyOf: (i: number) => number, groups: number): Uint32Array[] {
  const counts = new Uint32Array(groups)
  for (let i = 0; i < n; i++) counts[keyOf(i)]!++
  const out = Array.from({ length: groups }, (_, g) => new Uint32Array(counts[g]!))
  const fill = new Uint32Array(groups)
  for (let i = 0; i < n; i++) {
    const g = keyOf(i)
    out[g]![fill[g]!++] = i
  }
  return out
}

type IndexInput = Pick<Trace, 'cpus' | 'actors' | 'slices' | 'events'> & { droppedSlices?: number; busy?: BusySummary; durationNs?: number }

/** Has actor `a` busy time in the summary (a lane even without stored slices)? */
const summarisedActor = (mip: BusyMipmap | undefined, a: number) => !!mip && a < mip.actors && mip.actorTotal[a]! > 0

/**
 * Built once per result: O(n) plus a sort only if the engine emitted slices out of start order.
 * `lanes: false` leaves the lanes out (the events' orders and the busy mipmap only): for a trace whose
 * slices are those of an index the page already holds, which `adoptLanes` then reuses.
 */
export function buildIndex(trace: IndexInput, opts: { lanes?: boolean } = {}): TraceIndex {
  const s = trace.slices
  const n = s.count
  const cpus = Math.max(trace.cpus, 1)
  const withLanes = opts.lanes ?? true
  const cpuLanes = withLanes ? groupBy(n, (i) => Math.min(s.cpu[i]!, cpus - 1), cpus).map((idx, c) => makeLane(`cpu${c}`, `CPU ${c}`, 'cpu', c, idx, s)) : []
  const nActors = trace.actors.length
  const byActor = withLanes && nActors > 0 ? groupBy(n, (i) => Math.min(s.actor[i]!, nActors - 1), nActors) : []
  const dropped = (trace.droppedSlices ?? 0) > 0
  let mip: BusyMipmap | undefined
  if (trace.busy && trace.busy.buckets > 0) {
    // CPU levels > 0 are read only past a lane's detail end or where a lane is denser than
    // SUMMARY_DENSITY slices per column: built now (in the worker) only if that can happen at a usual
    // width; the actor levels only for thread lanes, when they are first drawn
    let longest = withLanes ? 0 : Infinity
    for (const lane of cpuLanes) longest = Math.max(longest, lane.idx.length)
    for (const idx of byActor) longest = Math.max(longest, idx.length)
    mip = buildMipmap(trace.busy, trace.durationNs, dropped || longest > SUMMARY_DENSITY * USUAL_WIDTH ? Infinity : 0, 0)
  }
  const actorLanes: Lane[] = []
  byActor.forEach((idx, a) => {
    if (idx.length > 0 || summarisedActor(mip, a)) actorLanes.push(makeLane(`actor${a}`, trace.actors[a]!.name, 'actor', a, idx, s))
  })
  const w = trace.events.wakeups
  const m = trace.events.migrations
  const index: TraceIndex = {
    cpuLanes,
    actorLanes,
    wakeupOrder: sortByKey(Uint32Array.from({ length: w.count }, (_, i) => i), w.t),
    migrationOrder: sortByKey(Uint32Array.from({ length: m.count }, (_, i) => i), m.t),
  }
  if (mip) {
    index.busy = mip
    assignSeries(index, mip, s, dropped, trace.actors)
  }
  return index
}

/** A lane over the same arrays, before its summary part is assigned. */
const freshLane = (l: Lane): Lane => ({ key: l.key, label: l.label, kind: l.kind, id: l.id, idx: l.idx, maxEnd: l.maxEnd, ends: l.ends, detailEnd: Infinity })

/**
 * Fill in the lanes of an index built with `lanes: false` from `prev`, an index over the same slices
 * (an earlier snapshot of the run: past its slice cap a run stores no new slices): the lane arrays are
 * shared, not rebuilt; lanes of actors that since appear in the busy summary are added. O(lanes +
 * summary), and equal to what `buildIndex(trace)` would give.
 */
export function adoptLanes(index: TraceIndex, prev: TraceIndex, trace: IndexInput): void {
  index.cpuLanes = prev.cpuLanes.map(freshLane)
  const byId = new Map(prev.actorLanes.map((l) => [l.id, l]))
  const empty = new Uint32Array(0)
  index.actorLanes = []
  for (let a = 0; a < trace.actors.length; a++) {
    const l = byId.get(a)
    if (l) index.actorLanes.push(freshLane(l))
    else if (summarisedActor(index.busy, a)) index.actorLanes.push(makeLane(`actor${a}`, trace.actors[a]!.name, 'actor', a, empty, trace.slices))
  }
  // an actor's summary colour is its dominant kind over the (same) stored slices: as before
  const kinds = new Map(prev.actorLanes.map((l) => [l.id, l.series?.drawKind]))
  if (index.busy) assignSeries(index, index.busy, trace.slices, (trace.droppedSlices ?? 0) > 0, trace.actors, (lane) => kinds.get(lane.id))
}

/**
 * Give every lane its place in the busy mipmap and, when slices were dropped, the time from which
 * its stored slices are no longer complete: per CPU (and per actor) slices are recorded in order and
 * every slice after the first dropped one is dropped too, so a lane is exact up to the end of its
 * last stored slice. That end is rounded down to a bucket boundary; the summary takes over there.
 */
function assignSeries(index: TraceIndex, mip: BusyMipmap, s: SliceColumns, dropped: boolean, actors: Actor[], knownKind: (lane: Lane) => number | undefined = () => undefined): void {
  const w = mip.levels[0]!.bucketNs
  const horizon = (lane: Lane) => {
    if (!dropped) return Infinity
    const lastEnd = lane.idx.length ? laneMaxEnd(lane, lane.idx.length - 1) : 0
    return Math.floor(lastEnd / w) * w
  }
  for (const lane of index.cpuLanes) {
    if (lane.id >= mip.lanes) continue
    lane.series = { kind: 'cpu', id: lane.id, drawKind: 0 }
    lane.detailEnd = horizon(lane)
  }
  for (const lane of index.actorLanes) {
    if (lane.id >= mip.actors) continue
    lane.series = { kind: 'actor', id: lane.id, drawKind: knownKind(lane) ?? dominantKind(lane, s, ACTOR_DRAW_KIND[actors[lane.id]?.kind ?? 6] ?? 7) }
    lane.detailEnd = horizon(lane)
  }
}

/** Busy ns a lane's summary holds over the whole run (tests). */
export function laneSummaryTotal(index: TraceIndex, lane: Lane, level = 0): number {
  return index.busy && lane.series ? levelTotal(index.busy, level, lane.series) : 0
}


/**
 * From which time a lane is drawn from the summary in [t0, t1) at `width` columns: its detail end,
 * or t0 when a pixel spans more than one bucket and the lane has so many slices on screen that
 * per-slice aggregation would only cost time (the result is the same to the pixel).
 */
export function summaryFrom(index: TraceIndex, lane: Lane, t0: number, t1: number, width: number): number {
  const mip = index.busy
  if (!mip || !lane.series) return Infinity
  if ((t1 - t0) / Math.max(width, 1) >= mip.levels[0]!.bucketNs) {
    const a = firstEndingAfter(lane, t0)
    const b = firstEndingAfter(lane, Math.min(t1, lane.detailEnd))
    if (b - a > SUMMARY_DENSITY * width) return t0
  }
  return lane.detailEnd
}

/** First position in lane.idx whose slice may end after t (maxEnd[i] > t). */
export function firstEndingAfter(lane: Lane, t: number): number {
  let lo = 0
  let hi = lane.idx.length
  const maxEnd = lane.maxEnd
  if (maxEnd.length) {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (maxEnd[mid]! > t) hi = mid
      else lo = mid + 1
    }
    return lo
  }
  const ends = lane.ends!
  const idx = lane.idx
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (ends[idx[mid]!]! > t) hi = mid
    else lo = mid + 1
  }
  return lo
}

/** First position in a time-sorted order array whose time is ≥ t. */
export function lowerBoundBy(order: Uint32Array, times: Float64Array, t: number): number {
  let lo = 0
  let hi = order.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (times[order[mid]!]! < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Visit the slices of a lane that overlap [t0, t1). */
export function forEachVisible(lane: Lane, s: SliceColumns, t0: number, t1: number, fn: (slice: number) => void): void {
  const idx = lane.idx
  for (let p = firstEndingAfter(lane, t0); p < idx.length; p++) {
    const i = idx[p]!
    if (s.start[i]! >= t1) break
    if (s.end[i]! > t0) fn(i)
  }
}

/** Per-pixel-column summary of one lane. */
export interface PixelRow {
  width: number
  /** dominant SliceKind per column, NO_KIND where nothing ran */
  kind: Uint8Array
  /** busy fraction of the column, 0..1 */
  cover: Float32Array
  /** time share of each kind per column (column-major: share[c * KIND_COUNT + k]), of the column's width */
  share: Float32Array
  /** how many distinct kinds ran in the column (> 1: drawn as a stack, see columnStack) */
  kinds: Uint8Array
  /** 1 where a slice at least MIN_EDGE_PX wide starts: drawn as a separator when zoomed in */
  edge: Uint8Array
  /** slices that touched the lane in the window */
  visible: number
  /** from this time (ns) the row was filled from the busy summary; Infinity = slices only */
  summaryFrom: number
  /** mipmap level used for the summary part (-1: none) */
  summaryLevel: number
}
export const NO_KIND = 255
const MIN_EDGE_PX = 4

/** Reusable scratch space: one accumulator row per frame, not per lane. */
export class Aggregator {
  private acc = new Float64Array(0)

  /**
   * Pixel-run aggregation: every visible slice adds its covered time, per kind, to the columns it
   * spans. A column keeps its time share per kind (drawn as a stack, `columnStack`), its dominant
   * kind and its busy fraction (intensity). Every slice contributes (a 1 ns slice still tints its
   * column), and the cost is O(visible slices + width × kinds).
   */
  aggregate(lane: Lane, s: SliceColumns, t0: number, t1: number, width: number, out?: PixelRow, summary?: { mip: BusyMipmap; from: number }): PixelRow {
    const w = Math.max(1, Math.floor(width))
    const row: PixelRow = out && out.width === w ? out : { width: w, kind: new Uint8Array(w), cover: new Float32Array(w), share: new Float32Array(w * KIND_COUNT), kinds: new Uint8Array(w), edge: new Uint8Array(w), visible: 0, summaryFrom: Infinity, summaryLevel: -1 }
    if (this.acc.length < w * KIND_COUNT) this.acc = new Float64Array(w * KIND_COUNT)
    const acc = this.acc
    acc.fill(0, 0, w * KIND_COUNT)
    row.edge.fill(0)
    const pxPerNs = w / Math.max(t1 - t0, 1e-9)
    let visible = 0
    const idx = lane.idx
    const start = s.start
    const end = s.end
    const kinds = s.kind
    // past `from` the lane comes from the busy summary: slices are cut there
    const from = summary && lane.series ? summary.from : Infinity
    const tEnd = Math.min(t1, from)
    for (let p = tEnd > t0 ? firstEndingAfter(lane, t0) : idx.length; p < idx.length; p++) {
      const i = idx[p]!
      const st = start[i]!
      if (st >= tEnd) break
      const en = Math.min(end[i]!, tEnd)
      if (en <= t0) continue
      visible++
      const k = kinds[i]! < KIND_COUNT ? kinds[i]! : KIND_COUNT - 1
      let x0 = (st - t0) * pxPerNs
      let x1 = (en - t0) * pxPerNs
      if (x0 < 0) x0 = 0
      if (x1 > w) x1 = w
      const c0 = Math.floor(x0)
      const c1 = Math.min(Math.floor(x1), w - 1)
      if (x1 - x0 >= MIN_EDGE_PX && st >= t0) row.edge[c0] = 1
      spreadSpan(acc, KIND_COUNT, k, x0, x1, c0, c1, 1)
    }
    row.summaryFrom = Infinity
    row.summaryLevel = -1
    if (summary && lane.series && from < t1) {
      row.summaryFrom = Math.max(from, t0)
      row.summaryLevel = addBusyColumns(summary.mip, lane.series, from, t0, t1, w, acc, KIND_COUNT)
    }
    const share = row.share
    for (let c = 0; c < w; c++) {
      let best = NO_KIND
      let bestV = 0
      let total = 0
      let n = 0
      const base = c * KIND_COUNT
      for (let k = 0; k < KIND_COUNT; k++) {
        const v = acc[base + k]!
        share[base + k] = v
        if (v > 0) n++
        total += v
        if (v > bestV) { bestV = v; best = k }
      }
      row.kind[c] = best
      row.kinds[c] = n
      row.cover[c] = total > 1 ? 1 : total
    }
    row.visible = visible
    return row
  }
}

export function intensityLevel(cover: number, levels: number): number {
  return Math.min(levels - 1, Math.max(0, Math.ceil(cover * levels) - 1))
}

/**
 * The stack of one pixel column `h` pixels tall: writes the kinds (fixed SliceKind order, from the
 * bottom up, so neighbouring columns line up) and their integer heights, returns how many. Heights
 * are proportional to each kind's share of the column's busy time and fill the column (idle shows
 * as paleness, as for a single-kind column). Every kind that ran gets at least 1 px while there
 * are pixels enough (no kind is silently dropped); rounding is largest-remainder, so the heights
 * sum to h. A single-kind column is one segment of height h: exactly the old full-height column.
 */
export function columnStack(row: PixelRow, c: number, h: number, kinds: Uint8Array, heights: Int32Array): number {
  const base = c * KIND_COUNT
  let total = 0
  let n = 0
  for (let k = 0; k < KIND_COUNT; k++) {
    const v = row.share[base + k]!
    if (v > 0) { kinds[n] = k; total += v; n++ }
  }
  if (n === 0 || h <= 0) return 0
  if (n > h) {
    // fewer pixels than kinds: 1 px each for the h largest shares (still in kind order)
    let keep = 0 // bitmask over kinds[0..n)
    for (let i = 0; i < n; i++) {
      const v = row.share[base + kinds[i]!]!
      let rank = 0 // kinds with a larger share (ties: the lower kind wins)
      for (let j = 0; j < n; j++) { const vj = row.share[base + kinds[j]!]!; if (vj > v || (vj === v && j < i)) rank++ }
      if (rank < h) keep |= 1 << i
    }
    let m = 0
    for (let i = 0; i < n; i++) if (keep & (1 << i)) { kinds[m] = kinds[i]!; heights[m] = 1; m++ }
    return h
  }
  let used = 0
  for (let i = 0; i < n; i++) {
    const e = (h * row.share[base + kinds[i]!]!) / total
    heights[i] = Math.max(1, Math.floor(e))
    used += heights[i]!
  }
  // hand out the remaining pixels by largest remainder (ties: lower kind), or take back the
  // pixels the 1-px minimum over-spent from the tallest segments
  while (used !== h) {
    let pick = -1
    let bestR = -Infinity
    for (let i = 0; i < n; i++) {
      const e = (h * row.share[base + kinds[i]!]!) / total
      const r = used < h ? e - heights[i]! : heights[i]! > 1 ? heights[i]! - e : -Infinity
      if (r > bestR) { bestR = r; pick = i }
    }
    heights[pick]! += used < h ? 1 : -1
    used += used < h ? 1 : -1
  }
  return n
}

/** A rectangle of merged equal pixels (what the SVG export and tests consume). */
export interface PixelRun {
  x0: number
  x1: number
  /** rows from the top of the lane, in pixels */
  y0: number
  y1: number
  kind: number
  /** quantised intensity level 0..levels-1 */
  level: number
}

/**
 * The lane as rectangles `h` pixels tall: each column's stack (columnStack), with every segment
 * merged with the same segment (kind, rows, intensity level) of the column to its left. Equal
 * adjacent columns therefore become one rectangle per kind, and a band that keeps its rows
 * continues even where the kinds above or below it change.
 */
export function pixelRuns(row: PixelRow, levels: number, h: number): PixelRun[] {
  const runs: PixelRun[] = []
  const open: (PixelRun | undefined)[] = Array.from({ length: KIND_COUNT })
  const kinds = new Uint8Array(KIND_COUNT)
  const heights = new Int32Array(KIND_COUNT)
  for (let c = 0; c < row.width; c++) {
    const n = columnStack(row, c, h, kinds, heights)
    const l = intensityLevel(row.cover[c]!, levels)
    let y1 = h
    for (let i = 0; i < n; i++) {
      const k = kinds[i]!
      const y0 = y1 - heights[i]!
      const cur = open[k]
      if (cur && cur.x1 === c && cur.y0 === y0 && cur.y1 === y1 && cur.level === l && !row.edge[c]) cur.x1 = c + 1
      else { const r = { x0: c, x1: c + 1, y0, y1, kind: k, level: l }; open[k] = r; runs.push(r) }
      y1 = y0
    }
  }
  return runs
}

/** The slice under time t in a lane (containing t, else nearest within `slopNs`), and how many touch [t - slop, t + slop]. */
export function hitTest(lane: Lane, s: SliceColumns, t: number, slopNs: number): { slice: number; nearby: number } | null {
  let best = -1
  let bestD = Infinity
  let nearby = 0
  forEachVisible(lane, s, t - slopNs, t + slopNs, (i) => {
    nearby++
    const d = t < s.start[i]! ? s.start[i]! - t : t > s.end[i]! ? t - s.end[i]! : 0
    // Prefer the innermost (shortest) slice when several contain t (nested hardirq over softirq).
    const score = d === 0 ? -1 / Math.max(s.end[i]! - s.start[i]!, 1e-9) : d
    if (score < bestD) { bestD = score; best = i }
  })
  return best < 0 ? null : { slice: best, nearby }
}

export interface RangeStats {
  rangeNs: number
  cpus: number
  /** busy ns per CPU */
  byCpu: Float64Array
  /** busy ns per SliceKind */
  byKind: Float64Array
  /** busy ns per actor id */
  byActor: Map<number, number>
  /** packets handled, prorated by the part of each slice inside the range (stored slices only) */
  packets: number
  slices: number
  /** part of the range (ns, summed over CPUs) taken from the busy summary: packets there are not known */
  summarisedNs: number
}

/**
 * CPU time inside [t0, t1) by CPU, kind and actor; slices are clipped to the range. Past a lane's
 * detail end (slices dropped at `trace.maxSlices`) its time comes from the busy summary, so the
 * figures agree with the metrics for any run length.
 */
export function rangeStats(trace: Pick<Trace, 'cpus' | 'slices'>, index: Pick<TraceIndex, 'cpuLanes'> & Partial<Pick<TraceIndex, 'actorLanes' | 'busy'>>, t0: number, t1: number): RangeStats {
  const s = trace.slices
  const stats: RangeStats = {
    rangeNs: Math.max(0, t1 - t0),
    cpus: trace.cpus,
    byCpu: new Float64Array(trace.cpus),
    byKind: new Float64Array(KIND_COUNT),
    byActor: new Map(),
    packets: 0,
    slices: 0,
    summarisedNs: 0,
  }
  if (t1 <= t0) return stats
  const mip = index.busy
  // with drops, actors are counted from their own lanes (slices, then summary), else from the CPUs' slices
  const actorsFromLanes = !!mip && !!index.actorLanes && index.cpuLanes.some((l) => l.detailEnd < Infinity)
  const tmp = new Float64Array(KIND_COUNT)
  for (const lane of index.cpuLanes) {
    const tEnd = Math.min(t1, lane.detailEnd)
    if (tEnd > t0) {
      forEachVisible(lane, s, t0, tEnd, (i) => {
        const st = s.start[i]!
        const en = s.end[i]!
        const d = Math.min(en, tEnd) - Math.max(st, t0)
        if (d <= 0) return
        stats.slices++
        stats.byCpu[lane.id]! += d
        stats.byKind[Math.min(s.kind[i]!, KIND_COUNT - 1)]! += d
        if (!actorsFromLanes) stats.byActor.set(s.actor[i]!, (stats.byActor.get(s.actor[i]!) ?? 0) + d)
        stats.packets += en > st ? (s.packets[i]! * d) / (en - st) : s.packets[i]!
      })
    }
    if (mip && lane.series && lane.detailEnd < t1) {
      const a = Math.max(t0, lane.detailEnd)
      tmp.fill(0)
      busyInRange(mip, lane.series, a, t1, tmp)
      for (let k = 0; k < KIND_COUNT; k++) { stats.byKind[k]! += tmp[k]!; stats.byCpu[lane.id]! += tmp[k]! }
      stats.summarisedNs += t1 - a
    }
  }
  if (actorsFromLanes) {
    for (const lane of index.actorLanes!) {
      let ns = 0
      const tEnd = Math.min(t1, lane.detailEnd)
      if (tEnd > t0) forEachVisible(lane, s, t0, tEnd, (i) => { const d = Math.min(s.end[i]!, tEnd) - Math.max(s.start[i]!, t0); if (d > 0) ns += d })
      if (lane.series && lane.detailEnd < t1) {
        tmp.fill(0)
        busyInRange(mip, lane.series, Math.max(t0, lane.detailEnd), t1, tmp)
        for (let k = 0; k < KIND_COUNT; k++) ns += tmp[k]!
      }
      if (ns > 0) stats.byActor.set(lane.id, ns)
    }
  }
  return stats
}

/** True when a counter is a rate (per second); otherwise it is a level or a running total. */
export function isRateCounter(c: Pick<CounterTrack, 'kind'>): boolean {
  return c.kind === 'rate'
}

/**
 * How much of a counter accrued in [t0, t1): a rate is integrated (pps × s = packets); a
 * non-decreasing running total gives its difference. Levels (occupancy) return null.
 */
export function counterAccrued(c: CounterTrack, t0: number, t1: number): number | null {
  const n = c.t.length
  if (n === 0) return 0
  if (isRateCounter(c)) {
    const scale = /kpps/i.test(c.unit) ? 1000 : 1
    let sum = 0
    for (let i = 0; i < n; i++) {
      const a = c.t[i]!
      const b = i + 1 < n ? c.t[i + 1]! : a + (n > 1 ? c.t[1]! - c.t[0]! : 0)
      const d = Math.min(b, t1) - Math.max(a, t0)
      if (d > 0) sum += c.v[i]! * scale * d * 1e-9
    }
    return sum
  }
  for (let i = 1; i < n; i++) if (c.v[i]! < c.v[i - 1]!) return null
  const at = (t: number) => {
    let lo = 0
    let hi = n
    while (lo < hi) { const m = (lo + hi) >>> 1; if (c.t[m]! <= t) lo = m + 1; else hi = m }
    return lo === 0 ? 0 : c.v[lo - 1]!
  }
  return at(t1) - at(t0)
}

export const actorName = (actors: Actor[], id: number): string => actors[id]?.name ?? `actor ${id}`

/** One marker per moment: a write to every rx IRQ applies as one event per IRQ; show it once. */
export function groupModeSwitches(events: Trace['events']['modeSwitches']): { tNs: number; label: string }[] {
  const groups = new Map<string, { tNs: number; threaded: boolean; irqs: number[]; all: boolean }>()
  for (const m of events) {
    const key = `${m.tNs}|${m.threaded}`
    const g = groups.get(key) ?? { tNs: m.tNs, threaded: m.threaded, irqs: [], all: false }
    if (m.queue < 0) g.all = true
    else g.irqs.push(m.irq)
    groups.set(key, g)
  }
  return [...groups.values()].map((g) => {
    const who = g.all ? 'all IRQs' : g.irqs.length === 1 ? `IRQ ${g.irqs[0]}` : `${g.irqs.length} IRQs`
    return { tNs: g.tNs, label: `${who} → ${g.threaded ? 'threaded' : 'softirq'}` }
  })
}

/** A knob write's mark label, as the kernel names the knob: `gro_flush_timeout = 20 µs (NAPI 8194)`. */
export function knobWriteLabel(w: { knob: string; index: number; value: number }): string {
  const info = KNOB_INFO[w.knob as KnobName]
  const unit = info && (info.unit === 'µs' || info.unit === 'packets') ? ` ${info.unit}` : ''
  const who = w.index < 0 ? '' : info?.scope === 'app' ? ` (thread ${w.index})` : info?.scope === 'napi' ? ` (NAPI ${NAPI_ID_BASE + w.index})` : ''
  return `${w.knob} = ${w.value}${unit}${who}`
}

/** Every mark of a run: the threaded-file switches (grouped per moment) and the knob writes it applied. */
export function runMarks(events: Trace['events']): { tNs: number; label: string }[] {
  const writes = (events.knobWrites ?? []).map((w) => ({ tNs: w.tNs, label: knobWriteLabel(w) }))
  return [...groupModeSwitches(events.modeSwitches), ...writes]
}

/** The sample in effect at time t (the last one at or before t), or null before the first. */
export function counterValueAt(c: CounterTrack, t: number): number | null {
  let lo = 0
  let hi = c.t.length
  while (lo < hi) { const m = (lo + hi) >>> 1; if (c.t[m]! <= t) lo = m + 1; else hi = m }
  return lo === 0 ? null : c.v[lo - 1]!
}

export interface CounterRangeStats { name: string; unit: string; min: number; avg: number; max: number; accrued: number | null }

/** min / time-weighted mean / max of a counter over [t0, t1), plus what accrued (rates, totals). */
export function counterRangeStats(c: CounterTrack, t0: number, t1: number): CounterRangeStats | null {
  const n = c.t.length
  if (n === 0 || t1 <= t0) return null
  let min = Infinity
  let max = -Infinity
  let area = 0
  let covered = 0
  const period = n > 1 ? c.t[1]! - c.t[0]! : t1 - t0
  for (let i = 0; i < n; i++) {
    const a = c.t[i]!
    const b = i + 1 < n ? c.t[i + 1]! : a + period
    const d = Math.min(b, t1) - Math.max(a, t0)
    if (d <= 0) continue
    const v = c.v[i]!
    if (v < min) min = v
    if (v > max) max = v
    area += v * d
    covered += d
  }
  if (covered === 0) return null
  return { name: c.name, unit: c.unit, min, avg: area / covered, max, accrued: counterAccrued(c, t0, t1) }
}
