import { describe, expect, it } from 'vitest'
import type { CounterTrack } from '../engine/types.ts'
import { computeLayout, LANE_H, LANE_H_COMPACT } from './layout.ts'
import type { TraceIndex } from './model.ts'

const track = (name: string, v: number[]): CounterTrack =>
  ({ name, unit: 'packets', t: Float64Array.from(v, (_, i) => i * 1000), v: Float64Array.from(v) }) as unknown as CounterTrack
const index = { cpuLanes: [{ key: 'c0' }, { key: 'c1' }], actorLanes: [] } as unknown as TraceIndex

describe('computeLayout: counters in the compare view', () => {
  const b = [track('rings', [0, 100, 50]), track('drops', [0, 3])]
  const a = [track('rings', [0, 400]), track('drops', [0, 1]), track('only in A', [7])]

  it('draws A beside B on one scale per counter (the larger maximum), A-only counters last', () => {
    const L = computeLayout(1000, { counters: b }, index, false, { overlay: a })
    expect(L.counters.map((c) => [c.track.name, c.ref?.name ?? null, c.max])).toEqual([
      ['rings', 'rings', 400],
      ['drops', 'drops', 3],
      ['only in A', 'only in A', 7],
    ])
  })
  it('shares scales by name when each run draws its own counters (SVG export)', () => {
    const L = computeLayout(1000, { counters: b }, index, false, { scaleWith: a })
    expect(L.counters.map((c) => [c.track.name, c.ref, c.max])).toEqual([['rings', null, 400], ['drops', null, 3]])
  })
  it('leaves the counters out when hidden, and keeps each run\'s own scale alone', () => {
    expect(computeLayout(1000, { counters: b }, index, false, { counters: false }).counters).toEqual([])
    expect(computeLayout(1000, { counters: b }, index, false).counters.map((c) => c.max)).toEqual([100, 3])
  })
  it('uses shorter lanes in the compare view', () => {
    expect(computeLayout(1000, { counters: [] }, index, false).lanes[0]!.h).toBe(LANE_H)
    const c = computeLayout(1000, { counters: [] }, index, false, { compact: true })
    expect(c.lanes[0]!.h).toBe(LANE_H_COMPACT)
    expect(c.lanesBottom).toBeLessThan(computeLayout(1000, { counters: [] }, index, false).lanesBottom)
  })
})
