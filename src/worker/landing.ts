// What the simulation worker sends with a result (a `Landed`: the result, its timeline indexes and
// explanation, built in the worker), and how the page takes it in. Pure functions: the worker and the
// page's runner call them, the unit test runs both sides in one process.
//
// A long run streams snapshots. Past its slice cap (`trace.maxSlices`) a run stores no new slices, so
// every later snapshot and the final result carry the same host slices (1M slices, ~28 MB) and the same
// lanes (~24 MB): the worker then sends them once. A later message says `sharesSlicesOf: n` (message n
// of the run: the one before it, once the page has confirmed it took it in) and carries empty slice
// columns and no lanes; the page puts n's arrays in (`receiveLanding`) and keeps only the latest message's. Same slices = same count and the same 53-bit digest of
// every column. The page then holds one copy of them, not one per snapshot kept alive until the GC.
import type { PacketPaths, SimResult, SliceColumns, Trace } from '../engine/types.ts'
import { explainParts, type Explained } from '../explain/explain.ts'
import { guestResult } from '../timeline/guestView.ts'
import { indexFor, primeIndex } from '../timeline/indexCache.ts'
import { adoptLanes, buildIndex, type Lane, type TraceIndex } from '../timeline/model.ts'

/** A result as the playground takes it: with its timeline index (lanes, busy mipmap) built in the worker. */
export interface Landed {
  result: SimResult
  index: TraceIndex
  /** the index of the guest kernel's lanes (`trace.guest`), built in the worker too */
  guestIndex: TraceIndex | null
  /**
   * "Why, in words" (thread states over every slice): computed in the worker for a large run; null for a
   * snapshot, and for a small final result (`explainOnPage`), which the page explains itself after the
   * timeline is drawn (a few ms there, off the way from the worker's run to the drawn timeline).
   */
  explain: Explained | null
  /** a snapshot of a run still in progress (simulated up to `simulatedNs` of `result.trace.durationNs`) */
  partial: boolean
  simulatedNs: number
  /** where the worker's time went (ms), and when it sent this (epoch ms): the page turns them into user timing measures */
  timing: LandTiming
  /** this message's number in its run (0, 1, …) */
  seq: number
  /**
   * The host slices (and the index's lanes) are those of message `sharesSlicesOf` of this run, which the
   * page holds: sent empty here. null = sent in full.
   */
  sharesSlicesOf: number | null
  /** the page may forget what it keeps of this run's messages before this one (never referred to again: only the last one is) */
  keepFrom: number
  /**
   * `trace.paths` in columns (sent instead of ~1000 packets × their hops as objects, which cost the worker's
   * serialiser and the page's deserialiser a few ms per message); the page unpacks them on first read.
   */
  paths: PackedPaths | null
}

/** The engine's sampled packet paths as columns: exact (every number a float64), names in one table. */
export interface PackedPaths {
  every: number
  /** stage and fate names */
  names: string[]
  /** per packet */
  flow: Float64Array
  queue: Float64Array
  wireNs: Float64Array
  fate: Int32Array
  /** packet i's hops are [hopStart[i], hopStart[i + 1]) */
  hopStart: Int32Array
  /** per hop */
  stage: Int32Array
  tNs: Float64Array
  cpu: Float64Array
  actor: Float64Array
  guest: Uint8Array
}

export function packPaths(p: PacketPaths): PackedPaths {
  const n = p.packets.length
  let hops = 0
  for (const k of p.packets) hops += k.hops.length
  const names: string[] = []
  const ids = new Map<string, number>()
  const id = (name: string) => { let i = ids.get(name); if (i === undefined) { i = names.length; names.push(name); ids.set(name, i) } return i }
  const out: PackedPaths = {
    every: p.every, names,
    flow: new Float64Array(n), queue: new Float64Array(n), wireNs: new Float64Array(n), fate: new Int32Array(n), hopStart: new Int32Array(n + 1),
    stage: new Int32Array(hops), tNs: new Float64Array(hops), cpu: new Float64Array(hops), actor: new Float64Array(hops), guest: new Uint8Array(hops),
  }
  let h = 0
  for (let i = 0; i < n; i++) {
    const k = p.packets[i]!
    out.flow[i] = k.flow
    out.queue[i] = k.queue
    out.wireNs[i] = k.wireNs
    out.fate[i] = id(k.fate)
    out.hopStart[i] = h
    for (const x of k.hops) {
      out.stage[h] = id(x.stage)
      out.tNs[h] = x.tNs
      out.cpu[h] = x.cpu
      out.actor[h] = x.actor
      out.guest[h] = x.guest ? 1 : 0
      h++
    }
  }
  out.hopStart[n] = h
  return out
}

