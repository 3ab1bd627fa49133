// Thread states (Perfetto's thread-state tracks) derived from the trace alone: per task, Running
// while one of its task slices runs, Interrupted while a hard IRQ or softirq holds its CPU (the task
// stays current: the kernel's sched_info.run_delay does not count it), Runnable while it waits on a
// run queue (after a wakeup, or after being preempted / needing to reschedule), Sleeping after it
// blocked (a slice ending in `sleep`) until its wakeup. DOM-free, unit-tested on synthetic columns.
import { ActorKind, EndReason, SliceKind, type Actor, type SliceColumns, type TraceEvents } from '../engine/types.ts'
import { firstEndingAfter, forEachVisible, type Lane, type TraceIndex } from './model.ts'

export const ThreadState = { running: 0, runnable: 1, interrupted: 2, sleeping: 3 } as const
export type ThreadState = (typeof ThreadState)[keyof typeof ThreadState]
export const THREAD_STATE_NAMES = ['Running', 'Runnable', 'Interrupted', 'Sleeping'] as const
/** Perfetto-like: running dark green, runnable light green, interrupted (IRQ/softirq on its CPU) red; sleeping = nothing drawn */
export const THREAD_STATE_COLORS = ['#137333', '#81c995', '#ee675c', '#ffffff'] as const

/** One task's states in time order; `cpu` = where it ran or waited, `cause` = slice (running), wakeup index (runnable after a wakeup), else -1. */
export interface StateSpans {
  actor: number
  count: number
  start: Float64Array
  end: Float64Array
  state: Uint8Array
  cpu: Uint16Array
  cause: Int32Array
}

/** The slice kinds in which a task itself runs (hard IRQ and softirq slices are interrupt context borrowed from whoever was current). */
export const isTaskKind = (k: number): boolean => k !== SliceKind.hardirq && k !== SliceKind.softirq

/** Trace parts the derivation reads (the host trace, or the guest's with the shared actors). */
export interface StateInput {
  durationNs: number
  actors: Actor[]
  slices: SliceColumns
  events: TraceEvents
}

class SpanBuilder {
  n = 0
  start = new Float64Array(16)
  end = new Float64Array(16)
  state = new Uint8Array(16)
  cpu = new Uint16Array(16)
  cause = new Int32Array(16)
  push(a: number, b: number, st: number, cpu: number, cause: number): void {
    if (b <= a) return
    const j = this.n - 1
    // merge with a contiguous span of the same state on the same CPU (chunks of one run)
    if (j >= 0 && this.state[j] === st && this.cpu[j] === cpu && this.end[j]! >= a && st !== ThreadState.running) { this.end[j] = Math.max(this.end[j]!, b); return }
    if (this.n === this.start.length) {
      const grow = <T extends Float64Array | Uint8Array | Uint16Array | Int32Array>(x: T): T => { const y = new (x.constructor as new (n: number) => T)(x.length * 2); y.set(x); return y }
      this.start = grow(this.start); this.end = grow(this.end); this.state = grow(this.state); this.cpu = grow(this.cpu); this.cause = grow(this.cause)
    }
    this.start[this.n] = a
    this.end[this.n] = b
    this.state[this.n] = st
    this.cpu[this.n] = cpu
    this.cause[this.n] = cause
    this.n++
  }
  done(actor: number): StateSpans {
    const n = this.n
    return { actor, count: n, start: this.start.slice(0, n), end: this.end.slice(0, n), state: this.state.slice(0, n), cpu: this.cpu.slice(0, n), cause: this.cause.slice(0, n) }
  }
}

/** End of the run of hard IRQ / softirq slices on `lane` that starts at t (contiguous), capped at `until`. */
function interruptedUntil(lane: Lane | undefined, s: SliceColumns, t: number, until: number): number {
  if (!lane) return t
  let cur = t
  const idx = lane.idx
  for (let p = firstEndingAfter(lane, t); p < idx.length && cur < until; p++) {
    const i = idx[p]!
    if (s.end[i]! <= cur) continue
    if (s.start[i]! > cur + 1e-6 || isTaskKind(s.kind[i]!)) break
    cur = s.end[i]!
  }
  return Math.min(cur, until)
}

