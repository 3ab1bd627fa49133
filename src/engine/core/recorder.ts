// Collects the trace in growable typed arrays, bounded by maxSlices. Contiguous pieces of the same
// work on one CPU (same kind and actor) merge into one slice, so a slice is "one run".
import { SLICE_KIND_NAMES, type BusySummary, type CounterTrack, type SliceColumns, type TraceEvents } from '../types.ts'

const SLICE_KINDS = SLICE_KIND_NAMES.length

type Column = Float64Array | Uint32Array | Uint16Array | Uint8Array

const f64 = (n: number) => new Float64Array(n)
const u32 = (n: number) => new Uint32Array(n)
const u16 = (n: number) => new Uint16Array(n)
const u8 = (n: number) => new Uint8Array(n)

export class SliceRecorder {
  count = 0
  dropped = 0
  // the columns, grown by doubling (fields, not wrappers: add() runs at every accounting step)
  private start = f64(1024)
  private end = f64(1024)
  private cpu = u16(1024)
  private kind = u8(1024)
  private actor = u32(1024)
  private packets = u32(1024)
  private reason = u8(1024)
  /** per CPU: index of its last slice, for merging */
  private last: Int32Array
  /** busy time of every slice, stored or not (null when no trace is recorded at all) */
  readonly busy: BusyRecorder | null

  constructor(cpus: number, private readonly max: number, durationNs = 0) {
    this.last = new Int32Array(cpus).fill(-1)
    this.busy = max > 0 && durationNs > 0 ? new BusyRecorder(cpus, durationNs) : null
  }

  add(cpu: number, start: number, end: number, kind: number, actor: number, packets: number, reason: number): void {
    if (end <= start && packets === 0) return
    if (end > start && this.busy) this.busy.add(cpu, start, end, kind, actor)
    const li = this.last[cpu]!
    if (li >= 0 && this.end[li] === start && this.kind[li] === kind && this.actor[li] === actor) {
      this.end[li] = end
      this.packets[li] = this.packets[li]! + packets
      this.reason[li] = reason
      return
    }
    if (this.count >= this.max) {
      this.dropped++
      this.last[cpu] = -1
      return
    }
    const i = this.count++
    if (i >= this.start.length) this.grow()
    this.start[i] = start
    this.end[i] = end
    this.cpu[i] = cpu
    this.kind[i] = kind
    this.actor[i] = actor
    this.packets[i] = packets
    this.reason[i] = reason
    this.last[cpu] = i
  }

  private grow(): void {
    this.start = doubled(this.start)
    this.end = doubled(this.end)
    this.cpu = doubled(this.cpu)
    this.kind = doubled(this.kind)
    this.actor = doubled(this.actor)
    this.packets = doubled(this.packets)
    this.reason = doubled(this.reason)
  }

  /**
   * Say why the CPU's last slice ended (preempted, sleep, end of run...) — only if that slice
   * ends now (and belongs to `actor`, when given): a slice followed by idle time keeps its reason.
   */
  setLastReason(cpu: number, reason: number, now: number, actor = -1): void {
    const li = this.last[cpu]!
    if (li < 0 || this.end[li] !== now) return
    if (actor >= 0 && this.actor[li] !== actor) return
    this.reason[li] = reason
  }

  /**
   * The stored slices: copies while the run goes on (a snapshot), or — once nothing will be added
   * (`final`) — views of the recorder's own columns, so a finished run's trace is not held twice
   * (~56 MB at the 1 M cap, host and guest). After that the recorder belongs to the result.
   */
  columns(final = false): SliceColumns {
    const n = this.count
    const take = <T extends Column>(a: T): T => (final ? a.subarray(0, n) : a.slice(0, n)) as T
    return {
      count: n,
      start: take(this.start),
      end: take(this.end),
      cpu: take(this.cpu),
      kind: take(this.kind),
      actor: take(this.actor),
      packets: take(this.packets),
      reason: take(this.reason),
    }
  }
}

/** a copy of the column with twice the room (columns grow by doubling) */
function doubled<T extends Column>(a: T): T {
  const next = new (a.constructor as new (n: number) => T)(a.length * 2)
  next.set(a)
  return next
}

/** Buckets of the whole-run busy summary (a power of two, so coarser levels halve it exactly). */
export const BUSY_BUCKETS = 4096

/**
 * Busy time per CPU and kind, and per actor, in fixed buckets over the whole run — whether or not
 * the slice itself is stored — so long runs stay truthful beyond `trace.maxSlices`.
 */
export class BusyRecorder {
  readonly bucketNs: number
  private readonly cpu: Float64Array
  private readonly actors: Float32Array[] = []

