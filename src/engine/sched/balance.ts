// Load balancing (4.7): newidle balancing gated by avg_idle, periodic balancing per domain
// between groups by weighted load per capacity, cache-hot tasks (exec_start within
// sched_migration_cost) left alone unless balancing keeps failing, and active balancing of a lone
// task off a CPU whose capacity is eaten by IRQ/RT time (MODEL.md §5).
import { BUSY_FACTOR, NICE_0_LOAD, SCHED_MIGRATION_COST_NS, NS_PER_MS } from '../constants.ts'
import { capacityOf } from '../kernel/capacity.ts'
import type { BalanceOps, Kernel } from '../kernel/ctx.ts'
import type { Cpu, Task } from '../kernel/types.ts'

/** sd->cache_nice_tries for SMT/MC domains */
const CACHE_NICE_TRIES = 1

export class Balancer implements BalanceOps {
  constructor(private readonly k: Kernel) {}

  private allowed(t: Task, c: number): boolean {
    return t.allowed === null || t.allowed[c] === 1
  }

  private nrRunning(cpu: Cpu): number {
    return cpu.rq.length + (cpu.curr ? 1 : 0)
  }

  private overloaded(): boolean {
    return this.k.cpus.some((c) => this.nrRunning(c) > 1)
  }

  /** a waiting CFS task of `src` that may move to `dst` */
  private pullable(src: Cpu, dst: Cpu, now: number, ignoreHot: boolean): Task | null {
    for (const t of src.rq) {
      if (t.fifo || !this.allowed(t, dst.id)) continue
      if (!ignoreHot && now - t.lastRanNs < SCHED_MIGRATION_COST_NS) continue
      return t
    }
    return null
  }

  /** load_balance over the domains of `cpu`, smallest first: pull one task from the busiest group */
  private loadBalance(cpu: Cpu, now: number, idle: boolean): boolean {
    const k = this.k
    for (const d of k.topology.domains(cpu.id)) {
      let mine: readonly number[] | null = null
      let busiest: readonly number[] | null = null
      let busiestAvg = -1
      for (const g of d.groups) {
        if (g.includes(cpu.id)) { mine = g; continue }
        const avg = this.groupLoad(g, now)
        if (avg > busiestAvg) { busiestAvg = avg; busiest = g }
      }
      if (!busiest || !mine) continue
      const myAvg = this.groupLoad(mine, now)
      // find_busiest_group: nothing to do unless the busiest is clearly busier (imbalance_pct)
      if (busiestAvg * 100 <= myAvg * d.imbalancePct && !(idle && busiestAvg > 0 && myAvg === 0)) continue
      // find_busiest_queue: the CPU with the most load per capacity that has a task to give
      let src: Cpu | null = null
      let srcLoad = -1
      for (const c of busiest) {
        const other = k.cpus[c]!
        if (this.nrRunning(other) < 2) continue
        const l = k.sched.load(other) / capacityOf(other, now)
        if (l > srcLoad) { srcLoad = l; src = other }
      }
      if (!src) continue
      // detach_tasks: move load until the imbalance is gone (at most sysctl_sched_nr_migrate = 32)
      const ignoreHot = cpu.balanceFailed > CACHE_NICE_TRIES
      const want = Math.max(1, Math.min(32, Math.floor((k.sched.load(src) - k.sched.load(cpu)) / 2 / NICE_0_LOAD)))
      let moved = 0
      for (let i = 0; i < want; i++) {
        const t = this.pullable(src, cpu, now, ignoreHot)
        if (!t) break
        // (newidle: the CPU is inside its own dispatch, so the move only queues the task there)
        k.moveTask(t, cpu.id, now)
        moved++
      }
      if (moved) {
        cpu.balanceFailed = 0
        return true
      }
      cpu.balanceFailed++
    }
    return false
  }

  private groupLoad(g: readonly number[], now: number): number {
    let load = 0
    let cap = 0
    for (const c of g) {
      const cpu = this.k.cpus[c]!
      load += this.k.sched.load(cpu) + (cpu.curr?.fifo ? NICE_0_LOAD : 0)
      cap += capacityOf(cpu, now)
    }
    return load / Math.max(cap, 0.01)
  }

  newidle(cpu: Cpu, now: number): void {
    // idle_balance: skipped when this CPU's idle periods are short or nobody is overloaded
    if (cpu.avgIdle < SCHED_MIGRATION_COST_NS || !this.overloaded()) return
    if (this.loadBalance(cpu, now, true)) this.k.sched.pickNext(cpu, now)
  }

  periodic(cpu: Cpu, now: number): void {
    this.nohzKick(cpu, now)
    this.rebalance(cpu, now)
  }

  /**
   * nohz_kick_needed (4.7): idle CPUs take no tick, so a busy CPU kicks the idle balancer when it
   * has tasks waiting or its capacity is cut by IRQ/RT time (check_cpu_capacity); the balance
   * then runs on behalf of the idle CPUs
   */
  private nohzKick(cpu: Cpu, now: number): void {
    if (!cpu.curr) return
    const cfs = this.k.sched.load(cpu) > 0
    const reduced = capacityOf(cpu, now) * 117 < 100
    if (this.nrRunning(cpu) < 2 && !(cfs && reduced)) return
    for (const c of this.k.cpus) if (c !== cpu && c.curr === null && c.rq.length === 0) this.rebalance(c, now)
  }

  private rebalance(cpu: Cpu, now: number): void {
    if (now < cpu.nextBalance) return
    cpu.nextBalance = now + this.intervalNs(cpu)
    const idle = cpu.curr === null && cpu.rq.length === 0
    if (this.loadBalance(cpu, now, idle)) return
    if (idle) this.activeBalance(cpu, now)
  }

  /** get_sd_balance_interval: sd_weight ms, × busy_factor when busy, clamped */
  private intervalNs(cpu: Cpu): number {
    const n = this.k.cpus.length
    const busy = cpu.curr !== null
    const ms = busy ? n * BUSY_FACTOR : n
    return Math.min(ms, Math.max(1, (this.k.params.hz * n) / 10 / (this.k.params.hz / 1000))) * NS_PER_MS
  }

  /**
   * need_active_balance: a lone CFS task on a CPU whose capacity is cut by IRQ/RT time moves to
   * this idle CPU; after repeated failures, a running task stuck behind unmovable ones moves too.
   */
  private activeBalance(cpu: Cpu, now: number): void {
    const myCap = capacityOf(cpu, now)
    let stuck: Cpu | null = null
    for (const src of this.k.cpus) {
      const c = src.curr
      if (src === cpu || !c || c.fifo || !this.allowed(c, cpu.id) || c.migrateTo >= 0) continue
      const waiting = src.rq.filter((x) => !x.fifo).length
      const pct = this.k.topology.shareCache(src.id, cpu.id) ? 117 : 125
      if (waiting === 0) {
        const cap = capacityOf(src, now)
        if (cap * pct < 100 && myCap > cap * (pct / 100)) {
          this.push(src, c, cpu)
          return
        }
      } else if (!stuck) stuck = src
    }
    if (stuck && cpu.balanceFailed > CACHE_NICE_TRIES + 2) this.push(stuck, stuck.curr!, cpu)
  }

  /** the stopper (FIFO 99) takes the CPU at the task's next preemption point and moves it */
  private push(src: Cpu, t: Task, dst: Cpu): void {
    t.migrateTo = dst.id
    src.needResched = true
    dst.balanceFailed = 0
  }
}
