// Export runs as Trace Event JSON (the "JSON trace format" that Perfetto, chrome://tracing and
// Speedscope open). Streamed: a generator of string chunks written from the typed-array columns,
// never a second copy of the trace in memory (one chunk of ~64 KiB at a time).
//
// Layout per run (label A, B, …), following Perfetto's conventions for JSON traces:
//   process "<label> CPUs"      one thread track per CPU ("CPU n"); complete slices (ph X) named
//                               after the thread or IRQ, cat = slice kind, args {kind, packets,
//                               end_reason, thread}; wakeups as flow events (ph s on the waker's
//                               CPU at the wakeup, ph f on the wakee's CPU binding to its next slice);
//                               counter tracks (ph C); mode switches as process-scoped instants.
//   process "<label> threads"   (option `threads`) one track per thread / IRQ line, the same slices.
// Timestamps are µs with 3 decimals (exact integer ns); displayTimeUnit is ns.
import { END_REASON_NAMES, SLICE_KIND_NAMES, type SimResult, type Trace } from '../engine/types.ts'
import { buildIndex, type Lane } from '../timeline/model.ts'

export interface ExportRun {
  label: string
  r: SimResult
  /** free text for the process name, e.g. 'simulated: local-same-cpu' or 'real: trace.txt' */
  title?: string
}

export interface ExportOptions {
  /** one track per thread as well (doubles the slice count) */
  threads?: boolean
  /** target chunk size in characters */
  chunkChars?: number
}

/** ns (integer or not) as a µs decimal with exactly 3 fraction digits: exact for integer ns. */
export function usStr(ns: number): string {
  const n = Math.round(ns)
  const neg = n < 0
  const a = neg ? -n : n
  const us = Math.floor(a / 1000)
  const r = a - us * 1000
  return `${neg ? '-' : ''}${us}.${r < 10 ? '00' : r < 100 ? '0' : ''}${r}`
}

const json = JSON.stringify

/** tids: CPU tracks are cpu + 1 (tid 0 is special in some viewers), thread tracks actor + 1. */
export const cpuTid = (cpu: number): number => cpu + 1
export const actorTid = (actor: number): number => actor + 1

