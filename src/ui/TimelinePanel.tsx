// The timeline area: toolbar (zoom buttons, visible window, toggles, legend), one canvas per run
// (A above B on the shared time axis), the shortcuts dialog and the range statistics.
import { StoryStartButton } from './StoryPanel.tsx'
import { memo, useEffect, useMemo, useRef, useState } from 'react'
import type { SimResult } from '../engine/types.ts'
import { usePanelRuns } from '../state/panelFeed.ts'
import { runsOnScreen } from './runsOnScreen.ts'
import { timeExtentNs, usePlayground } from '../state/store.ts'
import { KIND_COLORS, KIND_LABELS, LANE_BG } from '../timeline/colors.ts'
import { fmtInt, fmtPct, fmtSig, fmtTime, sortedCopy, unitFor } from '../timeline/format.ts'
import { indexFor } from '../timeline/indexCache.ts'
import { counterAccrued, counterRangeStats, rangeStats } from '../timeline/model.ts'
import { Overview } from '../timeline/Overview.tsx'
import { Timeline } from '../timeline/Timeline.tsx'
import { clampWindow, panBy, zoomAt, type Window } from '../timeline/viewOps.ts'
import { isTyping } from '../state/urlSync.ts'
import { useRoving } from './roving.ts'
import { runTitle } from '../trace/runTitle.ts'
import { DetailsPanel } from './DetailsPanel.tsx'
import { ExplainPanel } from './ExplainPanel.tsx'
import { GuestLanes } from './GuestLanes.tsx'
import { MarkLegendItems } from './MarkLegend.tsx'
import { WaitStats } from './WaitStats.tsx'
import { guestResult } from '../timeline/guestView.ts'
import { stepHighlight } from '../story/story.ts'
import { followedOf, pathOverlayFor, usePacketPath } from '../timeline/packetPathOverlay.ts'
import { useTimelineState } from './timelineState.ts'
import { softnetCounters } from '../timeline/softnet.ts'

function currentWindow(): { w: Window; ext: number } {
  const st = usePlayground.getState()
  const ext = timeExtentNs(st)
  return { w: st.view ? clampWindow({ t0: st.view.startNs, t1: st.view.endNs }, ext) : { t0: 0, t1: ext }, ext }
}
const setWin = (w: Window) => usePlayground.getState().setView({ startNs: w.t0, endNs: w.t1 })
export const zoomIn = () => { const { w, ext } = currentWindow(); setWin(zoomAt(w, ext, 0.7, (w.t0 + w.t1) / 2)) }
export const zoomOut = () => { const { w, ext } = currentWindow(); setWin(zoomAt(w, ext, 1 / 0.7, (w.t0 + w.t1) / 2)) }
export const panFrac = (f: number) => { const { w, ext } = currentWindow(); setWin(panBy(w, ext, (w.t1 - w.t0) * f)) }
export const resetZoom = () => usePlayground.getState().setView(null)

/**
 * Timeline keys act only when the page body or the timeline panel has focus: a focused slider,
 * switch or field elsewhere keeps its own keys (W/A/S/D must not pan while a switch is focused).
 */
export const timelineHasKeys = (t: EventTarget | null): boolean =>
  t === document.body || t === document.documentElement || t === null ||
  (t instanceof Element && t.closest('[data-timeline-keys]') !== null && !isTyping(t))

/** Perfetto-style WASD, bound by e.code so AZERTY/Dvorak users press the same physical keys. */
function useTimelineKeys(openHelp: () => void) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || !timelineHasKeys(e.target)) return
      if (e.key === '?') { e.preventDefault(); openHelp(); return }
      switch (e.code) {
        case 'KeyW': zoomIn(); break
        case 'KeyS': zoomOut(); break
        case 'KeyA': panFrac(-0.2); break
        case 'KeyD': panFrac(0.2); break
        case 'Digit0': resetZoom(); break
        case 'Escape': usePlayground.getState().setSelection(null); return
        default: return
      }
      e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [openHelp])
}