/** States of one task over [0, durationNs). `wakeups` = this task's wakeup indices in time order. */
export function deriveStates(input: StateInput, index: Pick<TraceIndex, 'cpuLanes'>, lane: Lane, wakeups: ArrayLike<number>): StateSpans {
  const s = input.slices
  const w = input.events.wakeups
  const b = new SpanBuilder()
  let prevEnd = 0
  let prevReason: number = EndReason.sleep // before its first slice a task is asleep
  let prevCpu = -1
  let wp = 0 // next wakeup to consider
  const gap = (a: number, z: number) => {
    if (z <= a) return
    if (prevReason === EndReason.sleep || prevCpu < 0) {
      // asleep until its (last) wakeup in the gap, then runnable on the CPU it was placed on
      while (wp < wakeups.length && w.t[wakeups[wp]!]! < a) wp++
      let last = -1
      while (wp < wakeups.length && w.t[wakeups[wp]!]! <= z) last = wakeups[wp++]!
      if (last < 0) { b.push(a, z, ThreadState.sleeping, Math.max(prevCpu, 0), -1); return }
      const tw = Math.max(a, w.t[last]!)
      b.push(a, tw, ThreadState.sleeping, Math.max(prevCpu, 0), -1)
      b.push(tw, z, ThreadState.runnable, w.toCpu[last]!, last)
      return
    }
    // still current while interrupt context holds its CPU, then on the run queue
    const m = interruptedUntil(index.cpuLanes[prevCpu], s, a, z)
    b.push(a, m, ThreadState.interrupted, prevCpu, -1)
    b.push(m, z, ThreadState.runnable, prevCpu, -1)
  }
  const idx = lane.idx
  for (let p = 0; p < idx.length; p++) {
    const i = idx[p]!
    if (!isTaskKind(s.kind[i]!)) continue
    const st = s.start[i]!
    const en = s.end[i]!
    if (st > prevEnd) gap(prevEnd, st)
    b.push(Math.max(st, prevEnd), en, ThreadState.running, s.cpu[i]!, i)
    if (en >= prevEnd) { prevEnd = en; prevReason = s.reason[i]!; prevCpu = s.cpu[i]! }
  }
  if (prevReason !== EndReason.end) gap(prevEnd, input.durationNs)
  return b.done(lane.id)
}

export interface ThreadStates {
  /** by actor id; tasks only (hard IRQ lines have no thread state) */
  byActor: Map<number, StateSpans>
}

const cache = new WeakMap<SliceColumns, ThreadStates>()

/** All tasks' states, built once per trace (O(slices + wakeups)). */
export function threadStatesFor(input: StateInput, index: Pick<TraceIndex, 'cpuLanes' | 'actorLanes' | 'wakeupOrder'>): ThreadStates {
  let ts = cache.get(input.slices)
  if (ts) return ts
  const w = input.events.wakeups
  const per = new Map<number, number[]>()
  for (let p = 0; p < index.wakeupOrder.length; p++) {
    const i = index.wakeupOrder[p]!
    const a = w.wakee[i]!
    let l = per.get(a)
    if (!l) { l = []; per.set(a, l) }
    l.push(i)
  }
  const byActor = new Map<number, StateSpans>()
  for (const lane of index.actorLanes) {
    const actor = input.actors[lane.id]
    if (!actor || actor.kind === ActorKind.irq) continue
    byActor.set(lane.id, deriveStates(input, index, lane, per.get(lane.id) ?? []))
  }
  ts = { byActor }
  cache.set(input.slices, ts)
  return ts
}

