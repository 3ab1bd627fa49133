// The runs on screen, labelled as the panels name them: A (pinned) before B, or one run alone.
import type { SimResult } from '../engine/types.ts'

export interface RunOnScreen {
  label: string
  r: SimResult
}

/** A then B when a run is pinned; else the one run, labelled `alone` ('current' on screen, 'run' in exports). */
export function runsOnScreen(result: SimResult | null, pinned: SimResult | null, alone = 'current'): RunOnScreen[] {
  return [...(pinned ? [{ label: 'A', r: pinned }] : []), ...(result ? [{ label: pinned ? 'B' : alone, r: result }] : [])]
}
