// The Experiment view: re-run the seed's published sweep (payload sizes × flow counts × rx modes)
// in a pool of workers, vary it, and compare with the published 2016 numbers.
import { useEffect, useId, useState, type ReactNode } from 'react'
import type { SweepCell } from '../../engine/presets.ts'
import { KERNEL_ERAS, RX_MODES, type RxMode } from '../../engine/scenario.ts'
import {
  checkConfig, defaultConfig, GRID_LIMITS, gridCells, MODE_LABELS, parseNumberList, PUBLISHED_CELL_MS, QUICK_CELL_MS, CELL_MS_LIMITS,
  sortModes, useExperiment, type ExperimentConfig,
} from '../../state/experiment.ts'
import { experimentLink } from '../../state/experimentUrl.ts'
import { getPath, setField } from '../../state/scenarioEdit.ts'
import { downloadCsv } from './actions.ts'
import { isPlainDecimal, isPlainInt } from '../../input/rules.ts'
import { BarChart } from './BarChart.tsx'
import { LatencySection } from './LatencySection.tsx'
import { cancelExperiment, poolSize, runExperiment } from './pool.ts'
import { ResultsTable } from './ResultsTable.tsx'
import { viewPanelProps } from './ViewTabs.tsx'
import { CopyLinkButton } from '../CopyLinkButton.tsx'
import { Brand } from '../Header.tsx'

/** Apply a config change if it is valid; returns the error otherwise. */
function commitConfig(next: ExperimentConfig): string | null {
  const problem = checkConfig(next)
  if (problem) return problem
  useExperiment.getState().setConfig(next)
  return null
}

/** A text field committed on Enter or blur; shows the error and keeps the last good value. */
function TextField({ label, value, unit, commit, inputMode, width }: {
  label: string; value: string; unit: string; commit: (text: string) => string | null; inputMode?: 'numeric' | 'text'; width?: number
}) {
  const id = useId()
  const [text, setText] = useState(value)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => { setText(value); setError(null) }, [value])
  const apply = () => {
    if (text === value) { setError(null); return }
    const e = commit(text)
    setError(e)
  }
  return (
    <div className="x-field">
      <label htmlFor={id}>{label}</label>
      <span className="x-input">
        <input id={id} value={text} inputMode={inputMode} style={width ? { width } : undefined} aria-invalid={error ? 'true' : 'false'}
          aria-describedby={error ? `${id}-e` : undefined}
          onChange={(e) => setText(e.target.value)} onBlur={apply} onKeyDown={(e) => { if (e.key === 'Enter') apply() }} />
        <span className="unit">{unit}</span>
      </span>
      {error && <div id={`${id}-e`} className="ctl-error" role="alert">{error}</div>}
    </div>
  )
}

function Check({ label, checked, onChange }: { label: string; checked: boolean; onChange: (b: boolean) => string | null }) {
  const [error, setError] = useState<string | null>(null)
  return (
    <>
      <label className="chk"><input type="checkbox" checked={checked} onChange={(e) => setError(onChange(e.target.checked))} />{label}</label>
      {error && <div className="ctl-error" role="alert">{error}</div>}
    </>
  )
}

function GridSettings({ cfg }: { cfg: ExperimentConfig }) {
  const setList = (key: 'payloads' | 'flows', label: string) => (text: string) => {
    const r = parseNumberList(text, label, GRID_LIMITS[key])
    if (!r.ok) return r.error
    return commitConfig({ ...cfg, grid: { ...cfg.grid, [key]: r.values } })
  }
  const setMode = (m: RxMode, on: boolean) => {
    const modes = sortModes(on ? [...cfg.grid.modes, m] : cfg.grid.modes.filter((x) => x !== m))
    if (!modes.length) return 'Modes: keep at least one mode'
    return commitConfig({ ...cfg, grid: { ...cfg.grid, modes } })
  }
  return (
    <fieldset className="x-fs">
      <legend>Grid</legend>
      <TextField label="Payload sizes" unit="B" value={cfg.grid.payloads.join(', ')} commit={setList('payloads', 'Payload sizes')} width={150} />
      <TextField label="Flow counts" unit="flows" value={cfg.grid.flows.join(', ')} commit={setList('flows', 'Flow counts')} width={150} />
      <fieldset className="x-modes">
        <legend>Modes</legend>
        {RX_MODES.map((m) => <Check key={m} label={MODE_LABELS[m]} checked={cfg.grid.modes.includes(m)} onChange={(b) => setMode(m, b)} />)}
      </fieldset>
    </fieldset>
  )
}

