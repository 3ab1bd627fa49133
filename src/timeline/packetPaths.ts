// Per-packet paths (issue 12 item 4), DOM-free: the engine's sampled packets (`trace.paths`) as
// segments "in <queue> for X" between hops, like perf's netdev-times (a packet's time from the NIC
// ring to the socket read) and Perfetto's flow events; the per-queue latency breakdown over the
// sample (median, p99) and the fate counts; filters and the packets a slice carried.
//
// A hop's time is when the packet LEFT that stage (the end of the chunk that processed it), so the
// segment before a hop is the time in the queue in front of the stage plus the stage's own work:
// wire → 'host rx poll' = NIC ring (+ the poll), 'host rx poll' → 'vhost copy' = tun queue (+ the
// copy), 'vhost copy' → 'guest rx poll' = virtio ring, → 'read by the application' = the socket.
import type { PacketPaths } from '../engine/types.ts'
import { sortedCopy } from './format.ts'

export type SampledPacket = PacketPaths['packets'][number]
export type Hop = SampledPacket['hops'][number]

/** The queues of the path, in path order (the breakdown's rows). */
export const QUEUES = ['NIC ring', 'tun queue', 'virtio ring', 'socket'] as const
export type QueueName = (typeof QUEUES)[number]

export const READ_STAGE = 'read by the application'
export const isDrop = (h: Hop): boolean => h.stage.startsWith('dropped (')

/** The queue a packet waits in after `stage` (undefined: after the wire), given the next hop. */
function queueAfter(stage: string | undefined, next: Hop): QueueName {
  switch (stage) {
    case undefined: return 'NIC ring'
    case 'vhost copy': return 'virtio ring'
    case 'guest rx poll': return 'socket'
    case 'host rx poll':
      // the guest path goes through tun; a local receiver's through the host socket
      return next.stage === 'vhost copy' || next.stage === 'dropped (tun queue)' ? 'tun queue' : 'socket'
    default: return 'socket'
  }
}

export interface PathSegment {
  queue: QueueName
  fromNs: number
  toNs: number
  durNs: number
  /** the hop that ends it (a drop: the packet never left this queue) */
  to: Hop
  dropped: boolean
}

/** The packet's time between hops: wire → first hop, then hop → hop. */
export function segments(p: SampledPacket): PathSegment[] {
  const out: PathSegment[] = []
  let prev: Hop | undefined
  let t = p.wireNs
  for (const h of p.hops) {
    out.push({ queue: queueAfter(prev?.stage, h), fromNs: t, toNs: h.tNs, durNs: Math.max(0, h.tNs - t), to: h, dropped: isDrop(h) })
    prev = h
    t = h.tNs
  }
  return out
}

/** When the packet's story ends: its last hop, or the run's end while in flight. */
export function endNs(p: SampledPacket, runEndNs: number): number {
  return p.fate === 'in flight' ? runEndNs : (p.hops.at(-1)?.tNs ?? p.wireNs)
}

/** Nearest-rank percentile (0 < q ≤ 100) of ascending values; NaN when empty. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length
  if (n === 0) return Number.NaN
  return sorted[Math.min(n - 1, Math.max(0, Math.ceil((q / 100) * n) - 1))]!
}

export interface QueueStat { queue: string; count: number; p50Ns: number; p99Ns: number }

export interface Breakdown {
  /** sampled packets counted (ended at or after `fromNs`) */
  packets: number
  /** every queue of QUEUES, in order; count 0 where no sampled packet passed it */
  queues: QueueStat[]
  /** wire → read for the packets read (the engine's summary.latency over all packets, sampled) */
  total: QueueStat
  /** fate → count, in order: read, drops by place (by count), in flight */
  fates: [string, number][]
}

