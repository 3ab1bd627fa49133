// Import real kernel traces as text: /sys/kernel/tracing/trace, `trace-cmd report` and
// `perf script`. Streamed: push() takes chunks of any size (lines may straddle chunks), finish()
// returns a SimResult-shaped run (slices per CPU coloured by the same kinds as a simulated run,
// actors, wakeups, migrations, counters) plus what could not be understood, each with its line.
//
// Per CPU the importer keeps the kernel's context stack: hard IRQ handlers (irq_handler_entry/exit)
// over softirqs (softirq_entry/exit) over the current task (sched_switch; before the first switch
// the task is the one each line names). The top of that stack is what runs; whenever it changes, a
// slice ends and the next begins, so slices never overlap on a CPU (as in the engine's trace).
// Softirq time inside ksoftirqd/N is the ksoftirqd kind (mpstat counts it as %soft), softirq time
// at irq_exit or local_bh_enable in any other task is the softirq kind, attributed to ksoftirqd/N
// like the engine does. napi:napi_poll's work is added to the slice's packets.
import { ActorKind, EndReason, SliceKind } from '../engine/types.ts'
import { classifyComm, f64, rateCounter, scenarioForImport, TraceBuilder, type ImportedRun, type TraceSource } from './builder.ts'
import { importTraceEventJson, TraceImportError } from './traceEventImport.ts'

export { TraceImportError }

const MAX_WARNINGS = 50
const NONE = 255

// `comm-pid [cpu] flags? ts: event: fields` (ftrace, trace-cmd); flags and a "(tgid)" column are optional
const FTRACE_RE = /^\s*(.*?)-(\d+)\s+(?:\(\s*[\d-]+\)\s+)?\[(\d+)\]\s+(?:\S+\s+)??(\d+)\.(\d+):\s+([\w:]+):\s?(.*)$/
// `comm pid[/tid] [cpu] ts: [period] subsys:event: fields` (perf script)
const PERF_RE = /^\s*(.+?)\s+(\d+)(?:\/(\d+))?\s+\[(\d+)\]\s+(\d+)\.(\d+):\s+(?:\d+\s+)?(\w+:\w+):\s*(.*)$/

const IRQ_ENTRY_RE = /irq=(\d+) name=(\S+)/
const IRQ_RE = /irq=(\d+)/
const VEC_RE = /vec=(\d+)/
const NAPI_RE = /work (-?\d+) budget (\d+)/
const SWITCH_RAW_RE = /prev_comm=(.*) prev_pid=(-?\d+) prev_prio=(-?\d+) prev_state=(\S+) ==> next_comm=(.*) next_pid=(-?\d+) next_prio=(-?\d+)/
const SWITCH_TC_RE = /^(.*):(-?\d+) \[(-?\d+)\] (\S+) ==> (.*):(-?\d+) \[(-?\d+)\]/
const WAKE_RAW_RE = /comm=(.*) pid=(-?\d+) prio=(-?\d+)(?: success=\d+)? target_cpu=(\d+)/
const WAKE_TC_RE = /^(.*):(-?\d+) \[(-?\d+)\](?: success=\d+)? CPU:(\d+)/
const MIGRATE_RE = /comm=(.*) pid=(-?\d+) prio=(-?\d+) orig_cpu=(\d+) dest_cpu=(\d+)/
const LOST_RE = /CPU:?\s*(\d+)\s*\[LOST (\d+) EVENTS\]/

interface CpuState {
  /** actor of the current task, -1 idle (pid 0), -2 not known yet */
  task: number
  taskKind: number
  /** hard IRQ actors, innermost last */
  irqs: number[]
  soft: number
  /** a poll in the current softirq used its whole budget */
  budgetHit: boolean
  open: { start: number; kind: number; actor: number; packets: number }
  lastT: number
  sawSwitch: boolean
}

export type TextFormat = 'ftrace' | 'trace-cmd' | 'perf-script'

export class TextImporter {
  private readonly b = new TraceBuilder()
  private readonly cpu: CpuState[] = []
  private readonly actorByPid = new Map<number, number>()
  private readonly actorByName = new Map<string, number>()
  private readonly irqActor = new Map<number, number>()
  private rest = ''
  private lineNo = 0
  private origin = NaN
  private lastT = 0
  private events = 0
  private readonly warnings: { line: number; message: string }[] = []
  private warningCount = 0
  private format: TextFormat | null = null
  private sawTraceCmdHeader = false
  // counters: event times (and weights) for rate tracks
  private readonly napiT = f64()
  private readonly napiW = f64()
  private readonly copyT = f64()
  private readonly udpDropT = f64()
  private readonly kfreeT = f64()
  private napiWork = 0
  bytes = 0

