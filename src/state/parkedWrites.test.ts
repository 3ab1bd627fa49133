import { describe, expect, it } from 'vitest'
import { parseScenario } from '../engine/scenario.ts'
import { acceptScenario, removeParkedWrite, useParkedWrites } from './parkedWrites.ts'
import { setField } from './scenarioEdit.ts'
import { usePlayground } from './store.ts'

describe('parked knob writes in the page', () => {
  it('an edit parks a write, the next edit that fits brings it back; a scenario from elsewhere drops the list', () => {
    const s = parseScenario({ kernel: { era: 'v6.6+' }, writes: [{ atMs: 80, knob: 'napi_defer_hard_irqs', value: 2 }] })
    acceptScenario(s, undefined, undefined, false)
    const short = setField(usePlayground.getState().scenario, 'durationMs', 50)
    if (!short.ok) throw new Error(short.error)
    acceptScenario(short.scenario, short.parked, short.parkedWrites, true)
    expect(usePlayground.getState().scenario.writes).toEqual([])
    expect(useParkedWrites.getState().parked).toHaveLength(1)
    const long = setField(usePlayground.getState().scenario, 'durationMs', 100)
    if (!long.ok) throw new Error(long.error)
    acceptScenario(long.scenario, long.parked, long.parkedWrites, true)
    expect(usePlayground.getState().scenario.writes.map((x) => x.atMs)).toEqual([80])
    expect(useParkedWrites.getState().parked).toEqual([])

    // park again, then remove by hand
    const again = setField(usePlayground.getState().scenario, 'durationMs', 50)
    if (!again.ok) throw new Error(again.error)
    acceptScenario(again.scenario, again.parked, again.parkedWrites, true)
    expect(useParkedWrites.getState().parked).toHaveLength(1)
    removeParkedWrite(0)
    expect(useParkedWrites.getState().parked).toEqual([])

    // a link / Back / a story step replaces the scenario: the parked list belonged to the old one
    const third = setField(parseScenario({ kernel: { era: 'v6.6+' }, writes: [{ atMs: 80, knob: 'netdev_budget', value: 600 }] }), 'durationMs', 50)
    if (!third.ok) throw new Error(third.error)
    acceptScenario(third.scenario, third.parked, third.parkedWrites, true)
    expect(useParkedWrites.getState().parked).toHaveLength(1)
    usePlayground.getState().setScenario(parseScenario({}))
    expect(useParkedWrites.getState().parked).toEqual([])
  })

  it('a preset (keepParked false) starts a new list', () => {
    const s = setField(parseScenario({ kernel: { era: 'v6.6+' }, writes: [{ atMs: 80, knob: 'netdev_budget', value: 600 }] }), 'durationMs', 50)
    if (!s.ok) throw new Error(s.error)
    acceptScenario(s.scenario, s.parked, s.parkedWrites, true)
    expect(useParkedWrites.getState().parked).toHaveLength(1)
    acceptScenario(parseScenario({}), undefined, undefined, false)
    expect(useParkedWrites.getState().parked).toEqual([])
  })
})
