// Whole-run busy mipmaps (Perfetto's "mipmap" idea applied to the engine's BusySummary): level 0 is
// the engine's buckets (busy ns per CPU and kind, and per actor), level L sums pairs of level L-1,
// so a bucket of level L covers bucketNs·2^L and every level holds exactly the same busy time.
// The timeline draws from them where it has no stored slices (past `trace.maxSlices`) and when a
// pixel covers more than one bucket; selection statistics and the overview read them the same way.
import type { BusySummary } from '../engine/types.ts'

export interface BusyLevel {
  /** ns per bucket at this level */
  bucketNs: number
  buckets: number
  /** busy ns per (lane · buckets + b) · kinds + kind */
  cpu: Float64Array
  /** busy ns per bucket, all CPUs and kinds together (the overview's busy CPUs); null until `mipTotal` builds it */
  total: Float64Array | null
  /**
   * busy ns per (actor · buckets + b): level 0 is the engine's Float32Array (not copied), the sums
   * Float64; null until `mipActor` builds it (only thread lanes read levels > 0 of it)
   */
  actor: Float64Array | Float32Array | null
}

export interface BusyMipmap {
  /** end of the run (ns): the bucket holding it is spread over its part before the end only */
  durationNs: number
  kinds: number
  lanes: number
  actors: number
  /** the levels built so far (level 0 always; `mipLevel` builds the others when first asked) */
  levels: BusyLevel[]
  /** how many levels there are: down to one bucket */
  count: number
  /** busy ns per actor over the whole run (> 0: the actor has a lane even without stored slices) */
  actorTotal: Float64Array
}

/**
 * The mipmap of the engine's summary (level 0 is the summary itself), with the CPU levels up to `build`
 * and the actor levels up to `buildActors` built now (O(size of the summary) for all of them), the rest
 * left to `mipLevel` / `mipActor`: a small trace is never drawn from levels > 0, and only thread lanes
 * read the actor levels (233 actors × 4096 buckets at 200 flows: 7.6 MB that the CPU lanes never use).
 */
export function buildMipmap(busy: BusySummary, durationNs = Infinity, build = Infinity, buildActors = build): BusyMipmap {
  const { kinds, lanes } = busy
  const actors = busy.buckets > 0 ? Math.floor(busy.actor.length / busy.buckets) : 0
  const levels: BusyLevel[] = [{ bucketNs: busy.bucketNs, buckets: busy.buckets, cpu: busy.cpu, total: null, actor: busy.actor }]
  let count = 1
  for (let b = busy.buckets; b >= 2; b = Math.ceil(b / 2)) count++
  const actorTotal = new Float64Array(actors)
  for (let a = 0; a < actors; a++) {
    let sum = 0
    for (let b = a * busy.buckets, e = b + busy.buckets; b < e; b++) sum += busy.actor[b]!
    actorTotal[a] = sum
  }
  const mip: BusyMipmap = { durationNs, kinds, lanes, actors, levels, count, actorTotal }
  mipLevel(mip, Math.min(build, count - 1))
  if (build > 0) mipTotal(mip, Math.min(build, count - 1))
  if (buildActors > 0) mipActor(mip, Math.min(buildActors, count - 1))
  return mip
}

/** The all-CPU series of level L, built (with the levels before it) the first time it is asked for. */
export function mipTotal(mip: BusyMipmap, L: number): Float64Array {
  mipLevel(mip, L)
  const levels = mip.levels
  const l0 = levels[0]!
  if (!l0.total) {
    const { kinds, lanes } = mip
    const n = l0.buckets
    const total = new Float64Array(n)
    for (let l = 0; l < lanes; l++) {
      for (let b = 0; b < n; b++) {
        let sum = 0
        for (let i = (l * n + b) * kinds, e = i + kinds; i < e; i++) sum += l0.cpu[i]!
        total[b] = total[b]! + sum
      }
    }
    l0.total = total
  }
  let k = L
  while (!levels[k]!.total) k--
  for (; k < L; k++) levels[k + 1]!.total = halve(levels[k]!.total!, 1, levels[k]!.buckets, 1)
  return levels[L]!.total!
}

/** Level L (0 ≤ L < count) with its CPU buckets, built from level L − 1 the first time it is asked for. */
export function mipLevel(mip: BusyMipmap, L: number): BusyLevel {
  const levels = mip.levels
  while (levels.length <= L) {
    const prev = levels[levels.length - 1]!
    levels.push({ bucketNs: prev.bucketNs * 2, buckets: Math.ceil(prev.buckets / 2), cpu: halve(prev.cpu, mip.lanes, prev.buckets, mip.kinds), total: null, actor: null })
  }
  return levels[L]!
}

