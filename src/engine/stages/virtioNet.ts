// The guest's virtio-net driver (MODEL.md §6, §11), as a NAPI device of the guest kernel: vhost's
// signal raises the rx interrupt on the guest CPU it is routed to (skb_recv_done disables
// callbacks and schedules NAPI), virtnet_poll (weight 64) builds skbs from used buffers (copying
// GOOD_COPY_LEN bytes into the head), refills once more than half the ring is free (kicking vhost
// only if it asked), and re-arms callbacks with a re-check when it completes.
import { VIRTIO_GOOD_COPY_LEN, VIRTIO_NET_HDR } from '../constants.ts'
import { PacketBatch } from '../core/fifo.ts'
import type { PathRecorder } from '../core/paths.ts'
import type { Kernel } from '../kernel/ctx.ts'
import type { Cpu, IrqLine, Napi, NapiDevice } from '../kernel/types.ts'
import { ActorKind } from '../types.ts'
import type { Stage } from './stage.ts'
import type { Vhost } from './vhost.ts'
import type { VirtioRing } from './virtioRing.ts'

export class VirtioNetRx implements NapiDevice {
  readonly napi: Napi
  private readonly line: IrqLine
  private readonly batch = new PacketBatch(64)
  private readonly copied: number

  constructor(
    private readonly guest: Kernel,
    private readonly ring: VirtioRing,
    private readonly vhost: Vhost,
    private readonly next: Stage,
    frame: number,
    /** guest CPU the MSI-X vector is routed to (4.7: one queue pair, no affinity hint) */
    readonly irqCpu: number,
    makeNapi: (dev: NapiDevice) => Napi,
    queue = 0,
    private readonly paths?: PathRecorder,
  ) {
    this.copied = Math.min(frame + VIRTIO_NET_HDR, VIRTIO_GOOD_COPY_LEN)
    this.napi = makeNapi(this)
    const actor = guest.newActor({ name: `guest irq (virtio0-input.${queue})`, kind: ActorKind.irq, guest: true })
    // skb_recv_done: virtqueue_disable_cb + napi_schedule
    this.line = { actor, costNs: guest.costs.guestIrqNs, handle: (cpu, now) => guest.napi.schedule(this.napi, cpu, now, actor) }
    vhost.signalGuest = (_cpu, _actor, now) => this.interrupt(now)
  }

  get inPoll(): number {
    return this.batch.n
  }

  /** vhost_signal → irqfd: the interrupt reaches the guest CPU (posted if it runs, a wakeup if halted) */
  private interrupt(now: number): void {
    this.ring.cbEnabled = false
    this.guest.exec.raiseIrq(this.guest.cpus[this.irqCpu]!, this.line, now)
  }

  take(budget: number): number {
    const used = this.ring.used
    return this.batch.fill(used, Math.min(budget, used.length))
  }

  pollCostNs(k: number): number {
    const c = this.guest.costs
    return c.guestPollNs + k * (c.guestRxPerPktNs + c.copyNsPerByte * this.copied)
  }

  deliver(cpu: Cpu, actor: number, now: number): void {
    this.ring.consumed += this.batch.n
    const ids = this.batch.id
    for (let i = 0; i < this.batch.n; i++) if (ids[i]! >= 0) this.paths?.hop(ids[i]!, 'guest rx poll', now, cpu.id, actor, true)
    this.next.deliver(this.batch, cpu, actor, now)
    this.batch.n = 0
    // try_fill_recv once more than half the ring is free; kick vhost only if it asked for it
    const ring = this.ring
    if (ring.consumed > ring.size / 2) {
      ring.avail += ring.consumed
      ring.consumed = 0
      if (ring.vhostWantsKick) {
        // the kick is an ioeventfd write: a VM exit on this vCPU
        cpu.vcpu?.chargeExit(this.guest.costs.vmExitNs)
        this.vhost.kick(cpu.vcpu ? cpu.vcpu.hostCpu() : -1, actor, now)
      }
    }
  }

  complete(cpu: Cpu, now: number): void {
    // virtqueue_enable_cb_prepare, then virtqueue_poll: more used buffers → schedule again
    if (this.ring.used.length > 0) this.guest.napi.schedule(this.napi, cpu, now, this.line.actor)
    else this.ring.cbEnabled = true
  }
}
