// Legend entries for the marks drawn over the lanes: thread states, wakeups, flows, migrations.
import { THREAD_STATE_COLORS, THREAD_STATE_NAMES } from '../timeline/threadStates.ts'
import { FLOW_COLOR } from '../timeline/overlays.ts'

const STATE_HELP = [
  'Running: the thread runs on a CPU (band at the bottom of its thread lane)',
  'Runnable: on a run queue, waiting for a CPU (woken, or preempted); pale over the lane where it did not run at all',
  'Interrupted: still the current task, but its CPU runs hard IRQ / softirq work (not counted in sched_info.run_delay)',
]

export function MarkLegendItems() {
  return (
    <>
      {STATE_HELP.map((title, k) => <li key={k} title={title}><i style={{ background: THREAD_STATE_COLORS[k] }} />{THREAD_STATE_NAMES[k]}</li>)}
      <li title="Wakeup: a vertical line from the waker's CPU to the CPU the wakee was placed on (a dot: same CPU); hover for who woke whom"><i className="sw-wakeup" />wakeup</li>
      <li title="Click a slice: arrows from the slice that woke it, and to the slices it woke (flows)"><i style={{ background: FLOW_COLOR }} />flow (clicked slice)</li>
      <li title="Migration: a diamond where the thread landed, labelled thread from→to CPU"><i className="sw-migration" />migration</li>
    </>
  )
}
