// Metrics of the live run (B) and, when a run is pinned, of A beside it with differences.
import { memo, useState } from 'react'
import type { CpuBreakdown, SimResult } from '../engine/types.ts'
import { fmtSig, sortedCopy } from '../timeline/format.ts'
import { usePanelRuns } from '../state/panelFeed.ts'
import { usePlayground } from '../state/store.ts'
import { LatencyChart, type LatencySeries } from './LatencyChart.tsx'
import { deltaTone, dropPlaces, headlineMetrics, type Better } from './metrics.ts'

const CPU_PARTS = [
  ['usr', '#12a4af'],
  ['sys', '#1a73e8'],
  ['hardirq', '#d93025'],
  ['softirq', '#f29900'],
  ['idle', '#e8eaed'],
] as const

const num = (v: number, unit: string) => (Number.isFinite(v) ? `${fmtSig(v)}${unit ? ` ${unit}` : ''}` : '–')
// Colour says better (green) or worse (red) for B, not the sign: more drops is red.
function delta(a: number, b: number, unit: string, better: Better) {
  const d = b - a
  if (!Number.isFinite(d)) return <span className="d0">–</span>
  // equal as displayed = no difference (float noise like −0.000263 CPUs is not a finding)
  if (Math.abs(d) < 1e-9 || num(a, unit) === num(b, unit)) return <span className="d0">±0</span>
  return <span className={deltaTone(d, better)}>{d > 0 ? '+' : '−'}{num(Math.abs(d), unit)}</span>
}

