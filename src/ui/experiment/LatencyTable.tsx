// Latency per cell: p50 / p99 / p99.9 in µs for each mode, and a button per cell that shows its
// CDF below (one pressed at a time). Cells whose summary has no latency show a dash.
import type { ReactNode } from 'react'
import type { RxMode } from '../../engine/scenario.ts'
import { cellKey, MODE_LABELS, type TableRow } from '../../state/experiment.ts'
import { fmtSig } from '../../timeline/format.ts'
import { MARKS } from '../latencyCdf.ts'

/** a grid row's name: payload and flows */
export const rowName = (payloadBytes: number, flows: number) => `${payloadBytes} B, ${flows} ${flows === 1 ? 'flow' : 'flows'}`
export const cellName = (payloadBytes: number, flows: number, mode: RxMode) => `${rowName(payloadBytes, flows)}, ${MODE_LABELS[mode]}`
/** the body of a grid table (results, latency): one row per payload × flows, its name, then `cells` */
export function GridBody({ rows, cells }: { rows: TableRow[]; cells: (r: TableRow) => ReactNode }) {
  return (
    <tbody>
      {rows.map((r) => <tr key={`${r.payloadBytes}/${r.flows}`}><th scope="row">{rowName(r.payloadBytes, r.flows)}</th>{cells(r)}</tr>)}
    </tbody>
  )
}

const us = (ns: number | undefined) => (ns !== undefined && Number.isFinite(ns) ? fmtSig(ns / 1000) : '–')

export function LatencyTable({ rows, modes, what, selected, onSelect }: {
  rows: TableRow[]; modes: RxMode[]; what: string; selected: string | undefined; onSelect: (key: string) => void
}) {
  return (
    <table className="mt x-table x-lat-table">
      <caption>Latency per packet, µs ({what}); the engine&apos;s histogram, ±3.2 %</caption>
      <thead>
        <tr>
          <th rowSpan={2} scope="col">Cell</th>
          {modes.map((m) => <th key={m} colSpan={MARKS.length + 1} scope="colgroup" className="x-group">{MODE_LABELS[m]}</th>)}
        </tr>
        <tr>
          {modes.map((m) => [
            ...MARKS.map((k) => <th key={`${m}-${k.label}`} scope="col">{k.label}</th>),
            <th key={`${m}-cdf`} scope="col"><span className="sr-only">{MODE_LABELS[m]} </span>CDF</th>,
          ])}
        </tr>
      </thead>
      <GridBody rows={rows} cells={(r) => modes.map((m) => {
        const lat = r.sim[m]?.latency
        const key = cellKey({ payloadBytes: r.payloadBytes, flows: r.flows, mode: m })
        return [
          ...MARKS.map((k) => <td key={`${m}-${k.label}`} className={lat ? undefined : 'x-empty'}>{us(lat?.[k.key])}</td>),
          <td key={`${m}-cdf`}>
            {lat && lat.count > 0 && (
              <button type="button" className="x-lat-show" aria-pressed={selected === key} onClick={() => onSelect(key)}
                aria-label={`Show the latency CDF of ${cellName(r.payloadBytes, r.flows, m)}`}>show</button>
            )}
          </td>,
        ]
      })} />
    </table>
  )
}
