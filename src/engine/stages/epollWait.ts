// epoll_wait as an application thread calls it (6.13 fs/eventpoll.c ep_poll): events ready →
// return them, at most maxevents (with prefer_busy_poll, napi_suspend_irqs pushes the NAPI timer
// out); none → the busy loop (ep_busy_loop) on the NAPI of the socket readied last, for
// busy_poll_usecs; still none → napi_resume_irqs, then sleep until a datagram arrives — or, called
// with timeout 0, return at once (no busy loop since 5.11) and be called again.
import { BUSY_SPIN_NS } from '../constants.ts'
import type { BusyPoll } from '../kernel/busyPoll.ts'
import type { Kernel } from '../kernel/ctx.ts'
import { SpinWake } from '../kernel/spinWake.ts'
import type { Chunk, Task } from '../kernel/types.ts'
import { EndReason, SliceKind } from '../types.ts'

/** The epoll context's parameters (EPIOCSPARAMS; writable mid-run). */
export interface EpollParams {
  /** busy_poll_usecs, ns (0: one iteration when busy polling is on through prefer) */
  busyPollNs: number
  /** busy_poll_budget, packets per poll */
  budget: number
  /** prefer_busy_poll */
  prefer: boolean
  /** the application calls epoll_wait with timeout 0 in a loop */
  timeoutZero: boolean
  /** epoll_wait's maxevents: events handled per call */
  maxEvents: number
}

export class EpollWait {
  /** inside a call that has not returned events yet */
  private inWait = false
  /** the call gave up and the thread sleeps until a wakeup */
  private sleeping = false
  private loopStart = 0
  private iterations = 0
  /** packets the last busy poll found (-1: none yet in this call) */
  private lastWork = -1
  /** events left to handle from the last epoll_wait that returned some */
  private batchLeft = 0
  /** the chunk that stands for empty polls / calls (cut short when data comes) */
  private readonly spin: SpinWake

  /** the NAPI this epoll context busy-polls now (ep->napi_id): the last readied socket's */
  busy: BusyPoll | null = null
  private pollOf: ((queue: number) => BusyPoll) | null = null
  private readonly polls = new Map<number, BusyPoll>()

  constructor(private readonly k: Kernel, private readonly task: Task, readonly p: EpollParams) {
    this.spin = new SpinWake(k, () => k.cpus[task.cpu]!)
  }

  /** once the device exists: how to busy-poll a queue's NAPI, and the one to start with */
  attach(pollOf: (queue: number) => BusyPoll, first: number): void {
    this.pollOf = pollOf
    this.socketReady(first)
  }

  /** ep_set_busy_poll_napi_id: a socket delivered through `queue`'s NAPI became ready (not while a loop runs) */
  socketReady(queue: number): void {
    if (!this.pollOf || this.busy?.owning) return
    let b = this.polls.get(queue)
    if (!b) this.polls.set(queue, (b = this.pollOf(queue)))
    this.busy = b
  }

  /** the thread spins instead of sleeping (it stays runnable at a preemption point) */
  get active(): boolean {
    return this.p.timeoutZero || (this.inWait && !this.sleeping)
  }

  /**
   * `ready` sockets have data: finish the busy loop first, else handle one event. A call returns at
   * most maxevents; the next call finds the rest at once — each return with events suspends IRQs.
   */
  onEvents(now: number, ready: number): Chunk | null {
    if (this.busy?.owning) return this.busy.stop(now)
    if (this.inWait || this.batchLeft <= 0) {
      this.inWait = false
      this.sleeping = false
      this.batchLeft = Math.min(this.p.maxEvents, ready)
      this.busy?.suspendIrqs(now)
    }
    this.batchLeft--
    return null
  }

  /** no events: the next step of the call, or null to sleep */
  noEvents(now: number): Chunk | null {
    if (!this.inWait || this.sleeping) {
      this.batchLeft = 0
      this.inWait = true
      this.sleeping = false
      this.loopStart = now
      this.iterations = 0
      this.lastWork = -1
    }
    // ep_busy_loop_on: busy_poll_usecs or prefer_busy_poll; a loop switched off mid-run still stops cleanly.
    // A zero timeout returns before the busy loop (ep_poll: `if (timed_out) return 0`, 5.11+); 4.7
    // polled once (ep_busy_loop(ep, nonblock): a single iteration)
    const zeroPollsOnce = this.p.timeoutZero && this.k.params.era === 'v4.7'
    const on = (this.p.busyPollNs > 0 || this.p.prefer) && (!this.p.timeoutZero || zeroPollsOnce)
    const b = this.busy && (on || this.busy.owning) ? this.busy : null
    const cpu = this.k.cpus[this.task.cpu]!
    const loopEnd = this.p.timeoutZero ? now : this.loopStart + this.p.busyPollNs
    if (b) {
      const more = on && (this.iterations === 0 || now < loopEnd)
      if (more && this.iterations > 0 && cpu.needResched) {
        // need_resched: busy_poll_stop if it owns the NAPI, cond_resched, then the loop goes on
        return b.owning ? b.stop(now) : this.k.exec.yieldChunk(this.task)
      }
      if (more) {
        this.iterations++
        if (b.owning || b.tryAcquire()) {
          // an owner whose last poll found nothing polls on until a packet can be there
          if (this.lastWork === 0) return this.spinUntil(now, Math.min(loopEnd, this.nextData(now)), SliceKind.busyPoll)
          const c = b.poll(now)
          this.lastWork = c.packets
          return c
        }
        // the softirq or another poller holds it: cpu_relax until the loop ends
        if (now < loopEnd) return this.spinUntil(now, loopEnd, SliceKind.busyPoll)
      }
      if (b.owning) return b.stop(now)
    }
    if (this.p.timeoutZero) {
      // epoll_wait(…, 0) returned 0 and is called again: one chunk stands for the calls until data
      // (a datagram reaching a socket ends it early)
      this.inWait = false
      const c = this.spinUntil(now, b ? this.nextData(now) : Infinity, b ? SliceKind.busyPoll : SliceKind.app)
      // 4.7: each of those calls ends in busy_poll_stop
      if (b) {
        const done = c.done
        c.done = (t) => { done(t); b.armAfterLoop(t) }
      }
      return c
    }
    b?.resumeIrqs(now)
    this.sleeping = true
    return null
  }

  /** a datagram reached one of this thread's sockets, or the NAPI got a packet at `t` */
  dataAt(t: number, now: number): void {
    this.spin.dataAt(t, now)
  }

  private nextData(now: number): number {
    return this.busy?.napi.dev.nextDataNs?.(now) ?? Infinity
  }

  private spinUntil(now: number, until: number, kind: SliceKind): Chunk {
    // at least one empty poll / call; at most BUSY_SPIN_NS (a preemption point each)
    const len = Math.max(this.k.costs.napiPollNs, Math.min(BUSY_SPIN_NS, Math.ceil(until - now)))
    this.lastWork = -1
    return this.spin.start({
      remaining: len, kind, actor: this.task.actor, packets: 0, bh: false, abortable: true, reason: EndReason.done, mirror: null, gen: 0,
      done: () => {},
    })
  }
}
