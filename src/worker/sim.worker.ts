// The Web Worker: runs the engine off the main thread. Comlink gives the page a typed proxy.
// A run advances in chunks and yields to the event loop between them, so `cancel` messages
// (and newer runs) are seen while a long run is in progress.
import '../zodConfig.ts'
import * as Comlink from 'comlink'
import { createSimulation, parseScenario, type SimResult } from '../engine/index.ts'
import { transferablesOf } from './transfer.ts'

const EVENTS_PER_CHUNK = 40_000
let currentRun = 0

// A MessageChannel round trip lets queued messages (cancel, newer runs) in; setTimeout(0) would
// cost ~4.5 ms per yield in a worker (clamped timers), ~6 s over the full experiment grid.
const channel = new MessageChannel()
const waiting: Array<() => void> = []
channel.port1.addEventListener('message', () => waiting.shift()?.())
channel.port1.start()
const yieldToEventLoop = () =>
  new Promise<void>((resolve) => {
    waiting.push(resolve)
    channel.port2.postMessage(0)
  })

const api = {
  /**
   * Run a scenario (untrusted input: validated here too). Resolves with the result, or null if a
   * newer run or cancel() superseded it. Rejects with a readable message on a bad scenario.
   */
  async run(input: unknown, onProgress?: (fraction: number) => void): Promise<SimResult | null> {
    const runId = ++currentRun
    const scenario = parseScenario(input)
    const sim = createSimulation(scenario)
    const t0 = performance.now()
    for (;;) {
      const finished = sim.advance(EVENTS_PER_CHUNK)
      if (finished) break
      if (onProgress) await onProgress(sim.progress())
      await yieldToEventLoop()
      if (runId !== currentRun) return null
    }
    const result = sim.result()
    const wallMs = performance.now() - t0
    result.perf = { wallMs, eventsPerSec: result.summary.eventsProcessed / Math.max(wallMs / 1000, 1e-9) }
    return Comlink.transfer(result, transferablesOf(result))
  },
  /** Abandon the run in progress, if any. */
  cancel(): void {
    currentRun++
  },
  /** Round trip used by the e2e test of the worker path: the answer is a transferred typed array. */
  ping(n: number): Float64Array {
    const a = new Float64Array(n)
    for (let i = 0; i < n; i++) a[i] = i * 2
    return Comlink.transfer(a, [a.buffer])
  },
}

export type SimWorkerApi = typeof api
Comlink.expose(api)
