// `npm run bench`: calibration against the published table, engine speed and memory.
// Figures are measured in this one run and reported as ratios to their targets; nothing here is a
// pass/fail test (speed depends on the machine). The engine never sees the published numbers:
// only this script reads ../shared/calibration to compare.
import { existsSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
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

/** issue 9's engine figures, measured on the engine as it ships: bundled, in a process of its own */
async function speed(): Promise<void> {
  const { build } = await import('esbuild')
  const { spawnSync } = await import('node:child_process')
  const { tmpdir } = await import('node:os')
  const out = `${tmpdir()}/irqlab-speed-probe.mjs`
  await build({ entryPoints: [new URL('./speedProbe.ts', import.meta.url).pathname], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'warning' })
  type Probe = { wallMs: number; events: number; eventsPerSec: number; slices: number; bareEventsPerSec: number; rssBeforeMB: number; maxRssMB: number; droppedSlices: number }
  const probe = (ms: number): Probe => {
    const p = spawnSync(process.execPath, [out, String(ms)], { encoding: 'utf8' })
    if (p.status !== 0) throw new Error(`speed probe failed: ${p.stderr}`)
    return JSON.parse(p.stdout) as Probe
  }
  const m = probe(1000)
  const wallS = m.wallMs / 1000
  console.log('\n== speed: seed-2016, 64 B, 200 flows, 1 s simulated with its trace (one core; the engine bundled as it ships, in a process of its own)')
  console.log(`wall ${wallS.toFixed(2)} s → ${(1 / wallS).toFixed(2)}× real time (issue 9 target: ≤ 0.2 s, i.e. ≥ 5×; ${(wallS / 0.2).toFixed(1)}× too slow); ${(m.events / 1e6).toFixed(2)} M events, ${(m.eventsPerSec / 1e6).toFixed(2)} M events/s; ${m.slices} slices`)
  console.log(`bare event loop in that process: ${(m.bareEventsPerSec / 1e6).toFixed(1)} M events/s — the model costs ${(m.bareEventsPerSec / m.eventsPerSec).toFixed(1)}× the loop per event`)
  console.log(`memory: peak RSS of that process ${m.maxRssMB.toFixed(0)} MB (${m.rssBeforeMB.toFixed(0)} MB before the run)`)
  const l = probe(10_000)
  console.log(`10 s simulated (issue 9's memory case): wall ${(l.wallMs / 1000).toFixed(1)} s (${(l.wallMs / 10_000).toFixed(2)} s per simulated second; ${l.slices} slices stored, ${l.droppedSlices} past the cap counted in the busy summary); peak RSS ${l.maxRssMB.toFixed(0)} MB (target ≤ 200 MB: ${l.maxRssMB <= 200 ? 'met' : 'missed'})`)
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
if (want('speed')) await speed()
if (want('table')) await table()
if (want('trace')) await traceExport()
