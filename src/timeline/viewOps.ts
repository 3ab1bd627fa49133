// Pure operations on the visible window [t0, t1] (ns), clamped to [0, extent].
export interface Window { t0: number; t1: number }
export const MIN_SPAN_NS = 50

export function clampWindow(w: Window, extent: number): Window {
  let span = Math.min(Math.max(w.t1 - w.t0, MIN_SPAN_NS), extent)
  if (!Number.isFinite(span) || span <= 0) span = extent
  let t0 = Math.max(0, Math.min(w.t0, extent - span))
  if (!Number.isFinite(t0)) t0 = 0
  return { t0, t1: t0 + span }
}

/** Zoom by `factor` (<1 = in) keeping `anchor` (ns) at the same screen position. */
export function zoomAt(w: Window, extent: number, factor: number, anchor: number): Window {
  const f = Math.max(1e-6, factor)
  return clampWindow({ t0: anchor - (anchor - w.t0) * f, t1: anchor + (w.t1 - anchor) * f }, extent)
}

export function panBy(w: Window, extent: number, deltaNs: number): Window {
  return clampWindow({ t0: w.t0 + deltaNs, t1: w.t1 + deltaNs }, extent)
}
