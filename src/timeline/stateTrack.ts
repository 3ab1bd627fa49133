// Per-column thread states for the thread-state band of a thread lane (drawn by tracks.ts
// `ThreadStateTrack`): ns per state per css pixel column, and the state a column shows.
import { lowerSpan, type StateSpans } from './threadStates.ts'

/** Per column: ns per state (column-major, 4 per column). Exported for tests. */
export function stateColumns(sp: StateSpans, t0: number, t1: number, cols: number, out?: Float64Array): Float64Array {
  const acc = out && out.length >= cols * 4 ? out : new Float64Array(cols * 4)
  acc.fill(0, 0, cols * 4)
  const per = (t1 - t0) / cols
  for (let j = lowerSpan(sp, t0); j < sp.count; j++) {
    const a = Math.max(sp.start[j]!, t0)
    if (sp.start[j]! >= t1) break
    const z = Math.min(sp.end[j]!, t1)
    if (z <= a) continue
    const st = sp.state[j]!
    let c = Math.floor((a - t0) / per)
    let t = a
    while (t < z && c < cols) {
      const ce = Math.min(z, t0 + (c + 1) * per)
      acc[c * 4 + st]! += ce - t
      t = ce
      c++
    }
  }
  return acc
}

/** The state drawn in a column: the largest non-sleeping one, or -1 (asleep the whole column). */
export function columnState(acc: Float64Array, c: number): number {
  let best = -1
  let bestV = 0
  for (let k = 0; k < 3; k++) { const v = acc[c * 4 + k]!; if (v > bestV) { bestV = v; best = k } }
  return best
}
