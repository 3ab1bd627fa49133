// CPU levels: hard IRQ ▸ softirq ▸ current task. Work runs in chunks; only the top level's chunk
// progresses, a higher level arriving pauses it. Kernel decisions happen at chunk boundaries,
// which are the kernel's own preemption points (end of a poll, cond_resched, end of __do_softirq).
// Host CPUs get a chunk-end event; a guest CPU runs only while its vCPU thread is in guest mode
// on a host CPU, so its time comes from the host (`account` is called by the host's mirror chunk).
import { EndReason, SliceKind } from '../types.ts'
import type { ExecOps, Kernel } from './ctx.ts'
import { addRtAvg } from './capacity.ts'
import { ACCT_OF_KIND, IDLE, SLEEPING, RUNNABLE, type Chunk, type Cpu, type IrqLine, type Task } from './types.ts'

const noop = (): void => {}

export class CpuExec implements ExecOps {
  currentCpu = -1
  currentActor = -1
  private readonly evCpu: number
  /** per CPU: the line of the hard IRQ running there, and that chunk's end (made once per CPU) */
  private readonly hardLine: Array<IrqLine | undefined> = []
  private readonly hardDone: Array<((now: number) => void) | undefined> = []

  constructor(private readonly k: Kernel) {
    this.evCpu = k.loop.on((cpu, version, now) => {
      const c = k.cpus[cpu]!
      if (version !== c.version) return
      this.settle(c, now)
      this.completeTop(c, now)
    })
  }

  topChunk(cpu: Cpu): Chunk | null {
    return cpu.hard ?? cpu.softChunk ?? cpu.task
  }

  settle(cpu: Cpu, now: number): void {
    if (cpu.vcpu) {
      cpu.vcpu.sync(now)
      return
    }
    const el = now - cpu.topStart
    cpu.topStart = now
    if (el > 0) this.account(cpu, now, el)
  }

  account(cpu: Cpu, now: number, el: number): void {
    const k = this.k
    const top = this.topChunk(cpu)
    if (!top) {
      cpu.acct[IDLE]! += el
      return
    }
    top.remaining -= el
    cpu.acct[ACCT_OF_KIND[top.kind]!]! += el
    k.slices.add(cpu.id, now - el, now, top.kind, top.actor, 0, EndReason.none)
    const curr = cpu.curr
    const isTask = top === cpu.task
    if (curr && (isTask || !k.params.irqTimeAccounting)) {
      // without IRQ time accounting, irq time is charged to the interrupted task
      curr.sumExec += el
      k.sched.charge(cpu, curr, el)
    }
    if (curr && isTask) {
      curr.cpuTimeNs += el
      curr.lastRanNs = now
      if (curr.fifo) cpu.rtUsedNs += el
    }
    const nonCfs = (isTask && curr?.fifo) || (!isTask && k.params.irqTimeAccounting)
    if (nonCfs) addRtAvg(cpu, now, el)
    // a host chunk in guest mode: the guest CPU ran for the same time
    if (isTask && top.mirror && top.gen === top.mirror.gen) top.mirror.vcpu!.advance(now, el)
  }

  /** decide what runs on the CPU now and schedule the end of its chunk */
  dispatch(cpu: Cpu, now: number): void {
    const k = this.k
    const wasBusy = cpu.busy
    const before = this.topChunk(cpu)
    cpu.busy = true
    for (let guard = 0; ; guard++) {
      if (guard > 10_000) throw new Error(`internal: dispatch loop on ${k.params.role} CPU ${cpu.id} at ${now} ns`)
      if (!cpu.hard && cpu.irqQueue.length) this.startHardirq(cpu)
      if (cpu.hard) break
      if (cpu.soft && !cpu.softChunk) {
        const c = cpu.soft.next(now)
        if (c) cpu.softChunk = c
        else {
          k.slices.setLastReason(cpu.id, cpu.soft.endReason, now)
          cpu.soft = null
          continue
        }
      }
      if (cpu.softChunk) break
      const tc = cpu.task
      if (tc) {
        // guest mode ends at any exit: a stale mirror (the guest's top changed) or a pending
        // reschedule (vcpu_run checks need_resched before re-entering) drops it
        if (tc.mirror && (tc.gen !== tc.mirror.gen || cpu.needResched)) cpu.task = null
        else break
      }
      // task level, at a preemption point
      const curr = cpu.curr
      if (curr && curr.migrateTo >= 0 && !curr.atomic) {
        const to = curr.migrateTo
        curr.migrateTo = -1
        curr.state = RUNNABLE
        curr.runnableSince = now
        cpu.curr = null
        k.moveTask(curr, to, now)
        continue
      }
      if (!curr || (cpu.needResched && !curr.atomic) || (cpu.rtThrottled && curr.fifo)) {
        // a task preempted where it would go to sleep anyway (set_current_state(TASK_INTERRUPTIBLE),
        // then schedule()) leaves the run queue instead of waiting in it
        if (curr && curr.hasWork && !curr.hasWork()) this.sleep(cpu, curr, now)
        cpu.needResched = false
        const prev = cpu.curr
        const next = k.sched.pickNext(cpu, now)
        if (!next) {
          cpu.curr = null
          if (prev) cpu.idleStamp = now
          k.balance.newidle(cpu, now)
        }
      }
      const t = cpu.curr
      if (!t) break
      const c = t.program(now)
      if (c) {
        c.remaining += t.debt
        t.debt = 0
        cpu.task = c
        break
      }
      // the task sleeps (dequeue: min_vruntime still counts it up to now)
      this.sleep(cpu, t, now)
    }
    cpu.busy = wasBusy
    const top = this.topChunk(cpu)
    if (cpu.vcpu) {
      if (top !== before) {
        cpu.gen++
        cpu.vcpu.topChanged(now)
      }
      return
    }
    cpu.version++
    if (top) k.loop.at(now + Math.max(0, top.remaining), this.evCpu, cpu.id, cpu.version)
  }

