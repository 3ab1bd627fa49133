// The result of a run crosses to the page by transfer, never by copy: every typed array in it
// (host and guest lanes, events, busy summaries, the timeline index) is in the transfer list, and
// transferring a snapshot taken mid-run does not touch the arrays the engine keeps writing to.
import { describe, expect, it } from 'vitest'
import '../zodConfig.ts'
import { createSimulation, parseScenario, type SimResult } from '../engine/index.ts'
import { buildIndex } from '../timeline/model.ts'
import { transferablesIn, transferablesOf } from './transfer.ts'

const scenario = () => parseScenario({ durationMs: 20, warmupMs: 2 })

function views(v: unknown, out: ArrayBufferView[] = [], seen = new Set<object>()): ArrayBufferView[] {
  if (v === null || typeof v !== 'object' || seen.has(v)) return out
  seen.add(v)
  if (ArrayBuffer.isView(v)) { out.push(v); return out }
  for (const x of v instanceof Map ? [...v.values()] : Object.values(v)) views(x, out, seen)
  return out
}

function run(snapshotAt?: number): { r: SimResult; moved: number } {
  const sim = createSimulation(scenario())
  let moved = 0
  let steps = 0
  while (!sim.advance(500)) {
    if (++steps === snapshotAt) {
      const snap = sim.result()
      const list = transferablesIn({ result: snap, index: buildIndex(snap.trace) })
      structuredClone(snap, { transfer: list })
      moved = list.length
    }
  }
  return { r: sim.result(), moved }
}

describe('transfer of results', () => {
  it('lists every typed array of a result, the guest lanes included', () => {
    const { r } = run()
    expect(r.trace.guest?.slices.count).toBeGreaterThan(0)
    const list = new Set(transferablesOf(r))
    const all = views(r)
    expect(all.length).toBeGreaterThan(20)
    for (const v of all) expect(list.has(v.buffer as ArrayBuffer)).toBe(true)
    // after the transfer nothing of bulk size is left to copy
    structuredClone(r, { transfer: [...list] })
    expect(views(r).every((v) => v.byteLength === 0)).toBe(true)
  })

  it('a snapshot transferred mid-run leaves the run untouched (same numbers as without it)', () => {
    const plain = run().r
    const { r, moved } = run(4)
    expect(moved).toBeGreaterThan(20)
    expect(r.summary).toEqual(plain.summary)
    expect(Array.from(r.trace.slices.end)).toEqual(Array.from(plain.trace.slices.end))
    expect(Array.from(r.trace.guest!.slices.end)).toEqual(Array.from(plain.trace.guest!.slices.end))
  })
})
