// One timeline canvas (run A or B). The visible window, selection and toggles are passed in (the
// panel reads them from the app store, so stacked timelines stay on one time axis); view changes go
// out through `onView` / `onSelection`. Drawing happens in rAF from refs: hovering or panning does
// not re-render React, only the canvas. What is drawn and hit-tested are tracks (tracks.ts).
import { useEffect, useId, useMemo, useRef, useState } from 'react'
import type { KnobWrite, ModeSwitch } from '../engine/scenario.ts'
import type { CounterTrack, SimResult } from '../engine/types.ts'
import { fmtInt, fmtSig, fmtTime } from './format.ts'
import { indexFor } from './indexCache.ts'
import { computeLayout, laneAt, type CounterBox, type Layout } from './layout.ts'
import { counterValueAt, firstEndingAfter, hitTest } from './model.ts'
import { describeSlice, Renderer, type TimeRange, type OverlayDraw } from './render.ts'
import { scheduledMarks } from './frame.ts'
import { softnetCounters } from './softnet.ts'
import { useDetails } from './detailsStore.ts'
import { highlightLanesOverlay } from './overlays.ts'
import { sliceDetails } from './sliceDetails.ts'
import { clampWindow, panBy, zoomAt, type Window } from './viewOps.ts'

declare global {
  interface Window {
    /** frame times (ms) of every timeline draw: read by the e2e benchmark */
    irqlabFrames?: number[]
  }
}

/** The part of the canvas (css px) inside the viewport, with a margin so small scrolls stay drawn. */
function visibleRange(canvas: HTMLCanvasElement, height: number): [number, number] {
  const r = canvas.getBoundingClientRect()
  const margin = 200
  return [Math.max(0, -r.top - margin), Math.min(height, window.innerHeight - r.top + margin)]
}

// Long-lived callbacks (listeners, observers, the rAF scheduler) are made by these module-level
// functions, not inside the component: V8 gives all closures of one function call a shared context,
// so a listener created in a render keeps everything that render's closures use (the result, its
// index) alive for as long as it stays registered: with [] deps, the first result ever shown.

/** Width of `el` (≥ 300 px) now and on every resize. */
export function observeWidth(el: HTMLElement, setWidth: (w: number) => void, now = false): () => void {
  const ro = new ResizeObserver(() => setWidth(Math.max(300, Math.floor(el.clientWidth))))
  ro.observe(el)
  if (now) setWidth(Math.max(300, Math.floor(el.clientWidth)))
  return () => ro.disconnect()
}

/**
 * Draw on the next frame whenever an input changes. One pending rAF at most, drawing the latest
 * inputs: cancelling and re-requesting on every change would starve drawing during continuous
 * input (a wheel or pan event every frame).
 */
function rafScheduler(pending: { current: number }, latest: { current: () => void }): () => void {
  return () => {
    if (pending.current) return
    pending.current = requestAnimationFrame(() => {
      pending.current = 0
      latest.current()
    })
  }
}

function redrawOnScroll(schedule: () => void, pending: { current: number }): () => void {
  const redraw = () => schedule()
  window.addEventListener('scroll', redraw, { passive: true })
  window.addEventListener('resize', redraw)
  return () => {
    window.removeEventListener('scroll', redraw)
    window.removeEventListener('resize', redraw)
    cancelAnimationFrame(pending.current)
    pending.current = 0
  }
}

interface Hover { laneKey: string; slice: number; nearby: number; x: number; y: number }
interface MarkHit { title: string; rows: [string, string][] }

const fmtCounter = (tr: CounterTrack, t: number) => { const v = counterValueAt(tr, t); return v === null ? '–' : `${fmtSig(v)} ${tr.unit}` }
/** A counter's value(s) at t: B's alone, or A's and B's in the compare view (`ref` = A's track). */
export function counterValues(c: Pick<CounterBox, 'track' | 'ref'>, t: number): [string, string][] {
  if (!c.ref) return [['value', fmtCounter(c.track, t)]]
  if (c.ref === c.track) return [['A', fmtCounter(c.ref, t)], ['B', 'not in this run']]
  return [['A', fmtCounter(c.ref, t)], ['B', fmtCounter(c.track, t)]]
}

