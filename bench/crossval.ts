// Cross-validation: does a cost table fitted on some rows of the seed's table predict the rows it
// was not fitted on? Fit on the 64 B rows and predict the 1400 B rows, and the other way round.
import type { Costs } from '../src/engine/index.ts'
import { compareCalibration, type PublishedRow } from './calibration.ts'
import { FIT_KEYS, fitCosts, simulateRows } from './fit.ts'

export async function crossValidate(rows: PublishedRow[], log: (s: string) => void = console.log): Promise<void> {
  const payloads = [...new Set(rows.map((r) => r.payloadBytes))]
  // CROSSVAL_TRAIN=1400 runs one direction only
  const only = process.env.CROSSVAL_TRAIN ? Number(process.env.CROSSVAL_TRAIN) : null
  for (const train of payloads.filter((p) => only === null || p === only)) {
    const trainRows = rows.filter((r) => r.payloadBytes === train)
    const testRows = rows.filter((r) => r.payloadBytes !== train)
    const t0 = Date.now()
    const fit = await fitCosts(trainRows, undefined, { log })
    const sim = await simulateRows(testRows, fit.costs)
    const rep = compareCalibration(testRows, sim)
    log(`\n== cross-validation: fitted on ${train} B rows (${fit.evaluations} evaluations, ${((Date.now() - t0) / 1000).toFixed(0)} s), predicting ${testRows.map((r) => `${r.payloadBytes}/${r.flows}`).join(', ')}`)
    log(`fitted: ${FIT_KEYS.map((k) => `${k} ${fit.costs[k as keyof Costs]}`).join(', ')}`)
    for (const r of rep.rows) log(`${String(r.payloadBytes).padStart(5)} B ${String(r.flows).padStart(3)} flows | softirq ${r.simSoftirq.toFixed(0)} vs ${r.pubSoftirq} (${r.errSoftirq >= 0 ? '+' : ''}${r.errSoftirq.toFixed(1)}%) | threaded ${r.simThreaded.toFixed(0)} vs ${r.pubThreaded} (${r.errThreaded >= 0 ? '+' : ''}${r.errThreaded.toFixed(1)}%)${r.signOk ? '' : ' SIGN MISMATCH'}`)
    log(`predicted values within ±10%: ${rep.within10}/${rep.total} (target ≥ 8 of 10); sign mismatches ${rep.signMismatches}`)
  }
}
