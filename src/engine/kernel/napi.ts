// NAPI (MODEL.md §1, §3, §4): napi_schedule onto a CPU's poll list (NET_RX) or to the instance's
// thread (the seed's threaded IRQ, upstream threaded NAPI), one poll at a time, napi_complete,
// and the mode notifier that moves an instance between softirq and thread at a poll boundary.
import { BUSY_SPIN_NS, NAPI_POLL_WEIGHT } from '../constants.ts'
import { ActorKind, EndReason, SliceKind } from '../types.ts'
import type { Kernel, NapiOps } from './ctx.ts'
import { SpinWake } from './spinWake.ts'
import { SLEEPING, type Chunk, type Cpu, type Napi, type NapiDevice, type PollAfter, type Task } from './types.ts'

const noop = (): void => {}

export class NapiCore implements NapiOps, PollAfter {
  private readonly napis: Napi[] = []
  /** per instance: a threaded busy poller's spin (cut short when a packet is due earlier) */
  private readonly spins = new Map<number, SpinWake>()
  private readonly evTimer: number
  private readonly timerActor: number

  constructor(private readonly k: Kernel) {
    this.evTimer = k.loop.on((id, version, now) => this.watchdog(this.napis[id]!, version, now))
    this.timerActor = k.newActor({ name: `${k.params.role === 'guest' ? 'guest ' : ''}napi hrtimer`, kind: ActorKind.irq, ...(k.params.role === 'guest' ? { guest: true } : {}) })
  }

  create(name: string, dev: NapiDevice, threaded: boolean, makeThread: () => Task, defer: { deferHardIrqs: number; groFlushTimeoutNs: number; irqSuspendTimeoutNs?: number } = { deferHardIrqs: 0, groFlushTimeoutNs: 0 }): Napi {
    const n: Napi = {
      id: this.napis.length, name, dev, owner: threaded ? 'thread' : 'softirq', wantOwner: threaded ? 'thread' : 'softirq',
      scheduled: false, onList: false, polling: false, thread: null, makeThread,
      deferHardIrqs: defer.deferHardIrqs, groFlushTimeoutNs: defer.groFlushTimeoutNs, deferCount: 0, timerVersion: 0, timerCpu: 0, timerLine: null, deferredCompletions: 0, busyPoll: false,
      irqSuspendTimeoutNs: defer.irqSuspendTimeoutNs ?? 0, preferBusy: false, inBusyPoll: false, busyOwned: false,
      poll: { cpu: null, work: 0, weight: 0, actor: 0, after: null, kthreadBusy: false, done: noop },
    }
    n.poll.done = (now: number) => this.pollDone(n, now)
    n.timerLine = {
      actor: this.timerActor, costNs: this.k.costs.timerTickNs,
      // napi_watchdog: when it schedules the instance it also clears NAPI_STATE_PREFER_BUSY_POLL
      handle: (c, t) => {
        if (!n.scheduled) n.preferBusy = false
        this.schedule(n, c, t, this.timerActor)
      },
    }
    this.napis.push(n)
    if (threaded) this.ensureThread(n)
    return n
  }

  ensureThread(n: Napi): Task {
    if (n.thread) return n.thread
    const t = n.makeThread()
    t.program = (now) => this.threadProgram(t, n, now)
    t.hasWork = () => n.scheduled && !n.onList && !n.busyOwned
    n.thread = t
    return t
  }

  schedule(n: Napi, cpu: Cpu, now: number, wakerActor: number): void {
    if (n.scheduled) return
    n.scheduled = true
    if (n.owner === 'softirq') this.addToPollList(cpu, n)
    else this.k.wake(n.thread!, now, cpu.id, wakerActor)
  }

  /** ____napi_schedule's list_add_tail + NET_RX raise; an instance is on one list at most */
  addToPollList(cpu: Cpu, n: Napi): void {
    if (n.onList) throw new Error(`internal: NAPI ${n.name} put on a second poll list at ${this.k.now()} ns`)
    cpu.pollList.push(n)
    n.onList = true
    cpu.netRx = true
  }

