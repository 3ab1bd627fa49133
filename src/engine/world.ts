// Wiring: one scenario → the host kernel, the NIC and its senders, the path's stages and (for a
// VM) a guest kernel on vCPU threads. Owns the run's clock events (mode switches, samples,
// warm-up, end) and builds the result. Every mechanism lives in the parts; this file only connects them.
import { offeredPps, type Costs } from './costs.ts'
import { hardwareProfile } from './hardware.ts'
import { IRQ_THREAD_RT_PRIO, NAPI_ID_BASE, NETDEV_BUDGET, NETDEV_BUDGET_USECS, PATH_SAMPLES, NS_PER_MS, NS_PER_S, NS_PER_US, RT_PERIOD_NS, RT_RUNTIME_NS, frameBytes, lineRatePps, truesize } from './constants.ts'
import { EventLoop } from './core/eventLoop.ts'
import { LogHistogram } from './core/histogram.ts'
import { PathRecorder } from './core/paths.ts'
import { CounterRecorder, EventRecorder, SliceRecorder } from './core/recorder.ts'
import { mulberry32 } from './core/rng.ts'
import type { KernelParams } from './kernel/ctx.ts'
import { Kernel } from './kernel/kernel.ts'
import { Ixgbe, type QueueSpec } from './nic/ixgbe.ts'
import { assignFlowsToQueues } from './nic/rss.ts'
import { irqSettings, type Scenario } from './scenario.ts'
import { schedulerParts } from './sched/index.ts'
import { Topology } from './kernel/topology.ts'
import { applyKnobWrite } from './knobWrites.ts'
import { buildLocalApp, type LocalApp } from './stages/localApp.ts'
import { ClosedLoopClients } from './nic/closedLoop.ts'
import { SocketStage, UdpReader } from './stages/receiver.ts'
import { Drops, type Stage } from './stages/stage.ts'
import { Tun, TunMq } from './stages/tun.ts'
import { UdpSockets } from './stages/udpSockets.ts'
import { Vhost } from './stages/vhost.ts'
import { VirtioNetRx } from './stages/virtioNet.ts'
import { VirtioRing } from './stages/virtioRing.ts'
import type { Task } from './kernel/types.ts'
import { ActorKind, SliceKind, type Actor } from './types.ts'
import { Vcpu } from './virt/vcpu.ts'

/** One virtio-net queue pair's rx side: a tun queue, its vhost worker, the ring, the guest driver's NAPI. */
export interface GuestQueue {
  tun: Tun
  ring: VirtioRing
  vhost: Vhost
  dev: VirtioNetRx
}

export interface GuestParts {
  kernel: Kernel
  vcpus: Vcpu[]
  queues: GuestQueue[]
  slices: SliceRecorder
  events: EventRecorder
}

export class World {
  readonly loop = new EventLoop()
  readonly actors: Actor[] = []
  readonly host: Kernel
  readonly nic: Ixgbe
  readonly guest: GuestParts | null = null
  readonly sockets: SocketStage
  readonly drops: Drops
  readonly slices: SliceRecorder
  readonly events: EventRecorder
  readonly counters: CounterRecorder
  readonly endNs: number
  readonly warmupNs: number
  readonly lineRateKpps: number
  readonly payload: number
  delivered = 0
  /** per rx queue: makes its napi kthread (napi/eth0-<id>) */
  readonly napiKthread: Array<() => Task> = []
  /** the local application (consumer kind local) */
  app: LocalApp | null = null
  /** request/response with closed-loop clients (no rate set): responses bring the next requests */
  readonly closedLoop: boolean
  /** wire arrival → application read, ns, after warm-up */
  readonly latency = new LogHistogram()
  /** sampled per-packet paths (about PATH_SAMPLES packets per run; none when no trace is recorded) */
  readonly paths: PathRecorder
  finished = false
  modeSwitchCount = 0
  warm = { offered: 0, delivered: 0, dropped: 0, done: false }
  private lastSample = { delivered: 0, dropped: 0 }
  private readonly samplePeriod: number
  private readonly evSample: number

