// Re-runs the simulation in the worker whenever the scenario changes: debounced (150 ms) so a
// dragged slider does not queue dozens of runs; a newer run supersedes the older one (the worker
// returns null for superseded runs). The previous result stays on screen until the new one lands.
import { startSimWorker, progressCallback, type SimWorker } from '../worker/client.ts'
import { usePlayground } from './store.ts'

export const RUN_DEBOUNCE_MS = 150

let flushPending: (() => void) | null = null
/**
 * Start the pending run now instead of after the debounce: called when the user commits a value
 * (slider released, Enter in a field), so release → redraw is not delayed by the drag debounce.
 */
export function flushRun(): void {
  flushPending?.()
}

export function startRunner(): () => void {
  let worker: { api: SimWorker; terminate: () => void } | null = startSimWorker()
  let timer: ReturnType<typeof setTimeout> | undefined
  let latestRequested = -1
  let pendingRev = -1

  const run = async (rev: number) => {
    const api = worker?.api
    if (!api) return
    latestRequested = rev
    const store = usePlayground.getState()
    store.setRunState({ status: 'running', progress: 0 })
    try {
      const result = await api.run(
        store.scenario,
        progressCallback((f) => {
          if (latestRequested === rev) usePlayground.getState().setRunState({ progress: f })
        }),
      )
      if (result === null || latestRequested !== rev) return // superseded
      usePlayground.getState().setResult(result, rev)
    } catch (e) {
      if (latestRequested !== rev) return
      usePlayground.getState().setRunState({ status: 'error', runError: e instanceof Error ? e.message : String(e) })
    }
  }

  const schedule = (immediate: boolean) => {
    clearTimeout(timer)
    const rev = usePlayground.getState().scenarioRev
    usePlayground.getState().setRunState({ status: 'queued' })
    // Tell the worker right away that the run in flight is stale: it stops at its next chunk.
    if (latestRequested >= 0 && latestRequested !== rev) void worker?.api.cancel()
    pendingRev = rev
    timer = setTimeout(() => { pendingRev = -1; void run(rev) }, immediate ? 0 : RUN_DEBOUNCE_MS)
  }
  flushPending = () => {
    if (pendingRev < 0) return
    clearTimeout(timer)
    const rev = pendingRev
    pendingRev = -1
    void run(rev)
  }

  const unsub = usePlayground.subscribe((s, prev) => {
    if (s.scenarioRev !== prev.scenarioRev) schedule(false)
  })
  schedule(true)

  return () => {
    flushPending = null
    unsub()
    clearTimeout(timer)
    worker?.terminate()
    worker = null
  }
}