function Headline({ a, b }: { a: SimResult | null; b: SimResult }) {
  const mb = headlineMetrics(b)
  const ma = a ? headlineMetrics(a) : null
  return (
    <table className="mt" aria-label="Throughput">
      <thead><tr><th scope="col">Throughput</th>{ma && <th scope="col">A</th>}<th scope="col">{ma ? 'B' : 'value'}</th>{ma && <th scope="col">B − A</th>}</tr></thead>
      <tbody>
        {mb.map((m, i) => (
          <tr key={m.key} data-metric={m.key}>
            <th scope="row">{m.label}</th>
            {ma && <td>{num(ma[i]!.value, m.unit)}</td>}
            <td data-testid={`metric-${m.key}`}>{num(m.value, m.unit)}</td>
            {ma && <td>{delta(ma[i]!.value, m.value, m.unit, m.better)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Drops({ a, b }: { a: SimResult | null; b: SimResult }) {
  const places = dropPlaces(a, b)
  return (
    <table className="mt" aria-label="Drops by place">
      <thead><tr><th scope="col">Drops by place</th>{a && <th scope="col">A</th>}<th scope="col">{a ? 'B' : 'packets'}</th>{a && <th scope="col">B − A</th>}</tr></thead>
      <tbody>
        {places.length === 0 && <tr><th scope="row">none</th><td colSpan={a ? 3 : 1}>0 pkts</td></tr>}
        {places.map((p) => {
          const vb = b.summary.packets.dropped[p] ?? 0
          const va = a?.summary.packets.dropped[p] ?? 0
          return (
            <tr key={p}>
              <th scope="row">{p}</th>
              {a && <td>{num(va, 'pkts')}</td>}
              <td>{num(vb, 'pkts')}</td>
              {a && <td>{delta(va, vb, 'pkts', 'down')}</td>}
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

function CpuBar({ c, tag }: { c: CpuBreakdown; tag?: string }) {
  const text = CPU_PARTS.map(([k]) => `${k} ${c[k].toFixed(1)} %`).join(', ')
  return (
    <div className="cpubar" role="img" aria-label={`${tag ? `${tag} ` : ''}CPU ${c.cpu}: ${text}`} title={text}>
      {CPU_PARTS.map(([k, col]) => <span key={k} style={{ width: `${Math.max(0, c[k])}%`, background: col }} />)}
    </div>
  )
}

function CpuBars({ a, b }: { a: SimResult | null; b: SimResult }) {
  const n = Math.max(b.summary.cpu.length, a?.summary.cpu.length ?? 0)
  return (
    <div className="cpubars" aria-label="CPU time per CPU">
      <div className="mt-title">CPU time per CPU <span className="unit">(% of run)</span></div>
      <div className="legend small">{CPU_PARTS.map(([k, col]) => <span key={k}><i style={{ background: col }} />{k}</span>)}</div>
      {Array.from({ length: n }, (_, i) => {
        const cb = b.summary.cpu[i]
        const ca = a?.summary.cpu[i]
        return (
          <div className="cpurow" key={i}>
            <span className="cpurow-l">CPU {i}</span>
            {/* in compare mode each CPU has an A bar over a B bar: say which is which */}
            {a && <span className="cpurow-ab" aria-hidden="true"><span>A</span><span>B</span></span>}
            <div className="cpurow-bars">
              {a && (ca ? <CpuBar c={ca} tag="A" /> : <div className="cpubar empty" />)}
              {cb ? <CpuBar c={cb} tag={a ? 'B' : undefined} /> : <div className="cpubar empty" />}
            </div>
            <span className="cpurow-v">{cb ? `${a && ca ? `${fmtSig(100 - ca.idle)} → ` : ''}${fmtSig(100 - cb.idle)} % busy` : '–'}</span>
          </div>
        )
      })}
    </div>
  )
}

// A dashed grey and B solid blue, as the timeline draws A's counters beside B's
const RUN_A = { color: '#5f6368', dash: '5 3' }
const RUN_B = { color: '#1a73e8' }

function Latency({ a, b }: { a: SimResult | null; b: SimResult }) {
  const series: LatencySeries[] = a
    ? [{ name: 'A (pinned)', latency: a.summary.latency, ...RUN_A }, { name: 'B (current)', latency: b.summary.latency, ...RUN_B }]
    : [{ name: 'this run', latency: b.summary.latency, ...RUN_B }]
  return <LatencyChart series={series} title="Latency per packet" />
}

function Threads({ a, b }: { a: SimResult | null; b: SimResult }) {
  const [all, setAll] = useState(false)
  const simNs = b.summary.simulatedNs || 1
  const simNsA = a?.summary.simulatedNs || 1
  const ran = sortedCopy(b.summary.tasks, (x, y) => y.cpuTimeNs - x.cpuTimeNs)
  // Threads that never ran (idle ksoftirqd/N…) only add noise; they are counted below the table.
  const rows = ran.filter((t) => t.cpuTimeNs > 0 || t.migrations > 0 || (a?.summary.tasks.some((x) => x.name === t.name && x.cpuTimeNs > 0) ?? false))
  const idle = ran.length - rows.length
  const aOnly = a ? a.summary.tasks.filter((t) => t.cpuTimeNs > 0 && !rows.some((r) => r.name === t.name)) : []
  const shown = all ? rows : rows.slice(0, 24)
  type Task = SimResult['summary']['tasks'][number]
  const pctOf = (t: Task | undefined, of: number) => (t ? num((100 * t.cpuTimeNs) / of, '%') : '–')
  // Compare: every measure has an A and a B column, each named (no B-only column left unlabelled).
  const cells = (ta: Task | undefined, tb: Task | undefined) => a ? (
    <>
      <td>{ta ? num(ta.cpuTimeNs / 1e6, 'ms') : '–'}</td>
      <td>{tb ? num(tb.cpuTimeNs / 1e6, 'ms') : '– (only in A)'}</td>
      <td>{ta && tb ? delta(ta.cpuTimeNs / 1e6, tb.cpuTimeNs / 1e6, 'ms', 'neither') : '–'}</td>
      <td>{pctOf(ta, simNsA)}</td><td>{pctOf(tb, simNs)}</td>
      <td>{ta?.migrations ?? '–'}</td><td>{tb?.migrations ?? '–'}</td>
      <td>{ta?.wakeups ?? '–'}</td><td>{tb?.wakeups ?? '–'}</td>
    </>
  ) : (
    <>
      <td>{tb ? num(tb.cpuTimeNs / 1e6, 'ms') : '–'}</td>
      <td>{pctOf(tb, simNs)}</td>
      <td>{tb?.migrations ?? '–'}</td>
      <td>{tb?.wakeups ?? '–'}</td>
    </>
  )
  const cols = a ? 10 : 5
  return (
    <div className="threads">
      <table className="mt" aria-label="Threads">
        <thead>
          {a ? (
            <tr>
              <th scope="col">Thread</th>
              <th scope="col">CPU time A</th><th scope="col">CPU time B</th><th scope="col">CPU time B − A</th>
              <th scope="col">% of run A</th><th scope="col">% of run B</th>
              <th scope="col">migrations A</th><th scope="col">migrations B</th>
              <th scope="col">wakeups A</th><th scope="col">wakeups B</th>
            </tr>
          ) : (
            <tr>
              <th scope="col">Thread</th><th scope="col">CPU time</th><th scope="col">% of run</th>
              <th scope="col">migrations</th><th scope="col">wakeups</th>
            </tr>
          )}
        </thead>
        <tbody>
          {shown.map((t) => (
            <tr key={`${t.actor}-${t.name}`}>
              <th scope="row" className="mono">{t.name}</th>
              {cells(a?.summary.tasks.find((x) => x.name === t.name), t)}
            </tr>
          ))}
          {aOnly.map((t) => (
            <tr key={`a-${t.name}`} className="aonly" title="only in A">
              <th scope="row" className="mono">{t.name}</th>
              {cells(t, undefined)}
            </tr>
          ))}
          {rows.length === 0 && <tr><td colSpan={cols}>No threads ran.</td></tr>}
        </tbody>
      </table>
      {idle > 0 && <p className="hint">{idle} more threads did not run.</p>}
      {rows.length > 24 && <button type="button" className="link" onClick={() => setAll(!all)}>{all ? 'Show top 24' : `Show all ${rows.length} threads`}</button>}
    </div>
  )
}

export function Metrics() {
  // the runs as the panels show them: a landing re-renders these tables after the timeline is drawn
  const { result: b, pinned: a } = usePanelRuns()
  const stale = usePlayground((s) => s.status === 'queued' || s.status === 'running')
  if (!b) return <section className="panel metrics" aria-label="Metrics"><p className="hint">Waiting for the first run…</p></section>
  return (
    <section className="panel metrics" aria-labelledby="metrics-h">
      <h2 id="metrics-h">Metrics {a && <span className="hint">A = pinned, B = current; B − A in green where B is better, red where worse</span>} {stale && <span className="hint">(previous run; updating…)</span>}</h2>
      <MetricsGrid a={a} b={b} />
    </section>
  )
}

// memo: a run starting (the header's "updating…") or any other store change leaves the tables alone
const MetricsGrid = memo(function MetricsGrid({ a, b }: { a: SimResult | null; b: SimResult }) {
  return (
    <div className="metrics-grid">
      <div>
        <Headline a={a} b={b} />
        <Drops a={a} b={b} />
      </div>
      <div>
        <CpuBars a={a} b={b} />
        <Latency a={a} b={b} />
      </div>
      <Threads a={a} b={b} />
    </div>
  )
})
