// The clients of a request/response workload, closed loop (like netperf TCP_RR / neper tcp_rr /
// mutilate at full load): each flow keeps `outstanding` requests in flight; a response sent at t
// brings the flow's next request to the NIC at t + rtt; a request lost on the way in is sent
// again after TCP_RTO_MIN. Responses and losses happen in time order, so each of the two queues
// is a FIFO in time order and the next arrival is the earlier head.
import { RTO_MIN_NS } from '../constants.ts'
import { FlowFifo } from '../core/fifo.ts'
import type { Rng } from '../core/rng.ts'

export class ClosedLoopClients {
  private readonly next: FlowFifo
  private readonly resend: FlowFifo
  private lastResendNs = 0

  /** first requests of `flows`, `outstanding` each, spread over one rtt */
  constructor(flows: number[], outstanding: number, private readonly rttNs: number, rng: Rng) {
    const cap = Math.max(1, flows.length * outstanding)
    this.next = new FlowFifo(cap)
    this.resend = new FlowFifo(cap)
    const first: Array<[number, number]> = []
    for (const f of flows) for (let i = 0; i < outstanding; i++) first.push([rng.next() * Math.max(rttNs, 1_000), f])
    first.sort((a, b) => a[0] - b[0] || a[1] - b[1])
    for (const [t, f] of first) this.next.push(f, t, -1)
  }

  /** when the next request reaches the NIC, ns (Infinity: none in flight towards it) */
  nextNs(): number {
    const a = this.next.length ? this.next.peekT() : Infinity
    const b = this.resend.length ? this.resend.peekT() : Infinity
    return a <= b ? a : b
  }

  /** the k-th request to arrive from now (k = 0: nextNs()), as far as the clients have sent them */
  peek(k: number): number {
    let i = 0
    let j = 0
    for (;;) {
      const a = i < this.next.length ? this.next.peekAt(i) : Infinity
      const b = j < this.resend.length ? this.resend.peekAt(j) : Infinity
      if (a === Infinity && b === Infinity) return Infinity
      if (k-- === 0) return a <= b ? a : b
      if (a <= b) i++
      else j++
    }
  }

  /** the request arriving at nextNs(): its flow */
  shift(): number {
    const a = this.next.length ? this.next.peekT() : Infinity
    const b = this.resend.length ? this.resend.peekT() : Infinity
    return a <= b ? this.next.shift() : this.resend.shift()
  }

  /** a response left at `now`: the flow's next request; returns its arrival time */
  responded(flow: number, now: number): number {
    const t = now + this.rttNs
    // responses leave in time order, so their requests come back in order, behind the first ones
    if (this.next.length && t < this.next.peekAt(this.next.length - 1)) throw new Error(`internal: request of flow ${flow} at ${t} ns would arrive before one already due`)
    if (!this.next.push(flow, t, -1)) throw new Error(`internal: flow ${flow} has more requests in flight than it may`)
    return t
  }

  /** a request was dropped at `now`: the client sends it again after the retransmission timeout */
  lost(flow: number, now: number): number {
    // losses at the ring are found when arrivals are materialised, a little after they happen: keep the FIFO in order
    const t = Math.max(now + RTO_MIN_NS, this.lastResendNs)
    this.lastResendNs = t
    if (!this.resend.push(flow, t, -1)) throw new Error(`internal: flow ${flow} resends more requests than it has`)
    return t
  }
}
