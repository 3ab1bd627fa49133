// Re-runs the simulation in the worker whenever the scenario changes: a change while the runner is
// idle runs at once (leading edge), changes that follow are debounced (150 ms) so a dragged slider
// does not queue dozens of runs; a newer run supersedes the older one (the worker
// returns null for superseded runs). The previous result stays on screen until the new one lands,
// or until a long run's first snapshot (the worker sends one after ~0.6 s, then about every second,
// each with its timeline index built in the worker). cancelRun() stops the run in flight.
// A worker failure (script not loaded, crash, hang) is reported with its message; the result on
// screen stays, a new worker is started, and `retryRun()` runs the current scenario again.
// A pinned run A restored from a link (pinnedScenario without a result) runs on a second worker.
import { primeExplained } from '../explain/explain.ts'
import { primeIndex, primeSlicesIndex } from '../timeline/indexCache.ts'
import { startSimWorker, WorkerFailure, type Landed, type SimWorkerHandle } from '../worker/client.ts'
import { receiveLanding, type Kept } from '../worker/landing.ts'
import { estimateEta, useRunProgress } from './runProgress.ts'
import { usePlayground } from './store.ts'

export const RUN_DEBOUNCE_MS = 150

let flushPending: (() => void) | null = null
let retryHook: (() => void) | null = null
let cancelHook: (() => void) | null = null
/** Stop the run in flight (the Cancel button): what is on screen stays (a snapshot, or the previous result). */
export function cancelRun(): void {
  cancelHook?.()
}
/**
 * Start the pending run now instead of after the debounce: called when the user commits a value
 * (slider released, Enter in a field), so release → redraw is not delayed by the drag debounce.
 */
export function flushRun(): void {
  flushPending?.()
}
/** Run the current scenario again on a fresh worker if the last one failed (the Retry button). */
export function retryRun(): void {
  retryHook?.()
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e))

/** What the worker computed with a result goes into the page's caches, so landing costs no O(slices) work here. */
function primeLanded(l: Landed): void {
  primeIndex(l.result.trace, l.index)
  const g = l.result.trace.guest
  if (g && l.guestIndex) primeSlicesIndex(g.slices, l.guestIndex)
  // a small final result comes without its explanation: the panel derives it after the timeline is drawn
  if (l.explain) primeExplained(l.result, l.explain)
  else if (l.partial) primeExplained(l.result, SNAPSHOT_EXPLAINED)
}
/**
 * User timing for the UI bench: the worker's phases of this landing (engine, indexes, explanation) and
 * the message's way to the page (`irqlab:post`: serialise, post, wait for the main thread, deserialise).
 */
function measureLanding(l: Landed): void {
  const t = l.timing
  const sent = t.sentAt - performance.timeOrigin
  const arrived = performance.now()
  let at = sent - t.explainMs - t.guestMs - t.indexMs - t.simMs
  for (const [name, ms] of [['sim', t.simMs], ['index', t.indexMs], ['guest-index', t.guestMs], ['explain', t.explainMs]] as const) {
    if (ms > 0) performance.measure(`irqlab:${name}`, { start: Math.max(0, at), duration: ms })
    at += ms
  }
  performance.measure('irqlab:post', { start: Math.min(sent, arrived), end: arrived })
}
const SNAPSHOT_EXPLAINED = { run: [{ topic: 'throughput' as const, text: 'The run is still going: its explanation comes when it is done.' }], guest: [] }

/**
 * A snapshot of the run in flight goes on screen as the result (the previous result's rev, so
 * "done" stays false); the time axis is the whole run's, so the timeline fills as it advances.
 */
function showSnapshot(snap: Landed): void {
  const st = usePlayground.getState()
  const prev = st.result
  const keepView = st.restoreView || prev === null || prev.trace.durationNs === snap.result.trace.durationNs
  usePlayground.setState({ result: snap.result, view: keepView ? st.view : null, selection: keepView ? st.selection : null })
  useRunProgress.setState({ partialNs: snap.simulatedNs })
}

/** Take a message in (user timing, shared slices put back, caches primed): the task that received it. */
function takeIn(l: Landed, kept: Kept): void {
  performance.mark('irqlab:land')
  measureLanding(l)
  receiveLanding(l, kept)
  primeLanded(l)
  performance.measure('irqlab:take-in', 'irqlab:land')
}

// The store update (and with it React's render and the panels' effects) runs in a task of its own,
// after the one that received the message: a landing is then a few shorter tasks instead of one long
// one (the Long Tasks the bench counts). A MessageChannel, not setTimeout: no 4 ms clamp.
let afterQueue: Array<() => void> | null = null
let afterPort: MessagePort | null = null
function nextTask(fn: () => void): void {
  if (!afterQueue) {
    const ch = new MessageChannel()
    const q: Array<() => void> = []
    ch.port1.onmessage = () => q.shift()?.()
    afterQueue = q
    afterPort = ch.port2
  }
  afterQueue.push(fn)
  afterPort!.postMessage(0)
}

