// Downloads: timeline PNG and SVG (both drawn through the timeline's tracks: the canvas backend for
// the PNG, every lane of each run; the SVG backend), scenario + summary JSON, metrics CSV.
import { timeExtentNs, usePlayground } from '../state/store.ts'
import { currentLink } from '../state/urlSync.ts'
import { indexFor } from '../timeline/indexCache.ts'
import { timelineSvg } from '../timeline/svg.ts'
import { drawTimelineCanvas, scheduledMarks } from '../timeline/frame.ts'
import { useDetails } from '../timeline/detailsStore.ts'
import { sliceDetails } from '../timeline/sliceDetails.ts'
import { clampWindow } from '../timeline/viewOps.ts'
import { metricsCsv } from './metrics.ts'
import { runsOnScreen } from './runsOnScreen.ts'
import { KIND_COLORS, KIND_LABELS } from '../timeline/colors.ts'
import { fmtTime } from '../timeline/format.ts'
import type { Scenario } from '../engine/scenario.ts'

/** Short description of a scenario for file names and captions: mode, flows, payload, CPUs. */
export function scenarioTag(s: Scenario): string {
  return `${s.rx.mode}-${s.traffic.flows}flows-${s.traffic.payloadBytes}B-${s.host.cpus}cpu`
}
const scenarioText = (s: Scenario) =>
  `${s.rx.mode}, ${s.traffic.flows} flow(s) of ${s.traffic.payloadBytes} B, ${s.host.cpus} CPUs, ${s.nic.queues} queues, ${s.consumer.kind}, ${s.durationMs} ms`

/** `irqlab-<B's tag>[-vs-A-<A's tag>]-<what>.<ext>`: the file says which runs it holds. */
export function exportName(what: string, ext: string): string {
  const st = usePlayground.getState()
  const b = st.result?.scenario ?? st.scenario
  const a = st.pinned?.scenario
  const base = a ? `A-${scenarioTag(a)}-vs-B-${scenarioTag(b)}` : scenarioTag(b)
  return `irqlab-${base}-${what}.${ext}`.replace(/[^A-Za-z0-9._-]+/g, '_')
}

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
  return runsOnScreen(st.result, st.pinned, 'run')
}

const CAPTION_FONT = '13px "DejaVu Sans", sans-serif'
const LABEL_FONT = 'bold 13px "DejaVu Sans", sans-serif'

/**
 * The timelines on screen as one PNG: a caption (what was run, the visible window), a legend of
 * the slice kinds, and each run's timeline under its label (A — pinned / B — current), drawn
 * through the same tracks as on screen (frame.ts), every lane included.
 */
export function exportPng(): void {
  const wraps = [...document.querySelectorAll<HTMLElement>('.tl')]
  const st = usePlayground.getState()
  const rs = runs()
  if (!wraps.length || !rs.length) return
  const dpr = window.devicePixelRatio || 1
  const line = Math.round(20 * dpr)
  const ext = timeExtentNs(st)
  const win = st.view ? clampWindow({ t0: st.view.startNs, t1: st.view.endNs }, ext) : { t0: 0, t1: ext }
  const picked = useDetails.getState().selected
  const canvases = rs.map(({ label, r }, i) => {
    const index = indexFor(r.trace)
    return drawTimelineCanvas(r, index, {
      width: Math.max(300, Math.floor((wraps[i] ?? wraps[0]!).clientWidth)), dpr, t0: win.t0, t1: win.t1,
      threadLanes: st.showThreadLanes, compact: st.pinned !== null, counters: st.showCounters && label !== 'A',
      overlay: st.pinned && label === 'B' ? st.pinned.trace.counters : null, showEvents: st.showWakeups, selection: st.selection,
      scheduled: label === 'A' ? [] : scheduledMarks(st.scenario.rx.switches, r.scenario.nic.irqBase, st.scenario.writes),
      details: picked && picked.input === r.trace ? sliceDetails(r.trace, index, picked.slice) : null,
      softnet: document.querySelector(`.tl[data-softnet="true"]`) !== null,
    })
  })
  const caption = [
    `irqlab — ${rs.length > 1 ? 'A/B comparison' : 'timeline'}, visible ${fmtTime(win.t0)} – ${fmtTime(win.t1)}`,
    ...rs.map(({ label, r }) => `${label === 'run' ? 'Run' : label}: ${scenarioText(r.scenario)}`),
  ]
  const head = line * (caption.length + 1) + Math.round(8 * dpr)
  const labels = rs.length > 1 ? line : 0
  const w = Math.max(...canvases.map((c) => c.width), Math.round(900 * dpr))
  const h = head + canvases.reduce((a, c) => a + c.height + labels, 0)
  const out = document.createElement('canvas')
  out.width = w
  out.height = h
  const ctx = out.getContext('2d')!
  ctx.fillStyle = '#fff'
  ctx.fillRect(0, 0, w, h)
  ctx.scale(dpr, dpr)
  ctx.fillStyle = '#202124'
  ctx.textBaseline = 'middle'
  caption.forEach((text, i) => { ctx.font = i === 0 ? LABEL_FONT : CAPTION_FONT; ctx.fillText(text, 8, 10 + i * 20) })
  // legend: one swatch per slice kind
  let x = 8
  const ly = 10 + caption.length * 20
  ctx.font = CAPTION_FONT
  KIND_LABELS.forEach((label, k) => {
    ctx.fillStyle = KIND_COLORS[k]!
    ctx.fillRect(x, ly - 5, 10, 10)
    ctx.fillStyle = '#202124'
    ctx.fillText(label, x + 14, ly)
    x += 14 + ctx.measureText(label).width + 14
  })
  ctx.setTransform(1, 0, 0, 1, 0, 0)
  let y = head
  canvases.forEach((c, i) => {
    if (labels) {
      ctx.save()
      ctx.scale(dpr, dpr)
      ctx.font = LABEL_FONT
      ctx.fillStyle = '#202124'
      ctx.fillText(i === 0 ? 'A — pinned' : 'B — current', 8, y / dpr + 10)
      ctx.restore()
      y += labels
    }
    ctx.drawImage(c, 0, y)
    y += c.height
  })
  out.toBlob((b) => { if (b) download(exportName('timeline', 'png'), b) }, 'image/png')
}

export function exportSvg(): void {
  const st = usePlayground.getState()
  const rs = runs()
  if (!rs.length) return
  const ext = timeExtentNs(st)
  const w = st.view ? clampWindow({ t0: st.view.startNs, t1: st.view.endNs }, ext) : { t0: 0, t1: ext }
  const width = document.querySelector('.tl')?.clientWidth ?? 1100
  const svg = timelineSvg(rs.map(({ label, r }) => ({ label, trace: r.trace, index: indexFor(r.trace), summary: r.summary })), width, w.t0, w.t1, st.showThreadLanes, st.showCounters,
    { showEvents: st.showWakeups, softnet: document.querySelector('.tl[data-softnet="true"]') !== null })
  download(exportName('timeline', 'svg'), new Blob([svg], { type: 'image/svg+xml' }))
}

export function exportJson(): void {
  const body = {
    irqlab: 1,
    link: currentLink(),
    runs: runs().map(({ label, r }) => ({ label, scenario: r.scenario, summary: r.summary })),
  }
  download(exportName('run', 'json'), new Blob([JSON.stringify(body, null, 2)], { type: 'application/json' }))
}

export function exportCsv(): void {
  download(exportName('metrics', 'csv'), new Blob([metricsCsv(runs())], { type: 'text/csv' }))
}
