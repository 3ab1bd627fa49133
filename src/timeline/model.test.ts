import { describe, expect, it } from 'vitest'
import type { SliceColumns, Trace } from '../engine/types.ts'
import { Aggregator, buildIndex, columnStack, counterAccrued, firstEndingAfter, hitTest, knobWriteLabel, laneMaxEnd, NO_KIND, pixelRuns, rangeStats, runMarks, type PixelRow } from './model.ts'
import { syntheticTrace } from './synthetic.ts'
import { KIND_COUNT } from './colors.ts'
import { fmtTime, fmtSig } from './format.ts'

/** Build a tiny trace from [start, end, cpu, kind, actor, packets] rows. */
function traceOf(rows: [number, number, number, number, number, number][], cpus = 2): Trace {
  const n = rows.length
  const s: SliceColumns = {
    count: n,
    start: Float64Array.from(rows, (r) => r[0]),
    end: Float64Array.from(rows, (r) => r[1]),
    cpu: Uint16Array.from(rows, (r) => r[2]),
    kind: Uint8Array.from(rows, (r) => r[3]),
    actor: Uint32Array.from(rows, (r) => r[4]),
    packets: Uint32Array.from(rows, (r) => r[5]),
    reason: new Uint8Array(n),
  }
  const z16 = new Uint16Array(0)
  return {
    cpus, durationNs: 1000, droppedSlices: 0, counters: [],
    actors: [{ id: 0, name: 'a', kind: 0 }, { id: 1, name: 'b', kind: 1 }],
    slices: s,
    events: {
      wakeups: { count: 0, t: new Float64Array(0), fromCpu: z16, toCpu: z16, waker: new Uint32Array(0), wakee: new Uint32Array(0) },
      migrations: { count: 0, t: new Float64Array(0), fromCpu: z16, toCpu: z16, actor: new Uint32Array(0) },
      modeSwitches: [],
    },
  }
}

describe('index', () => {
  it('groups by CPU and sorts by start even if the engine emitted by end', () => {
    // a softirq [0,100) interrupted by a hardirq [40,50) emitted first
    const t = traceOf([[40, 50, 0, 0, 0, 1], [0, 100, 0, 1, 1, 5], [10, 20, 1, 6, 1, 0]])
    const ix = buildIndex(t)
    expect(Array.from(ix.cpuLanes[0]!.idx)).toEqual([1, 0])
    expect(Array.from(ix.cpuLanes[0]!.maxEnd)).toEqual([100, 100])
    expect(ix.actorLanes.map((l) => l.label)).toEqual(['a', 'b'])
    // nested slices are still found by the monotonic maxEnd search
    expect(firstEndingAfter(ix.cpuLanes[0]!, 60)).toBe(0)
    expect(hitTest(ix.cpuLanes[0]!, t.slices, 45, 0)?.slice).toBe(0) // innermost wins
    expect(hitTest(ix.cpuLanes[0]!, t.slices, 70, 0)?.slice).toBe(1)
    expect(hitTest(ix.cpuLanes[1]!, t.slices, 500, 5)).toBeNull()
  })

  it('stores no running max for a lane whose ends are in order; the search answers the same', () => {
    const t = syntheticTrace({ cpus: 3, slices: 3000, durationNs: 1e6, seed: 5 })
    const ix = buildIndex(t)
    for (const lane of ix.cpuLanes) {
      expect(lane.maxEnd.length).toBe(0)
      expect(lane.ends).toBe(t.slices.end)
      let m = -Infinity
      const running = Array.from(lane.idx, (i) => (m = Math.max(m, t.slices.end[i]!)))
      expect(Array.from(lane.idx, (_, p) => laneMaxEnd(lane, p))).toEqual(running)
      for (const at of [-1, 0, 1234.5, 5e5, 999_999, 2e6]) expect(firstEndingAfter(lane, at)).toBe(running.findIndex((e) => e > at) === -1 ? running.length : running.findIndex((e) => e > at))
    }
  })
})

/** Stack of column c, h px tall, as [kind, height] pairs from the bottom up. */
const stackOf = (row: PixelRow, c: number, h: number): [number, number][] => {
  const k = new Uint8Array(9)
  const hs = new Int32Array(9)
  const n = columnStack(row, c, h, k, hs)
  return Array.from({ length: n }, (_, i) => [k[i]!, hs[i]!])
}
/** Finely interleaved slices: in each 1 ns period, `a`·ns of kind ka, then `b`·ns of kind kb, rest idle. */
const interleaved = (ka: number, a: number, kb: number, b: number, periods: number) => {
  const rows: [number, number, number, number, number, number][] = []
  for (let i = 0; i < periods; i++) {
    rows.push([i, i + a, 0, ka, 0, 0])
    rows.push([i + a, i + a + b, 0, kb, 1, 0])
  }
  return traceOf(rows)
}

