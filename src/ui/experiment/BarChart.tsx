// Grouped bar chart (D3 scales and axes, SVG): one panel per payload size, flow counts on the x
// axis, one bar per mode; the published 2016 values are black ticks across their bars. The y axis
// (kpps) is shared by all panels so heights compare. Bars open their run in the playground.
import { axisBottom, axisLeft, max, scaleBand, scaleLinear, select } from 'd3'
import { useEffect, useRef } from 'react'
import type { RxMode } from '../../engine/scenario.ts'
import { MODE_LABELS, tableRows, useExperiment, type TableRow } from '../../state/experiment.ts'
import { openCell } from './actions.ts'
import { fmtKpps } from './ResultsTable.tsx'

export const MODE_COLORS: Record<RxMode, string> = {
  softirq: '#f29900',
  'threaded-irq': '#8e44ad',
  'threaded-napi': '#d81b78',
}

const W = 360
const H = 230
const M = { top: 10, right: 8, bottom: 34, left: 50 }

function Panel({ payload, rows, modes, yMax }: { payload: number; rows: TableRow[]; modes: RxMode[]; yMax: number }) {
  const xAxis = useRef<SVGGElement>(null)
  const yAxis = useRef<SVGGElement>(null)
  const x = scaleBand<number>().domain(rows.map((r) => r.flows)).range([M.left, W - M.right]).padding(0.2)
  const xi = scaleBand<RxMode>().domain(modes).range([0, x.bandwidth()]).padding(0.08)
  const y = scaleLinear().domain([0, yMax]).nice().range([H - M.bottom, M.top])
  useEffect(() => {
    if (xAxis.current) select(xAxis.current).call(axisBottom(x).tickSizeOuter(0))
    if (yAxis.current) select(yAxis.current).call(axisLeft(y).ticks(5))
  })
  return (
    <figure className="x-panel">
      <figcaption>{payload} B payload</figcaption>
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="group" aria-label={`${payload} B payload`}>
        <g ref={yAxis} transform={`translate(${M.left},0)`} aria-hidden="true" />
        <text x={12} y={(H - M.bottom + M.top) / 2} transform={`rotate(-90 12 ${(H - M.bottom + M.top) / 2})`} textAnchor="middle" className="x-axis-label">guest kpps</text>
        <g ref={xAxis} transform={`translate(0,${H - M.bottom})`} aria-hidden="true" />
        <text x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle" className="x-axis-label">flows</text>
        {rows.map((r) => (
          <g key={r.flows} transform={`translate(${x(r.flows) ?? 0},0)`}>
            {modes.map((m) => {
              const v = r.sim[m]?.kpps
              const pub = r.published[m]
              const bx = xi(m) ?? 0
              const label = `${payload} B, ${r.flows} flows, ${MODE_LABELS[m]}: ${v === undefined ? 'not run' : `${fmtKpps(v)} kpps`}${pub !== undefined ? ` (published ${pub} kpps)` : ''}`
              return (
                <g key={m}>
                  {v !== undefined && (
                    <rect
                      className="x-bar" data-mode={m}
                      x={bx} y={y(v)} width={xi.bandwidth()} height={Math.max(0, y(0) - y(v))} fill={MODE_COLORS[m]}
                      role="button" tabIndex={0} aria-label={label}
                      onClick={() => openCell({ payloadBytes: payload, flows: r.flows, mode: m })}
                      onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); openCell({ payloadBytes: payload, flows: r.flows, mode: m }) } }}
                    >
                      <title>{label}</title>
                    </rect>
                  )}
                  {pub !== undefined && (
                    <line className="x-pub-tick" x1={bx - 1} x2={bx + xi.bandwidth() + 1} y1={y(pub)} y2={y(pub)} aria-hidden="true" />
                  )}
                </g>
              )
            })}
          </g>
        ))}
      </svg>
    </figure>
  )
}

export function BarChart() {
  const grid = useExperiment((s) => s.config.grid)
  const results = useExperiment((s) => s.results)
  const rows = tableRows(grid, results)
  const yMax = Math.max(100, max(rows.flatMap((r) => [...Object.values(r.sim).map((c) => c.kpps), ...Object.values(r.published)])) ?? 0) * 1.05
  const hasPub = rows.some((r) => Object.keys(r.published).length > 0)
  return (
    <section className="panel x-chart" aria-labelledby="x-chart-h">
      <h2 id="x-chart-h">Chart: guest throughput (kpps) by flow count</h2>
      <ul className="legend" aria-label="Legend">
        {grid.modes.map((m) => <li key={m}><i style={{ background: MODE_COLORS[m] }} />{MODE_LABELS[m]} (simulated)</li>)}
        {hasPub && <li><i className="x-legend-pub" />published, 2016 series</li>}
      </ul>
      <div className="x-panels" data-testid="experiment-chart" data-bars={rows.reduce((a, r) => a + Object.keys(r.sim).length, 0)}>
        {grid.payloads.map((p) => (
          <Panel key={p} payload={p} rows={rows.filter((r) => r.payloadBytes === p)} modes={grid.modes} yMax={yMax} />
        ))}
      </div>
    </section>
  )
}