function BaseSettings({ cfg }: { cfg: ExperimentConfig }) {
  const eraId = useId()
  const edit = (path: string, value: unknown): string | null => {
    const r = setField(cfg.base, path, value)
    if (!r.ok) return r.error
    return commitConfig({ ...cfg, base: r.scenario })
  }
  const num = (path: string, label: string, unit: string) => (
    <TextField label={label} unit={unit} inputMode="numeric" width={64} value={String(getPath(cfg.base, path))}
      commit={(t) => {
        const n = isPlainInt(t.trim()) ? Number(t.trim()) : NaN
        if (!Number.isInteger(n)) return `${label}: enter a whole number (decimal digits)`
        return edit(path, n)
      }} />
  )
  return (
    <fieldset className="x-fs">
      <legend>Base scenario</legend>
      {num('host.cpus', 'Host CPUs', 'CPUs')}
      {num('nic.queues', 'NIC queues', 'queues')}
      {num('consumer.vcpus', 'Guest vCPUs', 'vCPUs')}
      <div className="x-field">
        <label htmlFor={eraId}>Kernel era</label>
        <select id={eraId} value={cfg.base.kernel.era} onChange={(e) => edit('kernel.era', e.target.value)}>
          {KERNEL_ERAS.map((e) => <option key={e} value={e}>{e}</option>)}
        </select>
      </div>
      <Check label="IRQ threads run SCHED_NORMAL" checked={cfg.base.rx.schedNormal} onChange={(b) => edit('rx.schedNormal', b)} />
      <Check label="IRQ threads not pinned to the IRQ's CPU" checked={cfg.base.rx.noAffinity} onChange={(b) => edit('rx.noAffinity', b)} />
    </fieldset>
  )
}

function DurationSettings({ cfg }: { cfg: ExperimentConfig }) {
  const set = (ms: number) => commitConfig({ ...cfg, cellMs: ms })
  return (
    <fieldset className="x-fs">
      <legend>Duration</legend>
      <TextField label="Simulated time per cell" unit="ms" inputMode="numeric" width={64} value={String(cfg.cellMs)}
        commit={(t) => {
          const n = isPlainDecimal(t.trim()) ? Number(t.trim()) : NaN
          if (!Number.isFinite(n) || n < CELL_MS_LIMITS.min || n > CELL_MS_LIMITS.max) return `Simulated time per cell: must be from ${CELL_MS_LIMITS.min} to ${CELL_MS_LIMITS.max} ms`
          return set(n)
        }} />
      <div className="btns">
        <button type="button" aria-pressed={cfg.cellMs === PUBLISHED_CELL_MS} onClick={() => set(PUBLISHED_CELL_MS)}>1 s (as published)</button>
        <button type="button" aria-pressed={cfg.cellMs === QUICK_CELL_MS} onClick={() => set(QUICK_CELL_MS)}>Quick look: 100 ms</button>
      </div>
    </fieldset>
  )
}

function useTicker(active: boolean): void {
  const [, setTick] = useState(0)
  useEffect(() => {
    if (!active) return
    const t = setInterval(() => setTick((n) => n + 1), 250)
    return () => clearInterval(t)
  }, [active])
}

/** The cells of the last run that failed, parsed back from their keys (payload/flows/mode). */
function failedCells(): SweepCell[] {
  return Object.keys(useExperiment.getState().cellErrors).map((k) => {
    const [p, f, m] = k.split('/')
    return { payloadBytes: Number(p), flows: Number(f), mode: m as RxMode }
  })
}

