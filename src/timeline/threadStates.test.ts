import { describe, expect, it } from 'vitest'
import { ActorKind, EndReason, SliceKind, type Actor, type SliceColumns } from '../engine/types.ts'
import { buildIndex } from './model.ts'
import { holderName, stateTotals, ThreadState, threadStatesFor, waitReport, type StateInput } from './threadStates.ts'

type Row = [start: number, end: number, cpu: number, kind: number, actor: number, reason: number]
const actors: Actor[] = [
  { id: 0, name: 'CPU 1/KVM', kind: ActorKind.vcpu },
  { id: 1, name: 'ksoftirqd/0', kind: ActorKind.ksoftirqd },
  { id: 2, name: 'eth0-TxRx-0', kind: ActorKind.irq },
  { id: 3, name: 'irq/45-eth0', kind: ActorKind.irqThread },
]
function input(rows: Row[], wakeups: [t: number, from: number, to: number, waker: number, wakee: number][] = [], durationNs = 1000): StateInput & { cpus: number } {
  const n = rows.length
  const s: SliceColumns = {
    count: n,
    start: Float64Array.from(rows, (r) => r[0]), end: Float64Array.from(rows, (r) => r[1]),
    cpu: Uint16Array.from(rows, (r) => r[2]), kind: Uint8Array.from(rows, (r) => r[3]),
    actor: Uint32Array.from(rows, (r) => r[4]), packets: new Uint32Array(n), reason: Uint8Array.from(rows, (r) => r[5]),
  }
  const z16 = new Uint16Array(0)
  return {
    cpus: 2, durationNs, actors, slices: s,
    events: {
      wakeups: { count: wakeups.length, t: Float64Array.from(wakeups, (w) => w[0]), fromCpu: Uint16Array.from(wakeups, (w) => w[1]), toCpu: Uint16Array.from(wakeups, (w) => w[2]), waker: Uint32Array.from(wakeups, (w) => w[3]), wakee: Uint32Array.from(wakeups, (w) => w[4]) },
      migrations: { count: 0, t: new Float64Array(0), fromCpu: z16, toCpu: z16, actor: new Uint32Array(0) },
      modeSwitches: [],
    },
  }
}
const spansOf = (inp: ReturnType<typeof input>, actor: number) => {
  const ix = buildIndex(inp)
  const sp = threadStatesFor(inp, ix).byActor.get(actor)!
  return { ix, sp, list: Array.from({ length: sp.count }, (_, j) => [sp.start[j], sp.end[j], sp.state[j], sp.cpu[j]]) }
}

describe('thread states', () => {
  it('preempted by a hard IRQ and softirq: interrupted while they hold its CPU, then runnable until it runs again', () => {
    const inp = input([
      [0, 100, 0, SliceKind.vcpu, 0, EndReason.preempted],
      [100, 110, 0, SliceKind.hardirq, 2, EndReason.done],
      [110, 300, 0, SliceKind.softirq, 1, EndReason.needResched],
      [300, 400, 0, SliceKind.ksoftirqd, 1, EndReason.sleep],
      [400, 500, 0, SliceKind.vcpu, 0, EndReason.sleep],
    ], [[290, 0, 0, 1, 1]])
    const { list, sp, ix } = spansOf(inp, 0)
    expect(list).toEqual([
      [0, 100, ThreadState.running, 0], [100, 300, ThreadState.interrupted, 0], [300, 400, ThreadState.runnable, 0],
      [400, 500, ThreadState.running, 0], [500, 1000, ThreadState.sleeping, 0],
    ])
    const tot = stateTotals(sp, 0, 1000)
    expect(Array.from(tot)).toEqual([200, 100, 200, 500])
    // who held CPU 0 while it waited: ksoftirqd/0 (softirq attributed to it + its own run), then the IRQ line
    const w = waitReport(sp, inp.slices, ix, 0, 1000)
    expect(w).toMatchObject({ runnableNs: 100, interruptedNs: 200, cpu: 0 })
    expect(w.heldBy).toEqual([[1, 290, 190], [2, 10, 10]])
    expect(holderName(actors, w.heldBy[0]!)).toBe('softirq (booked to ksoftirqd/0)')
    // clipped to a range
    expect(waitReport(sp, inp.slices, ix, 350, 1000).runnableNs).toBe(50)
  })

  it('asleep until its wakeup, then runnable on the CPU it was placed on; softirq slices of ksoftirqd are not ksoftirqd running', () => {
    const inp = input([
      [0, 50, 1, SliceKind.softirq, 1, EndReason.done],
      [100, 150, 1, SliceKind.irqThread, 3, EndReason.budget],
      [150, 400, 1, SliceKind.ksoftirqd, 1, EndReason.sleep],
      [400, 450, 1, SliceKind.irqThread, 3, EndReason.sleep],
    ], [[120, 1, 1, 1, 1], [180, 1, 1, 2, 3]])
    const k = spansOf(inp, 1)
    // ksoftirqd: asleep (its softirq-kind slice is interrupt context borrowed by someone else), woken at 120
    expect(k.list).toEqual([[0, 120, ThreadState.sleeping, 0], [120, 150, ThreadState.runnable, 1], [150, 400, ThreadState.running, 1], [400, 1000, ThreadState.sleeping, 1]])
    const t = spansOf(inp, 3)
    // the IRQ thread ended on its budget: runnable until it runs again (its wakeup at 180 changes nothing: it was not asleep)
    expect(t.list).toEqual([[0, 100, ThreadState.sleeping, 0], [100, 150, ThreadState.running, 1], [150, 400, ThreadState.runnable, 1], [400, 450, ThreadState.running, 1], [450, 1000, ThreadState.sleeping, 1]])
    const w = waitReport(t.sp, inp.slices, t.ix, 0, 1000)
    expect(w.runnableNs).toBe(250)
    expect(w.heldBy).toEqual([[1, 250, 0]])
    expect(holderName(actors, w.heldBy[0]!)).toBe('ksoftirqd/0')
    // hard IRQ lines have no thread state
    expect(threadStatesFor(inp, t.ix).byActor.has(2)).toBe(false)
  })
})

