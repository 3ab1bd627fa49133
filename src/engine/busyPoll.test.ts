// Busy polling, IRQ suspension, request/response clients and the net_rx_action sysctls against the
// kernel rules they implement (../shared/MODERN-KERNELS.md §1, §3, §4; 6.13 net/core/dev.c,
// fs/eventpoll.c). Each test builds the smallest scenario where the rule shows.
import { describe, expect, it } from 'vitest'
import { parseScenario, tryParseScenario, type ScenarioInput } from './scenario.ts'
import { runSimulation } from './sim.ts'
import { SliceKind, type SimResult } from './types.ts'
import { World } from './world.ts'

const run = (input: ScenarioInput): SimResult => runSimulation(parseScenario(input))

function runWorld(w: World): void {
  while (!w.loop.run(50_000)) { /* advance */ }
  if (!w.finished) w.finish(w.endNs)
}

const slicesOf = (r: SimResult, name: string, kind?: number) => {
  const a = r.trace.actors.find((x) => x.name === name)!.id
  const s = r.trace.slices
  const out: Array<{ start: number; end: number; packets: number; kind: number; reason: number }> = []
  for (let i = 0; i < s.count; i++) if (s.actor[i] === a && (kind === undefined || s.kind[i] === kind)) out.push({ start: s.start[i]!, end: s.end[i]!, packets: s.packets[i]!, kind: s.kind[i]!, reason: s.reason[i]! })
  return out
}

/** closed-loop request/response into `queues` queues, epoll with prefer_busy_poll, defer 100, gro_flush_timeout 20 µs, IRQ suspension */
function suspendedRr(o: { cpus: number; queues: number; suspendUs: number; flows: number; outstanding: number; consumer: object }): ScenarioInput {
  return {
    durationMs: 40, warmupMs: 5, kernel: { era: 'v6.6+' }, host: { cpus: o.cpus, sockets: 1 },
    nic: { queues: o.queues, deferHardIrqs: 100, groFlushTimeoutUs: 20, irqSuspendTimeoutUs: o.suspendUs },
    traffic: { pattern: 'rr', flows: o.flows, payloadBytes: 64, outstanding: o.outstanding, rttUs: 10 },
    consumer: { kind: 'local', busyPoll: { budget: 64, prefer: true }, ...o.consumer },
  }
}

function conserved(r: SimResult): void {
  const p = r.summary.packets
  expect(p.offered).toBe(p.delivered + Object.values(p.dropped).reduce((a, b) => a + b, 0) + p.inFlight)
}

/** one queue whose IRQ goes to CPU 0, one application thread pinned to CPU 1 */
const oneQueue = (over: { busyPoll?: object; nic?: object; traffic?: object }): ScenarioInput => ({
  durationMs: 30, warmupMs: 1, kernel: { era: 'v6.6+' }, host: { cpus: 2, sockets: 1 },
  nic: { queues: 1, ...over.nic },
  traffic: { flows: 1, payloadBytes: 64, perFlowKpps: 50, ...over.traffic },
  consumer: { kind: 'local', receiverCpu: 1, busyPoll: { ...over.busyPoll } },
})

