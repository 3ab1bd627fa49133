// The experiment's latency: the per-cell percentile table and the CDF of the chosen cell, optionally
// against a second cell. Shown once a cell's summary carries latency.
import { useId, useState } from 'react'
import { cellKey, tableRows, useExperiment } from '../../state/experiment.ts'
import { LatencyChart, type LatencySeries } from '../LatencyChart.tsx'
import { latencyWhat, type Latency } from '../latencyCdf.ts'
import { cellName, LatencyTable } from './LatencyTable.tsx'

interface Choice { key: string; name: string; latency: Latency }

const CHOSEN = { color: '#1a73e8' }
const OTHER = { color: '#e8710a', dash: '5 3' }

export function LatencySection() {
  const grid = useExperiment((s) => s.config.grid)
  const results = useExperiment((s) => s.results)
  const [pick, setPick] = useState<string | undefined>()
  const [vs, setVs] = useState('')
  const vsId = useId()
  const rows = tableRows(grid, results)
  const choices: Choice[] = rows.flatMap((r) => grid.modes.flatMap((m) => {
    const latency = r.sim[m]?.latency
    return latency && latency.count > 0 ? [{ key: cellKey({ payloadBytes: r.payloadBytes, flows: r.flows, mode: m }), name: cellName(r.payloadBytes, r.flows, m), latency }] : []
  }))
  if (!choices.length) return null
  // until someone picks, the first cell with latency (a pick that left the grid falls back too)
  const sel = choices.find((c) => c.key === pick) ?? choices[0]!
  const other = choices.find((c) => c.key === vs && c.key !== sel.key)
  const series: LatencySeries[] = [{ name: sel.name, latency: sel.latency, ...CHOSEN }]
  if (other) series.push({ name: other.name, latency: other.latency, ...OTHER })
  return (
    <section className="panel x-lat" aria-labelledby="x-lat-h">
      <h2 id="x-lat-h">Latency per cell</h2>
      <div className="x-results">
        <LatencyTable rows={rows} modes={grid.modes} what={latencyWhat(sel.latency)} selected={sel.key} onSelect={setPick} />
      </div>
      <div className="x-lat-pick">
        <span>CDF of <b>{sel.name}</b></span>
        <label htmlFor={vsId}>compare with</label>
        <select id={vsId} value={other?.key ?? ''} onChange={(e) => setVs(e.target.value)}>
          <option value="">no other cell</option>
          {choices.filter((c) => c.key !== sel.key).map((c) => <option key={c.key} value={c.key}>{c.name}</option>)}
        </select>
      </div>
      <LatencyChart series={series} title="Latency per packet" />
    </section>
  )
}
