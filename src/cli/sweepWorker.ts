// Worker thread of the sweep pool: runs one scenario per message.
import { parentPort } from 'node:worker_threads'
import { parseScenario, runSimulation, type Costs } from '../engine/index.ts'

parentPort!.on('message', (m: { i: number; input: unknown; costs?: Costs }) => {
  try {
    // a sweep needs only the summary: record no trace slices
    const r = runSimulation(parseScenario({ ...(m.input as object), trace: { maxSlices: 0 } }), m.costs ? { costs: m.costs } : {})
    const drops = Object.values(r.summary.packets.dropped).reduce((a, b) => a + b, 0)
    parentPort!.postMessage({ i: m.i, r: { deliveredKpps: r.summary.deliveredKpps, drops, wallMs: r.perf.wallMs, events: r.summary.eventsProcessed } })
  } catch (e) {
    parentPort!.postMessage({ i: m.i, error: e instanceof Error ? e.message : String(e) })
  }
})
