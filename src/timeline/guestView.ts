// The guest kernel's own CPU lanes (trace.guest) as a trace the timeline can draw: its slices and
// events with the shared actors, lanes labelled "vCPU n". One object per result (WeakMap), so the
// timeline index, thread states and details cache on it like on the host trace.
import type { SimResult, Trace } from '../engine/types.ts'
import { indexFor } from './indexCache.ts'

const cache = new WeakMap<SimResult, SimResult | null>()

export function guestResult(r: SimResult): SimResult | null {
  let g = cache.get(r)
  if (g !== undefined) return g
  const gt = r.trace.guest
  if (!gt || gt.cpus <= 0) g = null
  else {
    const trace: Trace = {
      cpus: gt.cpus, durationNs: r.trace.durationNs, actors: r.trace.actors, slices: gt.slices,
      droppedSlices: gt.droppedSlices, counters: [], events: gt.events, ...(gt.busy ? { busy: gt.busy } : {}),
    }
    g = { ...r, trace }
    const ix = indexFor(trace)
    for (const l of ix.cpuLanes) l.label = `vCPU ${l.id}`
  }
  cache.set(r, g)
  return g
}
