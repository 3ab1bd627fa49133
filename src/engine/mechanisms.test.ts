// Each kernel mechanism of the engine against the rule it implements (../shared/MODEL.md, sections
// cited per test). Expectations come from the kernel rules, not from what the engine prints: a
// test names the rule, builds the smallest scenario where the rule is observable in the trace,
// and checks it there.
import { describe, expect, it } from 'vitest'
import { frameBytes, lineRatePps } from './constants.ts'
import { COSTS } from './costs.ts'
import { mulberry32 } from './core/rng.ts'
import { assignFlowsToQueues, toeplitz } from './nic/rss.ts'
import { irqSettings, parseScenario, tryParseScenario, type ScenarioInput } from './scenario.ts'
import { createSimulation, runSimulation } from './sim.ts'
import { READ_BATCH } from './stages/receiver.ts'
import { EndReason, SliceKind, type SimResult } from './types.ts'

// ------------------------------------------------------------------------------------------------
// Trace helpers

interface Slice {
  i: number
  start: number
  end: number
  cpu: number
  kind: number
  actor: number
  name: string
  packets: number
  reason: number
}

const run = (input: ScenarioInput): SimResult => runSimulation(parseScenario(input))

function allSlices(r: SimResult): Slice[] {
  const s = r.trace.slices
  const out: Slice[] = []
  for (let i = 0; i < s.count; i++) {
    out.push({
      i, start: s.start[i]!, end: s.end[i]!, cpu: s.cpu[i]!, kind: s.kind[i]!, actor: s.actor[i]!,
      name: r.trace.actors[s.actor[i]!]!.name, packets: s.packets[i]!, reason: s.reason[i]!,
    })
  }
  return out
}

/** the slices of one CPU in time order */
function cpuSlices(r: SimResult, cpu: number): Slice[] {
  return allSlices(r).filter((x) => x.cpu === cpu).toSorted((a, b) => a.start - b.start || a.i - b.i)
}

function actorId(r: SimResult, name: string): number {
  const a = r.trace.actors.find((x) => x.name === name)
  if (!a) throw new Error(`no actor ${name} in ${r.trace.actors.map((x) => x.name).join(', ')}`)
  return a.id
}

/** softirq context: __do_softirq at irq_exit / local_bh_enable (kind softirq) or in ksoftirqd */
const isSoftirqCtx = (k: number) => k === SliceKind.softirq || k === SliceKind.ksoftirqd

function sumPackets(sl: Slice[], pred: (x: Slice) => boolean): number {
  let n = 0
  for (const x of sl) if (pred(x)) n += x.packets
  return n
}

/**
 * One __do_softirq invocation outside ksoftirqd: softirq slices on a CPU, split only by hard IRQs
 * that preempted them. Its wall time includes those hard IRQs, as jiffies do. Pieces are joined
 * only when they touch in time (softirq → hard IRQ → softirq without a gap), so the grouping does
 * not depend on end reasons alone.
 */
interface Burst {
  cpu: number
  start: number
  end: number
  packets: number
  reason: number
  hardirqNs: number
}

function softirqBursts(r: SimResult, cpu: number): Burst[] {
  const out: Burst[] = []
  let cur: Burst | null = null
  let chainEnd = -1
  let pendingHard = 0
  const close = () => {
    if (cur) out.push(cur)
    cur = null
    pendingHard = 0
  }
  for (const x of cpuSlices(r, cpu)) {
    if (x.kind === SliceKind.hardirq) {
      if (cur && x.start === chainEnd) {
        pendingHard += x.end - x.start
        chainEnd = x.end
      } else close()
      continue
    }
    if (x.kind === SliceKind.softirq) {
      const c: Burst | null = cur
      if (c && c.reason === EndReason.preempted && x.start === chainEnd) {
        c.hardirqNs += pendingHard
        c.end = x.end
        c.packets += x.packets
        c.reason = x.reason
      } else {
        close()
        cur = { cpu, start: x.start, end: x.end, packets: x.packets, reason: x.reason, hardirqNs: 0 }
      }
      pendingHard = 0
      chainEnd = x.end
      if (x.reason !== EndReason.preempted) close()
      continue
    }
    close()
  }
  close()
  return out
}

/**
 * Whether a task is awake (runnable or running) at time t, from the trace. A wakeup is recorded
 * only when the task was asleep, so after its k-th wakeup it stayed awake until the end of its
 * last slice before the next wakeup and went to sleep there: exact, whatever the end reasons say.
 * After its last wakeup, only the end reason of its last slice tells whether it slept ("sleep") or
 * is still runnable; if it has not run since, it is awake. A wakeup at exactly t counts.
 */
function awakeTracker(r: SimResult, actor: number): (t: number) => boolean {
  const wakes = wakeupsOf(r, actor).map((w) => w.t)
  const own = allSlices(r).filter((x) => x.actor === actor && x.kind !== SliceKind.softirq && x.kind !== SliceKind.hardirq)
  const intervals = wakes.map((t, k) => {
    const next = wakes[k + 1]
    const ran = own.filter((x) => x.end > t && (next === undefined || x.end <= next))
    if (!ran.length) return [t, next === undefined ? Infinity : t] as const
    const last = ran.reduce((a, x) => (x.end > a.end ? x : a))
    if (next === undefined && last.reason !== EndReason.sleep) return [t, Infinity] as const
    return [t, last.end] as const
  })
  return (t) => intervals.some(([from, until]) => t >= from && t <= until)
}

function wakeupsOf(r: SimResult, actor: number): Array<{ t: number; toCpu: number }> {
  const w = r.trace.events.wakeups
  const out: Array<{ t: number; toCpu: number }> = []
  for (let i = 0; i < w.count; i++) if (w.wakee[i] === actor) out.push({ t: w.t[i]!, toCpu: w.toCpu[i]! })
  return out
}

const taskNs = (r: SimResult, name: string) => r.summary.tasks.find((t) => t.name === name)!.cpuTimeNs

const packetsConserved = (r: SimResult) => {
  const p = r.summary.packets
  const dropped = Object.values(p.dropped).reduce((a, b) => a + b, 0)
  expect(p.offered).toBe(p.delivered + dropped + p.inFlight)
}

const NS_PER_MS = 1e6

const SEED_2016_SHORT: ScenarioInput = { durationMs: 60, warmupMs: 10, kernel: { era: 'v4.7' }, host: { cpus: 16 }, nic: { queues: 16 }, rx: { schedNormal: true, noAffinity: true }, consumer: { kind: 'guest', vcpus: 2 } }

// A UDP flood far above what one CPU can process (MODEL.md §8: ~1 µs per packet in the stack).
const FLOOD = { flows: 1, payloadBytes: 64, perFlowKpps: 3000, senderMaxKpps: 3000 }

// ------------------------------------------------------------------------------------------------

