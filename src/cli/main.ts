// The Node command line: `npm run -s sim -- <command> ...`. Bad input → one line on stderr, exit 2.
import { describeScenarioFields, parseScenario, runSimulation, ScenarioError, RX_MODES, type RxMode, type SimResult } from '../engine/index.ts'
import { DEFAULT_SWEEP, PRESETS, findPreset, seedCellScenario, type SweepCell } from '../engine/presets.ts'
import { intFlag, listFlag, parseArgs, UsageError } from './args.ts'
import { parseScenarioBytes, readBounded } from './input.ts'
import { isPlainInt, printable, sanitizeMessage } from '../input/rules.ts'
import { runPool } from './sweep.ts'
import { cmdImport, writeTraceOut } from './traceCmd.ts'

const USAGE = `usage:
  sim run (<scenario.json> | - | --preset NAME) [--seed N] [--duration-ms N] [--json] [--trace-out FILE [--trace-threads]]
  sim import FILE [--json] [--trace-out FILE]   a real trace (ftrace, trace-cmd report, perf script text, or Trace Event JSON)
  sim table [--payloads 1,64,256,1400] [--flows 1,25,50,100,200] [--modes softirq,threaded-irq,threaded-napi] [--duration-ms N] [--json]
  sim presets [--json]
  sim schema [--json]        every scenario field: description with unit, default, range`

function readInput(src: string): unknown {
  const r = readBounded(src)
  if (!r.ok) throw new UsageError(r.error)
  const p = parseScenarioBytes(r.bytes, src === '-' ? 'standard input' : src)
  if (!p.ok) throw new UsageError(p.error)
  for (const n of p.notes) process.stderr.write(`sim: note: ${sanitizeMessage(n)}\n`)
  return p.value
}

function fmtSummary(r: SimResult): string {
  const s = r.summary
  const lines: string[] = []
  const drops = Object.entries(s.packets.dropped).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'
  lines.push(`mode ${r.scenario.rx.mode}, ${r.scenario.traffic.flows} flow(s) of ${r.scenario.traffic.payloadBytes} B, ${r.scenario.host.cpus} CPUs, ${r.scenario.nic.queues} queues, ${r.scenario.durationMs} ms simulated`)
  lines.push(`packets: offered ${s.packets.offered}, delivered ${s.packets.delivered}, dropped ${drops}, in flight ${s.packets.inFlight}`)
  lines.push(`throughput (after ${r.scenario.warmupMs} ms warm-up): offered ${s.offeredKpps.toFixed(1)} kpps, delivered ${s.deliveredKpps.toFixed(1)} kpps, dropped ${s.droppedKpps.toFixed(1)} kpps (line rate ${s.lineRateKpps.toFixed(1)} kpps)`)
  const lat = s.latency
  const us = (ns: number) => (Number.isFinite(ns) ? `${(ns / 1000).toFixed(1)} µs` : '–')
  if (lat) lines.push(`latency, ${lat.what ?? 'wire → read'} (${lat.count} ${lat.what === 'request → response' ? 'requests' : 'packets'}, ±3.2%): p50 ${us(lat.p50Ns)}, p90 ${us(lat.p90Ns)}, p99 ${us(lat.p99Ns)}, p99.9 ${us(lat.p999Ns)}`)
  lines.push('CPU    usr%   sys%  hirq%  soft%  idle%')
  for (const c of s.cpu) lines.push(`${String(c.cpu).padStart(3)} ${[c.usr, c.sys, c.hardirq, c.softirq, c.idle].map((x) => x.toFixed(1).padStart(6)).join(' ')}`)
  if (s.guestCpu) {
    lines.push('guest vCPU  usr%   sys%  hirq%  soft%  idle% (incl. steal)')
    for (const c of s.guestCpu) lines.push(`${String(c.cpu).padStart(10)} ${[c.usr, c.sys, c.hardirq, c.softirq, c.idle].map((x) => x.toFixed(1).padStart(6)).join(' ')}`)
  }
  lines.push('task                          cpu ms  migrations  wakeups  waited ms')
  for (const t of s.tasks.filter((x) => x.cpuTimeNs > 0 || x.wakeups > 0)) lines.push(`${t.name.padEnd(28)} ${(t.cpuTimeNs / 1e6).toFixed(2).padStart(8)} ${String(t.migrations).padStart(11)} ${String(t.wakeups).padStart(8)} ${((t.runDelayNs ?? 0) / 1e6).toFixed(2).padStart(10)}`)
  lines.push(`IRQs per queue: ${s.irqsPerQueue.join(' ')}; mode switches: ${s.modeSwitches}`)
  lines.push(`time_squeeze per CPU (softnet_stat): ${s.timeSqueeze.join(' ')}`)
  lines.push(`events: ${s.eventsProcessed}, wall ${r.perf.wallMs.toFixed(0)} ms (${(r.perf.eventsPerSec / 1e6).toFixed(2)} M events/s)`)
  return lines.join('\n')
}

