// Bounded FIFO of packets (a descriptor ring, a tun queue, a virtio ring): each packet is its flow
// id and the time it arrived on the wire, so it reaches its own flow's socket and its latency is known.
export class FlowFifo {
  private readonly buf: Uint16Array
  private readonly ts: Float64Array
  private readonly ids: Int32Array
  private head = 0
  length = 0
  /** wire arrival time and path sample id (-1: not sampled) of the packet the last shift() returned */
  shiftedT = 0
  shiftedId = -1

  constructor(readonly capacity: number) {
    this.buf = new Uint16Array(capacity)
    this.ts = new Float64Array(capacity)
    this.ids = new Int32Array(capacity)
  }

  get free(): number {
    return this.capacity - this.length
  }

  /** false when full (the caller counts the drop) */
  push(flow: number, t: number, id: number): boolean {
    if (this.length >= this.capacity) return false
    const i = (this.head + this.length) % this.capacity
    this.buf[i] = flow
    this.ts[i] = t
    this.ids[i] = id
    this.length++
    return true
  }

  /** arrival time of the oldest packet (only when length > 0) */
  peekT(): number {
    return this.ts[this.head]!
  }

  /** arrival time of the i-th oldest packet (i < length) */
  peekAt(i: number): number {
    return this.ts[(this.head + i) % this.capacity]!
  }

  shift(): number {
    const f = this.buf[this.head]!
    this.shiftedT = this.ts[this.head]!
    this.shiftedId = this.ids[this.head]!
    this.head = (this.head + 1) % this.capacity
    this.length--
    return f
  }
}

/** A batch of packets handed from one stage to the next (one poll, one vhost run...). */
export class PacketBatch {
  readonly flow: Uint16Array
  readonly t: Float64Array
  /** path sample ids (-1: not sampled) */
  readonly id: Int32Array
  n = 0
  constructor(capacity: number) {
    this.flow = new Uint16Array(capacity)
    this.t = new Float64Array(capacity)
    this.id = new Int32Array(capacity)
  }
  /** move up to k packets from a FIFO into this batch */
  fill(from: FlowFifo, k: number): number {
    for (let i = 0; i < k; i++) {
      this.flow[i] = from.shift()
      this.t[i] = from.shiftedT
      this.id[i] = from.shiftedId
    }
    this.n = k
    return k
  }
}