export function startRunner(): () => void {
  let worker: SimWorkerHandle | null = startSimWorker()
  let pinWorker: SimWorkerHandle | null = null
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let latestRequested = -1
  let pendingRev = -1
  /** runs started whose result is not yet in the store (nor failed, nor superseded) */
  let inFlight = 0

  /** A live worker: the current one, or a new one if it died. */
  const live = (): SimWorkerHandle | null => {
    if (stopped) return null
    if (!worker || worker.dead) { worker?.terminate(); worker = startSimWorker() }
    return worker
  }

  const run = async (rev: number) => {
    const w = live()
    if (!w) return
    latestRequested = rev
    const store = usePlayground.getState()
    store.setRunState({ status: 'running', progress: 0 })
    const startedAt = performance.now()
    useRunProgress.setState({ startedAt, fraction: 0, etaMs: null, partialNs: null, cancelledAt: null })
    // this run's slices and lanes that later messages may share (landing.ts); dropped with the run
    const kept: Kept = new Map()
    // in flight until its result is in the store (or it failed, or was superseded)
    inFlight++
    let released = false
    const release = () => { if (!released) { released = true; inFlight-- } }
    try {
      const landed = await w.runIndexed(store.scenario, (f) => {
        if (latestRequested !== rev) return
        usePlayground.getState().setRunState({ progress: f })
        useRunProgress.setState({ fraction: f, etaMs: estimateEta(startedAt, performance.now(), f) })
      }, (snap) => {
        if (latestRequested !== rev) return
        takeIn(snap, kept)
        nextTask(() => { if (latestRequested === rev) showSnapshot(snap) })
      })
      if (landed === null || latestRequested !== rev) { release(); return } // superseded
      // user timing: the bench measures from the land mark to the drawn canvas (the page's share of a landing);
      // the index (lanes, busy mipmap) was built in the worker: the page only draws
      takeIn(landed, kept)
      kept.clear()
      nextTask(() => {
        release()
        if (latestRequested !== rev) return
        useRunProgress.setState({ startedAt: 0, etaMs: null, partialNs: null })
        usePlayground.getState().setResult(landed.result, rev)
        performance.measure('irqlab:commit', 'irqlab:land')
      })
    } catch (e) {
      release()
      if (latestRequested !== rev || stopped) return
      const failure = e instanceof WorkerFailure
      usePlayground.getState().setRunState({ status: 'error', runError: message(e), runErrorKind: failure ? 'worker' : 'scenario' })
      // a crashed worker is replaced at once, so the next edit (or Retry) finds a live one
      if (failure) live()
    }
  }

  /** Run A's scenario when A was restored from a link or history without its result. */
  let pinKey = ''
  const runPinned = async () => {
    const st = usePlayground.getState()
    const ps = st.pinnedScenario
    if (!ps || st.pinned) return
    const key = JSON.stringify(ps)
    if (key === pinKey) return
    pinKey = key
    if (!pinWorker || pinWorker.dead) { pinWorker?.terminate(); pinWorker = startSimWorker() }
    try {
      const landed = await pinWorker.runIndexed(ps)
      if (landed) primeLanded(receiveLanding(landed, new Map()))
      const r = landed?.result
      if (r && pinKey === key && usePlayground.getState().pinnedScenario === ps) usePlayground.getState().setPinnedResult(r)
    } catch (e) {
      if (pinKey !== key) return
      pinKey = ''
      usePlayground.getState().setRunState({ status: 'error', runError: `run A: ${message(e)}`, runErrorKind: e instanceof WorkerFailure ? 'worker' : 'scenario' })
    }
  }

  cancelHook = () => {
    const status = usePlayground.getState().status
    if (status !== 'running' && status !== 'queued') return
    clearTimeout(timer)
    pendingRev = -1
    latestRequested = -1
    worker?.cancel()
    const f = usePlayground.getState().progress
    useRunProgress.setState({ startedAt: 0, etaMs: null, cancelledAt: f })
    usePlayground.getState().setRunState({ status: 'idle' })
  }

  const schedule = (immediate: boolean) => {
    clearTimeout(timer)
    const rev = usePlayground.getState().scenarioRev
    // Leading edge: a change while nothing is in flight or waiting (a key press, a click, the first
    // step of a drag) runs now, before the page re-renders for it; changes that follow within the
    // debounce supersede it (the worker drops it at its next chunk) and wait as before.
    if (!immediate && inFlight === 0 && pendingRev < 0) {
      void run(rev)
      return
    }
    usePlayground.getState().setRunState({ status: 'queued' })
    // Tell the worker right away that the run in flight is stale: it stops at its next chunk.
    if (latestRequested >= 0 && latestRequested !== rev) worker?.cancel()
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
  retryHook = () => {
    const w = worker
    if (w && (w.dead || usePlayground.getState().runErrorKind === 'worker')) { w.terminate(); worker = null }
    pinKey = ''
    if (pinWorker?.dead) { pinWorker.terminate(); pinWorker = null }
    schedule(true)
    void runPinned()
  }

  const unsub = usePlayground.subscribe((s, prev) => {
    if (s.scenarioRev !== prev.scenarioRev) schedule(false)
    if (s.pinnedScenario !== prev.pinnedScenario) { if (!s.pinnedScenario) pinKey = ''; void runPinned() }
  })
  schedule(true)
  void runPinned()

  return () => {
    stopped = true
    flushPending = null
    retryHook = null
    cancelHook = null
    unsub()
    clearTimeout(timer)
    worker?.terminate()
    worker = null
    pinWorker?.terminate()
    pinWorker = null
  }
}
