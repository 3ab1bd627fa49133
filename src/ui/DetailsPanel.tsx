// Details of the clicked slice (Perfetto's details panel): who woke it and from which slice, how
// long it waited to run, why it ended and who took the CPU, whom it woke.
import type { Trace } from '../engine/types.ts'
import { useDetails } from '../timeline/detailsStore.ts'
import { fmtTime } from '../timeline/format.ts'
import { indexFor } from '../timeline/indexCache.ts'
import { sliceDetails, type Flow } from '../timeline/sliceDetails.ts'
import { usePlayground } from '../state/store.ts'
import { SlicePackets } from './PacketPathPanel.tsx'

export function DetailsPanel({ traces }: { traces: readonly Trace[] }) {
  const sel = useDetails((s) => s.selected)
  if (!sel || !traces.includes(sel.input as Trace)) return null
  const trace = sel.input as Trace
  const d = sliceDetails(trace, indexFor(trace), sel.slice)
  const name = (a: number) => trace.actors[a]?.name ?? `actor ${a}`
  const s = trace.slices
  const cpuName = sel.label.startsWith('guest') ? 'vCPU' : 'CPU'
  const where = (i: number) => (i >= 0 ? `${s.kind[i] !== undefined ? name(s.actor[i]!) : ''} on ${cpuName} ${s.cpu[i]} (${fmtTime(s.start[i]!)} – ${fmtTime(s.end[i]!)})` : 'not stored')
  const goTo = (t0: number, t1: number) => { const pad = Math.max((t1 - t0) * 2, 20e3); usePlayground.getState().setView({ startNs: t0 - pad, endNs: t1 + pad }) }
  const flow = (f: Flow, dir: 'from' | 'to') => (
    <>
      {dir === 'from' ? <>by <b className="mono">{name(f.waker)}</b> on {cpuName} {f.fromCpu}, in slice {where(f.wakerSlice)}, at {fmtTime(f.t)}; placed on {cpuName} {f.toCpu}</>
        : <><b className="mono">{name(f.wakee)}</b> at {fmtTime(f.t)}, placed on {cpuName} {f.toCpu}; it ran {f.wakeeSlice >= 0 ? <>after {fmtTime(s.start[f.wakeeSlice]! - f.t)} on {cpuName} {s.cpu[f.wakeeSlice]}</> : 'not in the trace'}</>}
    </>
  )
  return (
    <section className="panel details" aria-labelledby="details-h">
      <h2 id="details-h">
        Slice details <span className="hint">({sel.label})</span>
        <button type="button" className="link" onClick={() => goTo(d.start, d.end)}>Show on timeline</button>
        <button type="button" className="link" onClick={() => useDetails.getState().select(null)}>Close</button>
      </h2>
      <table className="mt" aria-label="Slice details">
        <tbody>
          <tr><th scope="row">slice</th><td className="mono">{d.title}</td></tr>
          <tr><th scope="row">{cpuName}</th><td>{d.cpu}</td></tr>
          <tr><th scope="row">start · duration</th><td>{fmtTime(d.start)} · {fmtTime(d.end - d.start)}</td></tr>
          <tr><th scope="row">packets</th><td>{d.packets}</td></tr>
          <tr><th scope="row">woken</th><td>{d.wokenBy ? flow(d.wokenBy, 'from') : d.waitedNs === null ? 'not a task slice (interrupt context)' : d.waitedNs > 0 ? 'was not asleep (preempted or interrupted before)' : 'was not asleep: it kept running (a later chunk of one run)'}</td></tr>
          <tr><th scope="row">waited to run</th><td>{d.waitedNs === null ? '—' : <>{fmtTime(d.waitedNs)} <span className="hint">(runnable, on a run queue: {fmtTime(d.runnableNs)}; interrupted by hard IRQ / softirq on its CPU: {fmtTime(d.interruptedNs)})</span></>}</td></tr>
          <tr><th scope="row">ended by</th><td>{d.endReason}{d.next && <> — then <b className="mono">{name(d.next.actor)}</b> ({d.next.kind}) ran on {cpuName} {d.cpu}</>}</td></tr>
          <tr><th scope="row">woke</th><td>{d.woke.length === 0 ? 'nobody' : <ul className="plain">{d.woke.map((f, k) => <li key={k}>{flow(f, 'to')}</li>)}</ul>}</td></tr>
        </tbody>
      </table>
      <SlicePackets sel={sel} />
      <p className="hint">Blue arrows on the timeline: from the waker's slice to the wakee's next slice (flows, as in Perfetto).</p>
    </section>
  )
}
