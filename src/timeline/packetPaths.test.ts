import { describe, expect, it } from 'vitest'
import type { PacketPaths } from '../engine/types.ts'
import { breakdown, endNs, filterPackets, packetsInSlice, pathWindow, percentile, sampleKeys, segments, type SampledPacket } from './packetPaths.ts'

const hop = (stage: string, tNs: number, cpu: number, guest = false, actor = 1) => ({ stage, tNs, cpu, actor, guest })

/** A packet through the guest path: NIC ring a, tun b, virtio ring c, socket d (ns). */
function guestPacket(wire: number, a: number, b: number, c: number, d: number, flow = 0): SampledPacket {
  const t1 = wire + a, t2 = t1 + b, t3 = t2 + c, t4 = t3 + d
  return {
    flow, queue: flow, wireNs: wire, fate: 'read',
    hops: [hop('host rx poll', t1, 3), hop('vhost copy', t2, 5), hop('guest rx poll', t3, 0, true), hop('read by the application', t4, 1, true, 7)],
  }
}
const drop = (wire: number, place: string, after: number, flow = 1): SampledPacket => ({
  flow, queue: flow, wireNs: wire, fate: `dropped: ${place}`,
  hops: place === 'nic ring' ? [hop('dropped (nic ring)', wire, -1)] : [hop('host rx poll', wire + after, 2), hop(`dropped (${place})`, wire + after, -1)],
})
const inFlight = (wire: number): SampledPacket => ({ flow: 2, queue: 2, wireNs: wire, fate: 'in flight', hops: [hop('host rx poll', wire + 500, 4)] })

describe('segments', () => {
  it('names the queue before each hop and its time, in path order (netdev-times)', () => {
    const s = segments(guestPacket(1000, 12_000, 40_000, 8_000, 300_000))
    expect(s.map((x) => x.queue)).toEqual(['NIC ring', 'tun queue', 'virtio ring', 'socket'])
    expect(s.map((x) => x.durNs)).toEqual([12_000, 40_000, 8_000, 300_000])
    expect(s.map((x) => x.to.stage)).toEqual(['host rx poll', 'vhost copy', 'guest rx poll', 'read by the application'])
    expect(s[0]!.fromNs).toBe(1000)
    expect(s.every((x) => !x.dropped)).toBe(true)
  })
  it('a local receiver: host rx poll → socket → read', () => {
    const p: SampledPacket = { flow: 0, queue: 0, wireNs: 0, fate: 'read', hops: [hop('host rx poll', 100, 0), hop('read by the application', 900, 1)] }
    expect(segments(p).map((x) => [x.queue, x.durNs])).toEqual([['NIC ring', 100], ['socket', 800]])
  })
  it('a drop ends in the queue that was full', () => {
    expect(segments(drop(0, 'tun queue', 50)).map((x) => [x.queue, x.dropped])).toEqual([['NIC ring', false], ['tun queue', true]])
    expect(segments(drop(0, 'nic ring', 0)).map((x) => [x.queue, x.dropped])).toEqual([['NIC ring', true]])
  })
})

describe('percentile (nearest rank)', () => {
  it('on 1..100', () => {
    const v = Float64Array.from({ length: 100 }, (_, i) => i + 1)
    expect(percentile(v, 50)).toBe(50)
    expect(percentile(v, 99)).toBe(99)
    expect(percentile(v, 100)).toBe(100)
    expect(percentile([7], 99)).toBe(7)
    expect(percentile([], 50)).toBeNaN()
  })
})

