// The one store of the playground. Components read slices of it with selectors; the runner and
// the URL sync subscribe to `scenario`. Time in the view state is ns of simulated time.
import { create } from 'zustand'
import { defaultScenario, type Scenario } from '../engine/scenario.ts'
import type { SimResult } from '../engine/types.ts'

export type RunStatus = 'idle' | 'queued' | 'running' | 'done' | 'error'

export interface TimeRange {
  startNs: number
  endNs: number
}

export interface Banner {
  kind: 'error' | 'info'
  text: string
}

export interface PlaygroundState {
  scenario: Scenario
  /** increments on every accepted scenario change; the runner keys runs by it */
  scenarioRev: number
  result: SimResult | null
  /** scenarioRev the current result was computed for */
  resultRev: number
  status: RunStatus
  progress: number
  runError: string | null
  /** pinned run for compare (A); the live result is B */
  pinned: SimResult | null
  /** visible window; null = whole run */
  view: TimeRange | null
  selection: TimeRange | null
  showWakeups: boolean
  showThreadLanes: boolean
  banner: Banner | null

  setScenario: (s: Scenario) => void
  setRunState: (p: Partial<Pick<PlaygroundState, 'status' | 'progress' | 'runError'>>) => void
  setResult: (r: SimResult, rev: number) => void
  setView: (v: TimeRange | null) => void
  setSelection: (r: TimeRange | null) => void
  pin: () => void
  unpin: () => void
  setShowWakeups: (b: boolean) => void
  setShowThreadLanes: (b: boolean) => void
  setBanner: (b: Banner | null) => void
}

export const usePlayground = create<PlaygroundState>()((set, get) => ({
  scenario: defaultScenario(),
  scenarioRev: 0,
  result: null,
  resultRev: -1,
  status: 'idle',
  progress: 0,
  runError: null,
  pinned: null,
  view: null,
  selection: null,
  showWakeups: true,
  showThreadLanes: false,
  banner: null,

  setScenario: (s) => set({ scenario: s, scenarioRev: get().scenarioRev + 1 }),
  setRunState: (p) => set(p),
  setResult: (r, rev) => {
    const prev = get().result
    // Keep the visible window when the run length is unchanged: comparing before/after is the point.
    const keepView = prev !== null && prev.trace.durationNs === r.trace.durationNs
    set({
      result: r,
      resultRev: rev,
      status: 'done',
      progress: 1,
      runError: null,
      view: keepView ? get().view : null,
      selection: keepView ? get().selection : null,
    })
  },
  setView: (v) => set({ view: v }),
  setSelection: (r) => set({ selection: r }),
  pin: () => {
    const r = get().result
    if (r) set({ pinned: r })
  },
  unpin: () => set({ pinned: null }),
  setShowWakeups: (b) => set({ showWakeups: b }),
  setShowThreadLanes: (b) => set({ showThreadLanes: b }),
  setBanner: (b) => set({ banner: b }),
}))

/** Longest run on screen: the shared time axis of A and B spans both. */
export function timeExtentNs(s: Pick<PlaygroundState, 'result' | 'pinned' | 'scenario'>): number {
  const a = s.pinned?.trace.durationNs ?? 0
  const b = s.result?.trace.durationNs ?? s.scenario.durationMs * 1e6
  return Math.max(a, b, 1)
}
