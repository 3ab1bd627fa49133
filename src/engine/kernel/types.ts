// The objects one kernel instance is made of — chunks of work, tasks, CPUs, IRQ lines, NAPI
// instances — shared by the kernel's parts. The host and the guest are two instances of the
// same kernel; a guest CPU's time is supplied by a host vCPU task (VcpuLink).
import type { EndReason, SliceKind } from '../types.ts'

export const SLEEPING = 0
export const RUNNABLE = 1
export const RUNNING = 2

/**
 * mpstat columns. ksoftirqd's time is %soft, as the kernel accounts it (4.7 cputime.c:
 * irqtime_account_process_tick charges ksoftirqd to CPUTIME_SOFTIRQ) — for the scheduler it is
 * still task time.
 */
export const USR = 0
export const SYS = 1
export const HARD = 2
export const SOFT = 3
export const IDLE = 4
/** mpstat column of each SliceKind */
export const ACCT_OF_KIND: readonly number[] = [HARD, SOFT, SOFT, SYS, SYS, SYS, USR, USR, SYS, SYS]

/** A piece of work that runs on one CPU level until `remaining` ns have been executed. */
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
  /** host chunks that run a guest CPU (guest mode): that CPU, and its generation at creation */
  mirror: Cpu | null
  gen: number
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
  /** EEVDF: virtual deadline, and the lag kept across sleep (while running: the protected deadline) */
  deadline: number
  vlag: number
  sumExec: number
  prevSumExec: number
  /** when the task last stopped running (exec_start of its last run + its length) */
  lastRanNs: number
  /** inside a sequence without preemption points (e.g. __do_softirq in ksoftirqd, vhost handle_rx) */
  atomic: boolean
  /** extra ns added to the next chunk (context switch, IPIs sent...) */
  debt: number
  migrateTo: number
  program: (now: number) => Chunk | null
  /** whether its program would run anything now (false: at a preemption point it goes to sleep) */
  hasWork?: () => boolean
  cpuTimeNs: number
  migrations: number
  wakeups: number
  /** when it became runnable without running (for run_delay / steal) */
  runnableSince: number
  /** ns it waited runnable (sched_info.run_delay) */
  runDelayNs: number
}

/** One interrupt source as a CPU sees it: handler cost and what the handler does. */
export interface IrqLine {
  actor: number
  costNs: number
  handle: (cpu: Cpu, now: number) => void
}

/** What a NAPI instance polls: a NIC rx ring (host) or a virtio rx queue (guest). */
export interface NapiDevice {
  /** move up to `budget` packets from the device into the poll; returns how many */
  take(budget: number, now: number): number
  /** CPU cost of polling k packets (one napi->poll() call) */
  pollCostNs(k: number): number
  /** the polled packets leave for the next stage */
  deliver(cpu: Cpu, actor: number, now: number): void
  /** napi_complete_done on `cpu`: re-enable the device interrupt (may reschedule at once) */
  complete(cpu: Cpu, now: number): void
  /** packets taken but not delivered yet */
  readonly inPoll: number
  /** when the next packet will be there to poll (a busy poller spins until then), ns */
  nextDataNs?(now: number): number
}

/** What runs after a poll ends (the softirq round's bookkeeping, or a thread's local_bh_enable). */
export interface PollAfter {
  afterPoll(n: Napi, work: number, now: number): void
}

/** The poll in progress on a NAPI instance (one at a time: NAPI_STATE_SCHED). */
export interface NapiPoll {
  cpu: Cpu | null
  work: number
  weight: number
  actor: number
  after: PollAfter | null
  kthreadBusy: boolean
  /** the poll chunk's `done`, made once per instance */
  done: (now: number) => void
}