/** The actor buckets of level L, built (with the levels before it) the first time they are asked for. */
export function mipActor(mip: BusyMipmap, L: number): Float64Array | Float32Array {
  mipLevel(mip, L)
  const levels = mip.levels
  let k = L
  while (!levels[k]!.actor) k--
  for (; k < L; k++) levels[k + 1]!.actor = halve(levels[k]!.actor!, mip.actors, levels[k]!.buckets, 1)
  return levels[L]!.actor!
}

/**
 * The next level of `rows` series of `buckets` buckets × `width` values each: bucket j = buckets 2j and
 * 2j + 1 (an odd last bucket alone). Pairs are adjacent in memory: one pass, no accumulation.
 */
function halve(src: Float64Array | Float32Array, rows: number, buckets: number, width: number): Float64Array {
  const n = Math.ceil(buckets / 2)
  const out = new Float64Array(rows * n * width)
  const pairs = buckets >> 1
  const rowIn = buckets * width
  const rowOut = n * width
  for (let r = 0; r < rows; r++) {
    let i = r * rowIn
    let o = r * rowOut
    for (let j = 0; j < pairs; j++, i += 2 * width, o += width) {
      for (let k = 0; k < width; k++) out[o + k] = src[i + k]! + src[i + width + k]!
    }
    if (buckets & 1) for (let k = 0; k < width; k++) out[o + k] = src[i + k]!
  }
  return out
}

/** The coarsest level whose buckets are still no wider than `nsPerPx` (level 0 when zoomed in further). */
export function levelFor(mip: BusyMipmap, nsPerPx: number): number {
  const base = mip.levels[0]!.bucketNs
  if (!(nsPerPx > base)) return 0
  return Math.min(mip.count - 1, Math.max(0, Math.floor(Math.log2(nsPerPx / base))))
}

/** A bucket's effective end: cut at the end of the run; the last one also holds anything past its end. */
function bucketEnd(mip: BusyMipmap, bs: number, w: number, last: boolean, t1: number): number {
  let be = bs + w
  if (be > mip.durationNs && bs < mip.durationNs) be = mip.durationNs
  if (last && mip.durationNs === Infinity && t1 > be) be = t1
  return be
}

/** Which series of the mipmap a lane reads: a CPU (all kinds) or an actor (one kind, `kind`). */
export interface BusySeries {
  kind: 'cpu' | 'actor'
  id: number
  /** the SliceKind an actor lane's summary is drawn as */
  drawKind: number
}

/**
 * Add the busy time of [from, t1) ∩ [t0, t1) to per-column, per-kind accumulators (`acc[c·kinds + k]`,
 * in pixels covered, like a slice adds its width), `width` columns spanning [t0, t1). Inside a
 * bucket busy time is spread evenly. Returns the level used.
 */
export function addBusyColumns(mip: BusyMipmap, series: BusySeries, from: number, t0: number, t1: number, width: number, acc: Float64Array, accKinds: number): number {
  const a = Math.max(from, t0)
  if (!(t1 > a) || width <= 0) return -1
  const pxPerNs = width / (t1 - t0)
  const L = levelFor(mip, (t1 - t0) / width)
  const lv = mipLevel(mip, L)
  const actor = series.kind === 'actor' ? mipActor(mip, L) : null
  const w = lv.bucketNs
  const kinds = mip.kinds
  const nb = lv.buckets
  const b0 = Math.max(0, Math.floor(a / w))
  const last = nb - 1
  for (let b = b0; b <= last; b++) {
    const bs = b * w
    if (bs >= t1) break
    const be = bucketEnd(mip, bs, w, b === last, t1)
    const s = Math.max(bs, a)
    const e = Math.min(be, t1)
    if (e <= s) continue
    const frac = (e - s) / (be - bs)
    let x0 = (s - t0) * pxPerNs
    let x1 = (e - t0) * pxPerNs
    if (x0 < 0) x0 = 0
    if (x1 > width) x1 = width
    const c0 = Math.floor(x0)
    const c1 = Math.min(Math.floor(x1), width - 1)
    const spanPx = x1 - x0
    if (spanPx <= 0) continue
    for (let k = 0; k < (series.kind === 'cpu' ? kinds : 1); k++) {
      const busy = series.kind === 'cpu' ? lv.cpu[(series.id * nb + b) * kinds + k]! : actor![series.id * nb + b]!
      if (!(busy > 0)) continue
      const kk = series.kind === 'cpu' ? Math.min(k, accKinds - 1) : series.drawKind
      // density: busy px per px of this bucket's covered span
      const d = (busy * frac * pxPerNs) / spanPx
      spreadSpan(acc, accKinds, kk, x0, x1, c0, c1, d)
    }
  }
  return L
}

