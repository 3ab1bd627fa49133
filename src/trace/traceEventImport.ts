// Import Trace Event JSON written by irqlab (or any JSON trace whose thread tracks are named
// "CPU n"): complete slices on CPU tracks become slices, s/f flow pairs wakeups, "migrate"
// instants migrations, C events counters. One run per process that has CPU tracks.
import { ActorKind, END_REASON_NAMES, SLICE_KIND_NAMES, SliceKind, type CounterTrack } from '../engine/types.ts'
import { sortedCopy } from '../timeline/format.ts'
import { classifyComm, scenarioForImport, TraceBuilder, type ImportedRun, type TraceSource } from './builder.ts'

interface TEvent {
  ph?: string
  pid?: number
  tid?: number
  ts?: number
  dur?: number
  name?: string
  cat?: string
  id?: number | string
  args?: Record<string, unknown>
}

export class TraceImportError extends Error {}

const nsOf = (us: number) => Math.round(us * 1000)
const kindOf = (k: unknown) => Math.max(0, SLICE_KIND_NAMES.indexOf(String(k) as (typeof SLICE_KIND_NAMES)[number]))
const reasonOf = (k: unknown) => Math.max(0, END_REASON_NAMES.indexOf(String(k) as (typeof END_REASON_NAMES)[number]))

export function importTraceEventJson(text: string, name: string): ImportedRun[] {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (e) {
    throw new TraceImportError(`${name}: not valid JSON (${(e as Error).message})`)
  }
  const events: unknown = Array.isArray(doc) ? doc : (doc as { traceEvents?: unknown } | null)?.traceEvents
  if (!Array.isArray(events)) throw new TraceImportError(`${name}: no traceEvents array (not a Trace Event JSON file)`)
  const evs = events as TEvent[]
  const otherRuns = ((doc as { otherData?: { runs?: { label?: string; durationNs?: number }[] } }).otherData?.runs ?? [])
  // tracks named "CPU n" per process
  const cpuOf = new Map<string, number>()
  const procName = new Map<number, string>()
  for (const e of evs) {
    if (e?.ph !== 'M') continue
    const n = e.args?.name
    if (e.name === 'thread_name' && typeof n === 'string') {
      const m = /^CPU (\d+)$/.exec(n)
      if (m && typeof e.pid === 'number' && typeof e.tid === 'number') cpuOf.set(`${e.pid}/${e.tid}`, Number(m[1]))
    } else if (e.name === 'process_name' && typeof n === 'string' && typeof e.pid === 'number') procName.set(e.pid, n)
  }
  const pids = sortedCopy([...new Set([...cpuOf.keys()].map((k) => Number(k.split('/')[0])))], (a, b) => a - b)
  if (!pids.length) throw new TraceImportError(`${name}: no thread track named "CPU n" (expected one track per CPU)`)
  return pids.map((pid, ri) => importProcess(evs, pid, cpuOf, name, otherRuns[ri]?.label ?? procName.get(pid) ?? `run ${ri + 1}`, otherRuns[ri]?.durationNs))
}

function importProcess(evs: TEvent[], pid: number, cpuOf: Map<string, number>, name: string, label: string, declaredNs?: number): ImportedRun {
  const b = new TraceBuilder(Number.MAX_SAFE_INTEGER)
  const actorByName = new Map<string, number>()
  const actor = (n: string, kind: number) => {
    let id = actorByName.get(n)
    if (id === undefined) {
      const ak = kind === SliceKind.hardirq ? ActorKind.irq : classifyComm(n).actorKind
      id = b.addActor({ name: n, kind: ak })
      actorByName.set(n, id)
    }
    return id
  }
  const flowStart = new Map<string, { t: number; cpu: number; waker: string; wakee: string }>()
  const flowEnd = new Map<string, number>()
  const counters = new Map<string, { unit: string; t: number[]; v: number[] }>()
  let maxT = 0
  let used = 0
  // slices first (actors get ids in order of appearance), then events that refer to actors by name
  for (const e of evs) {
    if (e?.pid !== pid || e.ph !== 'X' || typeof e.ts !== 'number') continue
    const cpu = cpuOf.get(`${pid}/${e.tid}`)
    if (cpu === undefined) continue
    const t0 = nsOf(e.ts)
    const t1 = t0 + nsOf(e.dur ?? 0)
    const kind = kindOf(e.args?.kind ?? e.cat)
    b.addSlice(t0, t1, cpu, kind, actor(String(e.name ?? '?'), kind), Number(e.args?.packets ?? 0) >>> 0, reasonOf(e.args?.end_reason))
    if (t1 > maxT) maxT = t1
    used++
  }
  const wakeups: { t: number; from: number; to: number; waker: string; wakee: string }[] = []
  for (const e of evs) {
    if (e?.pid !== pid || typeof e.ts !== 'number') continue
    const cpu = cpuOf.get(`${pid}/${e.tid}`)
    if (e.ph === 's' && cpu !== undefined) {
      flowStart.set(String(e.id), { t: nsOf(e.ts), cpu, waker: String(e.args?.waker ?? ''), wakee: String(e.args?.wakee ?? '') })
    } else if (e.ph === 'f' && cpu !== undefined) {
      flowEnd.set(String(e.id), cpu)
    } else if (e.ph === 'i' && e.name === 'migrate' && e.args) {
      const th = String(e.args.thread ?? '')
      b.addMigration(nsOf(e.ts), Number(e.args.from_cpu), Number(e.args.to_cpu), actor(th, classifyComm(th).sliceKind))
      used++
    } else if (e.ph === 'C' && typeof e.name === 'string' && e.args) {
      const m = /^(.*) \((.*)\)$/.exec(e.name)
      const key = m ? m[1]! : e.name
      const c = counters.get(key) ?? { unit: m ? m[2]! : Object.keys(e.args)[0] ?? '', t: [], v: [] }
      c.t.push(nsOf(e.ts))
      c.v.push(Number(Object.values(e.args)[0] ?? 0))
      counters.set(key, c)
    }
  }
  // a flow's end may come before its start in the file (tracks are written one after the other)
  for (const [id, st] of flowStart) {
    const to = flowEnd.get(id)
    if (to === undefined) continue
    wakeups.push({ t: st.t, from: st.cpu, to, waker: st.waker, wakee: st.wakee })
    used++
  }
  for (const w of sortedCopy(wakeups, (x, y) => x.t - y.t)) b.addWakeup(w.t, w.from, w.to, actor(w.waker, SliceKind.app), actor(w.wakee, SliceKind.app))
  for (const [n, c] of counters) {
    const tr: CounterTrack = { name: n, unit: c.unit, kind: c.unit === 'kpps' ? 'rate' : 'level', t: Float64Array.from(c.t), v: Float64Array.from(c.v) }
    b.counters.push(tr)
  }
  const cpusHere = [...cpuOf.entries()].filter(([k]) => k.startsWith(`${pid}/`)).map(([, c]) => c)
  b.declareCpus(Math.max(0, ...cpusHere) + 1)
  const durationNs = typeof declaredNs === 'number' && declaredNs >= maxT ? declaredNs : maxT
  const source: TraceSource = { name, format: 'trace-event-json', lines: evs.length, events: used, warnings: [], warningCount: 0, originNs: 0, label }
  return {
    scenario: scenarioForImport(b.cpus, durationNs),
    summary: b.summary(durationNs, { offered: 0, delivered: 0, dropped: {}, events: used }),
    trace: b.trace(durationNs),
    perf: { wallMs: 0, eventsPerSec: 0 },
    source,
  }
}
