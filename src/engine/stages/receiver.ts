// UDP sockets and the applications reading them (MODEL.md §6): a datagram that finds its socket
// at rcvbuf is dropped; the first one into an empty socket wakes the reader (a sync wakeup, from
// the softirq or thread that delivered it). A reader is a task of the kernel it lives in (netperf
// in the guest, udp_sink on the host); each recvmsg frees its datagram under spin_unlock_bh, so
// pending NET_RX runs inline in the reader after every datagram (4.7 datagram.c).
import type { PacketBatch } from '../core/fifo.ts'
import type { PathRecorder } from '../core/paths.ts'
import type { Kernel } from '../kernel/ctx.ts'
import type { Chunk, Cpu, Task } from '../kernel/types.ts'
import { ActorKind, EndReason, SliceKind } from '../types.ts'
import type { EpollWait } from './epollWait.ts'
import type { Drops, Stage } from './stage.ts'
import { ReadyFlows, UdpSockets } from './udpSockets.ts'

/** What the application does besides recvmsg (a local application; the guest's netperf does nothing). */
export interface AppWork {
  /** application work per datagram, ns */
  serviceNs: number
  /** request/response: send the answer (sendmsg, cost per datagram + copy), then the client's next request */
  respond?: { sendNs: number; sent: (flow: number, now: number) => void }
  /** epoll_wait with busy polling / a zero timeout (else: sleep when the sockets are empty) */
  epoll?: (task: Task) => EpollWait
  /** the rx queue whose NAPI delivered a flow's packets (sk_napi_id) */
  queueOfFlow?: (flow: number) => number
}

/** Datagrams a reader takes per step when no softirq is pending on its CPU (simulation granularity, ≈ 4 µs). */
export const READ_BATCH = 4

export class UdpReader {
  readonly task: Task
  readonly ready = new ReadyFlows()
  /** datagrams being read (taken from the socket, not yet counted as delivered) */
  reading = 0
  /** the flow being read */
  private readFlow = 0
  /** their wire arrival times and path sample ids */
  private readonly times = new Float64Array(READ_BATCH)
  private readonly ids = new Int32Array(READ_BATCH)

  readonly epoll: EpollWait | null

  constructor(private readonly k: Kernel, private readonly sockets: UdpSockets, name: string, cpu: number, pinned: boolean, private readonly copyBytes: number, private readonly onDelivered: (n: number, times: Float64Array, now: number) => void, private readonly paths?: PathRecorder, private readonly work: AppWork = { serviceNs: 0 }) {
    this.task = k.newTask(name, ActorKind.app, SliceKind.app, false, 0, pinned ? [cpu] : null, cpu)
    this.task.program = (now) => this.program(now)
    this.epoll = work.epoll ? work.epoll(this.task) : null
    const ep = this.epoll
    this.task.hasWork = ep ? () => this.ready.length > 0 || ep.active : () => this.ready.length > 0
  }

  /** a datagram made `flow`'s socket readable (sock_def_readable → ep_poll_callback): wake it, or end its spin */
  notify(flow: number, now: number, wakerCpu: number, wakerActor: number): void {
    this.k.wake(this.task, now, wakerCpu, wakerActor, true)
    const ep = this.epoll
    if (ep) {
      if (this.work.queueOfFlow) ep.socketReady(this.work.queueOfFlow(flow))
      ep.dataAt(now, now)
    }
  }

  private program(now: number): Chunk | null {
    const ep = this.epoll
    if (!this.ready.length) return ep ? ep.noEvents(now) : null
    if (ep) {
      const c = ep.onEvents(now, this.ready.length)
      if (c) return c
    }
    const k = this.k
    const cpu = k.cpus[this.task.cpu]!
    const f = this.ready.next()
    const rr = this.work.respond
    // with NET_RX pending here, each recvmsg's local_bh_enable runs it: one datagram per step; a
    // request is answered before the next is read
    const n = Math.min(cpu.netRx || rr ? 1 : READ_BATCH, this.sockets.queued(f))
    this.ready.afterRead(f, this.sockets.read(f, n, this.times, this.ids))
    this.reading = n
    const c = k.costs
    const perDatagram = c.appPerPktNs + c.copyNsPerByte * this.copyBytes + this.work.serviceNs + (rr ? rr.sendNs + c.copyNsPerByte * this.copyBytes : 0)
    this.readFlow = f
    return {
      remaining: Math.round(n * perDatagram), kind: SliceKind.app, actor: this.task.actor, packets: n,
      bh: false, abortable: false, reason: EndReason.done, mirror: null, gen: 0,
      done: this.readDone,
    }
  }

  /** the end of a read chunk (one at a time per reader: its state is `reading` and `readFlow`) */
  private readonly readDone = (now: number): void => {
    const n = this.reading
    const k = this.k
    this.reading = 0
    for (let i = 0; i < n; i++) if (this.ids[i]! >= 0) this.paths?.read(this.ids[i]!, now, this.task.cpu, this.task.actor, k.params.role === 'guest')
    this.onDelivered(n, this.times, now)
    this.work.respond?.sent(this.readFlow, now)
    k.softirq.bhEnable(k.cpus[this.task.cpu]!, now)
  }
}

/** The last stage: per-flow sockets, each read by its reader. */
export class SocketStage implements Stage {
  readonly readerOf: UdpReader[]

  constructor(readonly sockets: UdpSockets, private readonly drops: Drops, private readonly place: string, readers: UdpReader[], readerOfFlow: (f: number) => number, private readonly paths?: PathRecorder, private readonly onLost?: (flow: number, now: number) => void) {
    this.readerOf = Array.from({ length: sockets.flows }, (_, f) => readers[readerOfFlow(f)]!)
    this.readers = readers
  }

  private readonly readers: UdpReader[]

  deliver(b: PacketBatch, cpu: Cpu, actor: number, now: number): void {
    for (let i = 0; i < b.n; i++) {
      const f = b.flow[i]!
      const before = this.sockets.enqueue(f, b.t[i]!, b.id[i]!)
      if (before < 0) {
        this.drops.add(this.place)
        if (b.id[i]! >= 0) this.paths?.drop(b.id[i]!, this.place, now)
        this.onLost?.(f, now)
      }
      else if (before === 0) {
        const r = this.readerOf[f]!
        r.ready.add(f)
        // sock_def_readable → wake_up_interruptible_sync_poll
        r.notify(f, now, cpu.id, actor)
      }
    }
  }

  inFlight(): number {
    let n = this.sockets.total
    for (const r of this.readers) n += r.reading
    return n
  }
}
