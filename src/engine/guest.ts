// The guest: V vCPU host tasks; guest rx (virtio NAPI) on vCPU 0, receivers on vCPUs (moved to an
// idle vCPU when woken), per-flow UDP sockets, halt polling (MODEL.md §6, §11).
import { COSTS, HALT_POLL_GROW_START_NS, HALT_POLL_MAX_NS, MAX_SOFTIRQ_TIME_MS, NAPI_POLL_WEIGHT, NS_PER_MS, VIRTIO_RX_RING } from './constants.ts'
import { FlowFifo } from './fifo.ts'
import { RUNNING, SLEEPING, unnamed, type Chunk, type Task } from './model.ts'
import type { World } from './sim.ts'
import { ActorKind, EndReason, SliceKind } from './types.ts'
import { ReadyFlows, UdpSockets } from './udpSockets.ts'


export class Guest {
  readonly ring = new FlowFifo(VIRTIO_RX_RING)
  readonly vcpus: Task[] = []
  /** virtio callbacks enabled (an interrupt will be injected on the next used buffer) */
  cbEnabled = true
  napiScheduled = false
  /** guest softirq ran past its limits: guest ksoftirqd shares the vCPU with receivers */
  deferred = false
  episodeNs = 0
  shareRxNs = 0
  shareAppNs = 0
  readonly sockets: UdpSockets
  readonly receiverVcpu: Uint8Array
  /** per vCPU: flows whose socket holds data, read by that vCPU's receivers */
  readonly ready: ReadyFlows[]
  inChunks = 0
  readonly haltStart: number[]
  readonly pollWindow: number[]
  readonly polled: boolean[]
  readonly irqVcpu = 0

  constructor(private readonly w: World) {
    const s = w.s
    const V = s.consumer.vcpus
    const flows = s.traffic.flows
    this.sockets = new UdpSockets(flows, w.truesize)
    // the guest scheduler puts a woken receiver on an idle vCPU: with 2 vCPUs flow 0's receiver
    // lands on the vCPU that does not take the virtio interrupt
    this.receiverVcpu = new Uint8Array(flows)
    for (let f = 0; f < flows; f++) this.receiverVcpu[f] = V === 1 ? 0 : (f + 1) % V
    this.ready = Array.from({ length: V }, () => new ReadyFlows())
    this.haltStart = Array.from({ length: V }, () => 0)
    this.pollWindow = Array.from({ length: V }, () => 0)
    this.polled = Array.from({ length: V }, () => false)
    for (let v = 0; v < V; v++) {
      const t = w.newTask(`CPU ${v}/KVM`, ActorKind.vcpu, SliceKind.vcpu, false, 0, null, (1 + v) % s.host.cpus)
      t.program = (now) => this.vcpuProgram(v, now)
      this.vcpus.push(t)
    }
    // the guest is idle at start: vCPUs halted
  }

  /** vhost_signal: inject the rx interrupt if the guest asked for one (EVENT_IDX ≈ once per NAPI episode) */
  signal(now: number, fromCpu: number, fromActor: number): void {
    if (!this.cbEnabled || this.ring.length === 0) return
    this.cbEnabled = false
    this.napiScheduled = true
    this.notifyVcpu(this.irqVcpu, now, fromCpu, fromActor)
  }

  notifyVcpu(v: number, now: number, fromCpu: number, fromActor: number): void {
    const t = this.vcpus[v]!
    if (t.state === SLEEPING) this.w.wake(t, now, fromCpu, fromActor)
    else if (t.state === RUNNING) {
      const cpu = this.w.cpus[t.cpu]!
      if (cpu.task?.abortable) this.w.abortTaskChunk(cpu, now)
    }
  }

  /** the guest CPU would be in its idle loop: no receiver with data, no rx pending */
  guestIdle(v: number): boolean {
    return this.ready[v]!.length === 0 && !(v === this.irqVcpu && this.napiScheduled)
  }

  hasApp(v: number): boolean {
    return this.ready[v]!.length > 0
  }

  vcpuProgram(v: number, now: number): Chunk | null {
    const t = this.vcpus[v]!
    const rx = v === this.irqVcpu && this.napiScheduled
    const app = this.hasApp(v)
    if (rx || app) this.endHalt(v, now)
    if (rx && (!app || !this.deferred || this.shareRxNs <= this.shareAppNs)) return this.rxChunk(t)
    if (app) return this.appChunk(t, v)
    // nothing to do: HLT → halt polling, then block
    if (!this.polled[v]) {
      this.polled[v] = true
      if (this.haltStart[v]! <= 0) this.haltStart[v] = now
      if (this.pollWindow[v]! > 0) {
        return { remaining: this.pollWindow[v]!, kind: SliceKind.haltPoll, actor: t.actor, packets: 0, bh: false, abortable: true, reason: EndReason.sleep, done: unnamed(() => {}) }
      }
    }
    return null
  }

