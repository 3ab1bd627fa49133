// Fitting the per-packet costs marked [fit] in src/engine/costs.ts against rows of the seed's
// table: coordinate search on multiplicative steps, minimising the mean squared relative error
// of both modes. Used by the calibration report and by cross-validation (fit on some rows,
// predict the others). Every evaluation runs the engine on the rows' cells; nothing else is fitted.
import { COSTS, type Costs } from '../src/engine/index.ts'
import { seedCellScenario } from '../src/engine/presets.ts'
import { runPool } from '../src/cli/sweep.ts'
import type { PublishedRow } from './calibration.ts'

/** The costs a fit may change (per-packet work on each stage of the seed's path). */
export const FIT_KEYS = ['hostRxPerPktNs', 'vhostPerPktNs', 'guestRxPerPktNs', 'appPerPktNs'] as const

export type Predict = (payload: number, flows: number, mode: 'softirq' | 'threaded-irq') => number

export async function simulateRows(rows: PublishedRow[], costs: Costs, durationMs = 1000): Promise<Predict> {
  const cells = rows.flatMap((r) => (['softirq', 'threaded-irq'] as const).map((mode) => ({ payloadBytes: r.payloadBytes, flows: r.flows, mode })))
  const res = await runPool(cells.map((c) => seedCellScenario(c, durationMs)), undefined, undefined, costs)
  const m = new Map(cells.map((c, i) => [`${c.payloadBytes}/${c.flows}/${c.mode}`, res[i]!.deliveredKpps]))
  return (p, f, mode) => m.get(`${p}/${f}/${mode}`) ?? NaN
}

export function loss(rows: PublishedRow[], sim: Predict): number {
  let e = 0
  for (const r of rows) {
    e += ((sim(r.payloadBytes, r.flows, 'softirq') - r.softirq) / r.softirq) ** 2
    e += ((sim(r.payloadBytes, r.flows, 'threaded-irq') - r.threaded) / r.threaded) ** 2
  }
  return e / (2 * rows.length)
}

export interface FitResult {
  costs: Costs
  loss: number
  evaluations: number
}

/** Coordinate search: each key tries ×(1 ± step); steps halve when no key improves. */
export async function fitCosts(rows: PublishedRow[], start: Costs = COSTS, opts: { steps?: number[]; durationMs?: number; log?: (s: string) => void } = {}): Promise<FitResult> {
  const steps = opts.steps ?? [0.12, 0.05]
  let best: Costs = { ...start }
  let bestLoss = loss(rows, await simulateRows(rows, best, opts.durationMs))
  let evaluations = 1
  for (const step of steps) {
    let improved = true
    while (improved) {
      improved = false
      for (const key of FIT_KEYS) {
        for (const dir of [1, -1]) {
          const trial: Costs = { ...best, [key]: Math.round(best[key] * (1 + dir * step)) }
          const l = loss(rows, await simulateRows(rows, trial, opts.durationMs))
          evaluations++
          // an improvement must be worth it (≥ 3 % of the loss): the search stops on flat ground
          if (l < bestLoss * 0.97) {
            best = trial
            bestLoss = l
            improved = true
            opts.log?.(`  ${key} → ${trial[key]} ns: rms error ${(Math.sqrt(l) * 100).toFixed(1)}%`)
            break
          }
        }
      }
    }
  }
  return { costs: best, loss: bestLoss, evaluations }
}
