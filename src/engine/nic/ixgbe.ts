// A multiqueue NIC (MODEL.md §7; ixgbe in 2016, mlx5 in the 2020s profile): one rx ring and MSI-X
// vector per queue, flows hashed to queues by RSS, packets materialised lazily from the senders'
// schedule, the vector masked from the interrupt until the poll re-enables it, and the NIC's
// interrupt moderation (moderation.ts: ixgbe ITR or mlx5 CQ moderation with net_dim).
import { IXGBE_RX_HDR_SIZE, ETH_IP_UDP_HDR } from '../constants.ts'
import { FlowFifo, PacketBatch } from '../core/fifo.ts'
import type { PathRecorder } from '../core/paths.ts'
import type { Rng } from '../core/rng.ts'
import type { Kernel } from '../kernel/ctx.ts'
import { ActorKind } from '../types.ts'
import type { Cpu, IrqLine, Napi, NapiDevice } from '../kernel/types.ts'
import type { Drops, Stage } from '../stages/stage.ts'
import type { ClosedLoopClients } from './closedLoop.ts'
import type { Moderation, ModeratedQueue } from './moderation.ts'

export interface QueueSpec {
  index: number
  irq: number
  action: string
  cpu: number
  flows: number[]
  /** mean interval between packets of this queue, ns (Infinity = no flow) */
  periodNs: number
  rng: Rng
  /** exponential gaps instead of paced ones */
  poisson?: boolean
  /** request/response clients in closed loop (instead of the periodic senders) */
  clients?: ClosedLoopClients
}

export class IxgbeQueue implements NapiDevice, ModeratedQueue {
  readonly ring: FlowFifo
  rr = 0
  nextArrival: number
  irqEnabled = true
  irqArmed = false
  irqVersion = 0
  /** when the armed vector fires */
  irqAt = 0
  lastIrqNs = -1e12
  readonly moderation: Moderation
  offered = 0
  irqCount = 0
  polledPackets = 0
  polledBytes = 0
  /** arrival times after nextArrival already drawn (for moderation's packet count), in order */
  private readonly ahead: number[] = []
  private episodeBytes = 0
  private readonly batch = new PacketBatch(64)
  napi!: Napi
  /** busy pollers spinning on this queue's NAPI: told when a request is due earlier than they thought */
  readonly dataWatchers: Array<(t: number, now: number) => void> = []
  readonly irqActor: number
  readonly line: IrqLine
  /** paced gaps: periodNs × (1 − jitter + 2 × jitter × u) */
  private readonly paceLo: number
  private readonly paceSpan: number

  constructor(readonly spec: QueueSpec, private readonly nic: Ixgbe) {
    this.ring = new FlowFifo(nic.ringSize)
    this.nextArrival = spec.clients ? spec.clients.nextNs() : spec.flows.length ? spec.rng.next() * spec.periodNs : Infinity
    this.moderation = nic.makeModeration()
    this.paceLo = 1 - nic.jitter
    this.paceSpan = 2 * nic.jitter
    this.irqActor = nic.k.newActor({ name: `irq ${spec.irq} (${spec.action})`, kind: ActorKind.irq })
    this.line = { actor: this.irqActor, costNs: nic.k.costs.hardirqNs, handle: (cpu, now) => nic.k.napi.schedule(this.napi, cpu, now, this.irqActor) }
  }

  get inPoll(): number {
    return this.batch.n
  }

  /** packets that reached the NIC by `now` go into the ring (or are dropped when it is full) */
  syncArrivals(now: number): void {
    if (this.nextArrival > now) return
    const s = this.spec
    const clients = s.clients
    const paths = this.nic.paths
    const ring = this.ring
    // the hottest loop of a flood (millions of arrivals per simulated second): locals, drops counted once
    let t = this.nextArrival
    let dropped = 0
    while (t <= now) {
      let flow: number
      if (clients) flow = clients.shift()
      else {
        flow = s.flows[this.rr]!
        this.rr = this.rr + 1 === s.flows.length ? 0 : this.rr + 1
      }
      const id = paths.sampled(this.offered) ? paths.start(this.offered, flow, s.index, t) : -1
      this.offered++
      if (!ring.push(flow, t, id)) {
        dropped++
        if (id >= 0) paths.drop(id, 'nic ring', t)
        clients?.lost(flow, t)
      }
      t = clients ? clients.nextNs() : this.ahead.length ? this.ahead.shift()! : this.drawAfter(t)
    }
    this.nextArrival = t
    if (dropped) this.nic.drops.add('nic ring', dropped)
  }

  /**
   * paced senders are not perfectly periodic: jitter around the mean, never closer than the wire
   * allows; a load generator's many clients add up to Poisson arrivals (exponential gaps)
   */
  private drawAfter(t: number): number {
    const u = this.spec.rng.next()
    if (this.spec.poisson) {
      // a shifted exponential: no two packets closer than a frame's wire time, the mean kept
      const m = Math.min(this.nic.minGapNs, this.spec.periodNs)
      return t + m - (this.spec.periodNs - m) * Math.log(1 - u)
    }
    return t + this.spec.periodNs * (this.paceLo + this.paceSpan * u)
  }

  get ringLength(): number {
    return this.ring.length
  }

