// Determinism: the same scenario and seed give a bit-identical result (summary and every trace
// column), however the run is driven (one call, event by event, interleaved with another run, after
// a structured-clone/JSON round trip as the worker receives it); another seed gives another run.
// e2e/determinism.spec.ts checks the same digest in the browser's Web Worker.
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { SEED_2016 } from './presets.ts'
import { parseScenario, type ScenarioInput } from './scenario.ts'
import { createSimulation, runSimulation } from './sim.ts'
import type { SimResult } from './types.ts'

// ------------------------------------------------------------------------------------------------
// Digest: FNV-1a (32 bit) over the bytes of every typed array of the trace, plus the JSON of the
// rest of the result except `perf` (wall time). Kept identical to the one in e2e/determinism.spec.ts.

function fnv1a(h: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)

function typedArraysOf(r: SimResult): Array<[string, ArrayBufferView]> {
  const t = r.trace
  const s = t.slices
  const w = t.events.wakeups
  const m = t.events.migrations
  return [
    ['slices.start', s.start], ['slices.end', s.end], ['slices.cpu', s.cpu], ['slices.kind', s.kind],
    ['slices.actor', s.actor], ['slices.packets', s.packets], ['slices.reason', s.reason],
    ['wakeups.t', w.t], ['wakeups.fromCpu', w.fromCpu], ['wakeups.toCpu', w.toCpu], ['wakeups.waker', w.waker], ['wakeups.wakee', w.wakee],
    ['migrations.t', m.t], ['migrations.fromCpu', m.fromCpu], ['migrations.toCpu', m.toCpu], ['migrations.actor', m.actor],
    ...t.counters.flatMap((c): Array<[string, ArrayBufferView]> => [[`counter ${c.name} t`, c.t], [`counter ${c.name} v`, c.v]]),
  ]
}

/** the part of a result that must be reproducible, as JSON (no typed arrays, no perf) */
function plainPart(r: SimResult): string {
  const t = r.trace
  return JSON.stringify({
    scenario: r.scenario,
    summary: r.summary,
    trace: {
      cpus: t.cpus, durationNs: t.durationNs, actors: t.actors, droppedSlices: t.droppedSlices,
      counts: { slices: t.slices.count, wakeups: t.events.wakeups.count, migrations: t.events.migrations.count },
      counters: t.counters.map((c) => [c.name, c.unit]),
      modeSwitches: t.events.modeSwitches,
    },
  })
}

function digest(r: SimResult): string {
  let h = 0x811c9dc5
  h = fnv1a(h, new TextEncoder().encode(plainPart(r)))
  for (const [name, a] of typedArraysOf(r)) {
    h = fnv1a(h, new TextEncoder().encode(name))
    h = fnv1a(h, bytesOf(a))
  }
  return h.toString(16).padStart(8, '0')
}

/** the first difference between two results, for a readable failure */
function firstDifference(a: SimResult, b: SimResult): string | null {
  if (plainPart(a) !== plainPart(b)) return 'summary / actors / events differ'
  const ta = typedArraysOf(a)
  const tb = typedArraysOf(b)
  for (let k = 0; k < ta.length; k++) {
    const x = bytesOf(ta[k]![1])
    const y = bytesOf(tb[k]![1])
    if (x.length !== y.length) return `${ta[k]![0]}: length ${x.length} vs ${y.length}`
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return `${ta[k]![0]}: byte ${i}`
  }
  return null
}

// ------------------------------------------------------------------------------------------------

const SCENARIOS: Array<[string, ScenarioInput]> = [
  ['seed-2016, softirq, 2-vCPU guest', { ...SEED_2016, durationMs: 12, warmupMs: 2, traffic: { flows: 25, payloadBytes: 64 } }],
  ['threaded IRQ (FIFO) + local receiver on the IRQ CPU, runtime switches', {
    durationMs: 12, warmupMs: 1, host: { cpus: 4 }, nic: { queues: 4 },
    rx: { mode: 'threaded-irq', switches: [{ atMs: 4, queue: -1, threaded: false }, { atMs: 8, queue: 1, threaded: true }] },
    traffic: { flows: 13, payloadBytes: 256, perFlowKpps: 300, senderMaxKpps: 3000 }, consumer: { kind: 'local', receiverCpu: 0 },
  }],
  ['threaded NAPI, single-vCPU guest, v4.9-v6.4, HZ=250', {
    durationMs: 12, warmupMs: 1, kernel: { era: 'v4.9-v6.4', hz: 250 }, host: { cpus: 6 }, nic: { queues: 6 },
    rx: { mode: 'threaded-napi' }, traffic: { flows: 50, payloadBytes: 1, perFlowKpps: 40, senderMaxKpps: 2000 },
    consumer: { kind: 'guest', vcpus: 1 },
  }],
]

const runInput = (input: unknown) => runSimulation(parseScenario(input))

