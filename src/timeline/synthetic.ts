// Dev/test-only synthetic traces: the shape of an engine result without running the engine.
// Used by the timeline unit tests, the 1M-slice benchmark (e2e/bench) and the `?synthetic=N`
// page hook. Deterministic for a given seed.
import { defaultScenario } from '../engine/scenario.ts'
import { ActorKind, SliceKind, type Actor, type SimResult, type Trace } from '../engine/types.ts'

export interface SyntheticOptions {
  cpus?: number
  slices?: number
  durationNs?: number
  seed?: number
}

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    // xorshift32: fast, good enough for test data
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x / 4294967296
  }
}

const KIND_CYCLE: SliceKind[] = [SliceKind.hardirq, SliceKind.softirq, SliceKind.softirq, SliceKind.vhost, SliceKind.vcpu, SliceKind.ksoftirqd, SliceKind.irqThread, SliceKind.app, SliceKind.haltPoll, SliceKind.napiThread]

export function syntheticTrace(opts: SyntheticOptions = {}): Trace {
  const cpus = opts.cpus ?? 16
  const n = opts.slices ?? 100_000
  const durationNs = opts.durationNs ?? 100e6
  const rand = rng(opts.seed ?? 1)
  const actors: Actor[] = []
  for (let c = 0; c < cpus; c++) {
    actors.push({ id: actors.length, name: `irq/${45 + c}-eth0-TxRx-${c}`, kind: ActorKind.irqThread })
    actors.push({ id: actors.length, name: `ksoftirqd/${c}`, kind: ActorKind.ksoftirqd })
  }
  const vhost = actors.length
  actors.push({ id: vhost, name: 'vhost-1234', kind: ActorKind.vhost })
  actors.push({ id: vhost + 1, name: 'CPU 0/KVM', kind: ActorKind.vcpu })
  actors.push({ id: vhost + 2, name: 'netserver', kind: ActorKind.app })

  const start = new Float64Array(n)
  const end = new Float64Array(n)
  const cpu = new Uint16Array(n)
  const kind = new Uint8Array(n)
  const actor = new Uint32Array(n)
  const packets = new Uint32Array(n)
  const reason = new Uint8Array(n)
  // Slices per CPU, sequential and non-overlapping; mean slot leaves ~30 % idle.
  let i = 0
  for (let c = 0; c < cpus; c++) {
    const count = Math.floor(n / cpus) + (c < n % cpus ? 1 : 0)
    const slot = durationNs / Math.max(count, 1)
    let t = 0
    for (let j = 0; j < count; j++, i++) {
      const gap = slot * 0.3 * rand() * 2
      const len = Math.max(1, slot * 0.7 * (0.2 + rand() * 1.6))
      const st = Math.min(t + gap, durationNs - 1)
      const en = Math.min(st + len, durationNs)
      start[i] = st
      end[i] = Math.max(en, st + 1e-3)
      t = end[i]!
      cpu[i] = c
      const k = KIND_CYCLE[Math.floor(rand() * KIND_CYCLE.length)]!
      kind[i] = k
      actor[i] = k === SliceKind.irqThread ? 2 * c : k === SliceKind.ksoftirqd ? 2 * c + 1 : k === SliceKind.vhost ? vhost : k === SliceKind.vcpu ? vhost + 1 : k === SliceKind.app ? vhost + 2 : 2 * c
      packets[i] = k === SliceKind.softirq || k === SliceKind.irqThread || k === SliceKind.ksoftirqd ? 1 + Math.floor(rand() * 64) : 0
      reason[i] = 1 + Math.floor(rand() * 8)
    }
  }
  const samples = 1000
  const period = durationNs / samples
  const ct = Float64Array.from({ length: samples }, (_, k) => k * period)
  const wave = (f: number, amp: number) => Float64Array.from({ length: samples }, (_, k) => Math.max(0, amp * (0.5 + 0.5 * Math.sin(k * f) + 0.2 * (rand() - 0.5))))
  const nw = Math.min(20_000, Math.floor(n / 10))
  const wt = Float64Array.from({ length: nw }, (_, k) => ((k + rand()) * durationNs) / nw)
  const nm = Math.min(2000, Math.floor(n / 200))
  const mt = Float64Array.from({ length: nm }, (_, k) => ((k + rand()) * durationNs) / Math.max(nm, 1))
  return {
    cpus,
    durationNs,
    actors,
    droppedSlices: 0,
    slices: { count: n, start, end, cpu, kind, actor, packets, reason },
    counters: [
      { name: 'ring occupancy', unit: 'pkts', kind: 'level' as const, t: ct, v: wave(0.05, 512) },
      { name: 'tun queue', unit: 'pkts', kind: 'level' as const, t: ct, v: wave(0.02, 256) },
      { name: 'delivered', unit: 'kpps', kind: 'rate' as const, t: ct, v: wave(0.01, 900) },
      { name: 'drops', unit: 'kpps', kind: 'rate' as const, t: ct, v: wave(0.03, 100) },
    ],
    events: {
      wakeups: {
        count: nw,
        t: wt,
        fromCpu: Uint16Array.from({ length: nw }, () => Math.floor(rand() * cpus)),
        toCpu: Uint16Array.from({ length: nw }, () => Math.floor(rand() * cpus)),
        waker: Uint32Array.from({ length: nw }, () => 0),
        wakee: Uint32Array.from({ length: nw }, () => vhost),
      },
      migrations: {
        count: nm,
        t: mt,
        fromCpu: Uint16Array.from({ length: nm }, () => Math.floor(rand() * cpus)),
        toCpu: Uint16Array.from({ length: nm }, () => Math.floor(rand() * cpus)),
        actor: Uint32Array.from({ length: nm }, () => vhost),
      },
      modeSwitches: [{ tNs: durationNs / 2, queue: -1, irq: 45, threaded: true }],
    },
  }
}

