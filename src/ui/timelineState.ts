// The app store's part of a timeline's inputs: the shared visible window, selection, toggles and the
// scenario's scheduled switches, with the setters. The timeline itself (src/timeline) does not
// import the store; its hosts (TimelinePanel, GuestLanes) pass these in.
import { useMemo } from 'react'
import type { KnobWrite, ModeSwitch } from '../engine/scenario.ts'
import { timeExtentNs, usePlayground } from '../state/store.ts'
import type { TimelineProps } from '../timeline/Timeline.tsx'

export type TimelineState = Pick<TimelineProps, 'view' | 'extent' | 'selection' | 'showWakeups' | 'threadLanes' | 'switches' | 'writes' | 'onView' | 'onSelection'>

const onView: TimelineProps['onView'] = (v) => usePlayground.getState().setView(v)
const onSelection: TimelineProps['onSelection'] = (r) => usePlayground.getState().setSelection(r)

export function useTimelineState(): TimelineState {
  const view = usePlayground((s) => s.view)
  const extent = usePlayground(timeExtentNs)
  const selection = usePlayground((s) => s.selection)
  const showWakeups = usePlayground((s) => s.showWakeups)
  const threadLanes = usePlayground((s) => s.showThreadLanes)
  // by value: every scenario edit clones the arrays, and only a real change should redraw
  const switchesKey = usePlayground((s) => JSON.stringify(s.scenario.rx.switches))
  const switches = useMemo(() => JSON.parse(switchesKey) as ModeSwitch[], [switchesKey])
  const writesKey = usePlayground((s) => JSON.stringify(s.scenario.writes))
  const writes = useMemo(() => JSON.parse(writesKey) as KnobWrite[], [writesKey])
  return { view, extent, selection, showWakeups, threadLanes, switches, writes, onView, onSelection }
}
