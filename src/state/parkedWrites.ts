// Knob writes (scenario.writes) that an edit moved out of the scenario because they no longer apply
// (after the end of the run, a queue or thread that is gone, an era without the knob, the guest
// consumer): kept here, flagged in the list, and put back by the next edit they fit. Like the store's
// `parked` for /proc/irq writes, but page state only: a link or a history entry carries the scenario
// as it was, so a scenario from there (or from a story step, an experiment cell) drops this list.
import { create } from 'zustand'
import type { KnobWrite, ModeSwitch, Scenario } from '../engine/scenario.ts'
import { mergeParkedWrites } from './scenarioEdit.ts'
import { usePlayground } from './store.ts'

export const useParkedWrites = create<{ parked: KnobWrite[] }>()(() => ({ parked: [] }))

let committing = false

/**
 * Accept an edited scenario: knob writes that apply come back from the parked list, those that do
 * not go to it; `keepParked` = false (a preset) starts a new list.
 */
export function acceptScenario(s: Scenario, parkedSwitches: ModeSwitch[] | undefined, parkedWrites: KnobWrite[] | undefined, keepParked: boolean): void {
  const m = mergeParkedWrites(s, [...(keepParked ? useParkedWrites.getState().parked : []), ...(parkedWrites ?? [])])
  committing = true
  try {
    usePlayground.getState().setScenario(m.scenario, parkedSwitches, keepParked)
  } finally {
    committing = false
  }
  useParkedWrites.setState({ parked: m.parked })
}

export function removeParkedWrite(i: number): void {
  useParkedWrites.setState({ parked: useParkedWrites.getState().parked.filter((_, j) => j !== i) })
}

usePlayground.subscribe((st, prev) => {
  if (!committing && st.scenario !== prev.scenario && useParkedWrites.getState().parked.length) useParkedWrites.setState({ parked: [] })
})
