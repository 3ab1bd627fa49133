import { describe, expect, it } from 'vitest'
import { parseScenario, runSimulation, type SimResult } from '../engine/index.ts'
import { PRESETS } from '../engine/presets.ts'
import { traceEventChunks, traceEventJson, usStr } from './traceEventExport.ts'
import { importTraceEventJson } from './traceEventImport.ts'

function run(preset: string, ms: number): SimResult {
  const p = PRESETS.find((x) => x.name === preset)!
  return runSimulation(parseScenario({ ...structuredClone(p.scenario), durationMs: ms, warmupMs: 1 }))
}

/** ns per CPU per kind, straight from the columns */
function busy(r: SimResult): number[][] {
  const out = Array.from({ length: r.trace.cpus }, () => Array.from({ length: 9 }, () => 0))
  const s = r.trace.slices
  for (let i = 0; i < s.count; i++) out[s.cpu[i]!]![s.kind[i]!]! += s.end[i]! - s.start[i]!
  return out
}

interface Ev { ph: string; pid: number; tid: number; ts: number; dur?: number; name: string; cat?: string; id?: number; args?: Record<string, unknown>; s?: string }

describe('Trace Event JSON export', () => {
  const a = run('seed-2016-threaded', 15)
  const b = run('local-same-cpu', 15)

  it('writes µs with exactly 3 decimals (exact ns)', () => {
    expect(usStr(0)).toBe('0.000')
    expect(usStr(1)).toBe('0.001')
    expect(usStr(12_345_678)).toBe('12345.678')
    expect(usStr(1_000)).toBe('1.000')
    expect(usStr(-5)).toBe('-0.005')
  })

  it('has the required fields per phase, monotonic timestamps per track and matched flow ids', () => {
    const doc = JSON.parse(traceEventJson([{ label: 'A', r: a }, { label: 'B', r: b }], { threads: true })) as { traceEvents: Ev[]; displayTimeUnit: string }
    expect(doc.displayTimeUnit).toBe('ns')
    const evs = doc.traceEvents
    expect(evs.length).toBeGreaterThan(a.trace.slices.count)
    const lastTs = new Map<string, number>()
    const flows = new Map<number, { s: number; f: number; sTs: number; fTs: number }>()
    const phases = new Set<string>()
    for (const e of evs) {
      phases.add(e.ph)
      expect(typeof e.ph).toBe('string')
      expect(Number.isInteger(e.pid)).toBe(true)
      expect(typeof e.name).toBe('string')
      if (e.ph === 'M') {
        expect(['process_name', 'process_sort_index', 'thread_name', 'thread_sort_index']).toContain(e.name)
        expect(e.args).toBeTypeOf('object')
        continue
      }
      expect(Number.isFinite(e.ts)).toBe(true)
      if (e.ph === 'X') {
        expect(Number.isInteger(e.tid)).toBe(true)
        expect(e.dur).toBeGreaterThanOrEqual(0)
        expect(e.cat).toBeTypeOf('string')
        expect(e.args).toHaveProperty('packets')
        expect(e.args).toHaveProperty('end_reason')
      }
      if (e.ph === 's' || e.ph === 'f') {
        expect(e.id).toBeTypeOf('number')
        expect(e.cat).toBe('sched')
        const f = flows.get(e.id!) ?? { s: 0, f: 0, sTs: NaN, fTs: NaN }
        if (e.ph === 's') { f.s++; f.sTs = e.ts } else { f.f++; f.fTs = e.ts }
        flows.set(e.id!, f)
      }
      if (e.ph === 'C') expect(Object.values(e.args ?? {}).every((v) => typeof v === 'number')).toBe(true)
      if (e.ph === 'i') expect(['t', 'p', 'g']).toContain(e.s)
      const track = e.ph === 'C' ? `${e.pid}/C/${e.name}` : `${e.pid}/${e.tid}`
      const prev = lastTs.get(track) ?? -Infinity
      expect(e.ts, `track ${track}`).toBeGreaterThanOrEqual(prev)
      lastTs.set(track, e.ts)
    }
    for (const ph of ['M', 'X', 's', 'f', 'C']) expect(phases, ph).toContain(ph)
    expect(flows.size).toBe(a.trace.events.wakeups.count + b.trace.events.wakeups.count)
    for (const [id, f] of flows) {
      expect([id, f.s, f.f]).toEqual([id, 1, 1])
      expect(f.fTs).toBe(f.sTs)
    }
    // thread tracks: every slice twice (CPU track + thread track)
    expect(evs.filter((e) => e.ph === 'X').length).toBe(2 * (a.trace.slices.count + b.trace.slices.count))
  })

  it('round-trips through the importer with identical per-CPU busy time by kind, wakeups and durations', () => {
    const runs = importTraceEventJson(traceEventJson([{ label: 'A', r: a }, { label: 'B', r: b }]), 'ab.json')
    expect(runs.map((r) => r.source.label)).toEqual(['A', 'B'])
    for (const [orig, back] of [[a, runs[0]!], [b, runs[1]!]] as const) {
      expect(back.trace.cpus).toBe(orig.trace.cpus)
      expect(back.trace.durationNs).toBe(orig.trace.durationNs)
      expect(back.trace.slices.count).toBe(orig.trace.slices.count)
      expect(busy(back)).toEqual(busy(orig))
      expect(back.trace.events.wakeups.count).toBe(orig.trace.events.wakeups.count)
      expect(back.trace.counters.map((c) => c.name)).toEqual(orig.trace.counters.map((c) => c.name))
      // the same summary columns as the engine's (CPU time per CPU in mpstat columns)
      for (let c = 0; c < orig.summary.cpu.length; c++) {
        expect(back.summary.cpu[c]!.hardirq).toBeCloseTo(orig.summary.cpu[c]!.hardirq, 6)
        expect(back.summary.cpu[c]!.softirq).toBeCloseTo(orig.summary.cpu[c]!.softirq, 6)
        expect(back.summary.cpu[c]!.idle).toBeCloseTo(orig.summary.cpu[c]!.idle, 6)
      }
    }
  })

  it('streams in chunks of bounded size', () => {
    const chunks = [...traceEventChunks([{ label: 'A', r: a }], { chunkChars: 4096 })]
    expect(chunks.length).toBeGreaterThan(10)
    for (const c of chunks.slice(0, -1)) expect(c.length).toBeLessThan(4096 + 1024)
    expect(() => JSON.parse(chunks.join(''))).not.toThrow()
  })
})
