// Lists the ArrayBuffers inside a result so that postMessage can transfer them instead of copying.
// A walk over the whole object (not a hand-kept list of fields): a typed array added to the result
// later (the guest's lanes were missed once, ~50 MB copied per snapshot of a long run) is moved too.
import type { SimResult } from '../engine/index.ts'

/** Every ArrayBuffer reachable from `value` through plain objects, arrays and maps (each once). */
export function transferablesIn(value: unknown): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>()
  const seen = new Set<object>()
  const stack: unknown[] = [value]
  while (stack.length) {
    const v = stack.pop()
    if (v === null || typeof v !== 'object' || seen.has(v)) continue
    seen.add(v)
    if (ArrayBuffer.isView(v)) { if (v.buffer instanceof ArrayBuffer) out.add(v.buffer); continue }
    if (v instanceof ArrayBuffer) { out.add(v); continue }
    if (v instanceof Map) { for (const [k, x] of v) stack.push(k, x); continue }
    if (Array.isArray(v)) { for (const x of v) if (x !== null && typeof x === 'object') stack.push(x); continue }
    for (const k in v) {
      const x = (v as Record<string, unknown>)[k]
      if (x !== null && typeof x === 'object') stack.push(x)
    }
  }
  return [...out]
}

export function transferablesOf(r: SimResult): ArrayBuffer[] {
  return transferablesIn(r)
}
