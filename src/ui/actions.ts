// Store-level edit helpers for components: validate through scenarioEdit, then commit.
import type { IrqOverride } from '../engine/scenario.ts'
import { setField, setIrqOverride, validate, type EditResult } from '../state/scenarioEdit.ts'
import { flushRun } from '../state/runner.ts'
import { usePlayground } from '../state/store.ts'
import type { Scenario, ScenarioInput } from '../engine/scenario.ts'

/** Apply a validated edit. Discrete edits (buttons, switches, selects) run at once; slider drags pass immediate = false and are debounced. */
export function commit(r: EditResult, immediate = true, keepParked = true): string | null {
  if (!r.ok) return r.error
  usePlayground.getState().setScenario(r.scenario, { switches: r.parked, writes: r.parkedWrites }, keepParked)
  if (immediate) flushRun()
  return null
}

export const editField = (path: string, value: unknown, immediate = true): string | null =>
  commit(setField(usePlayground.getState().scenario, path, value), immediate)

export const editIrq = (queue: number, patch: Partial<Omit<IrqOverride, 'queue'>>): string | null =>
  commit(setIrqOverride(usePlayground.getState().scenario, queue, patch))

export const editScenario = (fn: (s: Scenario) => void): string | null => {
  const next = structuredClone(usePlayground.getState().scenario)
  fn(next)
  return commit(validate(next))
}

/** A whole new scenario (a preset): writes parked for the previous one do not carry over. */
export const loadScenario = (input: ScenarioInput): string | null => commit(validate(input), true, false)
