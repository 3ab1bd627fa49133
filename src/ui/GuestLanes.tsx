// "Guest vCPUs": the guest kernel's own CPU lanes under a run's host lanes (its softirq, ksoftirqd,
// netperf readers per vCPU), on the same time axis. The host's "CPU n/KVM" lanes say when a vCPU
// ran; these say what the guest did with it.
import type { SimResult } from '../engine/types.ts'
import { guestResult } from '../timeline/guestView.ts'
import { followedOf, pathOverlayFor, usePacketPath } from '../timeline/packetPathOverlay.ts'
import { Timeline } from '../timeline/Timeline.tsx'
import { useTimelineState } from './timelineState.ts'

export function GuestLanes({ result, label, selectMode, compact }: { result: SimResult; label: string; selectMode: boolean; compact: boolean }) {
  const tlState = useTimelineState()
  const followed = usePacketPath((s) => s.followed)
  const g = guestResult(result)
  if (!g) return null
  const u = result.summary.guestCpu
  return (
    // compare view: folded, so A's and B's host lanes stay on one screen
    <details className="tl-guest" open={!compact} role="group" aria-label={`Guest vCPUs ${label}`}>
      <summary className="tl-run-h tl-guest-h">
        Guest vCPUs{label !== 'current' ? ` (${label})` : ''}: the guest kernel's own CPUs
        {u && <span className="hint"> · {u.map((c) => `vCPU ${c.cpu}: softirq ${c.softirq.toFixed(0)} %, sys ${c.sys.toFixed(0)} %, usr ${c.usr.toFixed(0)} %, idle ${c.idle.toFixed(0)} %`).join(' · ')}</span>}
      </summary>
      <Timeline result={g} label={`guest ${label}`} selectMode={selectMode} showScheduled={false} compact={compact} counters={false} wrapClass="tl-g" pathOverlay={pathOverlayFor(g.trace.slices, followedOf(followed, result.trace), 'guest')} {...tlState} />
    </details>
  )
}