const SHORTCUTS: [string, string][] = [
  ['W / S', 'zoom in / out (centre)'],
  ['A / D', 'pan left / right'],
  ['0', 'show the whole run'],
  ['Ctrl / ⌘ + wheel', 'zoom about the cursor'],
  ['wheel', 'scrolls the page (as in Perfetto)'],
  ['Shift + wheel, horizontal wheel', 'pan'],
  ['drag', 'pan'],
  ['Shift + drag (or Select mode)', 'select a time range'],
  ['Esc', 'clear the selection'],
  ['Tab to a timeline, then ← / →', 'previous / next slice in the lane (details shown)'],
  ['↑ / ↓ (timeline focused)', 'lane above / below'],
  ['F (timeline focused)', 'zoom to the slice'],
  ['Tab past a timeline: counter tracks, ← / → (Shift: 10×), Home / End', 'move the counter cursor; its value is read out and shown'],
  ['↑ / ↓ (counter focused)', 'counter above / below'],
  ['Ctrl + Z / Ctrl + Shift + Z', 'undo / redo (browser Back / Forward)'],
  ['?', 'this list (timeline keys act when the timeline or the page has focus)'],
]

function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = ref.current
    if (!d) return
    if (open && !d.open) d.showModal()
    if (!open && d.open) d.close()
  }, [open])
  return (
    <dialog ref={ref} aria-labelledby="keys-h" onClose={onClose} className="dialog">
      <h2 id="keys-h">Keyboard shortcuts</h2>
      <table className="mt"><tbody>{SHORTCUTS.map(([k, v]) => <tr key={k}><th scope="row"><kbd>{k}</kbd></th><td>{v}</td></tr>)}</tbody></table>
      <button type="button" onClick={onClose} autoFocus>Close</button>
    </dialog>
  )
}

function Legend() {
  // only when a run on screen has parts drawn from the busy summary
  const summarised = usePlayground((s) => [s.result, s.pinned].some((r) => !!r && r.trace.droppedSlices > 0 && !!r.trace.busy))
  return (
    <ul className="legend" aria-label="Legend">
      {KIND_LABELS.map((l, k) => <li key={l}><i style={{ background: KIND_COLORS[k] }} />{l}</li>)}
      <li><i style={{ background: LANE_BG, outline: '1px solid #dadce0' }} />idle</li>
      <li className="hint" title="Zoomed out, each pixel column stacks the kinds that ran in it (fixed order, bottom up), heights proportional to their share of its busy time; paler = busy for only part of the pixel">stacked · paler = partly busy</li>
      <MarkLegendItems />
      {summarised && <li title="Past the trace limit (trace.maxSlices) slices are counted, not stored: those parts of the lanes are drawn from the whole-run busy summary (busy time per CPU, kind and thread in 4096 buckets), at its resolution"><i className="sw-summary" />summarised (past the trace limit)</li>}
    </ul>
  )
}

const pct = (ns: number, of: number) => fmtPct((100 * ns) / Math.max(of, 1e-9))

