// CPU capacity left for CFS (MODEL.md §5): rt_avg sums RT task time (and, with IRQ or paravirt
// time accounting, irq/softirq time and steal), halving every sched_avg_period; scale_rt_capacity.
import type { Cpu } from './types.ts'

/** rt_avg halves every sched_avg_period = 500 ms (MODEL.md §5) */
export const RT_AVG_HALF_LIFE_NS = 500_000_000

export function addRtAvg(cpu: Cpu, now: number, el: number): void {
  cpu.rtAvg = cpu.rtAvg * Math.pow(0.5, (now - cpu.rtAvgAt) / RT_AVG_HALF_LIFE_NS) + el
  cpu.rtAvgAt = now
}

/** fraction of capacity left for CFS (scale_rt_capacity) */
export function capacityOf(cpu: Cpu, now: number): number {
  const avg = cpu.rtAvg * Math.pow(0.5, (now - cpu.rtAvgAt) / RT_AVG_HALF_LIFE_NS)
  return Math.max(0.01, 1 - avg / (RT_AVG_HALF_LIFE_NS / Math.LN2))
}
