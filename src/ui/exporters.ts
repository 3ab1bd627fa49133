// Downloads: timeline PNG (the drawn canvases, stacked) and SVG (vector, from aggregated runs),
// scenario + summary JSON, metrics CSV.
import { timeExtentNs, usePlayground } from '../state/store.ts'
import { encodeHash } from '../state/urlCodec.ts'
import { indexFor } from '../timeline/indexCache.ts'
import { timelineSvg } from '../timeline/svg.ts'
import { EXPORT_BEGIN, EXPORT_END } from '../timeline/Timeline.tsx'
import { clampWindow } from '../timeline/viewOps.ts'
import { metricsCsv } from './metrics.ts'

function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

function runs() {
  const st = usePlayground.getState()
  return [...(st.pinned ? [{ label: 'A', r: st.pinned }] : []), ...(st.result ? [{ label: st.pinned ? 'B' : 'run', r: st.result }] : [])]
}

export function exportPng(): void {
  // Timelines only aggregate the lanes on screen; ask them for a full draw while we copy.
  const canvases = [...document.querySelectorAll<HTMLCanvasElement>('.tl canvas')]
  if (!canvases.length) return
  window.dispatchEvent(new Event(EXPORT_BEGIN))
  const w = Math.max(...canvases.map((c) => c.width))
  const h = canvases.reduce((a, c) => a + c.height, 0)
  const out = document.createElement('canvas')
  out.width = w
  out.height = h
  const ctx = out.getContext('2d')!
  ctx.fillStyle = '#fff'
  ctx.fillRect(0, 0, w, h)
  let y = 0
  for (const c of canvases) { ctx.drawImage(c, 0, y); y += c.height }
  window.dispatchEvent(new Event(EXPORT_END))
  out.toBlob((b) => { if (b) download('irqlab-timeline.png', b) }, 'image/png')
}

export function exportSvg(): void {
  const st = usePlayground.getState()
  const rs = runs()
  if (!rs.length) return
  const ext = timeExtentNs(st)
  const w = st.view ? clampWindow({ t0: st.view.startNs, t1: st.view.endNs }, ext) : { t0: 0, t1: ext }
  const width = document.querySelector('.tl')?.clientWidth ?? 1100
  const svg = timelineSvg(rs.map(({ label, r }) => ({ label, trace: r.trace, index: indexFor(r.trace) })), width, w.t0, w.t1, st.showThreadLanes)
  download('irqlab-timeline.svg', new Blob([svg], { type: 'image/svg+xml' }))
}

export function exportJson(): void {
  const st = usePlayground.getState()
  const body = {
    irqlab: 1,
    link: `${location.origin}${location.pathname}${encodeHash(st.scenario)}`,
    runs: runs().map(({ label, r }) => ({ label, scenario: r.scenario, summary: r.summary })),
  }
  download('irqlab-run.json', new Blob([JSON.stringify(body, null, 2)], { type: 'application/json' }))
}

export function exportCsv(): void {
  download('irqlab-metrics.csv', new Blob([metricsCsv(runs())], { type: 'text/csv' }))
}
