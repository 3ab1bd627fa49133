// The clicked slice (details panel, flow arrows). Kept apart from the app store: it is view state
// of the timeline, reset when the run it points into goes away.
import { create } from 'zustand'
import type { StateInput } from './threadStates.ts'

export interface SelectedSlice {
  /** which canvas: 'A', 'B', 'current', or 'guest A' … */
  label: string
  /** the slice columns it indexes (a new result invalidates it) */
  input: StateInput
  slice: number
}

export const useDetails = create<{ selected: SelectedSlice | null; select: (s: SelectedSlice | null) => void }>()((set) => ({
  selected: null,
  select: (selected) => set({ selected }),
}))
