// Per-flow UDP receive sockets, shared by the guest and the local receiver. A flow's packets are
// alike, so a socket is a count; its memory is count × truesize.
import { UDP_RCVBUF_BYTES } from '../constants.ts'

export class UdpSockets {
  private readonly count: Uint32Array
  /** packets queued in all sockets */
  total = 0

  constructor(readonly flows: number, private readonly truesize: number) {
    this.count = new Uint32Array(flows)
  }

  queued(flow: number): number {
    return this.count[flow]!
  }

  /**
   * Queue one packet: 4.7 __sock_queue_rcv_skb drops when rmem_alloc >= rcvbuf. Returns -1 when
   * dropped, else how many packets the socket held before (0 = its reader must be woken).
   */
  enqueue(flow: number): number {
    const c = this.count[flow]!
    if (c * this.truesize >= UDP_RCVBUF_BYTES) return -1
    this.count[flow] = c + 1
    this.total++
    return c
  }

  /** the reader consumed k packets; returns what is left */
  read(flow: number, k: number): number {
    const left = this.count[flow]! - k
    this.count[flow] = left
    this.total -= k
    return left
  }
}

/** Flows whose socket holds data, read round-robin by one reader (a receiver, a vCPU's receivers). */
export class ReadyFlows {
  private readonly list: number[] = []
  private rr = 0

  get length(): number {
    return this.list.length
  }

  add(flow: number): void {
    this.list.push(flow)
  }

  /** the flow to read next (only when length > 0) */
  next(): number {
    return this.list[this.rr % this.list.length]!
  }

  /** after a read of `flow`: drop it when its socket is empty, else continue after it */
  afterRead(flow: number, left: number): void {
    const i = this.list.indexOf(flow)
    if (left === 0) this.list.splice(i, 1)
    else this.rr = i + 1
  }
}