describe('busy polling (napi_busy_loop, MODERN-KERNELS.md §3)', () => {
  it('while a busy poller owns the NAPI (IN_BUSY_POLL) the device IRQ is never re-enabled; its polls carry the packets — but without defer each busy_poll_stop re-enables it, so interrupts keep coming', () => {
    const w = new World(parseScenario(oneQueue({ busyPoll: { usecs: 50 } })))
    const q = w.nic.queues[0]!
    let reenabledWhileOwned = 0
    const complete = q.complete.bind(q)
    q.complete = (cpu, now) => {
      if (q.napi.inBusyPoll) reenabledWhileOwned++
      complete(cpu, now)
    }
    runWorld(w)
    expect(reenabledWhileOwned).toBe(0)
    const r = run(oneQueue({ busyPoll: { usecs: 50 } }))
    const polls = slicesOf(r, 'udp_sink', SliceKind.busyPoll)
    expect(polls.reduce((a, s) => a + s.packets, 0)).toBeGreaterThan(0.9 * r.summary.packets.delivered)
    // a packet every 20 µs, a 50 µs loop: the poller finds each one, yet the IRQ re-enabled by the
    // previous busy_poll_stop fires too (napi_schedule finds the instance owned and does nothing)
    expect(r.summary.irqsPerQueue[0]).toBeGreaterThan(0.8 * r.summary.packets.delivered)
    const hardirq = slicesOf(r, 'irq 45 (eth0-TxRx-0)', SliceKind.hardirq)
    expect(hardirq.length).toBe(r.summary.irqsPerQueue[0])
    conserved(r)
  })

  it('a loop that finds nothing for busy_poll_usecs stops, re-enables the IRQ and sleeps', () => {
    // a packet every 1 ms, a 20 µs loop: each wakeup comes from an interrupt again
    const r = run(oneQueue({ busyPoll: { usecs: 20 }, traffic: { perFlowKpps: 1 } }))
    expect(r.summary.irqsPerQueue[0]).toBeGreaterThan(25)
    const spin = slicesOf(r, 'udp_sink', SliceKind.busyPoll).reduce((a, s) => a + s.end - s.start, 0)
    // about 20 µs of polling per packet, not the whole gap
    expect(spin / r.summary.packets.delivered).toBeGreaterThan(15_000)
    expect(spin / r.summary.packets.delivered).toBeLessThan(40_000)
  })

  it('prefer_busy_poll + defer + gro_flush_timeout + a 1 ms loop (fullbusy): the IRQ stays off for good, the thread never sleeps', () => {
    const r = run(oneQueue({ nic: { deferHardIrqs: 100, groFlushTimeoutUs: 5000 }, busyPoll: { usecs: 1000, budget: 64, prefer: true } }))
    expect(r.summary.irqsPerQueue[0]).toBeLessThanOrEqual(1)
    expect(r.summary.cpu[1]!.idle).toBeLessThan(1)
    expect(slicesOf(r, 'udp_sink').some((s) => s.reason === 6)).toBe(false)
    expect(slicesOf(r, 'napi hrtimer').length).toBe(0)
    expect(r.summary.deliveredKpps).toBeGreaterThan(48)
  })

  it('without prefer_busy_poll a poller cannot take a NAPI the softirq holds: under a flood the softirq keeps it', () => {
    const flood = { perFlowKpps: 1500 }
    const plain = run(oneQueue({ busyPoll: { usecs: 50 }, traffic: flood }))
    const polled = (r: SimResult) => slicesOf(r, 'udp_sink', SliceKind.busyPoll).reduce((a, s) => a + s.packets, 0)
    const prefer = run(oneQueue({ nic: { deferHardIrqs: 10, groFlushTimeoutUs: 100 }, busyPoll: { usecs: 50, budget: 64, prefer: true }, traffic: flood }))
    expect(polled(prefer)).toBeGreaterThan(2 * polled(plain))
    conserved(plain)
    conserved(prefer)
  })

  it('epoll_wait(…, 0) in a loop never sleeps but does not busy-poll (5.11+): packets come by interrupt', () => {
    const r = run(oneQueue({ busyPoll: { usecs: 1000, prefer: false, epollTimeoutZero: true } }))
    expect(slicesOf(r, 'udp_sink', SliceKind.busyPoll).length).toBe(0)
    expect(r.summary.irqsPerQueue[0]).toBeGreaterThan(0.5 * r.summary.packets.delivered)
    expect(r.summary.cpu[1]!.idle).toBeLessThan(1)
    const old = run({ ...oneQueue({ busyPoll: { usecs: 1000, epollTimeoutZero: true } }), kernel: { era: 'v4.7' } })
    expect(slicesOf(old, 'udp_sink', SliceKind.busyPoll).reduce((a, x) => a + x.packets, 0)).toBeGreaterThan(0.5 * old.summary.packets.delivered)
  })
  it('refuses what the era lacks, and busy polling outside the local application', () => {
    expect(tryParseScenario({ kernel: { era: 'v4.7' }, consumer: { kind: 'local', busyPoll: { prefer: true } } })).toMatchObject({ ok: false, error: expect.stringContaining('5.11') })
    expect(tryParseScenario({ consumer: { kind: 'guest', busyPoll: { usecs: 50 } } }).ok).toBe(false)
  })
})