  constructor(readonly name: string) {}

  private warn(message: string, line = this.lineNo): void {
    this.warningCount++
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push({ line, message })
  }

  push(chunk: string): void {
    this.bytes += chunk.length
    let text = this.rest + chunk
    let from = 0
    for (;;) {
      const nl = text.indexOf('\n', from)
      if (nl < 0) break
      this.line(text.charCodeAt(nl - 1) === 13 ? text.slice(from, nl - 1) : text.slice(from, nl))
      from = nl + 1
    }
    this.rest = text.slice(from)
    text = ''
  }

  private line(l: string): void {
    this.lineNo++
    if (l.length === 0) return
    const c0 = l.charCodeAt(0)
    if (c0 === 35 /* # */) {
      const p = /#P:(\d+)/.exec(l)
      if (p) this.b.declareCpus(Number(p[1]))
      return
    }
    if (this.lineNo <= 64 && /^(cpus=\d+|version = \d+|CPU \d+ is empty|trace-cmd)/.test(l)) {
      const m = /^cpus=(\d+)/.exec(l)
      if (m) { this.b.declareCpus(Number(m[1])); this.sawTraceCmdHeader = true }
      return
    }
    const lost = LOST_RE.exec(l)
    if (lost) {
      const c = Number(lost[1])
      this.warn(`CPU ${c}: ${lost[2]} events lost; that CPU's context is reset`)
      if (this.cpu[c]) this.reset(c)
      return
    }
    if (/^\s*#####/.test(l) || /^\s*CPU \d+ (buffer started|is empty)/.test(l)) return
    let comm: string
    let pid: number
    let cpu: number
    let sec: string
    let frac: string
    let ev: string
    let fields: string
    const m = FTRACE_RE.exec(l)
    if (m) {
      comm = m[1]!.trim(); pid = Number(m[2]); cpu = Number(m[3]); sec = m[4]!; frac = m[5]!; ev = m[6]!; fields = m[7]!
      this.format ??= this.sawTraceCmdHeader ? 'trace-cmd' : 'ftrace'
    } else {
      const p = PERF_RE.exec(l)
      if (!p) {
        this.warn(`not a trace event line: '${l.length > 80 ? `${l.slice(0, 80)}…` : l}'`)
        return
      }
      comm = p[1]!.trim(); pid = Number(p[3] ?? p[2]); cpu = Number(p[4]); sec = p[5]!; frac = p[6]!; ev = p[7]!; fields = p[8]!
      this.format ??= 'perf-script'
    }
    if (cpu > 4095) { this.warn(`CPU ${cpu} is out of range`); return }
    const colon = ev.lastIndexOf(':', ev.length - 1)
    if (colon >= 0) ev = ev.slice(colon + 1)
    const abs = Number(sec) * 1e9 + Number(frac.length >= 9 ? frac.slice(0, 9) : frac.padEnd(9, '0'))
    if (Number.isNaN(this.origin)) this.origin = abs
    let t = abs - this.origin
    if (t < 0) { this.warn(`timestamp before the first event (${sec}.${frac} s); event ignored`); return }
    const cs = this.state(cpu)
    if (t < cs.lastT) {
      this.warn(`timestamp goes back on CPU ${cpu} (${sec}.${frac} s); taken as ${((cs.lastT + this.origin) / 1e9).toFixed(6)} s`)
      t = cs.lastT
    }
    cs.lastT = t
    if (t > this.lastT) this.lastT = t
    // the line names the running task: before the first sched_switch on this CPU that is all we know
    if (!cs.sawSwitch && cs.task === -2) {
      cs.task = pid === 0 ? -1 : this.actorFor(pid, comm)
      cs.taskKind = pid === 0 ? NONE : this.kindOfActor(cs.task)
      this.update(cpu, t, EndReason.none)
    }
    this.handle(cpu, cs, t, ev, fields, comm, pid)
  }

  private handle(cpu: number, cs: CpuState, t: number, ev: string, f: string, comm: string, pid: number): void {
    switch (ev) {
      case 'irq_handler_entry': {
        const m = IRQ_ENTRY_RE.exec(f)
        if (!m) return this.bad(ev, f)
        cs.irqs.push(this.irqActorFor(Number(m[1]), m[2]!))
        this.update(cpu, t, EndReason.preempted)
        break
      }
      case 'irq_handler_exit': {
        const m = IRQ_RE.exec(f)
        if (!m) return this.bad(ev, f)
        if (cs.irqs.length === 0) { this.events++; return } // entry before the trace began: its time is unknown
        cs.irqs.pop()
        this.update(cpu, t, EndReason.done)
        break
      }
      case 'softirq_entry': {
        if (!VEC_RE.test(f)) return this.bad(ev, f)
        cs.soft++
        if (cs.soft === 1) cs.budgetHit = false
        this.update(cpu, t, EndReason.preempted)
        break
      }
      case 'softirq_exit': {
        if (!VEC_RE.test(f)) return this.bad(ev, f)
        if (cs.soft === 0) { this.events++; return }
        cs.soft--
        this.update(cpu, t, cs.budgetHit ? EndReason.budget : EndReason.done)
        break
      }
      case 'softirq_raise':
        if (!VEC_RE.test(f)) return this.bad(ev, f)
        break
      case 'napi_poll': {
        const m = NAPI_RE.exec(f)
        if (!m) return this.bad(ev, f)
        const work = Math.max(0, Number(m[1]))
        if (cs.open.kind !== NONE) cs.open.packets += work
        if (work >= Number(m[2])) cs.budgetHit = true
        this.napiT.push(t); this.napiW.push(work); this.napiWork += work
        break
      }
      case 'sched_switch': {
        const m = SWITCH_RAW_RE.exec(f) ?? SWITCH_TC_RE.exec(f)
        if (!m) return this.bad(ev, f)
        const prevPid = Number(m[2])
        const nextPid = Number(m[6])
        if (cs.sawSwitch && cs.task !== (prevPid === 0 ? -1 : this.actorByPid.get(prevPid) ?? -3)) this.warn(`sched_switch on CPU ${cpu} from pid ${prevPid}, but pid ${this.pidOf(cs.task)} was running (events lost?)`)
        const state = m[4]!
        cs.sawSwitch = true
        if (prevPid !== 0) this.actorFor(prevPid, m[1]!.trim())
        cs.task = nextPid === 0 ? -1 : this.actorFor(nextPid, m[5]!.trim())
        cs.taskKind = nextPid === 0 ? NONE : this.kindOfActor(cs.task)
        this.update(cpu, t, state.startsWith('R') ? EndReason.needResched : EndReason.sleep)
        break
      }
      case 'sched_wakeup':
      case 'sched_wakeup_new': {
        const m = WAKE_RAW_RE.exec(f) ?? WAKE_TC_RE.exec(f)
        if (!m) return this.bad(ev, f)
        const wakee = this.actorFor(Number(m[2]), m[1]!.trim())
        const waker = cs.open.kind !== NONE ? cs.open.actor : pid === 0 ? -1 : this.actorFor(pid, comm)
        if (waker >= 0) this.b.addWakeup(t, cpu, Number(m[4]), waker, wakee)
        break
      }
      case 'sched_migrate_task': {
        const m = MIGRATE_RE.exec(f)
        if (!m) return this.bad(ev, f)
        if (Number(m[2]) !== 0) this.b.addMigration(t, Number(m[4]), Number(m[5]), this.actorFor(Number(m[2]), m[1]!.trim()))
        break
      }
      case 'skb_copy_datagram_iovec':
        this.copyT.push(t)
        break
      case 'udp_fail_queue_rcv_skb':
        this.udpDropT.push(t)
        break
      case 'kfree_skb':
        this.kfreeT.push(t)
        break
      default:
        return // other events: read, not used
    }
    this.events++
  }

  private bad(ev: string, f: string): void {
    this.warn(`${ev}: fields not understood: '${f.length > 80 ? `${f.slice(0, 80)}…` : f}'`)
  }

  private pidOf(actor: number): number {
    for (const [p, a] of this.actorByPid) if (a === actor) return p
    return actor === -1 ? 0 : -1
  }

  private state(cpu: number): CpuState {
    while (this.cpu.length <= cpu) this.cpu.push({ task: -2, taskKind: NONE, irqs: [], soft: 0, budgetHit: false, open: { start: 0, kind: NONE, actor: 0, packets: 0 }, lastT: 0, sawSwitch: false })
    this.b.declareCpus(cpu + 1)
    return this.cpu[cpu]!
  }

  private reset(cpu: number): void {
    const cs = this.cpu[cpu]!
    this.close(cpu, cs, cs.lastT, EndReason.none)
    cs.irqs.length = 0
    cs.soft = 0
    cs.task = -2
    cs.sawSwitch = false
  }

  private actorFor(pid: number, comm: string): number {
    let id = this.actorByPid.get(pid)
    if (id !== undefined) return id
    // ksoftirqd/N may already exist as the owner of softirq slices on CPU N (before it ran itself)
    const named = this.actorByName.get(comm)
    if (named !== undefined && this.b.actors[named]!.kind === ActorKind.ksoftirqd && ![...this.actorByPid.values()].includes(named)) id = named
    else {
      id = this.b.addActor({ name: comm, kind: classifyComm(comm).actorKind })
      if (!this.actorByName.has(comm)) this.actorByName.set(comm, id)
    }
    this.actorByPid.set(pid, id)
    return id
  }

  private ksoftirqdOf(cpu: number): number {
    const name = `ksoftirqd/${cpu}`
    let id = this.actorByName.get(name)
    if (id === undefined) {
      id = this.b.addActor({ name, kind: ActorKind.ksoftirqd })
      this.actorByName.set(name, id)
    }
    return id
  }

  private irqActorFor(irq: number, name: string): number {
    let id = this.irqActor.get(irq)
    if (id === undefined) {
      id = this.b.addActor({ name: `irq ${irq} (${name})`, kind: ActorKind.irq })
      this.irqActor.set(irq, id)
    }
    return id
  }

  private kindOfActor(actor: number): number {
    return classifyComm(this.b.actors[actor]!.name).sliceKind
  }

  /** Make the open slice match the top of the CPU's context stack. */
  private update(cpu: number, t: number, reason: number): void {
    const cs = this.cpu[cpu]!
    let kind: number = NONE
    let actor = 0
    if (cs.irqs.length) { kind = SliceKind.hardirq; actor = cs.irqs[cs.irqs.length - 1]! }
    else if (cs.soft > 0) {
      if (cs.task >= 0 && cs.taskKind === SliceKind.ksoftirqd) { kind = SliceKind.ksoftirqd; actor = cs.task }
      else { kind = SliceKind.softirq; actor = this.ksoftirqdOf(cpu) }
    } else if (cs.task >= 0) { kind = cs.taskKind; actor = cs.task }
    const o = cs.open
    if (o.kind === kind && o.actor === actor) return
    this.close(cpu, cs, t, reason)
    o.start = t
    o.kind = kind
    o.actor = actor
    o.packets = 0
  }

  private close(cpu: number, cs: CpuState, t: number, reason: number): void {
    const o = cs.open
    if (o.kind !== NONE && t > o.start) this.b.addSlice(o.start, t, cpu, o.kind, o.actor, o.packets, reason)
    o.kind = NONE
  }

  /** Lines read so far (progress). */
  get lines(): number {
    return this.lineNo
  }

  finish(): ImportedRun {
    if (this.rest.length) { this.line(this.rest); this.rest = '' }
    if (Number.isNaN(this.origin)) {
      throw new TraceImportError(`${this.name}: no trace events found in ${this.lineNo} lines (expected ftrace, trace-cmd report or perf script text${this.warnings[0] ? `; line ${this.warnings[0].line}: ${this.warnings[0].message}` : ''})`)
    }
    const end = this.lastT
    for (let c = 0; c < this.cpu.length; c++) this.close(c, this.cpu[c]!, end, EndReason.end)
    const durationNs = Math.max(end, 1)
    const period = Math.max(10_000, Math.round(durationNs / 2000 / 1000) * 1000)
    const b = this.b
    if (this.napiT.n) b.counters.push(rateCounter('NAPI polled (napi_poll work)', this.napiT.data, this.napiT.n, durationNs, period, this.napiW.data))
    if (this.copyT.n) b.counters.push(rateCounter('read by apps (skb_copy_datagram_iovec)', this.copyT.data, this.copyT.n, durationNs, period))
    if (this.udpDropT.n) b.counters.push(rateCounter('socket drops (udp_fail_queue_rcv_skb)', this.udpDropT.data, this.udpDropT.n, durationNs, period))
    if (this.kfreeT.n) b.counters.push(rateCounter('kfree_skb', this.kfreeT.data, this.kfreeT.n, durationNs, period))
    const dropped: Record<string, number> = {}
    if (this.udpDropT.n) dropped['socket (udp_fail_queue_rcv_skb)'] = this.udpDropT.n
    const source: TraceSource = {
      name: this.name,
      format: this.format ?? 'ftrace',
      lines: this.lineNo,
      events: this.events,
      warnings: this.warnings,
      warningCount: this.warningCount,
      originNs: this.origin,
    }
    return {
      scenario: scenarioForImport(b.cpus, durationNs),
      summary: b.summary(durationNs, { offered: this.napiWork, delivered: this.copyT.n, dropped, events: this.events }),
      trace: b.trace(durationNs),
      perf: { wallMs: 0, eventsPerSec: 0 },
      source,
    }
  }
}

/** Import a whole text (JSON or ftrace/perf text, detected by its first character). */
export function importText(text: string, name: string): ImportedRun[] {
  if (/^\s*[[{]/.test(text.slice(0, 256))) return importTraceEventJson(text, name)
  const imp = new TextImporter(name)
  imp.push(text)
  return [imp.finish()]
}