export function unpackPaths(c: PackedPaths): PacketPaths {
  const packets: PacketPaths['packets'] = []
  for (let i = 0; i < c.flow.length; i++) {
    const hops: PacketPaths['packets'][number]['hops'] = []
    for (let h = c.hopStart[i]!, e = c.hopStart[i + 1]!; h < e; h++) hops.push({ stage: c.names[c.stage[h]!]!, tNs: c.tNs[h]!, cpu: c.cpu[h]!, actor: c.actor[h]!, guest: c.guest[h] === 1 })
    packets.push({ flow: c.flow[i]!, queue: c.queue[i]!, wireNs: c.wireNs[i]!, hops, fate: c.names[c.fate[i]!]! })
  }
  return { every: c.every, packets }
}

/**
 * `trace.paths` read from the columns on first access (then an ordinary property): a landing does not
 * build ~5000 objects for a panel the page renders after the timeline, or not at all.
 */
export function lazyPaths(trace: Trace, c: PackedPaths): void {
  const settle = (v: PacketPaths | undefined) => { Object.defineProperty(trace, 'paths', { value: v, writable: true, enumerable: true, configurable: true }); return v }
  Object.defineProperty(trace, 'paths', {
    get: () => settle(unpackPaths(c)),
    set: (v: PacketPaths | undefined) => { settle(v) },
    enumerable: true,
    configurable: true,
  })
}

/** The worker's share of a landing, for the UI bench (`irqlab:*` measures on the page). */
export interface LandTiming {
  /** the engine: createSimulation → last advance → result() (0 for a snapshot) */
  simMs: number
  /** host timeline index (lanes, busy mipmap) */
  indexMs: number
  /** the guest lanes' index */
  guestMs: number
  /** "Why, in words" */
  explainMs: number
  /** performance.timeOrigin + performance.now() when the message left */
  sentAt: number
}

/** Slices (host and guest) up to which the page explains a final result itself. */
export const EXPLAIN_ON_PAGE_MAX_SLICES = 20_000

/** A final result small enough for the page to explain (O(slices) thread states: a few ms). */
export function explainOnPage(r: SimResult): boolean {
  return r.trace.droppedSlices === 0 && (r.trace.guest?.droppedSlices ?? 0) === 0 && r.trace.slices.count + (r.trace.guest?.slices.count ?? 0) <= EXPLAIN_ON_PAGE_MAX_SLICES
}

/** 53 bits over the count and every byte of every column (two independent 32-bit mixes). */
export function sliceDigest(s: SliceColumns): number {
  let h1 = (0x811c9dc5 ^ s.count) | 0
  let h2 = (0x9747b28c + s.count) | 0
  const mix = (w: number) => {
    h1 = Math.imul(h1 ^ w, 0x5bd1e995)
    h1 ^= h1 >>> 15
    h2 = Math.imul(h2 + w, 0x27d4eb2d) ^ (h2 >>> 13)
  }
  for (const a of [s.start, s.end, s.cpu, s.kind, s.actor, s.packets, s.reason]) {
    const words = a.byteOffset % 4 === 0 ? new Uint32Array(a.buffer, a.byteOffset, a.byteLength >>> 2) : null
    let done = 0
    if (words) {
      for (let i = 0; i < words.length; i++) mix(words[i]!)
      done = words.length * 4
    }
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
    for (let i = done; i < bytes.length; i++) mix(bytes[i]! | 0x100)
    mix(0x7fffffff) // column boundary
  }
  return (h1 >>> 0) * 2 ** 21 + (h2 >>> 11)
}