describe('softirq: __do_softirq restart limit, 2-jiffy limit, need_resched, then ksoftirqd (MODEL.md §1, §2)', () => {
  it('one NAPI instance: each net_rx_action polls it once (repoll list), so a burst is at most 10 polls of 64; restarts exhausted wakes ksoftirqd, which then runs', () => {
    // One rx queue on CPU 0, the receiver on CPU 1: CPU 0 has nothing else to run.
    const r = run({
      durationMs: 15, warmupMs: 1, kernel: { era: 'v4.7', hz: 1000 }, host: { cpus: 2 }, nic: { queues: 1 },
      traffic: FLOOD, consumer: { kind: 'local', receiverCpu: 1 },
    })
    const ksd = actorId(r, 'ksoftirqd/0')
    const bursts = softirqBursts(r, 0)
    expect(bursts.length).toBeGreaterThan(0)
    // net_rx_action puts a fully used instance on `repoll`, which is only spliced back after the
    // loop: one poll (≤ 64) per net_rx_action, and __do_softirq runs it at most 10 times.
    for (const b of bursts) expect(b.packets).toBeLessThanOrEqual(10 * 64)
    const exhausted = bursts.filter((b) => b.reason === EndReason.restarts)
    expect(exhausted.length).toBeGreaterThan(0)
    const wakeups = wakeupsOf(r, ksd)
    const sl = cpuSlices(r, 0)
    for (const b of exhausted) {
      // every restart found the instance re-polled, so every one of the 10 polls was full
      expect(b.packets).toBe(640)
      // 10 polls of 64 at ~1 µs/packet is well inside 2 jiffies: the restart count was the limit
      expect(b.end - b.start).toBeLessThan(2 * NS_PER_MS)
      // wakeup_softirqd() at the end of __do_softirq
      expect(wakeups.some((w) => w.t === b.end && w.toCpu === 0)).toBe(true)
      // CPU 0 is otherwise idle: ksoftirqd/0 runs right after the burst (maybe after a hard IRQ)
      const next = sl.find((x) => x.start >= b.end && x.kind !== SliceKind.hardirq)
      expect(next?.kind).toBe(SliceKind.ksoftirqd)
      expect(next?.actor).toBe(ksd)
      expect(next!.start - b.end).toBeLessThanOrEqual(2 * COSTS.hardirqNs)
    }
    // ksoftirqd is SCHED_NORMAL nice 0, pinned to its CPU
    const a = r.trace.actors[ksd]!
    expect(a.policy).toBe('SCHED_NORMAL')
    expect(a.affinity).toEqual([0])
  })

  it('eight NAPI instances on one CPU at HZ=1000: bursts stop at the 2-jiffy limit (jiffy-granular, checked at the end of a round), never later than one round after it', () => {
    const queues = 8
    const input: ScenarioInput = {
      durationMs: 12, warmupMs: 1, kernel: { era: 'v4.7', hz: 1000 }, host: { cpus: 2 }, nic: { queues },
      rx: { irqs: Array.from({ length: queues }, (_, q) => ({ queue: q, cpu: 0 })) },
      traffic: { flows: 50, payloadBytes: 1, perFlowKpps: 1000, senderMaxKpps: 12_000 },
      consumer: { kind: 'local', receiverCpu: 1 },
    }
    const r = run(input)
    const tick = 1e9 / 1000
    // a net_rx_action round: each instance polled at most once, stop once the budget 300 is used
    // up (checked after each poll, so ≤ 299 + 64 packets)
    // ixgbe copies a small frame whole into the skb head
    const perPkt = COSTS.hostUdpPerPktNs + COSTS.copyNsPerByte * frameBytes(1)
    const maxRoundNs = queues * COSTS.napiPollNs + 363 * perPkt
    const bursts = softirqBursts(r, 0)
    const limited = bursts.filter((b) => b.reason === EndReason.timeLimit)
    expect(limited.length).toBeGreaterThan(0)
    for (const b of bursts) {
      expect(b.packets).toBeLessThanOrEqual(10 * 363)
      const twoJiffies = (Math.floor(b.start / tick) + 2) * tick
      expect(b.end).toBeLessThanOrEqual(twoJiffies + maxRoundNs + b.hardirqNs)
    }
    for (const b of limited) {
      // end = jiffies + MAX_SOFTIRQ_TIME(2): not before the second jiffy boundary after the start
      expect(b.end).toBeGreaterThanOrEqual((Math.floor(b.start / tick) + 2) * tick)
      // the budget held: fewer than 10 rounds fitted in 2 jiffies, each ≤ 363 packets
      expect(b.packets).toBeLessThan(10 * 363)
    }
    const ksd = actorId(r, 'ksoftirqd/0')
    const awake = awakeTracker(r, ksd)
    for (const b of limited) expect(awake(b.end)).toBe(true)
    packetsConserved(r)
  })

  const hz100: ScenarioInput = {
    durationMs: 8, warmupMs: 1, kernel: { era: 'v4.7', hz: 100 }, host: { cpus: 2 }, nic: { queues: 8 },
    rx: { irqs: Array.from({ length: 8 }, (_, q) => ({ queue: q, cpu: 0 })) },
    traffic: { flows: 50, payloadBytes: 1, perFlowKpps: 1000, senderMaxKpps: 12_000 },
    consumer: { kind: 'local', receiverCpu: 1 },
  }

  it('eight NAPI instances at HZ=100 (2 ms rounds up to 1 jiffy of 10 ms): the 300-packet budget splits every round, ten rounds, then ksoftirqd', () => {
    const r = run(hz100)
    const tick = 1e9 / 100
    const bursts = softirqBursts(r, 0)
    for (const b of bursts) expect(b.packets).toBeLessThanOrEqual(10 * 363)
    // with ≥ 5 full rings on the poll list, each round is cut by the budget (≥ 300 packets): far
    // more than one poll per round, at most 363 per round
    const long = bursts.filter((b) => b.packets > 640)
    expect(long.length).toBeGreaterThan(0)
    const ksd = actorId(r, 'ksoftirqd/0')
    const awake = awakeTracker(r, ksd)
    const sl = cpuSlices(r, 0)
    for (const b of long) {
      // inside one jiffy: neither limit of 2 jiffies applied
      expect(Math.floor(b.end / tick)).toBe(Math.floor(b.start / tick))
      expect(b.packets).toBeGreaterThan(10 * 300 - 64 * 8)
      expect(awake(b.end)).toBe(true)
      const next = sl.find((x) => x.start >= b.end && x.kind !== SliceKind.hardirq)
      expect(next?.actor).toBe(ksd)
    }
  })

  // Regression (fixed in b129282): the restart check ran twice when the budget ended the last
  // round; the first call woke ksoftirqd (need_resched on the idle CPU), the second relabelled the
  // burst "need_resched" and decremented the restart counter twice.
  it('HZ=100, nothing else to run on the CPU: a burst that used up its restarts says "restarts exhausted", not need_resched', () => {
    const r = run(hz100)
    const long = softirqBursts(r, 0).filter((b) => b.packets > 640)
    expect(long.length).toBeGreaterThan(0)
    // the only task ever woken on CPU 0 is ksoftirqd/0, at the end of the burst
    const w = r.trace.events.wakeups
    for (let i = 0; i < w.count; i++) if (w.toCpu[i] === 0) expect(r.trace.actors[w.wakee[i]!]!.name).toBe('ksoftirqd/0')
    for (const b of long) expect(b.reason).toBe(EndReason.restarts)
  })

  it('need_resched (a woken receiver on the same CPU) ends the burst early and leaves the rest to ksoftirqd', () => {
    const r = run({
      durationMs: 15, warmupMs: 1, kernel: { era: 'v4.7', hz: 1000 }, host: { cpus: 1 }, nic: { queues: 1 },
      traffic: FLOOD, consumer: { kind: 'local', receiverCpu: 0 },
    })
    const bursts = softirqBursts(r, 0)
    const nr = bursts.filter((b) => b.reason === EndReason.needResched)
    expect(nr.length).toBeGreaterThan(0)
    const sink = wakeupsOf(r, actorId(r, 'udp_sink'))
    for (const b of nr) {
      // the receiver, asleep, is woken by the datagrams of the first poll and preempts (sleeper
      // credit): need_resched is set during the first round, so __do_softirq does not restart
      // after it: one round = one poll of the single instance
      expect(sink.some((w) => w.t > b.start && w.t <= b.end)).toBe(true)
      expect(b.packets).toBeLessThanOrEqual(64)
    }
    const awake = awakeTracker(r, actorId(r, 'ksoftirqd/0'))
    for (const b of bursts) {
      expect(b.packets).toBeLessThanOrEqual(640)
      if (b.reason === EndReason.needResched || b.reason === EndReason.restarts || b.reason === EndReason.timeLimit) {
        expect(awake(b.end)).toBe(true)
      }
    }
  })
})

