// Lists the ArrayBuffers inside a result so that postMessage can transfer them instead of copying.
import type { SimResult } from '../engine/index.ts'

export function transferablesOf(r: SimResult): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>()
  const add = (a: ArrayBufferView) => out.add(a.buffer as ArrayBuffer)
  const s = r.trace.slices
  ;[s.start, s.end, s.cpu, s.kind, s.actor, s.packets, s.reason].forEach(add)
  for (const c of r.trace.counters) { add(c.t); add(c.v) }
  const w = r.trace.events.wakeups
  ;[w.t, w.fromCpu, w.toCpu, w.waker, w.wakee].forEach(add)
  const m = r.trace.events.migrations
  ;[m.t, m.fromCpu, m.toCpu, m.actor].forEach(add)
  const busy = r.trace.busy
  if (busy) { add(busy.cpu); add(busy.actor) }
  return [...out]
}
