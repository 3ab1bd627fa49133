// The discrete-event simulator of the Linux receive path. Time is integer ns.
//
// Execution model: each host CPU has three levels — hard IRQ above softirq above the current task.
// Work runs in "chunks" (one NAPI poll of ≤64 packets, one vhost batch, a few guest packets...):
// only the top level's chunk progresses; a higher level arriving pauses it. Kernel rules (budgets,
// restarts, need_resched, scheduler decisions) are applied at chunk boundaries, which are the
// kernel's own preemption points (cond_resched, end of a poll, end of __do_softirq, guest exits).
//
// Packets are individual flow ids in bounded FIFOs (NIC ring → tun queue → virtio ring → socket),
// so "offered = delivered + dropped + in flight" holds exactly.
import {
  COSTS, IMBALANCE_PCT, IRQ_THREAD_RT_PRIO, ITR_BULK_NS, ITR_INITIAL_NS, ITR_LOW_NS, ITR_LOWEST_NS, MAX_SOFTIRQ_TIME_MS,
  NAPI_POLL_WEIGHT, NS_PER_MS, NS_PER_S, RT_AVG_HALF_LIFE_NS, SCHED_MIGRATION_COST_NS, TUN_QUEUE_LIMIT,
  VHOST_NET_WEIGHT_BYTES, BUSY_FACTOR, CFS_LATENCY_BASE_NS, CFS_MIN_GRAN_BASE_NS, CFS_NR_LATENCY,
  CFS_WAKEUP_GRAN_BASE_NS, cfsScale, frameBytes, lineRatePps, truesize,
} from './constants.ts'
import { EventQueue } from './eventQueue.ts'
import { FlowFifo } from './fifo.ts'
import { Guest } from './guest.ts'
import { LocalReceiver } from './localReceiver.ts'
import {
  ACCT_OF_KIND, HARD, IDLE, RUNNABLE, RUNNING, SLEEPING, SOFT, SYS, USR, unnamed, type Chunk, type Cpu, type Napi, type RxQueue, type Task,
} from './model.ts'
import { CounterRecorder, EventRecorder, SliceRecorder } from './recorder.ts'
import { mulberry32 } from './rng.ts'
import { assignFlowsToQueues } from './rss.ts'
import { irqSettings, type Scenario } from './scenario.ts'
import { SoftirqRun } from './softirq.ts'
import { ActorKind, EndReason, SliceKind, type Actor, type RunOptions, type SimResult, type Summary } from './types.ts'

export interface Simulation {
  readonly scenario: Scenario
  /** advance by at most `maxEvents` events; true when the run is finished */
  advance(maxEvents: number): boolean
  /** fraction of simulated time done, 0..1 */
  progress(): number
  /** the result (partial if called before the run finished) */
  result(): SimResult
}

/** event types */
const EV_CPU = 0
const EV_IRQ = 1
const EV_TICK = 2
const EV_SWITCH = 3
const EV_SAMPLE = 4
const EV_WARMUP = 5
const EV_END = 6

// ---------------------------------------------------------------------------------------------

export class World {
  readonly s: Scenario
  readonly ev = new EventQueue()
  readonly cpus: Cpu[] = []
  readonly queues: RxQueue[] = []
  readonly tasks: Task[] = []
  readonly actors: Actor[] = []
  readonly slices: SliceRecorder
  readonly events: EventRecorder
  readonly counters: CounterRecorder
  readonly endNs: number
  readonly warmupNs: number
  readonly tickNs: number
  readonly maxSoftirqJiffies: number
  readonly latencyNs: number
  readonly minGranNs: number
  readonly wakeupGranNs: number
  readonly payload: number
  readonly frame: number
  readonly truesize: number
  readonly lineRateKpps: number
  /** relative arrival jitter (±), bounded by the headroom below line rate */
  readonly jitter: number
  now = 0
  eventsProcessed = 0
  finished = false
  modeSwitchCount = 0

  // packet accounting
  delivered = 0
  dropped = { 'nic ring': 0, 'tun queue': 0, 'guest socket': 0, 'host socket': 0 }
  inChunks = 0
  warm = { offered: 0, delivered: 0, dropped: 0, done: false }
  lastSample = { delivered: 0, dropped: 0 }

  // hypervisor path
  tun = new FlowFifo(TUN_QUEUE_LIMIT)
  vhost: { task: Task; rxQueued: boolean; inRun: boolean; runBytes: number; noBuffers: boolean } | null = null
  guest: Guest | null = null
  local: LocalReceiver | null = null
  flowQueue: number[]

