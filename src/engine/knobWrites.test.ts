// Knob writes during a run (scenario.writes): each takes effect at its moment, where the kernel
// reads the value, and the trace records it.
import { describe, expect, it } from 'vitest'
import { parseScenario, tryParseScenario, type ScenarioInput } from './scenario.ts'
import { runSimulation } from './sim.ts'
import { SliceKind, type SimResult } from './types.ts'

const run = (input: ScenarioInput): SimResult => runSimulation(parseScenario(input))
const base = (writes: ScenarioInput['writes'], kpps = 20): ScenarioInput => ({
  durationMs: 40, warmupMs: 1, kernel: { era: 'v6.6+' }, host: { cpus: 2, sockets: 1 }, nic: { queues: 1, itrUs: 10 },
  traffic: { flows: 1, payloadBytes: 64, perFlowKpps: kpps }, consumer: { kind: 'local', receiverCpu: 1 }, writes,
})
/** slices of an actor (and kind) before / after a moment */
function split(r: SimResult, name: string, atNs: number, kind?: number): [number, number] {
  const a = r.trace.actors.find((x) => x.name === name)?.id ?? -1
  const s = r.trace.slices
  const out: [number, number] = [0, 0]
  for (let i = 0; i < s.count; i++) if (s.actor[i] === a && (kind === undefined || s.kind[i] === kind)) out[s.start[i]! < atNs ? 0 : 1]++
  return out
}

describe('knob writes during a run', () => {
  it('napi_defer_hard_irqs + gro_flush_timeout written at 20 ms: timer polls start then, interrupts thin out', () => {
    const r = run(base([{ atMs: 20, knob: 'napi_defer_hard_irqs', value: 2 }, { atMs: 20, knob: 'gro_flush_timeout', value: 80 }]))
    const [timerBefore, timerAfter] = split(r, 'napi hrtimer', 20e6)
    const [irqBefore, irqAfter] = split(r, 'irq 45 (eth0-TxRx-0)', 20e6, SliceKind.hardirq)
    expect(timerBefore).toBe(0)
    expect(timerAfter).toBeGreaterThan(100)
    expect(irqAfter).toBeLessThan(irqBefore / 4)
    expect(r.trace.events.knobWrites?.map((w) => w.knob)).toEqual(['napi_defer_hard_irqs', 'gro_flush_timeout'])
  })
  it('busy_poll_usecs written on at 20 ms: the application busy-polls from then on', () => {
    const r = run(base([{ atMs: 20, knob: 'busy_poll_usecs', value: 100 }]))
    const [before, after] = split(r, 'udp_sink', 20e6, SliceKind.busyPoll)
    expect(before).toBe(0)
    expect(after).toBeGreaterThan(100)
  })
  it('threaded = 1 at 20 ms moves the NAPI to its kthread', () => {
    const r = run(base([{ atMs: 20, knob: 'threaded', value: 1 }]))
    expect(r.summary.modeSwitches).toBe(1)
    const [before, after] = split(r, 'napi/eth0-8193', 20e6)
    expect(before).toBe(0)
    expect(after).toBeGreaterThan(100)
  })
  it('netdev_budget written small at 20 ms: rounds end on the budget from then on', () => {
    const flood = base([{ atMs: 20, knob: 'netdev_budget', value: 8 }], 2000)
    const r = run(flood)
    const plain = run(base([], 2000))
    expect(r.summary.timeSqueeze[0]!).toBeGreaterThan(4 * Math.max(1, plain.summary.timeSqueeze[0]!))
  })
  it('refuses a knob the era lacks, an index that is not there, a value out of range', () => {
    expect(tryParseScenario({ kernel: { era: 'v6.5+' }, writes: [{ atMs: 1, knob: 'irq_suspend_timeout', value: 100 }] })).toMatchObject({ ok: false, error: expect.stringContaining('v6.6+') })
    expect(tryParseScenario({ kernel: { era: 'v6.6+' }, nic: { queues: 2 }, writes: [{ atMs: 1, knob: 'gro_flush_timeout', index: 5, value: 10 }] })).toMatchObject({ ok: false, error: expect.stringContaining('index') })
    expect(tryParseScenario({ kernel: { era: 'v6.6+' }, writes: [{ atMs: 1, knob: 'prefer_busy_poll', value: 3 }] }).ok).toBe(false)
  })
})
