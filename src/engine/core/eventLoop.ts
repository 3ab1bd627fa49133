// The event core: a time-ordered queue and handlers that the model's owners register (a CPU's
// chunk end, a NIC queue's interrupt, the tick...). The loop knows no event type of its own.
import { EventQueue } from './eventQueue.ts'

export type EventHandler = (a: number, b: number, now: number) => void

export class EventLoop {
  private readonly queue = new EventQueue()
  private readonly handlers: EventHandler[] = []
  now = 0
  processed = 0
  stopped = false

  /** register a handler; returns its event type */
  on(h: EventHandler): number {
    this.handlers.push(h)
    return this.handlers.length - 1
  }

  at(t: number, type: number, a = 0, b = 0): void {
    this.queue.push(t, type, a, b)
  }

  /** run at most `maxEvents` events; true when the queue is empty or a handler stopped the loop */
  run(maxEvents: number): boolean {
    const q = this.queue
    for (let i = 0; i < maxEvents; i++) {
      if (this.stopped) return true
      if (!q.pop()) return true
      const t = q.topT
      this.now = t
      this.processed++
      this.handlers[q.topType]!(q.topA, q.topB, t)
    }
    return this.stopped
  }
}