describe('per-pixel aggregation', () => {
  it('keeps every slice visible when many fall into one pixel, picking the dominant kind', () => {
    // 100 tiny slices in [0,10): 60 of kind 1, 40 of kind 6; plus one 1-ns slice of kind 0 at 55
    const rows: [number, number, number, number, number, number][] = []
    for (let i = 0; i < 100; i++) rows.push([i * 0.1, i * 0.1 + 0.05, 0, i < 60 ? 1 : 6, 0, 1])
    rows.push([55, 56, 0, 0, 0, 0])
    const t = traceOf(rows)
    const ix = buildIndex(t)
    const row = new Aggregator().aggregate(ix.cpuLanes[0]!, t.slices, 0, 100, 10)
    expect(row.visible).toBe(101)
    expect(row.kind[0]).toBe(1)
    expect(row.cover[0]).toBeCloseTo(0.5, 5)
    expect(row.kind[5]).toBe(0) // the 1-ns slice is not dropped
    expect(row.cover[5]).toBeCloseTo(0.1, 5)
    expect(row.kind[3]).toBe(NO_KIND)
  })

  it('covers exactly the columns a wide slice spans, and merges them into runs', () => {
    const t = traceOf([[25, 75, 0, 5, 0, 0]])
    const ix = buildIndex(t)
    const row = new Aggregator().aggregate(ix.cpuLanes[0]!, t.slices, 0, 100, 100)
    let busy = 0
    for (let c = 0; c < 100; c++) busy += row.cover[c]!
    expect(busy).toBeCloseTo(50, 6)
    expect(row.kind[24]).toBe(NO_KIND)
    expect(row.kind[25]).toBe(5)
    expect(row.kind[74]).toBe(5)
    const runs = pixelRuns(row, 16, 16)
    expect(runs).toEqual([{ x0: 25, x1: 75, y0: 0, y1: 16, kind: 5, level: 15 }])
  })

  it('keeps a 43 % minority kind visible as its share of the column height (vCPU vs halt-poll)', () => {
    // the seed-2016 vCPU lane: 43 % guest (kind 6), 55 % halt-poll (kind 8), 2 % idle, 100 slices per column
    const t = interleaved(8, 0.55, 6, 0.43, 1000)
    const row = new Aggregator().aggregate(buildIndex(t).cpuLanes[0]!, t.slices, 0, 1000, 10)
    expect(row.kinds[3]).toBe(2)
    expect(row.share[3 * KIND_COUNT + 6]).toBeCloseTo(0.43, 5)
    expect(row.share[3 * KIND_COUNT + 8]).toBeCloseTo(0.55, 5)
    // 20 px: 43/98 → 8.78 px, 55/98 → 11.22 px; largest remainder gives 9 + 11; guest at the bottom
    expect(stackOf(row, 3, 20)).toEqual([[6, 9], [8, 11]])
    // 16 px lane: 7.02 / 8.98 → 7 + 9
    expect(stackOf(row, 3, 16)).toEqual([[6, 7], [8, 9]])
    // the canvas and the SVG both draw from these runs: both kinds, band by band across the lane
    expect(pixelRuns(row, 16, 16)).toEqual([
      { x0: 0, x1: 10, y0: 9, y1: 16, kind: 6, level: 15 },
      { x0: 0, x1: 10, y0: 0, y1: 9, kind: 8, level: 15 },
    ])
  })

  it('draws a single-kind column exactly as before: one full-height segment, intensity = busy share', () => {
    const t = interleaved(1, 0.3, 1, 0.2, 100)
    const row = new Aggregator().aggregate(buildIndex(t).cpuLanes[0]!, t.slices, 0, 100, 4)
    expect(row.kinds[0]).toBe(1)
    expect(row.kind[0]).toBe(1)
    expect(row.cover[0]).toBeCloseTo(0.5, 5)
    expect(stackOf(row, 0, 16)).toEqual([[1, 16]])
    expect(pixelRuns(row, 16, 16)).toEqual([{ x0: 0, x1: 4, y0: 0, y1: 16, kind: 1, level: 7 }])
  })

  it('stacks kinds in a fixed order whatever their time order or size, and never drops a tiny one', () => {
    // column 0: softirq then hardirq; column 1: hardirq then softirq (other shares); column 2: + three 1 % slices
    const t = traceOf([
      [0, 6, 0, 1, 0, 0], [6, 10, 0, 0, 0, 0],
      [10, 13, 0, 0, 0, 0], [13, 20, 0, 1, 0, 0],
      [20, 25.7, 0, 1, 0, 0], [25.7, 29.7, 0, 0, 0, 0], [29.7, 29.8, 0, 5, 0, 0], [29.8, 29.9, 0, 7, 0, 0], [29.9, 30, 0, 8, 0, 0],
    ])
    const row = new Aggregator().aggregate(buildIndex(t).cpuLanes[0]!, t.slices, 0, 30, 3)
    expect(stackOf(row, 0, 10)).toEqual([[0, 4], [1, 6]])
    expect(stackOf(row, 1, 10)).toEqual([[0, 3], [1, 7]])
    // 0.1 ns of 10 ns is 0.1 px: each rounded up to 1 px rather than dropped, the 2 px over-spent
    // are taken back from the big segments (4 → 3, 5.7 → 4)
    expect(stackOf(row, 2, 10)).toEqual([[0, 3], [1, 4], [5, 1], [7, 1], [8, 1]])
    // fewer pixels than kinds: the largest shares keep 1 px each, still in kind order
    expect(stackOf(row, 2, 2)).toEqual([[0, 1], [1, 1]])
    expect(stackOf(row, 2, 1)).toEqual([[1, 1]])
  })

  it('aggregates 1M synthetic slices into a bounded number of runs, conserving busy time', () => {
    const t = syntheticTrace({ cpus: 16, slices: 1_000_000, durationNs: 100e6 })
    const ix = buildIndex(t)
    const agg = new Aggregator()
    let runs = 0
    let visible = 0
    const W = 1100
    const t0 = performance.now()
    for (const lane of ix.cpuLanes) {
      const row = agg.aggregate(lane, t.slices, 0, 100e6, W)
      visible += row.visible
      runs += pixelRuns(row, 16, 16).length
      let busyPx = 0
      for (let c = 0; c < W; c++) busyPx += row.cover[c]!
      let busyNs = 0
      for (const i of lane.idx) busyNs += t.slices.end[i]! - t.slices.start[i]!
      expect(busyPx).toBeCloseTo((busyNs / 100e6) * W, 0)
    }
    const ms = performance.now() - t0
    expect(visible).toBe(1_000_000)
    expect(runs).toBeLessThanOrEqual(16 * W * 9) // ≤ one rectangle per kind per column
    expect(ms).toBeLessThan(2000) // generous on a shared 2-core box; the e2e bench measures the real frame
  })

  it('only touches visible slices when zoomed in', () => {
    const t = syntheticTrace({ cpus: 4, slices: 200_000, durationNs: 100e6 })
    const ix = buildIndex(t)
    const row = new Aggregator().aggregate(ix.cpuLanes[0]!, t.slices, 50e6, 50.1e6, 1000)
    expect(row.visible).toBeGreaterThan(0)
    expect(row.visible).toBeLessThan(200)
  })
})

