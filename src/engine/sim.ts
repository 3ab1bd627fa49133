// The engine's run API: a Simulation advances a World in steps (so a worker can report progress
// and stop), and builds the result: summary (throughput, drops, CPU like mpstat, per task) and trace.
import { USR, SYS, HARD, SOFT, IDLE } from './kernel/types.ts'
import type { Scenario } from './scenario.ts'
import type { Costs } from './costs.ts'
import type { RunOptions, SimResult, Summary } from './types.ts'
import { World } from './world.ts'

export interface Simulation {
  readonly scenario: Scenario
  /** advance by at most `maxEvents` events; true when the run is finished */
  advance(maxEvents: number): boolean
  /** fraction of simulated time done, 0..1 */
  progress(): number
  /**
   * the result (partial if called before the run finished); `guest: false` leaves out the guest's trace
   * (snapshots). Once the run is finished the trace's slice columns are the recorder's own (no copy).
   */
  result(opts?: { guest?: boolean }): SimResult
}

function summary(w: World): Summary {
  const simNs = w.loop.now
  const measuredNs = Math.max(1, simNs - (w.warm.done ? w.warmupNs : 0))
  const offered = w.nic.offered()
  const dropped = w.drops.total()
  const kpps = (n: number) => (n / measuredNs) * 1e6
  const cpuRows = (cpus: World['host']['cpus']) => cpus.map((c) => {
    const pct = (i: number) => (simNs ? (c.acct[i]! / simNs) * 100 : 0)
    const row = { cpu: c.id, usr: pct(USR), sys: pct(SYS), hardirq: pct(HARD), softirq: pct(SOFT), idle: pct(IDLE) }
    // a guest CPU only accounts the time its vCPU thread ran it: the rest is idle (halted) or steal
    if (c.vcpu) row.idle = Math.max(0, 100 - row.usr - row.sys - row.hardirq - row.softirq)
    return row
  })
  const tasks = [...w.host.tasks, ...(w.guest?.kernel.tasks ?? [])]
  return {
    packets: { offered, delivered: w.delivered, dropped: { ...w.drops.byPlace }, inFlight: w.inFlight() },
    offeredKpps: kpps(offered - w.warm.offered),
    deliveredKpps: kpps(w.delivered - w.warm.delivered),
    droppedKpps: kpps(dropped - w.warm.dropped),
    lineRateKpps: w.lineRateKpps,
    cpu: cpuRows(w.host.cpus),
    ...(w.guest ? { guestCpu: cpuRows(w.guest.kernel.cpus) } : {}),
    tasks: tasks.map((t) => ({ actor: t.actor, name: t.name, cpuTimeNs: t.cpuTimeNs, migrations: t.migrations, wakeups: t.wakeups, runDelayNs: t.runDelayNs })),
    latency: {
      what: w.s.traffic.pattern === 'rr' ? 'request → response' : 'wire → read',
      count: w.latency.count,
      p50Ns: w.latency.quantile(0.5), p90Ns: w.latency.quantile(0.9), p99Ns: w.latency.quantile(0.99), p999Ns: w.latency.quantile(0.999),
      buckets: w.latency.buckets(),
    },
    irqsPerQueue: w.nic.queues.map((q) => q.irqCount),
    timeSqueeze: w.host.cpus.map((c) => c.timeSqueeze),
    modeSwitches: w.modeSwitchCount,
    eventsProcessed: w.loop.processed,
    accountedNs: w.host.cpus.map((c) => c.acct.reduce((a, b) => a + b, 0)),
    simulatedNs: simNs,
  }
}

function result(w: World, withGuest = true): SimResult {
  const g = withGuest ? w.guest : null
  return {
    scenario: w.s,
    summary: summary(w),
    trace: {
      cpus: w.host.cpus.length,
      durationNs: w.loop.now,
      actors: w.actors,
      slices: w.slices.columns(w.finished),
      droppedSlices: w.slices.dropped,
      counters: w.counters.tracks(),
      events: w.events.events(),
      ...(w.slices.busy ? { busy: w.slices.busy.summary(w.actors.length) } : {}),
      ...(w.paths.every > 0 ? { paths: w.paths.result() } : {}),
      ...(g ? { guest: { cpus: g.kernel.cpus.length, slices: g.slices.columns(w.finished), droppedSlices: g.slices.dropped, events: g.events.events(), ...(g.slices.busy ? { busy: g.slices.busy.summary(w.actors.length) } : {}) } } : {}),
    },
    perf: { wallMs: 0, eventsPerSec: 0 },
  }
}

/** Engine options that are not part of a scenario: the cost table (calibration and cross-validation use others). */
export interface EngineOptions {
  costs?: Costs
}

export function createSimulation(scenario: Scenario, opts: EngineOptions = {}): Simulation {
  const w = new World(scenario, opts.costs)
  return {
    scenario,
    advance: (n) => {
      if (w.finished) return true
      const done = w.loop.run(n)
      if (done && !w.finished) w.finish(w.endNs)
      return w.finished
    },
    progress: () => (w.finished ? 1 : Math.min(1, w.loop.now / w.endNs)),
    result: (opts) => result(w, opts?.guest ?? true),
  }
}

export function runSimulation(scenario: Scenario, opts: RunOptions & EngineOptions = {}): SimResult {
  const sim = createSimulation(scenario, opts)
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
