// "Why, in words": short sentences generated from a run (or an A/B pair) — the bottleneck stage by
// drops per place and queue occupancy, where the CPUs' time went, what the guest's vCPU threads
// lost and to whom, and named phenomena (receive livelock, ksoftirqd deferral, socket overflow
// bursts, IRQ threads time-slicing with a vCPU). Each sentence carries the moment that shows it.
// DOM-free; unit-tested on synthetic results.
import { ActorKind, EndReason, SLICE_KIND_NAMES, type CounterTrack, type SimResult, type Trace } from '../engine/types.ts'
import { fmtTime, fmtInt } from '../timeline/format.ts'
import { indexFor } from '../timeline/indexCache.ts'
import { holderName, ThreadState, threadStatesFor, waitReport } from '../timeline/threadStates.ts'

export interface Sentence {
  /** what it is about (tests, styling) */
  topic: 'throughput' | 'bottleneck' | 'cpu' | 'guest' | 'livelock' | 'ksoftirqd' | 'socket-bursts' | 'timeslicing' | 'moved'
  text: string
  /** the window that shows it, ns */
  at?: { t0: number; t1: number }
}

/** Which stage fails to keep up when packets are dropped at a place (the queue's consumer). */
const STAGE_OF_PLACE: Record<string, string> = {
  'nic ring': 'the NAPI polling (hard IRQ → softirq or IRQ thread) that drains the NIC rings',
  'tun queue': 'vhost-net, which drains the tun queue into the guest',
  'virtio ring': 'the guest\'s virtio-net NAPI on vCPU 0',
  'guest socket': 'the guest\'s receivers (netperf) reading their sockets',
  'host socket': 'the receiving application reading its socket',
}
/** The occupancy counter of a drop place (by name). */
const COUNTER_OF_PLACE: Record<string, RegExp> = {
  'nic ring': /^NIC rx rings/, 'tun queue': /^tun queue/, 'virtio ring': /virtio rx ring/, 'guest socket': /^socket queues/, 'host socket': /^socket queues/,
}

const pct = (a: number, b: number) => (b > 0 ? (100 * a) / b : 0)
const fmtP = (v: number) => `${v >= 10 ? v.toFixed(0) : v.toFixed(1)} %`
const around = (t: number, half: number, dur: number) => ({ t0: Math.max(0, t - half), t1: Math.min(dur, t + half) })

/** Time of the largest sample of a counter (its peak), or null. */
function peakOf(c: CounterTrack | undefined): number | null {
  if (!c || c.t.length === 0) return null
  let best = 0
  for (let i = 1; i < c.v.length; i++) if (c.v[i]! > c.v[best]!) best = i
  return c.v[best]! > 0 ? c.t[best]! : null
}

/** Share of samples at ≥ 90 % of the counter's own peak, and that peak. */
function fullShare(c: CounterTrack): { share: number; peak: number } {
  let peak = 0
  for (let i = 0; i < c.v.length; i++) if (c.v[i]! > peak) peak = c.v[i]!
  if (peak <= 0) return { share: 0, peak }
  let n = 0
  for (let i = 0; i < c.v.length; i++) if (c.v[i]! >= 0.9 * peak) n++
  return { share: n / c.v.length, peak }
}

const kindTotalsOf = new WeakMap<object, Float64Array>()

/**
 * Busy ns per slice kind over the run (busy summary when present: exact past the slice cap). Once per
 * summary (or slice columns): the summary is CPUs × 4096 buckets × kinds even for a run of a few slices,
 * and an explanation asks for it two or three times. A copy each time: callers may change it.
 */
export function kindTotals(trace: Pick<Trace, 'busy' | 'slices'>): Float64Array {
  const b = trace.busy
  const key = b && b.buckets > 0 ? b : trace.slices
  let out = kindTotalsOf.get(key)
  if (!out) {
    out = new Float64Array(SLICE_KIND_NAMES.length)
    if (b && b.buckets > 0) {
      // kind by kind (no modulo per element), each in the order of the summary: the same sums as one pass
      for (let k = 0; k < b.kinds && k < out.length; k++) {
        let sum = 0
        for (let i = k; i < b.cpu.length; i += b.kinds) sum += b.cpu[i]!
        out[k] = sum
      }
    } else {
      const s = trace.slices
      for (let i = 0; i < s.count; i++) out[s.kind[i]!]! += s.end[i]! - s.start[i]!
    }
    kindTotalsOf.set(key, out)
  }
  return out.slice()
}

