// The one store of the playground. Components read slices of it with selectors; the runner and
// the URL sync subscribe to `scenario`. Time in the view state is ns of simulated time.
import { create } from 'zustand'
import { defaultScenario, type KnobWrite, type ModeSwitch, type Scenario } from '../engine/scenario.ts'
import type { SimResult } from '../engine/types.ts'
import { mergeParked, mergeParkedWrites } from './scenarioEdit.ts'

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
  /** 'worker' = the worker failed (Retry helps), 'scenario' = the engine rejected the input */
  runErrorKind: 'worker' | 'scenario' | null
  /** pinned run for compare (A); the live result is B */
  pinned: SimResult | null
  /** A's scenario: set with `pinned`, or alone when A comes from a link (the runner computes it) */
  pinnedScenario: Scenario | null
  /** scheduled /proc/irq writes that fall after the end of the run (or on a missing queue): kept, not applied */
  parked: ModeSwitch[]
  /** knob writes (scenario.writes) an edit made inapplicable (see knobWriteProblem): kept, not applied */
  parkedWrites: KnobWrite[]
  /** keep view and selection when the next result arrives (they came from a link or history) */
  restoreView: boolean
  /** visible window; null = whole run */
  view: TimeRange | null
  selection: TimeRange | null
  showWakeups: boolean
  showThreadLanes: boolean
  /** counter tracks (rings, queues, sockets, drops) under the lanes */
  showCounters: boolean
  /** the guided story's current step (0-based, src/story/story.ts); null = closed */
  story: number | null
  banner: Banner | null

  /**
   * Accept a scenario. `add`: writes an edit moved out of it (both kinds); writes that apply come back
   * from the parked lists, those that do not go to them. `keepParked` = false starts new lists (a preset).
   */
  setScenario: (s: Scenario, add?: ParkedWrites, keepParked?: boolean) => void
  setRunState: (p: Partial<Pick<PlaygroundState, 'status' | 'progress' | 'runError' | 'runErrorKind'>>) => void
  setResult: (r: SimResult, rev: number) => void
  setView: (v: TimeRange | null) => void
  setSelection: (r: TimeRange | null) => void
  pin: () => void
  unpin: () => void
  setPinnedResult: (r: SimResult) => void
  removeParked: (i: number) => void
  removeParkedWrite: (i: number) => void
  /** Put a whole saved state on screen (a link, Back/Forward). */
  applyState: (st: SavedState) => void
  setShowWakeups: (b: boolean) => void
  setShowThreadLanes: (b: boolean) => void
  setShowCounters: (b: boolean) => void
  setStory: (i: number | null) => void
  setBanner: (b: Banner | null) => void
}

/** What a link or a history entry holds besides the results. */
export interface SavedState {
  scenario: Scenario
  pinnedScenario: Scenario | null
  view: TimeRange | null
  selection: TimeRange | null
  showThreadLanes: boolean
  showWakeups: boolean
  showCounters: boolean
  parked: ModeSwitch[]
  parkedWrites: KnobWrite[]
  story: number | null
}

/** Writes an edit moved out of the scenario: /proc/irq switches and knob writes. */
export interface ParkedWrites {
  switches?: readonly ModeSwitch[]
  writes?: readonly KnobWrite[]
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

export const usePlayground = create<PlaygroundState>()((set, get) => ({
  scenario: defaultScenario(),
  scenarioRev: 0,
  result: null,
  resultRev: -1,
  status: 'idle',
  progress: 0,
  runError: null,
  runErrorKind: null,
  pinned: null,
  pinnedScenario: null,
  parked: [],
  parkedWrites: [],
  restoreView: false,
  view: null,
  selection: null,
  showWakeups: true,
  showThreadLanes: false,
  showCounters: true,
  story: null,
  banner: null,

  setScenario: (s, add = {}, keepParked = true) => {
    const cur = get()
    const m = mergeParked(s, [...(keepParked ? cur.parked : []), ...(add.switches ?? [])])
    const w = mergeParkedWrites(m.scenario, [...(keepParked ? cur.parkedWrites : []), ...(add.writes ?? [])])
    set({ scenario: w.scenario, parked: m.parked, parkedWrites: w.parked, scenarioRev: cur.scenarioRev + 1 })
  },
  setRunState: (p) => set(p),
  setResult: (r, rev) => {
    const prev = get().result
    // Keep the visible window when the run length is unchanged: comparing before/after is the point.
    // (the first result keeps a view that came with the page's link)
    const keepView = get().restoreView || prev === null || prev.trace.durationNs === r.trace.durationNs
    set({
      result: r,
      resultRev: rev,
      status: 'done',
      progress: 1,
      runError: null,
      runErrorKind: null,
      restoreView: false,
      view: keepView ? get().view : null,
      selection: keepView ? get().selection : null,
    })
  },
  setView: (v) => set({ view: v }),
  setSelection: (r) => set({ selection: r }),
  pin: () => {
    const r = get().result
    if (r) set({ pinned: r, pinnedScenario: r.scenario })
  },
  unpin: () => set({ pinned: null, pinnedScenario: null }),
  setPinnedResult: (r) => set({ pinned: r }),
  removeParked: (i) => set({ parked: get().parked.filter((_, j) => j !== i) }),
  removeParkedWrite: (i) => set({ parkedWrites: get().parkedWrites.filter((_, j) => j !== i) }),
  applyState: (st) => {
    const cur = get()
    const scenarioChanged = !same(cur.scenario, st.scenario)
    const pinChanged = !same(cur.pinnedScenario, st.pinnedScenario)
    set({
      ...(scenarioChanged ? { scenario: st.scenario, scenarioRev: cur.scenarioRev + 1, restoreView: true } : {}),
      ...(pinChanged ? { pinnedScenario: st.pinnedScenario, pinned: null } : {}),
      parked: st.parked,
      parkedWrites: st.parkedWrites,
      view: st.view,
      selection: st.selection,
      showThreadLanes: st.showThreadLanes,
      showWakeups: st.showWakeups,
      showCounters: st.showCounters,
      story: st.story,
    })
  },
  setShowWakeups: (b) => set({ showWakeups: b }),
  setShowThreadLanes: (b) => set({ showThreadLanes: b }),
  setShowCounters: (b) => set({ showCounters: b }),
  setStory: (i) => set({ story: i }),
  setBanner: (b) => set({ banner: b }),
}))

/** Longest run on screen: the shared time axis of A and B spans both. */
export function timeExtentNs(s: Pick<PlaygroundState, 'result' | 'pinned' | 'scenario'>): number {
  const a = s.pinned?.trace.durationNs ?? 0
  const b = s.result?.trace.durationNs ?? s.scenario.durationMs * 1e6
  return Math.max(a, b, 1)
}
