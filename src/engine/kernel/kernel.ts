// One kernel instance: its CPUs, tasks, per-CPU ksoftirqd, scheduler, softirq, NAPI and tick,
// wired together. The host and the guest are both Kernels; a guest's CPUs get their time from
// host vCPU tasks (virt/vcpu.ts).
import { MAX_SOFTIRQ_TIME_MS, NS_PER_MS, NS_PER_S, SCHED_MIGRATION_COST_NS } from '../constants.ts'
import type { EventLoop } from '../core/eventLoop.ts'
import type { EventRecorder, SliceRecorder } from '../core/recorder.ts'
import type { Costs } from '../costs.ts'
import type { Topology } from './topology.ts'
import { ActorKind, SliceKind, type Actor } from '../types.ts'
import type { BalanceOps, ExecOps, Kernel as KernelApi, KernelParams, NapiOps, PlacementOps, SchedClassOps, SoftirqOps } from './ctx.ts'
import { CpuExec } from './exec.ts'
import { NapiCore } from './napi.ts'
import { Softirq } from './softirq.ts'
import { Tick } from './tick.ts'
import { RUNNABLE, SLEEPING, type Cpu, type Task } from './types.ts'

/** The scheduling parts of a kernel instance, chosen by the wiring (CFS-2016 today; EEVDF can be another). */
export interface SchedulerParts {
  sched: (k: KernelApi) => SchedClassOps
  placement: (k: KernelApi) => PlacementOps
  balance: (k: KernelApi) => BalanceOps
}

export class Kernel implements KernelApi {
  readonly cpus: Cpu[] = []
  readonly tasks: Task[] = []
  readonly tickNs: number
  readonly maxSoftirqJiffies: number
  exec: ExecOps
  sched: SchedClassOps
  placement: PlacementOps
  balance: BalanceOps
  softirq: SoftirqOps
  napi: NapiOps
  readonly napiCore: NapiCore
  readonly tick: Tick
  onRemoteResched?: (target: Cpu, from: Cpu, now: number) => void

  constructor(
    readonly params: KernelParams,
    readonly costs: Costs,
    readonly topology: Topology,
    readonly loop: EventLoop,
    readonly slices: SliceRecorder,
    readonly events: EventRecorder,
    private readonly actors: Actor[],
    parts: SchedulerParts,
  ) {
    const n = topology.spec.cpus
    this.tickNs = Math.round(NS_PER_S / params.hz)
    // msecs_to_jiffies(2) rounds up
    this.maxSoftirqJiffies = Math.max(1, Math.ceil((MAX_SOFTIRQ_TIME_MS * NS_PER_MS) / this.tickNs))
    this.exec = new CpuExec(this)
    this.sched = parts.sched(this)
    this.placement = parts.placement(this)
    this.balance = parts.balance(this)
    this.softirq = new Softirq(this)
    this.napiCore = new NapiCore(this)
    this.napi = this.napiCore
    for (let c = 0; c < n; c++) {
      this.cpus.push({
        id: c, irqQueue: [], hard: null, soft: null, softChunk: null, task: null, topStart: 0, version: 0, busy: false, gen: 0,
        netRx: false, pollList: [], timeSqueeze: 0, ksoftirqd: null as unknown as Task,
        curr: null, rq: [], minVruntime: 0, needResched: false, nextBalance: 0, balanceFailed: 0, rtAvg: 0, rtAvgAt: 0,
        idleStamp: 0, avgIdle: 2 * SCHED_MIGRATION_COST_NS, rtUsedNs: 0, rtPeriodStart: 0, rtThrottled: false,
        acct: new Float64Array(5), vcpu: null,
      })
    }
    const prefix = params.role === 'guest' ? 'guest ' : ''
    for (const cpu of this.cpus) {
      const t = this.newTask(`${prefix}ksoftirqd/${cpu.id}`, ActorKind.ksoftirqd, SliceKind.ksoftirqd, false, 0, [cpu.id], cpu.id)
      cpu.ksoftirqd = t
      t.program = (now) => this.softirq.ksoftirqdProgram(t, cpu, now)
      t.hasWork = () => cpu.netRx || Boolean((t as Task & { run?: unknown }).run)
    }
    this.tick = new Tick(this, this.newActor({ name: `${prefix}local timer`, kind: ActorKind.irq }))
  }

