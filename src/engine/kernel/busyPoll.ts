// Application busy polling of one NAPI instance (MODERN-KERNELS.md §3-4; 6.13 net/core/dev.c
// __napi_busy_loop, busy_poll_stop, napi_suspend_irqs / napi_resume_irqs). The application's
// thread polls the device itself, in task context with bottom halves disabled; while it owns the
// instance (NAPI_STATE_IN_BUSY_POLL) napi_complete_done does nothing, so the IRQ stays masked.
import { EndReason, SliceKind } from '../types.ts'
import type { Kernel } from './ctx.ts'
import type { Chunk, Napi, Task } from './types.ts'

/** read at each use: the application may change them (EPIOCSPARAMS) */
export interface BusyPollParams {
  /** busy_poll_budget: packets per poll */
  readonly budget: number
  /** prefer_busy_poll */
  readonly prefer: boolean
}

export class BusyPoll {
  /** this thread holds NAPI_STATE_SCHED + IN_BUSY_POLL */
  owning = false

  constructor(private readonly k: Kernel, readonly napi: Napi, readonly p: BusyPollParams, private readonly task: Task) {}

  /**
   * The loop's cmpxchg: take the instance unless it is scheduled (softirq, thread, another poller);
   * then, with prefer_busy_poll, set NAPI_STATE_PREFER_BUSY_POLL so the softirq hands it over.
   */
  tryAcquire(): boolean {
    const n = this.napi
    if (n.scheduled || n.busyOwned) {
      if (this.p.prefer) n.preferBusy = true
      return false
    }
    n.scheduled = true
    n.inBusyPoll = true
    n.busyOwned = true
    this.owning = true
    // preempt_disable() for the loop: the scheduler acts only after busy_poll_stop
    this.task.atomic = true
    return true
  }

  /** one napi->poll(budget) by the owner; the packets go up the stack from this thread (napi_complete_done is a no-op while IN_BUSY_POLL) */
  poll(now: number): Chunk {
    return this.pollOnce(now, () => {})
  }

  /**
   * busy_poll_stop: IN_BUSY_POLL off; with prefer_busy_poll the NAPI timer is armed (irq-suspend-
   * timeout, else gro_flush_timeout when napi_defer_hard_irqs is set) and the instance will not be
   * scheduled; then one more poll, whose napi_complete_done re-enables, defers or suspends the IRQ.
   */
  stop(now: number): Chunk {
    const n = this.napi
    n.inBusyPoll = false
    const skipSchedule = this.armAfterLoop(now)
    return this.pollOnce(now, (work, t, budget) => {
      this.owning = false
      n.busyOwned = false
      this.task.atomic = false
      const c = this.k.cpus[this.task.cpu]!
      if (work < budget) this.k.napi.completeDone(n, c, work, t)
      else {
        // __busy_poll_stop: more work left — hand it to NET_RX, or leave it to the armed timer
        n.scheduled = false
        if (!skipSchedule) this.k.napi.schedule(n, c, t, this.task.actor)
      }
    })
  }

  /** the timer part of busy_poll_stop; true when the instance is left to the timer */
  armAfterLoop(now: number): boolean {
    if (!this.p.prefer) return false
    const n = this.napi
    let timeout = n.irqSuspendTimeoutNs
    if (!timeout) {
      n.deferCount = n.deferHardIrqs
      if (n.deferCount) timeout = n.groFlushTimeoutNs
    }
    if (!timeout) return false
    this.k.napi.armTimer(n, this.k.cpus[this.task.cpu]!, now, timeout)
    return true
  }

  /** ep_suspend_napi_irqs (prefer_busy_poll only): epoll_wait returned events — the timer is pushed out to irq-suspend-timeout */
  suspendIrqs(now: number): void {
    const n = this.napi
    if (this.p.prefer && n.irqSuspendTimeoutNs > 0) this.k.napi.armTimer(n, this.k.cpus[this.task.cpu]!, now, n.irqSuspendTimeoutNs)
  }

  /** ep_resume_napi_irqs (prefer_busy_poll only): epoll found nothing — schedule the instance here (it runs at local_bh_enable) */
  resumeIrqs(now: number): void {
    const n = this.napi
    if (!this.p.prefer || n.irqSuspendTimeoutNs <= 0) return
    const cpu = this.k.cpus[this.task.cpu]!
    this.k.napi.schedule(n, cpu, now, this.task.actor)
    this.k.softirq.bhEnable(cpu, now)
  }

  private pollOnce(now: number, after: (work: number, now: number, budget: number) => void): Chunk {
    const n = this.napi
    if (n.polling) throw new Error(`internal: NAPI ${n.name} busy-polled while another poll runs at ${now} ns`)
    n.polling = true
    // the budget of this poll (a mid-run EPIOCSPARAMS write applies from the next one)
    const budget = this.p.budget
    const work = n.dev.take(budget, now)
    return {
      remaining: Math.round(n.dev.pollCostNs(work)), kind: SliceKind.busyPoll, actor: this.task.actor, packets: work, bh: true, abortable: false,
      reason: EndReason.done, mirror: null, gen: 0,
      done: (t: number) => {
        n.polling = false
        const cpu = this.k.cpus[this.task.cpu]!
        n.dev.deliver(cpu, this.task.actor, t)
        after(work, t, budget)
        this.k.softirq.bhEnable(cpu, t)
      },
    }
  }
}
