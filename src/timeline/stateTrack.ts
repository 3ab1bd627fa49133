// Thread-state band under each thread lane (Perfetto's thread-state track, folded into the lane):
// per css pixel column the state a task spent most of its non-sleeping time in — Running, Runnable
// (on a run queue), Interrupted (hard IRQ / softirq on its CPU) — drawn as a strip at the lane's
// bottom; where the task did not run at all in a column, its waiting fills the lane, pale, so a
// waiting vCPU thread no longer looks idle. Columns are merged into runs: O(visible spans + px).
import type { Layout } from './layout.ts'
import type { TraceIndex } from './model.ts'
import { lowerSpan, ThreadState, THREAD_STATE_COLORS, threadStatesFor, type StateInput, type StateSpans } from './threadStates.ts'

export interface StateBandInput {
  ctx: CanvasRenderingContext2D
  layout: Layout
  trace: StateInput
  index: TraceIndex
  t0: number
  t1: number
  /** lanes that are on screen (keys) */
  drawn: ReadonlySet<string>
}

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

let scratch = new Float64Array(0)

/** Draw the bands; returns how many thread lanes got one (e2e reads it). */
export function drawStateBands(f: StateBandInput): number {
  const { ctx, layout, t0, t1 } = f
  const states = threadStatesFor(f.trace, f.index)
  const cols = Math.max(1, Math.floor(layout.plotW))
  if (scratch.length < cols * 4) scratch = new Float64Array(cols * 4)
  const per = (t1 - t0) / cols
  let n = 0
  ctx.save()
  for (const box of layout.lanes) {
    if (box.lane.kind !== 'actor' || !f.drawn.has(box.lane.key)) continue
    const sp = states.byActor.get(box.lane.id)
    if (!sp) continue
    n++
    const acc = stateColumns(sp, t0, t1, cols, scratch)
    const band = box.h >= 14 ? 4 : 3
    const yb = box.y + box.h - band
    // runs of equal (state, full-height) columns
    let c = 0
    while (c < cols) {
      const st = columnState(acc, c)
      const full = st > 0 && acc[c * 4 + ThreadState.running]! === 0
      let e = c + 1
      while (e < cols && columnState(acc, e) === st && (st > 0 && acc[e * 4 + ThreadState.running]! === 0) === full) e++
      if (st >= 0) {
        const busy = (acc[c * 4]! + acc[c * 4 + 1]! + acc[c * 4 + 2]!) / per
        ctx.globalAlpha = 0.45 + 0.55 * Math.min(1, busy)
        ctx.fillStyle = THREAD_STATE_COLORS[st]!
        const x = layout.plotX + c
        if (full) {
          ctx.globalAlpha *= 0.45
          ctx.fillRect(x, box.y, e - c, box.h - band)
          ctx.globalAlpha = 0.45 + 0.55 * Math.min(1, busy)
        }
        ctx.fillRect(x, yb, e - c, band)
      }
      c = e
    }
  }
  ctx.restore()
  return n
}