// memo: panning re-renders the panel every frame; the statistics only depend on runs + selection
const RangeStatsPanel = memo(function RangeStatsPanel({ runs, softnet }: { runs: { label: string; r: SimResult }[]; softnet: boolean }) {
  const sel = usePlayground((s) => s.selection)
  if (!sel || sel.endNs - sel.startNs <= 0) return null
  const span = sel.endNs - sel.startNs
  return (
    <section className="panel range" aria-labelledby="range-h">
      <h2 id="range-h">
        Selection {fmtTime(sel.startNs)} – {fmtTime(sel.endNs)} <span className="hint">({fmtTime(span)})</span>
        <button type="button" className="link" onClick={() => usePlayground.getState().setSelection(null)}>Clear</button>
      </h2>
      <div className="range-grid">
        {runs.map(({ label, r }) => {
          const st = rangeStats(r.trace, indexFor(r.trace), sel.startNs, sel.endNs)
          const cpuNs = span * r.trace.cpus
          const drops = r.trace.counters.filter((c) => /drop/i.test(c.name)).map((c) => [c.name, counterAccrued(c, sel.startNs, sel.endNs)] as const)
          const actors = sortedCopy([...st.byActor.entries()], (a, b) => b[1] - a[1]).slice(0, 12)
          const u = unitFor(span)
          return (
            <div key={label} className="range-run" aria-label={`Selection statistics ${label}`}>
              {runs.length > 1 && <h3>{label}</h3>}
              <p>
                <b>{fmtInt(st.packets)}</b> packets handled{st.summarisedNs > 0 && <span className="hint" title="packets are known per stored slice only; CPU time past the trace limit comes from the busy summary"> (stored slices only)</span>} · <b>{fmtInt(st.slices)}</b> slices ·
                busy {pct(st.byCpu.reduce((a, b) => a + b, 0), cpuNs)} of {r.trace.cpus} CPUs
                {drops.map(([n, v]) => <span key={n}> · {n}: <b>{v === null ? 'n/a' : fmtInt(v)}</b> pkts</span>)}
              </p>
              <table className="mt" aria-label={`By kind ${label}`}>
                <thead><tr><th scope="col">By kind</th><th scope="col">CPU time</th><th scope="col" title="share of the capacity of all CPUs over the range">% of all CPUs</th></tr></thead>
                <tbody>{Array.from(st.byKind).map((ns, k) => ns > 0 && (
                  <tr key={k}><th scope="row"><i className="sw-k" style={{ background: KIND_COLORS[k] }} />{KIND_LABELS[k]}</th><td>{fmtTime(ns, u)}</td><td>{pct(ns, cpuNs)}</td></tr>
                ))}</tbody>
              </table>
              <table className="mt" aria-label={`By CPU ${label}`}>
                <thead><tr><th scope="col">By CPU</th><th scope="col">busy</th><th scope="col">% of range</th></tr></thead>
                <tbody>{Array.from(st.byCpu).map((ns, c) => <tr key={c}><th scope="row">CPU {c}</th><td>{fmtTime(ns, u)}</td><td>{pct(ns, span)}</td></tr>)}</tbody>
              </table>
              <table className="mt range-counters" aria-label={`Counters ${label}`}>
                <thead><tr><th scope="col">Counter</th><th scope="col">min</th><th scope="col">mean</th><th scope="col">max</th><th scope="col" title="rates integrated over the range; running totals differenced">accrued</th></tr></thead>
                <tbody>{(softnet ? [...r.trace.counters, ...softnetCounters(r)] : r.trace.counters).map((c) => counterRangeStats(c, sel.startNs, sel.endNs)).map((c) => c && (
                  <tr key={c.name}>
                    <th scope="row">{c.name}</th>
                    <td>{fmtSig(c.min)} {c.unit}</td><td>{fmtSig(c.avg)} {c.unit}</td><td>{fmtSig(c.max)} {c.unit}</td>
                    <td>{c.accrued === null ? '–' : `${fmtInt(c.accrued)} pkts`}</td>
                  </tr>
                ))}</tbody>
              </table>
              <table className="mt" aria-label={`By thread ${label}`}>
                <thead><tr><th scope="col">By thread</th><th scope="col">CPU time</th><th scope="col">% of range</th></tr></thead>
                <tbody>{actors.map(([a, ns]) => <tr key={a}><th scope="row" className="mono">{r.trace.actors[a]?.name ?? a}</th><td>{fmtTime(ns, u)}</td><td>{pct(ns, span)}</td></tr>)}</tbody>
              </table>
              <WaitStats trace={r.trace} label={label} t0={sel.startNs} t1={sel.endNs} tasks={r.summary.tasks} />
            </div>
          )
        })}
      </div>
    </section>
  )
})


