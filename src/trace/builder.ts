// Builds a SimResult-shaped run from events that did not come from the engine (real kernel traces,
// Trace Event JSON): growable typed-array columns, actors classified by comm, and the same summary
// the engine gives (CPU time per CPU in mpstat columns, CPU time per thread). DOM-free and
// Node-free: used by the CLI, the tests and the parsing worker alike. Times are integer ns.
import { defaultScenario, type Scenario } from '../engine/scenario.ts'
import { ActorKind, SliceKind, type Actor, type CounterTrack, type SimResult, type Summary, type Trace } from '../engine/types.ts'

/** Where an imported run came from; kept beside the SimResult fields (structural typing). */
export interface TraceSource {
  /** file name (or 'stdin') */
  name: string
  format: 'ftrace' | 'trace-cmd' | 'perf-script' | 'trace-event-json'
  /** lines (text) or events (JSON) read */
  lines: number
  /** events understood and used */
  events: number
  /** problems, each naming its line (first 50 kept) */
  warnings: { line: number; message: string }[]
  warningCount: number
  /** absolute time of t = 0 in the original trace, ns */
  originNs: number
  /** the label a multi-run JSON gave this run (A, B, …) */
  label?: string
}

export type ImportedRun = SimResult & { source: TraceSource }

export const isImported = (r: SimResult): r is ImportedRun => 'source' in r && typeof (r as { source?: unknown }).source === 'object'

/** mpstat column of each SliceKind, as the engine accounts it (ksoftirqd's work is %soft). */
export const ACCT_OF_KIND = ['hardirq', 'softirq', 'softirq', 'sys', 'sys', 'sys', 'usr', 'usr', 'sys'] as const
const KINDS = 9

/** Slice kind of a task from its comm: the kernel's own thread names. */
export function classifyComm(comm: string): { actorKind: ActorKind; sliceKind: SliceKind } {
  if (/^ksoftirqd\/\d+$/.test(comm)) return { actorKind: ActorKind.ksoftirqd, sliceKind: SliceKind.ksoftirqd }
  if (/^irq\/\d+-/.test(comm)) return { actorKind: ActorKind.irqThread, sliceKind: SliceKind.irqThread }
  if (/^napi\/.+-\d+$/.test(comm)) return { actorKind: ActorKind.napiThread, sliceKind: SliceKind.napiThread }
  if (/^vhost-\d+$/.test(comm)) return { actorKind: ActorKind.vhost, sliceKind: SliceKind.vhost }
  if (/^CPU \d+\/KVM$/.test(comm)) return { actorKind: ActorKind.vcpu, sliceKind: SliceKind.vcpu }
  return { actorKind: ActorKind.app, sliceKind: SliceKind.app }
}

const SLICE_OF_ACTOR: SliceKind[] = [SliceKind.hardirq, SliceKind.ksoftirqd, SliceKind.irqThread, SliceKind.napiThread, SliceKind.vhost, SliceKind.vcpu, SliceKind.app]
export const sliceKindOfActor = (k: ActorKind): SliceKind => SLICE_OF_ACTOR[k] ?? SliceKind.app

class Grow<T extends Float64Array | Uint32Array | Uint16Array | Uint8Array> {
  n = 0
  constructor(public data: T, private readonly make: (n: number) => T) {}
  push(v: number): void {
    if (this.n === this.data.length) {
      const next = this.make(Math.max(1024, this.data.length * 2))
      next.set(this.data)
      this.data = next
    }
    this.data[this.n++] = v
  }
  done(): T {
    return this.data.slice(0, this.n) as T
  }
}
const f64 = () => new Grow(new Float64Array(1024), (n) => new Float64Array(n))
const u32 = () => new Grow(new Uint32Array(1024), (n) => new Uint32Array(n))
const u16 = () => new Grow(new Uint16Array(1024), (n) => new Uint16Array(n))
const u8 = () => new Grow(new Uint8Array(1024), (n) => new Uint8Array(n))