  constructor(s: Scenario) {
    this.s = s
    const ncpu = s.host.cpus
    this.endNs = Math.round(s.durationMs * NS_PER_MS)
    this.warmupNs = Math.round(s.warmupMs * NS_PER_MS)
    this.tickNs = Math.round(NS_PER_S / s.kernel.hz)
    // msecs_to_jiffies(2) rounds up
    this.maxSoftirqJiffies = Math.max(1, Math.ceil((MAX_SOFTIRQ_TIME_MS * NS_PER_MS) / this.tickNs))
    const f = cfsScale(ncpu)
    this.latencyNs = CFS_LATENCY_BASE_NS * f
    this.minGranNs = CFS_MIN_GRAN_BASE_NS * f
    this.wakeupGranNs = CFS_WAKEUP_GRAN_BASE_NS * f
    this.payload = s.traffic.payloadBytes
    this.frame = frameBytes(this.payload)
    this.truesize = truesize(this.payload)
    this.lineRateKpps = lineRatePps(this.payload) / 1000
    this.slices = new SliceRecorder(ncpu, s.trace.maxSlices)
    this.events = new EventRecorder(Math.max(1000, Math.min(s.trace.maxSlices, 2_000_000)))
    const samplePeriod = this.samplePeriodNs()
    this.counters = new CounterRecorder(
      [
        { name: 'NIC rx rings (all queues)', unit: 'packets', kind: 'level' },
        { name: 'tun queue', unit: 'packets', kind: 'level' },
        { name: this.s.consumer.kind === 'guest' ? 'guest virtio rx ring' : 'in softirq/threads', unit: 'packets', kind: 'level' },
        { name: 'socket queues (all flows)', unit: 'packets', kind: 'level' },
        { name: 'delivered', unit: 'kpps', kind: 'rate' },
        { name: 'drops', unit: 'kpps', kind: 'rate' },
      ],
      Math.ceil(this.endNs / samplePeriod) + 2,
    )

    const rng = mulberry32(s.seed)
    for (let c = 0; c < ncpu; c++) {
      const cpu: Cpu = {
        id: c, curr: null, rq: [], minVruntime: 0, irqQueue: [], hard: null, soft: null, softChunk: null, task: null,
        netRx: false, pollList: [], needResched: false, topStart: 0, version: 0, acct: new Float64Array(5), rtAvg: 0,
        rtAvgAt: 0, nextBalance: 0, ksoftirqd: null as unknown as Task, timeSqueeze: 0, busy: false, balanceFailed: 0,
      }
      this.cpus.push(cpu)
    }
    for (const cpu of this.cpus) {
      const k = this.newTask(`ksoftirqd/${cpu.id}`, ActorKind.ksoftirqd, SliceKind.ksoftirqd, false, 0, [cpu.id], cpu.id)
      cpu.ksoftirqd = k
      k.program = (now) => this.ksoftirqdProgram(k, cpu, now)
    }

    // NIC queues and flows (RSS on IP addresses)
    this.flowQueue = assignFlowsToQueues(s.traffic.flows, s.nic.queues, rng)
    const totalPps = Math.min(s.traffic.flows * s.traffic.perFlowKpps, s.traffic.senderMaxKpps, this.lineRateKpps) * 1000
    const perFlowPps = totalPps / s.traffic.flows
    this.jitter = Math.max(0, Math.min(0.5, 1 - totalPps / (this.lineRateKpps * 1000)))
    for (const st of irqSettings(s)) {
      const flows: number[] = []
      this.flowQueue.forEach((q, fl) => { if (q === st.queue) flows.push(fl) })
      const irqActor = this.newActor({ name: `irq ${st.irq} (${st.action})`, kind: ActorKind.irq })
      const qrng = mulberry32((s.seed ^ Math.imul(st.queue + 1, 0x9e3779b1)) >>> 0)
      const periodNs = flows.length ? NS_PER_S / (perFlowPps * flows.length) : Infinity
      const q: RxQueue = {
        index: st.queue, irq: st.irq, action: st.action, irqActor, cpu: st.cpu,
        threadedAtStart: s.rx.mode === 'threaded-napi' ? true : st.threaded,
        schedNormal: st.schedNormal, noAffinity: st.noAffinity,
        ring: new FlowFifo(s.nic.ringSize), flows, rr: 0, periodNs,
        nextArrival: flows.length ? qrng() * periodNs : Infinity, rng: qrng,
        irqEnabled: true, irqArmed: false, irqVersion: 0, lastIrqNs: -1e12,
        itrNs: s.nic.itrUs > 0 ? s.nic.itrUs * 1000 : ITR_INITIAL_NS, itrClass: 0, offered: 0, irqCount: 0,
        napi: null as unknown as Napi,
      }
      q.napi = { queue: q, owner: q.threadedAtStart ? 'thread' : 'softirq', wantOwner: q.threadedAtStart ? 'thread' : 'softirq', scheduled: false, onList: false, inPoll: false, thread: null, episodeBytes: 0 }
      this.queues.push(q)
      // a thread exists from the start if threaded, else from the first switch on (onSwitch)
      if (q.threadedAtStart) this.ensureThread(q)
    }

    // consumer
    if (s.consumer.kind === 'guest') this.setupGuest()
    else this.setupLocal()

    // events (a switch written at the very end is still applied: END is queued last)
    this.ev.push(this.tickNs, EV_TICK)
    this.ev.push(0, EV_SAMPLE)
    if (this.warmupNs > 0) this.ev.push(this.warmupNs, EV_WARMUP)
    else this.warm.done = true
    s.rx.switches.forEach((w, i) => this.ev.push(Math.round(w.atMs * NS_PER_MS), EV_SWITCH, i))
    this.ev.push(this.endNs, EV_END)
    for (const q of this.queues) this.scheduleIrq(q, 0)
  }

  samplePeriodNs(): number {
    return Math.max(20_000, Math.ceil(this.endNs / 10_000))
  }

  jiffies(now: number): number {
    return Math.floor(now / this.tickNs)
  }

  // ---------------------------------------------------------------- actors and tasks

  newActor(a: Omit<Actor, 'id'>): number {
    const id = this.actors.length
    this.actors.push({ id, ...a })
    return id
  }

  newTask(name: string, actorKind: ActorKind, kind: SliceKind, fifo: boolean, rtPrio: number, allowed: number[] | null, cpu: number): Task {
    const actor = this.newActor({ name, kind: actorKind, policy: fifo ? 'SCHED_FIFO' : 'SCHED_NORMAL', ...(fifo ? { rtPriority: rtPrio } : {}), ...(allowed ? { affinity: allowed } : {}) })
    let mask: Uint8Array | null = null
    if (allowed) {
      mask = new Uint8Array(this.s.host.cpus)
      for (const c of allowed) mask[c] = 1
    }
    const t: Task = {
      id: this.tasks.length, actor, name, kind, fifo, rtPrio, allowed: mask, cpu, state: SLEEPING,
      vruntime: 0, sumExec: 0, prevSumExec: 0, lastRanNs: -1e12, atomic: false, debt: 0, migrateTo: -1,
      program: () => null, cpuTimeNs: 0, migrations: 0, wakeups: 0,
    }
    this.tasks.push(t)
    return t
  }

  ensureThread(q: RxQueue): Task {
    const n = q.napi
    if (n.thread) return n.thread
    let t: Task
    if (this.s.rx.mode === 'threaded-napi') {
      t = this.newTask(`napi/eth0-${8193 + q.index}`, ActorKind.napiThread, SliceKind.napiThread, false, 0, null, q.cpu)
    } else {
      const fifo = !q.schedNormal
      t = this.newTask(`irq/${q.irq}-${q.action}`, ActorKind.irqThread, SliceKind.irqThread, fifo, fifo ? IRQ_THREAD_RT_PRIO : 0, q.noAffinity ? null : [q.cpu], q.cpu)
    }
    t.program = () => this.threadProgram(t, n)
    n.thread = t
    return t
  }

