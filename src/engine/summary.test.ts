import { describe, expect, it } from 'vitest'
import { parseScenario, runSimulation } from './index.ts'
import { PRESETS } from './presets.ts'

describe('summary and counters contract', () => {
  it('lists every drop place of the path, in path order, zeros included', () => {
    const guest = runSimulation(parseScenario({ durationMs: 5, warmupMs: 1, traffic: { senderMaxKpps: 50 } }))
    expect(Object.keys(guest.summary.packets.dropped)).toEqual(['nic ring', 'tun queue', 'guest socket'])
    expect(Object.values(guest.summary.packets.dropped)).toEqual([0, 0, 0])
    const local = runSimulation(parseScenario({ durationMs: 5, warmupMs: 1, consumer: { kind: 'local' } }))
    expect(Object.keys(local.summary.packets.dropped)).toEqual(['nic ring', 'host socket'])
  })
  it('says which counters are rates and which are levels', () => {
    const r = runSimulation(parseScenario({ durationMs: 5, warmupMs: 1 }))
    const kinds = Object.fromEntries(r.trace.counters.map((c) => [c.name, c.kind]))
    expect(kinds).toMatchObject({ delivered: 'rate', drops: 'rate', 'tun queue': 'level', 'NIC rx rings (all queues)': 'level' })
    for (const c of r.trace.counters) expect(c.kind === 'rate').toBe(c.unit === 'kpps')
  })
  it('has a threaded variant of the seed experiment that differs only in the mode', () => {
    const a = PRESETS.find((p) => p.name === 'seed-2016')!.scenario
    const b = PRESETS.find((p) => p.name === 'seed-2016-threaded')!.scenario
    expect(b.rx?.mode).toBe('threaded-irq')
    expect({ ...b, rx: { ...b.rx, mode: 'softirq' } }).toEqual(a)
  })
})

describe('softnet_stat time_squeeze', () => {
  it('counts rounds cut by the budget where several overloaded NAPI instances share a CPU, none elsewhere', () => {
    const input = (queues: number) => parseScenario({
      durationMs: 10, warmupMs: 1, host: { cpus: 2 }, nic: { queues },
      rx: { irqs: Array.from({ length: queues }, (_, queue) => ({ queue, cpu: 0 })) },
      traffic: { flows: 40, perFlowKpps: 300, senderMaxKpps: 12000 }, consumer: { kind: 'local', receiverCpu: 1 },
    })
    const many = runSimulation(input(8)).summary.timeSqueeze
    expect(many).toHaveLength(2)
    // ≥ 5 full rings: each round's 300-packet budget runs out (~0.4 ms of work per round)
    expect(many[0]).toBeGreaterThan(15)
    expect(many[1]).toBe(0)
    // one instance: each net_rx_action polls it once (64 < 300) and returns, never squeezed
    expect(runSimulation(input(1)).summary.timeSqueeze[0]).toBe(0)
  })
})

describe('one-flow regression preset', () => {
  it("is the seed's setup with one 256 B flow, threaded, and drops happen at the guest socket (92 datagrams of 256 B)", () => {
    const base = PRESETS.find((p) => p.name === 'one-flow-regression')!.scenario
    const s = parseScenario({ ...base, durationMs: 300, warmupMs: 100 })
    expect(s.host.cpus).toBe(16)
    expect(s.traffic.payloadBytes).toBe(256)
    const r = runSimulation(s).summary
    expect(r.packets.dropped['guest socket']).toBeGreaterThan(0)
  })
})
