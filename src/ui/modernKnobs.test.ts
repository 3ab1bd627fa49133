import { describe, expect, it } from 'vitest'
import { KNOBS, parseScenario, tryParseScenario, type ScenarioInput } from '../engine/scenario.ts'
import type { Trace } from '../engine/types.ts'
import { eraLacks, kindTotalNs, knobLacks, knobValue } from './modernKnobs.ts'

describe('era gates for the controls', () => {
  it('name the Linux release and the era to choose, and agree with the engine', () => {
    expect(knobLacks('v4.7', 'netdev_budget_usecs')).toBe('netdev_budget_usecs exists from Linux 4.12: choose kernel era v4.9 – v6.4 or later (now v4.7 (2016))')
    expect(knobLacks('v4.9-v6.4', 'netdev_budget_usecs')).toBeNull()
    expect(knobLacks('v6.5+', 'irq_suspend_timeout')).toContain('Linux 6.13: choose kernel era v6.6 and later (EEVDF)')
    expect(knobLacks('v6.6+', 'irq_suspend_timeout')).toBeNull()
    expect(eraLacks('v6.5+', 'v6.6+', '6.13', 'per-NAPI config')).toContain('per-NAPI config exists from Linux 6.13')
    // a knob the UI calls available is one the engine accepts a write to, and the other way round
    for (const era of ['v4.7', 'v4.9-v6.4', 'v6.5+', 'v6.6+'] as const) {
      for (const knob of KNOBS) {
        const input: ScenarioInput = { kernel: { era }, consumer: { kind: 'local' }, rx: { mode: 'threaded-napi' }, writes: [{ atMs: 1, knob, value: 1 }] }
        expect(tryParseScenario(input).ok, `${era} ${knob}`).toBe(knobLacks(era, knob) === null)
      }
    }
  })

  it('engine scenario fields gated the same way', () => {
    expect(tryParseScenario({ kernel: { era: 'v4.7', netdevBudgetUsecs: 1000 } }).ok).toBe(false)
    expect(tryParseScenario({ kernel: { era: 'v6.5+' }, nic: { irqSuspendTimeoutUs: 10 } }).ok).toBe(false)
    expect(tryParseScenario({ kernel: { era: 'v4.7' }, consumer: { kind: 'local', busyPoll: { budget: 16 } } }).ok).toBe(false)
    expect(parseScenario({ kernel: { era: 'v4.9-v6.4' }, consumer: { kind: 'local', busyPoll: { budget: 16, prefer: true } } }).consumer.busyPoll.prefer).toBe(true)
  })

  it('print values with their unit', () => {
    expect(knobValue('gro_flush_timeout', 20)).toBe('20 µs')
    expect(knobValue('napi_defer_hard_irqs', 100)).toBe('100')
    expect(knobValue('threaded', 2)).toBe('2')
    expect(knobValue('busy_poll_budget', 64)).toBe('64 packets')
  })
})

describe('kindTotalNs', () => {
  const slices = { count: 3, start: Float64Array.of(0, 10, 50), end: Float64Array.of(5, 30, 60), cpu: Uint16Array.of(0, 1, 0), kind: Uint8Array.of(9, 9, 1), actor: new Uint32Array(3), packets: new Uint32Array(3), reason: new Uint8Array(3) }
  it('sums one kind over stored slices', () => {
    expect(kindTotalNs({ slices } as Pick<Trace, 'busy' | 'slices'>, 9)).toBe(25)
    expect(kindTotalNs({ slices } as Pick<Trace, 'busy' | 'slices'>, 1)).toBe(10)
  })
  it('prefers the busy summary (every slice, stored or not)', () => {
    // 2 lanes × 2 buckets × 3 kinds
    const cpu = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
    const busy = { bucketNs: 1, buckets: 2, kinds: 3, lanes: 2, cpu, actor: new Float32Array(0) }
    expect(kindTotalNs({ slices, busy }, 2)).toBe(3 + 6 + 9 + 12)
  })
})
