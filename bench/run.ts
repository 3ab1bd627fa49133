// `npm run bench`: calibration against the published table, engine speed and memory.
// Figures are measured in this one run and reported as ratios to their targets; nothing here is a
// pass/fail test (speed depends on the machine). The engine never sees the published numbers:
// only this script reads ../shared/calibration to compare.
import { existsSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { EventLoop } from '../src/engine/core/eventLoop.ts'
import { mulberry32 } from '../src/engine/core/rng.ts'
import { parseScenario, runSimulation } from '../src/engine/index.ts'
import { DEFAULT_SWEEP, seedCellScenario, type SweepCell } from '../src/engine/presets.ts'
import { runPool } from '../src/cli/sweep.ts'
import { compareCalibration, parseCalibrationCsv } from './calibration.ts'
import { crossValidate } from './crossval.ts'
import { validate } from './validate.ts'
import { importFile, writeTraceEventFile } from '../src/cli/traceFiles.ts'

const only = process.argv.slice(2)
const want = (k: string) => only.length === 0 || only.includes(k)

async function calibration(): Promise<void> {
  const path = new URL('../../shared/calibration/seed-table.csv', import.meta.url)
  if (!existsSync(path)) {
    console.log('calibration: ../shared/calibration/seed-table.csv not found, skipped')
    return
  }
  const rows = parseCalibrationCsv(readFileSync(path, 'utf8'))
  const cells: SweepCell[] = []
  for (const r of rows) for (const mode of ['softirq', 'threaded-irq'] as const) cells.push({ payloadBytes: r.payloadBytes, flows: r.flows, mode })
  const t0 = Date.now()
  const res = await runPool(cells.map((c) => seedCellScenario(c, 1000)))
  const sim = new Map(cells.map((c, i) => [`${c.payloadBytes}/${c.flows}/${c.mode}`, res[i]!.deliveredKpps]))
  const report = compareCalibration(rows, (p, f, m) => sim.get(`${p}/${f}/${m}`)!)
  console.log(`\n== calibration vs ../shared/calibration/seed-table.csv (1 s simulated per cell, ${((Date.now() - t0) / 1000).toFixed(1)} s wall)`)
  console.log('payload flows | softirq sim/pub (err) | threaded sim/pub (err) | diff sim/pub')
  for (const r of report.rows) {
    console.log(`${String(r.payloadBytes).padStart(7)} ${String(r.flows).padStart(5)} | ${r.simSoftirq.toFixed(0).padStart(4)}/${r.pubSoftirq} (${r.errSoftirq >= 0 ? '+' : ''}${r.errSoftirq.toFixed(1)}%) | ${r.simThreaded.toFixed(0).padStart(4)}/${r.pubThreaded} (${r.errThreaded >= 0 ? '+' : ''}${r.errThreaded.toFixed(1)}%) | ${r.simDiff.toFixed(1)}% / ${r.pubDiff.toFixed(1)}%${r.signOk ? '' : '  SIGN MISMATCH'}`)
  }
  for (const m of report.meanDiffs) console.log(`mean threaded-vs-softirq difference over multi-flow rows at ${m.payloadBytes} B: sim ${m.sim.toFixed(1)} pp, published ${m.pub.toFixed(1)} pp (gap ${(m.sim - m.pub).toFixed(1)} pp, target ±6)`)
  console.log(`rows within ±10%: ${report.within10}/${report.total}; worst error ${report.worst.toFixed(1)}%; sign mismatches: ${report.signMismatches}`)
}

function speed(): void {
  const s = parseScenario(seedCellScenario({ payloadBytes: 64, flows: 200, mode: 'softirq' }, 1000))
  const before = process.memoryUsage().rss
  const r = runSimulation(s)
  const after = process.memoryUsage().rss
  const wallS = r.perf.wallMs / 1000
  // the same number of events through the bare event loop (heap + dispatch, no model), in this process
  const bare = bareLoopEventsPerSec(r.summary.eventsProcessed)
  console.log('\n== speed: seed-2016, 64 B, 200 flows, 1 s simulated (one core)')
  console.log(`wall ${wallS.toFixed(2)} s → ${(1 / wallS).toFixed(2)}× real time (issue 9 target: ≤ 0.2 s, i.e. ≥ 5×; ${(wallS / 0.2).toFixed(1)}× too slow); ${(r.summary.eventsProcessed / 1e6).toFixed(2)} M events, ${(r.perf.eventsPerSec / 1e6).toFixed(2)} M events/s; ${r.trace.slices.count} slices`)
  console.log(`bare event loop in this process: ${(bare / 1e6).toFixed(1)} M events/s — the model costs ${(bare / r.perf.eventsPerSec).toFixed(1)}× the loop per event`)
  console.log(`memory: RSS grew ${((after - before) / 1e6).toFixed(0)} MB during the run, RSS now ${(after / 1e6).toFixed(0)} MB (target ≤ 200 MB for the run with its trace)`)
}

/** events/s of the engine's own event loop with a handler that only reschedules (a bare heap loop) */
function bareLoopEventsPerSec(events: number): number {
  const loop = new EventLoop()
  const rng = mulberry32(7)
  let left = events
  const ev = loop.on((_a, _b, now) => { if (--left > 0) loop.at(now + 1 + Math.floor(rng.next() * 2000), ev) })
  for (let i = 0; i < 64; i++) loop.at(Math.floor(rng.next() * 2000), ev)
  const t0 = performance.now()
  while (!loop.run(1_000_000)) { /* run */ }
  return loop.processed / ((performance.now() - t0) / 1000)
}

async function table(): Promise<void> {
  const cells: SweepCell[] = []
  for (const payloadBytes of DEFAULT_SWEEP.payloads) for (const flows of DEFAULT_SWEEP.flows) for (const mode of DEFAULT_SWEEP.modes) cells.push({ payloadBytes, flows, mode })
  const t0 = Date.now()
  const res = await runPool(cells.map((c) => seedCellScenario(c, 1000)))
  const wall = (Date.now() - t0) / 1000
  const events = res.reduce((a, r) => a + r.events, 0)
  console.log(`\n== full table: ${cells.length} runs × 1 s simulated on ${availableParallelism()} threads: ${wall.toFixed(1)} s wall (issue 9 target ≤ 10 s: ${wall <= 10 ? 'met' : `${(wall / 10).toFixed(1)}× too slow`}), ${(events / wall / 1e6).toFixed(2)} M events/s overall`)
}

async function traceExport(): Promise<void> {
  const s = parseScenario(seedCellScenario({ payloadBytes: 64, flows: 200, mode: 'threaded-irq' }, 1000))
  const r = runSimulation(s)
  const { tmpdir } = await import('node:os')
  const { rmSync } = await import('node:fs')
  const path = `${tmpdir()}/irqlab-bench-trace.json`
  const heap0 = process.memoryUsage().heapUsed
  const t0 = performance.now()
  const bytes = writeTraceEventFile(path, [{ label: 'A', r }])
  const wall = (performance.now() - t0) / 1000
  const heap1 = process.memoryUsage().heapUsed
  console.log('\n== trace export: Trace Event JSON of seed-2016 threaded IRQs, 64 B, 200 flows, 1 s simulated')
  console.log(`${r.trace.slices.count} slices, ${r.trace.events.wakeups.count} wakeups → ${(bytes / 1e6).toFixed(0)} MB in ${wall.toFixed(2)} s (target ≤ 5 s → ${(5 / wall).toFixed(2)}× margin); heap after − before ${((heap1 - heap0) / 1e6).toFixed(0)} MB (streamed: no second copy of the ${(bytes / 1e6).toFixed(0)} MB)`)
  const t1 = performance.now()
  const back = await importFile(path)
  console.log(`re-import of that file: ${((performance.now() - t1) / 1000).toFixed(2)} s, ${back[0]!.trace.slices.count} slices`)
  rmSync(path)
}

async function crossval(): Promise<void> {
  const path = new URL('../../shared/calibration/seed-table.csv', import.meta.url)
  if (!existsSync(path)) return
  await crossValidate(parseCalibrationCsv(readFileSync(path, 'utf8')))
}

if (want('calibration')) await calibration()
if (only.includes('crossval')) await crossval()
if (want('validate')) {
  console.log('\n== behaviours not fitted on (real-kernels.md R1–R3, MODEL.md §9)')
  validate()
}
if (want('speed')) speed()
if (want('table')) await table()
if (want('trace')) await traceExport()
