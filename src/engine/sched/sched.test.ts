// The scheduler alone, on hand-built run queues: CFS-2016 picking and preemption, 4.7 placement
// (wake_affine, select_idle_sibling over a topology), balancing, the topology's domains.
import { describe, expect, it } from 'vitest'
import { COSTS } from '../costs.ts'
import { EventLoop } from '../core/eventLoop.ts'
import { EventRecorder, SliceRecorder } from '../core/recorder.ts'
import { addRtAvg } from '../kernel/capacity.ts'
import { Kernel } from '../kernel/kernel.ts'
import { RUNNING, type Task } from '../kernel/types.ts'
import { ActorKind, SliceKind, type Actor } from '../types.ts'
import { cfs2016Parts } from './index.ts'
import { Topology } from '../kernel/topology.ts'

function kernel(cpus: number, sockets = 1, threadsPerCore = 1): Kernel {
  const actors: Actor[] = []
  return new Kernel(
    { role: 'host', era: 'v4.7', hz: 1000, irqTimeAccounting: true, stealLowersCapacity: false, rtRuntimeNs: 950e6, rtPeriodNs: 1e9, netdevBudget: 300, netdevBudgetUsecs: 2000 },
    COSTS, new Topology({ cpus, sockets, threadsPerCore }), new EventLoop(), new SliceRecorder(cpus, 0), new EventRecorder(1000), actors, cfs2016Parts(),
  )
}

/** a task placed by hand: running on `cpu` (curr) or waiting in its run queue */
function put(k: Kernel, name: string, cpu: number, running: boolean, vruntime = 0, fifo = false): Task {
  const t = k.newTask(name, ActorKind.app, SliceKind.app, fifo, fifo ? 50 : 0, null, cpu)
  t.vruntime = vruntime
  const c = k.cpus[cpu]!
  if (running) {
    t.state = RUNNING
    c.curr = t
  } else {
    t.state = 1
    c.rq.push(t)
  }
  return t
}

describe('topology (sockets × cores × SMT threads)', () => {
  it('numbers CPUs like Linux on Intel: first threads of all cores, then their siblings; one LLC per socket', () => {
    const t = new Topology({ cpus: 16, sockets: 2, threadsPerCore: 2 })
    expect(t.cores[0]).toEqual([0, 8])
    expect(t.llc[0]).toEqual([0, 1, 2, 3, 8, 9, 10, 11])
    expect(t.shareCache(0, 11)).toBe(true)
    expect(t.shareCache(0, 4)).toBe(false)
    expect(t.domains(0).map((d) => d.level)).toEqual(['SMT', 'MC', 'NUMA'])
    expect(t.domains(0)[1]!.groups).toEqual([[0, 8], [1, 9], [2, 10], [3, 11]])
  })
  it('splits uneven core counts over sockets and ignores sockets beyond the cores', () => {
    const t = new Topology({ cpus: 3, sockets: 2, threadsPerCore: 1 })
    expect(t.llc.flat().toSorted()).toEqual([0, 1, 2])
    expect(new Topology({ cpus: 1, sockets: 2, threadsPerCore: 1 }).llc).toEqual([[0]])
  })
})

