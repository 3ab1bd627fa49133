// One TraceIndex per trace, built lazily and shared by the canvas, tooltips, stats and exports.
import type { SliceColumns, Trace } from '../engine/types.ts'
import { buildIndex, type TraceIndex } from './model.ts'

const cache = new WeakMap<Trace, TraceIndex>()
/** indexes built elsewhere for traces the page derives itself (the guest lanes' trace shares its slices) */
const bySlices = new WeakMap<SliceColumns, TraceIndex>()
export function indexFor(trace: Trace): TraceIndex {
  let ix = cache.get(trace)
  if (!ix) { ix = bySlices.get(trace.slices) ?? buildIndex(trace); cache.set(trace, ix) }
  return ix
}

/** Seed the cache with an index built elsewhere (the workers build it off the main thread). */
export function primeIndex(trace: Trace, ix: TraceIndex): void {
  cache.set(trace, ix)
}

/** Seed the index of any trace over these slices (the guest view's trace, made on the page from `trace.guest`). */
export function primeSlicesIndex(slices: SliceColumns, ix: TraceIndex): void {
  bySlices.set(slices, ix)
}
