// select_task_rq for a woken task (4.7): RT tasks stay unless a higher RT task runs there;
// CFS tasks go through wake_affine (pull towards the waker's CPU if its load allows, sync
// wakeups discount the waker) and select_idle_sibling within the last-level cache, whose idle
// test cannot see softirq time (MODEL.md §5, V8).
import { IMBALANCE_PCT_MC, NICE_0_LOAD } from '../constants.ts'
import { capacityOf } from '../kernel/capacity.ts'
import type { Kernel, PlacementOps } from '../kernel/ctx.ts'
import type { Cpu, Task } from '../kernel/types.ts'

export class Placement implements PlacementOps {
  constructor(private readonly k: Kernel) {}

  isIdle(cpu: Cpu): boolean {
    return cpu.curr === null && cpu.rq.length === 0
  }

  private allowed(t: Task, c: number): boolean {
    return t.allowed === null || t.allowed[c] === 1
  }

  private firstAllowed(t: Task): number {
    for (let c = 0; c < this.k.cpus.length; c++) if (this.allowed(t, c)) return c
    return 0
  }

  selectCpu(t: Task, wakerCpu: number, sync: boolean, now: number): number {
    const prev = this.allowed(t, t.cpu) ? t.cpu : this.firstAllowed(t)
    if (t.fifo) return this.selectRt(t, prev)
    let target = prev
    if (wakerCpu >= 0 && wakerCpu !== prev && this.allowed(t, wakerCpu) && this.wakeAffine(wakerCpu, prev, sync, now)) target = wakerCpu
    return this.selectIdleSibling(t, prev, target)
  }

  /** select_task_rq_rt: stay unless a higher-or-equal RT task runs there; else a CPU not running RT */
  private selectRt(t: Task, prev: number): number {
    const cpus = this.k.cpus
    const ok = (c: number) => this.allowed(t, c) && !(cpus[c]!.curr?.fifo && cpus[c]!.curr!.rtPrio >= t.rtPrio)
    if (ok(prev)) return prev
    for (let i = 1; i < cpus.length; i++) if (ok((prev + i) % cpus.length)) return (prev + i) % cpus.length
    return prev
  }

  /** 4.7 wake_affine: affine if the waker's CPU (minus a sync waker) is no busier than prev's */
  private wakeAffine(thisCpu: number, prevCpu: number, sync: boolean, now: number): boolean {
    const k = this.k
    const tc = k.cpus[thisCpu]!
    const pc = k.cpus[prevCpu]!
    let thisLoad = k.sched.load(tc)
    const load = k.sched.load(pc)
    if (sync && tc.curr && !tc.curr.fifo) thisLoad -= NICE_0_LOAD
    // capacities are cut by RT/IRQ time: an idle-looking CPU busy with softirqs is less attractive
    const imb = 100 + (IMBALANCE_PCT_MC - 100) / 2
    let thisEff = 100 * capacityOf(pc, now)
    let prevEff = imb * capacityOf(tc, now)
    if (thisLoad > 0) {
      thisEff *= thisLoad + NICE_0_LOAD
      prevEff *= load
    }
    return thisEff <= prevEff
  }

  /** 4.7 select_idle_sibling: target if idle, prev if idle and cache-affine, else a fully idle group of the LLC */
  private selectIdleSibling(t: Task, prev: number, target: number): number {
    const k = this.k
    const topo = k.topology
    if (this.isIdle(k.cpus[target]!)) return target
    if (prev !== target && topo.shareCache(prev, target) && this.isIdle(k.cpus[prev]!)) return prev
    const doms = topo.domains(target)
    // for_each_lower_domain from the LLC: the largest cache domain first, then lower ones
    for (let di = doms.length - 1; di >= 0; di--) {
      const d = doms[di]!
      if (d.level === 'NUMA') continue
      const groups = d.groups
      // sd->groups starts at the group of the domain's CPU; iterate around from there
      let start = 0
      while (start < groups.length && !groups[start]!.includes(target)) start++
      if (start === groups.length) start = 0
      for (let i = 0; i < groups.length; i++) {
        const g = groups[(start + i) % groups.length]!
        // the first allowed CPU of a group whose CPUs are all idle (and none is the busy target)
        let first = -1
        let idle = true
        for (const c of g) {
          if (first < 0 && this.allowed(t, c)) first = c
          if (c === target || !this.isIdle(k.cpus[c]!)) idle = false
        }
        if (first >= 0 && idle) return first
      }
    }
    return this.allowed(t, target) ? target : prev
  }
}