  /** the current task blocks: off the CPU, its last slice ends in "sleep" */
  private sleep(cpu: Cpu, t: Task, now: number): void {
    this.k.sched.sleep?.(cpu, t)
    t.state = SLEEPING
    t.atomic = false
    cpu.curr = null
    this.k.slices.setLastReason(cpu.id, EndReason.sleep, now, t.actor)
  }

  private startHardirq(cpu: Cpu): void {
    const line = cpu.irqQueue.shift()!
    // one hard IRQ at a time per CPU: its line is kept per CPU, so the chunk needs no closure of its own
    this.hardLine[cpu.id] = line
    cpu.hard = {
      remaining: line.costNs + this.exitCost(cpu), kind: SliceKind.hardirq, actor: line.actor, packets: 0, bh: false, abortable: false,
      reason: EndReason.done, mirror: null, gen: 0,
      done: this.hardDone[cpu.id] ??= (now: number) => {
        this.hardLine[cpu.id]!.handle(cpu, now)
        if (cpu.irqQueue.length === 0) this.k.softirq.irqExit(cpu, now)
      },
    }
  }

  /** a host interrupt on a CPU that runs a vCPU in guest mode forces a VM exit first (MODEL.md §11) */
  private exitCost(cpu: Cpu): number {
    const t = cpu.task
    return t && t.mirror && !cpu.softChunk ? this.k.costs.vmExitNs : 0
  }

  completeTop(cpu: Cpu, now: number): void {
    cpu.busy = true
    let c: Chunk | null
    if (cpu.hard) { c = cpu.hard; cpu.hard = null }
    else if (cpu.softChunk) { c = cpu.softChunk; cpu.softChunk = null }
    else { c = cpu.task; cpu.task = null }
    if (c) {
      this.k.slices.add(cpu.id, now, now, c.kind, c.actor, c.packets, c.reason)
      const pc = this.currentCpu
      const pa = this.currentActor
      this.currentCpu = cpu.id
      this.currentActor = c.actor
      c.done(now)
      this.currentCpu = pc
      this.currentActor = pa
    }
    cpu.busy = false
    this.dispatch(cpu, now)
  }

  poke(cpu: Cpu, now: number): void {
    if (cpu.busy) return
    this.settle(cpu, now)
    this.dispatch(cpu, now)
  }

  abortTaskChunk(cpu: Cpu, now: number): void {
    const c = cpu.task
    if (!c || !c.abortable) return
    if (cpu.hard || cpu.softChunk || cpu.busy) {
      // something runs on top: end the poll as soon as the task level runs again
      c.remaining = 0
      return
    }
    this.settle(cpu, now)
    cpu.task = null
    this.k.slices.add(cpu.id, now, now, c.kind, c.actor, 0, EndReason.done)
    c.done(now)
    this.dispatch(cpu, now)
  }

  raiseIrq(cpu: Cpu, line: IrqLine, now: number): void {
    cpu.irqQueue.push(line)
    if (cpu.hard) return
    if (cpu.busy) return
    const top = this.topChunk(cpu)
    this.settle(cpu, now)
    if (top) this.k.slices.setLastReason(cpu.id, EndReason.preempted, now, top.actor)
    this.dispatch(cpu, now)
  }

  yieldChunk(t: Task): Chunk {
    return { remaining: 0, kind: t.kind, actor: t.actor, packets: 0, bh: false, abortable: false, reason: EndReason.needResched, done: noop, mirror: null, gen: 0 }
  }
}
