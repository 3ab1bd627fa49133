// __do_softirq → net_rx_action (MODEL.md §1-2): where softirqs run (irq_exit, local_bh_enable,
// ksoftirqd), the budgets and restarts of one burst, and the kernel era's deferral policy.
import { MAX_SOFTIRQ_RESTART, NAPI_POLL_WEIGHT, NET_RX_TIME_LIMIT_JIFFIES, NS_PER_US } from '../constants.ts'
import { EndReason, SliceKind } from '../types.ts'
import type { Kernel, SoftirqOps } from './ctx.ts'
import { SLEEPING, type Chunk, type Cpu, type Napi, type PollAfter, type SoftirqBurst, type Task } from './types.ts'

export class Softirq implements SoftirqOps {
  constructor(private readonly k: Kernel) {}

  /** 4.9–6.4 ("let ksoftirqd do its job"): nothing runs inline while ksoftirqd is runnable */
  private deferred(cpu: Cpu): boolean {
    return this.k.params.era === 'v4.9-v6.4' && cpu.ksoftirqd.state !== SLEEPING
  }

  irqExit(cpu: Cpu, now: number): void {
    if (!cpu.netRx || cpu.soft || cpu.task?.bh || this.deferred(cpu)) return
    cpu.soft = new SoftirqRun(this.k, cpu, false, SliceKind.softirq, cpu.ksoftirqd.actor, now)
  }

  bhEnable(cpu: Cpu, now: number): void {
    if (!cpu.netRx || cpu.soft || this.deferred(cpu)) return
    cpu.soft = new SoftirqRun(this.k, cpu, false, SliceKind.softirq, cpu.ksoftirqd.actor, now)
  }

  wakeKsoftirqd(cpu: Cpu, now: number): void {
    this.k.wake(cpu.ksoftirqd, now, cpu.id, cpu.ksoftirqd.actor)
  }

  /** run_ksoftirqd: one __do_softirq per loop, cond_resched() between them */
  ksoftirqdProgram(t: Task, cpu: Cpu, now: number): Chunk | null {
    const st = t as Task & { run?: SoftirqRun | null }
    for (let i = 0; i < 3; i++) {
      if (!st.run) {
        if (!cpu.netRx) return null
        st.run = new SoftirqRun(this.k, cpu, true, SliceKind.ksoftirqd, t.actor, now)
        t.atomic = true
      }
      const c = st.run.next(now)
      if (c) return c
      this.k.slices.setLastReason(cpu.id, st.run.endReason, now, t.actor)
      st.run = null
      t.atomic = false
      if (cpu.needResched && cpu.netRx) return this.k.exec.yieldChunk(t)
    }
    return cpu.netRx ? this.k.exec.yieldChunk(t) : null
  }
}

/** net_rx_action's time limit: 2 jiffies in 4.7, usecs_to_jiffies(netdev_budget_usecs) from 4.12 */
function netRxTimeLimitJiffies(k: Kernel): number {
  if (k.params.era === 'v4.7') return NET_RX_TIME_LIMIT_JIFFIES
  return Math.max(1, Math.ceil((k.params.netdevBudgetUsecs * NS_PER_US) / k.tickNs))
}

/** One __do_softirq invocation: net_rx_action rounds until the list empties or a limit hits. */
export class SoftirqRun implements SoftirqBurst, PollAfter {
  private readonly endJiffy: number
  private restarts = MAX_SOFTIRQ_RESTART
  private list: Napi[] | null = null
  private repoll: Napi[] = []
  private budget = 0
  private timeLimitJiffy = 0
  private finished = false
  endReason: EndReason = EndReason.done

  constructor(
    private readonly k: Kernel,
    private readonly cpu: Cpu,
    private readonly inKsoftirqd: boolean,
    private readonly kind: SliceKind,
    private readonly actor: number,
    now: number,
  ) {
    this.endJiffy = k.jiffies(now) + k.maxSoftirqJiffies
  }

  next(now: number): Chunk | null {
    const cpu = this.cpu
    for (;;) {
      if (this.finished) return null
      if (!this.list) {
        if (!cpu.netRx) {
          this.finished = true
          return null
        }
        // net_rx_action: splice the poll list, fresh budget and time limit
        cpu.netRx = false
        this.list = cpu.pollList
        cpu.pollList = []
        this.repoll = []
        this.budget = this.k.params.netdevBudget
        this.timeLimitJiffy = this.k.jiffies(now) + netRxTimeLimitJiffies(this.k)
      }
      const n = this.list.shift()
      if (!n) {
        this.endRound()
        if (!this.restartAllowed(now)) this.finished = true
        continue
      }
      if (n.owner !== 'softirq') {
        // the mode notifier moved this instance to its thread while it was queued here
        n.onList = false
        this.k.napi.handToThread(n, now, cpu.id)
        continue
      }
      return this.k.napi.pollChunk(n, cpu, NAPI_POLL_WEIGHT, this.kind, this.actor, this)
    }
  }

  afterPoll(n: Napi, work: number, now: number): void {
    this.budget -= work
    // a completed instance left the list in napi_complete_done (and may be back on it already)
    if (work >= NAPI_POLL_WEIGHT && n.scheduled) {
      if (n.owner === 'softirq') this.repoll.push(n)
      else {
        n.onList = false
        this.k.napi.handToThread(n, now, this.cpu.id)
      }
    }
    if (this.list && (this.budget <= 0 || this.k.jiffies(now) >= this.timeLimitJiffy)) {
      // softnet_stat time_squeeze; the check runs after each poll
      this.cpu.timeSqueeze++
      this.endReason = this.budget <= 0 ? EndReason.budget : EndReason.timeLimit
      this.endRound()
      if (!this.restartAllowed(now)) this.finished = true
    }
  }

  private endRound(): void {
    const cpu = this.cpu
    // remaining + newly scheduled + repoll go back on the poll list, NET_RX raised again (appended
    // in place: a round ends at every poll of a busy CPU, so no new array unless two lists join)
    const rest = this.list
    let out = cpu.pollList
    if (rest && rest.length) {
      for (const n of out) rest.push(n)
      out = rest
    }
    for (const n of this.repoll) out.push(n)
    this.repoll.length = 0
    cpu.pollList = out
    if (cpu.pollList.length) cpu.netRx = true
    this.list = null
  }

  /** __do_softirq: restart while pending, before the time limit, !need_resched, --max_restart */
  private restartAllowed(now: number): boolean {
    const cpu = this.cpu
    if (!cpu.netRx) {
      this.endReason = EndReason.done
      return false
    }
    const inTime = this.k.jiffies(now) < this.endJiffy
    if (inTime && !cpu.needResched && --this.restarts > 0) return true
    this.endReason = !inTime ? EndReason.timeLimit : cpu.needResched ? EndReason.needResched : EndReason.restarts
    if (!this.inKsoftirqd) this.k.softirq.wakeKsoftirqd(cpu, now)
    return false
  }
}
