import { describe, expect, it } from 'vitest'
import { parseScenario, type KnobWrite, type ScenarioInput } from '../engine/scenario.ts'
import { knobWriteProblem, MAX_WRITES, mergeParkedWrites, setField } from './scenarioEdit.ts'

const base = (extra: ScenarioInput = {}) => parseScenario({ kernel: { era: 'v6.6+' }, nic: { queues: 4 }, consumer: { kind: 'local', threads: 2 }, ...extra })
const w = (atMs: number, knob: KnobWrite['knob'], index = -1, value = 1): KnobWrite => ({ atMs, knob, index, value })

describe('knob writes that no longer apply are parked, not lost', () => {
  it('knobWriteProblem names what the engine would refuse', () => {
    const s = base()
    expect(knobWriteProblem(w(40, 'napi_defer_hard_irqs', 3), s)).toBeNull()
    expect(knobWriteProblem(w(140, 'napi_defer_hard_irqs'), s)).toBe('after the end (100 ms)')
    expect(knobWriteProblem(w(40, 'gro_flush_timeout', 4), s)).toBe('no such queue')
    expect(knobWriteProblem(w(40, 'busy_poll_usecs', 2), s)).toBe('no such thread')
    expect(knobWriteProblem(w(40, 'busy_poll_usecs'), parseScenario({}))).toBe('needs the local application')
    expect(knobWriteProblem(w(40, 'irq_suspend_timeout'), base({ kernel: { era: 'v6.5+' } }))).toBe('not in kernel era v6.5+')
    expect(knobWriteProblem(w(40, 'threaded', -1, 2), s)).toBe('threaded = 2 needs threaded NAPI and era v6.6+')
  })

  it('a shorter run parks a later write; a longer one brings it back', () => {
    const s = parseScenario({ ...base(), writes: [w(20, 'netdev_budget', -1, 600), w(80, 'napi_defer_hard_irqs', -1, 2)] })
    const r = setField(s, 'durationMs', 50)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.scenario.durationMs).toBe(50)
    expect(r.scenario.writes).toEqual([w(20, 'netdev_budget', -1, 600)])
    expect(r.parkedWrites).toEqual([w(80, 'napi_defer_hard_irqs', -1, 2)])
    const back = setField(r.scenario, 'durationMs', 100)
    expect(back.ok && back.parkedWrites).toBeFalsy()
    if (!back.ok) return
    const m = mergeParkedWrites(back.scenario, r.parkedWrites!)
    expect(m.parked).toEqual([])
    expect(m.scenario.writes).toEqual([w(20, 'netdev_budget', -1, 600), w(80, 'napi_defer_hard_irqs', -1, 2)])
  })

  it('an older era, fewer queues or the guest consumer park the writes they make impossible', () => {
    const s = parseScenario({ ...base(), writes: [w(10, 'irq_suspend_timeout', -1, 100), w(20, 'gro_flush_timeout', 3, 20), w(30, 'busy_poll_usecs', 1, 50)] })
    const era = setField(s, 'kernel.era', 'v6.5+')
    expect(era.ok && era.parkedWrites?.map((x) => x.knob)).toEqual(['irq_suspend_timeout'])
    const queues = setField(s, 'nic.queues', 2)
    expect(queues.ok && queues.parkedWrites?.map((x) => x.knob)).toEqual(['gro_flush_timeout'])
    const threads = setField(s, 'consumer.threads', 1)
    expect(threads.ok && threads.parkedWrites?.map((x) => x.knob)).toEqual(['busy_poll_usecs'])
  })

  it('a scenario rule that parking cannot fix is still the engine\'s error', () => {
    const s = base({ consumer: { kind: 'local', busyPoll: { usecs: 50 } } })
    const r = setField(s, 'consumer.kind', 'guest')
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toContain('consumer.busyPoll')
  })

  it('at most 64 writes in the scenario; the rest wait', () => {
    const s = base()
    const many = Array.from({ length: MAX_WRITES + 3 }, (_, i) => w(i, 'netdev_budget', -1, 300 + i))
    const m = mergeParkedWrites(s, many)
    expect(m.scenario.writes).toHaveLength(MAX_WRITES)
    expect(m.parked).toHaveLength(3)
    expect(parseScenario(m.scenario).writes).toHaveLength(MAX_WRITES)
  })

  it('returns the same scenario when there is nothing to merge', () => {
    const s = base()
    expect(mergeParkedWrites(s, []).scenario).toBe(s)
  })
})