/** A whole SimResult around a synthetic trace (summary numbers are placeholders). */
export function syntheticResult(opts: SyntheticOptions = {}): SimResult {
  const trace = syntheticTrace(opts)
  const scenario = defaultScenario()
  scenario.host.cpus = trace.cpus
  scenario.durationMs = trace.durationNs / 1e6
  return {
    scenario,
    summary: {
      packets: { offered: 0, delivered: 0, dropped: {}, inFlight: 0 },
      offeredKpps: 0,
      deliveredKpps: 0,
      droppedKpps: 0,
      lineRateKpps: 14881,
      cpu: Array.from({ length: trace.cpus }, (_, cpu) => ({ cpu, usr: 10, sys: 20, hardirq: 5, softirq: 35, idle: 30 })),
      tasks: trace.actors.map((a) => ({ actor: a.id, name: a.name, cpuTimeNs: 0, migrations: 0, wakeups: 0 })),
      irqsPerQueue: [],
      timeSqueeze: Array.from({ length: trace.cpus }, () => 0),
      modeSwitches: 1,
      eventsProcessed: trace.slices.count,
      accountedNs: Array.from({ length: trace.cpus }, () => trace.durationNs),
      simulatedNs: trace.durationNs,
    },
    trace,
    perf: { wallMs: 0, eventsPerSec: 0 },
  }
}

/**
 * Give a trace the engine's whole-run busy summary (`buckets` buckets, from every slice) and then
 * keep only the `maxSlices` slices that end first, as the engine's recorder does at its cap
 * (slices are recorded in order of end; every later one is counted, not stored).
 */
export function withBusySummary(trace: Trace, buckets = 4096, maxSlices = Infinity): Trace {
  const s = trace.slices
  const kinds = 9
  const bucketNs = Math.max(1, Math.ceil(trace.durationNs / buckets))
  const cpu = new Float64Array(trace.cpus * buckets * kinds)
  const actor = new Float32Array(trace.actors.length * buckets)
  for (let i = 0; i < s.count; i++) {
    let t = s.start[i]!
    const end = s.end[i]!
    let b = Math.min(buckets - 1, Math.floor(t / bucketNs))
    while (t < end) {
      const be = b >= buckets - 1 ? end : Math.min(end, (b + 1) * bucketNs)
      cpu[(s.cpu[i]! * buckets + b) * kinds + s.kind[i]!]! += be - t
      actor[s.actor[i]! * buckets + b]! += be - t
      t = be
      b++
    }
  }
  const busy = { bucketNs, buckets, kinds, lanes: trace.cpus, cpu, actor }
  if (!(maxSlices < s.count)) return { ...trace, busy }
  // oxlint-disable-next-line unicorn/no-array-sort -- a fresh array
  const order = Array.from({ length: s.count }, (_, i) => i).sort((a, b) => s.end[a]! - s.end[b]! || a - b).slice(0, maxSlices)
  const pick = <T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(order.length)
    order.forEach((i, j) => { out[j] = a[i]! })
    return out
  }
  return {
    ...trace,
    busy,
    droppedSlices: s.count - order.length,
    slices: { count: order.length, start: pick(s.start), end: pick(s.end), cpu: pick(s.cpu), kind: pick(s.kind), actor: pick(s.actor), packets: pick(s.packets), reason: pick(s.reason) },
  }
}