  constructor(readonly s: Scenario, readonly costs: Costs = hardwareProfile(s.hardware).costs) {
    const loop = this.loop
    this.endNs = Math.round(s.durationMs * NS_PER_MS)
    this.warmupNs = Math.round(s.warmupMs * NS_PER_MS)
    this.payload = s.traffic.payloadBytes
    const frame = frameBytes(this.payload)
    const hw = hardwareProfile(s.hardware)
    this.lineRateKpps = lineRatePps(this.payload, hw.lineRateBps) / 1000
    const isGuest = s.consumer.kind === 'guest'
    this.closedLoop = s.traffic.pattern === 'rr' && s.traffic.perFlowKpps === undefined
    // follow about PATH_SAMPLES packets through the path: every n-th packet of each queue
    const expected = (offeredPps(s.traffic, this.lineRateKpps * 1000, costs) * s.durationMs) / 1000
    this.paths = new PathRecorder(s.trace.maxSlices > 0 ? Math.max(1, Math.round(expected / PATH_SAMPLES)) : 0, 2 * PATH_SAMPLES)
    this.drops = new Drops(isGuest ? ['nic ring', 'tun queue', 'guest socket'] : ['nic ring', 'host socket'])
    this.slices = new SliceRecorder(s.host.cpus, s.trace.maxSlices, this.endNs)
    this.events = new EventRecorder(Math.max(1000, Math.min(Math.floor(s.trace.maxSlices / 4), 500_000)))
    const kp = (role: 'host' | 'guest', hz: number): KernelParams => ({
      role, era: s.kernel.era, hz, irqTimeAccounting: s.kernel.irqTimeAccounting, stealLowersCapacity: role === 'guest',
      rtRuntimeNs: RT_RUNTIME_NS, rtPeriodNs: RT_PERIOD_NS,
      netdevBudget: role === 'host' ? s.kernel.netdevBudget : NETDEV_BUDGET, netdevBudgetUsecs: role === 'host' ? s.kernel.netdevBudgetUsecs : NETDEV_BUDGET_USECS,
    })
    const hostTopo = new Topology({ cpus: s.host.cpus, sockets: s.host.sockets, threadsPerCore: s.host.threadsPerCore })
    this.host = new Kernel(kp('host', s.kernel.hz), costs, hostTopo, loop, this.slices, this.events, this.actors, schedulerParts(s.kernel.era))
    const host = this.host

    // the path after the NIC: tun → vhost → guest, or a host UDP socket
    let first: Stage
    let hostPerPkt: number
    // RSS on IP addresses: each flow's rx queue
    const rng = mulberry32(s.seed)
    const flowQueue = assignFlowsToQueues(s.traffic.flows, s.nic.queues, rng)
    const settings = irqSettings(s)
    let app: LocalApp | null = null
    const sockets = new UdpSockets(s.traffic.flows, truesize(this.payload))
    const count = (n: number, times: Float64Array, now: number) => {
      this.delivered += n
      // latency from wire arrival to the read, for what is read after warm-up
      if (now >= this.warmupNs) for (let i = 0; i < n; i++) this.latency.add(now - times[i]!)
    }
    if (isGuest) {
      const V = s.consumer.vcpus
      const gslices = new SliceRecorder(V, s.trace.maxSlices, this.endNs)
      const gevents = new EventRecorder(Math.max(1000, Math.min(Math.floor(s.trace.maxSlices / 4), 500_000)))
      const gk = new Kernel(kp('guest', s.consumer.guestHz), costs, new Topology({ cpus: V, sockets: 1, threadsPerCore: 1 }), loop, gslices, gevents, this.actors, schedulerParts(s.kernel.era))
      const hostTimer = host.newActor({ name: 'kvm timer exit', kind: ActorKind.irq })
      const vcpus = Array.from({ length: V }, (_, v) => new Vcpu(host, gk, v, (1 + v) % s.host.cpus, hostTimer))
      // a reschedule IPI to a CPU in guest mode exits it (host), and the ICR write exits the sender (2016 guest)
      const ipiLine = { actor: host.newActor({ name: 'reschedule IPI', kind: ActorKind.irq }), costNs: 0, handle: () => {} }
      host.onRemoteResched = (target, _from, now) => {
        if (target.task?.mirror && !target.hard && !target.softChunk) host.exec.raiseIrq(target, ipiLine, now)
      }
      gk.onRemoteResched = (_target, from, _now) => from.vcpu?.chargeExit(costs.guestIpiNs)
      const readers = Array.from({ length: s.traffic.flows }, (_, f) => new UdpReader(gk, sockets, `netperf/${f}`, f % V, false, this.payload, count, this.paths))
      this.sockets = new SocketStage(sockets, this.drops, 'guest socket', readers, (f) => f, this.paths)
      // one queue pair (a 2016 guest) or several (virtio-net multiqueue: queue i's vector on vCPU i, one vhost worker each)
      const queues: GuestQueue[] = Array.from({ length: s.consumer.virtioQueues }, (_, i) => {
        const tun = new Tun(this.drops, this.paths)
        const ring = new VirtioRing()
        const vhost = new Vhost(host, tun, ring, frame, 4242 + i, this.paths)
        const dev = new VirtioNetRx(gk, ring, vhost, this.sockets, frame, i % V, (d) => gk.napiCore.create(`virtio0-rx-${i}`, d, false, () => { throw new Error('internal: no threaded NAPI in the guest') }), i, this.paths)
        return { tun, ring, vhost, dev }
      })
      this.guest = { kernel: gk, vcpus, queues, slices: gslices, events: gevents }
      first = new TunMq(queues.map((q) => q.tun))
      hostPerPkt = costs.hostRxPerPktNs
    } else {
      app = this.app = buildLocalApp(s, host, sockets, flowQueue, settings, this.paths, count, (f, now) => { if (this.closedLoop) this.nic.responded(f, now) })
      this.sockets = new SocketStage(sockets, this.drops, 'host socket', app.readers, app.threadOfFlow, this.paths, this.closedLoop ? (f, now) => this.nic.lost(f, now) : undefined)
      first = this.sockets
      hostPerPkt = costs.hostUdpPerPktNs
    }

    // senders (or closed-loop clients) and NIC queues
    const totalPps = offeredPps(s.traffic, this.lineRateKpps * 1000, costs)
    const perFlowPps = totalPps / s.traffic.flows
    const jitter = Math.max(0, Math.min(0.5, 1 - totalPps / (this.lineRateKpps * 1000)))
    const specs: QueueSpec[] = settings.map((st) => {
      const flows: number[] = []
      flowQueue.forEach((q, fl) => { if (q === st.queue) flows.push(fl) })
      const qrng = mulberry32((s.seed ^ Math.imul(st.queue + 1, 0x9e3779b1)) >>> 0)
      return {
        index: st.queue, irq: st.irq, action: st.action, cpu: st.cpu, flows,
        periodNs: flows.length ? NS_PER_S / (perFlowPps * flows.length) : Infinity,
        rng: qrng,
        ...((s.traffic.arrivals ?? (s.traffic.pattern === 'rr' ? 'poisson' : 'paced')) === 'poisson' ? { poisson: true } : {}),
        ...(this.closedLoop ? { clients: new ClosedLoopClients(flows, s.traffic.outstanding, Math.round(s.traffic.rttUs * NS_PER_US), qrng) } : {}),
      }
    })
    this.nic = new Ixgbe(host, specs, s.nic.ringSize, () => hw.moderation(s.nic.itrUs), frame, jitter, 1e9 / (this.lineRateKpps * 1000), hostPerPkt, first, this.drops, this.paths)
    for (const st of settings) {
      const q = this.nic.queues[st.queue]!
      const threaded = s.rx.mode === 'threaded-napi' ? true : st.threaded
      // the thread a switch creates: upstream's napi kthread in threaded-napi mode and for writes to
      // /sys/class/net/eth0/threaded (scenario.writes), else the seed series' IRQ thread
      const kthread = () => host.newTask(`napi/eth0-${NAPI_ID_BASE + st.queue}`, ActorKind.napiThread, SliceKind.napiThread, false, 0, null, st.cpu)
      this.napiKthread[st.queue] = kthread
      q.napi = host.napiCore.create(`eth0-rx-${st.queue}`, q, threaded, () => {
        if (s.rx.mode === 'threaded-napi') return kthread()
        const fifo = !st.schedNormal
        return host.newTask(`irq/${st.irq}-${st.action}`, ActorKind.irqThread, SliceKind.irqThread, fifo, fifo ? IRQ_THREAD_RT_PRIO : 0, st.noAffinity ? null : [st.cpu], st.cpu)
      }, { deferHardIrqs: st.deferHardIrqs, groFlushTimeoutNs: Math.round(st.groFlushTimeoutUs * NS_PER_US), irqSuspendTimeoutNs: Math.round(st.irqSuspendTimeoutUs * NS_PER_US) })
      q.napi.busyPoll = s.rx.threadedBusyPoll
      q.dataWatchers.push((t, now) => host.napiCore.dataAt(q.napi, t, now))
    }
    app?.attachNapis((i) => this.nic.queues[i]!)

    this.samplePeriod = Math.max(20_000, Math.ceil(this.endNs / 10_000))
    this.counters = new CounterRecorder(
      [
        { name: 'NIC rx rings (all queues)', unit: 'packets', kind: 'level' },
        { name: 'tun queue', unit: 'packets', kind: 'level' },
        { name: isGuest ? 'guest virtio rx ring' : 'in softirq/threads', unit: 'packets', kind: 'level' },
        { name: 'socket queues (all flows)', unit: 'packets', kind: 'level' },
        { name: 'delivered', unit: 'kpps', kind: 'rate' },
        { name: 'drops', unit: 'kpps', kind: 'rate' },
      ],
      Math.ceil(this.endNs / this.samplePeriod) + 2,
    )
    this.evSample = loop.on((_a, _b, now) => this.onSample(now))
    loop.at(0, this.evSample)
    if (this.warmupNs > 0) loop.at(this.warmupNs, loop.on((_a, _b, now) => this.onWarmup(now)))
    else this.warm.done = true
    const evSwitch = loop.on((i, _b, now) => this.onSwitch(i, now))
    s.rx.switches.forEach((w, i) => loop.at(Math.round(w.atMs * NS_PER_MS), evSwitch, i))
    const evWrite = loop.on((i, _b, now) => applyKnobWrite(this, s.writes[i]!, now))
    s.writes.forEach((w, i) => loop.at(Math.round(w.atMs * NS_PER_MS), evWrite, i))
    // a switch written at the very end is still applied: END is queued last
    loop.at(this.endNs, loop.on((_a, _b, now) => this.finish(now)))
    this.nic.start()
  }