// oxlint-disable-next-line unicorn/no-array-sort -- a fresh typed array, sorted numerically
const sortNumbers = (a: number[]): Float64Array => Float64Array.from(a).sort()
function stat(queue: string, v: number[]): QueueStat {
  const s = sortNumbers(v)
  return { queue, count: s.length, p50Ns: percentile(s, 50), p99Ns: percentile(s, 99) }
}
const rank = (f: string) => (f === 'read' ? 0 : f === 'in flight' ? 2 : 1)

/**
 * Time in each queue over the sampled packets whose story ended at or after `fromNs` (the warm-up,
 * as summary.latency counts reads after it). A segment that ends in a drop is not a residence time
 * (the queue was full on arrival): it counts in the fates only.
 */
export function breakdown(paths: PacketPaths, fromNs = 0, runEndNs = Infinity): Breakdown {
  const per = new Map<QueueName, number[]>(QUEUES.map((q) => [q, []]))
  const total: number[] = []
  const fates = new Map<string, number>()
  let packets = 0
  for (const p of paths.packets) {
    if (endNs(p, runEndNs) < fromNs) continue
    packets++
    fates.set(p.fate, (fates.get(p.fate) ?? 0) + 1)
    for (const s of segments(p)) if (!s.dropped) per.get(s.queue)!.push(s.durNs)
    const last = p.hops.at(-1)
    if (p.fate === 'read' && last) total.push(last.tNs - p.wireNs)
  }
  const fateList = sortedCopy([...fates.entries()], (a, b) => rank(a[0]) - rank(b[0]) || b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  return { packets, queues: QUEUES.map((q) => stat(q, per.get(q)!)), total: stat('wire → read', total), fates: fateList }
}

export interface PacketFilter { flow?: number | undefined; fate?: string | undefined }

/** Indices of the sampled packets matching the filter (fate 'dropped' matches every drop place). */
export function filterPackets(paths: PacketPaths, f: PacketFilter): number[] {
  const out: number[] = []
  paths.packets.forEach((p, i) => {
    if (f.flow !== undefined && p.flow !== f.flow) return
    if (f.fate !== undefined && !(p.fate === f.fate || (f.fate === 'dropped' && p.fate.startsWith('dropped')))) return
    out.push(i)
  })
  return out
}

/** Sorted distinct flows and fates of the sample (for the filter menus). */
export function sampleKeys(paths: PacketPaths): { flows: number[]; fates: string[] } {
  const flows = new Set<number>()
  const fates = new Set<string>()
  for (const p of paths.packets) { flows.add(p.flow); fates.add(p.fate) }
  return { flows: sortedCopy([...flows], (a, b) => a - b), fates: sortedCopy([...fates], (a, b) => (a < b ? -1 : a > b ? 1 : 0)) }
}

/**
 * Sampled packets a slice carried: a hop on that CPU lane (host CPU, or guest vCPU when `guest`)
 * that left its stage during [start, end] (a hop is stamped at the end of its chunk).
 */
export function packetsInSlice(paths: PacketPaths, cpu: number, guest: boolean, startNs: number, endNs_: number, actor?: number): { packet: number; hop: number }[] {
  const out: { packet: number; hop: number }[] = []
  paths.packets.forEach((p, i) => {
    p.hops.forEach((h, k) => {
      if (h.cpu === cpu && h.guest === guest && h.tNs >= startNs && h.tNs <= endNs_ && (actor === undefined || h.actor === actor)) out.push({ packet: i, hop: k })
    })
  })
  return out
}

/** "CPU 3" / "vCPU 0": the lane a hop ran on. */
export const hopLane = (h: Hop): string => (h.cpu < 0 ? '' : h.guest ? `vCPU ${h.cpu}` : `CPU ${h.cpu}`)

/** The window that shows the whole path, with a margin on each side. */
export function pathWindow(p: SampledPacket, runEndNs: number): { startNs: number; endNs: number } {
  const t1 = endNs(p, runEndNs)
  const pad = Math.max((t1 - p.wireNs) * 0.15, 2_000)
  return { startNs: Math.max(0, p.wireNs - pad), endNs: Math.min(runEndNs, t1 + pad) }
}