const emptyColumns = (count: number): SliceColumns => ({
  count, start: new Float64Array(0), end: new Float64Array(0), cpu: new Uint16Array(0), kind: new Uint8Array(0),
  actor: new Uint32Array(0), packets: new Uint32Array(0), reason: new Uint8Array(0),
})

/** The worker's memory of one run's messages: the slices each carried, and which ones the page confirmed. */
export class RunLandings {
  private seq = 0
  /** the last message sent: what its slices were */
  private last: { seq: number; count: number; digest: number } | null = null
  private acked = -1

  /** The page took message `seq` in (the answer to its onPartial call). */
  ack(seq: number): void {
    if (seq > this.acked) this.acked = seq
  }

  /**
   * Build the message for `result` (the engine's copy, owned by the caller from here on): its index,
   * the guest's and, for a final result, the explanation; host slices and lanes left out when the last
   * message the page confirmed carried the same slices.
   */
  make(result: SimResult, partial: boolean, simulatedNs: number, simMs: number): Landed {
    let t = performance.now()
    const lap = () => { const n = performance.now(); const d = n - t; t = n; return d }
    const s = result.trace.slices
    // only the last message, once the page confirmed it: the page then keeps that one alone
    const prev = this.last
    const candidate = prev !== null && this.acked >= prev.seq && prev.count === s.count
    // the digest (O(slices): ~20–40 ms at 0.5–1M slices) only where it is compared: with the last message
    // now, or by the next message (a snapshot's); a run's only message, its final result, needs none
    const digest = candidate || partial ? sliceDigest(s) : 0
    const shares = candidate && prev.digest === digest
    // the explanation (final results) reads the lanes: built here then, only not sent
    const full = buildIndex(result.trace, { lanes: !shares || !partial })
    if (partial) full.simulatedUntil = simulatedNs
    primeIndex(result.trace, full)
    const indexMs = lap()
    const g = guestResult(result)
    const guestIndex = g ? indexFor(g.trace) : null
    if (guestIndex && partial) guestIndex.simulatedUntil = simulatedNs
    const guestMs = lap()
    const explain = partial || explainOnPage(result) ? null : explainParts(result)
    const explainMs = lap()
    const seq = this.seq++
    const sharesSlicesOf = shares ? prev.seq : null
    // a final result is the run's last message: nothing is compared with it
    this.last = partial ? { seq, count: s.count, digest } : null
    const index = shares ? { ...full, cpuLanes: [], actorLanes: [] } : full
    if (shares) result.trace.slices = emptyColumns(s.count)
    const paths = result.trace.paths ? packPaths(result.trace.paths) : null
    delete result.trace.paths
    return {
      result, index, guestIndex, explain, partial, simulatedNs,
      timing: { simMs, indexMs, guestMs, explainMs, sentAt: 0 },
      seq, sharesSlicesOf, keepFrom: seq, paths,
    }
  }
}

/** What the page keeps of a run's messages for later ones to share: the slice columns and the lanes. */
export type Kept = Map<number, { slices: SliceColumns; cpuLanes: Lane[]; actorLanes: Lane[] }>

/**
 * The page's side: put the shared slices and lanes into a message that left them out (from `kept`,
 * this run's earlier messages), then remember this one's. Throws if the message refers to one the
 * page does not hold (never drawn half-empty).
 */
export function receiveLanding(l: Landed, kept: Kept): Landed {
  if (l.paths) lazyPaths(l.result.trace, l.paths)
  if (l.sharesSlicesOf !== null) {
    const k = kept.get(l.sharesSlicesOf)
    if (!k || k.slices.count !== l.result.trace.slices.count) throw new Error(`internal: result ${l.seq} refers to the slices of ${l.sharesSlicesOf}, which the page does not hold`)
    // a new columns object over the same arrays: caches keyed by the columns object stay per result
    l.result.trace.slices = { ...k.slices }
    adoptLanes(l.index, { ...l.index, cpuLanes: k.cpuLanes, actorLanes: k.actorLanes }, l.result.trace)
  }
  for (const seq of kept.keys()) if (seq < l.keepFrom) kept.delete(seq)
  kept.set(l.seq, { slices: l.result.trace.slices, cpuLanes: l.index.cpuLanes, actorLanes: l.index.actorLanes })
  return l
}
