import { describe, expect, it } from 'vitest'
import { ActorKind, EndReason, SliceKind, type SimResult } from '../engine/types.ts'
import { bottleneck, explainPair, explainRun, kindTotals } from './explain.ts'

const z16 = new Uint16Array(0)
/** A tiny synthetic result: rows [start, end, cpu, kind, actor, reason], drops by place, one drops counter. */
function result(rows: number[][], dropped: Record<string, number>, delivered: number): SimResult {
  const n = rows.length
  const col = <T extends Float64Array | Uint16Array | Uint8Array | Uint32Array>(C: { from(a: number[]): T }, k: number) => C.from(rows.map((r) => r[k]!))
  return {
    scenario: {} as SimResult['scenario'],
    perf: { wallMs: 0, eventsPerSec: 0 },
    summary: {
      packets: { offered: 1000, delivered, dropped, inFlight: 0 }, offeredKpps: 1000, deliveredKpps: delivered, droppedKpps: 1000 - delivered, lineRateKpps: 0,
      cpu: [{ cpu: 0, usr: 0, sys: 60, hardirq: 0, softirq: 40, idle: 0 }, { cpu: 1, usr: 0, sys: 0, hardirq: 0, softirq: 0, idle: 100 }],
      tasks: [{ actor: 0, name: 'CPU 0/KVM', cpuTimeNs: rows.filter((r) => r[4] === 0).reduce((a, r) => a + r[1]! - r[0]!, 0), migrations: 0, wakeups: 0, runDelayNs: 0 }],
      irqsPerQueue: [], timeSqueeze: [], modeSwitches: 0, eventsProcessed: 0, accountedNs: [], simulatedNs: 1e6,
    },
    trace: {
      cpus: 2, durationNs: 1e6, droppedSlices: 0,
      actors: [{ id: 0, name: 'CPU 0/KVM', kind: ActorKind.vcpu }, { id: 1, name: 'ksoftirqd/0', kind: ActorKind.ksoftirqd }, { id: 2, name: 'irq/45-eth0', kind: ActorKind.irqThread }],
      slices: { count: n, start: col(Float64Array, 0), end: col(Float64Array, 1), cpu: col(Uint16Array, 2), kind: col(Uint8Array, 3), actor: col(Uint32Array, 4), packets: new Uint32Array(n), reason: col(Uint8Array, 5) },
      counters: [{ name: 'tun queue', unit: 'packets', kind: 'level', t: Float64Array.from([0, 5e5]), v: Float64Array.from([500, 100]) }, { name: 'drops', unit: 'kpps', kind: 'rate', t: Float64Array.from([0, 5e5]), v: Float64Array.from([1, 9]) }],
      events: { wakeups: { count: 0, t: new Float64Array(0), fromCpu: z16, toCpu: z16, waker: new Uint32Array(0), wakee: new Uint32Array(0) }, migrations: { count: 0, t: new Float64Array(0), fromCpu: z16, toCpu: z16, actor: new Uint32Array(0) }, modeSwitches: [] },
    },
  }
}

// A: the vCPU thread on CPU 0 is cut by softirq for 400 µs; B: an IRQ thread runs on CPU 1 instead
const A = result([[0, 3e5, 0, SliceKind.vcpu, 0, EndReason.preempted], [3e5, 7e5, 0, SliceKind.softirq, 1, EndReason.done], [7e5, 1e6, 0, SliceKind.vcpu, 0, EndReason.end]], { 'tun queue': 900, 'guest socket': 10 }, 90)
const B = result([[0, 1e6, 0, SliceKind.vcpu, 0, EndReason.end], [0, 4e5, 1, SliceKind.irqThread, 2, EndReason.sleep]], { 'tun queue': 800 }, 200)

describe('why, in words', () => {
  it('finds the bottleneck by drops per place and its queue occupancy, with the moment of peak drops', () => {
    expect(bottleneck(A)).toMatchObject({ place: 'tun queue', drops: 900 })
    const s = explainRun(A).find((x) => x.topic === 'bottleneck')!
    expect(s.text).toMatch(/^Bottleneck: vhost-net.* 99 % of the drops \(900 packets\) are at the tun queue, which sits at ≥ 90 % of its peak \(500 packets\) 50 % of the time\./)
    expect(s.at).toEqual({ t0: 0, t1: 1e6 }) // peak drops at 0.5 ms, ±1 ms clipped to the run
  })

  it('says what the vCPU thread lost and to whom', () => {
    const g = explainRun(A).find((x) => x.topic === 'guest')!
    expect(g.text).toMatch(/^CPU 0\/KVM lost 400 µs \(40 % of the run\): .*interrupted .* 400 µs; mostly on CPU 0, held by softirq \(booked to ksoftirqd\/0\) \(400 µs\)/)
    expect(g.at!.t0).toBeLessThan(5e5)
    expect(explainRun(B).some((x) => x.topic === 'guest')).toBe(false)
  })

  it('names the CPU time that moved between A and B', () => {
    expect(Array.from(kindTotals(A.trace))[SliceKind.softirq]).toBe(4e5)
    const p = explainPair(A, B)
    expect(p[0]!.text).toBe('B delivers +110 kpps compared with A (90 → 200 kpps).')
    expect(p.find((x) => x.topic === 'bottleneck')!.text).toMatch(/^Bottleneck in both: vhost-net.*900 → 800, −100/)
    expect(p.find((x) => x.topic === 'moved')!.text).toBe('CPU time moved (B − A, whole run): softirq −400 µs, irq thread +400 µs, vCPU (guest) +400 µs; the vCPU threads: CPU 0/KVM +400 µs.')
  })
})
