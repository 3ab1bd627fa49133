import { beforeEach, describe, expect, it } from 'vitest'
import { parseScenario, type Scenario } from '../engine/scenario.ts'
import { setField } from './scenarioEdit.ts'
import { usePlayground } from './store.ts'
import { decodeState, encodeState } from './urlCodec.ts'
import { linkState } from './urlSync.ts'

/** What an edit through ui/actions.ts commit does: the scenario and the writes it moved out. */
function edit(s: Scenario, path: string, value: unknown, keepParked = true): void {
  const r = setField(s, path, value)
  if (!r.ok) throw new Error(r.error)
  usePlayground.getState().setScenario(r.scenario, { switches: r.parked, writes: r.parkedWrites }, keepParked)
}
const st = () => usePlayground.getState()

describe('parked knob writes in the store', () => {
  beforeEach(() => st().setScenario(parseScenario({}), {}, false))

  it('an edit parks a write, the next edit that fits brings it back; removing one drops it', () => {
    st().setScenario(parseScenario({ kernel: { era: 'v6.6+' }, writes: [{ atMs: 80, knob: 'napi_defer_hard_irqs', value: 2 }] }), {}, false)
    edit(st().scenario, 'durationMs', 50)
    expect(st().scenario.writes).toEqual([])
    expect(st().parkedWrites).toEqual([{ atMs: 80, knob: 'napi_defer_hard_irqs', index: -1, value: 2 }])
    // an unrelated edit keeps the list
    edit(st().scenario, 'traffic.flows', 3)
    expect(st().parkedWrites).toHaveLength(1)
    edit(st().scenario, 'durationMs', 100)
    expect(st().scenario.writes.map((x) => x.atMs)).toEqual([80])
    expect(st().parkedWrites).toEqual([])

    edit(st().scenario, 'durationMs', 50)
    expect(st().parkedWrites).toHaveLength(1)
    st().removeParkedWrite(0)
    expect(st().parkedWrites).toEqual([])
  })

  it('a preset (keepParked false) starts a new list', () => {
    edit(parseScenario({ kernel: { era: 'v6.6+' }, writes: [{ atMs: 80, knob: 'netdev_budget', value: 600 }] }), 'durationMs', 50)
    expect(st().parkedWrites).toHaveLength(1)
    st().setScenario(parseScenario({}), {}, false)
    expect(st().parkedWrites).toEqual([])
  })

  it('a saved state (a link, a history entry) holds them, and putting it back restores them', () => {
    edit(parseScenario({ kernel: { era: 'v6.6+' }, nic: { queues: 4 }, writes: [{ atMs: 30, knob: 'gro_flush_timeout', index: 3, value: 20 }] }), 'nic.queues', 2)
    expect(st().parkedWrites).toEqual([{ atMs: 30, knob: 'gro_flush_timeout', index: 3, value: 20 }])
    const saved = decodeState(encodeState(linkState(st())))
    if (!saved.ok) throw new Error(saved.error)
    expect(saved.state.parkedWrites).toEqual(st().parkedWrites)

    st().setScenario(parseScenario({}), {}, false)
    expect(st().parkedWrites).toEqual([])
    st().applyState(saved.state)
    expect(st().scenario.nic.queues).toBe(2)
    expect(st().parkedWrites).toEqual([{ atMs: 30, knob: 'gro_flush_timeout', index: 3, value: 20 }])
    // and the edit that fits it again brings it back into the scenario
    edit(st().scenario, 'nic.queues', 4)
    expect(st().scenario.writes).toEqual([{ atMs: 30, knob: 'gro_flush_timeout', index: 3, value: 20 }])
    expect(st().parkedWrites).toEqual([])
  })
})
