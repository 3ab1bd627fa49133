// The scheduling classes of a 4.7 kernel on one run queue: SCHED_FIFO (by priority, subject to
// RT throttling) over CFS (MODEL.md §5: scaled latency and granularities, vruntime, sleeper
// credit of half a latency period, wakeup preemption by wakeup_granularity, check_preempt_tick).
import { CFS_LATENCY_BASE_NS, CFS_MIN_GRAN_BASE_NS, CFS_NR_LATENCY, CFS_WAKEUP_GRAN_BASE_NS, NICE_0_LOAD, cfsScale } from '../constants.ts'
import type { SchedClassOps } from '../kernel/ctx.ts'
import type { Cpu, Task } from '../kernel/types.ts'
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

  private updateMinVruntime(cpu: Cpu): void {
    let m = Infinity
    if (cpu.curr && !cpu.curr.fifo) m = cpu.curr.vruntime
    for (const t of cpu.rq) if (!t.fifo && t.vruntime < m) m = t.vruntime
    if (m !== Infinity && m > cpu.minVruntime) cpu.minVruntime = m
  }

  pickNext(cpu: Cpu, now: number): Task | null {
    const prev = putPrev(cpu, now)
    this.updateMinVruntime(cpu)
    let best: Task | null = null
    for (const t of cpu.rq) {
      if (t.fifo && cpu.rtThrottled) continue
      if (!best) best = t
      else if (t.fifo !== best.fifo) { if (t.fifo) best = t }
      else if (t.fifo ? t.rtPrio > best.rtPrio : t.vruntime < best.vruntime) best = t
    }
    return setNext(cpu, best, prev, now, this.contextSwitchNs)
  }

  enqueue(cpu: Cpu, t: Task, _now: number, wakeup: boolean): void {
    if (wakeup && !t.fifo) {
      // place_entity with GENTLE_FAIR_SLEEPERS: sleeper credit of half a latency period
      t.vruntime = Math.max(t.vruntime, cpu.minVruntime - this.latencyNs / 2)
    }
    cpu.rq.push(t)
  }

  dequeue(cpu: Cpu, t: Task): void {
    const i = cpu.rq.indexOf(t)
    if (i >= 0) cpu.rq.splice(i, 1)
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
    let left = Infinity
    for (const t of cpu.rq) if (!t.fifo && t.vruntime < left) left = t.vruntime
    return curr.vruntime - left > ideal
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
    let n = cpu.curr && !cpu.curr.fifo ? 1 : 0
    for (const t of cpu.rq) if (!t.fifo) n++
    return n
  }

  load(cpu: Cpu): number {
    return this.nrCfs(cpu) * NICE_0_LOAD
  }
}