describe('CFS-2016 and FIFO on one run queue', () => {
  it('picks FIFO before CFS, then the smallest vruntime; the previous task goes back to the queue', () => {
    const k = kernel(2)
    const a = put(k, 'a', 0, true, 100)
    put(k, 'b', 0, false, 50)
    const c = put(k, 'c', 0, false, 10)
    expect(k.sched.pickNext(k.cpus[0]!, 0)).toBe(c)
    expect(k.cpus[0]!.rq).toContain(a)
    const f = put(k, 'f', 0, false, 1e9, true)
    expect(k.sched.pickNext(k.cpus[0]!, 0)).toBe(f)
  })
  it('wakeup preemption needs a vruntime lead above wakeup_granularity (1 ms × (1 + log2 ncpus))', () => {
    const k = kernel(2) // factor 2: wakeup_gran 2 ms
    const cpu = k.cpus[0]!
    put(k, 'curr', 0, true, 10e6)
    const near = put(k, 'near', 0, false, 8.5e6)
    const far = put(k, 'far', 0, false, 7.5e6)
    expect(k.sched.wakeupPreempt(cpu, near, 0)).toBe(false)
    expect(k.sched.wakeupPreempt(cpu, far, 0)).toBe(true)
  })
  it('check_preempt_tick: a task past its ideal slice (latency / nr) is rescheduled', () => {
    const k = kernel(2) // latency 12 ms: two tasks → 6 ms each
    const cpu = k.cpus[0]!
    const curr = put(k, 'curr', 0, true, 0)
    put(k, 'other', 0, false, 0)
    curr.prevSumExec = 0
    curr.sumExec = 5e6
    expect(k.sched.tick(cpu, 0)).toBe(false)
    curr.sumExec = 6.5e6
    expect(k.sched.tick(cpu, 0)).toBe(true)
  })
  it('a woken sleeper gets at most half a latency period of credit', () => {
    const k = kernel(2)
    const cpu = k.cpus[0]!
    cpu.minVruntime = 100e6
    const t = k.newTask('sleeper', ActorKind.app, SliceKind.app, false, 0, null, 0)
    t.vruntime = 0
    k.sched.enqueue(cpu, t, 0, true)
    expect(t.vruntime).toBe(100e6 - 6e6)
  })
})

describe('placement (4.7 select_task_rq_fair)', () => {
  it('select_idle_sibling: an idle target, else idle prev in the same LLC, else an idle core of the LLC — never another socket', () => {
    const k = kernel(8, 2) // sockets {0..3}, {4..7}
    const t = k.newTask('t', ActorKind.app, SliceKind.app, false, 0, null, 1)
    for (const c of [1, 2]) put(k, `busy${c}`, c, true)
    // prev (1) busy, waker 1: the first fully idle CPU of socket 0 after the target's group
    expect(k.placement.selectCpu(t, 1, false, 0)).toBe(3)
    for (const c of [0, 3]) put(k, `busy${c}`, c, true)
    // the whole LLC busy: stay on the target even though socket 1 is idle
    expect(k.placement.selectCpu(t, 1, false, 0)).toBe(1)
  })
  it('idle_cpu() cannot see softirq work: a CPU that only runs NET_RX looks idle', () => {
    const k = kernel(2)
    const cpu = k.cpus[0]!
    cpu.netRx = true
    cpu.softChunk = k.exec.yieldChunk(cpu.ksoftirqd)
    expect(k.placement.isIdle(cpu)).toBe(true)
  })
  it('wake_affine pulls towards an unloaded waker, but not when IRQ time has cut the waker CPU\'s capacity', () => {
    const k = kernel(4)
    const t = k.newTask('t', ActorKind.app, SliceKind.app, false, 0, null, 2)
    put(k, 'onPrev', 2, true) // prev is busy, so the idle waker CPU 0 wins...
    expect(k.placement.selectCpu(t, 0, true, 0)).toBe(0)
    // ...until softirq time lowers CPU 0's capacity: then select_idle_sibling from prev
    addRtAvg(k.cpus[0]!, 0, 400e6)
    expect(k.placement.selectCpu(t, 0, true, 0)).not.toBe(0)
  })
  it('a sync wakeup discounts the waker itself from its CPU\'s load', () => {
    // every CPU busy: the choice is wake_affine's alone (select_idle_sibling keeps the target)
    const k = kernel(2)
    const t = k.newTask('t', ActorKind.app, SliceKind.app, false, 0, null, 1)
    put(k, 'waker', 0, true)
    put(k, 'onPrev', 1, true)
    expect(k.placement.selectCpu(t, 0, true, 0)).toBe(0)
    expect(k.placement.selectCpu(t, 0, false, 0)).toBe(1)
  })
  it('RT tasks stay on prev unless an equal or higher RT task runs there', () => {
    const k = kernel(2)
    const t = k.newTask('rt', ActorKind.irqThread, SliceKind.irqThread, true, 50, null, 0)
    put(k, 'cfs', 0, true)
    expect(k.placement.selectCpu(t, 1, false, 0)).toBe(0)
    k.cpus[0]!.curr = null
    put(k, 'rt2', 0, true, 0, true)
    expect(k.placement.selectCpu(t, 1, false, 0)).toBe(1)
  })
})