export function TimelinePanel() {
  const result = usePlayground((s) => s.result)
  const pinned = usePlayground((s) => s.pinned)
  const view = usePlayground((s) => s.view)
  const extent = usePlayground(timeExtentNs)
  const showWakeups = usePlayground((s) => s.showWakeups)
  const threadLanes = usePlayground((s) => s.showThreadLanes)
  const showCounters = usePlayground((s) => s.showCounters)
  const storyStep = usePlayground((s) => s.story)
  const highlight = useMemo(() => stepHighlight(storyStep), [storyStep])
  const followed = usePacketPath((s) => s.followed)
  const tlState = useTimelineState()
  const [softnet, setSoftnet] = useState(false)
  const [selectMode, setSelectMode] = useState(false)
  const [help, setHelp] = useState(false)
  const toolsRef = useRef<HTMLDivElement>(null)
  const roving = useRoving(toolsRef)
  useTimelineKeys(() => setHelp(true))
  const w = view ? clampWindow({ t0: view.startNs, t1: view.endNs }, extent) : { t0: 0, t1: extent }
  const unit = unitFor(w.t1)
  const runs = useMemo(() => runsOnScreen(result, pinned), [pinned, result])
  const shown = usePanelRuns()
  const shownRuns = useMemo(() => runsOnScreen(shown.result, shown.pinned), [shown])
  return (
    <section className="panel tlp" aria-labelledby="tl-h" data-timeline-keys="">
      {/* one Tab stop for the tools: arrow keys move between them */}
      <div ref={toolsRef} role="toolbar" aria-label="Timeline tools" onKeyDown={roving.onKeyDown} onFocus={roving.onFocus}>
      <div className="toolbar">
        <h2 id="tl-h">Timeline</h2>
        <div className="btns" role="group" aria-label="Zoom">
          <button type="button" data-rove="" onClick={zoomIn} title="Zoom in (W)">Zoom in</button>
          <button type="button" data-rove="" onClick={zoomOut} title="Zoom out (S)">Zoom out</button>
          <button type="button" data-rove="" onClick={resetZoom} title="Whole run (0)">Reset zoom</button>
        </div>
        <span className="visible mono" data-testid="visible-window" data-start-ns={Math.round(w.t0)} data-end-ns={Math.round(w.t1)}>
          Visible: {fmtTime(w.t0, unit)} – {fmtTime(w.t1, unit)}
        </span>
        <span className="hint" title="Ctrl/⌘+wheel zooms; the plain wheel scrolls the page">W/S zoom · A/D pan · Shift+drag selects</span>
        <StoryStartButton />
        <button type="button" data-rove="" className="help" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">?</button>
      </div>
      <div className="toolbar2">
        <div className="toggles">
          <label className="chk"><input type="checkbox" data-rove="" checked={selectMode} onChange={(e) => setSelectMode(e.target.checked)} />Select mode</label>
          <label className="chk" title="Wakeup lines (waker CPU → wakee CPU) and migration marks, when zoomed in enough to read them"><input type="checkbox" data-rove="" checked={showWakeups} onChange={(e) => usePlayground.getState().setShowWakeups(e.target.checked)} />Wakeups &amp; migrations</label>
          <label className="chk" title="One lane per thread and hard IRQ, below the CPU lanes"><input type="checkbox" data-rove="" checked={threadLanes} onChange={(e) => usePlayground.getState().setShowThreadLanes(e.target.checked)} />Thread lanes</label>
          <label className="chk" title="Counter tracks under the lanes: NIC rings, tun, virtio ring, sockets, delivered, drops (in the compare view A and B share one track and one scale)"><input type="checkbox" data-rove="" checked={showCounters} onChange={(e) => usePlayground.getState().setShowCounters(e.target.checked)} />Counter tracks</label>
          <label className="chk" title="/proc/net/softnet_stat per CPU as counter tracks: packets processed by NAPI polls on the CPU (from the stored slices, kpps) and its time_squeeze count for the run (polls cut by the budget or time limit); shown with the counter tracks"><input type="checkbox" data-rove="" checked={softnet} disabled={!showCounters} onChange={(e) => setSoftnet(e.target.checked)} />softnet_stat</label>
        </div>
      </div>
      </div>
      <Legend />
      {runs.length === 0 && <p className="hint">Waiting for the first run…</p>}
      {result && <Overview result={result} />}
      {runs.map(({ label, r }) => (
        <div key={label} className="tl-run">
          {(pinned || runTitle(label, r, false)) && <div className={`tl-run-h tl-run-${label}`}>{runTitle(label, r, pinned !== null)}</div>}
          {r.trace.droppedSlices > 0 && <p className="hint warn">{fmtInt(r.trace.droppedSlices)} slices past the trace limit were counted but not stored{r.trace.busy ? ': the hatched parts of the lanes are drawn from the whole-run busy summary (busy % stays exact; no single slices there)' : ''}.</p>}
          {/* compare (Trace Compass "pin & clone", KernelShark streams): A over B on one time axis, compact
              lanes; the counters once, in B's canvas, with A's on the same scale per counter */}
          <Timeline
            result={r} label={label} selectMode={selectMode} showScheduled={label !== 'A'}
            compact={pinned !== null}
            counters={showCounters && label !== 'A'}
            overlay={pinned && label === 'B' ? pinned.trace.counters : null}
            highlight={highlight}
            pathOverlay={pathOverlayFor(r.trace.slices, followedOf(followed, r.trace), 'host')}
            {...tlState}
            softnet={softnet && showCounters}
          />
          {/* one run: its guest lanes under it; compare: after both runs' host lanes (A and B stay on one screen) */}
          {!pinned && <GuestLanes result={r} label={label} selectMode={selectMode} compact={false} />}
        </div>
      ))}
      {pinned && runs.map(({ label, r }) => <GuestLanes key={`guest-${label}`} result={r} label={label} selectMode={selectMode} compact />)}
      {/* the panels under the canvases follow a landing after it is drawn (panelFeed.ts) */}
      <ExplainPanel result={shown.result} pinned={shown.pinned} />
      <DetailsPanel traces={runs.flatMap(({ r }) => [r.trace, ...(guestResult(r) ? [guestResult(r)!.trace] : [])])} />
      <RangeStatsPanel runs={shownRuns} softnet={softnet && showCounters} />
      <ShortcutsDialog open={help} onClose={() => setHelp(false)} />
    </section>
  )
}