export interface Napi {
  id: number
  name: string
  dev: NapiDevice
  owner: 'softirq' | 'thread'
  wantOwner: 'softirq' | 'thread'
  /** NAPI_STATE_SCHED */
  scheduled: boolean
  /** on a CPU's poll list or a softirq round's local list */
  onList: boolean
  polling: boolean
  thread: Task | null
  /** how the thread is created on the first switch (IRQ thread flags or a napi kthread) */
  makeThread: () => Task
  /** napi_defer_hard_irqs and gro_flush_timeout (v5.7+, MODERN-KERNELS.md §2); 0 = off */
  deferHardIrqs: number
  groFlushTimeoutNs: number
  /** defer_hard_irqs_count: empty polls left before the device interrupt comes back */
  deferCount: number
  /** the NAPI hrtimer (napi_watchdog): its version, the CPU it is pinned to, its interrupt */
  timerVersion: number
  timerCpu: number
  timerLine: IrqLine | null
  /** empty polls / polls that kept the IRQ masked (counted for tests and the summary) */
  deferredCompletions: number
  /** threaded = busy-poll (NAPI_STATE_IN_BUSY_POLL in the kthread, 6.19+): never completes, IRQ stays off */
  busyPoll: boolean
  /** irq-suspend-timeout (6.13+), ns; 0 = off */
  irqSuspendTimeoutNs: number
  /** NAPI_STATE_PREFER_BUSY_POLL: a prefer_busy_poll poller found the instance busy; cleared at completion */
  preferBusy: boolean
  /** NAPI_STATE_IN_BUSY_POLL: an application's busy loop owns the instance (napi_complete_done does nothing) */
  inBusyPoll: boolean
  /** an application's busy loop holds NAPI_STATE_SCHED, from taking it to the end of busy_poll_stop */
  busyOwned: boolean
  poll: NapiPoll
}

/** The burst of __do_softirq that runs on a CPU's softirq level. */
export interface SoftirqBurst {
  next(now: number): Chunk | null
  endReason: EndReason
}

/** A guest CPU's link to the host task that runs it. */
export interface VcpuLink {
  /** account the guest's progress up to now (the host settles the vCPU's CPU) */
  sync(now: number): void
  /** the host ran this guest CPU for `el` ns ending at `now` */
  advance(now: number, el: number): void
  /** the guest CPU's top chunk changed: the host must re-enter with the new one */
  topChanged(now: number): void
  /** the host vCPU task pays for an exit on this guest CPU (IPI send, ...) */
  chargeExit(ns: number): void
  /** the vCPU thread is on a host CPU in guest mode now */
  inGuestMode(): boolean
  /** the guest's local timer fired: delivered through the host (a VM exit if in guest mode) */
  timerInterrupt(line: IrqLine, now: number): void
  /** host CPU the vCPU thread is on */
  hostCpu(): number
}

export interface Cpu {
  id: number
  // levels: hard IRQ ▸ softirq ▸ task
  irqQueue: IrqLine[]
  hard: Chunk | null
  soft: SoftirqBurst | null
  softChunk: Chunk | null
  task: Chunk | null
  topStart: number
  version: number
  /** inside completeTop/dispatch for this CPU: nested pokes are left to the outer dispatch */
  busy: boolean
  /** bumped whenever the top chunk changes (guest CPUs: the host's mirror chunk is stale) */
  gen: number
  // softirq / NAPI
  netRx: boolean
  pollList: Napi[]
  timeSqueeze: number
  ksoftirqd: Task
  // scheduler
  curr: Task | null
  rq: Task[]
  minVruntime: number
  needResched: boolean
  nextBalance: number
  balanceFailed: number
  /** rt_avg: RT task time (+ irq time and steal with IRQ/paravirt time accounting), halved per period; rtAvgAt = its age stamp */
  rtAvg: number
  rtAvgAt: number
  /** idle_stamp and avg_idle (newidle balancing gate) */
  idleStamp: number
  avgIdle: number
  /** RT runtime used in the current sched_rt_period (RT throttling) */
  rtUsedNs: number
  rtPeriodStart: number
  rtThrottled: boolean
  acct: Float64Array
  /** guest CPUs: the host vCPU task that supplies this CPU's time; null on the host */
  vcpu: VcpuLink | null
}
