// tun with the noqueue qdisc (MODEL.md §6): tun_net_xmit runs in the rx context that delivers the
// packet, drops beyond tx_queue_len (500) and calls sk_data_ready, which queues vhost's rx work.
import { TUN_QUEUE_LIMIT } from '../constants.ts'
import { FlowFifo } from '../core/fifo.ts'
import type { Cpu } from '../kernel/types.ts'
import type { Drops, Stage } from './stage.ts'

export class Tun implements Stage {
  readonly queue = new FlowFifo(TUN_QUEUE_LIMIT)
  /** sk_data_ready: the reader (vhost) is told there is data */
  onData: (cpu: Cpu, actor: number, now: number) => void = () => {}

  constructor(private readonly drops: Drops) {}

  deliver(flows: Uint16Array, n: number, cpu: Cpu, actor: number, now: number): void {
    let pushed = 0
    for (let i = 0; i < n; i++) {
      if (this.queue.push(flows[i]!)) pushed++
      else this.drops.add('tun queue')
    }
    if (pushed) this.onData(cpu, actor, now)
  }

  inFlight(): number {
    return this.queue.length
  }
}
