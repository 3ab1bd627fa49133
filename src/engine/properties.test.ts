// Property-based tests: exact invariants of every run, over random valid scenarios (all modes,
// eras, consumers, runtime switches, per-IRQ overrides), kept short so the whole file runs in a
// few seconds.
import fc from 'fast-check'
import { hardwareProfile } from './hardware.ts'
import { KERNEL_ERAS, KNOB_INFO, KNOBS } from './scenario.ts'
import { describe, expect, it } from 'vitest'
import { lineRatePps } from './constants.ts'
import { offeredPps } from './costs.ts'
import { irqSettings, parseScenario, type Scenario, type ScenarioInput } from './scenario.ts'
import { runSimulation } from './sim.ts'
import { ActorKind, SliceKind, type SimResult } from './types.ts'

const RUNS = Number(process.env.IRQLAB_PROPERTY_RUNS ?? 24)

/** Random valid scenarios. Dependent ranges (a CPU < cpus, a queue < queues) are drawn as raw
 * integers and folded into range, so shrinking stays valid. */
const scenarioArb: fc.Arbitrary<ScenarioInput> = fc
  .record({
    seed: fc.integer({ min: 0, max: 0xffffffff }),
    hardware: fc.constantFrom('2016-ixgbe-10g', '2020s-mlx5-100g' as const),
    durationMs: fc.integer({ min: 5, max: 12 }),
    warmupMs: fc.integer({ min: 0, max: 3 }),
    era: fc.constantFrom('v4.7', 'v4.9-v6.4', 'v6.5+', 'v6.6+' as const),
    sockets: fc.integer({ min: 1, max: 3 }),
    threadsPerCore: fc.integer({ min: 1, max: 2 }),
    deferHardIrqs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5 })),
    groFlushTimeoutUs: fc.oneof(fc.constant(0), fc.integer({ min: 5, max: 200 })),
    busyPoll: fc.boolean(),
    netperf: fc.boolean(),
    senderCpus: fc.integer({ min: 1, max: 8 }),
    virtioQueues: fc.integer({ min: 1, max: 3 }),
    guestHz: fc.constantFrom(100, 250, 1000),
    hz: fc.constantFrom(100, 250, 300, 1000),
    irqTimeAccounting: fc.boolean(),
    cpus: fc.integer({ min: 1, max: 8 }),
    queues: fc.integer({ min: 1, max: 8 }),
    ringSize: fc.constantFrom(64, 128, 512, 1024),
    itrUs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 200 })),
    flows: fc.integer({ min: 1, max: 50 }),
    payloadBytes: fc.oneof(fc.constantFrom(1, 64, 256, 1400, 1472), fc.integer({ min: 1, max: 1472 })),
    perFlowKpps: fc.integer({ min: 1, max: 5000 }),
    senderMaxKpps: fc.integer({ min: 10, max: 15_000 }),
    mode: fc.constantFrom('softirq', 'threaded-irq', 'threaded-napi' as const),
    schedNormal: fc.boolean(),
    noAffinity: fc.boolean(),
    irqs: fc.array(
      fc.record({ q: fc.nat(), threaded: fc.option(fc.boolean(), { nil: undefined }), schedNormal: fc.option(fc.boolean(), { nil: undefined }), noAffinity: fc.option(fc.boolean(), { nil: undefined }), cpu: fc.option(fc.nat(), { nil: undefined }) }),
      { maxLength: 3 },
    ),
    switches: fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), q: fc.integer({ min: -1, max: 63 }), threaded: fc.boolean() }), { maxLength: 4 }),
    consumer: fc.constantFrom('guest', 'local' as const),
    vcpus: fc.integer({ min: 1, max: 3 }),
    receiverCpu: fc.nat(),
    maxSlices: fc.oneof(fc.constant(1_000_000), fc.integer({ min: 0, max: 300 })),
    // the local application: request/response, threads, busy polling, IRQ suspension
    app: fc.record({
      rr: fc.boolean(), closed: fc.boolean(), outstanding: fc.integer({ min: 1, max: 8 }), rttUs: fc.integer({ min: 0, max: 50 }),
      threads: fc.integer({ min: 1, max: 4 }), pin: fc.boolean(), serviceUs: fc.integer({ min: 0, max: 5 }),
      usecs: fc.oneof(fc.constant(0), fc.integer({ min: 5, max: 100 })), budget: fc.constantFrom(8, 64), prefer: fc.boolean(), zero: fc.boolean(),
      suspendUs: fc.oneof(fc.constant(0), fc.integer({ min: 50, max: 20_000 })), netdevBudget: fc.constantFrom(16, 300),
    }),
    writes: fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), knob: fc.constantFrom(...KNOBS), index: fc.integer({ min: -1, max: 7 }), u: fc.double({ min: 0, max: 1, noNaN: true }) }), { maxLength: 3 }),
  })
  .map((r): ScenarioInput => {
    const local = r.consumer === 'local'
    const seen = new Set<number>()
    const irqs = r.irqs
      .map((o) => ({ queue: o.q % r.queues, threaded: o.threaded, schedNormal: o.schedNormal, noAffinity: o.noAffinity, cpu: o.cpu === undefined ? undefined : o.cpu % r.cpus }))
      .filter((o) => (seen.has(o.queue) ? false : (seen.add(o.queue), true)))
      .map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { queue: number })
    return {
      seed: r.seed,
      hardware: r.hardware,
      durationMs: r.durationMs,
      warmupMs: Math.min(r.warmupMs, r.durationMs - 1),
      kernel: { era: r.era, hz: r.hz as 100 | 250 | 300 | 1000, irqTimeAccounting: r.irqTimeAccounting, netdevBudget: r.app.netdevBudget },
      host: { cpus: r.cpus, sockets: r.sockets, threadsPerCore: r.threadsPerCore },
      // napi_defer_hard_irqs and gro_flush_timeout exist from v5.7: only with a later era
      nic: {
        queues: r.queues, ringSize: r.ringSize, itrUs: r.itrUs, ...(r.era === 'v4.7' ? {} : { deferHardIrqs: r.deferHardIrqs, groFlushTimeoutUs: r.groFlushTimeoutUs }),
        ...(r.era === 'v6.6+' && local ? { irqSuspendTimeoutUs: r.app.suspendUs } : {}),
      },
      // netperf senders (rates unset) or a packet generator; request/response (closed loop or at a rate) for the local application
      traffic: {
        ...(r.netperf ? { flows: r.flows, payloadBytes: r.payloadBytes, senderCpus: r.senderCpus } : { flows: r.flows, payloadBytes: r.payloadBytes, perFlowKpps: r.perFlowKpps, senderMaxKpps: r.senderMaxKpps }),
        ...(local && r.app.rr ? { pattern: 'rr' as const, outstanding: r.app.outstanding, rttUs: r.app.rttUs, ...(r.app.closed ? { perFlowKpps: undefined, senderMaxKpps: undefined } : {}) } : {}),
      },
      rx: {
        mode: r.mode, schedNormal: r.schedNormal, noAffinity: r.noAffinity, irqs,
        threadedBusyPoll: r.busyPoll && r.mode === 'threaded-napi' && r.era === 'v6.6+',
        switches: r.switches.map((w) => ({ atMs: Math.round(w.at * r.durationMs * 1000) / 1000, queue: w.q < 0 ? -1 : w.q % r.queues, threaded: w.threaded })),
      },
      consumer: {
        kind: r.consumer, vcpus: r.vcpus, virtioQueues: Math.min(r.virtioQueues, r.vcpus), guestHz: r.guestHz as 100 | 250 | 1000,
        receiverCpu: local && r.app.threads > 1 ? -1 : (r.receiverCpu % (r.cpus + 1)) - 1,
        ...(local ? {
          threads: r.app.threads, pinToIrqCpu: r.app.pin, serviceUs: r.app.serviceUs,
          busyPoll: { usecs: r.app.usecs, epollTimeoutZero: r.app.zero, ...(r.era === 'v4.7' ? {} : { budget: r.app.budget, prefer: r.app.prefer }) },
        } : {}),
      },
      trace: { maxSlices: r.maxSlices },
      // knob writes the era, the consumer and the mode allow, with values in range
      writes: r.writes.flatMap((w) => {
        const k = KNOB_INFO[w.knob]
        if (KERNEL_ERAS.indexOf(r.era) < KERNEL_ERAS.indexOf(k.since) || (k.scope === 'app' && !local)) return []
        const count = k.scope === 'app' ? (local ? r.app.threads : 1) : r.queues
        const top = w.knob === 'threaded' ? (r.mode === 'threaded-napi' && r.era === 'v6.6+' ? 2 : 1) : Math.min(k.max, 500)
        const value = w.knob === 'threaded' || w.knob === 'prefer_busy_poll' ? Math.round(w.u * top) : Math.max(k.min, Math.round(w.u * top))
        return [{ atMs: Math.round(w.at * r.durationMs * 1000) / 1000, knob: w.knob, index: w.index < 0 ? -1 : w.index % count, value }]
      }),
    }
  })