describe('CPU time accounting, the way mpstat splits it (MODEL.md §2, §3)', () => {
  it('softirq work is %soft in ksoftirqd (as mpstat shows it, 4.7 cputime.c) and at irq_exit, yet ksoftirqd time is task time; hard IRQs are hardirq time', () => {
    const r = run({
      durationMs: 15, warmupMs: 1, kernel: { era: 'v4.7' }, host: { cpus: 2 }, nic: { queues: 1 },
      traffic: FLOOD, consumer: { kind: 'local', receiverCpu: 1 },
    })
    const simNs = r.summary.simulatedNs
    const sl = cpuSlices(r, 0)
    const ns = (kind: number) => sl.filter((x) => x.kind === kind).reduce((a, x) => a + x.end - x.start, 0)
    const c0 = r.summary.cpu[0]!
    expect((c0.softirq / 100) * simNs).toBeCloseTo(ns(SliceKind.softirq) + ns(SliceKind.ksoftirqd), 0)
    expect((c0.hardirq / 100) * simNs).toBeCloseTo(ns(SliceKind.hardirq), 0)
    expect(c0.sys).toBe(0)
    expect(c0.usr).toBe(0)
    // under the flood ksoftirqd does nearly all the work: %soft in mpstat, task time for the scheduler
    expect(ns(SliceKind.ksoftirqd) / simNs).toBeGreaterThan(0.8)
    expect(c0.softirq).toBeGreaterThan(80)
    expect(taskNs(r, 'ksoftirqd/0')).toBeCloseTo(ns(SliceKind.ksoftirqd), 0)
    // the receiver's recvmsg time is usr time on CPU 1
    const c1 = r.summary.cpu[1]!
    expect((c1.usr / 100) * simNs).toBeCloseTo(taskNs(r, 'udp_sink'), 0)
  })

  it('threaded IRQ mode: the rx work is irq-thread (sys) time, no NET_RX softirq runs at all', () => {
    const r = run({
      durationMs: 10, warmupMs: 1, host: { cpus: 4 }, nic: { queues: 4 }, rx: { mode: 'threaded-irq' },
      traffic: { flows: 25, payloadBytes: 64, perFlowKpps: 200, senderMaxKpps: 4000 },
      consumer: { kind: 'guest', vcpus: 2 },
    })
    const sl = allSlices(r)
    expect(sumPackets(sl, (x) => isSoftirqCtx(x.kind))).toBe(0)
    expect(sumPackets(sl, (x) => x.kind === SliceKind.irqThread)).toBeGreaterThan(1000)
    for (const c of r.summary.cpu) expect(c.softirq).toBe(0)
    packetsConserved(r)
  })
})

// ------------------------------------------------------------------------------------------------

/**
 * Steps the simulation one event at a time. The engine finishes at most one work chunk (one
 * napi->poll()) per event, so the growth of the packets recorded in slices of the given kinds
 * across one event is the work of one poll.
 */
function pollSizes(input: ScenarioInput, kinds: number[]): number[] {
  const sim = createSimulation(parseScenario(input))
  const sizes: number[] = []
  let prev = 0
  let done = false
  while (!done) {
    done = sim.advance(1)
    const s = sim.result().trace.slices
    let n = 0
    for (let i = 0; i < s.count; i++) if (kinds.includes(s.kind[i]!)) n += s.packets[i]!
    if (n !== prev) sizes.push(n - prev)
    prev = n
  }
  return sizes
}

const overload = (mode: 'softirq' | 'threaded-irq' | 'threaded-napi', extra: ScenarioInput['rx'] = {}): ScenarioInput => ({
  durationMs: 5, warmupMs: 1, host: { cpus: 2 }, nic: { queues: 1 }, rx: { mode, ...extra },
  traffic: FLOOD, consumer: { kind: 'local', receiverCpu: 0 },
})

describe('NAPI weight 64 and the softirq budget (MODEL.md §1, §4)', () => {
  it('threaded IRQ (FIFO and SCHED_NORMAL threads): every poll handles at most 64 packets, and under overload exactly 64', () => {
    for (const rx of [{}, { schedNormal: true }]) {
      const sizes = pollSizes(overload('threaded-irq', rx), [SliceKind.irqThread])
      expect(sizes.length).toBeGreaterThan(20)
      expect(Math.max(...sizes)).toBe(64)
      expect(sizes.every((k) => k > 0 && k <= 64)).toBe(true)
    }
  })

  it('threaded NAPI: every poll handles at most 64 packets', () => {
    const sizes = pollSizes(overload('threaded-napi'), [SliceKind.napiThread])
    expect(sizes.length).toBeGreaterThan(20)
    expect(Math.max(...sizes)).toBe(64)
    expect(sizes.every((k) => k > 0 && k <= 64)).toBe(true)
  })

  it('softirq: every poll inside net_rx_action handles at most 64 packets', () => {
    const sizes = pollSizes(overload('softirq'), [SliceKind.softirq, SliceKind.ksoftirqd])
    expect(sizes.length).toBeGreaterThan(20)
    expect(Math.max(...sizes)).toBe(64)
    expect(sizes.every((k) => k > 0 && k <= 64)).toBe(true)
  })

  it('EIAM auto-masking: a queue raises no second IRQ until its NAPI completes (a poll of < 64 re-enables it)', () => {
    for (const mode of ['softirq', 'threaded-irq', 'threaded-napi'] as const) {
      // moderate load: NAPI episodes complete often, so IRQs are frequent
      const sim = createSimulation(parseScenario({
        durationMs: 5, warmupMs: 1, host: { cpus: 2 }, nic: { queues: 1 }, rx: { mode },
        traffic: { flows: 1, payloadBytes: 64, perFlowKpps: 600, senderMaxKpps: 600 }, consumer: { kind: 'local', receiverCpu: 1 },
      }))
      let irqs = 0
      let rxPackets = 0
      let completedSinceIrq = true
      let done = false
      let episodes = 0
      while (!done) {
        done = sim.advance(1)
        const r = sim.result()
        const s = r.trace.slices
        let n = 0
        for (let i = 0; i < s.count; i++) if (s.kind[i] !== SliceKind.app && s.kind[i] !== SliceKind.hardirq) n += s.packets[i]!
        const k = n - rxPackets
        rxPackets = n
        if (k > 0 && k < 64) completedSinceIrq = true
        const now = r.summary.irqsPerQueue[0]!
        if (now > irqs) {
          expect(now - irqs, `${mode}: IRQs in one event`).toBe(1)
          expect(completedSinceIrq, `${mode}: IRQ #${now} while NAPI was still scheduled`).toBe(true)
          completedSinceIrq = false
          irqs = now
          episodes++
        }
      }
      expect(episodes).toBeGreaterThan(20)
    }
  })

  it('a thread slice that ends because the thread was switched out after a poll ("budget") holds whole polls of 64', () => {
    // SCHED_NORMAL irq thread sharing CPU 0 with the receiver: CFS switches at cond_resched
    const r = run({ ...overload('threaded-irq', { schedNormal: true }), durationMs: 20 })
    const sl = allSlices(r).filter((x) => x.kind === SliceKind.irqThread && x.reason === EndReason.budget)
    expect(sl.length).toBeGreaterThan(10)
    for (const x of sl) expect(x.packets % 64).toBe(0)
  })

  it('threaded NAPI has no 300-packet / 2-jiffy budget: alone on a CPU, the napi thread polls on and on in one run', () => {
    const r = run({
      durationMs: 10, warmupMs: 1, host: { cpus: 2 }, nic: { queues: 1 }, rx: { mode: 'threaded-napi' },
      traffic: FLOOD, consumer: { kind: 'local', receiverCpu: 1 },
    })
    // one run of the thread: its slices on a CPU, interrupted only by hard IRQs (NIC, timer tick)
    const runs: Slice[] = []
    for (const cpu of [0, 1]) {
      let cur: Slice | null = null
      for (const x of cpuSlices(r, cpu)) {
        if (x.kind === SliceKind.hardirq) continue
        if (x.kind === SliceKind.napiThread && cur && cur.actor === x.actor) {
          cur.end = x.end
          cur.packets += x.packets
          continue
        }
        if (cur) runs.push(cur)
        cur = x.kind === SliceKind.napiThread ? { ...x } : null
      }
      if (cur) runs.push(cur)
    }
    const longest = runs.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a))
    expect(longest.end - longest.start).toBeGreaterThan(4 * NS_PER_MS)
    expect(longest.packets).toBeGreaterThan(10 * 363)
    // no softirq does rx work in this mode
    expect(sumPackets(allSlices(r), (x) => isSoftirqCtx(x.kind))).toBe(0)
    const a = r.trace.actors[longest.actor]!
    expect(a.name).toBe('napi/eth0-8193')
    expect(a.policy).toBe('SCHED_NORMAL')
    expect(a.affinity).toBeUndefined()
  })
})

// ------------------------------------------------------------------------------------------------

const fifoScenario = (rate: number, schedNormal: boolean): ScenarioInput => ({
  durationMs: 20, warmupMs: 1, host: { cpus: 1 }, nic: { queues: 1 }, rx: { mode: 'threaded-irq', schedNormal },
  traffic: { flows: 1, payloadBytes: 64, perFlowKpps: rate, senderMaxKpps: rate },
  consumer: { kind: 'local', receiverCpu: 0 },
})