  handToThread(n: Napi, now: number, fromCpu: number): void {
    const t = this.ensureThread(n)
    this.k.wake(t, now, fromCpu, t.actor)
  }

  pollChunk(n: Napi, cpu: Cpu, weight: number, kind: SliceKind, actor: number, after: PollAfter): Chunk {
    // NAPI_STATE_SCHED: one poller at a time, and only while scheduled
    if (n.polling || !n.scheduled) throw new Error(`internal: NAPI ${n.name} polled ${n.polling ? 'twice at once' : 'while not scheduled'} at ${this.k.now()} ns`)
    const work = n.dev.take(weight, this.k.now())
    n.polling = true
    // one poll at a time: its state lives on the instance, so the chunk needs no closure of its own
    const p = n.poll
    p.cpu = cpu
    p.work = work
    p.weight = weight
    p.actor = actor
    p.after = after
    // NAPIF_STATE_SCHED_THREADED_BUSY_POLL: the kthread polling in busy-poll mode keeps the instance
    p.kthreadBusy = n.busyPoll && n.owner === 'thread' && kind !== SliceKind.softirq && kind !== SliceKind.ksoftirqd
    return {
      remaining: Math.round(n.dev.pollCostNs(work)), kind, actor, packets: work, bh: true, abortable: false,
      reason: work < weight ? EndReason.done : EndReason.budget, mirror: null, gen: 0,
      done: p.done,
    }
  }

  /** the end of a poll started by pollChunk */
  private pollDone(n: Napi, now: number): void {
    const { cpu, work, weight, actor, after } = n.poll
    n.polling = false
    n.dev.deliver(cpu!, actor, now)
    if (n.poll.kthreadBusy) { /* napi_complete_done returns false: no completion, the IRQ stays off */ }
    else if (work < weight) this.completeDone(n, cpu!, work, now)
    else if (n.preferBusy && !n.inBusyPoll && this.completeCore(n, cpu!, work, now) === false) {
      // __napi_poll: more work, but busy polling is preferred — complete and leave the instance
      // to the busy poller (napi_complete_done returning true would napi_schedule it: the repoll)
      n.onList = false
      n.scheduled = false
    }
    after!.afterPoll(n, work, now)
    if (n.wantOwner !== n.owner) this.applyOwner(n, now, cpu!.id)
  }

  /** after a thread's poll: local_bh_enable on the thread's CPU */
  afterPoll(n: Napi, _work: number, now: number): void {
    this.k.softirq.bhEnable(this.k.cpus[n.thread!.cpu]!, now)
  }

  /**
   * napi_complete_done: off the poll list. With napi_defer_hard_irqs, a poll that did work reloads
   * the count; while it lasts, each completion decrements it and, with gro_flush_timeout set, keeps
   * the device interrupt masked and arms the NAPI hrtimer instead — so the interrupt comes back
   * only after that many empty polls. Otherwise the device re-enables it (or reschedules at once).
   */
  completeDone(n: Napi, cpu: Cpu, work: number, now: number): void {
    // NAPI_STATE_IN_BUSY_POLL: the busy poller keeps NAPI_STATE_SCHED; the IRQ stays off
    if (n.inBusyPoll) return
    n.onList = false
    n.scheduled = false
    if (this.completeCore(n, cpu, work, now)) n.dev.complete(cpu, now)
  }

  /**
   * napi_complete_done's decision (6.13 dev.c): with PREFER_BUSY_POLL and an irq-suspend-timeout the
   * timer is that timeout; else the defer count as above. Returns false when the IRQ stays masked
   * (the NAPI hrtimer is armed instead); clears PREFER_BUSY_POLL.
   */
  private completeCore(n: Napi, cpu: Cpu, work: number, now: number): boolean {
    if (work > 0) n.deferCount = n.deferHardIrqs
    let timeout = 0
    let ret = true
    if (n.preferBusy && n.irqSuspendTimeoutNs > 0) {
      timeout = n.irqSuspendTimeoutNs
      ret = false
    }
    if (ret && n.deferCount > 0) {
      n.deferCount--
      timeout = n.groFlushTimeoutNs
      if (timeout > 0) ret = false
    }
    n.preferBusy = false
    if (!ret) {
      n.deferredCompletions++
      this.armTimer(n, cpu, now, timeout)
    }
    return ret
  }