describe('range statistics', () => {
  it('clips slices to the range and splits by CPU, kind and actor', () => {
    const t = traceOf([[0, 100, 0, 1, 0, 10], [50, 150, 1, 6, 1, 0], [200, 300, 0, 0, 0, 4]])
    const ix = buildIndex(t)
    const r = rangeStats(t, ix, 50, 250)
    expect(r.rangeNs).toBe(200)
    expect(Array.from(r.byCpu)).toEqual([100, 100])
    expect(r.byKind[1]).toBe(50)
    expect(r.byKind[6]).toBe(100)
    expect(r.byKind[0]).toBe(50)
    expect(r.byActor.get(0)).toBe(100)
    expect(r.byActor.get(1)).toBe(100)
    expect(r.packets).toBeCloseTo(5 + 2, 9) // half of each packet-carrying slice
    expect(r.slices).toBe(3)
  })

  it('integrates rate counters and differences running totals', () => {
    const t = Float64Array.from([0, 1e9, 2e9])
    expect(counterAccrued({ name: 'drops', unit: 'pps', kind: 'rate' as const, t, v: Float64Array.from([10, 20, 30]) }, 0, 2e9)).toBeCloseTo(30, 6)
    expect(counterAccrued({ name: 'drops', unit: 'kpps', kind: 'rate' as const, t, v: Float64Array.from([1, 1, 1]) }, 0.5e9, 1.5e9)).toBeCloseTo(1000, 6)
    expect(counterAccrued({ name: 'dropped', unit: 'pkts', kind: 'level' as const, t, v: Float64Array.from([0, 5, 9]) }, 0, 2e9)).toBe(9)
    expect(counterAccrued({ name: 'ring', unit: 'pkts', kind: 'level' as const, t, v: Float64Array.from([5, 1, 9]) }, 0, 2e9)).toBeNull()
  })
})