describe('SCHED_FIFO irq thread preempts SCHED_NORMAL; SCHED_NORMAL shares by CFS (MODEL.md §3, §5)', () => {
  it('default flags: irq/<nr>-<action> is SCHED_FIFO 50 pinned to the IRQ CPU', () => {
    const r = run(fifoScenario(100, false))
    const a = r.trace.actors[actorId(r, 'irq/45-eth0-TxRx-0')]!
    expect(a.policy).toBe('SCHED_FIFO')
    expect(a.rtPriority).toBe(50)
    expect(a.affinity).toEqual([0])
    const n = run(fifoScenario(100, true)).trace.actors.find((x) => x.name === 'irq/45-eth0-TxRx-0')!
    expect(n.policy).toBe('SCHED_NORMAL')
  })

  it('near saturation (the receiver always has datagrams to read): the woken FIFO thread runs at the receiver\'s next preemption point, and the receiver never preempts it', () => {
    const r = run(fifoScenario(600, false))
    const thr = actorId(r, 'irq/45-eth0-TxRx-0')
    const sl = cpuSlices(r, 0)
    const wakes = wakeupsOf(r, thr)
    expect(wakes.length).toBeGreaterThan(50)
    // worst case: the receiver is inside one recvmsg step (≤ READ_BATCH datagrams) when the IRQ arrives
    const maxAppChunk = READ_BATCH * (COSTS.appPerPktNs + COSTS.copyNsPerByte * 64) + COSTS.contextSwitchNs
    for (const w of wakes) {
      const first = sl.find((x) => x.actor === thr && x.start >= w.t)
      if (!first) continue // woken just before the end of the run
      expect(first.start - w.t).toBeLessThanOrEqual(maxAppChunk + 2 * COSTS.hardirqNs + COSTS.timerTickNs)
    }
    // whenever the receiver follows the irq thread on the CPU, the thread had gone to sleep
    for (let i = 0; i + 1 < sl.length; i++) {
      if (sl[i]!.actor === thr && sl[i + 1]!.kind === SliceKind.app) expect(sl[i]!.reason).toBe(EndReason.sleep)
    }
  })

  it('overload: the FIFO thread never sleeps, so the SCHED_NORMAL receiver is starved; as SCHED_NORMAL both get a share of the CPU', () => {
    const fifo = run(fifoScenario(3000, false))
    const cfs = run(fifoScenario(3000, true))
    const simNs = fifo.summary.simulatedNs
    // FIFO: once the thread polls continuously (from the second IRQ on), the receiver never runs
    const thr = actorId(fifo, 'irq/45-eth0-TxRx-0')
    const awake = awakeTracker(fifo, thr)
    const app = allSlices(fifo).filter((x) => x.kind === SliceKind.app)
    const lateApp = app.filter((x) => x.start > 1 * NS_PER_MS)
    expect(lateApp.every((x) => !awake(x.start))).toBe(true)
    expect(taskNs(fifo, 'udp_sink')).toBeLessThan(0.01 * simNs)
    expect(taskNs(fifo, 'irq/45-eth0-TxRx-0')).toBeGreaterThan(0.95 * simNs)
    // CFS: the thread yields at cond_resched after a poll; the receiver gets a real share
    expect(taskNs(cfs, 'udp_sink')).toBeGreaterThan(0.2 * simNs)
    expect(taskNs(cfs, 'irq/45-eth0-TxRx-0')).toBeGreaterThan(0.2 * simNs)
    expect(cfs.summary.deliveredKpps).toBeGreaterThan(100 * fifo.summary.deliveredKpps + 50)
    packetsConserved(fifo)
    packetsConserved(cfs)
  })
})

// ------------------------------------------------------------------------------------------------

describe('affinity masks are respected (MODEL.md §2, §3, §5)', () => {
  const scenarios: Array<[string, ScenarioInput]> = [
    ['threaded IRQ, pinned threads (one IRQ moved by smp_affinity, one unpinned), local receiver pinned', {
      durationMs: 15, warmupMs: 1, host: { cpus: 4 }, nic: { queues: 4 },
      rx: { mode: 'threaded-irq', irqs: [{ queue: 1, cpu: 3 }, { queue: 2, noAffinity: true, schedNormal: true }] },
      traffic: { flows: 25, payloadBytes: 64, perFlowKpps: 200, senderMaxKpps: 4000 },
      consumer: { kind: 'local', receiverCpu: 2 },
    }],
    ['softirq, 3-vCPU guest that the balancer moves around', {
      durationMs: 15, warmupMs: 1, host: { cpus: 3 }, nic: { queues: 3 },
      traffic: { flows: 25, payloadBytes: 64, perFlowKpps: 200, senderMaxKpps: 4000 },
      consumer: { kind: 'guest', vcpus: 3 },
    }],
    ['threaded IRQ with switches, 2-vCPU guest', {
      durationMs: 15, warmupMs: 1, host: { cpus: 4 }, nic: { queues: 4 },
      rx: { mode: 'softirq', switches: [{ atMs: 3, queue: -1, threaded: true }, { atMs: 9, queue: 1, threaded: false }] },
      traffic: { flows: 25, payloadBytes: 64, perFlowKpps: 200, senderMaxKpps: 4000 },
      consumer: { kind: 'guest', vcpus: 2 },
    }],
  ]

  it.each(scenarios)('%s: pinned tasks run and migrate only on their CPUs', (_name, input) => {
    const s = parseScenario(input)
    const r = runSimulation(s)
    const irqs = irqSettings(s)
    /** allowed CPUs derived from the scenario, not from the engine's actor table */
    const expected = (name: string): number[] | null => {
      let m = /^ksoftirqd\/(\d+)$/.exec(name)
      if (m) return [Number(m[1])]
      m = /^irq\/(\d+)-eth0-TxRx-(\d+)$/.exec(name)
      if (m) {
        const st = irqs[Number(m[2])]!
        expect(st.irq).toBe(Number(m[1]))
        return st.noAffinity ? null : [st.cpu]
      }
      m = /^irq (\d+) \(eth0-TxRx-(\d+)\)$/.exec(name)
      if (m) return [irqs[Number(m[2])]!.cpu] // the hard IRQ is delivered to its smp_affinity CPU
      if (name === 'udp_sink') return s.consumer.receiverCpu >= 0 ? [s.consumer.receiverCpu] : null
      return null
    }
    const allowed = r.trace.actors.map((a) => expected(a.name))
    for (const [i, a] of r.trace.actors.entries()) {
      const e = allowed[i]
      if (e && !a.name.startsWith('irq ')) expect(a.affinity, a.name).toEqual(e)
    }
    let checked = 0
    for (const x of allSlices(r)) {
      const e = allowed[x.actor]
      if (!e) continue
      checked++
      if (!e.includes(x.cpu)) expect.fail(`${x.name} ran on CPU ${x.cpu} at ${x.start} ns (allowed ${e.join(',')})`)
    }
    expect(checked).toBeGreaterThan(0)
    const m = r.trace.events.migrations
    for (let i = 0; i < m.count; i++) {
      const e = allowed[m.actor[i]!]
      expect(m.fromCpu[i]).not.toBe(m.toCpu[i])
      if (e) expect.fail(`pinned ${r.trace.actors[m.actor[i]!]!.name} migrated ${m.fromCpu[i]} → ${m.toCpu[i]}`)
    }
    // wakeups place pinned tasks on an allowed CPU
    const w = r.trace.events.wakeups
    for (let i = 0; i < w.count; i++) {
      const e = allowed[w.wakee[i]!]
      if (e) expect(e).toContain(w.toCpu[i])
    }
    const tasksMigrations = r.summary.tasks.filter((t) => allowed[t.actor]).reduce((a, t) => a + t.migrations, 0)
    expect(tasksMigrations).toBe(0)
  })

  it('the guest scenario does exercise migration (the affinity checks above are not vacuous)', () => {
    const r = run(scenarios[1]![1])
    expect(r.trace.events.migrations.count).toBeGreaterThan(0)
  })
})

// ------------------------------------------------------------------------------------------------

