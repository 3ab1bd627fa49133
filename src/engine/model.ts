// Objects shared by the simulator's parts: chunks of work, tasks, NAPI instances, rx queues, CPUs.
import type { Rng } from './rng.ts'
import type { FlowFifo } from './fifo.ts'
import type { SoftirqRun } from './softirq.ts'
import type { EndReason, SliceKind } from './types.ts'


/**
 * Identity. Callbacks passed through it get no inferred name: under tsx (esbuild keepNames) every
 * named closure costs a defineProperty call, which was ~20% of run time in the CLI.
 */
export const unnamed = <T>(f: T): T => f


export const SLEEPING = 0
export const RUNNABLE = 1
export const RUNNING = 2

/**
 * mpstat columns. ksoftirqd's time is %soft, as the kernel accounts it (4.7 cputime.c:
 * irqtime_account_process_tick charges ksoftirqd to CPUTIME_SOFTIRQ; without IRQ time accounting
 * in_serving_softirq() does the same) — for the scheduler it is still task time.
 */
export const USR = 0
export const SYS = 1
export const HARD = 2
export const SOFT = 3
export const IDLE = 4
export const ACCT_OF_KIND: number[] = [HARD, SOFT, SOFT, SYS, SYS, SYS, USR, USR, SYS]

export interface Chunk {
  remaining: number
  kind: SliceKind
  actor: number
  packets: number
  /** runs with bottom halves disabled: irq_exit must not start softirqs */
  bh: boolean
  /** may be cut short (halt polling) */
  abortable: boolean
  reason: EndReason
  done: (now: number) => void
}

export interface Task {
  id: number
  actor: number
  name: string
  kind: SliceKind
  fifo: boolean
  rtPrio: number
  /** allowed CPUs, null = all */
  allowed: Uint8Array | null
  cpu: number
  state: number
  vruntime: number
  sumExec: number
  prevSumExec: number
  lastRanNs: number
  /** inside a sequence without preemption points (e.g. __do_softirq in ksoftirqd, vhost handle_rx) */
  atomic: boolean
  /** extra ns added to the next chunk (context switch, IPIs sent...) */
  debt: number
  migrateTo: number
  program: (now: number) => Chunk | null
  cpuTimeNs: number
  migrations: number
  wakeups: number
}

export interface Napi {
  queue: RxQueue
  owner: 'softirq' | 'thread'
  wantOwner: 'softirq' | 'thread'
  /** NAPI_STATE_SCHED */
  scheduled: boolean
  /** on a CPU's poll list or a softirq round's local list */
  onList: boolean
  inPoll: boolean
  thread: Task | null
  /** bytes cleaned in this NAPI episode (for ITR) */
  episodeBytes: number
}

export interface RxQueue {
  index: number
  irq: number
  action: string
  irqActor: number
  cpu: number
  threadedAtStart: boolean
  schedNormal: boolean
  noAffinity: boolean
  ring: FlowFifo
  flows: number[]
  rr: number
  periodNs: number
  nextArrival: number
  rng: Rng
  irqEnabled: boolean
  irqArmed: boolean
  irqVersion: number
  lastIrqNs: number
  itrNs: number
  itrClass: number
  offered: number
  irqCount: number
  napi: Napi
}

export interface Cpu {
  id: number
  curr: Task | null
  rq: Task[]
  minVruntime: number
  irqQueue: RxQueue[]
  hard: Chunk | null
  soft: SoftirqRun | null
  softChunk: Chunk | null
  task: Chunk | null
  netRx: boolean
  pollList: Napi[]
  needResched: boolean
  topStart: number
  version: number
  acct: Float64Array
  rtAvg: number
  rtAvgAt: number
  nextBalance: number
  ksoftirqd: Task
  timeSqueeze: number
  /** inside onCpuEvent/dispatch for this CPU: nested pokes are left to the outer dispatch */
  busy: boolean
  /** consecutive periodic balances that found nothing to pull */
  balanceFailed: number
}