/** Time per state inside [t0, t1). */
export function stateTotals(sp: StateSpans, t0: number, t1: number): Float64Array {
  const out = new Float64Array(4)
  for (let j = lowerSpan(sp, t0); j < sp.count; j++) {
    if (sp.start[j]! >= t1) break
    const d = Math.min(sp.end[j]!, t1) - Math.max(sp.start[j]!, t0)
    if (d > 0) out[sp.state[j]!]! += d
  }
  return out
}

/** First span that ends after t (spans are in time order and do not overlap). */
export function lowerSpan(sp: StateSpans, t: number): number {
  let lo = 0
  let hi = sp.count
  while (lo < hi) { const m = (lo + hi) >>> 1; if (sp.end[m]! > t) hi = m; else lo = m + 1 }
  return lo
}

/** The span containing t, or -1. */
export function spanAt(sp: StateSpans, t: number): number {
  const j = lowerSpan(sp, t)
  return j < sp.count && sp.start[j]! <= t ? j : -1
}

export interface WaitReport {
  actor: number
  /** on a run queue (sched_info.run_delay), ns */
  runnableNs: number
  /** its CPU taken by hard IRQ / softirq while it was current, ns */
  interruptedNs: number
  /** the CPU it waited for most */
  cpu: number
  /** who ran on the CPUs it waited for: [actor, ns, ns of it in hard IRQ / softirq context], largest first */
  heldBy: [number, number, number][]
}

/**
 * How long a task waited for a CPU inside [t0, t1) and who held that CPU meanwhile (SchedViz's
 * antagonists): the CPU lane's slices overlapping each runnable / interrupted span, by actor.
 */
export function waitReport(sp: StateSpans, s: SliceColumns, index: Pick<TraceIndex, 'cpuLanes'>, t0: number, t1: number): WaitReport {
  const held = new Map<number, number>()
  const heldIrq = new Map<number, number>()
  const perCpu = new Map<number, number>()
  let runnableNs = 0
  let interruptedNs = 0
  for (let j = lowerSpan(sp, t0); j < sp.count; j++) {
    const a = Math.max(sp.start[j]!, t0)
    if (sp.start[j]! >= t1) break
    const z = Math.min(sp.end[j]!, t1)
    const st = sp.state[j]!
    if (z <= a || (st !== ThreadState.runnable && st !== ThreadState.interrupted)) continue
    if (st === ThreadState.runnable) runnableNs += z - a
    else interruptedNs += z - a
    const c = sp.cpu[j]!
    perCpu.set(c, (perCpu.get(c) ?? 0) + z - a)
    const lane = index.cpuLanes[c]
    if (lane) forEachVisible(lane, s, a, z, (i) => {
      if (s.actor[i] === sp.actor) return
      const d = Math.min(s.end[i]!, z) - Math.max(s.start[i]!, a)
      if (d <= 0) return
      held.set(s.actor[i]!, (held.get(s.actor[i]!) ?? 0) + d)
      if (!isTaskKind(s.kind[i]!)) heldIrq.set(s.actor[i]!, (heldIrq.get(s.actor[i]!) ?? 0) + d)
    })
  }
  let cpu = -1
  let best = -1
  for (const [c, v] of perCpu) if (v > best) { best = v; cpu = c }
  const heldBy = [...held.entries()].map(([a, ns]) => [a, ns, heldIrq.get(a) ?? 0] as [number, number, number])
  // oxlint-disable-next-line unicorn/no-array-sort -- a fresh array
  heldBy.sort((x, y) => y[1] - x[1])
  return { actor: sp.actor, runnableNs, interruptedNs, cpu, heldBy }
}

/** A holder's name: softirq run at irq_exit / bh_enable is booked to ksoftirqd/N but is not the thread running. */
export function holderName(actors: readonly Actor[], [a, ns, irqNs]: readonly [number, number, number]): string {
  const actor = actors[a]
  const name = actor?.name ?? `actor ${a}`
  return actor?.kind === ActorKind.ksoftirqd && irqNs > ns / 2 ? `softirq (booked to ${name})` : name
}