  /** kvm_vcpu_block (4.7): grow the poll window after short halts, reset it after long ones */
  endHalt(v: number, now: number): void {
    if (this.haltStart[v]! <= 0) return
    const block = now - this.haltStart[v]!
    const win = this.pollWindow[v]!
    if (block <= win) {
      // the poll caught the wakeup: window unchanged
    } else if (win && block > HALT_POLL_MAX_NS) this.pollWindow[v] = 0
    else if (win < HALT_POLL_MAX_NS && block < HALT_POLL_MAX_NS) this.pollWindow[v] = win ? Math.min(win * 2, HALT_POLL_MAX_NS) : HALT_POLL_GROW_START_NS
    this.haltStart[v] = 0
    this.polled[v] = false
  }

  rxChunk(t: Task): Chunk {
    const w = this.w
    const k = Math.min(NAPI_POLL_WEIGHT, this.ring.length)
    const flows = new Uint16Array(k)
    for (let i = 0; i < k; i++) flows[i] = this.ring.shift()
    this.inChunks += k
    const cost = Math.round(300 + k * (COSTS.guestRxPerPktNs + COSTS.guestRxPerByteNs * w.frame))
    return {
      remaining: cost, kind: SliceKind.vcpu, actor: t.actor, packets: k, bh: false, abortable: false,
      reason: k < NAPI_POLL_WEIGHT ? EndReason.done : EndReason.budget,
      done: unnamed((t2: number) => {
        this.inChunks -= k
        const cpu = t.cpu
        for (const f of flows) {
          const c = this.sockets.enqueue(f)
          if (c < 0) {
            w.dropped['guest socket']++
            continue
          }
          if (c === 0) {
            // the receiver wakes: the guest's select_idle_sibling keeps it on its vCPU if that one
            // is idle, else moves it to an idle vCPU
            let rv = this.receiverVcpu[f]!
            if (!this.guestIdle(rv)) {
              for (let w = 0; w < this.vcpus.length; w++) {
                if (this.guestIdle(w)) {
                  rv = w
                  this.receiverVcpu[f] = w
                  break
                }
              }
            }
            this.ready[rv]!.add(f)
            if (rv === this.irqVcpu && !this.deferred) {
              // waking a receiver on this vCPU sets need_resched: __do_softirq stops restarting and
              // hands NET_RX to the guest's ksoftirqd, which then shares the vCPU with receivers
              this.deferred = true
              this.shareRxNs = 0
              this.shareAppNs = 0
            }
            if (rv !== this.irqVcpu) {
              const target = this.vcpus[rv]!
              if (target.state !== RUNNING || w.cpus[target.cpu]!.task?.abortable) {
                // wake the receiver on another vCPU: a guest IPI (the ICR write exits on the sender)
                t.debt += COSTS.guestIpiNs
                this.notifyVcpu(rv, t2, cpu, t.actor)
              }
            }
          }
        }
        if (this.deferred) this.shareRxNs += cost
        else {
          this.episodeNs += cost
          if (this.episodeNs > MAX_SOFTIRQ_TIME_MS * NS_PER_MS) {
            this.deferred = true
            this.shareRxNs = 0
            this.shareAppNs = 0
          }
        }
        if (k < NAPI_POLL_WEIGHT) {
          // virtqueue_enable_cb, then re-check the ring (virtnet_poll)
          this.napiScheduled = this.ring.length > 0
          this.cbEnabled = !this.napiScheduled
          this.deferred = false
          this.episodeNs = 0
        }
        // refill: kick vhost once more than half the ring is free again
        const v = w.vhost!
        if (v.noBuffers && this.ring.free > VIRTIO_RX_RING / 2) {
          v.noBuffers = false
          if (!v.rxQueued) {
            v.rxQueued = true
            w.wake(v.task, t2, cpu, t.actor)
          }
        }
      }),
    }
  }

  appChunk(t: Task, v: number): Chunk {
    const w = this.w
    const ready = this.ready[v]!
    const f = ready.next()
    const k = Math.min(16, this.sockets.queued(f))
    const cost = Math.round(k * (COSTS.guestAppPerPktNs + COSTS.guestAppPerByteNs * w.payload))
    return {
      remaining: cost, kind: SliceKind.vcpu, actor: t.actor, packets: k, bh: false, abortable: false, reason: EndReason.done,
      done: unnamed(() => {
        ready.afterRead(f, this.sockets.read(f, k))
        w.countDelivered(k)
        if (this.deferred && v === this.irqVcpu) this.shareAppNs += cost
      }),
    }
  }
}