describe('runtime switch of /proc/irq/<nr>/<action>/threaded (MODEL.md §3, seed)', () => {
  const T1 = 10
  const T2 = 20
  const input = (consumer: ScenarioInput['consumer']): ScenarioInput => ({
    durationMs: 30, warmupMs: 1, host: { cpus: 4 }, nic: { queues: 4 },
    rx: { mode: 'softirq', switches: [{ atMs: T1, queue: -1, threaded: true }, { atMs: T2, queue: -1, threaded: false }] },
    traffic: { flows: 25, payloadBytes: 64, perFlowKpps: 200, senderMaxKpps: 3000 },
    consumer,
  })

  it.each([['guest', { kind: 'guest' as const, vcpus: 2 }], ['local receiver', { kind: 'local' as const, receiverCpu: -1 }]])(
    '%s: every queue flips at the switch times, the NAPI work moves softirq → thread → softirq, and no packet is lost or duplicated',
    (_n, consumer) => {
      const s = parseScenario(input(consumer))
      const r = runSimulation(s)
      packetsConserved(r)
      // the mode notifier's switches, one per queue and write
      const ms = r.trace.events.modeSwitches
      expect(ms).toHaveLength(2 * s.nic.queues)
      expect(r.summary.modeSwitches).toBe(2 * s.nic.queues)
      for (const q of irqSettings(s)) {
        expect(ms).toContainEqual({ tNs: T1 * NS_PER_MS, queue: q.queue, irq: q.irq, threaded: true })
        expect(ms).toContainEqual({ tNs: T2 * NS_PER_MS, queue: q.queue, irq: q.irq, threaded: false })
      }
      const sl = allSlices(r)
      const threads = sl.filter((x) => x.kind === SliceKind.irqThread)
      expect(threads.length).toBeGreaterThan(0)
      // the thread exists from the first switch on; it does rx work only while threaded (after
      // T2, at most the poll in progress at the switch: ≤ 64 packets per thread)
      for (const x of threads) expect(x.start).toBeGreaterThanOrEqual(T1 * NS_PER_MS)
      for (const q of irqSettings(s)) {
        const name = `irq/${q.irq}-${q.action}`
        const late = sumPackets(threads, (x) => x.name === name && x.start >= T2 * NS_PER_MS)
        expect(late).toBeLessThanOrEqual(64)
        expect(sumPackets(threads, (x) => x.name === name && x.start >= T2 * NS_PER_MS + NS_PER_MS)).toBe(0)
      }
      const soft = (from: number, to: number) => sumPackets(sl, (x) => isSoftirqCtx(x.kind) && x.start >= from && x.end <= to)
      const thr = (from: number, to: number) => sumPackets(threads, (x) => x.start >= from && x.end <= to)
      const ms1 = NS_PER_MS
      expect(soft(0, T1 * ms1)).toBeGreaterThan(0)
      // between the switches no softirq context polls (after the polls in flight at T1 finished)
      expect(soft(T1 * ms1 + ms1, T2 * ms1)).toBe(0)
      expect(thr(T1 * ms1, T2 * ms1 + ms1)).toBeGreaterThan(0)
      expect(soft(T2 * ms1, 30 * ms1)).toBeGreaterThan(0)
      expect(thr(0, T1 * ms1)).toBe(0)
    },
  )

  it('a switch of one queue creates only that queue\'s thread, and only it polls in a thread', () => {
    const s = parseScenario({
      durationMs: 15, warmupMs: 1, host: { cpus: 4 }, nic: { queues: 4 },
      rx: { mode: 'softirq', switches: [{ atMs: 5, queue: 2, threaded: true }] },
      traffic: { flows: 25, payloadBytes: 64, perFlowKpps: 200, senderMaxKpps: 3000 },
      consumer: { kind: 'guest', vcpus: 2 },
    })
    const r = runSimulation(s)
    packetsConserved(r)
    const names = r.trace.actors.filter((a) => a.name.startsWith('irq/')).map((a) => a.name)
    expect(names).toEqual(['irq/47-eth0-TxRx-2'])
    expect(r.trace.events.modeSwitches).toEqual([{ tNs: 5 * NS_PER_MS, queue: 2, irq: 47, threaded: true }])
  })

  it('without switches, a softirq-mode run has no irq thread at all', () => {
    const r = run({ ...input({ kind: 'guest' }), rx: { mode: 'softirq' } })
    expect(r.trace.actors.some((a) => a.name.startsWith('irq/'))).toBe(false)
    expect(r.summary.modeSwitches).toBe(0)
  })

  it('switching a threaded-irq run to softirq and back under overload keeps every packet accounted for', () => {
    const r = run({
      durationMs: 20, warmupMs: 1, host: { cpus: 2 }, nic: { queues: 2 },
      rx: { mode: 'threaded-irq', switches: [{ atMs: 4, queue: 0, threaded: false }, { atMs: 4.0005, queue: 1, threaded: false }, { atMs: 11, queue: -1, threaded: true }, { atMs: 11, queue: -1, threaded: true }] },
      traffic: { flows: 8, payloadBytes: 64, perFlowKpps: 1000, senderMaxKpps: 6000 },
      consumer: { kind: 'local', receiverCpu: 0 },
    })
    packetsConserved(r)
    expect(r.summary.modeSwitches).toBe(6)
  })
})

// ------------------------------------------------------------------------------------------------

// Dumazet's test: NIC IRQ on CPU 0, one UDP receiver on CPU 0, UDP flood.
const eraScenario = (era: 'v4.7' | 'v4.9-v6.4' | 'v6.5+'): ScenarioInput => ({
  durationMs: 25, warmupMs: 5, kernel: { era, hz: 1000 }, host: { cpus: 2 }, nic: { queues: 1 },
  traffic: FLOOD, consumer: { kind: 'local', receiverCpu: 0 },
})
const ksoftirqdShare = (r: SimResult) => {
  const sl = allSlices(r)
  const ksd = sumPackets(sl, (x) => x.kind === SliceKind.ksoftirqd)
  const inline = sumPackets(sl, (x) => x.kind === SliceKind.softirq)
  return { ksd, inline, fraction: ksd / (ksd + inline) }
}
/** softirq bursts (irq_exit or local_bh_enable) that started while ksoftirqd/0 was runnable */
const startsWhileKsoftirqdAwake = (r: SimResult) => {
  const awake = awakeTracker(r, actorId(r, 'ksoftirqd/0'))
  return softirqBursts(r, 0).filter((b) => awake(b.start)).length
}

describe('kernel era: "softirq: Let ksoftirqd do its job" (v4.9–v6.4) and its revert (MODEL.md §2)', () => {
  it('v4.9–v6.4: no softirq runs at irq_exit / local_bh_enable while ksoftirqd is runnable, so rx work goes to ksoftirqd', () => {
    const r = run(eraScenario('v4.9-v6.4'))
    expect(softirqBursts(r, 0).length).toBeGreaterThan(0)
    expect(startsWhileKsoftirqdAwake(r)).toBe(0)
    expect(ksoftirqdShare(r).fraction).toBeGreaterThan(0.9)
  })

  it('v4.7 and v6.5+: softirqs keep running inline in the receiver while ksoftirqd waits; most rx work is done outside ksoftirqd', () => {
    const old = run(eraScenario('v4.7'))
    const reverted = run(eraScenario('v6.5+'))
    const modern = run(eraScenario('v4.9-v6.4'))
    for (const r of [old, reverted]) {
      expect(startsWhileKsoftirqdAwake(r)).toBeGreaterThan(0)
      expect(ksoftirqdShare(r).fraction).toBeLessThan(ksoftirqdShare(modern).fraction - 0.3)
    }
    // the deferral lets the receiver run: it gets the CPU time the inline softirqs took from it
    expect(modern.summary.deliveredKpps).toBeGreaterThan(5 * old.summary.deliveredKpps)
    for (const r of [old, reverted, modern]) packetsConserved(r)
  })
})

// ------------------------------------------------------------------------------------------------

const lineRateRun = (seed: number) => run({
  seed, durationMs: 20, warmupMs: 0, host: { cpus: 8 }, nic: { queues: 8 },
  traffic: { flows: 50, payloadBytes: 1400, perFlowKpps: 1000, senderMaxKpps: 15_000 },
  consumer: { kind: 'local', receiverCpu: -1 },
})