describe('format', () => {
  it('prints times with units', () => {
    expect(fmtTime(12.5e6)).toBe('12.5 ms')
    expect(fmtTime(340e3)).toBe('340 µs')
    expect(fmtTime(820)).toBe('820 ns')
    expect(fmtTime(0)).toBe('0 ns')
    expect(fmtSig(0.012345)).toBe('0.0123')
  })
})

describe('svg export', () => {
  it('stays small for a dense 1M-slice view', async () => {
    const { timelineSvg } = await import('./svg.ts')
    const t = syntheticTrace({ cpus: 8, slices: 1_000_000, durationNs: 100e6 })
    const svg = timelineSvg([{ label: 'B', trace: t, index: buildIndex(t) }], 1000, 0, 100e6, false)
    const rects = (svg.match(/<rect /g)?.length ?? 0) + (svg.match(/M/g)?.length ?? 0)
    expect(svg.startsWith('<svg')).toBe(true)
    expect(rects).toBeLessThan(8 * 840 * 9 + 100)
    expect(svg.length).toBeLessThan(1_200_000) // ~0.8 MB: every kind of every column, merged
    expect(svg).toContain('CPU 7')
  })
})

describe('mode switch markers', () => {
  it('groups a write to every IRQ into one marker', async () => {
    const { groupModeSwitches } = await import('./model.ts')
    const ev = [0, 1, 2].map((q) => ({ tNs: 30e6, queue: q, irq: 45 + q, threaded: false }))
    expect(groupModeSwitches([...ev, { tNs: 60e6, queue: 3, irq: 48, threaded: true }])).toEqual([
      { tNs: 30e6, label: '3 IRQs → softirq' },
      { tNs: 60e6, label: 'IRQ 48 → threaded' },
    ])
  })
})

describe('counter statistics', () => {
  it('gives the value in effect and min/mean/max over a range', async () => {
    const { counterValueAt, counterRangeStats } = await import('./model.ts')
    const c = { name: 'ring', unit: 'pkts', kind: 'level' as const, t: Float64Array.from([0, 10, 20, 30]), v: Float64Array.from([0, 100, 50, 10]) }
    expect(counterValueAt(c, -1)).toBeNull()
    expect(counterValueAt(c, 15)).toBe(100)
    const r = counterRangeStats(c, 10, 30)!
    expect(r.min).toBe(50)
    expect(r.max).toBe(100)
    expect(r.avg).toBe(75)
    expect(r.accrued).toBeNull() // a level, not a rate
  })
})

describe('run marks', () => {
  it('name knob writes as the kernel does, with the unit and the NAPI id or thread, beside the grouped mode switches', () => {
    expect(knobWriteLabel({ knob: 'gro_flush_timeout', index: 1, value: 20 })).toBe('gro_flush_timeout = 20 µs (NAPI 8194)')
    expect(knobWriteLabel({ knob: 'busy_poll_budget', index: 0, value: 64 })).toBe('busy_poll_budget = 64 packets (thread 0)')
    expect(knobWriteLabel({ knob: 'napi_defer_hard_irqs', index: -1, value: 100 })).toBe('napi_defer_hard_irqs = 100')
    const marks = runMarks({
      wakeups: { count: 0, t: new Float64Array(0), fromCpu: new Uint16Array(0), toCpu: new Uint16Array(0), waker: new Uint32Array(0), wakee: new Uint32Array(0) },
      migrations: { count: 0, t: new Float64Array(0), fromCpu: new Uint16Array(0), toCpu: new Uint16Array(0), actor: new Uint32Array(0) },
      modeSwitches: [{ tNs: 5, queue: 0, irq: 45, threaded: true }, { tNs: 5, queue: 1, irq: 46, threaded: true }],
      knobWrites: [{ tNs: 9, knob: 'netdev_budget', index: -1, value: 64 }],
    })
    expect(marks).toEqual([{ tNs: 5, label: '2 IRQs → threaded' }, { tNs: 9, label: 'netdev_budget = 64 packets' }])
  })
})
