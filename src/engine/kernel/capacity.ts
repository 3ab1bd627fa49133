// CPU capacity left for CFS (MODEL.md §5), as 4.7 computes it: rt_avg sums RT task time (and,
// with IRQ or paravirt time accounting, irq/softirq time and steal) and is halved once per
// elapsed sched_avg_period at each update (sched_avg_update); scale_rt_capacity divides it by the
// period plus the time since the last halving. Only +, / and comparisons: bit-identical everywhere.
import type { Cpu } from './types.ts'

/** sched_avg_period = sysctl_sched_time_avg / 2 = 500 ms (MODEL.md §5) */
export const SCHED_AVG_PERIOD_NS = 500_000_000

/** sched_rt_avg_update: add non-CFS time, then sched_avg_update */
export function addRtAvg(cpu: Cpu, now: number, el: number): void {
  cpu.rtAvg += el
  while (now - cpu.rtAvgAt > SCHED_AVG_PERIOD_NS) {
    cpu.rtAvgAt += SCHED_AVG_PERIOD_NS
    cpu.rtAvg /= 2
  }
}

/** fraction of capacity left for CFS (scale_rt_capacity; rtAvgAt is the age stamp) */
export function capacityOf(cpu: Cpu, now: number): number {
  const total = SCHED_AVG_PERIOD_NS + Math.max(0, now - cpu.rtAvgAt)
  return Math.max(1 / 1024, 1 - cpu.rtAvg / total)
}
