// The scheduler a kernel instance uses: today the 2016 one (CFS-2016 over FIFO, 4.7 placement and
// balancing). A kernel era with another scheduler (EEVDF) adds its parts here.
import type { SchedulerParts } from '../kernel/kernel.ts'
import { Balancer } from './balance.ts'
import { Cfs2016 } from './cfs2016.ts'
import { Placement } from './placement.ts'

export function cfs2016Parts(): SchedulerParts {
  return {
    sched: (k) => new Cfs2016(k.topology.spec.cpus, k.costs.contextSwitchNs),
    placement: (k) => new Placement(k),
    balance: (k) => new Balancer(k),
  }
}