describe('IRQ suspension (irq-suspend-timeout, 6.13, MODERN-KERNELS.md §4)', () => {
  const suspend = (timeoutUs: number, kpps: number): ScenarioInput => ({
    ...oneQueue({ nic: { deferHardIrqs: 100, groFlushTimeoutUs: 20, irqSuspendTimeoutUs: timeoutUs }, busyPoll: { budget: 64, prefer: true }, traffic: { perFlowKpps: kpps } }),
    consumer: { kind: 'local', receiverCpu: 1, serviceUs: 5, busyPoll: { budget: 64, prefer: true } },
  })
  it('during a busy period epoll keeps the IRQ suspended: the gro_flush_timeout timer does not interrupt the application', () => {
    // each request takes the application > 5 µs: a batch outlasts the 20 µs gro_flush_timeout
    const withSuspend = run(suspend(20_000, 150))
    const without = run(suspend(0, 150))
    expect(withSuspend.summary.irqsPerQueue[0]).toBeLessThanOrEqual(1)
    expect(slicesOf(withSuspend, 'napi hrtimer').length).toBeLessThan(5)
    // gro_flush_timeout alone: loops 2 and 3 wrestle — the timer fires into the application's batches
    expect(slicesOf(without, 'napi hrtimer').length).toBeGreaterThan(100)
    conserved(withSuspend)
  })
  it('an epoll_wait that finds nothing resumes IRQ processing: the timer (defer + gro_flush_timeout) picks up the next packet', () => {
    const r = run(suspend(20_000, 1))
    const timerPolls = slicesOf(r, 'napi hrtimer').length
    // a packet per ms, 100 × 20 µs of deferral: the IRQ stays masked, the timer polls every 20 µs
    expect(timerPolls).toBeGreaterThan(500)
    expect(r.summary.deliveredKpps).toBeGreaterThan(0.9)
  })
  it('under saturation every epoll_wait finds events (maxevents per call) and re-arms the suspension: the application polls everything', () => {
    // two queues, a server thread on each queue's IRQ CPU, always more requests than one call takes
    const r = run(suspendedRr({ cpus: 2, queues: 2, suspendUs: 5_000, flows: 64, outstanding: 8, consumer: { threads: 2, pinToIrqCpu: true, maxEvents: 8 } }))
    const busy = ['server/0', 'server/1'].reduce((a, n) => a + slicesOf(r, n, SliceKind.busyPoll).reduce((b, x) => b + x.packets, 0), 0)
    expect(busy).toBeGreaterThan(0.97 * r.summary.packets.delivered)
    expect(slicesOf(r, 'napi hrtimer').length).toBeLessThan(5)
    conserved(r)
  })
  it('exists from 6.13: older eras refuse it', () => {
    expect(tryParseScenario({ kernel: { era: 'v6.5+' }, nic: { irqSuspendTimeoutUs: 100 } })).toMatchObject({ ok: false, error: expect.stringContaining('6.13') })
  })
})

describe('request/response clients, closed loop', () => {
  const rr = (outstanding: number): ScenarioInput => ({
    durationMs: 30, warmupMs: 5, host: { cpus: 2, sockets: 1 }, nic: { queues: 1 },
    traffic: { pattern: 'rr', flows: 1, payloadBytes: 64, outstanding, rttUs: 10 }, consumer: { kind: 'local', receiverCpu: 1 },
  })
  it('one request in flight: each waits for the response before the next, so rate = 1 / (rtt + server time)', () => {
    const r = run(rr(1))
    const lat = r.summary.latency!
    expect(lat.what).toBe('request → response')
    const cycleNs = 10_000 + lat.p50Ns
    expect(r.summary.deliveredKpps).toBeGreaterThan(0.9e6 / cycleNs)
    expect(r.summary.deliveredKpps).toBeLessThan(1.1e6 / cycleNs)
    expect(r.summary.packets.inFlight).toBeLessThanOrEqual(1)
    conserved(r)
  })
  it('more requests in flight raise the rate until the server saturates, then only the latency grows', () => {
    const one = run(rr(1)).summary
    const many = run(rr(64)).summary
    expect(many.deliveredKpps).toBeGreaterThan(1.5 * one.deliveredKpps)
    expect(many.latency!.p50Ns).toBeGreaterThan(5 * one.latency!.p50Ns)
  })
  it('needs the local application', () => {
    expect(tryParseScenario({ traffic: { pattern: 'rr' } }).ok).toBe(false)
  })
})