function RunBar({ cfg }: { cfg: ExperimentConfig }) {
  const status = useExperiment((s) => s.status)
  const errors = useExperiment((s) => s.cellErrors)
  const nErrors = Object.keys(errors).length
  const done = useExperiment((s) => s.done)
  const total = useExperiment((s) => s.total)
  const workers = useExperiment((s) => s.workers)
  const startedAt = useExperiment((s) => s.startedAt)
  const finalMs = useExperiment((s) => s.elapsedMs)
  const running = status === 'running'
  useTicker(running)
  const elapsed = running ? performance.now() - startedAt : finalMs
  const cells = gridCells(cfg.grid).length
  return (
    <div className="x-run">
      {running
        ? <button type="button" onClick={cancelExperiment}>Cancel</button>
        : <button type="button" className="primary" onClick={() => void runExperiment()}>Run {cells} cells</button>}
      {!running && nErrors > 0 && <button type="button" onClick={() => void runExperiment(cfg, failedCells())}>Retry {nErrors} failed {nErrors === 1 ? 'cell' : 'cells'}</button>}
      <button type="button" disabled={running} onClick={() => { useExperiment.getState().setConfig(defaultConfig()) }}>Reset to the published experiment</button>
      <div className="x-progress" data-testid="experiment-progress" data-status={status} data-done={done} data-total={total} data-elapsed-ms={Math.round(finalMs)}>
        {status === 'idle' ? (
          <span className="hint">{cells} cells × {cfg.cellMs} ms simulated, on {poolSize(cells)} workers</span>
        ) : (
          <>
            <progress aria-label="Experiment progress" max={Math.max(1, total)} value={done} />
            <span role="status">
              {done} / {total} cells · {(elapsed / 1000).toFixed(1)} s · {workers} {workers === 1 ? 'worker' : 'workers'}
              {status === 'cancelled' ? ' · cancelled' : status === 'error' ? ' · some cells failed' : status === 'done' ? ' · done' : ''}
            </span>
            {nErrors > 0 && <span className="err" role="alert" data-testid="experiment-error">{nErrors} {nErrors === 1 ? 'cell' : 'cells'} failed: {Object.values(errors)[0]}</span>}
          </>
        )}
      </div>
    </div>
  )
}

function LinkError() {
  const err = useExperiment((s) => s.linkError)
  if (!err) return null
  return (
    <div className="banner banner-error" role="alert">
      <span>{err}</span>
      <button type="button" onClick={() => useExperiment.getState().setLinkError(null)}>Dismiss</button>
    </div>
  )
}

function CopyLink() {
  return <CopyLinkButton makeLink={experimentLink} />
}

/** Header of the experiment view (the playground has its own). */
export function ExperimentHeader() {
  const hasResults = useExperiment((s) => Object.keys(s.results).length > 0)
  return (
    <header className="hdr">
      <Brand />
      <nav className="hdr-actions" aria-label="Experiment">
        <CopyLink />
        <button type="button" disabled={!hasResults} onClick={downloadCsv}>Export CSV</button>
      </nav>
    </header>
  )
}

function Section({ title, children, id }: { title: string; children: ReactNode; id: string }) {
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  )
}

export function ExperimentView() {
  const cfg = useExperiment((s) => s.config)
  const running = useExperiment((s) => s.status === 'running')
  return (
    <div className="x-body" {...viewPanelProps('experiment')}>
      <LinkError />
      <Section title="Experiment: the 2016 series' table, re-run" id="x-settings-h">
        <p className="hint x-intro">
          Every cell is the seed's scenario (tun + vhost-net into a 2-vCPU guest, netperf UDP flows) at one payload size,
          flow count and rx mode. The cells run in parallel in Web Workers; the published 2016 numbers appear beside the simulated ones.
        </p>
        <fieldset className="x-settings" disabled={running}>
          <GridSettings cfg={cfg} />
          <BaseSettings cfg={cfg} />
          <DurationSettings cfg={cfg} />
        </fieldset>
        <RunBar cfg={cfg} />
      </Section>
      <section className="panel x-results" aria-label="Results">
        <ResultsTable />
      </section>
      <BarChart />
      <LatencySection />
    </div>
  )
}
