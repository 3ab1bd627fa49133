// What a run produces. Bulk data are typed arrays (transferable from the worker); times are ns.
import type { Scenario } from './scenario.ts'

/** What runs on a CPU during a slice (colour in the timeline, mpstat column in the summary). */
export const SliceKind = {
  hardirq: 0,
  softirq: 1,
  ksoftirqd: 2,
  irqThread: 3,
  napiThread: 4,
  vhost: 5,
  vcpu: 6,
  app: 7,
  haltPoll: 8,
  /** an application's busy poll (napi_busy_loop in epoll_wait / recvmsg): NAPI polls in task context */
  busyPoll: 9,
} as const
export type SliceKind = (typeof SliceKind)[keyof typeof SliceKind]
export const SLICE_KIND_NAMES = ['hardirq', 'softirq', 'ksoftirqd', 'irq thread', 'NAPI thread', 'vhost', 'vCPU (guest)', 'application', 'halt-poll', 'busy poll'] as const

/** Why a slice ended (for NAPI/softirq work: the kernel's reason to stop). */
export const EndReason = {
  none: 0,
  /** all work done (NAPI completed / queue empty) */
  done: 1,
  /** packet budget exhausted (300 per net_rx_action, 64 per poll, vhost byte weight) */
  budget: 2,
  /** time limit (2 jiffies) */
  timeLimit: 3,
  /** need_resched set: another task must run */
  needResched: 4,
  /** preempted by a higher context (hard IRQ, softirq) */
  preempted: 5,
  /** the task blocked / slept */
  sleep: 6,
  /** restarts exhausted (MAX_SOFTIRQ_RESTART), deferred to ksoftirqd */
  restarts: 7,
  /** end of simulated time */
  end: 8,
} as const
export type EndReason = (typeof EndReason)[keyof typeof EndReason]
export const END_REASON_NAMES = ['', 'done', 'budget', 'time limit', 'need_resched', 'preempted', 'sleep', 'restarts exhausted', 'end of run'] as const

export const ActorKind = {
  irq: 0,
  ksoftirqd: 1,
  irqThread: 2,
  napiThread: 3,
  vhost: 4,
  vcpu: 5,
  app: 6,
} as const
export type ActorKind = (typeof ActorKind)[keyof typeof ActorKind]

/** Something that runs: a task (thread) or a hard IRQ line. */
export interface Actor {
  id: number
  name: string
  kind: ActorKind
  /** for tasks */
  policy?: 'SCHED_NORMAL' | 'SCHED_FIFO'
  rtPriority?: number
  /** allowed CPUs, or undefined = all */
  affinity?: number[]
  /** a task of the guest kernel (its CPUs are the guest's vCPUs) */
  guest?: boolean
}

/**
 * One row per slice. Per CPU, slices are in order of start and never overlap (idle time is a gap);
 * across CPUs they are in order of end.
 */
export interface SliceColumns {
  count: number
  start: Float64Array
  end: Float64Array
  cpu: Uint16Array
  kind: Uint8Array
  /** index into `actors` */
  actor: Uint32Array
  packets: Uint32Array
  reason: Uint8Array
}

export interface CounterTrack {
  name: string
  unit: string
  /** level: an occupancy sampled at t; rate: per second over the sample period ending at t */
  kind: 'level' | 'rate'
  /** sample times, ns (regular period) */
  t: Float64Array
  v: Float64Array
}

export interface TraceEvents {
  /** wakeups: time, waker CPU, wakee CPU (where it was placed), waker actor, wakee actor */
  wakeups: { count: number; t: Float64Array; fromCpu: Uint16Array; toCpu: Uint16Array; waker: Uint32Array; wakee: Uint32Array }
  /** migrations: time, from, to, actor */
  migrations: { count: number; t: Float64Array; fromCpu: Uint16Array; toCpu: Uint16Array; actor: Uint32Array }
  /** applied mode switches */
  modeSwitches: Array<{ tNs: number; queue: number; irq: number; threaded: boolean }>
  /** applied knob writes (scenario.writes), in time order */
  knobWrites?: Array<{ tNs: number; knob: string; index: number; value: number }>
}