/** cheap assertion for per-slice / per-event checks (vitest's expect is too slow for 10^5 calls) */
function check(cond: boolean, msg: () => string): void {
  if (!cond) throw new Error(msg())
}

const sum = (xs: Iterable<number>) => {
  let s = 0
  for (const x of xs) s += x
  return s
}

/** Every invariant a finished run must satisfy. Throws (via expect) on the first violation. */
function checkInvariants(s: Scenario, r: SimResult): void {
  const { summary: sm, trace: tr } = r
  const durNs = Math.round(s.durationMs * 1e6)
  const p = sm.packets

  // packets: offered = delivered + dropped + in flight, all non-negative integers
  const dropped = sum(Object.values(p.dropped))
  expect(p.offered).toBe(p.delivered + dropped + p.inFlight)
  for (const v of [p.offered, p.delivered, p.inFlight, ...Object.values(p.dropped)]) {
    expect(Number.isInteger(v)).toBe(true)
    expect(v).toBeGreaterThanOrEqual(0)
  }
  expect(p.delivered).toBeLessThanOrEqual(p.offered)

  // time: every CPU accounts exactly the simulated time
  expect(sm.simulatedNs).toBe(durNs)
  expect(tr.durationNs).toBe(durNs)
  expect(sm.accountedNs).toHaveLength(s.host.cpus)
  for (const a of sm.accountedNs) expect(a).toBe(sm.simulatedNs)
  for (const c of sm.cpu) expect(c.usr + c.sys + c.hardirq + c.softirq + c.idle).toBeCloseTo(100, 6)

  // offered load: capped by the sender, the flows and the 10GbE line rate (±6σ of arrival jitter:
  // inter-arrival times are uniform in [0.5, 1.5] periods, σ² = n/12 periods² per queue)
  const closedLoop = s.traffic.pattern === 'rr' && s.traffic.perFlowKpps === undefined
  let slack = s.nic.queues + 1
  if (closedLoop) {
    // closed loop: each flow has at most `outstanding` requests out; each comes back after ≥ rtt
    const window = s.traffic.flows * s.traffic.outstanding
    expect(p.inFlight).toBeLessThanOrEqual(window)
    expect(p.offered).toBeLessThanOrEqual(window * (1 + durNs / Math.max(s.traffic.rttUs * 1e3, 1)))
  } else {
    const hw = hardwareProfile(s.hardware)
    const capPps = offeredPps(s.traffic, lineRatePps(s.traffic.payloadBytes, hw.lineRateBps), hw.costs)
    const expected = (capPps * durNs) / 1e9
    // Poisson arrivals (request/response at a rate): the count's variance is n
    const poisson = (s.traffic.arrivals ?? (s.traffic.pattern === 'rr' ? 'poisson' : 'paced')) === 'poisson'
    slack = 6 * Math.sqrt(poisson ? expected : expected / 12) + s.nic.queues + 1
    expect(p.offered).toBeLessThanOrEqual(expected + slack)
    expect(p.offered).toBeGreaterThanOrEqual(expected - slack - s.nic.queues)
  }
  expect(sm.lineRateKpps).toBeCloseTo(lineRatePps(s.traffic.payloadBytes, hardwareProfile(s.hardware).lineRateBps) / 1000, 9)
  // throughput after warm-up: what was delivered in the window was offered at some point
  const windowNs = durNs - Math.round(s.warmupMs * 1e6)
  expect((sm.deliveredKpps * windowNs) / 1e6).toBeLessThanOrEqual(p.offered + 1e-6)
  if (s.warmupMs === 0) expect(sm.deliveredKpps).toBeLessThanOrEqual(sm.lineRateKpps + (slack * 1e6) / durNs)

  // slices: well-formed, inside the run, no overlap on a CPU, valid actors, kind matches actor
  const sl = tr.slices
  expect(sl.count).toBeLessThanOrEqual(s.trace.maxSlices)
  for (const col of [sl.start, sl.end, sl.cpu, sl.kind, sl.actor, sl.packets, sl.reason]) expect(col.length).toBe(sl.count)
  const perCpu: number[][] = Array.from({ length: s.host.cpus }, () => [])
  const busyNs = new Float64Array(s.host.cpus)
  const nActors = tr.actors.length
  tr.actors.forEach((a, i) => expect(a.id).toBe(i))
  const actorKindOf: Record<number, number[]> = {
    [SliceKind.hardirq]: [ActorKind.irq],
    [SliceKind.softirq]: [ActorKind.ksoftirqd],
    [SliceKind.ksoftirqd]: [ActorKind.ksoftirqd],
    [SliceKind.irqThread]: [ActorKind.irqThread],
    [SliceKind.napiThread]: [ActorKind.napiThread],
    [SliceKind.vhost]: [ActorKind.vhost],
    [SliceKind.vcpu]: [ActorKind.vcpu],
    [SliceKind.haltPoll]: [ActorKind.vcpu],
    [SliceKind.app]: [ActorKind.app],
    [SliceKind.busyPoll]: [ActorKind.app],
  }
  const desc = (i: number) => `slice ${i} [${sl.start[i]}, ${sl.end[i]}] cpu ${sl.cpu[i]} kind ${sl.kind[i]} ${tr.actors[sl.actor[i]!]?.name}`
  for (let i = 0; i < sl.count; i++) {
    const st = sl.start[i]!
    const en = sl.end[i]!
    const cpu = sl.cpu[i]!
    check(st >= 0 && en >= st && en <= durNs, () => `${desc(i)} outside [0, ${durNs}] or reversed`)
    check(cpu < s.host.cpus, () => `${desc(i)}: no such CPU`)
    check(sl.actor[i]! < nActors, () => `${desc(i)}: actor index ${sl.actor[i]} ≥ ${nActors}`)
    check(sl.reason[i]! <= 8, () => `${desc(i)}: reason ${sl.reason[i]}`)
    const actor = tr.actors[sl.actor[i]!]!
    check(actorKindOf[sl.kind[i]!]?.includes(actor.kind) ?? false, () => `${desc(i)}: kind does not match actor kind ${actor.kind}`)
    // softirq work is charged to the CPU's own softirq context
    if (sl.kind[i] === SliceKind.softirq || sl.kind[i] === SliceKind.ksoftirqd) check(actor.name === `ksoftirqd/${cpu}`, () => `${desc(i)}: softirq of another CPU`)
    // pinned tasks stay on their CPUs
    if (actor.affinity) check(actor.affinity.includes(cpu), () => `${desc(i)}: outside affinity ${actor.affinity}`)
    perCpu[cpu]!.push(i)
    busyNs[cpu]! += en - st
  }
  for (const unsorted of perCpu) {
    const idx = unsorted.toSorted((a, b) => sl.start[a]! - sl.start[b]! || sl.end[a]! - sl.end[b]!)
    for (let j = 1; j < idx.length; j++) check(sl.start[idx[j]!]! >= sl.end[idx[j - 1]!]!, () => `${desc(idx[j]!)} overlaps ${desc(idx[j - 1]!)}`)
  }
  // the whole-run busy summary holds every slice's time, stored or not, per CPU and per actor
  if (tr.busy) {
    const b = tr.busy
    expect(b.buckets * b.bucketNs).toBeGreaterThanOrEqual(durNs)
    for (let c = 0; c < s.host.cpus; c++) {
      let ns = 0
      for (let i = c * b.buckets * b.kinds; i < (c + 1) * b.buckets * b.kinds; i++) ns += b.cpu[i]!
      expect(ns / durNs).toBeCloseTo(1 - sm.cpu[c]!.idle / 100, 6)
    }
    let actorNs = 0
    for (let i = 0; i < b.actor.length; i++) actorNs += b.actor[i]!
    expect(actorNs / durNs).toBeCloseTo(sum(sm.cpu.map((c) => 1 - c.idle / 100)), 3)
  } else expect(s.trace.maxSlices).toBe(0)
  if (tr.droppedSlices === 0) {
    // the trace shows all the non-idle time the accounting saw
    sm.cpu.forEach((c, i) => expect(busyNs[i]! / durNs).toBeCloseTo(1 - c.idle / 100, 6))
  } else expect(sl.count).toBe(s.trace.maxSlices)

  // per-task CPU time is the usr + sys time, plus ksoftirqd's, which mpstat shows as %soft
  // (softirq time at irq_exit / local_bh_enable is never charged to a task)
  // (guest tasks run inside vCPU time: the host's accounting sees their vCPU thread)
  const hostTasks = sm.tasks.filter((t) => !tr.actors[t.actor]!.guest)
  const taskNs = sum(hostTasks.filter((t) => !t.name.startsWith('ksoftirqd/')).map((t) => t.cpuTimeNs))
  const usrSysNs = sum(sm.cpu.map((c) => ((c.usr + c.sys) / 100) * durNs))
  expect(Math.abs(taskNs - usrSysNs)).toBeLessThanOrEqual(1e-6 * durNs * s.host.cpus + 1)
  for (const t of sm.tasks) {
    expect(t.actor).toBeLessThan(nActors)
    expect(tr.actors[t.actor]!.name).toBe(t.name)
    expect(t.cpuTimeNs).toBeGreaterThanOrEqual(0)
    expect(t.cpuTimeNs).toBeLessThanOrEqual(durNs)
  }

  // threads exist only where the mode or a switch asks for them
  const names = tr.actors.map((a) => a.name)
  const threadedWrites = s.writes.some((w) => w.knob === 'threaded')
  if (s.rx.mode !== 'threaded-napi' && !threadedWrites) expect(names.some((n) => n.startsWith('napi/'))).toBe(false)
  const threadedAtStart = irqSettings(s).some((q) => q.threaded)
  if (s.rx.mode !== 'threaded-irq' && !threadedAtStart && s.rx.switches.length === 0) expect(names.some((n) => n.startsWith('irq/'))).toBe(false)
  if (s.rx.mode === 'threaded-napi') expect(names.some((n) => n.startsWith('irq/'))).toBe(false)
  const ksoftirqds = names.filter((n) => n.startsWith('ksoftirqd/'))
  expect(ksoftirqds).toHaveLength(s.host.cpus)

  // hard IRQs: one slice per IRQ taken (a few may still be queued behind another at the end)
  expect(sm.irqsPerQueue).toHaveLength(s.nic.queues)
  const irqs = irqSettings(s)
  irqs.forEach((q, i) => {
    const actor = names.indexOf(`irq ${q.irq} (${q.action})`)
    expect(actor).toBeGreaterThanOrEqual(0)
    let n = 0
    for (let k = 0; k < sl.count; k++) {
      if (sl.actor[k] === actor) {
        n++
        check(sl.cpu[k] === q.cpu, () => `${desc(k)}: IRQ of queue ${q.queue} off its CPU ${q.cpu}`)
      }
    }
    if (tr.droppedSlices === 0) {
      expect(n).toBeLessThanOrEqual(sm.irqsPerQueue[i]!)
      expect(n).toBeGreaterThanOrEqual(sm.irqsPerQueue[i]! - s.nic.queues)
    }
  })

  // events: valid indices, in time order, inside the run
  const w = tr.events.wakeups
  for (let i = 0; i < w.count; i++) {
    const ok = w.wakee[i]! < nActors && w.waker[i]! < nActors && w.toCpu[i]! < s.host.cpus && w.fromCpu[i]! < s.host.cpus && w.t[i]! <= durNs && (i === 0 || w.t[i]! >= w.t[i - 1]!)
    check(ok, () => `wakeup ${i} malformed`)
    const aff = tr.actors[w.wakee[i]!]!.affinity
    if (aff) check(aff.includes(w.toCpu[i]!), () => `wakeup ${i} puts ${tr.actors[w.wakee[i]!]!.name} on CPU ${w.toCpu[i]}`)
  }
  const m = tr.events.migrations
  for (let i = 0; i < m.count; i++) {
    const ok = m.actor[i]! < nActors && m.fromCpu[i] !== m.toCpu[i] && m.toCpu[i]! < s.host.cpus && m.t[i]! <= durNs && (i === 0 || m.t[i]! >= m.t[i - 1]!)
    check(ok, () => `migration ${i} malformed`)
    const aff = tr.actors[m.actor[i]!]!.affinity
    if (aff) check(aff.includes(m.toCpu[i]!), () => `migration ${i} moves pinned ${tr.actors[m.actor[i]!]!.name} to CPU ${m.toCpu[i]}`)
  }
  // every wakeup and migration of a task is an event (the event lists are bounded: at least the
  // first 1000 are kept)
  for (const [events, total] of [[m.count, sum(hostTasks.map((t) => t.migrations))], [w.count, sum(hostTasks.map((t) => t.wakeups))]] as const) {
    if (total <= 1000) expect(events).toBe(total)
    else {
      expect(events).toBeLessThanOrEqual(total)
      expect(events).toBeGreaterThanOrEqual(1000)
    }
  }

  // mode switches: one per queue a write names, at its time (a write at the very end of the run,
  // which the schema accepts, is applied too)
  const expectedSwitches = sum(s.rx.switches.filter((x) => Math.round(x.atMs * 1e6) <= durNs).map((x) => (x.queue < 0 ? s.nic.queues : 1))) +
    sum(s.writes.filter((x) => x.knob === 'threaded' && Math.round(x.atMs * 1e6) <= durNs).map((x) => (x.index < 0 ? s.nic.queues : 1)))
  expect(sm.modeSwitches).toBe(expectedSwitches)
  expect(tr.events.modeSwitches).toHaveLength(expectedSwitches)
  for (const ev of tr.events.modeSwitches) {
    const fromSwitch = s.rx.switches.some((x) => Math.round(x.atMs * 1e6) === ev.tNs && (x.queue < 0 || x.queue === ev.queue) && x.threaded === ev.threaded)
    const fromWrite = s.writes.some((x) => x.knob === 'threaded' && Math.round(x.atMs * 1e6) === ev.tNs && (x.index < 0 || x.index === ev.queue) && x.value >= 1 === ev.threaded)
    expect(fromSwitch || fromWrite).toBe(true)
    expect(ev.irq).toBe(s.nic.irqBase + ev.queue)
  }

  // counters: regular samples inside the run, occupancies within their capacities
  for (const c of tr.counters) {
    check(c.v.length === c.t.length, () => `counter ${c.name}: ${c.v.length} values for ${c.t.length} times`)
    for (let i = 0; i < c.t.length; i++) {
      check(c.t[i]! <= durNs && (i === 0 || c.t[i]! > c.t[i - 1]!) && c.v[i]! >= 0, () => `counter ${c.name} sample ${i}: t ${c.t[i]} v ${c.v[i]}`)
    }
  }
  const ring = tr.counters.find((c) => c.name.startsWith('NIC rx rings'))
  expect(ring).toBeDefined()
  expect(Math.max(0, ...ring!.v)).toBeLessThanOrEqual(s.nic.queues * s.nic.ringSize)
}

describe('invariants over random scenarios', () => {
  it('offered = delivered + dropped + in flight; accounted = simulated time per CPU; a well-formed trace', () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const s = parseScenario(input)
        checkInvariants(s, runSimulation(s))
      }),
      { numRuns: RUNS, seed: Number(process.env.IRQLAB_PROPERTY_SEED ?? 0x1dea), endOnFailure: true },
    )
  })

  it('the invariants hold on the built-in presets at a short duration', async () => {
    const { PRESETS } = await import('./presets.ts')
    for (const p of PRESETS) {
      const s = parseScenario({ ...p.scenario, durationMs: 8, warmupMs: 1 })
      checkInvariants(s, runSimulation(s))
    }
  })
})