  // ---------------------------------------------------------------- CPU execution

  topChunk(cpu: Cpu): Chunk | null {
    return cpu.hard ?? cpu.softChunk ?? cpu.task
  }

  /** account the time the top chunk ran since topStart */
  settle(cpu: Cpu, now: number): void {
    const el = now - cpu.topStart
    cpu.topStart = now
    if (el <= 0) return
    const top = this.topChunk(cpu)
    if (!top) {
      cpu.acct[IDLE]! += el
      return
    }
    top.remaining -= el
    cpu.acct[ACCT_OF_KIND[top.kind]!]! += el
    this.slices.add(cpu.id, now - el, now, top.kind, top.actor, 0, EndReason.none)
    const curr = cpu.curr
    const isTask = top === cpu.task
    if (curr && (isTask || !this.s.kernel.irqTimeAccounting)) {
      // without IRQ time accounting, irq time is charged to the interrupted task
      curr.sumExec += el
      if (!curr.fifo) {
        curr.vruntime += el
        // update_curr → update_min_vruntime
        this.updateMinVruntime(cpu)
      }
    }
    if (curr && isTask) curr.cpuTimeNs += el
    const nonCfs = (isTask && curr?.fifo) || (!isTask && this.s.kernel.irqTimeAccounting)
    if (nonCfs) this.addRtAvg(cpu, now, el)
  }

  addRtAvg(cpu: Cpu, now: number, el: number): void {
    cpu.rtAvg = cpu.rtAvg * Math.pow(0.5, (now - cpu.rtAvgAt) / RT_AVG_HALF_LIFE_NS) + el
    cpu.rtAvgAt = now
  }

  /** fraction of capacity left for CFS (scale_rt_capacity) */
  capacity(cpu: Cpu, now: number): number {
    const avg = cpu.rtAvg * Math.pow(0.5, (now - cpu.rtAvgAt) / RT_AVG_HALF_LIFE_NS)
    return Math.max(0, 1 - avg / (RT_AVG_HALF_LIFE_NS / Math.LN2))
  }

  /** decide what runs on the CPU now and schedule the end of its chunk */
  dispatch(cpu: Cpu, now: number): void {
    const wasBusy = cpu.busy
    cpu.busy = true
    for (let guard = 0; ; guard++) {
      if (guard > 10_000) throw new Error(`dispatch loop on CPU ${cpu.id} at ${now} ns`)
      if (!cpu.hard && cpu.irqQueue.length) this.startHardirq(cpu)
      if (cpu.hard) break
      if (cpu.soft && !cpu.softChunk) {
        const c = cpu.soft.next(now)
        if (c) cpu.softChunk = c
        else {
          this.slices.setLastReason(cpu.id, cpu.soft.endReason, now)
          cpu.soft = null
          continue
        }
      }
      if (cpu.softChunk) break
      if (cpu.task) break
      // task level, at a preemption point
      const curr = cpu.curr
      if (curr && curr.migrateTo >= 0 && !curr.atomic) {
        const to = curr.migrateTo
        curr.migrateTo = -1
        curr.state = RUNNABLE
        cpu.curr = null
        this.moveTask(curr, to, now)
        continue
      }
      if (!curr || (cpu.needResched && !curr.atomic)) this.pickNext(cpu, now)
      const t = cpu.curr
      if (!t) break
      const c = t.program(now)
      if (c) {
        c.remaining += t.debt
        t.debt = 0
        t.lastRanNs = now
        cpu.task = c
        break
      }
      // the task sleeps (dequeue: min_vruntime still counts it up to now)
      this.updateMinVruntime(cpu)
      t.state = SLEEPING
      t.atomic = false
      cpu.curr = null
      this.slices.setLastReason(cpu.id, EndReason.sleep, now, t.actor)
    }
    cpu.busy = wasBusy
    cpu.version++
    const top = this.topChunk(cpu)
    if (top) this.ev.push(now + Math.max(0, top.remaining), EV_CPU, cpu.id, cpu.version)
  }

  startHardirq(cpu: Cpu): void {
    const q = cpu.irqQueue.shift()!
    const inGuest = cpu.task?.kind === SliceKind.vcpu && !cpu.soft
    const cost = COSTS.hardirqNs + (inGuest ? COSTS.vmExitNs : 0)
    cpu.hard = {
      remaining: cost, kind: SliceKind.hardirq, actor: q.irqActor, packets: 0, bh: false, abortable: false, reason: EndReason.done,
      done: unnamed((now: number) => this.hardirqDone(cpu, q, now)),
    }
  }

  onCpuEvent(cpu: Cpu, version: number, now: number): void {
    if (version !== cpu.version) return
    this.settle(cpu, now)
    cpu.busy = true
    let c: Chunk | null
    if (cpu.hard) { c = cpu.hard; cpu.hard = null }
    else if (cpu.softChunk) { c = cpu.softChunk; cpu.softChunk = null }
    else { c = cpu.task; cpu.task = null }
    if (c) {
      this.slices.add(cpu.id, now, now, c.kind, c.actor, c.packets, c.reason)
      c.done(now)
    }
    cpu.busy = false
    this.dispatch(cpu, now)
  }

  /** something changed on a CPU from outside its own chunk flow (IRQ, wakeup of an idle CPU) */
  poke(cpu: Cpu, now: number): void {
    if (cpu.busy) return
    this.settle(cpu, now)
    this.dispatch(cpu, now)
  }

  /** cut an abortable chunk (halt polling) short */
  abortTaskChunk(cpu: Cpu, now: number): void {
    const c = cpu.task
    if (!c || !c.abortable) return
    if (cpu.hard || cpu.softChunk || cpu.busy) {
      // an IRQ or softirq runs on top (or this CPU's handler is running): end the poll as soon as
      // the task level runs again
      c.remaining = 0
      return
    }
    this.settle(cpu, now)
    cpu.task = null
    this.slices.add(cpu.id, now, now, c.kind, c.actor, 0, EndReason.done)
    c.done(now)
    this.dispatch(cpu, now)
  }

