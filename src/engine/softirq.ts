// __do_softirq → net_rx_action, as a source of poll chunks (MODEL.md §1-2): used at irq_exit, at
// local_bh_enable in tasks and inside ksoftirqd.
import { MAX_SOFTIRQ_RESTART, NAPI_POLL_WEIGHT, NET_RX_TIME_LIMIT_JIFFIES, NETDEV_BUDGET } from './constants.ts'
import type { Chunk, Cpu, Napi } from './model.ts'
import type { World } from './sim.ts'
import { EndReason, type SliceKind } from './types.ts'

export class SoftirqRun {
  private endJiffy: number
  private restarts = MAX_SOFTIRQ_RESTART
  private list: Napi[] | null = null
  private repoll: Napi[] = []
  private budget = 0
  private timeLimitJiffy = 0
  /** __do_softirq has returned */
  private finished = false
  endReason: EndReason = EndReason.done

  constructor(
    private readonly w: World,
    private readonly cpu: Cpu,
    private readonly inKsoftirqd: boolean,
    private readonly kind: SliceKind,
    private readonly actor: number,
    now: number,
  ) {
    this.endJiffy = w.jiffies(now) + w.maxSoftirqJiffies
  }

  /** next poll chunk of __do_softirq → net_rx_action, or null when __do_softirq returns */
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
        this.budget = NETDEV_BUDGET
        this.timeLimitJiffy = this.w.jiffies(now) + NET_RX_TIME_LIMIT_JIFFIES
      }
      const n = this.list.shift()
      if (!n) {
        // the round went through the whole list
        this.endRound()
        if (!this.restartAllowed(now)) this.finished = true
        continue
      }
      if (n.owner !== 'softirq') {
        // the mode notifier moved this instance to its thread while it was queued here
        n.onList = false
        this.w.handToThread(n, now, cpu.id)
        continue
      }
      return this.w.pollChunk(n, cpu, NAPI_POLL_WEIGHT, this.kind, this.actor, true, (work, t) => this.afterPoll(n, work, t))
    }
  }

  private afterPoll(n: Napi, work: number, now: number): void {
    this.budget -= work
    if (work >= NAPI_POLL_WEIGHT && n.scheduled) {
      if (n.owner === 'softirq') this.repoll.push(n)
      else {
        n.onList = false
        this.w.handToThread(n, now, this.cpu.id)
      }
    } else n.onList = false
    if (this.list && (this.budget <= 0 || this.w.jiffies(now) >= this.timeLimitJiffy)) {
      // softnet_stat time_squeeze; the check runs after each poll
      this.cpu.timeSqueeze++
      this.endReason = this.budget <= 0 ? EndReason.budget : EndReason.timeLimit
      this.endRound()
      if (!this.restartAllowed(now)) this.finished = true
    }
  }

  private endRound(): void {
    const cpu = this.cpu
    const rest = this.list ?? []
    // 4.7: remaining + newly scheduled + repoll go back on the poll list, NET_RX raised again
    cpu.pollList = rest.concat(cpu.pollList, this.repoll)
    this.repoll = []
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
    const inTime = this.w.jiffies(now) < this.endJiffy
    if (inTime && !cpu.needResched && --this.restarts > 0) return true
    this.endReason = !inTime ? EndReason.timeLimit : cpu.needResched ? EndReason.needResched : EndReason.restarts
    if (!this.inKsoftirqd) this.w.wakeKsoftirqd(cpu, now)
    return false
  }
}

