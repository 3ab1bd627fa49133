// Sampled per-packet paths (like perf's netdev-times): one packet in `every` is followed through
// the stages it passes — host rx poll, tun, vhost, guest rx, socket, the application's read — with
// the time, the CPU lane and the actor of each hop, or the place it was dropped.
import type { PacketPaths } from '../types.ts'

export class PathRecorder {
  private readonly packets: PacketPaths['packets'] = []

  constructor(readonly every: number, private readonly max: number) {}

  /** whether the seq-th packet is followed (a cheap test before start(): most packets are not) */
  sampled(seq: number): boolean {
    return this.every > 0 && seq % this.every === 0 && this.packets.length < this.max
  }

  /** a packet reaches the NIC: its sample id, or -1 when it is not followed */
  start(seq: number, flow: number, queue: number, t: number): number {
    if (!this.sampled(seq)) return -1
    this.packets.push({ flow, queue, wireNs: t, hops: [], fate: 'in flight' })
    return this.packets.length - 1
  }

  hop(id: number, stage: string, t: number, cpu: number, actor: number, guest: boolean): void {
    if (id < 0) return
    this.packets[id]!.hops.push({ stage, tNs: t, cpu, actor, guest })
  }

  drop(id: number, place: string, t: number): void {
    if (id < 0) return
    const p = this.packets[id]!
    p.fate = `dropped: ${place}`
    p.hops.push({ stage: `dropped (${place})`, tNs: t, cpu: -1, actor: -1, guest: false })
  }

  /** the application read it: the last hop */
  read(id: number, t: number, cpu: number, actor: number, guest: boolean): void {
    if (id < 0) return
    this.hop(id, 'read by the application', t, cpu, actor, guest)
    this.packets[id]!.fate = 'read'
  }

  result(): PacketPaths {
    return { every: this.every, packets: this.packets }
  }
}
