// Latency CDF of one or two runs (D3 scales and axes, SVG): log time on x; y is F (the share of
// packets at most that late) or, in the tail view, 1 − F on a log axis where p99 and p99.9 are far
// apart. p50 / p99 / p99.9 are guide lines with a dot on each curve. The legend and the image's
// label carry the same percentiles as text, for screen readers and for reading exact values.
import { axisBottom, axisLeft, line, max, min, scaleLinear, scaleLog, select } from 'd3'
import { useEffect, useId, useMemo, useRef, useState } from 'react'
import { fmtTime } from '../timeline/format.ts'
import { latencyCdf, latencyWhat, MARKS, NO_SAMPLES, percentileText, tailFloor, type Latency } from './latencyCdf.ts'
import './latency.css'

export interface LatencySeries {
  /** short name used in the legend and labels: "A (pinned)", "64 B, 1 flow, softirq" */
  name: string
  latency: Latency | undefined
  color: string
  /** SVG stroke-dasharray; a second cue besides colour */
  dash?: string
}

type View = 'cdf' | 'tail'
const W = 460
const H = 230
const M = { top: 8, right: 40, bottom: 36, left: 52 }
const SUP: Record<string, string> = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' }
const pow10 = (v: number) => (v >= 0.01 ? String(v) : `10${String(Math.round(Math.log10(v))).replace(/./g, (c) => SUP[c] ?? c)}`)

/** At least a factor of 4 wide, around the data: a run whose packets all fall in one bucket is a step, not a wall. */
function xDomain(lo: number, hi: number): [number, number] {
  const pad = Math.max(1.05, Math.sqrt(4 / (hi / lo)))
  return [lo / pad, hi * pad]
}

function Swatch({ s }: { s: LatencySeries }) {
  return <svg width="18" height="8" aria-hidden="true"><line x1="0" x2="18" y1="4" y2="4" stroke={s.color} strokeWidth="2" strokeDasharray={s.dash} /></svg>
}

