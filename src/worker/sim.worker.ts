// The Web Worker: runs the engine off the main thread. Comlink gives the page a typed proxy.
// A run advances in chunks and yields to the event loop between them, so `cancel` messages
// (and newer runs) are seen while a long run is in progress.
import '../zodConfig.ts'
import * as Comlink from 'comlink'
import { createSimulation, parseScenario, type SimResult } from '../engine/index.ts'
import { transferablesIn, transferablesOf } from './transfer.ts'
import { RunLandings, type Landed } from './landing.ts'

export type { Landed }

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

/** First snapshot of a long run after this much wall time, then at most every PARTIAL_EVERY_MS. */
const PARTIAL_FIRST_MS = 600
const PARTIAL_EVERY_MS = 1000
/** No snapshot when the run is estimated to finish sooner than this. */
const PARTIAL_MIN_LEFT_MS = 1000
/** Progress messages to the page at most this often (each one is a store update there). */
const PROGRESS_EVERY_MS = 100

/**
 * Everything the page would otherwise compute from a landed result in O(slices) — the host and guest
 * timeline indexes, the explanation — is done here (landing.ts); every typed array is transferred, none copied.
 */
function send(l: Landed): Landed {
  const list = transferablesIn(l)
  l.timing.sentAt = performance.timeOrigin + performance.now()
  return Comlink.transfer(l, list)
}

async function simulate(input: unknown, onProgress?: (fraction: number) => void, onPartial?: (l: Landed) => unknown, landings?: RunLandings): Promise<SimResult | null> {
  const runId = ++currentRun
  const scenario = parseScenario(input)
  const sim = createSimulation(scenario)
  const t0 = performance.now()
  let nextPartial = t0 + PARTIAL_FIRST_MS
  let nextProgress = t0
  for (;;) {
    const finished = sim.advance(EVENTS_PER_CHUNK)
    if (finished) break
    const now = performance.now()
    // fire and forget, at most every PROGRESS_EVERY_MS: awaiting the page's answer stalled the run
    // whenever the page was busy, and every message re-renders the header
    if (onProgress && now >= nextProgress) {
      nextProgress = now + PROGRESS_EVERY_MS
      void Promise.resolve(onProgress(sim.progress())).catch(() => {})
    }
    // a snapshot costs the worker a copy + index and the page a landing: only worth it while the
    // run has a while to go (a run that will be done within a second just lands once)
    const done = sim.progress()
    if (onPartial && landings && now >= nextPartial && done > 0 && ((now - t0) * (1 - done)) / done >= PARTIAL_MIN_LEFT_MS) {
      // a snapshot so the timeline fills while the run proceeds: same time axis as the final result
      // host lanes only: the guest's lanes, wakeups and index are half a snapshot's size (~95 of ~185 MB
      // at 10 s, held twice by the page while the next one lands); they come with the final result
      const r = sim.result({ guest: false })
      const simulatedNs = r.trace.durationNs
      r.trace.durationNs = Math.round(simulatedNs / sim.progress())
      r.perf = { wallMs: now - t0, eventsPerSec: 0 }
      const snap = landings!.make(r, true, simulatedNs, 0)
      const seq = snap.seq
      // the page's answer says it holds this snapshot: later ones may then share its slices
      void Promise.resolve(onPartial(send(snap))).then(() => landings!.ack(seq), () => {})
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

// JIT warm-up. The engine's first runs in a fresh worker are slow while V8 still compiles its hot
// paths (the default scenario: ~140-190 ms for the first run after the page's own, ~45 ms once warm),
// and that first run is the user's first slider move. So after a short run lands and the worker is
// idle, it simulates the same scenario again and builds its index and explanation, all discarded, in
// small chunks: any call (a run,
// cancel) is taken within a chunk (~5 ms) and ends it. At most WARM_RUNS per worker, each at most
// WARM_BUDGET_MS of wall time; nothing of it reaches the page.
const WARM_RUNS = 2
const WARM_BUDGET_MS = 400
/** Only after runs shorter than this (a long run has warmed the engine on its own). */
const WARM_AFTER_MS = 1000
const WARM_CHUNK = 5_000
let warmRuns = 0

async function warmUp(input: unknown): Promise<void> {
  const runId = currentRun
  await yieldToEventLoop()
  while (warmRuns < WARM_RUNS && runId === currentRun) {
    warmRuns++
    const sim = createSimulation(parseScenario(input))
    const t0 = performance.now()
    while (!sim.advance(WARM_CHUNK)) {
      await yieldToEventLoop()
      if (runId !== currentRun || performance.now() - t0 > WARM_BUDGET_MS) return
    }
    // and what the page's message is made of (index, explanation): the same cold code otherwise
    const r = sim.result()
    await yieldToEventLoop()
    if (runId !== currentRun) return
    new RunLandings().make(r, false, r.trace.durationNs, 0)
    await yieldToEventLoop()
  }
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
  async runIndexed(input: unknown, onProgress?: (fraction: number) => void, onPartial?: (l: Landed) => unknown): Promise<Landed | null> {
    const t0 = performance.now()
    const landings = new RunLandings()
    const result = await simulate(input, onProgress, onPartial, landings)
    if (!result) return null
    const out = send(landings.make(result, false, result.trace.durationNs, performance.now() - t0))
    if (warmRuns < WARM_RUNS && result.perf.wallMs < WARM_AFTER_MS) void warmUp(input)
    return out
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