  armTimer(n: Napi, cpu: Cpu, now: number, timeoutNs: number): void {
    // hrtimer_start on an armed timer moves it: only the latest arming fires
    n.timerVersion++
    n.timerCpu = cpu.id
    this.k.loop.at(now + timeoutNs, this.evTimer, n.id, n.timerVersion)
  }

  /** napi_watchdog: the hrtimer interrupt (pinned to the CPU that armed it) schedules the NAPI */
  private watchdog(n: Napi, version: number, now: number): void {
    if (version !== n.timerVersion || n.scheduled) return
    this.k.exec.raiseIrq(this.k.cpus[n.timerCpu]!, n.timerLine!, now)
  }

  /** an IRQ thread / napi kthread: poll while scheduled, local_bh_enable after each poll */
  private threadProgram(t: Task, n: Napi, now: number): Chunk | null {
    const cpu = this.k.cpus[t.cpu]!
    if (n.owner !== 'thread') {
      if (n.scheduled && !n.onList && !n.polling && !n.busyOwned) {
        // switched back to softirq while scheduled: napi_schedule here, run at local_bh_enable
        this.addToPollList(cpu, n)
        this.k.softirq.bhEnable(cpu, now)
      }
      return null
    }
    // an application's busy loop holds it (NAPI_STATE_SCHED without a poll list): nothing to do here
    if (!n.scheduled || n.onList || n.busyOwned) return null
    const c = this.pollChunk(n, cpu, NAPI_POLL_WEIGHT, t.kind, t.actor, this)
    if (n.busyPoll && c.packets === 0 && n.dev.nextDataNs) {
      // a busy poller finding nothing polls again and again (cond_resched between): one chunk stands
      // for the empty polls until the next packet, at most BUSY_SPIN_NS (a preemption point each)
      c.remaining = Math.max(c.remaining, Math.min(BUSY_SPIN_NS, Math.ceil(n.dev.nextDataNs(now) - now)))
      let spin = this.spins.get(n.id)
      if (!spin) this.spins.set(n.id, (spin = new SpinWake(this.k, () => this.k.cpus[t.cpu]!)))
      return spin.start(c)
    }
    return c
  }

  /** the device will have a packet at `t` (a closed-loop client's request): a spinning kthread looks then */
  dataAt(n: Napi, t: number, now: number): void {
    this.spins.get(n.id)?.dataAt(t, now)
  }

  /** a write to the mode file: takes effect at the next poll boundary */
  setMode(n: Napi, threaded: boolean, now: number, cpuId: number): void {
    this.ensureThread(n)
    n.wantOwner = threaded ? 'thread' : 'softirq'
    this.applyOwner(n, now, cpuId)
  }

  /** the mode notifier: move a NAPI instance between softirq and thread at a safe boundary */
  private applyOwner(n: Napi, now: number, cpuId: number): void {
    if (n.polling || n.owner === n.wantOwner) return
    n.owner = n.wantOwner
    // not scheduled, or held by a busy poller: the new owner takes over at the next napi_schedule
    if (!n.scheduled || n.busyOwned) return
    if (n.owner === 'thread') {
      // take it off the poll list it waits on, if any
      if (n.onList) {
        for (const cpu of this.k.cpus) {
          const i = cpu.pollList.indexOf(n)
          if (i >= 0) {
            cpu.pollList.splice(i, 1)
            n.onList = false
            break
          }
        }
      }
      // still on a running round's local list: that round hands it over when it reaches it
      if (!n.onList) this.handToThread(n, now, cpuId)
    } else {
      const t = n.thread
      if (t && t.state === SLEEPING && !n.onList) {
        // thread not running: schedule on this CPU; raising outside irq context wakes ksoftirqd
        const cpu = this.k.cpus[cpuId]!
        this.addToPollList(cpu, n)
        this.k.softirq.wakeKsoftirqd(cpu, now)
      }
      // a runnable/running thread hands it over in threadProgram
    }
  }
}
