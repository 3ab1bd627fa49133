// tun with the noqueue qdisc (MODEL.md §6): tun_net_xmit runs in the rx context that delivers the
// packet, drops beyond tx_queue_len (500) and calls sk_data_ready, which queues vhost's rx work.
import { TUN_QUEUE_LIMIT } from '../constants.ts'
import { FlowFifo, PacketBatch } from '../core/fifo.ts'
import type { PathRecorder } from '../core/paths.ts'
import type { Cpu } from '../kernel/types.ts'
import type { Drops, Stage } from './stage.ts'

export class Tun implements Stage {
  readonly queue = new FlowFifo(TUN_QUEUE_LIMIT)
  /** sk_data_ready: the reader (vhost) is told there is data */
  onData: (cpu: Cpu, actor: number, now: number) => void = () => {}

  constructor(private readonly drops: Drops, private readonly paths?: PathRecorder) {}

  deliver(b: PacketBatch, cpu: Cpu, actor: number, now: number): void {
    let pushed = 0
    let dropped = 0
    for (let i = 0; i < b.n; i++) {
      const id = b.id[i]!
      if (this.queue.push(b.flow[i]!, b.t[i]!, id)) pushed++
      else {
        dropped++
        if (id >= 0) this.paths?.drop(id, 'tun queue', now)
      }
    }
    if (dropped) this.drops.add('tun queue', dropped)
    if (pushed) this.onData(cpu, actor, now)
  }

  inFlight(): number {
    return this.queue.length
  }
}

/** tun with several queues (IFF_MULTI_QUEUE): a flow's packets go to the queue its hash selects. */
export class TunMq implements Stage {
  private readonly bufs: PacketBatch[]
  constructor(private readonly tuns: Tun[]) {
    this.bufs = tuns.map(() => new PacketBatch(64))
  }
  deliver(b: PacketBatch, cpu: Cpu, actor: number, now: number): void {
    const Q = this.tuns.length
    if (Q === 1) return this.tuns[0]!.deliver(b, cpu, actor, now)
    for (const o of this.bufs) o.n = 0
    for (let i = 0; i < b.n; i++) {
      const o = this.bufs[b.flow[i]! % Q]!
      o.flow[o.n] = b.flow[i]!
      o.t[o.n] = b.t[i]!
      o.id[o.n++] = b.id[i]!
    }
    for (let q = 0; q < Q; q++) if (this.bufs[q]!.n) this.tuns[q]!.deliver(this.bufs[q]!, cpu, actor, now)
  }
  inFlight(): number {
    return this.tuns.reduce((a, t) => a + t.inFlight(), 0)
  }
}
