// "Packet paths" (issue 12 item 4): the engine's sampled packets (trace.paths), as perf's
// netdev-times reads them — the time each spent in every queue (NIC ring, tun, virtio ring,
// socket: median and p99 over the sample, A and B), their fates, and one packet followed from
// the wire to its read or its drop: its hops are listed here and drawn on the timeline lanes that
// ran them (timeline/packetPathOverlay.ts); following moves the visible window to it.
import { Fragment, useMemo, useState } from 'react'
import type { SimResult, Trace } from '../engine/types.ts'
import { usePanelRuns } from '../state/panelFeed.ts'
import { runsOnScreen } from './runsOnScreen.ts'
import { usePlayground } from '../state/store.ts'
import type { SelectedSlice } from '../timeline/detailsStore.ts'
import { fmtInt, fmtTime } from '../timeline/format.ts'
import { guestResult } from '../timeline/guestView.ts'
import { followedIn, usePacketPath } from '../timeline/packetPathOverlay.ts'
import { breakdown, endNs, filterPackets, hopLane, isDrop, packetsInSlice, pathWindow, sampleKeys, segments, type QueueStat, type SampledPacket } from '../timeline/packetPaths.ts'

const LIST_MAX = 25
const us = (ns: number) => (Number.isFinite(ns) ? fmtTime(ns, 'µs') : '–')
const actorName = (trace: Trace, a: number) => trace.actors[a]?.name ?? `actor ${a}`

/** Follow packet `i` of run `r`: draw it and move the window to it. */
export function followPacket(r: SimResult, i: number): void {
  const paths = r.trace.paths
  const p = paths?.packets[i]
  if (!paths || !p) return
  usePacketPath.getState().follow({ paths, packet: i })
  usePlayground.getState().setView(pathWindow(p, r.trace.durationNs))
}

/** The followed packet's hops, in order, with the time in each queue between them (netdev-times). */
function PathHops({ r, p, i }: { r: SimResult; p: SampledPacket; i: number }) {
  const segs = segments(p)
  const stages = p.hops.map((h) => `${h.stage}${h.cpu >= 0 ? `@${hopLane(h)}` : ''}`).join('|')
  return (
    <ol className="pp-hops" aria-label={`Path of packet #${i}`} data-stages={stages} data-wire-ns={Math.round(p.wireNs)} data-end-ns={Math.round(endNs(p, r.trace.durationNs))}>
      <li>on the wire at {fmtTime(p.wireNs)} <span className="hint">(flow {p.flow}, rx queue {p.queue})</span></li>
      {p.hops.map((h, k) => {
        const s = segs[k]!
        return (
          <li key={k} data-stage={h.stage} className={isDrop(h) ? 'pp-drop' : undefined}>
            {isDrop(h)
              ? <>→ <b>{h.stage}</b> after {us(s.durNs)} in the {s.queue}, at {fmtTime(h.tNs)}</>
              : <>→ in {s.queue} <b>{us(s.durNs)}</b> → <b>{h.stage}</b> on {hopLane(h)} <span className="mono">({actorName(r.trace, h.actor)})</span> at {fmtTime(h.tNs)}</>}
          </li>
        )
      })}
      {p.fate === 'in flight' && <li>→ still in the {segs.length ? 'next queue' : 'NIC ring'} at the end of the run</li>}
      {p.fate === 'read' && <li>wire → read: <b>{us(endNs(p, r.trace.durationNs) - p.wireNs)}</b></li>}
    </ol>
  )
}

/** Sampled packets the clicked slice carried (in the details panel): follow one from there. */
export function SlicePackets({ sel }: { sel: SelectedSlice }) {
  const { result, pinned } = usePanelRuns()
  const found = useMemo(() => {
    for (const { r } of runsOnScreen(result, pinned)) {
      const paths = r.trace.paths
      if (!paths) continue
      const guest = guestResult(r)?.trace === sel.input
      if (!guest && r.trace !== sel.input) continue
      const s = sel.input.slices
      const hits = packetsInSlice(paths, s.cpu[sel.slice]!, guest, s.start[sel.slice]!, s.end[sel.slice]!, s.actor[sel.slice]!)
      return { r, hits }
    }
    return null
  }, [result, pinned, sel])
  if (!found) return null
  const { r, hits } = found
  const paths = r.trace.paths!
  return (
    <p className="pp-slice">
      Sampled packets in this slice (1 in {fmtInt(paths.every)}):{' '}
      {hits.length === 0 ? 'none' : hits.slice(0, 8).map(({ packet, hop }) => {
        const p = paths.packets[packet]!
        return <button key={packet} type="button" className="link" onClick={() => followPacket(r, packet)}>Follow packet #{packet} ({p.hops[hop]!.stage}, flow {p.flow}, {p.fate})</button>
      })}
    </p>
  )
}