function cmdRun(argv: string[]): void {
  const p = parseArgs(argv, { preset: 'string', seed: 'string', 'duration-ms': 'string', json: 'boolean', 'trace-out': 'string', 'trace-threads': 'boolean' })
  const presetName = p.flags.get('preset')
  let input: unknown
  if (typeof presetName === 'string') {
    if (p.positional.length) throw new UsageError('give either a scenario file or --preset, not both')
    const preset = findPreset(presetName)
    if (!preset) throw new UsageError(`unknown preset '${printable(presetName)}' (known: ${PRESETS.map((x) => x.name).join(', ')})`)
    input = structuredClone(preset.scenario)
  } else {
    if (p.positional.length !== 1) throw new UsageError('run needs one scenario file, - for standard input, or --preset NAME')
    input = readInput(p.positional[0]!)
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new UsageError('the scenario must be a JSON object')
  const obj = input as Record<string, unknown>
  const seed = intFlag(p, 'seed', 0, 0xffffffff)
  if (seed !== undefined) obj.seed = seed
  const dur = intFlag(p, 'duration-ms', 1, 10_000)
  if (dur !== undefined) {
    obj.durationMs = dur
    // --duration-ms shortens the run on purpose: the warm-up follows it (as before, silently)
    if (typeof obj.warmupMs !== 'number' || obj.warmupMs >= dur) obj.warmupMs = Math.min(typeof obj.warmupMs === 'number' ? obj.warmupMs : 10, dur / 5)
  }
  const scenario = parseScenario(obj)
  const r = runSimulation(scenario)
  const traceOut = p.flags.get('trace-out')
  if (typeof traceOut === 'string') writeTraceOut(traceOut, [{ label: 'sim', r, title: typeof presetName === 'string' ? `simulated: ${presetName}` : 'simulated' }], p.flags.get('trace-threads') === true)
  if (p.flags.get('json')) {
    process.stdout.write(JSON.stringify({ scenario: r.scenario, summary: r.summary, perf: r.perf }, null, 2) + '\n')
  } else process.stdout.write(fmtSummary(r) + '\n')
}

const posInt = (max: number) => (s: string) => {
  if (!isPlainInt(s)) return undefined
  const n = Number(s)
  return Number.isInteger(n) && n >= 1 && n <= max ? n : undefined
}

async function cmdTable(argv: string[]): Promise<void> {
  const p = parseArgs(argv, { payloads: 'string', flows: 'string', modes: 'string', 'duration-ms': 'string', json: 'boolean', threads: 'string' })
  if (p.positional.length) throw new UsageError(`unexpected argument '${printable(p.positional[0]!)}'`)
  const payloads = listFlag(p, 'payloads', posInt(1472), 'a payload size from 1 to 1472 B') ?? DEFAULT_SWEEP.payloads
  const flows = listFlag(p, 'flows', posInt(1024), 'a flow count from 1 to 1024') ?? DEFAULT_SWEEP.flows
  const modes = listFlag(p, 'modes', (s) => ((RX_MODES as readonly string[]).includes(s) ? (s as RxMode) : undefined), `a mode (${RX_MODES.join(', ')})`) ?? DEFAULT_SWEEP.modes
  const dur = intFlag(p, 'duration-ms', 1, 10_000) ?? 1000
  const threads = intFlag(p, 'threads', 1, 64)
  const cells: SweepCell[] = []
  for (const payloadBytes of payloads) for (const f of flows) for (const mode of modes) cells.push({ payloadBytes, flows: f, mode })
  const inputs = cells.map((c) => seedCellScenario(c, dur))
  for (const i of inputs) parseScenario(i) // validate before starting threads
  const t0 = Date.now()
  const results = await runPool(inputs, threads)
  const wall = Date.now() - t0
  const rows = cells.map((c, i) => ({ payload_bytes: c.payloadBytes, flows: c.flows, mode: c.mode, kpps: Math.round(results[i]!.deliveredKpps * 10) / 10, drops: results[i]!.drops }))
  if (p.flags.get('json')) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n')
    return
  }
  const head = ['payload B', 'flows', ...modes.map((m) => `${m} kpps`), ...modes.slice(1).map((m) => `${m} vs softirq`)]
  const out = [head.join('\t')]
  for (const payloadBytes of payloads) {
    for (const f of flows) {
      const k = modes.map((m) => rows.find((r) => r.payload_bytes === payloadBytes && r.flows === f && r.mode === m)!.kpps)
      const diffs = k.slice(1).map((x) => (k[0] ? `${(((x - k[0]) / k[0]) * 100).toFixed(1)}%` : 'n/a'))
      out.push([payloadBytes, f, ...k.map((x) => x.toFixed(1)), ...diffs].join('\t'))
    }
  }
  const events = results.reduce((a, r) => a + r.events, 0)
  out.push(`# ${cells.length} runs of ${dur} ms simulated in ${(wall / 1000).toFixed(1)} s wall; ${(events / 1e6).toFixed(1)} M events`)
  process.stdout.write(out.join('\n') + '\n')
}