export function bottleneck(r: SimResult): { place: string; drops: number; share: number } | null {
  const d = r.summary.packets.dropped
  const total = Object.values(d).reduce((a, b) => a + b, 0)
  let place = ''
  let drops = 0
  for (const [k, v] of Object.entries(d)) if (v > drops) { drops = v; place = k }
  return drops > 0 ? { place, drops, share: drops / total } : null
}

function bottleneckSentence(r: SimResult): Sentence | null {
  const b = bottleneck(r)
  const dur = r.trace.durationNs
  if (!b) return { topic: 'bottleneck', text: 'No packet was dropped: every stage kept up with the offered load.' }
  const stage = STAGE_OF_PLACE[b.place] ?? `the stage after the ${b.place}`
  const occ = r.trace.counters.find((c) => COUNTER_OF_PLACE[b.place]?.test(c.name))
  const full = occ ? fullShare(occ) : null
  const dropsTrack = r.trace.counters.find((c) => c.name.startsWith('drops'))
  const t = peakOf(dropsTrack) ?? peakOf(occ) ?? dur / 2
  return {
    topic: 'bottleneck',
    text: `Bottleneck: ${stage} — ${fmtP(100 * b.share)} of the drops (${fmtInt(b.drops)} packets) are at the ${b.place}` +
      (full && full.peak > 0 ? `, which sits at ≥ 90 % of its peak (${fmtInt(full.peak)} ${occ!.unit}) ${fmtP(100 * full.share)} of the time.` : '.'),
    at: around(t, 1e6, dur),
  }
}

function cpuSentence(r: SimResult): Sentence {
  const k = kindTotals(r.trace)
  const total = k.reduce((a, b) => a + b, 0)
  const cap = r.trace.durationNs * r.trace.cpus
  const order = [...k.keys()].filter((i) => k[i]! > 0).sort((a, b) => k[b]! - k[a]!).slice(0, 4)
  const busiest = [...r.summary.cpu].sort((a, b) => a.idle - b.idle)[0]
  return {
    topic: 'cpu',
    text: `CPU time: ${fmtP(pct(total, cap))} of ${r.trace.cpus} CPUs busy — ${order.map((i) => `${SLICE_KIND_NAMES[i]} ${fmtTime(k[i]!)}`).join(', ')}` +
      (busiest ? `; the busiest, CPU ${busiest.cpu}, is ${fmtP(100 - busiest.idle)} busy (softirq ${fmtP(busiest.softirq)}, sys ${fmtP(busiest.sys)}, usr ${fmtP(busiest.usr)}).` : '.'),
  }
}

/** What the guest's vCPU threads lost, and to whom (run_delay + interrupt time, with the CPU's holders). */
function guestSentences(r: SimResult): Sentence[] {
  const trace = r.trace
  const index = indexFor(trace)
  const states = threadStatesFor(trace, index)
  const out: Sentence[] = []
  for (const [actor, sp] of states.byActor) {
    const a = trace.actors[actor]
    if (!a || a.kind !== ActorKind.vcpu || a.guest) continue
    const w = waitReport(sp, trace.slices, index, 0, trace.durationNs)
    const task = r.summary.tasks.find((t) => t.actor === actor)
    const lost = w.runnableNs + w.interruptedNs
    if (lost < 0.01 * trace.durationNs) continue
    // the longest wait, to show
    let best = -1
    for (let j = 0; j < sp.count; j++) if ((sp.state[j] === ThreadState.runnable || sp.state[j] === ThreadState.interrupted) && (best < 0 || sp.end[j]! - sp.start[j]! > sp.end[best]! - sp.start[best]!)) best = j
    out.push({
      topic: 'guest',
      text: `${a.name} lost ${fmtTime(lost)} (${fmtP(pct(lost, trace.durationNs))} of the run): runnable ${fmtTime(task?.runDelayNs ?? w.runnableNs)} (run_delay, the guest's steal), interrupted by hard IRQ / softirq on its CPU ${fmtTime(w.interruptedNs)}; mostly on CPU ${w.cpu}, held by ${w.heldBy.slice(0, 2).map((h) => `${holderName(trace.actors, h)} (${fmtTime(h[1])})`).join(', ') || 'nobody'}.`,
      ...(best >= 0 ? { at: around((sp.start[best]! + sp.end[best]!) / 2, Math.max(sp.end[best]! - sp.start[best]!, 2e5), trace.durationNs) } : {}),
    })
  }
  return out
}