  // ---------------------------------------------------------------- scheduler (CFS 2016 + FIFO)

  nrCfs(cpu: Cpu): number {
    let n = cpu.curr && !cpu.curr.fifo ? 1 : 0
    for (const t of cpu.rq) if (!t.fifo) n++
    return n
  }

  isIdle(cpu: Cpu): boolean {
    // idle_cpu(): the idle task runs and nothing is queued — softirq work on top is invisible
    return cpu.curr === null && cpu.rq.length === 0
  }

  allowedOn(t: Task, c: number): boolean {
    return t.allowed === null || t.allowed[c] === 1
  }

  updateMinVruntime(cpu: Cpu): void {
    let m = Infinity
    if (cpu.curr && !cpu.curr.fifo) m = cpu.curr.vruntime
    for (const t of cpu.rq) if (!t.fifo && t.vruntime < m) m = t.vruntime
    if (m !== Infinity && m > cpu.minVruntime) cpu.minVruntime = m
  }

  pickNext(cpu: Cpu, now: number): void {
    const prev = cpu.curr
    if (prev && prev.state === RUNNING) {
      prev.state = RUNNABLE
      cpu.rq.push(prev)
    }
    cpu.needResched = false
    this.updateMinVruntime(cpu)
    let best: Task | null = null
    for (const t of cpu.rq) {
      if (!best) best = t
      else if (t.fifo !== best.fifo) { if (t.fifo) best = t }
      else if (t.fifo ? t.rtPrio > best.rtPrio : t.vruntime < best.vruntime) best = t
    }
    if (!best) {
      cpu.curr = null
      this.idleBalance(cpu, now)
      return
    }
    cpu.rq.splice(cpu.rq.indexOf(best), 1)
    best.state = RUNNING
    best.prevSumExec = best.sumExec
    cpu.curr = best
    if (best !== prev) best.debt += COSTS.contextSwitchNs
  }

  /** select_task_rq: the CPU a woken task is placed on */
  selectCpu(t: Task, wakerCpu: number, now: number): number {
    const n = this.cpus.length
    const prev = t.cpu
    if (t.fifo) {
      // RT: stay unless a higher-priority RT task runs there; else a CPU not running RT
      const ok = (c: number) => this.allowedOn(t, c) && !(this.cpus[c]!.curr?.fifo && this.cpus[c]!.curr!.rtPrio >= t.rtPrio)
      if (ok(prev)) return prev
      for (let i = 1; i < n; i++) if (ok((prev + i) % n)) return (prev + i) % n
      return this.allowedOn(t, prev) ? prev : this.firstAllowed(t)
    }
    // CFS 4.7: wake_affine + select_idle_sibling: an idle CPU near prev/waker, else prev
    if (this.allowedOn(t, prev) && this.isIdle(this.cpus[prev]!)) return prev
    if (wakerCpu >= 0 && this.allowedOn(t, wakerCpu) && this.isIdle(this.cpus[wakerCpu]!) && now - t.lastRanNs > SCHED_MIGRATION_COST_NS) return wakerCpu
    for (let i = 1; i < n; i++) {
      const c = (prev + i) % n
      if (this.allowedOn(t, c) && this.isIdle(this.cpus[c]!)) return c
    }
    return this.allowedOn(t, prev) ? prev : this.firstAllowed(t)
  }

  firstAllowed(t: Task): number {
    for (let c = 0; c < this.cpus.length; c++) if (this.allowedOn(t, c)) return c
    return 0
  }

  /** try_to_wake_up; returns true if the task was asleep */
  wake(t: Task, now: number, wakerCpu: number, wakerActor: number): boolean {
    if (t.state !== SLEEPING) return false
    const target = this.selectCpu(t, wakerCpu, now)
    t.wakeups++
    this.events.wakeup(now, wakerCpu < 0 ? target : wakerCpu, target, wakerActor, t.actor)
    this.enqueue(t, target, now, true)
    return true
  }

  /** put a runnable task on a CPU's run queue (wakeup or migration) and check preemption */
  enqueue(t: Task, target: number, now: number, wakeup: boolean): void {
    const from = this.cpus[t.cpu]!
    const to = this.cpus[target]!
    if (target !== t.cpu) {
      t.vruntime = t.vruntime - from.minVruntime + to.minVruntime
      t.migrations++
      this.events.migration(now, t.cpu, target, t.actor)
      if (t.kind === SliceKind.vcpu) t.debt += COSTS.vcpuMigrationNs
      t.cpu = target
    }
    if (wakeup && !t.fifo) {
      // place_entity with GENTLE_FAIR_SLEEPERS: sleeper credit of half a latency period
      t.vruntime = Math.max(t.vruntime, to.minVruntime - this.latencyNs / 2)
    }
    t.state = RUNNABLE
    to.rq.push(t)
    // kvm_vcpu_block polls only while single_task_running()
    if (to.task?.abortable) this.abortTaskChunk(to, now)
    this.checkPreempt(to, t, now)
  }

  checkPreempt(cpu: Cpu, t: Task, now: number): void {
    const curr = cpu.curr
    let resched = false
    if (!curr) resched = true
    else if (t.fifo) resched = !curr.fifo || t.rtPrio > curr.rtPrio
    else if (!curr.fifo) {
      // the running task's vruntime is settled lazily: include what it has run so far
      const running = curr.vruntime + (cpu.task && !cpu.hard && !cpu.softChunk ? now - cpu.topStart : 0)
      resched = running - t.vruntime > this.wakeupGranNs
    }
    if (!resched) return
    cpu.needResched = true
    if (!curr && !cpu.hard && !cpu.softChunk && !cpu.task) this.poke(cpu, now)
    else if (cpu.task?.abortable) this.abortTaskChunk(cpu, now)
  }

  /** move a runnable (not running) task to another CPU */
  moveTask(t: Task, target: number, now: number): void {
    const from = this.cpus[t.cpu]!
    const i = from.rq.indexOf(t)
    if (i >= 0) from.rq.splice(i, 1)
    this.enqueue(t, target, now, false)
  }

