// The ixgbe NIC (MODEL.md §7): one rx ring and MSI-X vector per queue, flows hashed to queues by
// RSS, packets materialised lazily from the senders' schedule, EIAM auto-masking until the poll
// re-enables the vector, and adaptive ITR (4.7 ixgbe_update_itr) or a fixed interval.
import { IXGBE_RX_HDR_SIZE, ETH_IP_UDP_HDR, ITR_BULK_NS, ITR_INITIAL_NS, ITR_LOW_NS, ITR_LOWEST_NS } from '../constants.ts'
import { FlowFifo, PacketBatch } from '../core/fifo.ts'
import type { PathRecorder } from '../core/paths.ts'
import type { Rng } from '../core/rng.ts'
import type { Kernel } from '../kernel/ctx.ts'
import { ActorKind } from '../types.ts'
import type { Cpu, IrqLine, Napi, NapiDevice } from '../kernel/types.ts'
import type { Drops, Stage } from '../stages/stage.ts'
import type { ClosedLoopClients } from './closedLoop.ts'

export interface QueueSpec {
  index: number
  irq: number
  action: string
  cpu: number
  flows: number[]
  /** mean interval between packets of this queue, ns (Infinity = no flow) */
  periodNs: number
  rng: Rng
  /** request/response clients in closed loop (instead of the periodic senders) */
  clients?: ClosedLoopClients
}

export class IxgbeQueue implements NapiDevice {
  readonly ring: FlowFifo
  rr = 0
  nextArrival: number
  irqEnabled = true
  irqArmed = false
  irqVersion = 0
  /** when the armed vector fires */
  irqAt = 0
  lastIrqNs = -1e12
  itrNs: number
  itrClass = 0
  offered = 0
  irqCount = 0
  private episodeBytes = 0
  private readonly batch = new PacketBatch(64)
  napi!: Napi
  /** busy pollers spinning on this queue's NAPI: told when a request is due earlier than they thought */
  readonly dataWatchers: Array<(t: number, now: number) => void> = []
  readonly irqActor: number
  readonly line: IrqLine

  constructor(readonly spec: QueueSpec, private readonly nic: Ixgbe) {
    this.ring = new FlowFifo(nic.ringSize)
    this.nextArrival = spec.clients ? spec.clients.nextNs() : spec.flows.length ? spec.rng() * spec.periodNs : Infinity
    this.itrNs = nic.fixedItrNs > 0 ? nic.fixedItrNs : ITR_INITIAL_NS
    this.irqActor = nic.k.newActor({ name: `irq ${spec.irq} (${spec.action})`, kind: ActorKind.irq })
    this.line = { actor: this.irqActor, costNs: nic.k.costs.hardirqNs, handle: (cpu, now) => nic.k.napi.schedule(this.napi, cpu, now, this.irqActor) }
  }

  get inPoll(): number {
    return this.batch.n
  }

  /** packets that reached the NIC by `now` go into the ring (or are dropped when it is full) */
  syncArrivals(now: number): void {
    const s = this.spec
    const clients = s.clients
    while (this.nextArrival <= now) {
      let flow: number
      if (clients) flow = clients.shift()
      else {
        flow = s.flows[this.rr]!
        this.rr = this.rr + 1 === s.flows.length ? 0 : this.rr + 1
      }
      const id = this.nic.paths.start(this.offered, flow, s.index, this.nextArrival)
      this.offered++
      if (!this.ring.push(flow, this.nextArrival, id)) {
        this.nic.drops.add('nic ring')
        this.nic.paths.drop(id, 'nic ring', this.nextArrival)
        clients?.lost(flow, this.nextArrival)
      }
      // senders are not perfectly periodic: jitter around the mean, never closer than the wire allows
      if (clients) this.nextArrival = clients.nextNs()
      else this.nextArrival += s.periodNs * (1 - this.nic.jitter + 2 * this.nic.jitter * s.rng())
    }
  }

  /** a request of this queue's flows will arrive at `t` (closed loop): bring the IRQ and pollers forward */
  requestAt(t: number, now: number): void {
    if (t < this.nextArrival) this.nextArrival = t
    for (const w of this.dataWatchers) w(t, now)
    if (this.irqArmed && this.irqAt > Math.max(t, this.lastIrqNs + this.itrNs)) this.irqArmed = false
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
    for (let i = 0; i < b.n; i++) this.nic.paths.hop(b.id[i]!, 'host rx poll', now, cpu.id, actor, false)
    this.nic.next.deliver(b, cpu, actor, now)
    this.batch.n = 0
  }

  complete(_cpu: Cpu, now: number): void {
    if (this.nic.fixedItrNs === 0) this.updateItr(this.episodeBytes)
    this.episodeBytes = 0
    this.irqEnabled = true
    this.nic.scheduleIrq(this, now)
  }

  /** ixgbe_update_itr (4.7): classify bytes per interrupt interval, smooth the new interval */
  private updateItr(bytes: number): void {
    const perInt = bytes / Math.max(this.itrNs / 1000, 1)
    let cls = this.itrClass
    if (cls === 0) { if (perInt > 10) cls = 1 }
    else if (cls === 1) { if (perInt > 20) cls = 2; else if (perInt <= 10) cls = 0 }
    else if (perInt <= 20) cls = 1
    this.itrClass = cls
    const target = cls === 0 ? ITR_LOWEST_NS : cls === 1 ? ITR_LOW_NS : ITR_BULK_NS
    const old = this.itrNs
    this.itrNs = target === old ? old : Math.round((10 * target * old) / (9 * target + old))
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
    readonly fixedItrNs: number,
    readonly frame: number,
    /** relative arrival jitter (±), bounded by the headroom below line rate */
    readonly jitter: number,
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

  /** the vector fires when data is there, no earlier than the ITR interval after the last one */
  scheduleIrq(q: IxgbeQueue, now: number): void {
    if (!q.irqEnabled || q.irqArmed) return
    q.syncArrivals(now)
    const tData = q.ring.length > 0 ? now : Math.ceil(q.nextArrival)
    if (tData === Infinity) return
    q.irqArmed = true
    q.irqVersion++
    q.irqAt = Math.max(tData, q.lastIrqNs + q.itrNs)
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

