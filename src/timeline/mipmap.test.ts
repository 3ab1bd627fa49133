import { describe, expect, it } from 'vitest'
import { KIND_COUNT } from './colors.ts'
import { addBusyColumns, addTotalColumns, buildMipmap, levelFor, levelTotal, mipActor, mipLevel, mipTotal } from './mipmap.ts'
import { adoptLanes, Aggregator, buildIndex, rangeStats, summaryFrom, type Lane } from './model.ts'
import { syntheticTrace, withBusySummary } from './synthetic.ts'

const view = (l: Lane) => ({ ...l, idx: Array.from(l.idx), maxEnd: Array.from(l.maxEnd) })

/** Busy ns per CPU from every slice (the truth the summary must keep). */
function truthByCpu(cpus: number, s: { count: number; start: Float64Array; end: Float64Array; cpu: Uint16Array }, t0 = 0, t1 = Infinity): Float64Array {
  const out = new Float64Array(cpus)
  for (let i = 0; i < s.count; i++) {
    const d = Math.min(s.end[i]!, t1) - Math.max(s.start[i]!, t0)
    if (d > 0) out[s.cpu[i]!]! += d
  }
  return out
}

describe('busy mipmap', () => {
  const full = syntheticTrace({ cpus: 4, slices: 40_000, durationNs: 50e6, seed: 7 })
  const capped = withBusySummary(full, 4096, 12_000)
  const truth = truthByCpu(4, full.slices)

  it('conserves every CPU\'s and every actor\'s busy time at every level, per kind too', () => {
    const mip = buildMipmap(capped.busy!)
    expect(mip.levels.length).toBe(13) // 4096 → 1
    expect(mip.levels.at(-1)!.buckets).toBe(1)
    for (let c = 0; c < 4; c++) {
      const base = levelTotal(mip, 0, { kind: 'cpu', id: c })
      expect(base).toBeCloseTo(truth[c]!, 0)
      for (let L = 1; L < mip.levels.length; L++) expect(levelTotal(mip, L, { kind: 'cpu', id: c })).toBeCloseTo(base, 3)
      const top = mip.levels.at(-1)!
      for (let k = 0; k < mip.kinds; k++) {
        let k0 = 0
        for (let b = 0; b < 4096; b++) k0 += mip.levels[0]!.cpu[(c * 4096 + b) * mip.kinds + k]!
        expect(top.cpu[c * mip.kinds + k]!).toBeCloseTo(k0, 3)
      }
    }
    for (let a = 0; a < mip.actors; a++) {
      const base = levelTotal(mip, 0, { kind: 'actor', id: a })
      for (let L = 1; L < mip.levels.length; L++) expect(levelTotal(mip, L, { kind: 'actor', id: a })).toBeCloseTo(base, 3)
    }
  })

  it('spreads the same busy time over the pixel columns at any zoom (level chosen per ns/px)', () => {
    const mip = buildMipmap(capped.busy!, full.durationNs)
    for (const width of [37, 300, 1000, 4096, 20_000]) {
      const acc = new Float64Array(width * KIND_COUNT)
      addBusyColumns(mip, { kind: 'cpu', id: 2, drawKind: 0 }, 0, 0, full.durationNs, width, acc, KIND_COUNT)
      const nsPerPx = full.durationNs / width
      expect(acc.reduce((a, b) => a + b, 0) * nsPerPx).toBeCloseTo(truth[2]!, -1)
    }
    expect(levelFor(mip, mip.levels[0]!.bucketNs / 2)).toBe(0)
    expect(levelFor(mip, mip.levels[0]!.bucketNs * 5)).toBe(2)
  })

  it('draws a capped trace without idle gaps: lane busy equals the whole-run truth at every width', () => {
    const ix = buildIndex(capped)
    const agg = new Aggregator()
    for (const lane of ix.cpuLanes) {
      expect(lane.detailEnd).toBeLessThan(full.durationNs) // slices were dropped: the summary takes over
      for (const width of [200, 1000, 5000]) {
        const row = agg.aggregate(lane, capped.slices, 0, full.durationNs, width, undefined, { mip: ix.busy!, from: lane.detailEnd })
        let cover = 0
        for (let c = 0; c < width; c++) cover += row.cover[c]!
        expect(Math.abs(cover / width - truth[lane.id]! / full.durationNs)).toBeLessThan(0.002)
        expect(row.summaryFrom).toBe(lane.detailEnd)
      }
      // without the summary the lane would show idle after its last stored slice
      const bare = agg.aggregate(lane, capped.slices, lane.detailEnd + capped.busy!.bucketNs, full.durationNs, 100)
      expect(bare.cover.reduce((a, b) => a + b, 0)).toBe(0)
    }
  })

  it('selection statistics past the cap agree with the truth (CPU, kind and actor)', () => {
    const ix = buildIndex(capped)
    const t0 = 10e6
    const t1 = 45e6
    const st = rangeStats(capped, ix, t0, t1)
    const want = truthByCpu(4, full.slices, t0, t1)
    for (let c = 0; c < 4; c++) expect(Math.abs(st.byCpu[c]! - want[c]!) / (t1 - t0)).toBeLessThan(0.002)
    const total = want.reduce((a, b) => a + b, 0)
    expect(st.byKind.reduce((a, b) => a + b, 0)).toBeCloseTo(st.byCpu.reduce((a, b) => a + b, 0), 0)
    const actorSum = [...st.byActor.values()].reduce((a, b) => a + b, 0)
    expect(Math.abs(actorSum - total) / total).toBeLessThan(0.002)
    expect(st.summarisedNs).toBeGreaterThan(0)
  })

  it('builds levels > 0 on first use, bit-identical to building them at once; a small trace\'s index leaves them to the page', () => {
    const eager = buildMipmap(capped.busy!, full.durationNs)
    const lazy = buildMipmap(capped.busy!, full.durationNs, 0)
    expect(lazy.levels.length).toBe(1)
    expect(lazy.count).toBe(eager.levels.length)
    const width = 333
    const a = new Float64Array(width * KIND_COUNT)
    const b = new Float64Array(width * KIND_COUNT)
    const L = addBusyColumns(eager, { kind: 'cpu', id: 1, drawKind: 0 }, 0, 0, full.durationNs, width, a, KIND_COUNT)
    expect(addBusyColumns(lazy, { kind: 'cpu', id: 1, drawKind: 0 }, 0, 0, full.durationNs, width, b, KIND_COUNT)).toBe(L)
    expect(L).toBeGreaterThan(0)
    expect(lazy.levels.length).toBe(L + 1) // only what was asked for
    expect(b).toEqual(a)
    expect(lazy.levels[0]!.total).toBeNull()
    for (let l = 0; l < eager.count; l++) {
      expect(mipLevel(lazy, l).cpu).toEqual(eager.levels[l]!.cpu)
      expect(mipActor(lazy, l)).toEqual(eager.levels[l]!.actor)
      expect(mipTotal(lazy, l)).toEqual(eager.levels[l]!.total)
    }
    // the actor levels on their own: a thread lane asks for them when it is first drawn
    const cpuOnly = buildMipmap(capped.busy!, full.durationNs, Infinity, 0)
    expect(cpuOnly.levels.map((l) => l.actor === null)).toEqual([false, ...Array(12).fill(true)])
    const ra = new Float64Array(width * KIND_COUNT)
    const rb = new Float64Array(width * KIND_COUNT)
    addBusyColumns(eager, { kind: 'actor', id: 3, drawKind: 5 }, 0, 0, full.durationNs, width, ra, KIND_COUNT)
    addBusyColumns(cpuOnly, { kind: 'actor', id: 3, drawKind: 5 }, 0, 0, full.durationNs, width, rb, KIND_COUNT)
    expect(rb).toEqual(ra)
    expect(ra.some((v) => v > 0)).toBe(true)
    expect(cpuOnly.levels.slice(0, L + 1).every((l) => l.actor !== null)).toBe(true)
    expect(cpuOnly.levels[L + 1]!.actor).toBeNull()
    for (let a = 0; a < eager.actors; a++) expect(eager.actorTotal[a]).toBeCloseTo(levelTotal(eager, 0, { kind: 'actor', id: a }), 3)
    // 4 CPUs, ~2500 slices each and nothing dropped: never drawn from levels > 0 at a usual width
    const small = withBusySummary(syntheticTrace({ cpus: 4, slices: 10_000, durationNs: 50e6, seed: 3 }), 4096, 1e9)
    expect(small.droppedSlices).toBe(0)
    expect(buildIndex(small).busy!.levels.length).toBe(1)
    expect(buildIndex(capped).busy!.levels.length).toBe(13) // capped: built in the worker
  })

  it('adoptLanes: an index over the same slices, lanes taken from the earlier one, equals a fresh one (an actor new to the summary gets its lane)', () => {
    // the earlier snapshot: one actor has no stored slice and no busy time yet; later it has busy time
    const actors = [...capped.actors, { id: capped.actors.length, name: 'late-thread', kind: capped.actors[0]!.kind }]
    const b = capped.busy!
    const grow = (late: boolean) => { const a = new Float32Array(actors.length * b.buckets); a.set(b.actor); if (late) a.fill(1000, (actors.length - 1) * b.buckets + 4000); return a }
    const early = { ...capped, actors, busy: { ...b, actor: grow(false) } }
    const later = { ...capped, actors, busy: { ...b, actor: grow(true) } }
    const prev = buildIndex(early)
    expect(prev.actorLanes.some((l) => l.label === 'late-thread')).toBe(false)
    const got = buildIndex(later, { lanes: false })
    expect(got.cpuLanes).toEqual([])
    adoptLanes(got, prev, later)
    const want = buildIndex(later)
    expect(got.actorLanes.map(view)).toEqual(want.actorLanes.map(view))
    expect(got.cpuLanes.map(view)).toEqual(want.cpuLanes.map(view))
    expect(got.actorLanes.at(-1)!.label).toBe('late-thread')
    // the arrays are the earlier index's, not copies; the lane objects are new (the earlier index is untouched)
    expect(got.cpuLanes[0]!.idx).toBe(prev.cpuLanes[0]!.idx)
    expect(got.cpuLanes[0]).not.toBe(prev.cpuLanes[0])
    // the summary colour of an actor lane is the dominant kind of its stored slices: kept, not recomputed
    expect(got.actorLanes.filter((l) => l.idx.length > 0).map((l) => l.series!.drawKind)).toEqual(want.actorLanes.filter((l) => l.idx.length > 0).map((l) => l.series!.drawKind))
    expect(new Set(want.actorLanes.map((l) => l.series!.drawKind)).size).toBeGreaterThan(1)
  })

  it('the all-CPU series gives the overview the sum of the lanes drawn from the summary, per column, at any width', () => {
    const ix = buildIndex(capped)
    const mip = ix.busy!
    for (let L = 0; L < mip.count; L++) {
      let cpuSum = 0
      for (let c = 0; c < 4; c++) cpuSum += levelTotal(mip, L, { kind: 'cpu', id: c })
      expect(mipTotal(mip, L).reduce((a, b) => a + b, 0)).toBeCloseTo(cpuSum, 1)
    }
    const agg = new Aggregator()
    for (const cols of [37, 300, 1100]) {
      const want = new Float64Array(cols)
      for (const lane of ix.cpuLanes) {
        const row = agg.aggregate(lane, capped.slices, 0, full.durationNs, cols, undefined, { mip, from: 0 })
        for (let c = 0; c < cols; c++) want[c]! += row.cover[c]!
      }
      const got = new Float32Array(cols)
      addTotalColumns(mip, 0, full.durationNs, cols, got)
      for (let c = 0; c < cols; c++) expect(Math.abs(got[c]! - want[c]!)).toBeLessThan(1e-5)
      expect(Math.max(...want)).toBeGreaterThan(0.5)
    }
    // the overview takes this path when every lane is summary-only at its zoom: dense lanes
    expect(ix.cpuLanes.every((l) => summaryFrom(ix, l, 0, full.durationNs, 300) <= 0)).toBe(true)
  })
})
