// Interrupt moderation against its drivers' rules: ixgbe's minimum interval, mlx5's CQE-mode timer
// that restarts at every completion, and net_dim's walk through the profiles (lib/dim/net_dim.c).
import { describe, expect, it } from 'vitest'
import { DIM_RX_CQE_PROFILES, IxgbeItr, Mlx5Dim, type ModeratedQueue } from './moderation.ts'

const US = 1000
function queue(arrivalsUs: number[], over: Partial<ModeratedQueue> = {}): ModeratedQueue {
  return { ringLength: 0, arrivalAfter: (k) => (arrivalsUs[k] ?? Infinity) * US, lastIrqNs: -1e12, irqCount: 0, polledPackets: 0, polledBytes: 0, ...over }
}

describe('interrupt moderation', () => {
  it('ixgbe: no interrupt sooner than the interval after the last one', () => {
    const m = new IxgbeItr(50 * US)
    expect(m.fireAt(queue([10]), 0)).toBe(10 * US)
    expect(m.fireAt(queue([10], { lastIrqNs: 0 }), 0)).toBe(50 * US)
  })
  it('mlx5 CQE mode: the timer restarts at each packet, so it fires `usec` after a burst ends, or at the pkts-th packet', () => {
    const m = new Mlx5Dim(32) // fixed rx-usecs 32, 32 frames
    expect(m.fireAt(queue([0, 10, 20, 100]), 0)).toBe(52 * US)
    const burst = Array.from({ length: 40 }, (_, i) => i * 5)
    // 32 packets 5 µs apart: the frame count ends it at the 32nd
    expect(m.fireAt(queue(burst), 0)).toBe(31 * 5 * US)
    expect(m.fireAt(queue([]), 0)).toBe(Infinity)
  })
  it('net_dim: while fewer interrupts carry the same bytes and packets it steps right, then parks at the edge', () => {
    const m = new Mlx5Dim(0)
    let pkts = 0
    let t = 0
    // a steady load: the same packets per ms whatever the profile; each step right cuts the interrupt rate by 30 %
    for (let events = 1; events <= 2000; events++) {
      const gap = (1_000_000 / 64) * (1 + 0.3 * m.profileIx)
      t += gap
      pkts += gap * 0.05
      m.completed(queue([], { irqCount: events, polledPackets: Math.round(pkts), polledBytes: Math.round(pkts * 100) }), 0, Math.round(t))
    }
    expect(m.profileIx).toBe(DIM_RX_CQE_PROFILES.length - 1)
    expect([m.usec, m.pkts]).toEqual([...DIM_RX_CQE_PROFILES[DIM_RX_CQE_PROFILES.length - 1]!])
  })
})
