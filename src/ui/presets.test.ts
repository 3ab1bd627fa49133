import { describe, expect, it } from 'vitest'
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
})
