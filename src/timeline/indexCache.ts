// One TraceIndex per trace, built lazily and shared by the canvas, tooltips, stats and exports.
import type { Trace } from '../engine/types.ts'
import { buildIndex, type TraceIndex } from './model.ts'

const cache = new WeakMap<Trace, TraceIndex>()
export function indexFor(trace: Trace): TraceIndex {
  let ix = cache.get(trace)
  if (!ix) { ix = buildIndex(trace); cache.set(trace, ix) }
  return ix
}

/** Seed the cache with an index built elsewhere (the trace import worker builds it off the main thread). */
export function primeIndex(trace: Trace, ix: TraceIndex): void {
  cache.set(trace, ix)
}
