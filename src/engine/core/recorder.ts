// Collects the trace in growable typed arrays, bounded by maxSlices. Contiguous pieces of the same
// work on one CPU (same kind and actor) merge into one slice, so a slice is "one run".
import { SLICE_KIND_NAMES, type BusySummary, type CounterTrack, type SliceColumns, type TraceEvents } from '../types.ts'

const SLICE_KINDS = SLICE_KIND_NAMES.length

type Column = Float64Array | Uint32Array | Uint16Array | Uint8Array

class Growable<T extends Column> {
  constructor(public data: T, private readonly make: (n: number) => T) {}
  ensure(n: number): void {
    if (n <= this.data.length) return
    const next = this.make(Math.max(n, this.data.length * 2))
    next.set(this.data)
    this.data = next
  }
}

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
    const n = this.start.length * 2
    this.start = grown(this.start, f64(n))
    this.end = grown(this.end, f64(n))
    this.cpu = grown(this.cpu, u16(n))
    this.kind = grown(this.kind, u8(n))
    this.actor = grown(this.actor, u32(n))
    this.packets = grown(this.packets, u32(n))
    this.reason = grown(this.reason, u8(n))
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

function grown<T extends Column>(from: T, to: T): T {
  to.set(from)
  return to
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
  private wt = new Growable(f64(256), f64)
  private wFrom = new Growable(u16(256), u16)
  private wTo = new Growable(u16(256), u16)
  private wWaker = new Growable(u32(256), u32)
  private wWakee = new Growable(u32(256), u32)
  wakeups = 0
  private mt = new Growable(f64(256), f64)
  private mFrom = new Growable(u16(256), u16)
  private mTo = new Growable(u16(256), u16)
  private mActor = new Growable(u32(256), u32)
  migrations = 0
  modeSwitches: TraceEvents['modeSwitches'] = []
  knobWrites: NonNullable<TraceEvents['knobWrites']> = []

  constructor(private readonly max: number) {}

  wakeup(t: number, from: number, to: number, waker: number, wakee: number): void {
    if (this.wakeups >= this.max) return
    const i = this.wakeups++
    if (i >= this.wt.data.length) for (const g of [this.wt, this.wFrom, this.wTo, this.wWaker, this.wWakee]) g.ensure(this.wakeups)
    this.wt.data[i] = t
    this.wFrom.data[i] = from
    this.wTo.data[i] = to
    this.wWaker.data[i] = waker
    this.wWakee.data[i] = wakee
  }

  migration(t: number, from: number, to: number, actor: number): void {
    if (this.migrations >= this.max) return
    const i = this.migrations++
    if (i >= this.mt.data.length) for (const g of [this.mt, this.mFrom, this.mTo, this.mActor]) g.ensure(this.migrations)
    this.mt.data[i] = t
    this.mFrom.data[i] = from
    this.mTo.data[i] = to
    this.mActor.data[i] = actor
  }

  events(): TraceEvents {
    const w = this.wakeups
    const m = this.migrations
    return {
      wakeups: { count: w, t: this.wt.data.slice(0, w), fromCpu: this.wFrom.data.slice(0, w), toCpu: this.wTo.data.slice(0, w), waker: this.wWaker.data.slice(0, w), wakee: this.wWakee.data.slice(0, w) },
      migrations: { count: m, t: this.mt.data.slice(0, m), fromCpu: this.mFrom.data.slice(0, m), toCpu: this.mTo.data.slice(0, m), actor: this.mActor.data.slice(0, m) },
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