/** Same default as the engine's recorder: beyond it slices are counted (and accounted) but not stored. */
export const DEFAULT_MAX_SLICES = 1_000_000

export class TraceBuilder {
  readonly actors: Actor[] = []
  private readonly s = { start: f64(), end: f64(), cpu: u16(), kind: u8(), actor: u32(), packets: u32(), reason: u8() }
  private readonly w = { t: f64(), fromCpu: u16(), toCpu: u16(), waker: u32(), wakee: u32() }
  private readonly m = { t: f64(), fromCpu: u16(), toCpu: u16(), actor: u32() }
  /** ns per CPU × kind, stored or not */
  private busy: Float64Array[] = []
  private actorNs: number[] = []
  private actorWakeups: number[] = []
  private actorMigrations: number[] = []
  droppedSlices = 0
  cpus = 0
  readonly counters: CounterTrack[] = []

  constructor(private readonly maxSlices = DEFAULT_MAX_SLICES) {}

  addActor(a: Omit<Actor, 'id'>): number {
    const id = this.actors.length
    this.actors.push({ ...a, id })
    this.actorNs.push(0)
    this.actorWakeups.push(0)
    this.actorMigrations.push(0)
    return id
  }

  private seeCpu(cpu: number): void {
    while (this.busy.length <= cpu) this.busy.push(new Float64Array(KINDS))
    if (cpu + 1 > this.cpus) this.cpus = cpu + 1
  }

  addSlice(start: number, end: number, cpu: number, kind: number, actor: number, packets: number, reason: number): void {
    if (!(end >= start)) return
    this.seeCpu(cpu)
    this.busy[cpu]![kind]! += end - start
    // task time per thread: what the thread ran itself (hard IRQs and softirqs interrupting it are not its time)
    if (kind !== SliceKind.hardirq && kind !== SliceKind.softirq) this.actorNs[actor]! += end - start
    if (this.s.start.n >= this.maxSlices) { this.droppedSlices++; return }
    this.s.start.push(start)
    this.s.end.push(end)
    this.s.cpu.push(cpu)
    this.s.kind.push(kind)
    this.s.actor.push(actor)
    this.s.packets.push(packets)
    this.s.reason.push(reason)
  }

  addWakeup(t: number, fromCpu: number, toCpu: number, waker: number, wakee: number): void {
    this.seeCpu(Math.max(fromCpu, toCpu))
    this.w.t.push(t)
    this.w.fromCpu.push(fromCpu)
    this.w.toCpu.push(toCpu)
    this.w.waker.push(waker)
    this.w.wakee.push(wakee)
    if (wakee < this.actorWakeups.length) this.actorWakeups[wakee]!++
  }

  addMigration(t: number, fromCpu: number, toCpu: number, actor: number): void {
    this.seeCpu(Math.max(fromCpu, toCpu))
    this.m.t.push(t)
    this.m.fromCpu.push(fromCpu)
    this.m.toCpu.push(toCpu)
    this.m.actor.push(actor)
    if (actor < this.actorMigrations.length) this.actorMigrations[actor]!++
  }

  /** Ensure at least `n` CPUs exist (a header may say how many there were). */
  declareCpus(n: number): void {
    if (n > 0) this.seeCpu(n - 1)
  }

  trace(durationNs: number, modeSwitches: Trace['events']['modeSwitches'] = []): Trace {
    const s = this.s
    const w = this.w
    const m = this.m
    return {
      cpus: Math.max(this.cpus, 1),
      durationNs,
      actors: this.actors,
      slices: { count: s.start.n, start: s.start.done(), end: s.end.done(), cpu: s.cpu.done(), kind: s.kind.done(), actor: s.actor.done(), packets: s.packets.done(), reason: s.reason.done() },
      droppedSlices: this.droppedSlices,
      counters: this.counters,
      events: {
        wakeups: { count: w.t.n, t: w.t.done(), fromCpu: w.fromCpu.done(), toCpu: w.toCpu.done(), waker: w.waker.done(), wakee: w.wakee.done() },
        migrations: { count: m.t.n, t: m.t.done(), fromCpu: m.fromCpu.done(), toCpu: m.toCpu.done(), actor: m.actor.done() },
        modeSwitches,
      },
    }
  }

