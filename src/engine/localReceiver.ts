// A local receiver: one application thread reading the flows' host UDP sockets; each recvmsg's
// local_bh_enable runs pending softirqs inline (MODEL.md §2, §6).
import { COSTS, UDP_RCVBUF_BYTES } from './constants.ts'
import { unnamed, type Chunk, type Cpu, type Task } from './model.ts'
import type { World } from './sim.ts'
import { ActorKind, EndReason, SliceKind } from './types.ts'


export class LocalReceiver {
  readonly app: Task
  readonly sockCount: Uint32Array
  readonly ready: number[] = []
  rr = 0
  socketPackets = 0
  inChunks = 0

  constructor(private readonly w: World) {
    const s = w.s
    const pin = s.consumer.receiverCpu
    this.app = w.newTask('udp_sink', ActorKind.app, SliceKind.app, false, 0, pin >= 0 ? [pin] : null, pin >= 0 ? pin : (s.host.cpus > 1 ? 1 : 0))
    this.app.program = (now) => this.program(now)
    this.sockCount = new Uint32Array(s.traffic.flows)
  }

  enqueue(flows: Uint16Array, cpu: Cpu, actor: number, now: number): void {
    const w = this.w
    for (const f of flows) {
      const c = this.sockCount[f]!
      if (c * w.truesize >= UDP_RCVBUF_BYTES) {
        w.dropped['host socket']++
        continue
      }
      this.sockCount[f] = c + 1
      this.socketPackets++
      if (c === 0) this.ready.push(f)
    }
    if (this.ready.length) w.wake(this.app, now, cpu.id, actor)
  }

  program(now: number): Chunk | null {
    const w = this.w
    void now
    if (!this.ready.length) return null
    const cpu = w.cpus[this.app.cpu]!
    const idx = this.rr % this.ready.length
    const f = this.ready[idx]!
    // with NET_RX pending here, each recvmsg's local_bh_enable runs the softirq inline: 1 packet per chunk
    const k = Math.min(cpu.netRx ? 1 : 16, this.sockCount[f]!)
    const cost = Math.round(k * (COSTS.hostAppPerPktNs + COSTS.hostAppPerByteNs * w.payload))
    return {
      remaining: cost, kind: SliceKind.app, actor: this.app.actor, packets: k, bh: false, abortable: false, reason: EndReason.done,
      done: unnamed(() => {
        this.sockCount[f] = this.sockCount[f]! - k
        this.socketPackets -= k
        w.countDelivered(k)
        const i = this.ready.indexOf(f)
        if (this.sockCount[f] === 0) this.ready.splice(i, 1)
        else this.rr = i + 1
        w.bhEnable(w.cpus[this.app.cpu]!)
      }),
    }
  }
}