const cell = (q: QueueStat | undefined) => q && q.count > 0 ? <><td>{us(q.p50Ns)}</td><td>{us(q.p99Ns)}</td><td>{fmtInt(q.count)}</td></> : <><td>–</td><td>–</td><td>0</td></>
const delta = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b) ? `${b - a >= 0 ? '+' : '−'}${us(Math.abs(b - a))}` : '–')

function BreakdownTable({ runs }: { runs: { label: string; r: SimResult }[] }) {
  const rows = useMemo(() => runs.map(({ label, r }) => ({
    label, r,
    b: r.trace.paths ? breakdown(r.trace.paths, r.scenario.warmupMs * 1e6, r.trace.durationNs) : null,
  })), [runs])
  const withB = rows.filter((x) => x.b)
  if (withB.length === 0) return null
  const two = withB.length === 2
  const names = withB[0]!.b!.queues.map((q) => q.queue)
  const fates = [...new Set(withB.flatMap((x) => x.b!.fates.map(([f]) => f)))]
  return (
    <>
      <table className="mt pp-breakdown" aria-label="Time in each queue">
        <thead>
          <tr>
            <th scope="col">Queue (sampled packets after the warm-up)</th>
            {withB.map(({ label }) => <Fragment key={label}><th scope="col">{two ? `${label} ` : ''}median</th><th scope="col">{two ? `${label} ` : ''}p99</th><th scope="col">{two ? `${label} ` : ''}packets</th></Fragment>)}
            {two && <><th scope="col">B − A median</th><th scope="col">B − A p99</th></>}
          </tr>
        </thead>
        <tbody>
          {[...names, 'wire → read'].map((name) => {
            const qs = withB.map(({ b }) => (name === 'wire → read' ? b!.total : b!.queues.find((q) => q.queue === name)))
            return (
              <tr key={name} data-queue={name}>
                <th scope="row">{name === 'wire → read' ? <b>wire → read</b> : `in ${name}`}</th>
                {qs.map((q, k) => <Fragment key={k}>{cell(q)}</Fragment>)}
                {two && <><td>{delta(qs[0]?.p50Ns, qs[1]?.p50Ns)}</td><td>{delta(qs[0]?.p99Ns, qs[1]?.p99Ns)}</td></>}
              </tr>
            )
          })}
          <tr className="hint">
            <th scope="row" title="summary.latency: every packet read after the warm-up, from the engine's histogram (±3.2 %)">wire → read, all packets (engine)</th>
            {withB.map(({ label, r }) => <Fragment key={label}><td>{us(r.summary.latency?.p50Ns ?? Number.NaN)}</td><td>{us(r.summary.latency?.p99Ns ?? Number.NaN)}</td><td>{r.summary.latency ? fmtInt(r.summary.latency.count) : '–'}</td></Fragment>)}
            {two && <><td>{delta(withB[0]!.r.summary.latency?.p50Ns, withB[1]!.r.summary.latency?.p50Ns)}</td><td>{delta(withB[0]!.r.summary.latency?.p99Ns, withB[1]!.r.summary.latency?.p99Ns)}</td></>}
          </tr>
        </tbody>
      </table>
      <table className="mt pp-fates" aria-label="Fate of the sampled packets">
        <thead><tr><th scope="col">Fate</th>{withB.map(({ label }) => <th key={label} scope="col">{two ? `${label} ` : ''}packets</th>)}</tr></thead>
        <tbody>
          {fates.map((f) => (
            <tr key={f} data-fate={f}>
              <th scope="row">{f}</th>
              {withB.map(({ label, b }) => {
                const n = b!.fates.find(([x]) => x === f)?.[1] ?? 0
                return <td key={label}>{fmtInt(n)} <span className="hint">({b!.packets ? Math.round((100 * n) / b!.packets) : 0} %)</span></td>
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

export function PacketPathPanel() {
  const { result, pinned } = usePanelRuns()
  const followed = usePacketPath((s) => s.followed)
  const runs = useMemo(() => runsOnScreen(result, pinned).filter(({ r }) => r.trace.paths && r.trace.paths.packets.length > 0), [result, pinned])
  const [runLabel, setRunLabel] = useState<string | null>(null)
  const [flow, setFlow] = useState('')
  const [fate, setFate] = useState('read')
  const run = runs.find((x) => x.label === runLabel) ?? runs.at(-1)
  const keys = useMemo(() => (run ? sampleKeys(run.r.trace.paths!) : { flows: [], fates: [] }), [run])
  const matches = useMemo(() => (run ? filterPackets(run.r.trace.paths!, { flow: flow === '' ? undefined : Number(flow), fate: fate === '' ? undefined : fate }) : []), [run, flow, fate])
  if (runs.length === 0) return null
  const followedRun = runs.find(({ r }) => followedIn(followed, r.trace.paths))
  const fp = followedRun ? followedIn(followed, followedRun.r.trace.paths) : null
  return (
    <section className="panel pp" aria-labelledby="pp-h">
      <h2 id="pp-h">Packet paths <span className="hint">(1 in {fmtInt(run!.r.trace.paths!.every)} packets followed from the wire, as perf's netdev-times)</span></h2>
      <BreakdownTable runs={runs} />
      <h3>Follow a packet</h3>
      <div className="pp-filters" role="group" aria-label="Filter sampled packets">
        {runs.length > 1 && (
          <label>Run <select value={run!.label} onChange={(e) => setRunLabel(e.target.value)}>{runs.map(({ label }) => <option key={label} value={label}>{label}</option>)}</select></label>
        )}
        <label>Flow <select value={flow} onChange={(e) => setFlow(e.target.value)}><option value="">all</option>{keys.flows.map((f) => <option key={f} value={f}>{f}</option>)}</select></label>
        <label>Fate <select value={fate} onChange={(e) => setFate(e.target.value)}><option value="">all</option><option value="dropped">dropped (any place)</option>{keys.fates.map((f) => <option key={f} value={f}>{f}</option>)}</select></label>
        <span className="hint">{fmtInt(matches.length)} sampled packets match{matches.length > LIST_MAX ? ` (the first ${LIST_MAX} listed)` : ''}</span>
      </div>
      {run && (
        <table className="mt pp-list" aria-label="Sampled packets">
          <thead><tr><th scope="col">Packet</th><th scope="col">flow</th><th scope="col">rx queue</th><th scope="col">on the wire at</th><th scope="col">fate</th><th scope="col">wire → last hop</th><th scope="col"><span className="sr-only">Follow</span></th></tr></thead>
          <tbody>
            {matches.slice(0, LIST_MAX).map((i) => {
              const p = run.r.trace.paths!.packets[i]!
              const on = followed !== null && followed.paths === run.r.trace.paths && followed.packet === i
              return (
                <tr key={i} aria-current={on ? 'true' : undefined}>
                  <th scope="row">#{i}</th><td>{p.flow}</td><td>{p.queue}</td><td>{fmtTime(p.wireNs)}</td><td>{p.fate}</td>
                  <td>{p.hops.length ? us((p.hops.at(-1)!.tNs) - p.wireNs) : '–'}</td>
                  <td><button type="button" className="link" onClick={() => followPacket(run.r, i)} aria-pressed={on}>Follow #{i}</button></td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      {fp && followedRun && followed && (
        <div className="pp-followed" aria-live="polite">
          <h3>
            Packet #{followed.packet}{runs.length > 1 ? ` (${followedRun.label})` : ''}: {fp.fate}
            <button type="button" className="link" onClick={() => usePlayground.getState().setView(pathWindow(fp, followedRun.r.trace.durationNs))}>Show on timeline</button>
            <button type="button" className="link" onClick={() => usePacketPath.getState().follow(null)}>Stop following</button>
          </h3>
          <PathHops r={followedRun.r} p={fp} i={followed.packet} />
          <p className="hint">Drawn on the timeline in magenta: a dot per hop on the lane that ran it (host CPUs above, guest vCPUs below), the slice that carried it outlined, arrows labelled with the time in each queue.</p>
        </div>
      )}
    </section>
  )
}