  /** ns per CPU and SliceKind, including slices past the storage cap. */
  busyByCpuKind(): Float64Array[] {
    const out = this.busy.map((b) => Float64Array.from(b))
    while (out.length < this.cpus) out.push(new Float64Array(KINDS))
    return out
  }

  summary(durationNs: number, packets: PacketCounts): Summary {
    const cpus = Math.max(this.cpus, 1)
    const busy = this.busyByCpuKind()
    const dur = Math.max(durationNs, 1)
    const cpu = Array.from({ length: cpus }, (_, c) => {
      const acc = { usr: 0, sys: 0, hardirq: 0, softirq: 0 }
      const b = busy[c] ?? new Float64Array(KINDS)
      for (let k = 0; k < KINDS; k++) acc[ACCT_OF_KIND[k]!] += b[k]!
      const total = acc.usr + acc.sys + acc.hardirq + acc.softirq
      const pct = (x: number) => (100 * x) / dur
      return { cpu: c, usr: pct(acc.usr), sys: pct(acc.sys), hardirq: pct(acc.hardirq), softirq: pct(acc.softirq), idle: Math.max(0, pct(dur - total)) }
    })
    const kpps = (n: number) => (n / dur) * 1e6
    const dropped = Object.values(packets.dropped).reduce((a, b) => a + b, 0)
    return {
      packets: { offered: packets.offered, delivered: packets.delivered, dropped: packets.dropped, inFlight: 0 },
      offeredKpps: kpps(packets.offered),
      deliveredKpps: kpps(packets.delivered),
      droppedKpps: kpps(dropped),
      lineRateKpps: 0,
      cpu,
      tasks: this.actors.filter((a) => a.kind !== ActorKind.irq).map((a) => ({ actor: a.id, name: a.name, cpuTimeNs: this.actorNs[a.id]!, migrations: this.actorMigrations[a.id]!, wakeups: this.actorWakeups[a.id]! })),
      irqsPerQueue: [],
      timeSqueeze: Array.from({ length: cpus }, () => 0),
      modeSwitches: 0,
      eventsProcessed: packets.events,
      accountedNs: Array.from({ length: cpus }, () => durationNs),
      simulatedNs: durationNs,
    }
  }
}

export interface PacketCounts {
  /** packets the stack received (NAPI polls' work), 0 if unknown */
  offered: number
  /** packets copied to user space */
  delivered: number
  dropped: Record<string, number>
  events: number
}

/** A scenario to carry along an imported run (the UI reads a few fields): defaults with the trace's CPU count and length. */
export function scenarioForImport(cpus: number, durationNs: number): Scenario {
  const s = defaultScenario()
  s.host.cpus = Math.max(1, cpus)
  s.durationMs = Math.max(1, Math.ceil(durationNs / 1e6))
  s.warmupMs = 0
  return s
}

/** Per-bin rate counter (kpps) from event times, `period` ns per bin. */
export function rateCounter(name: string, times: Float64Array, count: number, durationNs: number, period: number, weights?: Float64Array): CounterTrack {
  const bins = Math.max(1, Math.ceil(durationNs / period))
  const t = new Float64Array(bins)
  const v = new Float64Array(bins)
  for (let i = 0; i < bins; i++) t[i] = i * period
  for (let i = 0; i < count; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(times[i]! / period)))
    v[b]! += weights ? weights[i]! : 1
  }
  // packets per bin → kpps
  for (let i = 0; i < bins; i++) v[i] = (v[i]! / period) * 1e6
  return { name, unit: 'kpps', kind: 'rate', t, v }
}

export { Grow, f64 }
