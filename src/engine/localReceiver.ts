// A local receiver: one application thread reading the flows' host UDP sockets; each recvmsg's
// local_bh_enable runs pending softirqs inline (MODEL.md §2, §6).
import { COSTS } from './constants.ts'
import { unnamed, type Chunk, type Cpu, type Task } from './model.ts'
import type { World } from './sim.ts'
import { ActorKind, EndReason, SliceKind } from './types.ts'
import { ReadyFlows, UdpSockets } from './udpSockets.ts'


export class LocalReceiver {
  readonly app: Task
  readonly sockets: UdpSockets
  readonly ready = new ReadyFlows()

  constructor(private readonly w: World) {
    const s = w.s
    const pin = s.consumer.receiverCpu
    this.app = w.newTask('udp_sink', ActorKind.app, SliceKind.app, false, 0, pin >= 0 ? [pin] : null, pin >= 0 ? pin : (s.host.cpus > 1 ? 1 : 0))
    this.app.program = () => this.program()
    this.sockets = new UdpSockets(s.traffic.flows, w.truesize)
  }

  enqueue(flows: Uint16Array, cpu: Cpu, actor: number, now: number): void {
    const w = this.w
    for (const f of flows) {
      const before = this.sockets.enqueue(f)
      if (before < 0) w.dropped['host socket']++
      else if (before === 0) this.ready.add(f)
    }
    if (this.ready.length) w.wake(this.app, now, cpu.id, actor)
  }

  program(): Chunk | null {
    const w = this.w
    if (!this.ready.length) return null
    const cpu = w.cpus[this.app.cpu]!
    const f = this.ready.next()
    // with NET_RX pending here, each recvmsg's local_bh_enable runs the softirq inline: 1 packet per chunk
    const k = Math.min(cpu.netRx ? 1 : 16, this.sockets.queued(f))
    const cost = Math.round(k * (COSTS.hostAppPerPktNs + COSTS.hostAppPerByteNs * w.payload))
    return {
      remaining: cost, kind: SliceKind.app, actor: this.app.actor, packets: k, bh: false, abortable: false, reason: EndReason.done,
      done: unnamed(() => {
        this.ready.afterRead(f, this.sockets.read(f, k))
        w.countDelivered(k)
        w.bhEnable(w.cpus[this.app.cpu]!)
      }),
    }
  }
}