export interface TimelineProps {
  result: SimResult
  label: string
  selectMode: boolean
  showScheduled: boolean
  /** compare view: shorter lanes so A and B fit one screen */
  compact?: boolean
  /** false: no counter tracks in this canvas (hidden, or drawn in B's canvas) */
  counters?: boolean
  /** run A's counters, drawn in this (B's) canvas on shared scales */
  overlay?: readonly CounterTrack[] | null
  /** wrapper class: 'tl' (exports capture `.tl canvas`), 'tl-g' for the guest vCPU lanes (not exported yet) */
  wrapClass?: string
  /** lanes to outline (a story step's "look here"), by label */
  highlight?: RegExp | null
  /** the followed packet's path (packetPathOverlay.ts), drawn over the other overlays */
  pathOverlay?: OverlayDraw | null
  /** the visible window (null: the whole run) and the time axis' extent, ns */
  view: TimeRange | null
  extent: number
  selection: TimeRange | null
  showWakeups: boolean
  threadLanes: boolean
  /** the scenario's scheduled mode switches (drawn dashed when `showScheduled`) */
  switches: readonly ModeSwitch[]
  /** the scenario's scheduled knob writes (drawn dashed when `showScheduled`) */
  writes?: readonly KnobWrite[]
  onView: (v: TimeRange | null) => void
  onSelection: (r: TimeRange | null) => void
  /** softnet_stat-style counter tracks per CPU after the counters (softnet.ts) */
  softnet?: boolean
}

const NO_WRITES: readonly KnobWrite[] = []

