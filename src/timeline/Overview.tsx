// Whole-run overview above the lanes (Perfetto's minimap, Trace Compass users' "at-a-glance" ask):
// busy CPUs over the whole run as an area, the visible window as a box. Click to centre the window
// there, drag to move it. Aligned with the timeline's plot area.
import { useEffect, useMemo, useRef, useState } from 'react'
import type { SimResult } from '../engine/types.ts'
import { timeExtentNs, usePlayground } from '../state/store.ts'
import { fmtSig } from './format.ts'
import { indexFor } from './indexCache.ts'
import { FONT_SMALL, GUTTER } from './layout.ts'
import { addTotalColumns } from './mipmap.ts'
import { Aggregator, summaryFrom } from './model.ts'
import { observeWidth } from './Timeline.tsx'
import { clampWindow, panBy } from './viewOps.ts'

const H = 34

export function Overview({ result }: { result: SimResult }) {
  const trace = result.trace
  const extent = usePlayground(timeExtentNs)
  const view = usePlayground((s) => s.view)
  const wrapRef = useRef<HTMLDivElement>(null)
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const [width, setWidth] = useState(1000)
  const plotW = Math.max(50, width - GUTTER - 8)
  const win = view ? clampWindow({ t0: view.startNs, t1: view.endNs }, extent) : { t0: 0, t1: extent }

  // a module-level observer: one made here would keep the first result alive (Timeline.tsx observeWidth)
  useEffect(() => (wrapRef.current ? observeWidth(wrapRef.current, setWidth) : undefined), [])

  // busy CPUs per column over the whole run: computed once per result and width (from the busy
  // summary where it applies, so a run past trace.maxSlices is not drawn idle)
  const busy = useMemo(() => {
    const cols = Math.floor(plotW)
    const out = new Float32Array(cols)
    const agg = new Aggregator()
    const index = indexFor(trace)
    // every CPU lane from the summary at this zoom (a long or dense run): the summary's all-CPU series,
    // O(buckets + columns) — a landing of a 10 s run no longer spends ~10-40 ms here
    const mip = index.busy
    if (mip && index.cpuLanes.length && index.cpuLanes.every((l) => l.series && summaryFrom(index, l, 0, extent, cols) <= 0)) {
      addTotalColumns(mip, 0, extent, cols, out)
      return out
    }
    for (const lane of index.cpuLanes) {
      // the busy summary past the stored slices (and instead of 1M slices when a column spans buckets)
      const summary = index.busy ? { mip: index.busy, from: summaryFrom(index, lane, 0, extent, cols) } : undefined
      const row = agg.aggregate(lane, trace.slices, 0, extent, cols, undefined, summary)
      for (let c = 0; c < cols; c++) out[c]! += row.cover[c]!
    }
    return out
  }, [trace, extent, plotW])
  const peak = useMemo(() => busy.reduce((m, v) => Math.max(m, v), 0), [busy])

  useEffect(() => {
    const canvas = canvasRef.current
    if (!canvas) return
    const dpr = window.devicePixelRatio || 1
    canvas.width = Math.round(width * dpr)
    canvas.height = Math.round(H * dpr)
    canvas.style.width = `${width}px`
    canvas.style.height = `${H}px`
    const ctx = canvas.getContext('2d')
    if (!ctx) return
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
    ctx.fillStyle = '#ffffff'
    ctx.fillRect(0, 0, width, H)
    ctx.font = FONT_SMALL
    ctx.textBaseline = 'middle'
    ctx.fillStyle = '#5f6368'
    ctx.fillText('busy CPUs, whole run', 12, 10)
    ctx.fillText(`peak ${fmtSig(peak)} of ${trace.cpus}`, 12, 24)
    ctx.fillStyle = '#f8f9fa'
    ctx.fillRect(GUTTER, 0, plotW, H)
    const scale = (H - 4) / Math.max(trace.cpus, 1)
    ctx.beginPath()
    ctx.moveTo(GUTTER, H)
    for (let c = 0; c < busy.length; c++) ctx.lineTo(GUTTER + c + 0.5, H - 1 - busy[c]! * scale)
    ctx.lineTo(GUTTER + busy.length, H)
    ctx.closePath()
    ctx.fillStyle = 'rgba(26,115,232,0.35)'
    ctx.fill()
    const a = GUTTER + (win.t0 / extent) * plotW
    const b = GUTTER + (win.t1 / extent) * plotW
    ctx.fillStyle = 'rgba(32,33,36,0.08)'
    ctx.fillRect(GUTTER, 0, a - GUTTER, H)
    ctx.fillRect(b, 0, GUTTER + plotW - b, H)
    ctx.strokeStyle = '#1a73e8'
    ctx.lineWidth = 1.5
    ctx.strokeRect(a + 0.75, 0.75, Math.max(b - a - 1.5, 2), H - 1.5)
  }, [busy, peak, width, plotW, win.t0, win.t1, extent, trace.cpus])

  const drag = useRef<{ x0: number; t0: number; t1: number } | null>(null)
  const tAt = (clientX: number) => {
    const r = canvasRef.current!.getBoundingClientRect()
    return ((clientX - r.left - GUTTER) / plotW) * extent
  }
  const onDown = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const t = tAt(e.clientX)
    if (t < 0) return
    e.currentTarget.setPointerCapture(e.pointerId)
    const st = usePlayground.getState()
    let w = win
    if (t < win.t0 || t > win.t1) {
      // jump: centre the window on the click, keeping the zoom level
      w = clampWindow({ t0: t - (win.t1 - win.t0) / 2, t1: t + (win.t1 - win.t0) / 2 }, extent)
      st.setView({ startNs: w.t0, endNs: w.t1 })
    }
    drag.current = { x0: e.clientX, t0: w.t0, t1: w.t1 }
  }
  const onMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current
    if (!d) return
    const next = panBy({ t0: d.t0, t1: d.t1 }, extent, ((e.clientX - d.x0) / plotW) * extent)
    usePlayground.getState().setView({ startNs: next.t0, endNs: next.t1 })
  }
  const onUp = () => { drag.current = null }

  return (
    <div className="tl-overview" ref={wrapRef}>
      <canvas
        ref={canvasRef}
        role="img"
        aria-label={`Overview: busy CPUs over the whole run, peak ${fmtSig(peak)} of ${trace.cpus}; click or drag to move the visible window`}
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
      />
    </div>
  )
}
