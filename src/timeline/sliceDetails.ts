// What a clicked slice says (Perfetto's details panel): who woke its task and from which slice, how
// long it waited to run (runnable / interrupted), why it ended and who took the CPU next, whom it
// woke. DOM-free: derived from the slice columns, the wakeups and the thread states.
import { END_REASON_NAMES, EndReason, SLICE_KIND_NAMES } from '../engine/types.ts'
import { firstEndingAfter, hitTest, lowerBoundBy, type TraceIndex } from './model.ts'
import { isTaskKind, spanAt, ThreadState, threadStatesFor, type StateInput } from './threadStates.ts'

export interface Flow {
  /** waker side: time, CPU, actor, its slice (-1 if none stored) */
  t: number
  fromCpu: number
  waker: number
  wakerSlice: number
  /** wakee side: CPU placed on, actor, the slice where it next ran (-1: not in the trace) */
  toCpu: number
  wakee: number
  wakeeSlice: number
}

export interface SliceDetails {
  slice: number
  title: string
  actor: number
  cpu: number
  start: number
  end: number
  kind: string
  packets: number
  endReason: string
  /** the wakeup that made this run's task runnable, when it was asleep */
  wokenBy: Flow | null
  /** time from becoming runnable (or being interrupted) to this slice, ns; null = not a task slice, or it was running already */
  waitedNs: number | null
  runnableNs: number
  interruptedNs: number
  /** the slice that ran next on this CPU when this one was cut (preempted / need_resched / budget …) */
  next: { slice: number; actor: number; kind: string } | null
  /** wakeups issued from inside this slice */
  woke: Flow[]
}

/** The slice where `actor` next ran at or after t (its lane), or -1. */
function nextRun(index: TraceIndex, input: StateInput, actor: number, t: number): number {
  const lane = index.actorLanes.find((l) => l.id === actor)
  if (!lane) return -1
  const s = input.slices
  for (let p = firstEndingAfter(lane, t); p < lane.idx.length; p++) {
    const i = lane.idx[p]!
    if (s.start[i]! >= t - 1e-6 && isTaskKind(s.kind[i]!)) return i
  }
  return -1
}

/** The stored slice running on `cpu` at time t (innermost), or -1. */
function sliceAt(index: TraceIndex, input: StateInput, cpu: number, t: number): number {
  const lane = index.cpuLanes[cpu]
  if (!lane) return -1
  // a wakeup happens inside the waker's slice; at its very end the slice has end == t
  return hitTest(lane, input.slices, t, 1e-3)?.slice ?? -1
}

export function flowOf(index: TraceIndex, input: StateInput, w: number): Flow {
  const e = input.events.wakeups
  const t = e.t[w]!
  return {
    t, fromCpu: e.fromCpu[w]!, waker: e.waker[w]!, wakerSlice: sliceAt(index, input, e.fromCpu[w]!, t),
    toCpu: e.toCpu[w]!, wakee: e.wakee[w]!, wakeeSlice: nextRun(index, input, e.wakee[w]!, t),
  }
}

export function sliceDetails(input: StateInput, index: TraceIndex, i: number): SliceDetails {
  const s = input.slices
  const actor = s.actor[i]!
  const cpu = s.cpu[i]!
  const st = s.start[i]!
  const en = s.end[i]!
  const name = input.actors[actor]?.name ?? `actor ${actor}`
  const kind = SLICE_KIND_NAMES[s.kind[i]!] ?? 'slice'
  const d: SliceDetails = {
    slice: i, title: `${kind}: ${name}`, actor, cpu, start: st, end: en, kind, packets: s.packets[i]!,
    endReason: END_REASON_NAMES[s.reason[i]!] || '—',
    wokenBy: null, waitedNs: null, runnableNs: 0, interruptedNs: 0, next: null, woke: [],
  }
  // the wait before it: the runnable / interrupted spans right before the running span of this slice
  if (isTaskKind(s.kind[i]!)) {
    const sp = threadStatesFor(input, index).byActor.get(actor)
    if (sp) {
      let j = spanAt(sp, st)
      if (j >= 0 && sp.state[j] === ThreadState.running && sp.start[j]! < st - 1e-6) j = -1 // mid-run chunk: no wait
      if (j >= 0) {
        for (let k = j - 1; k >= 0; k--) {
          const state = sp.state[k]!
          if (state === ThreadState.runnable) {
            d.runnableNs += sp.end[k]! - sp.start[k]!
            if (sp.cause[k]! >= 0) d.wokenBy = flowOf(index, input, sp.cause[k]!)
          } else if (state === ThreadState.interrupted) d.interruptedNs += sp.end[k]! - sp.start[k]!
          else break
        }
        d.waitedNs = d.runnableNs + d.interruptedNs
        // woken straight onto an idle CPU: the wakeup is at the slice's start (no runnable span)
        const k = j - 1
        if (!d.wokenBy && (k < 0 || sp.state[k] === ThreadState.sleeping)) {
          const w = input.events.wakeups
          const from = k >= 0 ? sp.start[k]! : 0
          for (let p = lowerBoundBy(index.wakeupOrder, w.t, st + 1e-3) - 1, n = 0; p >= 0 && n < 5000; p--, n++) {
            const q = index.wakeupOrder[p]!
            if (w.t[q]! < from) break
            if (w.wakee[q] === actor) { d.wokenBy = flowOf(index, input, q); break }
          }
        }
      }
    }
  }
  // who took the CPU when it was cut
  const r = s.reason[i]!
  if (r !== EndReason.done && r !== EndReason.end && r !== EndReason.none) {
    const lane = index.cpuLanes[cpu]
    if (lane) {
      for (let p = firstEndingAfter(lane, en); p < lane.idx.length; p++) {
        const k = lane.idx[p]!
        if (k === i || s.start[k]! < en - 1e-6) continue
        if (s.start[k]! - en < 1e3 || r !== EndReason.sleep) d.next = { slice: k, actor: s.actor[k]!, kind: SLICE_KIND_NAMES[s.kind[k]!] ?? 'slice' }
        break
      }
    }
  }
  // whom it woke
  const w = input.events.wakeups
  for (let p = lowerBoundBy(index.wakeupOrder, w.t, st); p < index.wakeupOrder.length && d.woke.length < 50; p++) {
    const k = index.wakeupOrder[p]!
    if (w.t[k]! > en) break
    if (w.fromCpu[k] === cpu && w.waker[k] === actor) d.woke.push(flowOf(index, input, k))
  }
  return d
}
