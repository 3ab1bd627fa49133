import { describe, expect, it } from 'vitest'
import type { CounterTrack, SliceColumns, Trace } from '../engine/types.ts'
import { blend, INTENSITY_LEVELS, rgbCss } from './colors.ts'
import { buildIndex } from './model.ts'
import { syntheticTrace } from './synthetic.ts'
import { buildPixelLut, LANE_BG, packRgb } from './colors.ts'
import { CounterLineTrack, laneCentres, ModeSwitchTrack, SliceLaneTrack, SvgPainter, trackContext, TRACK_COLORS, WakeupMigrationTrack, type LaneRaster, type Painter } from './tracks.ts'

type Op = { op: 'rects'; fill: string; rs: (readonly [number, number, number, number])[] } | { op: 'poly'; pts: (readonly [number, number])[]; stroke: string; dash?: readonly number[] } | { op: 'text'; s: string } | { op: 'polygon'; pts: (readonly [number, number])[]; fill: string }
/** The test backend: records what a track draws. */
class Recorder implements Painter {
  ops: Op[] = []
  rects(fill: string, rs: readonly (readonly [number, number, number, number])[]) { this.ops.push({ op: 'rects', fill, rs: [...rs] }) }
  polyline(pts: readonly (readonly [number, number])[], stroke: string, dash?: readonly number[]) { this.ops.push({ op: 'poly', pts: [...pts], stroke, dash }) }
  text(_x: number, _y: number, s: string) { this.ops.push({ op: 'text', s }) }
  polygon(pts: readonly (readonly [number, number])[], fill: string) { this.ops.push({ op: 'polygon', pts: [...pts], fill }) }
  dot(x: number, y: number, _r: number, fill: string) { this.ops.push({ op: 'polygon', pts: [[x, y]], fill }) }
  curve(a: readonly [number, number], _c1: readonly [number, number], _c2: readonly [number, number], b: readonly [number, number], stroke: string) { this.ops.push({ op: 'poly', pts: [a, b], stroke }) }
  strokeRect(x: number, y: number, w: number, h: number, stroke: string) { this.ops.push({ op: 'poly', pts: [[x, y], [x + w, y + h]], stroke }) }
  hatch(x: number, y: number, w: number, h: number) { this.ops.push({ op: 'rects', fill: 'hatch', rs: [[x, y, w, h]] }) }
  textWidth(s: string) { return s.length * 6 }
  clip(_x: number, _y: number, _w: number, _h: number, fn: () => void) { fn() }
}

function oneCpu(rows: [number, number, number][]): Trace {
  const n = rows.length
  const s: SliceColumns = {
    count: n, start: Float64Array.from(rows, (r) => r[0]), end: Float64Array.from(rows, (r) => r[1]),
    cpu: new Uint16Array(n), kind: Uint8Array.from(rows, (r) => r[2]), actor: new Uint32Array(n), packets: new Uint32Array(n), reason: new Uint8Array(n),
  }
  const z = new Uint16Array(0)
  return {
    cpus: 1, durationNs: 1000, droppedSlices: 0, counters: [], actors: [{ id: 0, name: 'a', kind: 0 }], slices: s,
    events: { wakeups: { count: 0, t: new Float64Array(0), fromCpu: z, toCpu: z, waker: new Uint32Array(0), wakee: new Uint32Array(0) }, migrations: { count: 0, t: new Float64Array(0), fromCpu: z, toCpu: z, actor: new Uint32Array(0) }, modeSwitches: [] },
  }
}

