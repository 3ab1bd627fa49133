// Metric rows derived from a SimResult: shared by the metrics panel, the compare view and CSV export.
import type { SimResult } from '../engine/types.ts'
import { sortedCopy } from '../timeline/format.ts'
import { latencyWhat } from './latencyCdf.ts'

/** Which direction is an improvement: 'up' (more delivered), 'down' (fewer drops), or neither (inputs, CPU time). */
export type Better = 'up' | 'down' | 'neither'
export interface MetricRow { key: string; label: string; unit: string; value: number; better: Better }

/** CSS class of a B − A difference: green when B is better, red when worse, plain when it is neither. */
export function deltaTone(d: number, better: Better): 'dpos' | 'dneg' | 'dneu' {
  if (better === 'neither' || d === 0) return 'dneu'
  return (d > 0) === (better === 'up') ? 'dpos' : 'dneg'
}

export function headlineMetrics(r: SimResult): MetricRow[] {
  const s = r.summary
  const dropped = Object.values(s.packets.dropped).reduce((a, b) => a + b, 0)
  const busy = s.cpu.reduce((a, c) => a + (100 - c.idle), 0) / 100
  return [
    { key: 'offeredKpps', label: 'Offered', unit: 'kpps', value: s.offeredKpps, better: 'neither' },
    { key: 'deliveredKpps', label: 'Delivered', unit: 'kpps', value: s.deliveredKpps, better: 'up' },
    { key: 'droppedKpps', label: 'Dropped', unit: 'kpps', value: s.droppedKpps, better: 'down' },
    { key: 'deliveredPct', label: 'Delivered / offered', unit: '%', value: s.offeredKpps > 0 ? (100 * s.deliveredKpps) / s.offeredKpps : 0, better: 'up' },
    { key: 'lineRateKpps', label: 'Line rate', unit: 'kpps', value: s.lineRateKpps, better: 'neither' },
    { key: 'dropped', label: 'Dropped packets', unit: 'pkts', value: dropped, better: 'down' },
    { key: 'busyCpus', label: 'Busy CPUs', unit: 'CPUs', value: busy, better: 'neither' },
    // what the engine measured (wire → read for the UDP flood), from its log-linear histogram (±3.2%); absent for imported traces
    { key: 'latencyP50', label: `Latency p50 (${latencyWhat(s.latency)})`, unit: 'µs', value: (s.latency?.p50Ns ?? NaN) / 1000, better: 'down' },
    { key: 'latencyP99', label: 'Latency p99', unit: 'µs', value: (s.latency?.p99Ns ?? NaN) / 1000, better: 'down' },
    { key: 'latencyP999', label: 'Latency p99.9', unit: 'µs', value: (s.latency?.p999Ns ?? NaN) / 1000, better: 'down' },
    { key: 'modeSwitches', label: 'Mode switches', unit: '', value: s.modeSwitches, better: 'neither' },
  ]
}

export function dropPlaces(...rs: (SimResult | null)[]): string[] {
  const set = new Set<string>()
  for (const r of rs) if (r) for (const k of Object.keys(r.summary.packets.dropped)) set.add(k)
  return sortedCopy([...set], (a, b) => a.localeCompare(b))
}

function csvCell(v: string | number): string {
  const s = String(v)
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** Metrics as CSV: one row per (section, name), a column per run. */
export function metricsCsv(runs: { label: string; r: SimResult }[]): string {
  const lines: (string | number)[][] = [['section', 'metric', 'unit', ...runs.map((x) => x.label)]]
  const first = runs[0]
  if (!first) return ''
  headlineMetrics(first.r).forEach((m, i) => lines.push(['throughput', m.label, m.unit, ...runs.map((x) => headlineMetrics(x.r)[i]!.value)]))
  for (const p of dropPlaces(...runs.map((x) => x.r))) lines.push(['drops', p, 'pkts', ...runs.map((x) => x.r.summary.packets.dropped[p] ?? 0)])
  const cpus = Math.max(...runs.map((x) => x.r.summary.cpu.length))
  for (let c = 0; c < cpus; c++) {
    for (const f of ['usr', 'sys', 'hardirq', 'softirq', 'idle'] as const) {
      lines.push(['cpu', `CPU ${c} ${f}`, '%', ...runs.map((x) => x.r.summary.cpu[c]?.[f] ?? '')])
    }
  }
  const names = [...new Set(runs.flatMap((x) => x.r.summary.tasks.map((t) => t.name)))]
  for (const n of names) {
    lines.push(['thread', `${n} CPU time`, 'ms', ...runs.map((x) => { const t = x.r.summary.tasks.find((k) => k.name === n); return t ? t.cpuTimeNs / 1e6 : '' })])
    lines.push(['thread', `${n} migrations`, '', ...runs.map((x) => x.r.summary.tasks.find((k) => k.name === n)?.migrations ?? '')])
  }
  return lines.map((l) => l.map(csvCell).join(',')).join('\n') + '\n'
}
