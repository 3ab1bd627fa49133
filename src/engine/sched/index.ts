// The scheduler a kernel instance uses, by era: CFS-2016 or EEVDF (v6.6+) over FIFO, with the 4.7
// placement and balancing rules for both (the parts that changed little for this workload).
import type { SchedulerParts } from '../kernel/kernel.ts'
import { Balancer } from './balance.ts'
import { Cfs2016 } from './cfs2016.ts'
import { Eevdf } from './eevdf.ts'
import { Placement } from './placement.ts'

export function cfs2016Parts(): SchedulerParts {
  return {
    sched: (k) => new Cfs2016(k.topology.spec.cpus, k.costs.contextSwitchNs),
    placement: (k) => new Placement(k),
    balance: (k) => new Balancer(k),
  }
}

export function eevdfParts(): SchedulerParts {
  return {
    sched: (k) => new Eevdf(k.topology.spec.cpus, k.costs.contextSwitchNs),
    placement: (k) => new Placement(k),
    balance: (k) => new Balancer(k),
  }
}

/** v6.6 replaced CFS's pick and preemption rules with EEVDF */
export const schedulerParts = (era: string): SchedulerParts => (era === 'v6.6+' ? eevdfParts() : cfs2016Parts())
