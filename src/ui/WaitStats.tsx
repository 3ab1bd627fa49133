// Selection statistics: how long each thread waited for a CPU in the range, and who held it
// (SchedViz's antagonists; the kernel's sched_info.run_delay is the "runnable" column).
import type { TaskStats, Trace } from '../engine/types.ts'
import { fmtTime, unitFor } from '../timeline/format.ts'
import { indexFor } from '../timeline/indexCache.ts'
import { holderName, threadStatesFor, waitReport, type WaitReport } from '../timeline/threadStates.ts'

export function waitReports(trace: Trace, t0: number, t1: number): WaitReport[] {
  const index = indexFor(trace)
  const states = threadStatesFor(trace, index)
  const out: WaitReport[] = []
  for (const sp of states.byActor.values()) {
    const w = waitReport(sp, trace.slices, index, t0, t1)
    if (w.runnableNs + w.interruptedNs > 0) out.push(w)
  }
  // oxlint-disable-next-line unicorn/no-array-sort -- a fresh array
  return out.sort((a, b) => b.runnableNs + b.interruptedNs - (a.runnableNs + a.interruptedNs))
}

/** "CPU 1/KVM waited 23 ms for CPU 7, held by ksoftirqd/7 (12 ms), vhost-4242 (5 ms)" */
export function waitSentence(trace: Trace, w: WaitReport, cpuName = 'CPU'): string {
  const held = w.heldBy.slice(0, 3).map((h) => `${holderName(trace.actors, h)} (${fmtTime(h[1])})`).join(', ')
  return `${trace.actors[w.actor]?.name ?? w.actor} waited ${fmtTime(w.runnableNs + w.interruptedNs)} for ${cpuName} ${w.cpu}${held ? `, held by ${held}` : ''}`
}

export function WaitStats({ trace, label, t0, t1, cpuName = 'CPU', tasks }: { trace: Trace; label: string; t0: number; t1: number; cpuName?: string; tasks?: readonly TaskStats[] }) {
  const rows = waitReports(trace, t0, t1).slice(0, 10)
  if (!rows.length) return null
  const u = unitFor(t1 - t0)
  return (
    <>
      <p className="wait-top" data-testid={`wait-top-${label}`}>{waitSentence(trace, rows[0]!, cpuName)}.</p>
      <table className="mt" aria-label={`Waiting for a CPU ${label}`}>
        <thead><tr>
          <th scope="col">Waiting for a CPU</th>
          <th scope="col" title="on a run queue, runnable (the kernel's sched_info.run_delay)">runnable</th>
          <th scope="col" title="still current, but its CPU ran hard IRQ / softirq work (not in run_delay)">interrupted</th>
          <th scope="col">{cpuName}</th>
          <th scope="col">held by</th>
        </tr></thead>
        <tbody>{rows.map((w) => (
          <tr key={w.actor} data-runnable-ns={Math.round(w.runnableNs)} data-run-delay-ns={tasks?.find((k) => k.actor === w.actor)?.runDelayNs ?? ''}
            title={`whole run, the engine's sched_info.run_delay: ${fmtTime(tasks?.find((k) => k.actor === w.actor)?.runDelayNs ?? NaN)}`}>
            <th scope="row" className="mono">{trace.actors[w.actor]?.name ?? w.actor}</th>
            <td>{fmtTime(w.runnableNs, u)}</td><td>{fmtTime(w.interruptedNs, u)}</td><td>{w.cpu}</td>
            <td className="mono">{w.heldBy.slice(0, 2).map((h) => `${holderName(trace.actors, h)} ${fmtTime(h[1], u)}`).join(', ')}</td>
          </tr>
        ))}</tbody>
      </table>
    </>
  )
}