describe('slice details', () => {
  it('names the waker and its slice, the wait, who took the CPU, whom it woke', async () => {
    const { sliceDetails } = await import('./sliceDetails.ts')
    const inp = input([
      [0, 100, 0, SliceKind.vcpu, 0, EndReason.preempted],
      [100, 110, 0, SliceKind.hardirq, 2, EndReason.done],
      [110, 300, 1, SliceKind.irqThread, 3, EndReason.sleep],
      [300, 400, 0, SliceKind.irqThread, 3, EndReason.sleep],
      [400, 500, 0, SliceKind.vcpu, 0, EndReason.sleep],
    ], [[110, 0, 1, 2, 3], [290, 1, 0, 3, 3], [310, 0, 0, 3, 0]])
    const ix = buildIndex(inp)
    // the IRQ thread's first run: woken by the IRQ line at 110 straight onto idle CPU 1 (no wait)
    const first = sliceDetails(inp, ix, 2)
    expect(first.wokenBy).toMatchObject({ waker: 2, wakerSlice: 1, fromCpu: 0, toCpu: 1, wakeeSlice: 2 })
    expect(first.waitedNs).toBe(0)
    // the vCPU thread: cut by the hard IRQ (next on its CPU), then waited 100 ns interrupted + 200 runnable
    const v = sliceDetails(inp, ix, 0)
    expect(v.endReason).toBe('preempted')
    expect(v.next).toMatchObject({ slice: 1, actor: 2, kind: 'hardirq' })
    const v2 = sliceDetails(inp, ix, 4)
    expect(v2).toMatchObject({ waitedNs: 300, runnableNs: 290, interruptedNs: 10 })
    // the IRQ thread's second slice woke the vCPU thread, whose next slice is at 400
    const t2 = sliceDetails(inp, ix, 3)
    expect(t2.woke).toHaveLength(1)
    expect(t2.woke[0]).toMatchObject({ wakee: 0, wakerSlice: 3, wakeeSlice: 4 })
    // hard IRQ slices are interrupt context: no wait
    expect(sliceDetails(inp, ix, 1).waitedNs).toBeNull()
  })
})

describe('state band columns', () => {
  it('splits spans over pixel columns and draws the largest non-sleeping state', async () => {
    const { stateColumns, columnState } = await import('./stateTrack.ts')
    const inp = input([
      [0, 100, 0, SliceKind.vcpu, 0, EndReason.preempted],
      [100, 110, 0, SliceKind.hardirq, 2, EndReason.done],
      [400, 500, 0, SliceKind.vcpu, 0, EndReason.sleep],
    ])
    const { sp } = spansOf(inp, 0)
    const acc = stateColumns(sp, 0, 1000, 4) // 250 ns per column
    expect(Array.from(acc.slice(0, 4))).toEqual([100, 140, 10, 0])
    expect(Array.from(acc.slice(4, 8))).toEqual([100, 150, 0, 0])
    expect(Array.from(acc.slice(8, 12))).toEqual([0, 0, 0, 250])
    expect(columnState(acc, 0)).toBe(ThreadState.runnable)
    expect(columnState(acc, 1)).toBe(ThreadState.runnable)
    expect(columnState(acc, 2)).toBe(-1) // asleep throughout
    // every ns of the window is in exactly one state
    expect(acc.reduce((a, b) => a + b, 0)).toBe(1000)
  })
})
