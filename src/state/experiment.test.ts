import { describe, expect, it } from 'vitest'
import { parseScenario } from '../engine/scenario.ts'
import { cellInput, cellScenario, checkConfig, defaultConfig, gridCells, parseNumberList, GRID_LIMITS, tableCsv, tableRows, type CellResult } from './experiment.ts'
import { decodeExperimentHash, encodeExperimentHash } from './experimentUrl.ts'
import { isExperimentHash } from './experimentView.ts'

const res = (kpps: number): CellResult => ({ kpps, offeredKpps: 1000, droppedKpps: 0, wallMs: 1 })

describe('experiment grid', () => {
  it('defaults to the published sweep: 4 × 5 × 3 cells at 1 s', () => {
    const c = defaultConfig()
    expect(gridCells(c.grid)).toHaveLength(60)
    expect(c.cellMs).toBe(1000)
    expect(checkConfig(c)).toBeNull()
  })

  it('cells are seed scenarios; sweep runs record no trace', () => {
    const c = defaultConfig()
    const cell = { payloadBytes: 64, flows: 25, mode: 'threaded-irq' as const }
    const s = cellScenario(cell, { ...c, cellMs: 100 })
    expect(s.durationMs).toBe(100)
    expect(s.traffic).toMatchObject({ flows: 25, payloadBytes: 64 })
    expect(s.rx).toMatchObject({ mode: 'threaded-irq', schedNormal: true, noAffinity: true })
    expect(s.trace.maxSlices).toBeGreaterThan(0)
    expect(parseScenario(cellInput(cell, c)).trace.maxSlices).toBe(0)
  })

  it('parses number lists with messages that name the field', () => {
    expect(parseNumberList('64, 1 64;1400', 'Payload sizes', GRID_LIMITS.payloads)).toEqual({ ok: true, values: [1, 64, 1400] })
    expect(parseNumberList('64, 2000', 'Payload sizes', GRID_LIMITS.payloads)).toEqual({ ok: false, error: "Payload sizes: '2000' is not an integer from 1 to 1472 B" })
    expect(parseNumberList(' ', 'Flow counts', GRID_LIMITS.flows).ok).toBe(false)
  })
})

describe('results table', () => {
  it('computes differences vs softirq and vs the published numbers', () => {
    const c = defaultConfig()
    c.grid = { payloads: [64, 256], flows: [25], modes: ['softirq', 'threaded-irq', 'threaded-napi'] }
    const results = { '64/25/softirq': res(800), '64/25/threaded-irq': res(1000), '64/25/threaded-napi': res(900) }
    const [r64, r256] = tableRows(c.grid, results)
    expect(r64!.vsSoftirq['threaded-irq']).toBeCloseTo(25)
    expect(r64!.vsSoftirq['threaded-napi']).toBeCloseTo(12.5)
    expect(r64!.published).toEqual({ softirq: 711, 'threaded-irq': 932 })
    expect(r64!.vsPublished.softirq).toBeCloseTo(((800 - 711) / 711) * 100)
    expect(r256!.published).toEqual({})
    const csv = tableCsv(c.grid, results, 1000).trim().split('\n')
    expect(csv[0]).toBe('payload_bytes,flows,cell_ms,softirq_kpps,threaded_irq_kpps,threaded_napi_kpps,threaded_irq_vs_softirq_pct,threaded_napi_vs_softirq_pct,published_softirq_kpps,softirq_vs_published_pct,published_threaded_irq_kpps,threaded_irq_vs_published_pct')
    expect(csv[1]).toBe('64,25,1000,800.0,1000.0,900.0,25.0,12.5,711,12.5,932,7.3')
    expect(csv[2]).toBe('256,25,1000,,,,,,,,,')
  })
})

describe('experiment link', () => {
  it('round-trips grid, duration and base scenario', () => {
    const c = defaultConfig()
    c.grid = { payloads: [64], flows: [1, 25], modes: ['softirq', 'threaded-irq'] }
    c.cellMs = 100
    c.base = parseScenario({ ...c.base, host: { cpus: 8 }, nic: { queues: 8 }, kernel: { era: 'v6.5+' } })
    const hash = encodeExperimentHash(c)
    expect(hash).toMatch(/^#view=experiment&payloads=64&flows=1,25&modes=softirq,threaded-irq&cellMs=100&b=3\.[A-Za-z0-9_-]+$/)
    expect(isExperimentHash(hash)).toBe(true)
    expect(isExperimentHash('#s=1.abc')).toBe(false)
    const d = decodeExperimentHash(hash)
    expect(d).toEqual({ ok: true, config: c })
  })

  it('a bare experiment link is the published experiment', () => {
    expect(decodeExperimentHash('#view=experiment')).toEqual({ ok: true, config: defaultConfig() })
  })

  it('refuses bad links with a readable reason', () => {
    expect(decodeExperimentHash('#view=experiment&modes=softirq,bogus')).toMatchObject({ ok: false, error: expect.stringContaining("'bogus'") })
    expect(decodeExperimentHash('#view=experiment&flows=0')).toMatchObject({ ok: false, error: expect.stringContaining('flows') })
    expect(decodeExperimentHash('#view=experiment&cellMs=1e9')).toMatchObject({ ok: false })
    expect(decodeExperimentHash('#view=experiment&b=1.notdeflate')).toMatchObject({ ok: false, error: expect.stringContaining('base scenario') })
  })
})
