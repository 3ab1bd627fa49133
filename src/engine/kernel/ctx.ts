// What the parts of one kernel instance see of each other. Each part (CPU levels, softirq, NAPI,
// scheduler, placement, balancing, tick) implements one of these interfaces and is wired by
// `Kernel` (kernel.ts); parts import only this file and types.ts, so there are no import circles.
import type { EventLoop } from '../core/eventLoop.ts'
import type { EventRecorder, SliceRecorder } from '../core/recorder.ts'
import type { Costs } from '../costs.ts'
import type { KernelEra } from '../scenario.ts'
import type { ActorKind, Actor, SliceKind } from '../types.ts'
import type { Topology } from './topology.ts'
import type { Chunk, Cpu, IrqLine, Napi, PollAfter, Task } from './types.ts'

export interface KernelParams {
  /** 'host' or 'guest': names, lanes and which costs apply */
  role: 'host' | 'guest'
  era: KernelEra
  hz: number
  /** CONFIG_IRQ_TIME_ACCOUNTING: irq/softirq time is not charged to the interrupted task and lowers capacity */
  irqTimeAccounting: boolean
  /** steal time lowers CPU capacity (paravirt steal accounting, guests) */
  stealLowersCapacity: boolean
  /** RT throttling: sched_rt_runtime_us per sched_rt_period_us (0 = off) */
  rtRuntimeNs: number
  rtPeriodNs: number
  /** net.core.netdev_budget (packets per net_rx_action) and netdev_budget_usecs (4.12+; v4.7: 2 jiffies) */
  netdevBudget: number
  netdevBudgetUsecs: number
}

/** CPU levels: hard IRQ ▸ softirq ▸ task (exec.ts). */
export interface ExecOps {
  topChunk(cpu: Cpu): Chunk | null
  settle(cpu: Cpu, now: number): void
  /** account `el` ns of the top chunk ending at `now` (guest CPUs: driven by the host) */
  account(cpu: Cpu, now: number, el: number): void
  dispatch(cpu: Cpu, now: number): void
  completeTop(cpu: Cpu, now: number): void
  poke(cpu: Cpu, now: number): void
  abortTaskChunk(cpu: Cpu, now: number): void
  raiseIrq(cpu: Cpu, line: IrqLine, now: number): void
  /** a zero-length chunk: gives the scheduler a preemption point */
  yieldChunk(t: Task): Chunk
  /** the CPU and actor whose chunk is completing now (-1 outside any chunk): the waker of what it wakes */
  readonly currentCpu: number
  readonly currentActor: number
}

/** The scheduling classes (FIFO over a fair class); CFS-2016 is one implementation. */
export interface SchedClassOps {
  /** put prev back (if still runnable) and choose the next task; null = idle */
  pickNext(cpu: Cpu, now: number): Task | null
  /** add a runnable task to a CPU's queue; `wakeup` applies sleeper placement */
  enqueue(cpu: Cpu, t: Task, now: number, wakeup: boolean): void
  dequeue(cpu: Cpu, t: Task): void
  /** the running task blocks (EEVDF keeps its lag) */
  sleep?(cpu: Cpu, t: Task): void
  /** should `t`, just made runnable on `cpu`, preempt what runs there */
  wakeupPreempt(cpu: Cpu, t: Task, now: number): boolean
  /** scheduler_tick for the running task: true = resched */
  tick(cpu: Cpu, now: number): boolean
  /** update_curr: the running task ran `el` ns */
  charge(cpu: Cpu, t: Task, el: number): void
  /** renormalise a task's virtual time when it moves between CPUs */
  migrate(t: Task, from: Cpu, to: Cpu): void
  /** rq weighted load (runnable CFS weight) */
  load(cpu: Cpu): number
}

/** Where a woken task goes, and how load moves between CPUs. */
export interface PlacementOps {
  selectCpu(t: Task, wakerCpu: number, sync: boolean, now: number): number
  /** idle_cpu(): the idle task runs and nothing is queued — softirq work on top is invisible */
  isIdle(cpu: Cpu): boolean
}

export interface BalanceOps {
  newidle(cpu: Cpu, now: number): void
  periodic(cpu: Cpu, now: number): void
}

export interface SoftirqOps {
  /** irq_exit → invoke_softirq, by kernel era */
  irqExit(cpu: Cpu, now: number): void
  /** local_bh_enable in task context: pending softirqs run inline (by era) */
  bhEnable(cpu: Cpu, now: number): void
  wakeKsoftirqd(cpu: Cpu, now: number): void
  ksoftirqdProgram(t: Task, cpu: Cpu, now: number): Chunk | null
}

export interface NapiOps {
  /** napi_schedule from a hard IRQ handler (or a device re-check) on `cpu` */
  schedule(n: Napi, cpu: Cpu, now: number, wakerActor: number): void
  /** one napi->poll() of up to `weight` packets, as a chunk */
  pollChunk(n: Napi, cpu: Cpu, weight: number, kind: SliceKind, actor: number, after: PollAfter): Chunk
  /** a scheduled instance now belongs to its thread */
  handToThread(n: Napi, now: number, fromCpu: number): void
  /** napi_complete_done after a poll that found less than its budget (IRQ re-enabled, deferred or suspended) */
  completeDone(n: Napi, cpu: Cpu, work: number, now: number): void
  /** (re)start the NAPI hrtimer (napi_watchdog), pinned to `cpu` */
  armTimer(n: Napi, cpu: Cpu, now: number, timeoutNs: number): void
}

export interface Kernel {
  readonly params: KernelParams
  readonly costs: Costs
  readonly cpus: Cpu[]
  readonly tasks: Task[]
  readonly topology: Topology
  readonly loop: EventLoop
  readonly slices: SliceRecorder
  readonly events: EventRecorder
  readonly tickNs: number
  readonly maxSoftirqJiffies: number
  exec: ExecOps
  sched: SchedClassOps
  placement: PlacementOps
  balance: BalanceOps
  softirq: SoftirqOps
  napi: NapiOps
  now(): number
  jiffies(now: number): number
  newActor(a: Omit<Actor, 'id'>): number
  newTask(name: string, actorKind: ActorKind, kind: SliceKind, fifo: boolean, rtPrio: number, allowed: number[] | null, cpu: number): Task
  /** try_to_wake_up; `sync` = the waker sleeps soon (WF_SYNC, e.g. sock_def_readable) */
  wake(t: Task, now: number, wakerCpu: number, wakerActor: number, sync?: boolean): boolean
  /** put a runnable task on a CPU (wakeup or migration) and check preemption */
  enqueue(t: Task, target: number, now: number, wakeup: boolean, wakerCpu: number): void
  /** move a runnable (not running) task to another CPU */
  moveTask(t: Task, target: number, now: number): void
  /** a reschedule IPI from `from` to `target` (VM exits: on the target in the host, on the sender in a 2016 guest) */
  onRemoteResched?: (target: Cpu, from: Cpu, now: number) => void
}