describe('slice lane track', () => {
  // one softirq slice over the first half of [0, 1000) ns, one vhost slice over [750, 1000)
  const t = oneCpu([[0, 500, 1], [750, 1000, 3]])
  const lane = buildIndex(t).cpuLanes[0]!
  const track = new SliceLaneTrack(lane, t)

  it('draws the lane background and each slice as a full-height run of its kind\'s colour, at the time scale', () => {
    const p = new Recorder()
    track.render(trackContext(p, 100, 16, 0, 1000))
    const rects = p.ops.filter((o) => o.op === 'rects')
    expect(rects[0]).toEqual({ op: 'rects', fill: TRACK_COLORS.laneBg, rs: [[0, 0, 100, 16]] })
    const full = (k: number) => rgbCss(blend(k, INTENSITY_LEVELS / INTENSITY_LEVELS))
    expect(rects.find((r) => r.fill === full(1))?.rs).toEqual([[0, 0, 50, 16]])
    expect(rects.find((r) => r.fill === full(3))?.rs).toEqual([[75, 0, 25, 16]])
  })
  it('follows the visible window: zoomed to [500, 1000) the vhost slice fills the right half', () => {
    const p = new Recorder()
    track.render(trackContext(p, 100, 16, 500, 1000))
    const rects = p.ops.filter((o) => o.op === 'rects').slice(1)
    expect(rects).toHaveLength(1)
    expect(rects[0]!.rs).toEqual([[50, 0, 50, 16]])
  })
  it('answers hit tests in its box', () => {
    const ctx = trackContext(new Recorder(), 100, 16, 0, 1000)
    expect(track.hitTest(ctx, 10, 8)).toMatchObject({ kind: 'slice', slice: 0 })
    expect(track.hitTest(ctx, 90, 8)).toMatchObject({ kind: 'slice', slice: 1 })
    expect(track.hitTest(ctx, 62, 8)).toBeNull()
    expect(track.hitTest(ctx, 10, 20)).toBeNull()
  })
  it('stays bounded by pixels for a dense lane (the SVG backend: a path per colour)', () => {
    const big = syntheticTrace({ cpus: 1, slices: 200_000, durationNs: 100e6 })
    const p = new SvgPainter()
    new SliceLaneTrack(buildIndex(big).cpuLanes[0]!, big).render(trackContext(p, 800, 16, 0, 100e6))
    expect(p.out.length).toBeLessThan(1 + 10 * INTENSITY_LEVELS)
    expect(p.out.join('').match(/M/g)!.length).toBeLessThan(800 * 10)
  })
})

describe('counter track', () => {
  const c: CounterTrack = { name: 'tun drops', unit: 'pkts/s', kind: 'rate', t: Float64Array.from([0, 500, 1000]), v: Float64Array.from([0, 100, 50]) } as CounterTrack
  it('draws its line on the 0..max scale inside the box, one point per column (drops in red), over a filled area', () => {
    const p = new Recorder()
    new CounterLineTrack(c, 100).render(trackContext(p, 100, 40, 0, 1000))
    const poly = p.ops.find((o) => o.op === 'poly')
    expect(poly).toMatchObject({ stroke: TRACK_COLORS.dropLine })
    const pts = poly?.op === 'poly' ? poly.pts : []
    expect(pts).toHaveLength(100)
    expect(pts[0]).toEqual([0.5, 38])
    expect(pts[49]).toEqual([49.5, 38])
    expect(pts[50]).toEqual([50.5, 2])
    const area = p.ops.find((o) => o.op === 'polygon')
    expect(area?.op === 'polygon' && [area.pts[0], area.pts[area.pts.length - 1]]).toEqual([[0.5, 40], [99.5, 40]])
  })
  it('keeps a short peak between samples visible: a column spanning several samples is drawn min..max', () => {
    const spiky: CounterTrack = { name: 'tun', unit: 'pkts', kind: 'level', t: Float64Array.from([0, 1, 2, 3]), v: Float64Array.from([0, 100, 0, 0]) }
    const p = new Recorder()
    new CounterLineTrack(spiky, 100).render(trackContext(p, 1, 40, 0, 4))
    const poly = p.ops.find((o) => o.op === 'poly')
    expect(poly?.op === 'poly' && poly.pts).toEqual([[0.5, 2], [0.5, 38], [0.5, 2]])
  })
  it('draws run A dashed grey on the same scale, and nothing but the background at max 0', () => {
    const p = new Recorder()
    const a = { ...c, v: Float64Array.from([0, 50, 50]) }
    new CounterLineTrack(c, 100, a).render(trackContext(p, 100, 40, 0, 1000))
    const ref = p.ops.filter((o) => o.op === 'poly').at(-1)
    expect(ref).toMatchObject({ stroke: TRACK_COLORS.refLine, dash: [4, 3] })
    expect(ref?.op === 'poly' && [ref.pts[0], ref.pts[50]]).toEqual([[0.5, 38], [50.5, 20]])
    const empty = new Recorder()
    new CounterLineTrack(c, 0).render(trackContext(empty, 100, 40, 0, 1000))
    expect(empty.ops.map((o) => o.op)).toEqual(['rects'])
  })
  it('hit test gives the value in effect under the pointer', () => {
    const ctx = trackContext(new Recorder(), 100, 40, 0, 1000)
    expect(new CounterLineTrack(c, 100).hitTest(ctx, 60, 10)).toEqual({ kind: 'counter', value: 100, t: 600 })
    expect(new CounterLineTrack(c, 100).hitTest(ctx, 60, 50)).toBeNull()
  })
})

