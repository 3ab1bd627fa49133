// Header: title, presets gallery, compare (pin A), copy link, exports, run status.
import { useRef } from 'react'
import { usePanelRuns } from '../state/panelFeed.ts'
import { usePlayground } from '../state/store.ts'
import { cancelRun, retryRun } from '../state/runner.ts'
import { useRunProgress } from '../state/runProgress.ts'
import { fmtTime } from '../timeline/format.ts'
import { currentLink } from '../state/urlSync.ts'
import { loadScenario } from './actions.ts'
import { exportCsv, exportJson, exportPng, exportSvg } from './exporters.ts'
import { PRESETS } from './presets.ts'
import { CopyLinkButton } from './CopyLinkButton.tsx'
import { exportPerfetto } from '../trace/download.ts'
import { OpenTrace } from '../trace/OpenTrace.tsx'

function Presets() {
  const ref = useRef<HTMLDetailsElement>(null)
  return (
    <details className="menu" ref={ref} onKeyDown={onMenuKey}>
      <summary>Presets</summary>
      <ul className="menu-list" aria-label="Presets">
        {PRESETS.map((p) => (
          <li key={p.id}>
            <button type="button" onClick={() => {
              loadScenario(p.scenario)
              // closing the menu would drop focus to <body>: keep it on the menu's button
              if (ref.current) { ref.current.open = false; ref.current.querySelector('summary')?.focus() }
            }}>
              <b>{p.name}</b>
              <span>{p.description}</span>
            </button>
          </li>
        ))}
      </ul>
    </details>
  )
}

/** Run a menu action and close its <details> menu. */
const closing = (fn: () => void) => (e: React.MouseEvent<HTMLElement>) => {
  fn()
  const d = e.currentTarget.closest('details')
  if (d) d.open = false
}
/** Escape closes an open menu and returns focus to its summary. */
const onMenuKey = (e: React.KeyboardEvent<HTMLDetailsElement>) => {
  if (e.key !== 'Escape' || !e.currentTarget.open) return
  e.currentTarget.open = false
  e.currentTarget.querySelector('summary')?.focus()
}

function Exports() {
  return (
    <details className="menu" onKeyDown={onMenuKey}>
      <summary>Export</summary>
      <ul className="menu-list narrow" aria-label="Export">
        <li><button type="button" onClick={closing(exportPng)}>Timeline as PNG</button></li>
        <li><button type="button" onClick={closing(exportSvg)}>Timeline as SVG</button></li>
        <li><button type="button" onClick={closing(exportJson)}>Scenario + summary (JSON)</button></li>
        <li><button type="button" onClick={closing(exportCsv)}>Metrics (CSV)</button></li>
        <li><button type="button" onClick={closing(() => void exportPerfetto())} title="Trace Event JSON: per-CPU tracks, thread tracks, wakeup flows, counters; opens in Perfetto">Trace for Perfetto (JSON)</button></li>
      </ul>
    </details>
  )
}

function CopyLink() {
  return <CopyLinkButton makeLink={currentLink} />
}

function RunStatus() {
  const status = usePlayground((s) => s.status)
  const progress = usePlayground((s) => s.progress)
  const err = usePlayground((s) => s.runError)
  const perf = usePlayground((s) => s.result?.perf)
  const scenarioRev = usePlayground((s) => s.scenarioRev)
  const resultRev = usePlayground((s) => s.resultRev)
  const cancelled = useRunProgress((s) => s.cancelledAt)
  // the panels beside the timeline follow a landing a frame later (panelFeed.ts)
  const shownRev = usePanelRuns().resultRev
  // the timeline shows the scenario's result (the line below says so at once: no layout shift between the frames)
  const current = status === 'done' && resultRev === scenarioRev
  // "done" = the result on screen, the timeline's and the panels', belongs to the scenario on screen
  // (tests wait on this, never on sleeps)
  const done = current && shownRev === resultRev
  return (
    <div className="run" data-testid="run-status" data-status={status} data-done={done ? 'true' : 'false'} data-scenario-rev={scenarioRev} data-result-rev={resultRev}>
      {status === 'running' || status === 'queued' ? (
        <>
          <span>simulating…</span>
          <progress aria-label="Simulation progress" max={1} value={progress} />
          <RunEta />
          <button type="button" className="link" onClick={cancelRun}>Cancel</button>
        </>
      ) : status === 'error' ? (
        <span className="err" title={err ?? undefined}>Run failed (see the message below)</span>
      ) : current && perf ? (
        <span>simulated in {Math.round(perf.wallMs)} ms</span>
      ) : cancelled !== null ? (
        <span data-testid="run-cancelled">cancelled at {Math.round(cancelled * 100)} %</span>
      ) : null}
    </div>
  )
}

/** Percent done, time left and, while a snapshot is on screen, how far it reaches. */
function RunEta() {
  const fraction = usePlayground((s) => s.progress)
  const eta = useRunProgress((s) => s.etaMs)
  const partialNs = useRunProgress((s) => s.partialNs)
  return (
    <span className="hint" data-testid="run-eta">
      {Math.round(fraction * 100)} %{eta !== null && ` · ~${eta >= 10_000 ? `${Math.round(eta / 1000)} s` : `${(eta / 1000).toFixed(1)} s`} left`}
      {partialNs !== null && ` · showing the first ${fmtTime(partialNs)}`}
    </span>
  )
}

/** A failed run: the message, what stays on screen and, for a worker failure, a one-click retry. */
export function RunFailure() {
  const status = usePlayground((s) => s.status)
  const err = usePlayground((s) => s.runError)
  const kind = usePlayground((s) => s.runErrorKind)
  const hasResult = usePlayground((s) => s.result !== null)
  if (status !== 'error' || !err) return null
  return (
    <div className="banner banner-error" role="alert" data-testid="run-failure" data-kind={kind ?? ''}>
      <span>
        The simulation failed: {err}.{hasResult ? ' The last good result stays on screen.' : ''}
        {kind === 'worker' ? ' A new worker has been started.' : ' Change the scenario to run again.'}
      </span>
      {kind === 'worker' && <button type="button" onClick={retryRun}>Retry</button>}
    </div>
  )
}

/** The app's name and subtitle, shared by the playground's and the experiment's header. */
export function Brand() {
  return (
    <div className="brand">
      <h1>irqlab</h1>
      <span className="tag">Linux rx processing: softirq · threaded IRQ · threaded NAPI</span>
    </div>
  )
}

export function Header() {
  const pinned = usePlayground((s) => s.pinned !== null || s.pinnedScenario !== null)
  const hasResult = usePlayground((s) => s.result !== null)
  return (
    <header className="hdr">
      <Brand />
      <nav className="hdr-actions" aria-label="Playground">
        <Presets />
        {pinned ? (
          <button type="button" onClick={() => usePlayground.getState().unpin()}>Unpin A</button>
        ) : (
          <button type="button" disabled={!hasResult} onClick={() => usePlayground.getState().pin()} title="Keep this run as A; your next changes make B">Pin as A</button>
        )}
        <CopyLink />
        <OpenTrace />
        <Exports />
        <RunStatus />
      </nav>
    </header>
  )
}
