// Bounded FIFO of flow ids (a descriptor ring, a tun queue, a virtio ring): packets are tracked
// individually so each reaches its own flow's socket.
export class FlowFifo {
  private buf: Uint16Array
  private head = 0
  length = 0

  constructor(readonly capacity: number) {
    this.buf = new Uint16Array(capacity)
  }

  get free(): number {
    return this.capacity - this.length
  }

  /** false when full (the caller counts the drop) */
  push(flow: number): boolean {
    if (this.length >= this.capacity) return false
    this.buf[(this.head + this.length) % this.capacity] = flow
    this.length++
    return true
  }

  shift(): number {
    const f = this.buf[this.head]!
    this.head = (this.head + 1) % this.capacity
    this.length--
    return f
  }
}
