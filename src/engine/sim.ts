// TEMPORARY stub so the skeleton builds; replaced by the real discrete-event engine.
import type { Scenario } from './scenario.ts'
import type { RunOptions, SimResult } from './types.ts'

export interface Simulation {
  readonly scenario: Scenario
  /** advance by at most `maxEvents` events; true when the run is finished */
  advance(maxEvents: number): boolean
  /** fraction of simulated time done, 0..1 */
  progress(): number
  /** the result (partial if called before the run finished) */
  result(): SimResult
}

export function createSimulation(scenario: Scenario): Simulation {
  const durationNs = scenario.durationMs * 1e6
  let done = false
  return {
    scenario,
    advance() { done = true; return true },
    progress: () => (done ? 1 : 0),
    result(): SimResult {
      const cpus = scenario.host.cpus
      return {
        scenario,
        summary: {
          packets: { offered: 0, delivered: 0, dropped: {}, inFlight: 0 },
          offeredKpps: 0, deliveredKpps: 0, droppedKpps: 0, lineRateKpps: 0,
          cpu: Array.from({ length: cpus }, (_, cpu) => ({ cpu, usr: 0, sys: 0, hardirq: 0, softirq: 0, idle: 100 })),
          tasks: [], irqsPerQueue: [], modeSwitches: 0, eventsProcessed: 0,
          accountedNs: Array.from({ length: cpus }, () => durationNs), simulatedNs: durationNs,
        },
        trace: {
          cpus, durationNs, actors: [], droppedSlices: 0, counters: [],
          slices: { count: 0, start: new Float64Array(0), end: new Float64Array(0), cpu: new Uint16Array(0), kind: new Uint8Array(0), actor: new Uint32Array(0), packets: new Uint32Array(0), reason: new Uint8Array(0) },
          events: {
            wakeups: { count: 0, t: new Float64Array(0), fromCpu: new Uint16Array(0), toCpu: new Uint16Array(0), waker: new Uint32Array(0), wakee: new Uint32Array(0) },
            migrations: { count: 0, t: new Float64Array(0), fromCpu: new Uint16Array(0), toCpu: new Uint16Array(0), actor: new Uint32Array(0) },
            modeSwitches: [],
          },
        },
        perf: { wallMs: 0, eventsPerSec: 0 },
      }
    },
  }
}

export function runSimulation(scenario: Scenario, opts: RunOptions = {}): SimResult {
  const sim = createSimulation(scenario)
  while (!sim.advance(50_000)) {
    opts.onProgress?.(sim.progress())
    if (opts.shouldCancel?.()) break
  }
  return sim.result()
}
