import { describe, expect, it } from 'vitest'
import { SliceKind, type SimResult, type SliceColumns } from '../engine/types.ts'
import { computeLayout } from './layout.ts'
import { buildIndex, counterAccrued } from './model.ts'
import { softnetCounters } from './softnet.ts'

/** slices: [start, end, cpu, kind, packets] */
function run(rows: [number, number, number, number, number][], timeSqueeze: number[]): Pick<SimResult, 'trace' | 'summary'> {
  const n = rows.length
  const slices: SliceColumns = {
    count: n, start: Float64Array.from(rows, (r) => r[0]), end: Float64Array.from(rows, (r) => r[1]), cpu: Uint16Array.from(rows, (r) => r[2]),
    kind: Uint8Array.from(rows, (r) => r[3]), actor: new Uint32Array(n), packets: Uint32Array.from(rows, (r) => r[4]), reason: new Uint8Array(n),
  }
  const z = new Uint16Array(0)
  const trace = {
    cpus: 3, durationNs: 1e6, droppedSlices: 0, actors: [{ id: 0, name: 'a', kind: 0 }], slices,
    counters: [{ name: 'tun queue', unit: 'packets', kind: 'level' as const, t: Float64Array.from({ length: 10 }, (_, i) => i * 1e5), v: new Float64Array(10) }],
    events: { wakeups: { count: 0, t: new Float64Array(0), fromCpu: z, toCpu: z, waker: new Uint32Array(0), wakee: new Uint32Array(0) }, migrations: { count: 0, t: new Float64Array(0), fromCpu: z, toCpu: z, actor: new Uint32Array(0) }, modeSwitches: [] },
  }
  return { trace, summary: { timeSqueeze } } as unknown as Pick<SimResult, 'trace' | 'summary'>
}

describe('softnet_stat counter tracks', () => {
  // CPU 0: a softirq poll of 64 and a ksoftirqd poll of 30; CPU 2: an IRQ thread's 10, a vhost copy (not a NAPI poll) of 99
  const r = run([[0, 5e4, 0, SliceKind.softirq, 64], [3e5, 3.5e5, 0, SliceKind.ksoftirqd, 30], [1e5, 1.2e5, 2, SliceKind.irqThread, 10], [0, 9e5, 2, SliceKind.vhost, 99], [0, 1e4, 1, SliceKind.app, 5]], [7, 0, 2])
  const tracks = softnetCounters(r)

  it('has one track per CPU that ran NAPI polls, named with its time_squeeze', () => {
    expect(tracks.map((t) => t.name)).toEqual(['softnet CPU 0 processed (time_squeeze 7 in the run)', 'softnet CPU 2 processed (time_squeeze 2 in the run)'])
    expect(tracks.every((t) => t.kind === 'rate' && t.unit === 'kpps')).toBe(true)
  })
  it('integrates to the packets the CPU processed, in the period where each poll ended', () => {
    expect(counterAccrued(tracks[0]!, 0, 1e6)).toBeCloseTo(94, 6)
    expect(counterAccrued(tracks[1]!, 0, 1e6)).toBeCloseTo(10, 6)
    expect(counterAccrued(tracks[0]!, 3e5, 4e5)).toBeCloseTo(30, 6)
    // 64 packets in the first 100 µs sample = 640 kpps
    expect(tracks[0]!.v[0]).toBeCloseTo(640, 6)
  })
  it('come after the run\'s own counters in the layout, only when asked for', () => {
    const index = buildIndex(r.trace)
    expect(computeLayout(1000, r.trace, index, false).counters.map((c) => c.track.name)).toEqual(['tun queue'])
    expect(computeLayout(1000, r.trace, index, false, { extra: tracks }).counters.map((c) => c.track.name.slice(0, 13))).toEqual(['tun queue', 'softnet CPU 0', 'softnet CPU 2'])
  })
})
