// Runs experiment cells on a pool of simulation workers: one per core (navigator.hardwareConcurrency,
// at most 4), each taking the next cell from a shared queue as soon as it is idle. Each cell is one
// `run` call on the playground's worker API. Cancel terminates the workers (a run in progress stops
// at once); the pool is created per experiment run, so no worker stays alive afterwards.
import type { SweepCell } from '../../engine/presets.ts'
import { cellInput, type ExperimentConfig, gridCells, useExperiment } from '../../state/experiment.ts'
import { startSimWorker, WorkerFailure, type SimWorkerHandle } from '../../worker/client.ts'

export const MAX_WORKERS = 4

/** `?experimentWorkers=N` (1..8) overrides the pool size: for benchmarks, not shared in links. */
function workersOverride(): number | undefined {
  if (typeof location === 'undefined') return undefined
  const n = Number(new URLSearchParams(location.search).get('experimentWorkers'))
  return Number.isInteger(n) && n >= 1 && n <= 8 ? n : undefined
}

export function poolSize(cells: number): number {
  const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 2
  return Math.max(1, Math.min(workersOverride() ?? Math.min(cores, MAX_WORKERS), cells))
}

/** Longest first (fewer idle workers at the end): many flows and small packets cost the most events. */
const cellCost = (c: SweepCell) => c.flows * (c.payloadBytes >= 1000 ? 0.5 : 1) * (c.mode === 'softirq' ? 1 : 1.2)
function costOrder(cells: SweepCell[]): number[] {
  const order = cells.map((_, i) => i)
  // oxlint-disable-next-line unicorn/no-array-sort -- sorting a fresh array
  order.sort((a, b) => cellCost(cells[b]!) - cellCost(cells[a]!) || a - b)
  return order
}

let current: { cancel: () => void } | null = null

export const isRunning = (): boolean => current !== null

/** A cell whose worker died is run once more on a fresh worker before it is reported as failed. */
export const CELL_ATTEMPTS = 2

/**
 * Start the experiment in the store's config. Resolves when it is done or cancelled.
 * `only`: run just these cells (Retry failed cells), keeping the other results.
 */
export function runExperiment(config: ExperimentConfig = useExperiment.getState().config, only?: SweepCell[]): Promise<void> {
  current?.cancel()
  const cells = only ?? gridCells(config.grid)
  const order = costOrder(cells)
  const size = poolSize(cells.length)
  const st = useExperiment.getState()
  st.begin(cells.length, size, only !== undefined)
  const workers: SimWorkerHandle[] = Array.from({ length: size }, () => startSimWorker())
  let next = 0
  const state = { stopped: false }
  let resolveRun!: () => void
  const finished = new Promise<void>((r) => { resolveRun = r })
  const stop = () => {
    if (state.stopped) return false
    state.stopped = true
    for (const w of workers) w.terminate()
    if (current === handle) current = null
    return true
  }
  const handle = {
    cancel: () => {
      if (stop()) {
        useExperiment.getState().finish('cancelled')
        resolveRun()
      }
    },
  }
  current = handle

  const feed = async (slot: number) => {
    while (!state.stopped && next < order.length) {
      const cell = cells[order[next++]!]!
      for (let attempt = 1; attempt <= CELL_ATTEMPTS && !state.stopped; attempt++) {
        try {
          const r = await workers[slot]!.run(cellInput(cell, config))
          if (state.stopped) return
          if (r === null) break
          const s = r.summary
          useExperiment.getState().addResult(cell, { kpps: s.deliveredKpps, offeredKpps: s.offeredKpps, droppedKpps: s.droppedKpps, wallMs: r.perf.wallMs, latency: s.latency })
          break
        } catch (e) {
          if (state.stopped) return
          const failure = e instanceof WorkerFailure
          // a dead worker is replaced, so the rest of the grid goes on
          if (failure) { workers[slot]!.terminate(); workers[slot] = startSimWorker() }
          if (!failure || attempt === CELL_ATTEMPTS) {
            useExperiment.getState().addError(cell, e instanceof Error ? e.message : String(e))
            break
          }
        }
      }
    }
  }
  void Promise.all(workers.map((_, i) => feed(i))).then(() => {
    if (!stop()) return
    const s = useExperiment.getState()
    s.finish(Object.keys(s.cellErrors).length ? 'error' : 'done')
    resolveRun()
  })
  return finished
}

export function cancelExperiment(): void {
  current?.cancel()
}