export function Timeline({ result, label, selectMode, showScheduled, compact = false, counters = true, overlay = null, wrapClass = 'tl', highlight = null, pathOverlay = null, view, extent, selection, showWakeups, threadLanes, switches, writes = NO_WRITES, onView, onSelection, softnet = false }: TimelineProps) {
  const trace = result.trace
  const index = useMemo(() => indexFor(trace), [trace])
  // by value: every scenario edit clones the arrays, and only a real change should redraw
  const switchesKey = JSON.stringify([switches, writes])
  const wrapRef = useRef<HTMLDivElement>(null)
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const [renderer] = useState(() => new Renderer())
  const [width, setWidth] = useState(1000)
  const [hover, setHover] = useState<Hover | null>(null)
  const [cursorNs, setCursorNs] = useState<number | null>(null)
  const [markTip, setMarkTip] = useState<(MarkHit & { x: number; y: number }) | null>(null)
  const picked = useDetails((s) => s.selected)
  const details = useMemo(() => (picked && picked.label === label && picked.input === trace ? sliceDetails(trace, index, picked.slice) : null), [picked, label, trace, index])
  const highlightOut = useRef({ lanes: 0 })
  const overlays = useMemo(() => [...(highlight ? [highlightLanesOverlay(highlight, highlightOut.current)] : []), ...(pathOverlay ? [pathOverlay] : [])], [highlight, pathOverlay])
  const [counterTip, setCounterTip] = useState<{ x: number; y: number; title: string; rows: [string, string][] } | null>(null)
  /** keyboard cursor on a counter track (the focused one): index in layout.counters and time */
  const [cCursor, setCCursor] = useState<{ i: number; t: number } | null>(null)
  const counterRefs = useRef<(HTMLDivElement | null)[]>([])
  const hintId = useId()
  const counterHintId = useId()
  // a new result invalidates slice indices held by the tooltip
  useEffect(() => { setHover(null); kbd.current = null }, [trace])
  const win: Window = view ? clampWindow({ t0: view.startNs, t1: view.endNs }, extent) : { t0: 0, t1: extent }
  // event handlers outside React's render (wheel) read the latest inputs
  const live = useRef({ win, extent, onView })
  live.current = { win, extent, onView }
  const layout: Layout = useMemo(
    () => computeLayout(width, trace, index, threadLanes, { compact, counters, overlay, extra: softnet ? softnetCounters(result) : undefined }),
    [width, trace, index, threadLanes, compact, counters, overlay, softnet, result],
  )

  useEffect(() => (wrapRef.current ? observeWidth(wrapRef.current, setWidth, true) : undefined), [])

  const scheduled = useMemo(
    () => {
      if (!showScheduled) return []
      const [sw, wr] = JSON.parse(switchesKey) as [ModeSwitch[], KnobWrite[]]
      return scheduledMarks(sw, result.scenario.nic.irqBase, wr)
    },
    [switchesKey, showScheduled, result.scenario.nic.irqBase],
  )

  // draw on the next frame whenever an input changes (rafScheduler)
  const latest = useRef<() => void>(() => {})
  const pending = useRef(0)
  /** the trace the canvas last showed in full, and the next part of a draw spread over frames */
  const drawnTrace = useRef<SimResult['trace'] | null>(null)
  const phase = useRef<{ next: 'lanes' | 'chrome' | 'rest'; key: unknown[] } | null>(null)
  latest.current = () => {
    const canvas = canvasRef.current
    if (!canvas) return
    const dpr = window.devicePixelRatio || 1
    const w = Math.round(layout.width * dpr)
    const h = Math.round(layout.height * dpr)
    const resized = canvas.width !== w || canvas.height !== h
    if (resized) {
      canvas.width = w
      canvas.height = h
      canvas.style.width = `${layout.width}px`
      canvas.style.height = `${layout.height}px`
    }
    const ctx = canvas.getContext('2d', { alpha: false })
    if (!ctx) return
    const input = {
      ctx, dpr, layout, trace, index, t0: win.t0, t1: win.t1,
      selection, hover: hover ? { slice: hover.slice, laneKey: hover.laneKey } : null, cursorNs,
      showEvents: showWakeups, scheduledSwitches: scheduled,
      visibleY: visibleRange(canvas, layout.height),
      details, overlays,
    }
    // The heaviest draws are a new snapshot of a run in progress and a new result past the slice cap
    // (lanes from slices and the busy summary, counters over a long run). They go on screen over three
    // frames, each part onto the last from the same input: the lanes; the axis, labels and hatching; the
    // counters and marks (Renderer.draw `part`). A new canvas gets a frame of its own first (the page's
    // layout around it). A landing's frames are then not long tasks; `data-drawn-at` is stamped when all
    // of it is drawn. Any change of input meanwhile ends the sequence with one full draw.
    const key = [trace, layout, win.t0, win.t1, selection, hover, cursorNs, showWakeups, scheduled, details, overlays, input.visibleY[0], input.visibleY[1]]
    const step = phase.current && phase.current.key.every((v, i) => v === key[i]) ? phase.current.next : null
    phase.current = null
    if (step === null && trace !== drawnTrace.current && (trace.droppedSlices > 0 || index.simulatedUntil !== undefined)) {
      if (resized) {
        ctx.fillStyle = '#ffffff'
        ctx.fillRect(0, 0, w, h)
        phase.current = { next: 'lanes', key }
      } else {
        renderer.draw({ ...input, part: 'lanes' })
        phase.current = { next: 'chrome', key }
      }
      schedule()
      return
    }
    if (step === 'lanes' || step === 'chrome') {
      renderer.draw({ ...input, part: step })
      phase.current = { next: step === 'lanes' ? 'chrome' : 'rest', key }
      schedule()
      return
    }
    const st = renderer.draw({ ...input, part: step === 'rest' ? 'rest' : undefined })
    drawnTrace.current = trace
    const frames = (window.irqlabFrames ??= [])
    frames.push(st.ms)
    if (frames.length > 5000) frames.splice(0, 2500)
    const wrap = wrapRef.current
    if (wrap) {
      wrap.dataset.visibleSlices = String(st.visibleSlices)
      wrap.dataset.signature = String(st.signature)
      wrap.dataset.frameMs = st.ms.toFixed(2)
      wrap.dataset.eventsDrawn = String(st.eventsDrawn)
      wrap.dataset.markers = String(trace.events.modeSwitches.length + (trace.events.knobWrites?.length ?? 0) + scheduled.length)
      wrap.dataset.summarisedLanes = String(renderer.summarisedLanes)
      wrap.dataset.laneBusy = JSON.stringify(renderer.laneBusyPercent())
      wrap.dataset.stateLanes = String(st.stateLanes)
      wrap.dataset.flows = String(st.flows)
      wrap.dataset.highlightedLanes = String(highlight ? highlightOut.current.lanes : 0)
      wrap.dataset.drawn = 'true'
      wrap.dataset.drawnAt = performance.now().toFixed(1)
    }
  }
  const [schedule] = useState(() => rafScheduler(pending, latest))
  useEffect(() => schedule(), [schedule, layout, trace, index, win.t0, win.t1, selection, hover, showWakeups, scheduled, cursorNs, overlays, details])
  // scrolling brings other lanes on screen (the PNG export draws every lane itself: frame.ts)
  useEffect(() => redrawOnScroll(schedule, pending), [schedule])

  // Wheel, as in Perfetto: Ctrl/⌘+wheel zooms about the cursor (the browser's page zoom is
  // suppressed over the timeline); Shift+wheel or a horizontal wheel pans; a plain vertical wheel
  // is left to the page, so it always scrolls. Needs a non-passive listener.
  useEffect(() => {
    const canvas = canvasRef.current
    if (!canvas) return
    const onWheel = (e: WheelEvent) => {
      const zoom = e.ctrlKey || e.metaKey
      const horizontal = Math.abs(e.deltaX) > Math.abs(e.deltaY)
      if (!zoom && !e.shiftKey && !horizontal) return
      const { win: cur, extent: ext, onView: setView } = live.current
      const rect = canvas.getBoundingClientRect()
      const px = e.clientX - rect.left - layout.plotX
      if (px < 0) return
      const span = cur.t1 - cur.t0
      e.preventDefault()
      let next: Window
      if (!zoom) {
        next = panBy(cur, ext, ((horizontal ? e.deltaX : e.deltaY) / layout.plotW) * span)
      } else {
        const anchor = cur.t0 + (px / layout.plotW) * span
        next = zoomAt(cur, ext, Math.exp(e.deltaY * 0.002), anchor)
      }
      setView({ startNs: next.t0, endNs: next.t1 })
    }
    canvas.addEventListener('wheel', onWheel, { passive: false })
    return () => canvas.removeEventListener('wheel', onWheel)
  }, [layout])

  const drag = useRef<{ mode: 'pan' | 'select'; x0: number; win: Window; moved: boolean } | null>(null)
  const timeAt = (clientX: number, w: Window) => {
    const rect = canvasRef.current!.getBoundingClientRect()
    const px = Math.min(Math.max(clientX - rect.left - layout.plotX, 0), layout.plotW)
    return w.t0 + (px / layout.plotW) * (w.t1 - w.t0)
  }

  const onPointerDown = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (e.button !== 0) return
    const rect = e.currentTarget.getBoundingClientRect()
    if (e.clientX - rect.left < layout.plotX) return
    e.currentTarget.setPointerCapture(e.pointerId)
    drag.current = { mode: e.shiftKey || selectMode ? 'select' : 'pan', x0: e.clientX, win, moved: false }
  }
  const onPointerMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current
    if (d) {
      if (Math.abs(e.clientX - d.x0) > 2) d.moved = true
      if (!d.moved) return
      if (d.mode === 'pan') {
        const dt = ((d.x0 - e.clientX) / layout.plotW) * (d.win.t1 - d.win.t0)
        const next = panBy(d.win, extent, dt)
        onView({ startNs: next.t0, endNs: next.t1 })
      } else {
        const a = timeAt(d.x0, d.win)
        const b = timeAt(e.clientX, d.win)
        onSelection({ startNs: Math.min(a, b), endNs: Math.max(a, b) })
      }
      setHover(null)
      return
    }
    const rect = e.currentTarget.getBoundingClientRect()
    const x = e.clientX - rect.left
    const y = e.clientY - rect.top
    setCursorNs(x >= layout.plotX ? timeAt(e.clientX, win) : null)
    // the tracks answer what is under the pointer: a counter's value, a slice, a wakeup / migration mark
    const hit = renderer.hitTest({ layout, t0: win.t0, t1: win.t1, showEvents: showWakeups }, x, y)
    const cbox = hit?.kind === 'counter' ? layout.counters.find((c) => y >= c.y && y < c.y + c.h) : undefined
    if (cbox && hit?.kind === 'counter') setCounterTip({ x, y, title: cbox.track.name, rows: [...counterValues(cbox, hit.t), ['at', fmtTime(hit.t)]] })
    else if (counterTip && !cCursor) setCounterTip(null)
    const mark = hit?.kind === 'mark' ? hit : null
    if (mark ? markTip?.title !== mark.title || markTip.x !== x : markTip) setMarkTip(mark ? { title: mark.title, rows: mark.rows, x, y } : null)
    if (hit?.kind !== 'slice' || !hit.laneKey) { if (hover) setHover(null); return }
    if (hover?.slice !== hit.slice || hover.x !== x) setHover({ laneKey: hit.laneKey, slice: hit.slice, nearby: hit.nearby, x, y })
  }
  const onPointerUp = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current
    drag.current = null
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId)
    if (d && !d.moved && d.mode === 'select') onSelection(null)
    // a click (no drag) picks the slice under the pointer for the details panel, or clears it
    if (d && !d.moved && d.mode === 'pan') {
      const rect = e.currentTarget.getBoundingClientRect()
      const box = laneAt(layout, e.clientY - rect.top)
      const hit = box ? hitTest(box.lane, trace.slices, timeAt(e.clientX, win), (3 / layout.plotW) * (win.t1 - win.t0)) : null
      useDetails.getState().select(hit ? { label, input: trace, slice: hit.slice } : null)
    }
  }

  // Keyboard access to slices (the canvas is focusable): ←/→ previous/next slice in the lane,
  // ↑/↓ lane, F zooms to the slice. The tooltip follows, so everything hover shows is reachable.
  const kbd = useRef<{ lane: number; pos: number } | null>(null)
  const onKeyDown = (e: React.KeyboardEvent<HTMLCanvasElement>) => {
    const lanes = layout.lanes
    if (!lanes.length) return
    let cur = kbd.current ?? { lane: 0, pos: -1 }
    const center = (win.t0 + win.t1) / 2
    const nearest = (laneIdx: number) => Math.min(firstEndingAfter(lanes[laneIdx]!.lane, center), lanes[laneIdx]!.lane.idx.length - 1)
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const l = Math.max(0, Math.min(lanes.length - 1, cur.lane + (e.key === 'ArrowDown' ? 1 : -1)))
      cur = { lane: l, pos: nearest(l) }
    } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const n = lanes[cur.lane]!.lane.idx.length
      if (cur.pos < 0) cur = { ...cur, pos: nearest(cur.lane) }
      else cur = { ...cur, pos: Math.max(0, Math.min(n - 1, cur.pos + (e.key === 'ArrowRight' ? 1 : -1))) }
    } else if (e.code === 'KeyF' && hover) {
      const s = trace.slices
      const pad = (s.end[hover.slice]! - s.start[hover.slice]!) * 0.5 + 1
      onView({ startNs: s.start[hover.slice]! - pad, endNs: s.end[hover.slice]! + pad })
      e.preventDefault()
      return
    } else if (e.key === 'Enter' && hover) {
      useDetails.getState().select({ label, input: trace, slice: hover.slice })
      e.preventDefault()
      return
    } else if (e.key === 'Escape') {
      kbd.current = null
      setHover(null)
      return
    } else return
    e.preventDefault()
    e.stopPropagation()
    kbd.current = cur
    const box = lanes[cur.lane]!
    if (cur.pos < 0 || box.lane.idx.length === 0) { setHover(null); return }
    const i = box.lane.idx[cur.pos]!
    const s = trace.slices
    let w = win
    // bring the slice into view, keeping the zoom level
    if (s.end[i]! < w.t0 || s.start[i]! > w.t1) {
      const span = w.t1 - w.t0
      w = clampWindow({ t0: (s.start[i]! + s.end[i]!) / 2 - span / 2, t1: (s.start[i]! + s.end[i]!) / 2 + span / 2 }, extent)
      onView({ startNs: w.t0, endNs: w.t1 })
    }
    const px = layout.plotX + ((Math.max(s.start[i]!, w.t0) - w.t0) / (w.t1 - w.t0)) * layout.plotW
    setHover({ laneKey: box.lane.key, slice: i, nearby: 1, x: Math.min(px, layout.plotX + layout.plotW - 10), y: box.y + box.h })
  }

  // Counter tracks by keyboard: one Tab stop for all of them (roving); ←/→ move a cursor (1 % of the
  // window, Shift 10 %), Home/End to the window's ends, ↑/↓ the counter above/below. The value is
  // the slider's aria-valuetext (read out on every move) and shows in the tooltip.
  const showCounterAt = (i: number, t: number) => {
    const c = layout.counters[i]
    if (!c) return
    setCCursor({ i, t })
    setCursorNs(t)
    const x = layout.plotX + ((t - win.t0) / Math.max(win.t1 - win.t0, 1e-9)) * layout.plotW
    setCounterTip({ x, y: c.y + c.h - 12, title: c.track.name, rows: [...counterValues(c, t), ['at', fmtTime(t)]] })
  }
  const onCounterKey = (e: React.KeyboardEvent<HTMLDivElement>, i: number) => {
    const span = win.t1 - win.t0
    const t = cCursor?.i === i ? cCursor.t : (win.t0 + win.t1) / 2
    const step = span * (e.shiftKey ? 0.1 : 0.01)
    let next: number
    switch (e.key) {
      case 'ArrowRight': next = t + step; break
      case 'ArrowLeft': next = t - step; break
      case 'Home': next = win.t0; break
      case 'End': next = win.t1; break
      case 'ArrowUp': case 'ArrowDown': {
        const j = i + (e.key === 'ArrowDown' ? 1 : -1)
        e.preventDefault()
        e.stopPropagation()
        if (j >= 0 && j < layout.counters.length) { counterRefs.current[j]?.focus(); showCounterAt(j, t) }
        return
      }
      default: return
    }
    e.preventDefault()
    e.stopPropagation()
    showCounterAt(i, Math.min(win.t1, Math.max(win.t0, next)))
  }
  const counterTabStop = Math.min(cCursor?.i ?? 0, Math.max(0, layout.counters.length - 1))

  const tip = hover ? describeSlice(trace, hover.slice) : null
  const cpuCount = trace.cpus
  return (
    <div className={wrapClass} ref={wrapRef} data-testid={`timeline-${label}`} data-visible-start-ns={Math.round(win.t0)} data-visible-end-ns={Math.round(win.t1)} data-lanes-bottom={layout.lanesBottom} data-softnet={softnet} data-counter-scales={layout.counters.map((c) => `${c.track.name}=${c.max}`).join(';')}>
      <canvas
        ref={canvasRef}
        role="img"
        aria-label={`Timeline ${label}: ${cpuCount} CPU lanes, ${fmtInt(trace.slices.count)} slices, visible ${fmtTime(win.t0)} to ${fmtTime(win.t1)}`}
        className={selectMode ? 'tl-canvas tl-select' : 'tl-canvas'}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerLeave={() => { setCounterTip(null); setMarkTip(null); setCursorNs(null); if (document.activeElement !== canvasRef.current) setHover(null) }}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onBlur={() => { kbd.current = null; setHover(null) }}
        aria-describedby={hintId}
      />
      <span id={hintId} className="sr-only">Arrow keys: previous or next slice and lane; Enter: details of the slice; F: zoom to the slice; W S A D: zoom and pan; Ctrl + wheel: zoom.{layout.counters.length > 0 && ' The counter tracks follow: Tab to them.'}</span>
      {layout.counters.length > 0 && (
        <div role="group" aria-label={`Counter tracks ${label}`} className="tl-counters">
          <span id={counterHintId} className="sr-only">Left and right arrows move the cursor (Shift: further), Home and End go to the window's ends, up and down arrows go to the counter above or below.</span>
          {layout.counters.map((c, i) => {
            const t = cCursor?.i === i ? cCursor.t : (win.t0 + win.t1) / 2
            const ms = (v: number) => Math.round(v / 1e3) / 1e3
            return (
              <div
                key={c.track.name}
                ref={(el) => { counterRefs.current[i] = el }}
                role="slider"
                tabIndex={i === counterTabStop ? 0 : -1}
                className="tl-counter"
                style={{ left: layout.plotX, top: c.y, width: layout.plotW, height: c.h }}
                aria-label={`Counter ${c.track.name}${c.ref ? ', A and B' : ''}, scale 0 to ${fmtSig(c.max)} ${c.track.unit}`}
                aria-describedby={counterHintId}
                aria-orientation="horizontal"
                aria-valuemin={ms(win.t0)}
                aria-valuemax={ms(win.t1)}
                aria-valuenow={ms(t)}
                aria-valuetext={`at ${fmtTime(t)}: ${counterValues(c, t).map(([k, v]) => (k === 'value' ? v : `${k} ${v}`)).join(', ')}`}
                data-testid={`counter-${label}-${i}`}
                onKeyDown={(e) => onCounterKey(e, i)}
                onFocus={() => showCounterAt(i, t)}
                onBlur={() => { setCCursor(null); setCursorNs(null); setCounterTip(null) }}
              />
            )
          })}
        </div>
      )}
      {counterTip && !hover && (
        <div role="tooltip" className="tl-tip" style={{ left: Math.min(counterTip.x + 14, layout.width - 220), top: counterTip.y + 16 }}>
          <div className="tl-tip-title">{counterTip.title}</div>
          <table><tbody>
            {counterTip.rows.map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td>{v}</td></tr>)}
          </tbody></table>
        </div>
      )}
      {markTip && !hover && !counterTip && (
        <div role="tooltip" className="tl-tip" style={{ left: Math.min(markTip.x + 14, layout.width - 280), top: markTip.y + 16 }}>
          <div className="tl-tip-title">{markTip.title}</div>
          <table><tbody>{markTip.rows.map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td>{v}</td></tr>)}</tbody></table>
        </div>
      )}
      {tip && hover && (
        <div role="tooltip" aria-live="polite" className="tl-tip" style={{ left: Math.min(hover.x + 14, layout.width - 280), top: hover.y + 16 }}>
          <div className="tl-tip-title">{tip.title}</div>
          <table>
            <tbody>
              {tip.rows.map(([k, v]) => (
                <tr key={k}><th scope="row">{k}</th><td>{v}</td></tr>
              ))}
              {hover.nearby > 1 && <tr><th scope="row">nearby</th><td>{hover.nearby} slices within ±3 px</td></tr>}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
