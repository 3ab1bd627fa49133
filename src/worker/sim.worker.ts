// The Web Worker: runs the engine off the main thread. Comlink gives the page a typed proxy.
// A run advances in chunks and yields to the event loop between them, so `cancel` messages
// (and newer runs) are seen while a long run is in progress.
import '../zodConfig.ts'
import * as Comlink from 'comlink'
import { createSimulation, parseScenario, type SimResult } from '../engine/index.ts'
import { transferablesOf } from './transfer.ts'
import { buildIndex, type TraceIndex } from '../timeline/model.ts'
import { mipmapBuffers } from '../timeline/mipmap.ts'

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

/** A result as the playground takes it: with its timeline index (lanes, busy mipmap) built here. */
export interface Landed {
  result: SimResult
  index: TraceIndex
  /** a snapshot of a run still in progress (simulated up to `simulatedNs` of `result.trace.durationNs`) */
  partial: boolean
  simulatedNs: number
}

/** First snapshot of a long run after this much wall time, then at most every PARTIAL_EVERY_MS. */
const PARTIAL_FIRST_MS = 600
const PARTIAL_EVERY_MS = 1000

/** Index + transfer list (O(slices): done here, not on the page's main thread). */
function landed(result: SimResult, partial: boolean, simulatedNs: number): Landed {
  const index = buildIndex(result.trace)
  if (partial) index.simulatedUntil = simulatedNs
  const lanes = [...index.cpuLanes, ...index.actorLanes]
  const buffers = [
    ...transferablesOf(result),
    ...lanes.flatMap((l) => [l.idx.buffer as ArrayBuffer, l.maxEnd.buffer as ArrayBuffer]),
    index.wakeupOrder.buffer as ArrayBuffer, index.migrationOrder.buffer as ArrayBuffer,
    ...(index.busy ? mipmapBuffers(index.busy) : []),
  ]
  return Comlink.transfer({ result, index, partial, simulatedNs }, [...new Set(buffers)])
}

async function simulate(input: unknown, onProgress?: (fraction: number) => void, onPartial?: (l: Landed) => void): Promise<SimResult | null> {
  const runId = ++currentRun
  const scenario = parseScenario(input)
  const sim = createSimulation(scenario)
  const t0 = performance.now()
  let nextPartial = t0 + PARTIAL_FIRST_MS
  for (;;) {
    const finished = sim.advance(EVENTS_PER_CHUNK)
    if (finished) break
    if (onProgress) await onProgress(sim.progress())
    const now = performance.now()
    if (onPartial && now >= nextPartial && sim.progress() > 0) {
      // a snapshot so the timeline fills while the run proceeds: same time axis as the final result
      const r = sim.result()
      const simulatedNs = r.trace.durationNs
      r.trace.durationNs = Math.round(simulatedNs / sim.progress())
      r.perf = { wallMs: now - t0, eventsPerSec: 0 }
      onPartial(landed(r, true, simulatedNs))
      const cost = performance.now() - now
      // snapshots cost O(slices): keep them under ~10 % of the run
      nextPartial = performance.now() + Math.max(PARTIAL_EVERY_MS, 10 * cost)
    }
    await yieldToEventLoop()
    if (runId !== currentRun) return null
  }
  const result = sim.result()
  const wallMs = performance.now() - t0
  result.perf = { wallMs, eventsPerSec: result.summary.eventsProcessed / Math.max(wallMs / 1000, 1e-9) }
  return result
}

const api = {
  /**
   * Run a scenario (untrusted input: validated here too). Resolves with the result, or null if a
   * newer run or cancel() superseded it. Rejects with a readable message on a bad scenario.
   */
  async run(input: unknown, onProgress?: (fraction: number) => void): Promise<SimResult | null> {
    const result = await simulate(input, onProgress)
    return result && Comlink.transfer(result, transferablesOf(result))
  },
  /**
   * The playground's run: as `run`, but the result comes with its timeline index, and a long run
   * sends snapshots (`onPartial`) while it proceeds.
   */
  async runIndexed(input: unknown, onProgress?: (fraction: number) => void, onPartial?: (l: Landed) => void): Promise<Landed | null> {
    const result = await simulate(input, onProgress, onPartial)
    return result && landed(result, false, result.trace.durationNs)
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