/**
 * Add `perPx` for every pixel of the span [x0, x1) to the columns it covers (c0 = floor(x0), c1 its
 * last column): partly covered edge columns get their covered fraction. out[column * stride + k].
 * The one spreading rule of slices (model.ts) and summary buckets (here).
 */
export function spreadSpan(out: Float64Array | Float32Array, stride: number, k: number, x0: number, x1: number, c0: number, c1: number, perPx: number): void {
  if (c0 >= c1) {
    out[c0 * stride + k]! += perPx * (x1 - x0)
    return
  }
  out[c0 * stride + k]! += perPx * (c0 + 1 - x0)
  for (let c = c0 + 1; c < c1; c++) out[c * stride + k]! += perPx
  out[c1 * stride + k]! += perPx * (x1 - c1)
}

/**
 * Busy CPUs per column (all CPUs and kinds together) over [t0, t1) at `width` columns, added to `out`:
 * the overview of a run whose every CPU lane is drawn from the summary at this zoom, in O(buckets +
 * columns) instead of O(CPUs × kinds × buckets). Spread like `addBusyColumns` (a CPU's share of a
 * column never exceeds 1, so the sum of the lanes' columns is the column of their sum).
 */
export function addTotalColumns(mip: BusyMipmap, t0: number, t1: number, width: number, out: Float64Array | Float32Array): void {
  if (!(t1 > t0) || width <= 0) return
  const pxPerNs = width / (t1 - t0)
  const L = levelFor(mip, (t1 - t0) / width)
  const lv = mipLevel(mip, L)
  const total = mipTotal(mip, L)
  const w = lv.bucketNs
  const last = lv.buckets - 1
  for (let b = Math.max(0, Math.floor(t0 / w)); b <= last; b++) {
    const bs = b * w
    if (bs >= t1) break
    const be = bucketEnd(mip, bs, w, b === last, t1)
    const s = Math.max(bs, t0)
    const e = Math.min(be, t1)
    const busy = total[b]!
    if (e <= s || !(busy > 0)) continue
    let x0 = (s - t0) * pxPerNs
    let x1 = (e - t0) * pxPerNs
    if (x0 < 0) x0 = 0
    if (x1 > width) x1 = width
    const spanPx = x1 - x0
    if (spanPx <= 0) continue
    const c0 = Math.floor(x0)
    const c1 = Math.min(Math.floor(x1), width - 1)
    const d = (busy * ((e - s) / (be - bs)) * pxPerNs) / spanPx
    spreadSpan(out, 1, 0, x0, x1, c0, c1, d)
  }
}

/** Busy ns of a series in [t0, t1) per kind (actor series: all in `drawKind`), buckets prorated at the edges. */
export function busyInRange(mip: BusyMipmap, series: BusySeries, t0: number, t1: number, out: Float64Array): void {
  if (!(t1 > t0)) return
  const lv = mip.levels[0]!
  const w = lv.bucketNs
  const nb = lv.buckets
  const kinds = mip.kinds
  const last = nb - 1
  for (let b = Math.max(0, Math.floor(t0 / w)); b <= last; b++) {
    const bs = b * w
    if (bs >= t1) break
    const be = bucketEnd(mip, bs, w, b === last, t1)
    const frac = (Math.min(be, t1) - Math.max(bs, t0)) / (be - bs)
    if (frac <= 0) continue
    if (series.kind === 'cpu') for (let k = 0; k < kinds; k++) out[Math.min(k, out.length - 1)]! += lv.cpu[(series.id * nb + b) * kinds + k]! * frac
    else out[series.drawKind]! += lv.actor![series.id * nb + b]! * frac
  }
}

/** Total busy ns of one series at one level (tests: every level conserves it). */
export function levelTotal(mip: BusyMipmap, L: number, series: Pick<BusySeries, 'kind' | 'id'>): number {
  const lv = mipLevel(mip, L)
  let sum = 0
  if (series.kind === 'cpu') {
    const n = lv.buckets * mip.kinds
    for (let i = series.id * n; i < (series.id + 1) * n; i++) sum += lv.cpu[i]!
  } else {
    const actor = mipActor(mip, L)
    for (let b = 0; b < lv.buckets; b++) sum += actor[series.id * lv.buckets + b]!
  }
  return sum
}

/** Every array of the mipmap that can be transferred (level 0's cpu is the summary's own array). */
export function mipmapBuffers(mip: BusyMipmap): ArrayBuffer[] {
  return mip.levels.flatMap((l) => [l.cpu.buffer as ArrayBuffer, ...(l.total ? [l.total.buffer as ArrayBuffer] : []), ...(l.actor ? [l.actor.buffer as ArrayBuffer] : [])])
}
