import { describe, expect, it } from 'vitest'
import { defaultScenario, describeScenarioFields, irqSettings, parseScenario, ScenarioError } from './scenario.ts'

describe('scenario schema', () => {
  it('fills defaults', () => {
    const s = defaultScenario()
    expect(s.version).toBe(2)
    expect(s.host.cpus).toBe(16)
    expect(s.nic.ringSize).toBe(512)
    expect(s.rx.mode).toBe('softirq')
  })
  it('names the bad field', () => {
    expect(() => parseScenario({ host: { cpus: 0 } })).toThrow(/host\.cpus/)
    expect(() => parseScenario({ traffic: { payloadBytes: 'big' } })).toThrow(/traffic\.payloadBytes/)
    expect(() => parseScenario({ nope: 1 })).toThrow(ScenarioError)
    expect(() => parseScenario({ nic: { queues: 4 }, rx: { irqs: [{ queue: 7, threaded: true }] } })).toThrow(/rx\.irqs\.0\.queue/)
    expect(() => parseScenario({ durationMs: 10, warmupMs: 20 })).toThrow(/warmupMs/)
  })
  it('applies per-IRQ overrides over the mode defaults', () => {
    const s = parseScenario({ nic: { queues: 3 }, host: { cpus: 2 }, rx: { mode: 'threaded-irq', irqs: [{ queue: 1, threaded: false, cpu: 0 }] } })
    const irqs = irqSettings(s)
    expect(irqs.map((i) => i.threaded)).toEqual([true, false, true])
    expect(irqs.map((i) => i.cpu)).toEqual([0, 0, 0])
    expect(irqs[2]!.action).toBe('eth0-TxRx-2')
    expect(irqs[2]!.irq).toBe(47)
  })
})

describe('documented schema', () => {
  const fields = describeScenarioFields()
  it('lists every field with a description; numbers with their range', () => {
    expect(fields.map((f) => f.path)).toEqual(expect.arrayContaining(['durationMs', 'kernel.hz', 'traffic.payloadBytes', 'rx.switches[].atMs', 'consumer.receiverCpu']))
    for (const f of fields) {
      expect(f.description, f.path).toMatch(/\w{3,}/)
      if (f.min !== undefined || f.max !== undefined) expect(f.max, f.path).toBeGreaterThanOrEqual(f.min!)
    }
  })
  it('gives every top-level field (not inside a list) a default that the parser accepts', () => {
    const d = defaultScenario() as unknown as Record<string, unknown>
    // optional caps (perFlowKpps, senderMaxKpps) have no default: unset means "no cap"
    for (const f of fields.filter((x) => !x.path.includes('[]') && !/\bcap\b|no default/.test(x.description))) {
      expect(f.default, f.path).toBeDefined()
      const value = f.path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], d)
      expect(value, f.path).toEqual(f.default)
    }
  })
  it('states a unit for every numeric quantity', () => {
    const units = /\b(ms|Hz|kpps|bytes|packets|count)\b|µs|IRQ number|index|seed|version|CPU|rx queue/
    for (const f of fields.filter((x) => x.min !== undefined || typeof x.default === 'number')) expect(f.description, f.path).toMatch(units)
  })
})
