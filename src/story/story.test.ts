import { describe, expect, it } from 'vitest'
import { decodeState, encodeState } from '../state/urlCodec.ts'
import { STORY, stepHighlight, stepState } from './story.ts'

describe('the guided story', () => {
  it('walks the seed\'s argument in order: rx path, softirq with many flows, threads, one flow, threaded NAPI, v6.6+', () => {
    expect(STORY.map((s) => s.id)).toEqual(['rx-path', 'softirq-many-flows', 'threads-placed', 'one-flow', 'threaded-napi', 'today'])
    const modes = STORY.map((_, i) => stepState(i).scenario.rx.mode)
    expect(modes).toEqual(['softirq', 'softirq', 'threaded-irq', 'threaded-irq', 'threaded-napi', 'threaded-napi'])
    expect(stepState(1).scenario.traffic.flows).toBe(25)
    expect(stepState(3).scenario.traffic).toMatchObject({ flows: 1, payloadBytes: 256 })
    expect(stepState(3).pinnedScenario?.rx.mode).toBe('softirq')
    expect(stepState(5).scenario.kernel.era).toBe('v6.6+')
    expect(stepState(5).pinnedScenario?.kernel.era).toBe('v6.6+')
  })
  it('every step is a whole state whose link reopens the same step and scenario', () => {
    STORY.forEach((step, i) => {
      const st = stepState(i)
      expect(st.story).toBe(i)
      expect(step.text.length).toBeGreaterThan(0)
      expect(step.look.length).toBeGreaterThan(0)
      // the window and selection lie inside the run
      for (const r of [st.view, st.selection]) if (r) expect(r.endNs).toBeLessThanOrEqual(st.scenario.durationMs * 1e6)
      const back = decodeState(encodeState(st))
      expect(back.ok).toBe(true)
      if (back.ok) {
        expect(back.state.story).toBe(i)
        expect(back.state.scenario).toEqual(st.scenario)
        expect(back.state.pinnedScenario).toEqual(st.pinnedScenario)
        expect(back.state.view).toEqual(st.view)
      }
    })
  })
  it('outlines lanes by label', () => {
    expect(stepHighlight(null)).toBeNull()
    expect(stepHighlight(0)?.test('vhost-4242')).toBe(true)
    expect(stepHighlight(0)?.test('CPU 1/KVM')).toBe(true)
    expect(stepHighlight(0)?.test('CPU 1')).toBe(false)
    expect(stepHighlight(4)?.test('napi/eth0-8200')).toBe(true)
  })
})
