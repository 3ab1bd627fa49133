import { describe, expect, it } from 'vitest'
import { PRESETS as ENGINE_PRESETS } from '../engine/presets.ts'
import { parseScenario } from '../engine/scenario.ts'
import { encodeHash } from '../state/urlCodec.ts'
import { PRESETS } from './presets.ts'

describe('UI presets', () => {
  it('are valid scenarios with short links', () => {
    for (const p of PRESETS) {
      const s = parseScenario(p.scenario)
      expect(s.durationMs).toBeLessThanOrEqual(100)
      expect(encodeHash(s).length).toBeLessThan(400)
    }
    expect(parseScenario(PRESETS[0]!.scenario).rx.mode).toBe('threaded-irq')
    expect(parseScenario(PRESETS.find((p) => p.id === 'local-other-cpu')!.scenario).consumer.receiverCpu).toBe(1)
  })

  it('show every engine preset once, the new ones with the engine description and a title', () => {
    expect(PRESETS).toHaveLength(ENGINE_PRESETS.length)
    expect(new Set(PRESETS.map((p) => p.id))).toEqual(new Set(ENGINE_PRESETS.map((p) => p.name)))
    for (const name of ['busy-poll-selftest', 'memcached-base', 'memcached-fullbusy', 'memcached-suspend20', 'rr-1000-flows-softirq', 'rr-1000-flows-threaded']) {
      const ui = PRESETS.find((p) => p.id === name)!
      expect(ui.description).toBe(ENGINE_PRESETS.find((p) => p.name === name)!.description)
      expect(ui.name).not.toBe(name)
    }
  })

  it('keep the warm-up of a preset that fits in 100 ms, and shorten the others as before', () => {
    const suspend = parseScenario(PRESETS.find((p) => p.id === 'memcached-suspend20')!.scenario)
    expect([suspend.durationMs, suspend.warmupMs]).toEqual([100, 20])
    expect(suspend.nic.irqSuspendTimeoutUs).toBe(20_000)
    const seed = parseScenario(PRESETS.find((p) => p.id === 'seed-2016')!.scenario)
    expect([seed.durationMs, seed.warmupMs]).toEqual([100, 10])
  })
})
