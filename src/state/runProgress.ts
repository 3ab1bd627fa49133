// What the page knows about the run in flight, beside the main store: when it started, how far it
// is, an estimate of the time left, whether the result on screen is a snapshot of it (a long run
// streams snapshots), and whether it was cancelled. Read by the run status in the header.
import { create } from 'zustand'

export interface RunProgress {
  /** performance.now() when the run started; 0 = no run in flight */
  startedAt: number
  fraction: number
  /** estimated wall time left, ms (null until the estimate means something) */
  etaMs: number | null
  /** the result on screen is a snapshot of the run in flight, simulated up to this time (ns) */
  partialNs: number | null
  /** the user cancelled the last run at this fraction */
  cancelledAt: number | null
}

export const useRunProgress = create<RunProgress>()(() => ({ startedAt: 0, fraction: 0, etaMs: null, partialNs: null, cancelledAt: null }))

/** Time left from the rate so far (after 300 ms and 2 % done, so the first noisy chunks do not count). */
export function estimateEta(startedAt: number, now: number, fraction: number): number | null {
  const elapsed = now - startedAt
  if (elapsed < 300 || fraction < 0.02 || fraction >= 1) return null
  return (elapsed * (1 - fraction)) / fraction
}