describe('net.core.netdev_budget (net_rx_action)', () => {
  it('a smaller budget ends rounds sooner: more time_squeeze', () => {
    const flood = (budget: number): ScenarioInput => ({ ...oneQueue({ traffic: { perFlowKpps: 2000 } }), kernel: { era: 'v6.6+', netdevBudget: budget } })
    const small = run(flood(16)).summary.timeSqueeze[0]!
    const big = run(flood(300)).summary.timeSqueeze[0]!
    expect(small).toBeGreaterThan(4 * Math.max(1, big))
  })
  it('netdev_budget_usecs exists from 4.12', () => {
    expect(tryParseScenario({ kernel: { era: 'v4.7', netdevBudgetUsecs: 1000 } }).ok).toBe(false)
    expect(tryParseScenario({ kernel: { era: 'v6.6+', netdevBudgetUsecs: 1000 } }).ok).toBe(true)
  })
})

describe('a spinning poller notices a request as it arrives', () => {
  // closed loop, one request in flight, 10 µs back to the NIC: a poller that looked only at the end
  // of its 20 µs spin chunk would add up to 20 µs per request
  const rr = (over: ScenarioInput): ScenarioInput => ({
    durationMs: 20, warmupMs: 2, kernel: { era: 'v6.6+' }, host: { cpus: 2, sockets: 1 }, nic: { queues: 1 },
    traffic: { pattern: 'rr', flows: 1, payloadBytes: 64, outstanding: 1, rttUs: 10 }, consumer: { kind: 'local', receiverCpu: 1 }, ...over,
  })
  const serverNs = (r: SimResult) => r.summary.latency!.p99Ns
  it('a 1 ms epoll busy loop with prefer_busy_poll (fullbusy)', () => {
    const r = run(rr({ nic: { queues: 1, deferHardIrqs: 100, groFlushTimeoutUs: 5000 }, consumer: { kind: 'local', receiverCpu: 1, busyPoll: { usecs: 1000, budget: 64, prefer: true } } }))
    // recvmsg + sendmsg + a poll: a few µs, and the same for every request
    expect(serverNs(r)).toBeLessThan(6_000)
    expect(r.summary.deliveredKpps).toBeGreaterThan(1e6 / (10_000 + 6_000))
  })
  it('the threaded busy-poll kthread', () => {
    const r = run(rr({ rx: { mode: 'threaded-napi', threadedBusyPoll: true } }))
    expect(serverNs(r)).toBeLessThan(8_000)
  })
})

describe('no stuck NAPI', () => {
  it('an application busy poller stopping on an instance switched to threaded busy-poll completes it normally (only the kthread keeps it)', () => {
    const r = run({
      durationMs: 30, warmupMs: 1, kernel: { era: 'v6.6+' }, host: { cpus: 2, sockets: 1 }, nic: { queues: 1 }, rx: { mode: 'threaded-napi', irqs: [{ queue: 0, threaded: false }] },
      traffic: { flows: 1, payloadBytes: 64, perFlowKpps: 50 }, consumer: { kind: 'local', receiverCpu: 1, busyPoll: { usecs: 50 } },
      writes: [{ atMs: 10, knob: 'threaded', value: 2 }],
    })
    expect(r.summary.packets.dropped['nic ring']).toBe(0)
    expect(r.summary.deliveredKpps).toBeGreaterThan(45)
  })
  it('one thread serving several queues with IRQ suspension (napi.rst: one NAPI id per epoll context): a queue left behind waits for its suspension timer, no longer', () => {
    const r = run(suspendedRr({ cpus: 4, queues: 4, suspendUs: 2_000, flows: 32, outstanding: 1, consumer: { receiverCpu: 1 } }))
    // each epoll return re-arms the suspension of the NAPI readied last only (ep->napi_id): another
    // queue's masked NAPI is polled again when its own 2 ms timer fires — bounded, as in the kernel
    const lat = r.summary.latency!
    expect(lat.p999Ns).toBeGreaterThan(1_000_000)
    expect(lat.p999Ns).toBeLessThan(2_300_000)
    expect(r.summary.deliveredKpps).toBeGreaterThan(100)
    conserved(r)
  })
})