  onTick(now: number): void {
    for (const cpu of this.cpus) {
      const curr = cpu.curr
      // the tick's progress counts for check_preempt_tick (update_curr)
      if (curr) this.settle(cpu, now)
      if (curr && !curr.fifo && cpu.rq.length) {
        // check_preempt_tick
        const nr = this.nrCfs(cpu)
        const period = nr > CFS_NR_LATENCY ? nr * this.minGranNs : this.latencyNs
        const ideal = period / nr
        const delta = curr.sumExec - curr.prevSumExec
        let resched = delta > ideal
        if (!resched && delta >= this.minGranNs) {
          let left = Infinity
          for (const t of cpu.rq) if (!t.fifo && t.vruntime < left) left = t.vruntime
          resched = curr.vruntime - left > ideal
        }
        if (cpu.rq.some((t) => t.fifo)) resched = true
        if (resched) {
          cpu.needResched = true
          if (cpu.task?.abortable) this.abortTaskChunk(cpu, now)
        }
      }
      if (now >= cpu.nextBalance) this.periodicBalance(cpu, now)
      // the local timer interrupt's irq_exit runs pending softirqs inline (invoke_softirq), on
      // top of whatever runs here — a vCPU included (the tick forces a VM exit first)
      if (cpu.netRx && !cpu.soft && !cpu.hard) {
        this.settle(cpu, now)
        this.irqExit(cpu, now)
        if (cpu.soft) this.dispatch(cpu, now)
      }
    }
    this.ev.push(now + this.tickNs, EV_TICK)
  }

  balanceIntervalNs(cpu: Cpu): number {
    const n = this.cpus.length
    const busy = cpu.curr !== null
    const base = n * NS_PER_MS
    const interval = busy ? base * BUSY_FACTOR : base
    return Math.min(interval, (this.s.kernel.hz * n / 10) * NS_PER_MS / (this.s.kernel.hz / 1000))
  }

  /** tasks on a CPU's run queue, of every class, running one included (rq->nr_running) */
  nrRunning(cpu: Cpu): number {
    return cpu.rq.length + (cpu.curr ? 1 : 0)
  }

  /** a waiting CFS task on the busiest CPU (by nr_running, RT included) that may run on `cpu` */
  findPullable(cpu: Cpu, now: number, ignoreCacheHot: boolean): Task | null {
    let best: Task | null = null
    let bestNr = this.nrRunning(cpu) + 1
    for (const other of this.cpus) {
      if (other === cpu) continue
      const nr = this.nrRunning(other)
      if (nr <= bestNr) continue
      for (const t of other.rq) {
        if (t.fifo || !this.allowedOn(t, cpu.id)) continue
        if (!ignoreCacheHot && now - t.lastRanNs < SCHED_MIGRATION_COST_NS) continue
        best = t
        bestNr = nr
        break
      }
    }
    return best
  }

  idleBalance(cpu: Cpu, now: number): void {
    const t = this.findPullable(cpu, now, true)
    if (!t) return
    const from = this.cpus[t.cpu]!
    from.rq.splice(from.rq.indexOf(t), 1)
    t.vruntime = t.vruntime - from.minVruntime + cpu.minVruntime
    t.migrations++
    this.events.migration(now, from.id, cpu.id, t.actor)
    if (t.kind === SliceKind.vcpu) t.debt += COSTS.vcpuMigrationNs
    t.cpu = cpu.id
    t.state = RUNNING
    t.prevSumExec = t.sumExec
    t.debt += COSTS.contextSwitchNs
    cpu.curr = t
  }

  periodicBalance(cpu: Cpu, now: number): void {
    cpu.nextBalance = now + this.balanceIntervalNs(cpu)
    const t = this.findPullable(cpu, now, false)
    if (t) {
      cpu.balanceFailed = 0
      this.moveTask(t, cpu.id, now)
      return
    }
    if (!this.isIdle(cpu)) return
    // active balance (the stopper pushes a running task): a lone task on a CPU whose capacity
    // is reduced by IRQ/RT time (need_active_balance), or, after repeated failures to pull, a
    // running task stuck behind tasks that cannot move (nr_balance_failed > cache_nice_tries+2)
    const myCap = this.capacity(cpu, now)
    let stuck: Cpu | null = null
    for (const src of this.cpus) {
      const c = src.curr
      if (src === cpu || !c || c.fifo || !this.allowedOn(c, cpu.id) || c.migrateTo >= 0) continue
      const waiting = src.rq.filter((x) => !x.fifo).length
      if (waiting === 0) {
        const cap = this.capacity(src, now)
        if (cap * IMBALANCE_PCT < 100 && myCap > cap * (IMBALANCE_PCT / 100)) {
          c.migrateTo = cpu.id
          cpu.balanceFailed = 0
          return
        }
      } else if (!stuck) stuck = src
    }
    if (stuck && ++cpu.balanceFailed > 3) {
      stuck.curr!.migrateTo = cpu.id
      cpu.balanceFailed = 0
    }
  }

  wakeKsoftirqd(cpu: Cpu, now: number): void {
    this.wake(cpu.ksoftirqd, now, cpu.id, cpu.ksoftirqd.actor)
  }

  ksoftirqdRunning(cpu: Cpu): boolean {
    return cpu.ksoftirqd.state !== SLEEPING
  }

  // ---------------------------------------------------------------- NIC and NAPI

  syncArrivals(q: RxQueue, now: number): void {
    while (q.nextArrival <= now) {
      const flow = q.flows[q.rr]!
      q.rr = q.rr + 1 === q.flows.length ? 0 : q.rr + 1
      q.offered++
      if (!q.ring.push(flow)) this.dropped['nic ring']++
      // senders are not perfectly periodic: jitter around the mean period, but never packets
      // closer than the wire allows (no jitter when the line rate is what limits the offer)
      q.nextArrival += q.periodNs * (1 - this.jitter + 2 * this.jitter * q.rng())
    }
  }

  scheduleIrq(q: RxQueue, now: number): void {
    if (!q.irqEnabled || q.irqArmed) return
    this.syncArrivals(q, now)
    const tData = q.ring.length > 0 ? now : Math.ceil(q.nextArrival)
    if (tData === Infinity) return
    const t = Math.max(tData, q.lastIrqNs + q.itrNs)
    q.irqArmed = true
    q.irqVersion++
    this.ev.push(t, EV_IRQ, q.index, q.irqVersion)
  }

