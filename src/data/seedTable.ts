// The published measurements the Experiment view compares against. Copied from
// ../shared/calibration/seed-table.csv: guest kpps measured by the authors of the 2016
// "genirq: threadable IRQ support" series (netperf UDP_STREAM over 10GbE into a 2-vCPU guest;
// softirq = unmodified v4.7-era kernel, threaded = the series applied with the NIC's rx IRQs
// threaded, SCHED_NORMAL, no affinity pinning). Shipped with the app for comparison only:
// the engine (src/engine) never imports this file, so the simulated numbers cannot be fitted to it
// at run time. src/data/seedTable.test.ts checks that this copy matches the CSV.
import type { RxMode } from '../engine/scenario.ts'

export interface PublishedRow {
  payloadBytes: number
  flows: number
  /** unmodified kernel, kpps */
  softirqKpps: number
  /** threaded rx IRQs, kpps */
  threadedIrqKpps: number
}

export const SEED_TABLE_SOURCE = '2016 "genirq: threadable IRQ support" series (../shared/calibration/seed-table.csv)'

export const SEED_TABLE: readonly PublishedRow[] = [
  { payloadBytes: 64, flows: 1, softirqKpps: 829, threadedIrqKpps: 840 },
  { payloadBytes: 64, flows: 25, softirqKpps: 711, threadedIrqKpps: 932 },
  { payloadBytes: 64, flows: 50, softirqKpps: 780, threadedIrqKpps: 894 },
  { payloadBytes: 64, flows: 100, softirqKpps: 754, threadedIrqKpps: 946 },
  { payloadBytes: 64, flows: 200, softirqKpps: 714, threadedIrqKpps: 945 },
  { payloadBytes: 1400, flows: 1, softirqKpps: 720, threadedIrqKpps: 727 },
  { payloadBytes: 1400, flows: 25, softirqKpps: 826, threadedIrqKpps: 826 },
  { payloadBytes: 1400, flows: 50, softirqKpps: 827, threadedIrqKpps: 833 },
  { payloadBytes: 1400, flows: 100, softirqKpps: 820, threadedIrqKpps: 820 },
  { payloadBytes: 1400, flows: 200, softirqKpps: 796, threadedIrqKpps: 799 },
]

/** Modes the publication measured. */
export const PUBLISHED_MODES: readonly RxMode[] = ['softirq', 'threaded-irq']

/** The published kpps for a cell, or undefined when the publication has no such cell. */
export function publishedKpps(payloadBytes: number, flows: number, mode: RxMode): number | undefined {
  const row = SEED_TABLE.find((r) => r.payloadBytes === payloadBytes && r.flows === flows)
  if (!row) return undefined
  if (mode === 'softirq') return row.softirqKpps
  if (mode === 'threaded-irq') return row.threadedIrqKpps
  return undefined
}