function phenomena(r: SimResult): Sentence[] {
  const out: Sentence[] = []
  const trace = r.trace
  const dur = trace.durationNs
  const s = trace.slices
  const d = r.summary.packets.dropped
  // receive livelock: the host receiver gets a tiny share of what reached its socket
  const hostSock = d['host socket'] ?? 0
  const delivered = r.summary.packets.delivered
  if (hostSock > 0 && delivered < 0.1 * (delivered + hostSock)) {
    const app = trace.actors.find((a) => a.kind === ActorKind.app && !a.guest)
    const irqCpu = r.summary.cpu.reduce((m, c) => (c.softirq > m.softirq ? c : m), r.summary.cpu[0]!)
    out.push({ topic: 'livelock', text: `Receive livelock: the receiver${app ? ` ${app.name}` : ''} read only ${fmtP(pct(delivered, delivered + hostSock))} of the packets that reached its socket (${fmtInt(delivered)} of ${fmtInt(delivered + hostSock)}); CPU ${irqCpu.cpu} spends ${fmtP(irqCpu.softirq)} in softirq, so the reader rarely runs and the socket overflows.`, at: around(dur / 2, 1e6, dur) })
  }
  // ksoftirqd deferral
  const k = kindTotals(trace)
  let firstRestart = -1
  let restarts = 0
  for (let i = 0; i < s.count; i++) if (s.reason[i] === EndReason.restarts) { restarts++; if (firstRestart < 0 || s.start[i]! < s.start[firstRestart]!) firstRestart = i }
  if (k[2]! > 0.001 * dur) {
    out.push({ topic: 'ksoftirqd', text: `ksoftirqd deferral: ${fmtTime(k[2]!)} of softirq work ran in ksoftirqd threads${restarts ? ` (${fmtInt(restarts)} softirq runs ended with their restarts exhausted)` : ''} — scheduled like any task, so it competes with the vCPU and vhost threads.`, ...(firstRestart >= 0 ? { at: around(s.end[firstRestart]!, 5e5, dur) } : {}) })
  }
  // socket overflow bursts: drop episodes at a socket
  const sockDrops = (d['guest socket'] ?? 0) + hostSock
  const sockQ = trace.counters.find((c) => c.name.startsWith('socket queues'))
  const drops = trace.counters.find((c) => c.name.startsWith('drops'))
  if (sockDrops > 0 && sockQ && drops && out.every((x) => x.topic !== 'livelock')) {
    const { peak } = fullShare(sockQ)
    let bursts = 0
    let first = -1
    let inBurst = false
    for (let i = 0; i < sockQ.v.length; i++) {
      const full = sockQ.v[i]! >= 0.9 * peak && peak > 0
      if (full && !inBurst) { bursts++; if (first < 0) first = i }
      inBurst = full
    }
    if (bursts > 0) out.push({ topic: 'socket-bursts', text: `Socket overflow bursts: ${fmtInt(sockDrops)} packets dropped at the socket in ${bursts} episode${bursts > 1 ? 's' : ''} where the socket queues filled (${fmtInt(peak)} ${sockQ.unit}) — the reader was off its CPU while packets kept coming.`, at: around(sockQ.t[first]!, 1e6, dur) })
  }
  // IRQ threads time-slicing with a vCPU: one waited while the other held the CPU
  const index = indexFor(trace)
  const states = threadStatesFor(trace, index)
  let worst: { irq: number; vcpu: number; ns: number; cpu: number } | null = null
  for (const [actor, sp] of states.byActor) {
    const a = trace.actors[actor]
    if (!a || a.kind !== ActorKind.irqThread) continue
    const w = waitReport(sp, s, index, 0, dur)
    for (const [h, ns] of w.heldBy) if (trace.actors[h]?.kind === ActorKind.vcpu && ns > (worst?.ns ?? 0.002 * dur)) worst = { irq: actor, vcpu: h, ns, cpu: w.cpu }
  }
  if (worst) {
    const sp = states.byActor.get(worst.irq)!
    let at: Sentence['at']
    for (let j = 0; j < sp.count; j++) if (sp.state[j] === ThreadState.runnable && sp.end[j]! - sp.start[j]! > 1e4) { at = around(sp.start[j]!, Math.max(2e5, sp.end[j]! - sp.start[j]!), dur); break }
    out.push({ topic: 'timeslicing', text: `IRQ thread time-slicing with a vCPU: ${trace.actors[worst.irq]!.name} waited ${fmtTime(worst.ns)} while ${trace.actors[worst.vcpu]!.name} held its CPU (both SCHED_NORMAL: CFS shares the CPU between them, so packets wait in the ring).`, ...(at ? { at } : {}) })
  }
  return out
}

