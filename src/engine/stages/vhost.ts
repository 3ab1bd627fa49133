// The vhost-net worker (MODEL.md §6, §11): one SCHED_NORMAL kthread per device. handle_rx moves
// packets from tun into the guest's rx buffers (copying them) until tun is empty, the guest has no
// buffers, or VHOST_NET_WEIGHT bytes (512 KiB, 4.7: no packet weight); then it requeues itself.
// With EVENT_IDX it signals the guest at the first used buffer after the guest re-armed.
import { NAPI_POLL_WEIGHT, VHOST_NET_WEIGHT_BYTES, VIRTIO_NET_HDR } from '../constants.ts'
import { PacketBatch } from '../core/fifo.ts'
import type { PathRecorder } from '../core/paths.ts'
import type { Kernel } from '../kernel/ctx.ts'
import type { Chunk, Cpu, Task } from '../kernel/types.ts'
import { ActorKind, EndReason, SliceKind } from '../types.ts'
import type { Tun } from './tun.ts'
import type { VirtioRing } from './virtioRing.ts'

export class Vhost {
  readonly task: Task
  /** the rx work is queued (vhost_work_queue) */
  private rxQueued = false
  private inRun = false
  private runBytes = 0
  private readonly batch = new PacketBatch(NAPI_POLL_WEIGHT)
  private readonly len: number
  /** vhost_signal: inject the guest's rx interrupt (set by the guest device) */
  signalGuest: (cpu: Cpu, actor: number, now: number) => void = () => {}

  constructor(private readonly k: Kernel, private readonly tun: Tun, private readonly ring: VirtioRing, frame: number, pid: number, private readonly paths?: PathRecorder) {
    this.task = k.newTask(`vhost-${pid}`, ActorKind.vhost, SliceKind.vhost, false, 0, null, 0)
    this.task.program = () => this.program()
    this.task.hasWork = () => this.rxQueued || this.inRun
    this.len = frame + VIRTIO_NET_HDR
    tun.onData = (cpu, actor, now) => this.queueWork(cpu.id, actor, now)
  }

  get inFlight(): number {
    return this.batch.n
  }

  /** vhost_work_queue: queue the rx work and wake the worker if it was not queued */
  queueWork(fromCpu: number, actor: number, now: number): void {
    if (this.rxQueued) return
    this.rxQueued = true
    this.k.wake(this.task, now, fromCpu, actor)
  }

  /** the guest posted buffers and kicked (only when vhost asked for it) */
  kick(fromCpu: number, actor: number, now: number): void {
    this.ring.vhostWantsKick = false
    this.queueWork(fromCpu, actor, now)
  }

  private program(): Chunk | null {
    const t = this.task
    const ring = this.ring
    const k = this.k
    for (let i = 0; i < 4; i++) {
      if (!this.inRun) {
        if (!this.rxQueued) return null
        if (i > 0 && k.cpus[t.cpu]!.needResched) return k.exec.yieldChunk(t)
        // the worker unlinks the work before running it: new packets re-queue it
        this.rxQueued = false
        this.inRun = true
        this.runBytes = 0
        t.atomic = true
        t.debt += k.costs.vhostRunNs
      }
      const tunLen = this.tun.queue.length
      if (tunLen === 0 || ring.avail === 0 || this.runBytes >= VHOST_NET_WEIGHT_BYTES) {
        const emptyRun = ring.avail === 0 && tunLen > 0 && this.runBytes === 0
        // out of guest buffers: vhost_enable_notify, wait for the guest's kick
        if (ring.avail === 0 && tunLen > 0) ring.vhostWantsKick = true
        if (this.runBytes >= VHOST_NET_WEIGHT_BYTES) this.rxQueued = true
        this.inRun = false
        t.atomic = false
        // handle_rx found no guest buffers: it only re-enabled notification, but the run cost CPU
        if (emptyRun) return { remaining: 0, kind: SliceKind.vhost, actor: t.actor, packets: 0, bh: false, abortable: false, reason: EndReason.done, mirror: null, gen: 0, done: () => {} }
        continue
      }
      // EVENT_IDX: while the guest waits for an interrupt, the first used buffer signals it
      const signal = ring.cbEnabled
      const n = signal ? 1 : Math.min(NAPI_POLL_WEIGHT, tunLen, ring.avail)
      this.batch.fill(this.tun.queue, n)
      ring.avail -= n
      const c = k.costs
      return {
        remaining: Math.round(n * (c.vhostPerPktNs + c.copyNsPerByte * this.len) + (signal ? c.vhostSignalNs : 0)),
        kind: SliceKind.vhost, actor: t.actor, packets: n, bh: false, abortable: false, reason: EndReason.done, mirror: null, gen: 0,
        done: (now: number) => {
          const b = this.batch
          for (let j = 0; j < b.n; j++) {
            const id = b.id[j]!
            ring.used.push(b.flow[j]!, b.t[j]!, id)
            if (id >= 0) this.paths?.hop(id, 'vhost copy', now, t.cpu, t.actor, false)
          }
          b.n = 0
          this.runBytes += n * this.len
          if (ring.cbEnabled) this.signalGuest(k.cpus[t.cpu]!, t.actor, now)
        },
      }
    }
    return k.exec.yieldChunk(t)
  }
}