describe('NIC', () => {
  it('interrupt mitigation (V5): IRQs per packet fall towards 0 as the offered rate grows', () => {
    const rates = [10, 50, 200, 1000, 3000]
    const perPkt = rates.map((k) => {
      const r = run({
        durationMs: 20, warmupMs: 1, host: { cpus: 2 }, nic: { queues: 1 },
        traffic: { flows: 1, payloadBytes: 64, perFlowKpps: k, senderMaxKpps: k },
        consumer: { kind: 'local', receiverCpu: 1 },
      })
      expect(r.summary.irqsPerQueue).toHaveLength(1)
      return r.summary.irqsPerQueue[0]! / r.summary.packets.offered
    })
    // at 10 kpps (100 µs apart, longer than any ITR interval) every packet raises its own IRQ
    expect(perPkt[0]).toBeGreaterThan(0.9)
    expect(perPkt[0]).toBeLessThanOrEqual(1)
    for (let i = 1; i < perPkt.length; i++) expect(perPkt[i]).toBeLessThanOrEqual(perPkt[i - 1]!)
    expect(perPkt[3]).toBeLessThan(0.01)
    expect(perPkt[4]).toBeLessThan(0.001)
  })

  it('interrupt moderation: a fixed ITR of 100 µs allows at most one IRQ per 100 µs per queue', () => {
    const r = run({
      durationMs: 20, warmupMs: 1, host: { cpus: 2 }, nic: { queues: 1, itrUs: 100 },
      traffic: { flows: 1, payloadBytes: 64, perFlowKpps: 100, senderMaxKpps: 100 },
      consumer: { kind: 'local', receiverCpu: 1 },
    })
    const hard = allSlices(r).filter((x) => x.kind === SliceKind.hardirq).map((x) => x.start).toSorted((a, b) => a - b)
    expect(hard.length).toBe(r.summary.irqsPerQueue[0])
    expect(hard.length).toBeGreaterThan(100)
    for (let i = 1; i < hard.length; i++) expect(hard[i]! - hard[i - 1]!).toBeGreaterThanOrEqual(100_000)
  })

  it('the rx ring holds at most ringSize packets per queue: drops start when it is full', () => {
    const r = run({
      durationMs: 10, warmupMs: 1, host: { cpus: 2 }, nic: { queues: 1, ringSize: 128 },
      traffic: FLOOD, consumer: { kind: 'local', receiverCpu: 1 },
    })
    expect(r.summary.packets.dropped['nic ring']).toBeGreaterThan(0)
    const ring = r.trace.counters.find((c) => c.name.startsWith('NIC rx rings'))!
    expect(Math.max(...ring.v)).toBeLessThanOrEqual(128)
    expect(Math.max(...ring.v)).toBeGreaterThan(64)
  })

  it.each([
    [1, 14_880.952],
    [64, 9_615.385],
    [256, 3_881.988],
    [1400, 852.66],
  ])('10GbE line rate for a %i B payload is %f kpps (MODEL.md §7)', (payload, kpps) => {
    expect(lineRatePps(payload) / 1000).toBeCloseTo(kpps, 1)
  })

  it('line rate (V12): a 1400 B flood is capped at 852.7 kpps; nothing is delivered faster', () => {
    const s = lineRateRun(1).summary
    expect(s.lineRateKpps).toBeCloseTo(852.66, 1)
    // the mean offered rate is the line rate (the sender could do 15 Mpps)
    expect(s.offeredKpps).toBeGreaterThan(0.99 * 852.66)
    expect(s.offeredKpps).toBeLessThan(1.01 * 852.66)
    expect(s.deliveredKpps).toBeLessThanOrEqual(852.66)
  })

  // Regression: arrivals used to keep ±50% sender jitter when the line rate capped the offer.
  // Queues now arrive periodically at line rate; over a window each of the 8 queues may count one
  // packet more than its exact share (random phases), 8 packets / 20 ms = 0.4 kpps of slack.
  it('line rate (V12): the offered load never exceeds 852.7 kpps (+ one packet per queue), whatever the seed', () => {
    for (let seed = 1; seed <= 10; seed++) expect(lineRateRun(seed).summary.offeredKpps, `seed ${seed}`).toBeLessThanOrEqual(852.66 + 8 / 20)
  })

  it('the sender cap and per-flow rate bound the offered load too', () => {
    const r = run({
      durationMs: 20, warmupMs: 0, host: { cpus: 2 }, nic: { queues: 2 },
      traffic: { flows: 4, payloadBytes: 64, perFlowKpps: 50, senderMaxKpps: 15_000 },
      consumer: { kind: 'local', receiverCpu: 1 },
    })
    expect(r.summary.offeredKpps).toBeGreaterThan(190)
    expect(r.summary.offeredKpps).toBeLessThan(210)
  })
})

// ------------------------------------------------------------------------------------------------

const ip = (s: string) => s.split('.').map(Number)
const port = (p: number) => [p >> 8, p & 0xff]

const flowsPerQueue = (seed: number) => {
  const c = Array.from({ length: 16 }, () => 0)
  for (const q of assignFlowsToQueues(25, 16, mulberry32(seed))) c[q]!++
  return c
}

const counterMax = (r: SimResult, prefix: string) => Math.max(...r.trace.counters.find((c) => c.name.startsWith(prefix))!.v)

describe('hypervisor path: tun noqueue, virtio ring, guest socket buffer (MODEL.md §6)', () => {
  it.each([
    // rcvbuf 212,992 B / truesize: 768 B up to a 128 B frame (≈277 datagrams), else 2304 B (≈92)
    [64, 278],
    [1400, 93],
  ])('%i B payload: the guest socket holds at most %i datagrams (rcvbuf / truesize); the rest is dropped and counted', (payload, cap) => {
    // long enough for the scheduler to move vhost off the softirq CPU it was first woken onto
    const r = run({
      durationMs: 400, warmupMs: 1, host: { cpus: 4 }, nic: { queues: 2 },
      traffic: { flows: 1, payloadBytes: payload, perFlowKpps: 3000, senderMaxKpps: 3000 },
      consumer: { kind: 'guest', vcpus: 1 }, trace: { maxSlices: 0 },
    })
    expect(r.summary.packets.dropped['guest socket']).toBeGreaterThan(0)
    expect(counterMax(r, 'socket queues')).toBeLessThanOrEqual(cap)
    expect(counterMax(r, 'socket queues')).toBeGreaterThan(cap - 10)
    expect(counterMax(r, 'tun queue')).toBeLessThanOrEqual(500)
    expect(counterMax(r, 'guest virtio rx ring')).toBeLessThanOrEqual(256)
    packetsConserved(r)
  })

  it('tun with noqueue drops beyond 500 queued packets when vhost cannot keep up', () => {
    const r = run({
      durationMs: 20, warmupMs: 1, host: { cpus: 4 }, nic: { queues: 2 },
      traffic: { flows: 4, payloadBytes: 256, perFlowKpps: 3000, senderMaxKpps: 3000 },
      consumer: { kind: 'guest', vcpus: 1 },
    })
    expect(r.summary.packets.dropped['tun queue']).toBeGreaterThan(0)
    expect(counterMax(r, 'tun queue')).toBe(500)
    // tun_net_xmit runs in the rx context on the IRQ CPUs: vhost is a separate task
    const vhost = r.trace.actors.find((a) => a.name.startsWith('vhost-'))!
    expect(vhost.policy).toBe('SCHED_NORMAL')
    expect(allSlices(r).some((x) => x.actor === vhost.id && x.kind === SliceKind.vhost)).toBe(true)
  })
})

// ------------------------------------------------------------------------------------------------

describe('RSS: Toeplitz over IPv4 addresses, 128-entry RETA (MODEL.md §7)', () => {
  it.each([
    // Microsoft "Verifying the RSS Hash Calculation", IPv4: [source, destination, ports]
    ['66.9.149.187', 2794, '161.142.100.80', 1766, 0x323e8fc2, 0x51ccc178],
    ['199.92.111.2', 14230, '65.69.140.83', 4739, 0xd718262a, 0xc626b0ea],
    ['24.19.198.95', 12898, '12.22.207.184', 38024, 0xd2d0a5de, 0x5c2b394a],
    ['38.27.205.30', 48228, '209.142.163.6', 2217, 0x82989176, 0xafc7327f],
    ['153.39.163.191', 44251, '202.188.127.2', 1303, 0x5d1809c5, 0x10e828a2],
  ] as const)('toeplitz(%s:%i → %s:%i) matches the verification suite', (src, sport, dst, dport, ipOnly, withPorts) => {
    expect(toeplitz([...ip(src), ...ip(dst)])).toBe(ipOnly)
    expect(toeplitz([...ip(src), ...ip(dst), ...port(sport), ...port(dport)])).toBe(withPorts)
  })

  it('25 flows on 16 queues: uneven (empty queues and queues with several flows), deterministic from the seed', () => {
    let empty = 0
    for (let seed = 1; seed <= 40; seed++) {
      const c = flowsPerQueue(seed)
      expect(c.reduce((a, b) => a + b, 0)).toBe(25)
      expect(Math.max(...c)).toBeGreaterThanOrEqual(2)
      expect(flowsPerQueue(seed)).toEqual(c)
      empty += c.filter((n) => n === 0).length
    }
    // a uniform hash leaves 16·(15/16)^25 ≈ 3.2 of 16 queues empty on average
    expect(empty / 40).toBeGreaterThan(2)
    expect(empty / 40).toBeLessThan(4.5)
    expect(flowsPerQueue(1)).not.toEqual(flowsPerQueue(2))
  })

  it('the engine loads exactly the queues the flows hash to: queues without a flow never interrupt', () => {
    for (const seed of [1, 7]) {
      const r = run({
        seed, durationMs: 5, warmupMs: 1, host: { cpus: 16 }, nic: { queues: 16 },
        traffic: { flows: 25, payloadBytes: 64, perFlowKpps: 40, senderMaxKpps: 1000 },
        consumer: { kind: 'local', receiverCpu: -1 },
      })
      const used = new Set(assignFlowsToQueues(25, 16, mulberry32(seed)))
      expect(used.size).toBeLessThan(16)
      r.summary.irqsPerQueue.forEach((n, q) => expect(n > 0, `queue ${q}`).toBe(used.has(q)))
    }
  })
})