  now(): number {
    return this.loop.now
  }

  jiffies(now: number): number {
    return Math.floor(now / this.tickNs)
  }

  newActor(a: Omit<Actor, 'id'>): number {
    const id = this.actors.length
    this.actors.push({ id, ...a })
    return id
  }

  newTask(name: string, actorKind: ActorKind, kind: SliceKind, fifo: boolean, rtPrio: number, allowed: number[] | null, cpu: number): Task {
    const actor = this.newActor({
      name, kind: actorKind, policy: fifo ? 'SCHED_FIFO' : 'SCHED_NORMAL', ...(fifo ? { rtPriority: rtPrio } : {}), ...(allowed ? { affinity: allowed } : {}),
      ...(this.params.role === 'guest' ? { guest: true } : {}),
    })
    let mask: Uint8Array | null = null
    if (allowed) {
      mask = new Uint8Array(this.cpus.length || this.topology.spec.cpus)
      for (const c of allowed) mask[c] = 1
    }
    const t: Task = {
      id: this.tasks.length, actor, name, kind, fifo, rtPrio, allowed: mask, cpu, state: SLEEPING,
      vruntime: 0, deadline: 0, vlag: 0, sumExec: 0, prevSumExec: 0, lastRanNs: -1e12, atomic: false, debt: 0, migrateTo: -1,
      program: () => null, cpuTimeNs: 0, migrations: 0, wakeups: 0, runnableSince: 0, runDelayNs: 0,
    }
    this.tasks.push(t)
    return t
  }

  wake(t: Task, now: number, wakerCpu: number, wakerActor: number, sync = false): boolean {
    if (t.state !== SLEEPING) return false
    const target = this.placement.selectCpu(t, wakerCpu, sync, now)
    t.wakeups++
    this.events.wakeup(now, wakerCpu < 0 ? target : wakerCpu, target, wakerActor, t.actor)
    const to = this.cpus[target]!
    // ttwu_do_wakeup: the CPU leaves idle, avg_idle learns how long it was idle
    if (to.curr === null && to.idleStamp > 0) {
      const max = 2 * SCHED_MIGRATION_COST_NS
      const d = now - to.idleStamp
      to.avgIdle = d > max ? max : to.avgIdle + (d - to.avgIdle) / 8
      to.idleStamp = 0
    }
    this.enqueue(t, target, now, true, wakerCpu)
    return true
  }

  enqueue(t: Task, target: number, now: number, wakeup: boolean, wakerCpu: number): void {
    const from = this.cpus[t.cpu]!
    const to = this.cpus[target]!
    if (target !== t.cpu) {
      this.sched.migrate(t, from, to)
      t.migrations++
      this.events.migration(now, t.cpu, target, t.actor)
      if (t.kind === SliceKind.vcpu) t.debt += this.costs.vcpuMigrationNs
      t.cpu = target
    }
    // sched_info: a queued task that moves keeps waiting — its wait so far counts (sched_info_dequeued)
    if (t.state === RUNNABLE) t.runDelayNs += now - t.runnableSince
    t.state = RUNNABLE
    t.runnableSince = now
    this.sched.enqueue(to, t, now, wakeup)
    // kvm_vcpu_block polls only while single_task_running()
    if (to.task?.abortable) this.exec.abortTaskChunk(to, now)
    // update_curr before check_preempt_wakeup: the running task's vruntime up to now
    if (to.curr && !to.busy) this.exec.settle(to, now)
    if (!this.sched.wakeupPreempt(to, t, now)) return
    to.needResched = true
    // resched_curr on another CPU sends a reschedule IPI
    if (wakerCpu >= 0 && target !== wakerCpu) this.onRemoteResched?.(to, this.cpus[wakerCpu]!, now)
    if (!to.curr && !to.hard && !to.softChunk && !to.task) this.exec.poke(to, now)
    else if (to.task?.abortable) this.exec.abortTaskChunk(to, now)
  }

  moveTask(t: Task, target: number, now: number): void {
    this.sched.dequeue(this.cpus[t.cpu]!, t)
    this.enqueue(t, target, now, false, -1)
  }
}
