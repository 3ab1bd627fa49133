// A busy poller's spin: one chunk stands for the empty polls until the next packet is due. When
// a packet becomes due earlier than the chunk ends (a request/response client's next request, a
// datagram delivered to the poller's socket by another CPU), the chunk is cut short at that time.
import type { Kernel } from './ctx.ts'
import type { Chunk, Cpu } from './types.ts'

export class SpinWake {
  private chunk: Chunk | null = null
  private wakeAt = Infinity
  /** which spin a wake event is for: an event left from an earlier spin does nothing */
  private gen = 0
  private readonly ev: number

  constructor(private readonly k: Kernel, private readonly cpuOf: () => Cpu) {
    this.ev = k.loop.on((gen, _b, now) => { if (gen === this.gen) this.wake(now) })
  }

  /** run `c` as the spin (abortable); it stops being the spin when it ends */
  start(c: Chunk): Chunk {
    c.abortable = true
    const done = c.done
    c.done = (t) => {
      if (this.chunk === c) this.chunk = null
      done(t)
    }
    this.chunk = c
    this.wakeAt = Infinity
    this.gen++
    return c
  }

  /** data will be there at `t`: end the spin then */
  dataAt(t: number, now: number): void {
    if (!this.chunk || t >= this.wakeAt) return
    if (t <= now) return this.wake(now)
    this.wakeAt = t
    this.k.loop.at(t, this.ev, this.gen)
  }

  private wake(now: number): void {
    this.wakeAt = Infinity
    const cpu = this.cpuOf()
    if (this.chunk && cpu.task === this.chunk) this.k.exec.abortTaskChunk(cpu, now)
  }
}
