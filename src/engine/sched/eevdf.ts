// EEVDF (v6.6+, MODERN-KERNELS.md §6, MODEL.md §5): the fair class picks, among eligible tasks
// (vruntime ≤ the queue's average vruntime V, i.e. lag ≥ 0), the one with the earliest virtual
// deadline (vruntime + base slice). PLACE_LAG keeps a task's lag across sleep (no half-latency
// sleeper bonus); RUN_TO_PARITY protects the running task's slice from wakeup preemption; slice
// completion (vruntime past the deadline) drives tick preemption. FIFO runs above it, as in CFS.
import { EEVDF_BASE_SLICE_NS, NICE_0_LOAD, cfsScale } from '../constants.ts'
import type { SchedClassOps } from '../kernel/ctx.ts'
import type { Cpu, Task } from '../kernel/types.ts'
import { putPrev, setNext } from './runqueue.ts'

export class Eevdf implements SchedClassOps {
  readonly sliceNs: number

  constructor(ncpus: number, private readonly contextSwitchNs: number) {
    this.sliceNs = EEVDF_BASE_SLICE_NS * cfsScale(ncpus)
  }

  /** avg_vruntime: the (equal-weight) mean vruntime of the queue's fair tasks, running one included */
  private avg(cpu: Cpu): number {
    let sum = 0
    let n = 0
    if (cpu.curr && !cpu.curr.fifo) { sum += cpu.curr.vruntime; n++ }
    for (const t of cpu.rq) if (!t.fifo) { sum += t.vruntime; n++ }
    return n ? sum / n : cpu.minVruntime
  }

  private pickFair(cpu: Cpu, candidates: Task[]): Task | null {
    const v = this.avg(cpu)
    let best: Task | null = null
    let fallback: Task | null = null
    for (const t of candidates) {
      if (t.fifo) continue
      if (!fallback || t.vruntime < fallback.vruntime) fallback = t
      if (t.vruntime > v + 1e-6) continue
      if (!best || t.deadline < best.deadline) best = t
    }
    return best ?? fallback
  }

  pickNext(cpu: Cpu, now: number): Task | null {
    const prev = putPrev(cpu, now)
    cpu.curr = null
    let best: Task | null = null
    for (const t of cpu.rq) if (t.fifo && !cpu.rtThrottled && (!best || t.rtPrio > best.rtPrio)) best = t
    if (!best) best = this.pickFair(cpu, cpu.rq)
    if (!setNext(cpu, best, prev, now, this.contextSwitchNs) || !best) return null
    // RUN_TO_PARITY: this slice (up to the current deadline) is protected from wakeup preemption
    best.vlag = best.deadline
    if (!best.fifo && best.vruntime > cpu.minVruntime) cpu.minVruntime = best.vruntime
    return best
  }

  enqueue(cpu: Cpu, t: Task, _now: number, wakeup: boolean): void {
    if (!t.fifo && wakeup) {
      // place_entity with PLACE_LAG: back at the lag it left with
      t.vruntime = this.avg(cpu) - t.vlag
      t.deadline = t.vruntime + this.sliceNs
    } else if (!t.fifo && t.deadline < t.vruntime) t.deadline = t.vruntime + this.sliceNs
    cpu.rq.push(t)
  }

  dequeue(cpu: Cpu, t: Task): void {
    const i = cpu.rq.indexOf(t)
    if (i >= 0) cpu.rq.splice(i, 1)
  }

  /** a task goes to sleep: remember its lag, clamped (update_entity_lag) */
  sleep(cpu: Cpu, t: Task): void {
    if (t.fifo) return
    const limit = Math.max(2 * this.sliceNs, 1_000_000)
    t.vlag = Math.max(-limit, Math.min(limit, this.avg(cpu) - t.vruntime))
  }

  wakeupPreempt(cpu: Cpu, t: Task, _now: number): boolean {
    const curr = cpu.curr
    if (!curr) return true
    if (t.fifo) return !cpu.rtThrottled && (!curr.fifo || t.rtPrio > curr.rtPrio)
    if (curr.fifo) return false
    // RUN_TO_PARITY: the running task keeps its slice
    if (curr.vlag === curr.deadline) return false
    return this.pickFair(cpu, [curr, t]) === t && t.vruntime <= this.avg(cpu)
  }

  tick(cpu: Cpu): boolean {
    const curr = cpu.curr
    if (!curr) return false
    if (curr.fifo) return cpu.rtThrottled && cpu.rq.some((t) => !t.fifo)
    if (cpu.rq.some((t) => t.fifo && !cpu.rtThrottled)) return true
    // update_deadline: a used-up slice gets a new deadline and a reschedule
    if (curr.vruntime < curr.deadline) return false
    curr.deadline = curr.vruntime + this.sliceNs
    return cpu.rq.some((t) => !t.fifo)
  }

  charge(cpu: Cpu, t: Task, el: number): void {
    if (t.fifo) return
    t.vruntime += el
    if (t.vruntime > cpu.minVruntime && cpu.rq.every((x) => x.fifo || x.vruntime >= t.vruntime)) cpu.minVruntime = t.vruntime
  }

  migrate(t: Task, from: Cpu, to: Cpu): void {
    if (t.fifo) return
    const d = t.deadline - t.vruntime
    t.vruntime = t.vruntime - this.avg(from) + this.avg(to)
    t.deadline = t.vruntime + d
  }

  load(cpu: Cpu): number {
    let n = cpu.curr && !cpu.curr.fifo ? 1 : 0
    for (const t of cpu.rq) if (!t.fifo) n++
    return n * NICE_0_LOAD
  }
}