describe('breakdown', () => {
  // 100 read packets: NIC ring 1..100 µs, tun 10 µs, virtio 2 µs, socket 100 µs + i
  const packets: SampledPacket[] = Array.from({ length: 100 }, (_, i) => guestPacket(i * 1e6, (i + 1) * 1e3, 10e3, 2e3, 100e3 + i))
  packets.push(drop(5e6, 'tun queue', 3e3), drop(6e6, 'tun queue', 4e3), drop(7e6, 'nic ring', 0), inFlight(99e6))
  const paths: PacketPaths = { every: 10, packets }

  it('median and p99 per queue, in path order, drops not counted as residence', () => {
    const b = breakdown(paths)
    expect(b.packets).toBe(104)
    expect(b.queues.map((q) => q.queue)).toEqual(['NIC ring', 'tun queue', 'virtio ring', 'socket'])
    const nic = b.queues[0]!
    // 100 read + 2 tun drops (3 µs, 4 µs) + the in-flight one (0.5 µs) passed the NIC ring; the nic-ring drop did not
    expect(nic.count).toBe(103)
    // sorted: 0.5, 1, 2, 3, 3, 4, 4, 5, 6 … µs: the 52nd of 103 is 49 µs
    expect(nic.p50Ns).toBe(49e3)
    expect(b.queues[1]).toEqual({ queue: 'tun queue', count: 100, p50Ns: 10e3, p99Ns: 10e3 })
    expect(b.queues[3]!.p50Ns).toBe(100e3 + 49)
    expect(b.queues[3]!.p99Ns).toBe(100e3 + 98)
    expect(b.total.count).toBe(100)
    // total = i+1 µs + 112 µs + i ns
    expect(b.total.p50Ns).toBe(50e3 + 112e3 + 49)
  })
  it('fate counts: read first, drops by count, in flight last', () => {
    expect(breakdown(paths).fates).toEqual([['read', 100], ['dropped: tun queue', 2], ['dropped: nic ring', 1], ['in flight', 1]])
  })
  it('counts only packets whose story ended after the warm-up (like summary.latency)', () => {
    const b = breakdown(paths, 50e6, 100e6)
    // read packets i ≥ 50 end at ≥ 50 ms; the drops at 5–7 ms do not count; in flight ends at the run's end
    expect(b.total.count).toBe(50)
    expect(b.fates).toEqual([['read', 50], ['in flight', 1]])
    expect(b.packets).toBe(51)
  })
  it('an empty sample: NaN percentiles, no fates', () => {
    const b = breakdown({ every: 1, packets: [] })
    expect(b.total.count).toBe(0)
    expect(b.total.p50Ns).toBeNaN()
    expect(b.fates).toEqual([])
  })
})

describe('filters and lookups', () => {
  const paths: PacketPaths = { every: 1, packets: [guestPacket(0, 1e3, 1e3, 1e3, 1e3, 0), drop(10e3, 'tun queue', 2e3, 1), guestPacket(20e3, 1e3, 1e3, 1e3, 1e3, 1), inFlight(30e3)] }
  it('by flow and fate; "dropped" matches every place', () => {
    expect(filterPackets(paths, {})).toEqual([0, 1, 2, 3])
    expect(filterPackets(paths, { flow: 1 })).toEqual([1, 2])
    expect(filterPackets(paths, { fate: 'read' })).toEqual([0, 2])
    expect(filterPackets(paths, { fate: 'dropped' })).toEqual([1])
    expect(filterPackets(paths, { flow: 1, fate: 'read' })).toEqual([2])
    expect(sampleKeys(paths)).toEqual({ flows: [0, 1, 2], fates: ['dropped: tun queue', 'in flight', 'read'] })
  })
  it('the packets a slice carried: a hop on its lane (host or guest) inside it', () => {
    // packet 0 leaves host rx poll on CPU 3 at 1 µs; packet 2 at 21 µs
    expect(packetsInSlice(paths, 3, false, 0, 1e3)).toEqual([{ packet: 0, hop: 0 }])
    expect(packetsInSlice(paths, 3, false, 0, 30e3)).toEqual([{ packet: 0, hop: 0 }, { packet: 2, hop: 0 }])
    // vCPU 0 ≠ CPU 0
    expect(packetsInSlice(paths, 0, true, 0, 4e3)).toEqual([{ packet: 0, hop: 2 }])
    expect(packetsInSlice(paths, 0, false, 0, 4e3)).toEqual([])
    expect(packetsInSlice(paths, 1, true, 0, 4e3, 99)).toEqual([])
  })
  it('the window around a path', () => {
    const p = paths.packets[0]!
    expect(endNs(p, 1e9)).toBe(4e3)
    expect(endNs(paths.packets[3]!, 1e9)).toBe(1e9)
    const w = pathWindow(p, 1e9)
    expect(w.startNs).toBe(0)
    expect(w.endNs).toBeGreaterThan(4e3)
  })
})
