// Store-level edit helpers for components: validate through scenarioEdit, then commit.
import type { IrqOverride } from '../engine/scenario.ts'
import { setField, setIrqOverride, validate, type EditResult } from '../state/scenarioEdit.ts'
import { usePlayground } from '../state/store.ts'
import type { Scenario, ScenarioInput } from '../engine/scenario.ts'

export function commit(r: EditResult): string | null {
  if (!r.ok) return r.error
  usePlayground.getState().setScenario(r.scenario)
  return null
}

export const editField = (path: string, value: unknown): string | null => commit(setField(usePlayground.getState().scenario, path, value))

export const editIrq = (queue: number, patch: Partial<Omit<IrqOverride, 'queue'>>): string | null =>
  commit(setIrqOverride(usePlayground.getState().scenario, queue, patch))

export const editScenario = (fn: (s: Scenario) => void): string | null => {
  const next = structuredClone(usePlayground.getState().scenario)
  fn(next)
  return commit(validate(next))
}

export const loadScenario = (input: ScenarioInput): string | null => commit(validate(input))