  private onSwitch(index: number, now: number): void {
    const w = this.s.rx.switches[index]!
    this.setThreaded(w.queue, w.threaded, now)
  }

  /** a write to a threaded file: the queue's NAPI (or every one, queue -1) moves at its next poll boundary */
  setThreaded(queue: number, threaded: boolean, now: number): void {
    const qs = queue < 0 ? this.nic.queues : [this.nic.queues[queue]!]
    for (const q of qs) {
      this.host.napiCore.setMode(q.napi, threaded, now, q.spec.cpu)
      this.events.modeSwitches.push({ tNs: now, queue: q.spec.index, irq: q.spec.irq, threaded })
      this.modeSwitchCount++
    }
  }

  private onWarmup(now: number): void {
    this.nic.syncAll(now)
    this.warm = { offered: this.nic.offered(), delivered: this.delivered, dropped: this.drops.total(), done: true }
  }

  private onSample(now: number): void {
    this.nic.syncAll(now)
    let ring = 0
    for (const q of this.nic.queues) ring += q.ring.length
    const dDel = this.delivered - this.lastSample.delivered
    const drops = this.drops.total()
    const dDrop = drops - this.lastSample.dropped
    this.lastSample = { delivered: this.delivered, dropped: drops }
    const toKpps = (n: number) => (now === 0 ? 0 : (n / this.samplePeriod) * 1e6)
    const g = this.guest
    const third = g ? g.queues.reduce((a, q) => a + q.ring.used.length, 0) : this.nic.queues.reduce((a, q) => a + q.inPoll, 0)
    const tun = g ? g.queues.reduce((a, q) => a + q.tun.queue.length, 0) : 0
    this.counters.sample(now, [ring, tun, third, this.sockets.sockets.total, toKpps(dDel), toKpps(dDrop)])
    if (now + this.samplePeriod <= this.endNs) this.loop.at(now + this.samplePeriod, this.evSample)
  }

  finish(now: number): void {
    if (this.finished) return
    this.loop.now = now
    this.nic.syncAll(now)
    for (const cpu of this.host.cpus) {
      this.host.exec.settle(cpu, now)
      this.slices.setLastReason(cpu.id, 8, now)
    }
    this.finished = true
    this.loop.stopped = true
  }

  inFlight(): number {
    let n = this.nic.inFlight() + this.sockets.inFlight()
    const g = this.guest
    if (g) for (const q of g.queues) n += q.tun.queue.length + q.vhost.inFlight + q.ring.used.length + q.dev.inPoll
    return n
  }
}