  constructor(private readonly cpus: number, durationNs: number) {
    this.bucketNs = Math.max(1, Math.ceil(durationNs / BUSY_BUCKETS))
    this.cpu = new Float64Array(cpus * BUSY_BUCKETS * SLICE_KINDS)
  }

  add(cpu: number, start: number, end: number, kind: number, actor: number): void {
    const w = this.bucketNs
    let b = Math.min(BUSY_BUCKETS - 1, Math.floor(start / w))
    let a = this.actors[actor]
    if (!a) {
      a = new Float32Array(BUSY_BUCKETS)
      this.actors[actor] = a
    }
    const base = cpu * BUSY_BUCKETS * SLICE_KINDS + kind
    let t = start
    while (t < end) {
      const bEnd = b >= BUSY_BUCKETS - 1 ? end : Math.min(end, (b + 1) * w)
      const d = bEnd - t
      this.cpu[base + b * SLICE_KINDS]! += d
      a[b]! += d
      t = bEnd
      b++
    }
  }

  summary(actorCount: number): BusySummary {
    const actor = new Float32Array(actorCount * BUSY_BUCKETS)
    this.actors.forEach((a, i) => { if (a && i < actorCount) actor.set(a, i * BUSY_BUCKETS) })
    return { bucketNs: this.bucketNs, buckets: BUSY_BUCKETS, kinds: SLICE_KINDS, lanes: this.cpus, cpu: this.cpu.slice(), actor }
  }
}

export class EventRecorder {
  // columns grown by doubling, like the slices'
  private wt = f64(256)
  private wFrom = u16(256)
  private wTo = u16(256)
  private wWaker = u32(256)
  private wWakee = u32(256)
  wakeups = 0
  private mt = f64(256)
  private mFrom = u16(256)
  private mTo = u16(256)
  private mActor = u32(256)
  migrations = 0
  modeSwitches: TraceEvents['modeSwitches'] = []
  knobWrites: NonNullable<TraceEvents['knobWrites']> = []

  constructor(private readonly max: number) {}

  wakeup(t: number, from: number, to: number, waker: number, wakee: number): void {
    if (this.wakeups >= this.max) return
    const i = this.wakeups++
    if (i >= this.wt.length) {
      this.wt = doubled(this.wt)
      this.wFrom = doubled(this.wFrom)
      this.wTo = doubled(this.wTo)
      this.wWaker = doubled(this.wWaker)
      this.wWakee = doubled(this.wWakee)
    }
    this.wt[i] = t
    this.wFrom[i] = from
    this.wTo[i] = to
    this.wWaker[i] = waker
    this.wWakee[i] = wakee
  }

  migration(t: number, from: number, to: number, actor: number): void {
    if (this.migrations >= this.max) return
    const i = this.migrations++
    if (i >= this.mt.length) {
      this.mt = doubled(this.mt)
      this.mFrom = doubled(this.mFrom)
      this.mTo = doubled(this.mTo)
      this.mActor = doubled(this.mActor)
    }
    this.mt[i] = t
    this.mFrom[i] = from
    this.mTo[i] = to
    this.mActor[i] = actor
  }

  events(): TraceEvents {
    const w = this.wakeups
    const m = this.migrations
    return {
      wakeups: { count: w, t: this.wt.slice(0, w), fromCpu: this.wFrom.slice(0, w), toCpu: this.wTo.slice(0, w), waker: this.wWaker.slice(0, w), wakee: this.wWakee.slice(0, w) },
      migrations: { count: m, t: this.mt.slice(0, m), fromCpu: this.mFrom.slice(0, m), toCpu: this.mTo.slice(0, m), actor: this.mActor.slice(0, m) },
      modeSwitches: this.modeSwitches,
      ...(this.knobWrites.length ? { knobWrites: this.knobWrites } : {}),
    }
  }
}

/** Counters sampled on a regular period. */
export class CounterRecorder {
  private t: Float64Array
  private v: Float64Array[]
  n = 0
  constructor(private readonly defs: Array<{ name: string; unit: string; kind: 'level' | 'rate' }>, capacity: number) {
    this.t = new Float64Array(capacity)
    this.v = defs.map(() => new Float64Array(capacity))
  }
  sample(t: number, values: number[]): void {
    if (this.n >= this.t.length) return
    this.t[this.n] = t
    for (let k = 0; k < values.length; k++) this.v[k]![this.n] = values[k]!
    this.n++
  }
  tracks(): CounterTrack[] {
    return this.defs.map((d, k) => ({ name: d.name, unit: d.unit, kind: d.kind, t: this.t.slice(0, this.n), v: this.v[k]!.slice(0, this.n) }))
  }
}