function Plot({ series, view, whats }: { series: LatencySeries[]; view: View; whats: string }) {
  const xAxis = useRef<SVGGElement>(null)
  const yAxis = useRef<SVGGElement>(null)
  const drawn = useMemo(() => series.map((s) => ({ s, cdf: latencyCdf(s.latency) })).filter((d) => !d.cdf.empty), [series])
  const pts = drawn.flatMap((d) => (d.cdf.empty ? [] : d.cdf.points))
  const x = scaleLog().domain(xDomain(min(pts, (p) => p.ns) ?? 1, max(pts, (p) => p.ns) ?? 10)).range([M.left, W - M.right])
  const floor = tailFloor(max(drawn, (d) => (d.cdf.empty ? 0 : d.cdf.count)) ?? 1)
  const y = view === 'cdf' ? scaleLinear().domain([0, 1]).range([H - M.bottom, M.top]) : scaleLog().domain([floor, 1]).range([H - M.bottom, M.top])
  // the tail view plots 1 − F; the last point (F = 1) sits on the floor
  const yOf = (f: number) => y(view === 'cdf' ? f : Math.max(floor, 1 - f))
  const path = line<{ ns: number; f: number }>().x((p) => x(p.ns)).y((p) => yOf(p.f))
  useEffect(() => {
    // log ticks at 1, 2, 5 × 10^k; all of them when the range is too short for that
    const all = x.ticks()
    const few = all.filter((t) => [1, 2, 5].includes(Math.round(t / 10 ** Math.floor(Math.log10(t) + 1e-9))))
    if (xAxis.current) select(xAxis.current).call(axisBottom(x).tickValues(few.length >= 2 ? few : all).tickFormat((t) => fmtTime(Number(t))))
    if (yAxis.current) {
      const ax = view === 'cdf' ? axisLeft(y).ticks(5) : axisLeft(y).tickValues(y.ticks().filter((t) => Math.abs(Math.log10(t) % 1) < 1e-9)).tickFormat((t) => pow10(Number(t)))
      select(yAxis.current).call(ax)
    }
  })
  let lastLabelY = Infinity
  return (
    <svg className="lat-svg" width="100%" viewBox={`0 0 ${W} ${H}`} style={{ maxWidth: W }} role="img" data-view={view} data-curves={drawn.length}
      aria-label={`Latency ${view === 'cdf' ? 'CDF' : 'tail (1 − F, log scale)'}, ${whats}, log time axis. ${drawn.map((d) => `${d.s.name}: ${percentileText(d.s.latency)}`).join('. ')}.`}>
      <g ref={yAxis} transform={`translate(${M.left},0)`} aria-hidden="true" />
      <g ref={xAxis} transform={`translate(0,${H - M.bottom})`} aria-hidden="true" />
      <text className="lat-axis-label" x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle">latency, {whats} (log scale)</text>
      <text className="lat-axis-label" x={12} y={(H - M.bottom + M.top) / 2} transform={`rotate(-90 12 ${(H - M.bottom + M.top) / 2})`} textAnchor="middle">
        {view === 'cdf' ? 'share of packets ≤ x' : 'share of packets > x (log)'}
      </text>
      <g aria-hidden="true">
        {MARKS.map((m) => {
          const gy = yOf(m.q)
          // in the CDF view p99 and p99.9 are a pixel apart: label only what has room
          const label = Math.abs(lastLabelY - gy) >= 11
          if (label) lastLabelY = gy
          return (
            <g key={m.label} className="lat-guide">
              <line x1={M.left} x2={W - M.right} y1={gy} y2={gy} />
              {label && <text x={W - M.right + 3} y={gy + 4}>{m.label}</text>}
            </g>
          )
        })}
        {drawn.map((d) => (
          <g key={d.s.name}>
            <path className="lat-curve" data-run={d.s.name} d={d.cdf.empty ? '' : path(d.cdf.points) ?? ''} stroke={d.s.color} strokeDasharray={d.s.dash} fill="none" />
            {MARKS.map((m) => {
              const ns = d.s.latency![m.key]
              return Number.isFinite(ns) && <circle key={m.label} className="lat-mark" cx={x(ns)} cy={yOf(m.q)} r={3} fill={d.s.color}><title>{`${d.s.name} ${m.label}: ${fmtTime(ns)}`}</title></circle>
            })}
          </g>
        ))}
      </g>
    </svg>
  )
}

export function LatencyChart({ series, title = 'Latency' }: { series: LatencySeries[]; title?: string }) {
  const [view, setView] = useState<View>('cdf')
  const id = useId()
  const withData = series.filter((s) => s.latency && s.latency.count > 0)
  const kinds = [...new Set(withData.map((s) => latencyWhat(s.latency)))]
  const whats = kinds.length ? kinds.join(' / ') : latencyWhat(undefined)
  return (
    <figure className="lat" aria-labelledby={`${id}-t`} data-testid="latency-chart">
      <figcaption className="lat-head">
        <span id={`${id}-t`} className="mt-title">{title}, {whats} <span className="unit">({view === 'cdf' ? 'CDF' : 'tail, 1 − F'}; log time)</span></span>
        <span role="group" aria-label="Latency plot" className="lat-toggle">
          <button type="button" aria-pressed={view === 'cdf'} onClick={() => setView('cdf')}>CDF</button>
          <button type="button" aria-pressed={view === 'tail'} onClick={() => setView('tail')}>Tail (1 − F, log)</button>
        </span>
      </figcaption>
      <ul className="legend lat-legend" aria-label="Latency curves">
        {series.map((s) => (
          <li key={s.name} data-run={s.name}>
            <Swatch s={s} />
            <span className="lat-leg-text"><b>{s.name}</b>{kinds.length > 1 && s.latency ? ` (${latencyWhat(s.latency)})` : ''}: {percentileText(s.latency)}</span>
          </li>
        ))}
      </ul>
      {withData.length
        ? <Plot series={series} view={view} whats={whats} />
        : <p className="hint lat-empty">No latency to plot: {NO_SAMPLES}{series.length > 1 ? ' in any run' : ''}.</p>}
    </figure>
  )
}