/** A run's sentences and its vCPU-thread ones (explainPair reuses those of A). */
export interface Explained { run: Sentence[]; guest: Sentence[] }
const explained = new WeakMap<SimResult, Explained>()

/** Both, computed once per result: O(slices + wakeups) (thread states), so the simulation worker does it. */
export function explainParts(r: SimResult): Explained {
  let e = explained.get(r)
  if (e) return e
  const p = r.summary
  const guest = guestSentences(r)
  const run: Sentence[] = [{ topic: 'throughput', text: `Delivered ${fmtInt(p.deliveredKpps)} of ${fmtInt(p.offeredKpps)} kpps offered (${fmtP(pct(p.deliveredKpps, p.offeredKpps))}); ${fmtInt(p.droppedKpps)} kpps dropped.` }]
  const b = bottleneckSentence(r)
  if (b) run.push(b)
  run.push(cpuSentence(r), ...guest, ...phenomena(r))
  e = { run, guest }
  explained.set(r, e)
  return e
}

/** Seed the cache with sentences computed elsewhere (the worker), so the page does not derive them again. */
export function primeExplained(r: SimResult, e: Explained): void {
  explained.set(r, e)
}

/** Sentences for one run. */
export function explainRun(r: SimResult): Sentence[] {
  return explainParts(r).run
}

/** Sentences comparing A and B: delivered, bottleneck in each, the CPU time that moved (by kind and by vCPU thread). */
export function explainPair(a: SimResult, b: SimResult): Sentence[] {
  const out: Sentence[] = []
  const dk = b.summary.deliveredKpps - a.summary.deliveredKpps
  out.push({ topic: 'throughput', text: `B delivers ${dk >= 0 ? '+' : '−'}${fmtInt(Math.abs(dk))} kpps compared with A (${fmtInt(a.summary.deliveredKpps)} → ${fmtInt(b.summary.deliveredKpps)} kpps).` })
  const ba = bottleneck(a)
  const bb = bottleneck(b)
  if (ba || bb) {
    const same = ba && bb && ba.place === bb.place
    const dDrops = (bb?.drops ?? 0) - (ba?.drops ?? 0)
    const stage = STAGE_OF_PLACE[(bb ?? ba)!.place] ?? (bb ?? ba)!.place
    out.push({
      topic: 'bottleneck',
      text: same
        ? `Bottleneck in both: ${stage} (drops at the ${ba.place}: ${fmtInt(ba.drops)} → ${fmtInt(bb.drops)}, ${dDrops >= 0 ? '+' : '−'}${fmtInt(Math.abs(dDrops))}); what changed is how much CPU reached the stages around it.`
        : `Bottleneck moved: A drops most at the ${ba?.place ?? 'nowhere'}, B at the ${bb?.place ?? 'nowhere'} (${stage}).`,
      ...(bottleneckSentence(b)?.at ? { at: bottleneckSentence(b)!.at! } : {}),
    })
  }
  const ka = kindTotals(a.trace)
  const kb = kindTotals(b.trace)
  const moved = [...ka.keys()].map((k) => [k, kb[k]! - ka[k]!] as const).filter(([, v]) => Math.abs(v) >= 1e5).sort((x, y) => Math.abs(y[1]) - Math.abs(x[1])).slice(0, 5)
  const vcpus = b.summary.tasks.filter((t) => b.trace.actors[t.actor]?.kind === ActorKind.vcpu && !b.trace.actors[t.actor]?.guest).map((t) => {
    const ta = a.summary.tasks.find((x) => x.name === t.name)
    return `${t.name} ${fmtSigned(t.cpuTimeNs - (ta?.cpuTimeNs ?? 0))}`
  })
  if (moved.length) {
    out.push({
      topic: 'moved',
      text: `CPU time moved (B − A, whole run): ${moved.map(([k, v]) => `${SLICE_KIND_NAMES[k]} ${fmtSigned(v)}`).join(', ')}${vcpus.length ? `; the vCPU threads: ${vcpus.join(', ')}` : ''}.`,
      ...(() => { const g = explainParts(a).guest[0]; return g?.at ? { at: g.at } : {} })(),
    })
  }
  return out
}

const fmtSigned = (ns: number) => `${ns >= 0 ? '+' : '−'}${fmtTime(Math.abs(ns))}`