  onIrq(q: RxQueue, version: number, now: number): void {
    if (version !== q.irqVersion) return
    q.irqArmed = false
    if (!q.irqEnabled) return
    this.syncArrivals(q, now)
    if (q.ring.length === 0) {
      this.scheduleIrq(q, now)
      return
    }
    // EIAM: the vector is masked until the poll re-enables it
    q.irqEnabled = false
    q.lastIrqNs = now
    q.irqCount++
    const cpu = this.cpus[q.cpu]!
    cpu.irqQueue.push(q)
    if (!cpu.hard) {
      const top = this.topChunk(cpu)
      this.settle(cpu, now)
      if (top) this.slices.setLastReason(cpu.id, EndReason.preempted, now, top.actor)
      this.dispatch(cpu, now)
    }
  }

  hardirqDone(cpu: Cpu, q: RxQueue, now: number): void {
    this.napiSchedule(q.napi, cpu, now, q.irqActor)
    if (cpu.irqQueue.length === 0) this.irqExit(cpu, now)
  }

  napiSchedule(n: Napi, cpu: Cpu, now: number, wakerActor: number): void {
    if (n.scheduled) return
    n.scheduled = true
    n.episodeBytes = 0
    if (n.owner === 'softirq') {
      this.addToPollList(cpu, n)
    } else this.wake(n.thread!, now, cpu.id, wakerActor)
  }

  /** ____napi_schedule's list_add_tail + NET_RX raise; an instance is on one list at most */
  addToPollList(cpu: Cpu, n: Napi): void {
    if (n.onList) throw new Error(`internal: NAPI of queue ${n.queue.index} put on a second poll list at ${this.now} ns`)
    cpu.pollList.push(n)
    n.onList = true
    cpu.netRx = true
  }

  /** a scheduled instance now belongs to its thread */
  handToThread(n: Napi, now: number, fromCpu: number): void {
    const t = this.ensureThread(n.queue)
    this.wake(t, now, fromCpu, n.queue.irqActor)
  }

  /** irq_exit → invoke_softirq, by kernel era */
  irqExit(cpu: Cpu, now: number): void {
    if (!cpu.netRx || cpu.soft || cpu.task?.bh) return
    if (this.s.kernel.era === 'v4.9-v6.4' && this.ksoftirqdRunning(cpu)) return
    cpu.soft = new SoftirqRun(this, cpu, false, SliceKind.softirq, cpu.ksoftirqd.actor, now)
  }

  /** local_bh_enable in task context: pending softirqs run inline */
  bhEnable(cpu: Cpu): void {
    if (!cpu.netRx || cpu.soft) return
    if (this.s.kernel.era === 'v4.9-v6.4' && this.ksoftirqdRunning(cpu)) return
    cpu.soft = new SoftirqRun(this, cpu, false, SliceKind.softirq, cpu.ksoftirqd.actor, this.now)
  }

  napiComplete(n: Napi, now: number): void {
    n.scheduled = false
    const q = n.queue
    if (this.s.nic.itrUs === 0) this.updateItr(q, n.episodeBytes)
    q.irqEnabled = true
    this.scheduleIrq(q, now)
  }

  /** ixgbe_update_itr (4.7): classify bytes per interrupt interval, smooth the new interval */
  updateItr(q: RxQueue, bytes: number): void {
    const us = q.itrNs / 1000
    const perInt = bytes / Math.max(us, 1)
    let cls = q.itrClass
    if (cls === 0) { if (perInt > 10) cls = 1 }
    else if (cls === 1) { if (perInt > 20) cls = 2; else if (perInt <= 10) cls = 0 }
    else if (perInt <= 20) cls = 1
    q.itrClass = cls
    const target = cls === 0 ? ITR_LOWEST_NS : cls === 1 ? ITR_LOW_NS : ITR_BULK_NS
    const old = q.itrNs
    q.itrNs = target === old ? old : Math.round((10 * target * old) / (9 * target + old))
  }

  /** one napi->poll() of up to `weight` packets, as a chunk on `cpu` */
  pollChunk(n: Napi, cpu: Cpu, weight: number, kind: SliceKind, actor: number, bh: boolean, after: (work: number, now: number) => void): Chunk {
    const q = n.queue
    // NAPI_STATE_SCHED: one poller at a time, and only while scheduled
    if (n.inPoll || !n.scheduled) throw new Error(`internal: NAPI of queue ${q.index} polled ${n.inPoll ? 'twice at once' : 'while not scheduled'} at ${this.now} ns`)
    this.syncArrivals(q, this.now)
    const k = Math.min(weight, q.ring.length)
    const flows = new Uint16Array(k)
    for (let i = 0; i < k; i++) flows[i] = q.ring.shift()
    this.inChunks += k
    n.inPoll = true
    n.episodeBytes += k * this.frame
    const perPkt = (this.local ? COSTS.hostUdpPerPktNs : COSTS.hostRxPerPktNs) + COSTS.hostRxPerByteNs * this.frame
    return {
      remaining: Math.round(COSTS.napiPollNs + k * perPkt), kind, actor, packets: k, bh, abortable: false,
      reason: k < weight ? EndReason.done : EndReason.budget,
      done: unnamed((now: number) => {
        n.inPoll = false
        this.inChunks -= k
        this.deliverFromHost(flows, cpu, actor, now)
        if (k < weight) this.napiComplete(n, now)
        after(k, now)
        if (n.wantOwner !== n.owner) this.applyOwner(n, now, cpu.id)
      }),
    }
  }

  /** the end of the host rx path: tun (hypervisor) or a host UDP socket (local receiver) */
  deliverFromHost(flows: Uint16Array, cpu: Cpu, actor: number, now: number): void {
    if (this.local) {
      this.local.enqueue(flows, cpu, actor, now)
      return
    }
    let pushed = 0
    for (const f of flows) {
      if (this.tun.push(f)) pushed++
      else this.dropped['tun queue']++
    }
    const v = this.vhost!
    // sk_data_ready → vhost_poll_wakeup → vhost_work_queue: wake the worker if the work isn't
    // queued (also when the guest ring is full: handle_rx then finds no buffers and returns)
    if (pushed && !v.rxQueued) {
      v.rxQueued = true
      this.wake(v.task, now, cpu.id, actor)
    }
  }