function cmdPresets(argv: string[]): void {
  const p = parseArgs(argv, { json: 'boolean' })
  if (p.positional.length) throw new UsageError(`unexpected argument '${printable(p.positional[0]!)}'`)
  if (p.flags.get('json')) process.stdout.write(JSON.stringify(PRESETS.map(({ name, description }) => ({ name, description })), null, 2) + '\n')
  else for (const x of PRESETS) process.stdout.write(`${x.name.padEnd(20)} ${x.description}\n`)
}

function cmdSchema(argv: string[]): void {
  const p = parseArgs(argv, { json: 'boolean' })
  if (p.positional.length) throw new UsageError(`unexpected argument '${printable(p.positional[0]!)}'`)
  const fields = describeScenarioFields()
  if (p.flags.get('json')) {
    process.stdout.write(JSON.stringify(fields, null, 2) + '\n')
    return
  }
  for (const f of fields) {
    const range = f.choices ? `one of ${f.choices.map((c) => JSON.stringify(c)).join(', ')}` : f.min !== undefined ? `${f.min}..${f.max}` : ''
    const dflt = f.default === undefined ? '' : `default ${JSON.stringify(f.default)}`
    process.stdout.write(`${f.path.padEnd(26)} ${f.description}${[dflt, range].filter(Boolean).length ? ` [${[dflt, range].filter(Boolean).join('; ')}]` : ''}\n`)
  }
}

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv
  switch (cmd) {
    case 'run': return cmdRun(rest)
    case 'table': return cmdTable(rest)
    case 'presets': return cmdPresets(rest)
    case 'schema': return cmdSchema(rest)
    case 'import': return cmdImport(rest)
    case undefined: case '--help': case 'help':
      process.stdout.write(USAGE + '\n')
      if (cmd === undefined) process.exitCode = 2
      return
    default: throw new UsageError(`unknown command '${printable(cmd)}'`)
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof UsageError || e instanceof ScenarioError) {
    process.stderr.write(`sim: ${sanitizeMessage(e.message)}\n`)
    process.exit(2)
  }
  process.stderr.write(`sim: internal error: ${sanitizeMessage(e instanceof Error ? e.stack ?? e.message : String(e))}\n`)
  process.exit(1)
})