describe('slice lane track, raster backend (the on-screen canvas)', () => {
  it('writes the same columns into the device-pixel rows of its box, and nothing outside them', () => {
    const t = oneCpu([[0, 500, 1], [750, 1000, 3]])
    const track = new SliceLaneTrack(buildIndex(t).cpuLanes[0]!, t)
    const u32 = new Uint32Array(100 * 20)
    const ra: LaneRaster = { u32, width: 100, height: 20, row0: 2, row1: 18, sig: 0 }
    track.render({ ...trackContext(new Recorder(), 100, 16, 0, 1000), raster: ra })
    const lut = buildPixelLut()
    const full = (k: number) => lut[k * INTENSITY_LEVELS + INTENSITY_LEVELS - 1]
    expect(u32[5 * 100 + 10]).toBe(full(1))
    expect(u32[5 * 100 + 60]).toBe(packRgb(LANE_BG))
    expect(u32[17 * 100 + 90]).toBe(full(3))
    expect(u32[1 * 100 + 10]).toBe(0)
    expect(u32[18 * 100 + 10]).toBe(0)
    expect(ra.sig).not.toBe(0)
    expect(track.busy).toBeCloseTo(0.75, 2)
  })
})

// two CPUs; a wakeup CPU 0 → CPU 1 at 500 ns and a migration of actor 0 from CPU 1 to CPU 0 at 800 ns
const two = (): Trace => {
  const t = oneCpu([[0, 100, 1]])
  const z = Uint16Array.from([0])
  const o = Uint16Array.from([1])
  return { ...t, cpus: 2, events: { wakeups: { count: 1, t: Float64Array.from([500]), fromCpu: z, toCpu: o, waker: new Uint32Array(1), wakee: new Uint32Array(1) }, migrations: { count: 1, t: Float64Array.from([800]), fromCpu: o, toCpu: z, actor: new Uint32Array(1) }, modeSwitches: [] } }
}

describe('marker tracks', () => {
  const centres = { cpu: new Map([[0, 8], [1, 27]]), actor: new Map<number, number>() }
  it('draws a wakeup from the waker\'s CPU lane to the wakee\'s with an arrowhead, a migration as a dashed line and a diamond', () => {
    const t = two()
    const track = new WakeupMigrationTrack(t, buildIndex(t), centres)
    const p = new Recorder()
    track.render(trackContext(p, 100, 40, 0, 1000))
    expect(p.ops[0]).toEqual({ op: 'poly', pts: [[50, 8], [50, 27]], stroke: 'rgba(32,33,36,0.45)', dash: undefined })
    expect(p.ops[1]).toMatchObject({ op: 'polygon', pts: [[50, 27], [47, 22], [53, 22]] })
    expect(p.ops[2]).toMatchObject({ op: 'poly', pts: [[80, 27], [80, 8]], dash: [2, 2] })
    expect(p.ops[3]).toMatchObject({ op: 'polygon', fill: '#e37400' })
    expect(track.drawn).toBe(2)
  })
  it('draws nothing when more than one mark per 3 px would be on screen', () => {
    const t = two()
    const track = new WakeupMigrationTrack(t, buildIndex(t), centres)
    const p = new Recorder()
    track.render(trackContext(p, 5, 40, 0, 1000))
    expect(p.ops).toEqual([])
    expect(track.drawn).toBe(0)
  })
  it('answers hover with what the mark is', () => {
    const t = two()
    const track = new WakeupMigrationTrack(t, buildIndex(t), centres)
    const ctx = trackContext(new Recorder(), 100, 40, 0, 1000)
    expect(track.hitTest(ctx, 50, 20)).toMatchObject({ kind: 'mark', title: 'wakeup: a woke a' })
    expect(track.hitTest(ctx, 80, 8)).toMatchObject({ kind: 'mark', title: 'migration: a', rows: [['from', 'CPU 1'], ['to', 'CPU 0'], ['at', expect.any(String)]] })
    expect(track.hitTest(ctx, 20, 8)).toBeNull()
  })
  it('lane centres are relative to the marker box', () => {
    const t = two()
    const ix = buildIndex(t)
    expect(laneCentres([{ lane: ix.cpuLanes[0]!, y: 30, h: 16 }], 26).cpu.get(0)).toBe(12)
  })
  it('mode switches: solid when applied, dashed when scheduled; a label that would overlap the previous one is left out', () => {
    const p = new Recorder()
    new ModeSwitchTrack([{ tNs: 100, label: 'IRQ 45 → threaded', applied: true }, { tNs: 120, label: 'IRQ 46 → threaded (scheduled)', applied: false }, { tNs: 900, label: 'x', applied: true }], 4, 1000).render(trackContext(p, 1000, 300, 0, 1000))
    const lines = p.ops.filter((o) => o.op === 'poly')
    expect(lines.map((l) => l.op === 'poly' && [l.pts[0]![0], l.dash])).toEqual([[100.5, []], [120.5, [4, 3]], [900.5, []]])
    expect(p.ops.filter((o) => o.op === 'text').map((o) => o.op === 'text' && o.s)).toEqual(['IRQ 45 → threaded', 'x'])
  })
})