describe('determinism', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it.each(SCENARIOS)('%s: same scenario and seed → bit-identical summary and trace', (_n, input) => {
    const a = runInput(input)
    const b = runInput(input)
    expect(a.trace.slices.count).toBeGreaterThan(100)
    expect(firstDifference(a, b)).toBeNull()
    expect(digest(a)).toBe(digest(b))
    expect(a.summary).toEqual(b.summary)
  })

  it.each(SCENARIOS)('%s: another seed → another run', (_n, input) => {
    const a = runInput({ ...input, seed: 1 })
    const b = runInput({ ...input, seed: 2 })
    expect(digest(a)).not.toBe(digest(b))
    // the difference is in the trace itself, not only in the echoed scenario
    expect(Buffer.from(bytesOf(a.trace.slices.start)).equals(Buffer.from(bytesOf(b.trace.slices.start)))).toBe(false)
  })

  it.each(SCENARIOS)('%s: the result does not depend on how the run is driven (one call, event by event, odd chunks)', (_n, input) => {
    const s = parseScenario(input)
    const ref = digest(runSimulation(s))
    for (const chunk of [1, 7, 40_000]) {
      const sim = createSimulation(parseScenario(input))
      let guard = 0
      while (!sim.advance(chunk)) if (++guard > 1e7) throw new Error('run does not finish')
      expect(sim.progress()).toBe(1)
      expect(digest(sim.result()), `advance(${chunk})`).toBe(ref)
      // asking again changes nothing
      expect(sim.advance(chunk)).toBe(true)
      expect(digest(sim.result())).toBe(ref)
    }
  })

  it('two runs advanced in alternation do not share state', () => {
    const [, x] = SCENARIOS[0]!
    const [, y] = SCENARIOS[1]!
    const refX = digest(runInput(x))
    const refY = digest(runInput(y))
    const a = createSimulation(parseScenario(x))
    const b = createSimulation(parseScenario(y))
    let da = false
    let db = false
    while (!da || !db) {
      if (!da) da = a.advance(333)
      if (!db) db = b.advance(1000)
    }
    expect(digest(a.result())).toBe(refX)
    expect(digest(b.result())).toBe(refY)
  })

  it('a scenario that went through JSON (URL, file, postMessage) gives the same run as the object', () => {
    for (const [, input] of SCENARIOS) {
      const parsed = parseScenario(input)
      expect(digest(runInput(JSON.parse(JSON.stringify(parsed))))).toBe(digest(runSimulation(parsed)))
      expect(digest(runInput(structuredClone(input)))).toBe(digest(runSimulation(parsed)))
    }
  })

  it('the engine draws no randomness from Math.random and no time from the clock', () => {
    const [, input] = SCENARIOS[0]!
    const ref = digest(runInput(input))
    const rnd = vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random used by the engine')
    })
    const perf = vi.spyOn(performance, 'now').mockImplementation(() => 123_456_789 * Math.PI)
    const now = vi.spyOn(Date, 'now').mockImplementation(() => 42)
    const r = runInput(input)
    expect(rnd).not.toHaveBeenCalled()
    expect(digest(r)).toBe(ref)
    void perf
    void now
  })

  it('a partial result (before the end) is reproducible too', () => {
    const [, input] = SCENARIOS[1]!
    const part = () => {
      const sim = createSimulation(parseScenario(input))
      expect(sim.advance(300)).toBe(false)
      return sim.result()
    }
    const a = part()
    const b = part()
    expect(a.summary.simulatedNs).toBeLessThan(12e6)
    expect(digest(a)).toBe(digest(b))
  })

  it('random scenarios: twice the same run (property)', () => {
    const arb = fc.record({
      seed: fc.integer({ min: 0, max: 0xffffffff }),
      cpus: fc.integer({ min: 1, max: 6 }),
      queues: fc.integer({ min: 1, max: 6 }),
      flows: fc.integer({ min: 1, max: 40 }),
      payloadBytes: fc.integer({ min: 1, max: 1472 }),
      kpps: fc.integer({ min: 10, max: 10_000 }),
      mode: fc.constantFrom('softirq', 'threaded-irq', 'threaded-napi' as const),
      era: fc.constantFrom('v4.7', 'v4.9-v6.4', 'v6.5+' as const),
      consumer: fc.constantFrom('guest', 'local' as const),
      vcpus: fc.integer({ min: 1, max: 3 }),
      switchAt: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
    })
    fc.assert(
      fc.property(arb, (r) => {
        const input: ScenarioInput = {
          seed: r.seed, durationMs: 6, warmupMs: 1, kernel: { era: r.era }, host: { cpus: r.cpus }, nic: { queues: r.queues },
          traffic: { flows: r.flows, payloadBytes: r.payloadBytes, perFlowKpps: r.kpps, senderMaxKpps: r.kpps },
          rx: { mode: r.mode, switches: r.switchAt === undefined ? [] : [{ atMs: r.switchAt, queue: -1, threaded: r.mode === 'softirq' }] },
          consumer: { kind: r.consumer, vcpus: r.vcpus },
        }
        const a = runInput(input)
        const b = createSimulation(parseScenario(input))
        while (!b.advance(97));
        expect(firstDifference(a, b.result())).toBeNull()
      }),
      { numRuns: 12, seed: 0x5eed },
    )
  })
})