describe('balancing', () => {
  it('periodic balance pulls waiting tasks from the busiest CPU until the imbalance is gone; cache-hot tasks stay', () => {
    const k = kernel(2)
    put(k, 'run', 0, true)
    const w = [put(k, 'w1', 0, false), put(k, 'w2', 0, false), put(k, 'w3', 0, false)]
    const now = 10e6
    for (const t of w) t.lastRanNs = 0 // ran 10 ms ago: cold
    w[2]!.lastRanNs = now - 0.1e6 // ran 0.1 ms ago: cache-hot
    k.balance.periodic(k.cpus[1]!, now)
    const moved = w.filter((t) => t.cpu === 1)
    expect(moved.length).toBeGreaterThanOrEqual(1)
    expect(w[2]!.cpu).toBe(0)
  })
  it('newidle balancing is skipped while the CPU\'s idle periods are shorter than sched_migration_cost', () => {
    const k = kernel(2)
    put(k, 'run', 0, true)
    const w = put(k, 'w', 0, false)
    w.lastRanNs = -1e9
    const idle = k.cpus[1]!
    idle.avgIdle = 0.1e6
    k.balance.newidle(idle, 10e6)
    expect(w.cpu).toBe(0)
    idle.avgIdle = 1e6
    k.balance.newidle(idle, 10e6)
    expect(w.cpu).toBe(1)
  })
})

describe('CFS-2016 run-queue bookkeeping', () => {
  it('the kept queue minimum and CFS count equal a fresh scan after any sequence of wakeups, moves, picks and charges', () => {
    const k = kernel(3)
    const cfs = k.sched
    let seed = 12345
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      return seed % n
    }
    const tasks = Array.from({ length: 12 }, (_, i) => k.newTask(`t${i}`, ActorKind.app, SliceKind.app, i % 5 === 0, i % 5 === 0 ? 50 : 0, null, i % 3))
    // each task always has work: picked tasks stay on their CPU, woken ones queue up behind them
    for (const t of tasks) t.program = () => ({ remaining: 1e12, kind: SliceKind.app, actor: t.actor, packets: 0, bh: false, abortable: false, reason: 0, done: () => {}, mirror: null, gen: 0 })
    let moved = 0
    let now = 1000
    for (let step = 0; step < 4000; step++) {
      now += 1 + rnd(5000)
      const t = tasks[rnd(tasks.length)]!
      const cpu = k.cpus[rnd(3)]!
      switch (rnd(5)) {
        case 0: k.wake(t, now, cpu.id, t.actor); break
        case 1: if (t.state === 1 && k.cpus[t.cpu]!.curr !== t) { k.moveTask(t, cpu.id, now); moved++ } break
        case 2: cfs.pickNext(cpu, now); break
        case 3: if (cpu.curr) cfs.charge(cpu, cpu.curr, 1 + rnd(100_000)); break
        case 4: if (cpu.curr) { cpu.curr.state = 0; cpu.curr = null } break
      }
      for (const c of k.cpus) {
        const queuedCfs = c.rq.filter((x) => !x.fifo)
        const fresh = (c.curr && !c.curr.fifo ? 1 : 0) + queuedCfs.length
        expect(cfs.load(c)).toBe(fresh * 1024)
        // the kept minimum itself (private: the invariant this test is about)
        const kept = (cfs as unknown as { queuedMinOf(c: typeof k.cpus[number]): number }).queuedMinOf(c)
        expect(kept).toBe(Math.min(...queuedCfs.map((x) => x.vruntime)))
      }
    }
    expect(moved).toBeGreaterThan(100)
  })
})
