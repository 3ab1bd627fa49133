// Binary min-heap of events ordered by (time, insertion order): ties resolve deterministically.
export interface SimEvent {
  t: number
  seq: number
  type: number
  a: number
  b: number
}

export class EventQueue {
  private heap: SimEvent[] = []
  private seq = 0

  get size(): number {
    return this.heap.length
  }

  push(t: number, type: number, a = 0, b = 0): void {
    const e: SimEvent = { t, seq: this.seq++, type, a, b }
    const h = this.heap
    h.push(e)
    let i = h.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      const hp = h[p]!
      if (hp.t < e.t || (hp.t === e.t && hp.seq < e.seq)) break
      h[i] = hp
      i = p
    }
    h[i] = e
  }

  peekTime(): number {
    return this.heap.length ? this.heap[0]!.t : Infinity
  }

  pop(): SimEvent | undefined {
    const h = this.heap
    const top = h[0]
    const last = h.pop()
    if (!top || !last || h.length === 0) return top
    let i = 0
    const n = h.length
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) break
      const r = l + 1
      let c = l
      const hl = h[l]!
      if (r < n) {
        const hr = h[r]!
        if (hr.t < hl.t || (hr.t === hl.t && hr.seq < hl.seq)) c = r
      }
      const hc = h[c]!
      if (last.t < hc.t || (last.t === hc.t && last.seq < hc.seq)) break
      h[i] = hc
      i = c
    }
    h[i] = last
    return top
  }
}