  // ---------------------------------------------------------------- threads

  threadProgram(t: Task, n: Napi): Chunk | null {
    const cpu = this.cpus[t.cpu]!
    if (n.owner !== 'thread') {
      if (n.scheduled && !n.onList && !n.inPoll) {
        // switched back to softirq while scheduled: napi_schedule on this CPU, run at local_bh_enable
        this.addToPollList(cpu, n)
        this.bhEnable(cpu)
      }
      return null
    }
    if (!n.scheduled || n.onList) return null
    return this.pollChunk(n, cpu, NAPI_POLL_WEIGHT, t.kind, t.actor, true, () => this.bhEnable(cpu))
  }

  ksoftirqdProgram(t: Task, cpu: Cpu, now: number): Chunk | null {
    const st = t as Task & { run?: SoftirqRun | null }
    for (let i = 0; i < 3; i++) {
      if (!st.run) {
        if (!cpu.netRx) return null
        st.run = new SoftirqRun(this, cpu, true, SliceKind.ksoftirqd, t.actor, now)
        t.atomic = true
      }
      const c = st.run.next(now)
      if (c) return c
      this.slices.setLastReason(cpu.id, st.run.endReason, now, t.actor)
      st.run = null
      t.atomic = false
      // cond_resched() between __do_softirq invocations
      if (cpu.needResched && cpu.netRx) return this.yieldChunk(t)
    }
    return cpu.netRx ? this.yieldChunk(t) : null
  }

  /** a zero-length chunk: gives the scheduler a preemption point */
  yieldChunk(t: Task): Chunk {
    return { remaining: 0, kind: t.kind, actor: t.actor, packets: 0, bh: false, abortable: false, reason: EndReason.needResched, done: unnamed(() => {}) }
  }

  /** the mode notifier: move a NAPI instance between softirq and thread at a safe boundary */
  applyOwner(n: Napi, now: number, cpuId: number): void {
    if (n.inPoll || n.owner === n.wantOwner) return
    n.owner = n.wantOwner
    if (!n.scheduled) return
    if (n.owner === 'thread') {
      // if it sits on a poll list, the softirq round will hand it over when it reaches it
      if (!n.onList) this.handToThread(n, now, cpuId)
      else {
        // take it off the list now
        for (const cpu of this.cpus) {
          const i = cpu.pollList.indexOf(n)
          if (i >= 0) {
            cpu.pollList.splice(i, 1)
            n.onList = false
            this.handToThread(n, now, cpuId)
            break
          }
        }
      }
    } else {
      const t = n.thread
      // still on a softirq list (switched back before that round reached it): it is polled there
      if (t && t.state === SLEEPING && !n.onList) {
        // thread not running: schedule on the IRQ's CPU; raising outside irq context wakes ksoftirqd
        const cpu = this.cpus[n.queue.cpu]!
        this.addToPollList(cpu, n)
        this.wakeKsoftirqd(cpu, now)
      }
      // a runnable/running thread hands it over in threadProgram
    }
  }

  onSwitch(index: number, now: number): void {
    const w = this.s.rx.switches[index]!
    const qs = w.queue < 0 ? this.queues : [this.queues[w.queue]!]
    for (const q of qs) {
      const want = w.threaded ? 'thread' : 'softirq'
      this.ensureThread(q)
      q.napi.wantOwner = want
      this.applyOwner(q.napi, now, q.cpu)
      this.events.modeSwitches.push({ tNs: now, queue: q.index, irq: q.irq, threaded: w.threaded })
      this.modeSwitchCount++
    }
  }

  // ---------------------------------------------------------------- consumers

  setupGuest(): void {
    const vTask = this.newTask('vhost-4242', ActorKind.vhost, SliceKind.vhost, false, 0, null, 0)
    this.vhost = { task: vTask, rxQueued: false, inRun: false, runBytes: 0, noBuffers: false }
    vTask.program = () => this.vhostProgram()
    this.guest = new Guest(this)
  }

  setupLocal(): void {
    this.local = new LocalReceiver(this)
  }

  vhostProgram(): Chunk | null {
    const v = this.vhost!
    const t = v.task
    const g = this.guest!
    for (let i = 0; i < 4; i++) {
      if (!v.inRun) {
        if (!v.rxQueued) return null
        if (i > 0 && this.cpus[t.cpu]!.needResched) return this.yieldChunk(t)
        // the worker unlinks the work before running it: new packets re-queue it
        v.rxQueued = false
        v.inRun = true
        v.runBytes = 0
        t.atomic = true
        t.debt += COSTS.vhostRunNs
      }
      const free = g.ring.free
      if (this.tun.length === 0 || free === 0 || v.runBytes >= VHOST_NET_WEIGHT_BYTES) {
        const emptyRun = free === 0 && this.tun.length > 0 && v.runBytes === 0
        if (free === 0 && this.tun.length > 0) v.noBuffers = true
        if (v.runBytes >= VHOST_NET_WEIGHT_BYTES) v.rxQueued = true
        v.inRun = false
        t.atomic = false
        // handle_rx found no guest buffers: it only re-enabled notification, but the run cost CPU
        if (emptyRun) return { remaining: 0, kind: SliceKind.vhost, actor: t.actor, packets: 0, bh: false, abortable: false, reason: EndReason.done, done: unnamed(() => {}) }
        continue
      }
      const k = Math.min(NAPI_POLL_WEIGHT, this.tun.length, free)
      const flows = new Uint16Array(k)
      for (let j = 0; j < k; j++) flows[j] = this.tun.shift()
      this.inChunks += k
      const len = this.frame + 12
      return {
        remaining: Math.round(k * (COSTS.vhostPerPktNs + COSTS.vhostPerByteNs * len)), kind: SliceKind.vhost, actor: t.actor,
        packets: k, bh: false, abortable: false, reason: EndReason.done,
        done: unnamed((t2: number) => {
          this.inChunks -= k
          for (const f of flows) g.ring.push(f)
          v.runBytes += k * len
          g.signal(t2, t.cpu, t.actor)
        }),
      }
    }
    return this.yieldChunk(t)
  }