// ------------------------------------------------------------------------------------------------

describe('trace: end reasons describe the slice they are attached to', () => {
  // A light load on 2 CPUs: CPU 0 takes the IRQ and runs NET_RX, the receiver sleeps on CPU 1;
  // both CPUs go idle between packets and at the end of the run.
  const light: ScenarioInput = {
    durationMs: 3, warmupMs: 1, host: { cpus: 2 }, nic: { queues: 1 },
    traffic: { flows: 1, payloadBytes: 64, perFlowKpps: 5, senderMaxKpps: 5 },
    consumer: { kind: 'local', receiverCpu: 1 },
  }

  it('the receiver that runs out of datagrams ends its slices with "sleep", and hard IRQs carry no reason but done', () => {
    const r = run(light)
    const sl = allSlices(r)
    expect(sl.some((x) => x.kind === SliceKind.app && x.reason === EndReason.sleep)).toBe(true)
    for (const x of sl) if (x.kind === SliceKind.hardirq) expect([EndReason.none, EndReason.done]).toContain(x.reason)
  })

  // Regression (fixed in b129282): an IRQ arriving at an idle CPU relabelled the CPU's last slice,
  // which had ended long before ("done", "sleep"), as "preempted".
  it('"preempted" means a hard IRQ took over at the end of the slice: a slice followed by idle time is never "preempted"', () => {
    const r = run(light)
    for (const c of [0, 1]) {
      const sl = cpuSlices(r, c)
      sl.forEach((x, j) => {
        const next = sl[j + 1]
        if (x.reason === EndReason.preempted) expect(next && next.start === x.end, `${x.name} ${x.start}-${x.end}`).toBe(true)
      })
    }
  })

  // Regression (fixed in b129282): the end of the run relabelled the last slice of an idle CPU.
  // Regression: an IRQ arriving at the instant ksoftirqd went to sleep relabelled its "sleep" slice
  // "preempted" (onIrq now names the actor whose chunk it preempts).
  it('a task slice that ends "preempted" leaves the task runnable: it runs again without a wakeup', () => {
    const r = run({
      durationMs: 20, warmupMs: 1, kernel: { era: 'v4.9-v6.4' }, host: { cpus: 2 }, nic: { queues: 2 },
      rx: { irqs: [{ queue: 0, cpu: 0 }, { queue: 1, cpu: 0 }] },
      traffic: { flows: 8, payloadBytes: 64, perFlowKpps: 60, senderMaxKpps: 480 },
      consumer: { kind: 'local', receiverCpu: 0 },
    })
    const sl = allSlices(r)
    const w = r.trace.events.wakeups
    let checked = 0
    for (const x of sl) {
      if (x.reason !== EndReason.preempted || x.kind === SliceKind.hardirq || x.kind === SliceKind.softirq) continue
      checked++
      const next = sl.find((y) => y.actor === x.actor && y.kind === x.kind && y.start >= x.end && y.i !== x.i)
      const until = next ? next.start : Infinity
      for (let k = 0; k < w.count; k++) {
        if (w.wakee[k] === x.actor && w.t[k]! >= x.end && w.t[k]! <= until) expect.fail(`${x.name} [${x.start}, ${x.end}] "preempted" but woken at ${w.t[k]}`)
      }
    }
    expect(checked).toBeGreaterThan(0)
  })

  it('"end of run" is only the reason of slices that were cut by the end of the run', () => {
    const r = run(light)
    for (const x of allSlices(r)) if (x.reason === EndReason.end) expect(x.end).toBe(r.trace.durationNs)
  })
})

// ------------------------------------------------------------------------------------------------

describe('scenario schema: bad values name the field', () => {
  it.each([
    [{ kernel: { hz: 500 } }, /^kernel\.hz:/],
    [{ kernel: { era: 'v5.0' } }, /^kernel\.era:/],
    [{ rx: { mode: 'napi' } }, /^rx\.mode:/],
    [{ consumer: { kind: 'vm' } }, /^consumer\.kind:/],
    [{ host: { cpus: 4 }, consumer: { kind: 'local', receiverCpu: 4 } }, /^consumer\.receiverCpu:/],
    [{ durationMs: 10, warmupMs: 1, rx: { switches: [{ atMs: 11, queue: -1, threaded: true }] } }, /^rx\.switches\.0\.atMs:/],
    [{ nic: { queues: 4 }, rx: { switches: [{ atMs: 1, queue: 5, threaded: true }] } }, /^rx\.switches\.0\.queue:/],
    [{ rx: { switches: [{ atMs: 1, queue: 0 }] } }, /^rx\.switches\.0\.threaded:/],
    [{ rx: { switches: [{ atMs: -1, queue: 0, threaded: true }] } }, /^rx\.switches\.0\.atMs:/],
    [{ host: { cpus: 2 }, rx: { irqs: [{ queue: 0, cpu: 2 }] } }, /^rx\.irqs\.0\.cpu:/],
    [{ rx: { irqs: [{ queue: 0, foo: 1 }] } }, /^rx\.irqs\.0\b.*foo/],
    [{ nic: { ringSize: 32 } }, /^nic\.ringSize:/],
    [{ nic: { itrUs: -1 } }, /^nic\.itrUs:/],
    [{ traffic: { payloadBytes: 1473 } }, /^traffic\.payloadBytes:/],
    [{ traffic: { perFlowKpps: 0 } }, /^traffic\.perFlowKpps:/],
    [{ host: { cpus: 1.5 } }, /^host\.cpus:/],
    [{ host: { cpus: 65 } }, /^host\.cpus:/],
    [{ consumer: { vcpus: 0 } }, /^consumer\.vcpus:/],
    [{ trace: { maxSlices: -1 } }, /^trace\.maxSlices:/],
    [{ seed: 2 ** 32 }, /^seed:/],
    [{ durationMs: 0.5 }, /^durationMs:/],
    [{ durationMs: 5, warmupMs: 5 }, /^warmupMs:/],
    [{ version: 3 }, /^version:/],
  ])('%j → %s', (input, re) => {
    const r = tryParseScenario(input)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toMatch(re)
  })

  it('a non-object scenario is rejected as a whole', () => {
    for (const bad of [42, 'x', [], true]) {
      const r = tryParseScenario(bad)
      expect(r.ok).toBe(false)
    }
  })

  it('boundary values are accepted', () => {
    for (const ok of [
      { host: { cpus: 64 }, nic: { queues: 64 } },
      { traffic: { payloadBytes: 1 } },
      { traffic: { payloadBytes: 1472 } },
      { durationMs: 10, warmupMs: 0, rx: { switches: [{ atMs: 10, queue: -1, threaded: true }] } },
      { host: { cpus: 4 }, consumer: { kind: 'local', receiverCpu: 3 } },
      { kernel: { hz: 250, era: 'v6.5+' } },
    ]) expect(tryParseScenario(ok)).toMatchObject({ ok: true })
  })
})