export function* traceEventChunks(runs: ExportRun[], opts: ExportOptions = {}): Generator<string, void, undefined> {
  const limit = opts.chunkChars ?? 1 << 16
  let buf = ''
  let first = true
  // flush whenever the buffer is large enough; events are appended as ",\n{...}"
  const meta = runs.map(({ label, r, title }) => ({ label, title: title ?? '', durationNs: r.trace.durationNs, cpus: r.trace.cpus, slices: r.trace.slices.count }))
  buf += `{"displayTimeUnit":"ns","otherData":${json({ generator: 'irqlab', irqlab: 1, runs: meta })},"traceEvents":[`
  const ev = (s: string) => {
    buf += first ? `\n${s}` : `,\n${s}`
    first = false
  }
  let flowId = 1
  for (let ri = 0; ri < runs.length; ri++) {
    const { label, r, title } = runs[ri]!
    const tr = r.trace
    const pidCpu = ri * 2 + 1
    const pidThr = ri * 2 + 2
    ev(`{"ph":"M","pid":${pidCpu},"tid":0,"name":"process_name","args":{"name":${json(`${label} CPUs${title ? ` (${title})` : ''}`)}}}`)
    ev(`{"ph":"M","pid":${pidCpu},"tid":0,"name":"process_sort_index","args":{"sort_index":${pidCpu}}}`)
    for (let c = 0; c < tr.cpus; c++) {
      ev(`{"ph":"M","pid":${pidCpu},"tid":${cpuTid(c)},"name":"thread_name","args":{"name":"CPU ${c}"}}`)
      ev(`{"ph":"M","pid":${pidCpu},"tid":${cpuTid(c)},"name":"thread_sort_index","args":{"sort_index":${c}}}`)
    }
    const ix = buildIndex(tr)
    const names = tr.actors.map((a) => json(a.name))
    const kindArgs = SLICE_KIND_NAMES.map((k) => json(k))
    const reasonArgs = END_REASON_NAMES.map((k) => json(k))
    const s = tr.slices
    const slice = (i: number, pid: number, tid: number) =>
      `{"ph":"X","pid":${pid},"tid":${tid},"ts":${usStr(s.start[i]!)},"dur":${usStr(s.end[i]! - s.start[i]!)},"name":${names[s.actor[i]!] ?? '"?"'},"cat":${kindArgs[s.kind[i]!] ?? '"?"'},"args":{"kind":${kindArgs[s.kind[i]!] ?? '"?"'},"packets":${s.packets[i]!},"end_reason":${reasonArgs[s.reason[i]!] ?? '""'},"cpu":${s.cpu[i]!}}}`
    // wakeups per CPU track, in time order: 's' on the waker's CPU, 'f' on the wakee's
    const w = tr.events.wakeups
    const byFrom = bucketByCpu(w.count, w.fromCpu, w.t, tr.cpus)
    const byTo = bucketByCpu(w.count, w.toCpu, w.t, tr.cpus)
    const m = tr.events.migrations
    const byMig = bucketByCpu(m.count, m.toCpu, m.t, tr.cpus)
    const idOf = (k: number) => flowId + k
    for (const lane of ix.cpuLanes) {
      const tid = cpuTid(lane.id)
      const outs = byFrom[lane.id]!
      const ins = byTo[lane.id]!
      const migs = byMig[lane.id]!
      // merge four time-ordered streams (slices, flow starts, flow ends, migrations) so the track stays monotonic
      let a = 0
      let b = 0
      let c = 0
      let d = 0
      const nS = lane.idx.length
      for (;;) {
        const tS = a < nS ? s.start[lane.idx[a]!]! : Infinity
        const tO = b < outs.length ? w.t[outs[b]!]! : Infinity
        const tI = c < ins.length ? w.t[ins[c]!]! : Infinity
        const tM = d < migs.length ? m.t[migs[d]!]! : Infinity
        const tMin = Math.min(tS, tO, tI, tM)
        if (tMin === Infinity) break
        if (tO === tMin) {
          const k = outs[b++]!
          ev(`{"ph":"s","pid":${pidCpu},"tid":${tid},"ts":${usStr(w.t[k]!)},"name":"wakeup","cat":"sched","id":${idOf(k)},"args":{"waker":${names[w.waker[k]!] ?? '"?"'},"wakee":${names[w.wakee[k]!] ?? '"?"'}}}`)
        } else if (tI === tMin) {
          const k = ins[c++]!
          ev(`{"ph":"f","pid":${pidCpu},"tid":${tid},"ts":${usStr(w.t[k]!)},"name":"wakeup","cat":"sched","id":${idOf(k)},"args":{"wakee":${names[w.wakee[k]!] ?? '"?"'}}}`)
        } else if (tM === tMin) {
          // migrations as thread-scoped instants on the destination CPU
          const k = migs[d++]!
          ev(`{"ph":"i","s":"t","pid":${pidCpu},"tid":${tid},"ts":${usStr(m.t[k]!)},"name":"migrate","cat":"sched","args":{"thread":${names[m.actor[k]!] ?? '"?"'},"from_cpu":${m.fromCpu[k]!},"to_cpu":${m.toCpu[k]!}}}`)
        } else ev(slice(lane.idx[a++]!, pidCpu, tid))
        if (buf.length >= limit) { yield buf; buf = '' }
      }
    }
    flowId += w.count
    for (const sw of tr.events.modeSwitches) ev(`{"ph":"i","s":"p","pid":${pidCpu},"tid":0,"ts":${usStr(sw.tNs)},"name":${json(`${sw.queue < 0 ? 'all IRQs' : `IRQ ${sw.irq}`} → ${sw.threaded ? 'threaded' : 'softirq'}`)},"cat":"mode"}`)
    for (const ct of tr.counters) {
      const name = json(`${ct.name} (${ct.unit})`)
      const key = json(ct.unit || 'value')
      for (let i = 0; i < ct.t.length; i++) {
        ev(`{"ph":"C","pid":${pidCpu},"tid":0,"ts":${usStr(ct.t[i]!)},"name":${name},"args":{${key}:${Number.isFinite(ct.v[i]!) ? +ct.v[i]!.toPrecision(9) : 0}}}`)
        if (buf.length >= limit) { yield buf; buf = '' }
      }
    }
    if (opts.threads) {
      ev(`{"ph":"M","pid":${pidThr},"tid":0,"name":"process_name","args":{"name":${json(`${label} threads${title ? ` (${title})` : ''}`)}}}`)
      ev(`{"ph":"M","pid":${pidThr},"tid":0,"name":"process_sort_index","args":{"sort_index":${pidThr}}}`)
      for (const lane of ix.actorLanes) emitThreadLane(lane)
    }
    if (buf.length) { yield buf; buf = '' }

    function emitThreadLane(lane: Lane) {
      const tid = actorTid(lane.id)
      ev(`{"ph":"M","pid":${pidThr},"tid":${tid},"name":"thread_name","args":{"name":${names[lane.id] ?? '"?"'}}}`)
      for (let p = 0; p < lane.idx.length; p++) ev(slice(lane.idx[p]!, pidThr, tid))
    }
  }
  buf += '\n]}\n'
  yield buf
}

/** Indices per CPU, each in time order (stable: input order breaks ties). */
function bucketByCpu(n: number, cpu: Uint16Array, t: Float64Array, cpus: number): Uint32Array[] {
  const counts = new Uint32Array(cpus)
  for (let i = 0; i < n; i++) counts[Math.min(cpu[i]!, cpus - 1)]!++
  const out = Array.from({ length: cpus }, (_, c) => new Uint32Array(counts[c]!))
  const fill = new Uint32Array(cpus)
  for (let i = 0; i < n; i++) { const c = Math.min(cpu[i]!, cpus - 1); out[c]![fill[c]!++] = i }
  for (const o of out) {
    let sorted = true
    for (let i = 1; i < o.length; i++) if (t[o[i]!]! < t[o[i - 1]!]!) { sorted = false; break }
    // oxlint-disable-next-line unicorn/no-array-sort -- sorting our own array in place
    if (!sorted) o.sort((a, b) => t[a]! - t[b]! || a - b)
  }
  return out
}

/** The whole export as one string (tests, small runs). Large runs: iterate the chunks instead. */
export function traceEventJson(runs: ExportRun[], opts?: ExportOptions): string {
  let s = ''
  for (const c of traceEventChunks(runs, opts)) s += c
  return s
}

export type { Trace }