  arrivalAfter(k: number): number {
    if (k <= 0) return this.nextArrival
    if (this.spec.clients) return this.spec.clients.peek(k)
    if (this.nextArrival === Infinity) return Infinity
    // drawn in the same order as they arrive: the run does not depend on who looked ahead
    while (this.ahead.length < k) this.ahead.push(this.drawAfter(this.ahead.length ? this.ahead[this.ahead.length - 1]! : this.nextArrival))
    return this.ahead[k - 1]!
  }

  /** a request of this queue's flows will arrive at `t` (closed loop): bring the IRQ and pollers forward */
  requestAt(t: number, now: number): void {
    if (t < this.nextArrival) this.nextArrival = t
    for (const w of this.dataWatchers) w(t, now)
    if (this.irqArmed && this.irqAt > this.moderation.fireAt(this, now)) this.irqArmed = false
    this.nic.scheduleIrq(this, now)
  }

  nextDataNs(now: number): number {
    this.syncArrivals(now)
    return this.ring.length > 0 ? now : this.nextArrival
  }

  take(budget: number, now: number): number {
    this.syncArrivals(now)
    const k = this.batch.fill(this.ring, Math.min(budget, this.ring.length))
    this.episodeBytes += k * this.nic.frame
    this.polledPackets += k
    this.polledBytes += k * this.nic.frame
    return k
  }

  pollCostNs(k: number): number {
    const c = this.nic.k.costs
    const f = this.nic.frame
    // small frames are copied whole into the skb head, larger ones get their headers pulled
    const copied = f <= IXGBE_RX_HDR_SIZE ? f : ETH_IP_UDP_HDR
    return c.napiPollNs + k * (this.nic.perPktNs + c.copyNsPerByte * copied)
  }

  deliver(cpu: Cpu, actor: number, now: number): void {
    const b = this.batch
    for (let i = 0; i < b.n; i++) if (b.id[i]! >= 0) this.nic.paths.hop(b.id[i]!, 'host rx poll', now, cpu.id, actor, false)
    this.nic.next.deliver(b, cpu, actor, now)
    this.batch.n = 0
  }

  complete(_cpu: Cpu, now: number): void {
    this.moderation.completed(this, this.episodeBytes, now)
    this.episodeBytes = 0
    this.irqEnabled = true
    this.nic.scheduleIrq(this, now)
  }
}

export class Ixgbe {
  readonly queues: IxgbeQueue[]
  private readonly queueOfFlow: number[] = []
  private readonly ev: number

  constructor(
    readonly k: Kernel,
    specs: QueueSpec[],
    readonly ringSize: number,
    /** the queue's interrupt moderation (each queue has its own state) */
    readonly makeModeration: () => Moderation,
    readonly frame: number,
    /** relative arrival jitter (±), bounded by the headroom below line rate */
    readonly jitter: number,
    /** one frame's time on the wire: no two packets of a queue closer (Poisson arrivals) */
    readonly minGapNs: number,
    /** per-packet host rx cost of what follows the driver (tun xmit or a UDP socket) */
    readonly perPktNs: number,
    readonly next: Stage,
    readonly drops: Drops,
    readonly paths: PathRecorder,
  ) {
    this.ev = k.loop.on((q, version, now) => this.onIrq(this.queues[q]!, version, now))
    this.queues = specs.map((s) => new IxgbeQueue(s, this))
    for (const s of specs) for (const f of s.flows) this.queueOfFlow[f] = s.index
  }

  start(): void {
    for (const q of this.queues) this.scheduleIrq(q, 0)
  }

  /** the vector fires when the moderation lets it (data there, interval / timer / packet count) */
  scheduleIrq(q: IxgbeQueue, now: number): void {
    if (!q.irqEnabled || q.irqArmed) return
    q.syncArrivals(now)
    const at = q.moderation.fireAt(q, now)
    if (at === Infinity) return
    q.irqArmed = true
    q.irqVersion++
    q.irqAt = at
    this.k.loop.at(q.irqAt, this.ev, q.spec.index, q.irqVersion)
  }

  /** the application answered a request of `flow` at `now` (closed loop): the client's next one */
  responded(flow: number, now: number): void {
    const q = this.queues[this.queueOfFlow[flow]!]!
    q.requestAt(q.spec.clients!.responded(flow, now), now)
  }

  /** a request of `flow` was lost after the NIC (a full socket): the client resends it */
  lost(flow: number, now: number): void {
    const q = this.queues[this.queueOfFlow[flow]!]!
    const c = q.spec.clients
    if (c) q.requestAt(c.lost(flow, now), now)
  }

  private onIrq(q: IxgbeQueue, version: number, now: number): void {
    if (version !== q.irqVersion) return
    q.irqArmed = false
    if (!q.irqEnabled) return
    q.syncArrivals(now)
    if (q.ring.length === 0) {
      this.scheduleIrq(q, now)
      return
    }
    // EIAM: the vector is masked until the poll re-enables it
    q.irqEnabled = false
    q.lastIrqNs = now
    q.irqCount++
    this.k.exec.raiseIrq(this.k.cpus[q.spec.cpu]!, q.line, now)
  }

  syncAll(now: number): void {
    for (const q of this.queues) q.syncArrivals(now)
  }

  offered(): number {
    let o = 0
    for (const q of this.queues) o += q.offered
    return o
  }

  inFlight(): number {
    let n = 0
    for (const q of this.queues) n += q.ring.length + q.inPoll
    return n
  }
}