/**
 * Whole-run busy time in fixed buckets, kept for every slice whether or not it is stored (so a run
 * longer than `trace.maxSlices` still shows where CPUs were busy). Bucket b covers
 * [b·bucketNs, (b+1)·bucketNs); the last bucket also holds anything after its end.
 */
export interface BusySummary {
  bucketNs: number
  buckets: number
  /** SliceKind count */
  kinds: number
  /** CPU lanes */
  lanes: number
  /** busy ns per (lane, bucket, kind): cpu[(lane · buckets + b) · kinds + kind] */
  cpu: Float64Array
  /** busy ns per (actor, bucket): actor[a · buckets + b] */
  actor: Float32Array
}

/** Sampled packets followed through the path: every `every`-th packet of each rx queue (up to a cap). */
export interface PacketPaths {
  every: number
  packets: Array<{
    flow: number
    queue: number
    /** arrival on the wire, ns */
    wireNs: number
    /** each stage it passed: when it left it, on which CPU lane (a guest vCPU when `guest`), run by which actor */
    hops: Array<{ stage: string; tNs: number; cpu: number; actor: number; guest: boolean }>
    fate: string
  }>
}

export interface Trace {
  cpus: number
  durationNs: number
  actors: Actor[]
  slices: SliceColumns
  /** slices that happened but were not stored (maxSlices reached) */
  droppedSlices: number
  counters: CounterTrack[]
  events: TraceEvents
  /** whole-run busy summary of the CPU lanes (absent when no trace was recorded) */
  busy?: BusySummary
  /** sampled per-packet paths (absent when no trace was recorded) */
  paths?: PacketPaths
  /** the guest kernel's own CPUs (vCPUs): its slices (cpu = vCPU index), events and busy summary */
  guest?: { cpus: number; slices: SliceColumns; droppedSlices: number; events: TraceEvents; busy?: BusySummary }
}

export interface CpuBreakdown {
  cpu: number
  /** percent of simulated time */
  usr: number
  sys: number
  hardirq: number
  softirq: number
  idle: number
}

export interface TaskStats {
  actor: number
  name: string
  cpuTimeNs: number
  migrations: number
  wakeups: number
  /** time spent runnable, waiting for a CPU (sched_info.run_delay; a vCPU's is its guest's steal), ns */
  runDelayNs?: number
}

export interface Summary {
  packets: {
    offered: number
    delivered: number
    dropped: Record<string, number>
    inFlight: number
  }
  /** throughput over [warmup, end] */
  offeredKpps: number
  deliveredKpps: number
  droppedKpps: number
  lineRateKpps: number
  cpu: CpuBreakdown[]
  /**
   * Per-packet latency from wire arrival to the application's read, for what was read after warm-up,
   * ns. From a log-linear histogram (16 buckets per doubling): each percentile is within ±3.2%.
   */
  latency?: { what?: string; count: number; p50Ns: number; p90Ns: number; p99Ns: number; p999Ns: number; buckets: Array<[number, number]> }
  /** the guest's vCPUs as the guest's own mpstat sees them (idle includes steal) */
  guestCpu?: CpuBreakdown[]
  tasks: TaskStats[]
  irqsPerQueue: number[]
  /** per CPU: net_rx_action rounds cut by the budget or time limit (/proc/net/softnet_stat column 3) */
  timeSqueeze: number[]
  modeSwitches: number
  eventsProcessed: number
  /** per CPU, ns accounted (must equal simulated time) */
  accountedNs: number[]
  simulatedNs: number
}

export interface SimResult {
  scenario: Scenario
  summary: Summary
  trace: Trace
  /** not part of the deterministic result */
  perf: { wallMs: number; eventsPerSec: number }
}

export interface RunOptions {
  /** called now and then with the fraction done (0..1) */
  onProgress?: (fraction: number) => void
  /** polled between steps; return true to stop early (the result is then partial) */
  shouldCancel?: () => boolean
}
