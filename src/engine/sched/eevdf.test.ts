// EEVDF on hand-built run queues (MODERN-KERNELS.md §6): eligibility and earliest deadline, lag kept
// across sleep, run to parity, slice-driven tick preemption.
import { describe, expect, it } from 'vitest'
import { COSTS } from '../costs.ts'
import { EventLoop } from '../core/eventLoop.ts'
import { EventRecorder, SliceRecorder } from '../core/recorder.ts'
import { Kernel } from '../kernel/kernel.ts'
import { Topology } from '../kernel/topology.ts'
import { RUNNING, type Task } from '../kernel/types.ts'
import { ActorKind, SliceKind, type Actor } from '../types.ts'
import type { Eevdf } from './eevdf.ts'
import { eevdfParts } from './index.ts'

function kernel(cpus: number): Kernel {
  const actors: Actor[] = []
  return new Kernel(
    { role: 'host', era: 'v6.6+', hz: 1000, irqTimeAccounting: true, stealLowersCapacity: false, rtRuntimeNs: 950e6, rtPeriodNs: 1e9, netdevBudget: 300, netdevBudgetUsecs: 2000 },
    COSTS, new Topology({ cpus, sockets: 1, threadsPerCore: 1 }), new EventLoop(), new SliceRecorder(cpus, 0), new EventRecorder(1000), actors, eevdfParts(),
  )
}
function task(k: Kernel, name: string, vruntime: number, deadline: number): Task {
  const t = k.newTask(name, ActorKind.app, SliceKind.app, false, 0, null, 0)
  t.vruntime = vruntime
  t.deadline = deadline
  return t
}

describe('EEVDF (v6.6+)', () => {
  it('the base slice is 0.70 ms × (1 + log2 ncpus): 1.4 ms on 2 CPUs, 2.8 ms on 8 or more', () => {
    expect((kernel(2).sched as Eevdf).sliceNs).toBe(1.4e6)
    expect((kernel(16).sched as Eevdf).sliceNs).toBeCloseTo(2.8e6, 6)
  })
  it('picks the eligible task (vruntime ≤ average) with the earliest deadline, not the smallest vruntime', () => {
    const k = kernel(2)
    const cpu = k.cpus[0]!
    const a = task(k, 'a', 0, 5e6) // eligible, late deadline
    const b = task(k, 'b', 1e6, 2e6) // eligible, earliest deadline
    const c = task(k, 'c', 5e6, 1e6) // earliest deadline but not eligible (average is 2 ms)
    cpu.rq.push(a, b, c)
    for (const t of [a, b, c]) t.state = 1
    expect(k.sched.pickNext(cpu, 0)).toBe(b)
  })
  it('PLACE_LAG: a task that slept keeps its lag (no half-latency sleeper bonus)', () => {
    const k = kernel(2)
    const cpu = k.cpus[0]!
    const other = task(k, 'other', 10e6, 11e6)
    other.state = RUNNING
    cpu.curr = other
    const s = task(k, 'sleeper', 9e6, 10e6)
    k.sched.sleep!(cpu, s) // average 10 ms (the running task alone) → lag +1 ms
    other.vruntime = 50e6
    k.sched.enqueue(cpu, s, 0, true)
    expect(s.vruntime).toBe(50e6 - 1e6)
    expect(s.deadline).toBe(s.vruntime + 1.4e6)
  })
  it('RUN_TO_PARITY: a woken task does not preempt the running one inside its slice; it may once the slice is used up', () => {
    const k = kernel(2)
    const cpu = k.cpus[0]!
    const curr = task(k, 'curr', 0, 1.4e6)
    curr.state = 1
    cpu.rq.push(curr)
    expect(k.sched.pickNext(cpu, 0)).toBe(curr)
    curr.vruntime = 1e6
    const woken = task(k, 'woken', 0, 0.5e6)
    expect(k.sched.wakeupPreempt(cpu, woken, 0)).toBe(false)
    // the slice is used up at the tick: a new deadline, and the woken task wins the next pick
    curr.vruntime = 1.5e6
    cpu.rq.push(woken)
    woken.state = 1
    expect(k.sched.tick(cpu, 0)).toBe(true)
    expect(curr.deadline).toBe(1.5e6 + 1.4e6)
    expect(k.sched.pickNext(cpu, 0)).toBe(woken)
  })
})