describe('virtio-net multiqueue (a modern guest)', () => {
  it('queue i interrupts vCPU i and has its own vhost worker and tun queue; one queue (2016) keeps all guest rx on vCPU 0', () => {
    const base: ScenarioInput = {
      durationMs: 60, warmupMs: 10, host: { cpus: 8, sockets: 1 }, nic: { queues: 8 },
      traffic: { flows: 16, payloadBytes: 64, perFlowKpps: 40 }, consumer: { kind: 'guest', vcpus: 2 },
    }
    const guestRxOn = (r: SimResult) => {
      const g = r.trace.guest!
      const per = [0, 0]
      for (let i = 0; i < g.slices.count; i++) if (g.slices.kind[i] === SliceKind.softirq) per[g.slices.cpu[i]!]! += g.slices.packets[i]!
      return per
    }
    const one = run(base)
    const mq = run({ ...base, consumer: { kind: 'guest', vcpus: 2, virtioQueues: 2 } })
    expect(guestRxOn(one)[1]).toBe(0)
    expect(guestRxOn(one)[0]).toBeGreaterThan(0)
    expect(guestRxOn(mq).every((n) => n > 0)).toBe(true)
    expect(mq.trace.actors.filter((a) => a.name.startsWith('vhost-')).length).toBe(2)
    expect(one.trace.actors.filter((a) => a.name.startsWith('vhost-')).length).toBe(1)
    expect(tryParseScenario({ consumer: { vcpus: 2, virtioQueues: 3 } }).ok).toBe(false)
    packetsConserved(mq)
  })
})

describe('per-packet latency (wire arrival → the application read)', () => {
  const local = (receiverCpu: number, kpps: number): ScenarioInput => ({
    durationMs: 60, warmupMs: 10, host: { cpus: 2 }, nic: { queues: 1 },
    traffic: { flows: 1, payloadBytes: 64, perFlowKpps: kpps }, consumer: { kind: 'local', receiverCpu },
  })
  it('is at least the path\'s own cost, counts what was read after warm-up, and ordered percentiles', () => {
    const r = run(local(1, 100))
    const l = r.summary.latency!
    // rx poll + socket enqueue + recvmsg of one datagram, at least
    expect(l.p50Ns).toBeGreaterThan(COSTS.hostUdpPerPktNs + COSTS.appPerPktNs)
    expect(l.p50Ns).toBeLessThanOrEqual(l.p90Ns)
    expect(l.p90Ns).toBeLessThanOrEqual(l.p99Ns)
    expect(l.p99Ns).toBeLessThanOrEqual(l.p999Ns)
    expect(l.count).toBeGreaterThan(0)
    expect(l.count).toBeLessThanOrEqual(r.summary.packets.delivered)
    expect(l.buckets.reduce((a, [, c]) => a + c, 0)).toBe(l.count)
  })
  it('grows with queueing: a receiver that cannot keep up sees its socket full, so the median latency is far higher', () => {
    const light = run(local(1, 100)).summary.latency!
    const heavy = run(local(1, 3000)).summary.latency!
    expect(heavy.p50Ns).toBeGreaterThan(10 * light.p50Ns)
  })
})

describe('napi_defer_hard_irqs + gro_flush_timeout (v5.7+, MODERN-KERNELS.md §2)', () => {
  const sparse = (defer: number, timeoutUs: number): ScenarioInput => ({
    durationMs: 50, warmupMs: 1, kernel: { era: 'v6.6+' }, host: { cpus: 2 }, nic: { queues: 1, itrUs: 10, deferHardIrqs: defer, groFlushTimeoutUs: timeoutUs },
    traffic: { flows: 1, payloadBytes: 64, perFlowKpps: 1 }, consumer: { kind: 'local', receiverCpu: 1 },
  })
  const count = (r: SimResult, name: string) => {
    const a = r.trace.actors.find((x) => x.name === name)!.id
    let n = 0
    for (let i = 0; i < r.trace.slices.count; i++) if (r.trace.slices.actor[i] === a && r.trace.slices.kind[i] === SliceKind.hardirq) n++
    return n
  }
  it('after a poll with work the device IRQ stays masked for exactly N empty polls, each repolled by the NAPI hrtimer', () => {
    // one packet per ms, hrtimer 50 µs: each packet's IRQ is followed by exactly 3 timer polls
    const r = run(sparse(3, 50))
    const irqs = count(r, 'irq 45 (eth0-TxRx-0)')
    const timers = count(r, 'napi hrtimer')
    expect(irqs).toBeGreaterThan(30)
    expect(timers).toBeGreaterThanOrEqual(3 * irqs - 3)
    expect(timers).toBeLessThanOrEqual(3 * irqs)
    expect(r.summary.irqsPerQueue[0]).toBe(irqs)
    packetsConserved(r)
  })
  it('a packet arriving while the IRQ is deferred is picked up by the timer poll, not by an interrupt', () => {
    // a packet every 100 µs (gaps of 50–150 µs: the sender's jitter), timer 80 µs, N = 2: two timer
    // polls span 160 µs, so one of them always finds the next packet and the IRQ never returns
    const r = run({ ...sparse(2, 80), traffic: { flows: 1, payloadBytes: 64, perFlowKpps: 10 } })
    expect(count(r, 'irq 45 (eth0-TxRx-0)')).toBeLessThanOrEqual(2)
    expect(r.summary.deliveredKpps).toBeGreaterThan(9)
  })
  it('is off by default, and a v4.7 scenario that sets it is refused', () => {
    const r = run(sparse(0, 0))
    expect(count(r, 'napi hrtimer')).toBe(0)
    expect(tryParseScenario({ nic: { deferHardIrqs: 2 } })).toMatchObject({ ok: false, error: expect.stringContaining('v5.7') })
  })
})

describe('threaded NAPI busy poll (threaded = 2, MODERN-KERNELS.md §5)', () => {
  const input = (busy: boolean): ScenarioInput => ({
    durationMs: 30, warmupMs: 1, kernel: { era: 'v6.6+' }, host: { cpus: 2 }, nic: { queues: 1 },
    rx: { mode: 'threaded-napi', threadedBusyPoll: busy }, traffic: { flows: 1, payloadBytes: 64, perFlowKpps: 50 }, consumer: { kind: 'local', receiverCpu: 1 },
  })
  it('the kthread never sleeps and keeps its CPU busy; after the first interrupt the device IRQ never fires again', () => {
    const r = run(input(true))
    const napi = r.trace.actors.find((a) => a.name === 'napi/eth0-8193')!.id
    expect(allSlices(r).some((x) => x.actor === napi && x.reason === EndReason.sleep)).toBe(false)
    expect(r.summary.irqsPerQueue[0]).toBe(1)
    expect(r.summary.cpu[0]!.idle).toBeLessThan(2)
    expect(r.summary.deliveredKpps).toBeGreaterThan(45)
    const plain = run(input(false))
    expect(plain.summary.irqsPerQueue[0]).toBeGreaterThan(100)
    expect(plain.summary.cpu[0]!.idle).toBeGreaterThan(50)
  })
  it('needs threaded NAPI and today\'s kernels', () => {
    expect(tryParseScenario({ kernel: { era: 'v6.6+' }, rx: { mode: 'softirq', threadedBusyPoll: true } }).ok).toBe(false)
    expect(tryParseScenario({ kernel: { era: 'v6.5+' }, rx: { mode: 'threaded-napi', threadedBusyPoll: true } }).ok).toBe(false)
  })
})

describe('sampled per-packet paths (trace.paths, like perf netdev-times)', () => {
  it('follows every n-th packet through host rx, tun, vhost, guest rx and the read, in time order, or to where it was dropped', () => {
    const r = run({ ...SEED_2016_SHORT, traffic: { flows: 4, payloadBytes: 64 } })
    const p = r.trace.paths!
    expect(p.every).toBeGreaterThan(1)
    expect(p.packets.length).toBeGreaterThan(300)
    const order = ['host rx poll', 'vhost copy', 'guest rx poll', 'read by the application']
    let read = 0
    for (const pk of p.packets) {
      const t = pk.hops.map((h) => h.tNs)
      expect(t.every((x, i) => i === 0 || x >= t[i - 1]!)).toBe(true)
      expect(pk.hops[0]?.tNs ?? Infinity).toBeGreaterThanOrEqual(pk.wireNs)
      if (pk.fate === 'read') {
        read++
        expect(pk.hops.map((h) => h.stage)).toEqual(order)
        expect(pk.hops[2]!.guest && pk.hops[3]!.guest).toBe(true)
        expect(pk.hops[0]!.guest).toBe(false)
      } else if (pk.fate.startsWith('dropped')) expect(pk.hops.at(-1)!.stage).toMatch(/^dropped \(/)
    }
    // the sample reads about the share the run delivered
    const share = r.summary.packets.delivered / r.summary.packets.offered
    expect(Math.abs(read / p.packets.length - share)).toBeLessThan(0.08)
  })
})
