// Per-flow UDP receive sockets, shared by the guest and the local receiver. A flow's packets are
// alike, so a socket's memory is count × truesize; each queued datagram keeps its wire arrival
// time (a ring per flow) for the latency the reader sees.
import { UDP_RCVBUF_BYTES } from '../constants.ts'
import { removeAt } from '../core/arrays.ts'

export class UdpSockets {
  private readonly count: Uint32Array
  /** packets queued in all sockets */
  total = 0

  private readonly cap: number
  private readonly head: Uint32Array
  private readonly times: Float64Array
  private readonly ids: Int32Array

  constructor(readonly flows: number, private readonly truesize: number) {
    this.count = new Uint32Array(flows)
    // enqueue accepts while count × truesize < rcvbuf
    this.cap = Math.ceil(UDP_RCVBUF_BYTES / truesize) + 1
    this.head = new Uint32Array(flows)
    this.times = new Float64Array(flows * this.cap)
    this.ids = new Int32Array(flows * this.cap)
  }

  queued(flow: number): number {
    return this.count[flow]!
  }

  /**
   * Queue one packet: 4.7 __sock_queue_rcv_skb drops when rmem_alloc >= rcvbuf. Returns -1 when
   * dropped, else how many packets the socket held before (0 = its reader must be woken).
   */
  enqueue(flow: number, t: number, id = -1): number {
    const c = this.count[flow]!
    if (c * this.truesize >= UDP_RCVBUF_BYTES) return -1
    const slot = flow * this.cap + ((this.head[flow]! + c) % this.cap)
    this.times[slot] = t
    this.ids[slot] = id
    this.count[flow] = c + 1
    this.total++
    return c
  }

  /** the reader takes the k oldest datagrams (their arrival times into `times`); returns what is left */
  read(flow: number, k: number, times?: Float64Array, ids?: Int32Array): number {
    const base = flow * this.cap
    let h = this.head[flow]!
    for (let i = 0; i < k; i++) {
      if (times) times[i] = this.times[base + h]!
      if (ids) ids[i] = this.ids[base + h]!
      h = h + 1 === this.cap ? 0 : h + 1
    }
    this.head[flow] = h
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
    if (left === 0) removeAt(this.list, i)
    else this.rr = i + 1
  }
}
