// A stage of the receive path (tun, vhost's ring into the guest, a UDP socket...): packets
// (flow ids) arrive in the context of a CPU and an actor; each stage says what it holds.
import type { PacketBatch } from '../core/fifo.ts'
import type { Cpu } from '../kernel/types.ts'

export interface Stage {
  /** the batch's packets arrive, delivered by `actor` running on `cpu` */
  deliver(batch: PacketBatch, cpu: Cpu, actor: number, now: number): void
  /** packets held in this stage (queued or being processed) */
  inFlight(): number
}

/** Drop counters by place, in path order. */
export class Drops {
  readonly byPlace: Record<string, number> = {}
  constructor(readonly places: string[]) {
    for (const p of places) this.byPlace[p] = 0
  }
  add(place: string, n = 1): void {
    this.byPlace[place] = (this.byPlace[place] ?? 0) + n
  }
  total(): number {
    let t = 0
    for (const p of this.places) t += this.byPlace[p]!
    return t
  }
}
