// The results table: per payload × flows, simulated kpps per mode, the difference vs softirq, and
// for cells the 2016 series published, the published value and the simulated-vs-published
// difference. A simulated value is a button: it opens that run in the playground.
import { cellKey, MODE_LABELS, publishedModes, tableRows, useExperiment, type TableRow } from '../../state/experiment.ts'
import type { RxMode } from '../../engine/scenario.ts'
import { SEED_TABLE_SOURCE } from '../../data/seedTable.ts'
import { openCell } from './actions.ts'
import { GridBody } from './LatencyTable.tsx'

export const fmtKpps = (v: number) => v.toFixed(0)
export const fmtPct = (v: number) => {
  const a = Math.abs(v).toFixed(1)
  return `${a === '0.0' ? '±' : v > 0 ? '+' : '−'}${a}%`
}
/** The calibration target: simulated within ±10 % of the published value. */
export const PUBLISHED_TOLERANCE_PCT = 10
/**
 * Δ vs softirq: more kpps is better (green), fewer worse (red). Δ vs published has no good sign:
 * plain within the calibration target, red outside it.
 */
export function pctClass(v: number, vs: 'softirq' | 'published'): string {
  if (Math.abs(v) < 0.05) return 'd0'
  if (vs === 'published') return Math.abs(v) > PUBLISHED_TOLERANCE_PCT ? 'dneg' : 'dneu'
  return v > 0 ? 'dpos' : 'dneg'
}

function Pct({ v, vs }: { v: number | undefined; vs: 'softirq' | 'published' }) {
  const off = v !== undefined && vs === 'published' && Math.abs(v) > PUBLISHED_TOLERANCE_PCT
  return (
    <td className={v === undefined ? 'x-empty' : pctClass(v, vs)} title={off ? `more than ±${PUBLISHED_TOLERANCE_PCT}% from the published value` : undefined}>
      {v === undefined ? '' : fmtPct(v)}
    </td>
  )
}

function SimCell({ row, mode }: { row: TableRow; mode: RxMode }) {
  const cell = { payloadBytes: row.payloadBytes, flows: row.flows, mode }
  const r = row.sim[mode]
  const err = useExperiment((s) => s.cellErrors[cellKey(cell)])
  const running = useExperiment((s) => s.status === 'running')
  if (err) return <td className="dneg" title={err}>failed</td>
  if (!r) return <td className="x-empty">{running ? '…' : '–'}</td>
  return (
    <td>
      <button type="button" className="x-cell" onClick={() => openCell(cell)}
        title={`Open ${row.payloadBytes} B, ${row.flows} flows, ${MODE_LABELS[mode]} in the playground (simulated in ${Math.round(r.wallMs)} ms)`}>
        {fmtKpps(r.kpps)}
      </button>
    </td>
  )
}

export function ResultsTable() {
  const grid = useExperiment((s) => s.config.grid)
  const results = useExperiment((s) => s.results)
  const cellMs = useExperiment((s) => s.config.cellMs)
  const rows = tableRows(grid, results)
  const pubModes = publishedModes(grid)
  const hasSoftirq = grid.modes.includes('softirq')
  const span = (m: RxMode) => 1 + (hasSoftirq && m !== 'softirq' ? 1 : 0) + (pubModes.includes(m) ? 2 : 0)
  return (
    <table className="mt x-table">
      <caption>
        Guest throughput, kpps ({cellMs} ms simulated per cell)
        <span className="x-caption-note">
          Published numbers: measured by the authors of the {SEED_TABLE_SOURCE}, shipped with the app for comparison only —
          the simulator never reads them. Δ = difference in %; Δ vs published in red when more than ±{PUBLISHED_TOLERANCE_PCT}%. Click a simulated value to open that run in the playground.
        </span>
      </caption>
      <thead>
        <tr>
          <th rowSpan={2} scope="col">Cell</th>
          {grid.modes.map((m) => <th key={m} colSpan={span(m)} scope="colgroup" className={`x-group x-mode-${m}`}>{MODE_LABELS[m]}</th>)}
        </tr>
        <tr>
          {grid.modes.map((m) => [
            <th key={`${m}-s`} scope="col">simulated</th>,
            hasSoftirq && m !== 'softirq' ? <th key={`${m}-d`} scope="col">Δ vs softirq</th> : null,
            pubModes.includes(m) ? <th key={`${m}-p`} scope="col">published</th> : null,
            pubModes.includes(m) ? <th key={`${m}-pd`} scope="col">Δ vs published</th> : null,
          ])}
        </tr>
      </thead>
      <GridBody rows={rows} cells={(r) => grid.modes.map((m) => [
        <SimCell key={`${m}-s`} row={r} mode={m} />,
        hasSoftirq && m !== 'softirq' ? <Pct key={`${m}-d`} v={r.vsSoftirq[m]} vs="softirq" /> : null,
        pubModes.includes(m) ? <td key={`${m}-p`} className="x-pub">{r.published[m] ?? ''}</td> : null,
        pubModes.includes(m) ? <Pct key={`${m}-pd`} v={r.vsPublished[m]} vs="published" /> : null,
      ])} />
    </table>
  )
}