  // ---------------------------------------------------------------- event loop

  advance(maxEvents: number): boolean {
    if (this.finished) return true
    for (let i = 0; i < maxEvents; i++) {
      const e = this.ev.pop()
      if (!e) { this.finish(this.endNs); return true }
      this.now = e.t
      this.eventsProcessed++
      switch (e.type) {
        case EV_CPU: this.onCpuEvent(this.cpus[e.a]!, e.b, e.t); break
        case EV_IRQ: this.onIrq(this.queues[e.a]!, e.b, e.t); break
        case EV_TICK: this.onTick(e.t); break
        case EV_SWITCH: this.onSwitch(e.a, e.t); break
        case EV_SAMPLE: this.onSample(e.t); break
        case EV_WARMUP: this.onWarmup(e.t); break
        case EV_END: this.finish(e.t); return true
      }
    }
    return false
  }

  totalDropped(): number {
    let d = 0
    for (const v of Object.values(this.dropped)) d += v
    return d
  }

  totalOffered(): number {
    let o = 0
    for (const q of this.queues) o += q.offered
    return o
  }

  onWarmup(now: number): void {
    for (const q of this.queues) this.syncArrivals(q, now)
    this.warm = { offered: this.totalOffered(), delivered: this.delivered, dropped: this.totalDropped(), done: true }
  }

  onSample(now: number): void {
    let ring = 0
    for (const q of this.queues) {
      this.syncArrivals(q, now)
      ring += q.ring.length
    }
    const period = this.samplePeriodNs()
    const dDel = this.delivered - this.lastSample.delivered
    const drops = this.totalDropped()
    const dDrop = drops - this.lastSample.dropped
    this.lastSample = { delivered: this.delivered, dropped: drops }
    const toKpps = (n: number) => (now === 0 ? 0 : (n / period) * 1e6)
    const third = this.guest ? this.guest.ring.length : this.inChunks
    const sock = (this.guest ?? this.local!).sockets.total
    this.counters.sample(now, [ring, this.tun.length, third, sock, toKpps(dDel), toKpps(dDrop)])
    if (now + period <= this.endNs) this.ev.push(now + period, EV_SAMPLE)
  }

  finish(now: number): void {
    if (this.finished) return
    this.now = now
    for (const q of this.queues) this.syncArrivals(q, now)
    for (const cpu of this.cpus) {
      this.settle(cpu, now)
      this.slices.setLastReason(cpu.id, EndReason.end, now)
    }
    this.finished = true
  }

  inFlight(): number {
    let n = this.inChunks + this.tun.length
    for (const q of this.queues) n += q.ring.length
    if (this.guest) n += this.guest.ring.length + this.guest.sockets.total + this.guest.inChunks
    if (this.local) n += this.local.sockets.total
    return n
  }

  summary(): Summary {
    const simNs = this.now
    const measuredNs = Math.max(1, simNs - (this.warm.done ? this.warmupNs : 0))
    const offered = this.totalOffered()
    const dropped = this.totalDropped()
    // every place a packet can be dropped on this path, zeros included, in path order
    const places: Array<keyof World['dropped']> = this.guest ? ['nic ring', 'tun queue', 'guest socket'] : ['nic ring', 'host socket']
    const dropsOut: Record<string, number> = {}
    for (const k of places) dropsOut[k] = this.dropped[k]
    const kpps = (n: number) => (n / measuredNs) * 1e6
    return {
      packets: { offered, delivered: this.delivered, dropped: dropsOut, inFlight: this.inFlight() },
      offeredKpps: kpps(offered - this.warm.offered),
      deliveredKpps: kpps(this.delivered - this.warm.delivered),
      droppedKpps: kpps(dropped - this.warm.dropped),
      lineRateKpps: this.lineRateKpps,
      cpu: this.cpus.map((c) => {
        const pct = (i: number) => (simNs ? (c.acct[i]! / simNs) * 100 : 0)
        return { cpu: c.id, usr: pct(USR), sys: pct(SYS), hardirq: pct(HARD), softirq: pct(SOFT), idle: pct(IDLE) }
      }),
      tasks: this.tasks.map((t) => ({ actor: t.actor, name: t.name, cpuTimeNs: t.cpuTimeNs, migrations: t.migrations, wakeups: t.wakeups })),
      irqsPerQueue: this.queues.map((q) => q.irqCount),
      timeSqueeze: this.cpus.map((c) => c.timeSqueeze),
      modeSwitches: this.modeSwitchCount,
      eventsProcessed: this.eventsProcessed,
      accountedNs: this.cpus.map((c) => c.acct.reduce((a, b) => a + b, 0)),
      simulatedNs: simNs,
    }
  }

  result(): SimResult {
    return {
      scenario: this.s,
      summary: this.summary(),
      trace: {
        cpus: this.cpus.length,
        durationNs: this.now,
        actors: this.actors,
        slices: this.slices.columns(),
        droppedSlices: this.slices.dropped,
        counters: this.counters.tracks(),
        events: this.events.events(),
      },
      perf: { wallMs: 0, eventsPerSec: 0 },
    }
  }

  countDelivered(k: number): void {
    this.delivered += k
  }
}

// ---------------------------------------------------------------------------------------------

export function createSimulation(scenario: Scenario): Simulation {
  const w = new World(scenario)
  return {
    scenario,
    advance: (n) => w.advance(n),
    progress: () => (w.finished ? 1 : Math.min(1, w.now / w.endNs)),
    result: () => w.result(),
  }
}

export function runSimulation(scenario: Scenario, opts: RunOptions = {}): SimResult {
  const sim = createSimulation(scenario)
  const t0 = Date.now()
  while (!sim.advance(50_000)) {
    opts.onProgress?.(sim.progress())
    if (opts.shouldCancel?.()) break
  }
  const r = sim.result()
  const wallMs = Date.now() - t0
  r.perf = { wallMs, eventsPerSec: r.summary.eventsProcessed / Math.max(wallMs / 1000, 1e-3) }
  return r
}

