import { describe, expect, it } from 'vitest'
import { syntheticResult } from '../timeline/synthetic.ts'
import { deltaTone, headlineMetrics, metricsCsv } from './metrics.ts'

describe('metrics', () => {
  it('gives every headline number a unit and writes CSV with one column per run', () => {
    const a = syntheticResult({ cpus: 2, slices: 100 })
    a.summary.offeredKpps = 1000
    a.summary.deliveredKpps = 800
    a.summary.packets.dropped = { 'nic ring': 5, 'a "quoted", place': 1 }
    const m = headlineMetrics(a)
    expect(m.find((x) => x.key === 'deliveredPct')?.value).toBe(80)
    for (const x of m) if (x.key !== 'modeSwitches') expect(x.unit).not.toBe('')
    const csv = metricsCsv([{ label: 'A', r: a }, { label: 'B', r: a }])
    const lines = csv.trim().split('\n')
    expect(lines[0]).toBe('section,metric,unit,A,B')
    expect(csv).toContain('throughput,Delivered,kpps,800,800')
    expect(csv).toContain('drops,"a ""quoted"", place",pkts,1,1')
    expect(csv).toContain('cpu,CPU 1 softirq,%,35,35')
  })
})

describe('deltaTone', () => {
  it('colours a difference by whether B is better, not by its sign', () => {
    const m = headlineMetrics(syntheticResult({ cpus: 1, slices: 10 }))
    const better = (key: string) => m.find((x) => x.key === key)!.better
    expect(deltaTone(+5, better('deliveredKpps'))).toBe('dpos')
    expect(deltaTone(-5, better('deliveredKpps'))).toBe('dneg')
    // more drops is worse
    expect(deltaTone(+5, better('droppedKpps'))).toBe('dneg')
    expect(deltaTone(+5, better('dropped'))).toBe('dneg')
    expect(deltaTone(-5, better('dropped'))).toBe('dpos')
    // inputs and CPU use are neither good nor bad
    expect(deltaTone(+5, better('offeredKpps'))).toBe('dneu')
    expect(deltaTone(-5, better('busyCpus'))).toBe('dneu')
  })
})
