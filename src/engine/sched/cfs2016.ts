// The scheduling classes of a 4.7 kernel on one run queue: SCHED_FIFO (by priority, subject to
// RT throttling) over CFS (MODEL.md §5: scaled latency and granularities, vruntime, sleeper
// credit of half a latency period, wakeup preemption by wakeup_granularity, check_preempt_tick).
import { CFS_LATENCY_BASE_NS, CFS_MIN_GRAN_BASE_NS, CFS_NR_LATENCY, CFS_WAKEUP_GRAN_BASE_NS, NICE_0_LOAD, cfsScale } from '../constants.ts'
import type { SchedClassOps } from '../kernel/ctx.ts'
import type { Cpu, Task } from '../kernel/types.ts'
import { removeAt } from '../core/arrays.ts'
import { putPrev, setNext } from './runqueue.ts'

export class Cfs2016 implements SchedClassOps {
  readonly latencyNs: number
  readonly minGranNs: number
  readonly wakeupGranNs: number

  constructor(ncpus: number, private readonly contextSwitchNs: number) {
    const f = cfsScale(ncpus)
    this.latencyNs = CFS_LATENCY_BASE_NS * f
    this.minGranNs = CFS_MIN_GRAN_BASE_NS * f
    this.wakeupGranNs = CFS_WAKEUP_GRAN_BASE_NS * f
  }

  /**
   * per CPU: the smallest vruntime of its queued CFS tasks (NaN: recompute). A queued task's
   * vruntime does not change while it waits (only the running task is charged; placement and
   * migration happen before the enqueue), so the value stays exact until the queue changes.
   */
  private readonly queuedMin: number[] = []

  private queuedMinOf(cpu: Cpu): number {
    const m = this.queuedMin[cpu.id]
    if (m !== undefined && !Number.isNaN(m)) return m
    let x = Infinity
    for (const t of cpu.rq) if (!t.fifo && t.vruntime < x) x = t.vruntime
    this.queuedMin[cpu.id] = x
    return x
  }

  /** per CPU: how many CFS tasks wait in its queue (undefined: count them) */
  private readonly queuedCfs: number[] = []

  private queuedCfsOf(cpu: Cpu): number {
    let n = this.queuedCfs[cpu.id]
    if (n === undefined) {
      n = 0
      for (const t of cpu.rq) if (!t.fifo) n++
      this.queuedCfs[cpu.id] = n
    }
    return n
  }

  private queued(cpu: Cpu, t: Task): void {
    if (t.fifo) return
    const m = this.queuedMin[cpu.id]
    if (m !== undefined && t.vruntime < m) this.queuedMin[cpu.id] = t.vruntime
    const n = this.queuedCfs[cpu.id]
    if (n !== undefined) this.queuedCfs[cpu.id] = n + 1
  }

  private updateMinVruntime(cpu: Cpu): void {
    let m = Infinity
    if (cpu.curr && !cpu.curr.fifo) m = cpu.curr.vruntime
    const q = this.queuedMinOf(cpu)
    if (q < m) m = q
    if (m !== Infinity && m > cpu.minVruntime) cpu.minVruntime = m
  }

  pickNext(cpu: Cpu, now: number): Task | null {
    const prev = putPrev(cpu, now)
    if (prev && cpu.rq[cpu.rq.length - 1] === prev) this.queued(cpu, prev)
    this.updateMinVruntime(cpu)
    let best: Task | null = null
    // the two smallest queued CFS vruntimes: the second is the queue's minimum once the first runs
    let min1 = Infinity
    let min2 = Infinity
    let cfs = 0
    for (const t of cpu.rq) {
      if (!t.fifo) {
        cfs++
        if (t.vruntime < min1) { min2 = min1; min1 = t.vruntime }
        else if (t.vruntime < min2) min2 = t.vruntime
      }
      if (t.fifo && cpu.rtThrottled) continue
      if (!best) best = t
      else if (t.fifo !== best.fifo) { if (t.fifo) best = t }
      else if (t.fifo ? t.rtPrio > best.rtPrio : t.vruntime < best.vruntime) best = t
    }
    this.queuedMin[cpu.id] = best && !best.fifo ? min2 : min1
    this.queuedCfs[cpu.id] = best && !best.fifo ? cfs - 1 : cfs
    return setNext(cpu, best, prev, now, this.contextSwitchNs)
  }

  enqueue(cpu: Cpu, t: Task, _now: number, wakeup: boolean): void {
    if (wakeup && !t.fifo) {
      // place_entity with GENTLE_FAIR_SLEEPERS: sleeper credit of half a latency period
      t.vruntime = Math.max(t.vruntime, cpu.minVruntime - this.latencyNs / 2)
    }
    cpu.rq.push(t)
    this.queued(cpu, t)
  }

  dequeue(cpu: Cpu, t: Task): void {
    const i = cpu.rq.indexOf(t)
    if (i >= 0) {
      const cfs = this.queuedCfsOf(cpu)
      removeAt(cpu.rq, i)
      this.queuedMin[cpu.id] = Number.NaN
      if (!t.fifo) this.queuedCfs[cpu.id] = cfs - 1
    }
  }

  wakeupPreempt(cpu: Cpu, t: Task, _now: number): boolean {
    const curr = cpu.curr
    if (!curr) return true
    if (t.fifo) return !cpu.rtThrottled && (!curr.fifo || t.rtPrio > curr.rtPrio)
    if (curr.fifo) return false
    // (the caller has settled the CPU: curr.vruntime includes what it ran so far)
    return curr.vruntime - t.vruntime > this.wakeupGranNs
  }

  tick(cpu: Cpu): boolean {
    const curr = cpu.curr
    if (!curr) return false
    if (curr.fifo) return cpu.rtThrottled && cpu.rq.some((t) => !t.fifo)
    if (!cpu.rq.length) return false
    if (cpu.rq.some((t) => t.fifo && !cpu.rtThrottled)) return true
    // check_preempt_tick
    const nr = this.nrCfs(cpu)
    const period = nr > CFS_NR_LATENCY ? nr * this.minGranNs : this.latencyNs
    const ideal = period / nr
    const delta = curr.sumExec - curr.prevSumExec
    if (delta > ideal) return true
    if (delta < this.minGranNs) return false
    return curr.vruntime - this.queuedMinOf(cpu) > ideal
  }

  charge(cpu: Cpu, t: Task, el: number): void {
    if (t.fifo) return
    t.vruntime += el
    this.updateMinVruntime(cpu)
  }

  migrate(t: Task, from: Cpu, to: Cpu): void {
    if (!t.fifo) t.vruntime = t.vruntime - from.minVruntime + to.minVruntime
  }

  private nrCfs(cpu: Cpu): number {
    return (cpu.curr && !cpu.curr.fifo ? 1 : 0) + this.queuedCfsOf(cpu)
  }

  load(cpu: Cpu): number {
    return this.nrCfs(cpu) * NICE_0_LOAD
  }
}

