// `sim import FILE [--json]` and the `--trace-out` option of `sim run` (hooked into src/cli/main.ts).
import type { SimResult } from '../engine/types.ts'
import { SLICE_KIND_NAMES } from '../engine/types.ts'
import { parseArgs, UsageError } from './args.ts'
import { sortedCopy } from '../timeline/format.ts'
import type { ImportedRun } from '../trace/builder.ts'
import { importFile, writeTraceEventFile } from './traceFiles.ts'
import { TraceImportError } from '../trace/importText.ts'

/** CPU time per CPU and kind, ns (from the stored slices) */
export function busyByKind(r: SimResult): number[][] {
  const out = Array.from({ length: r.trace.cpus }, () => Array.from({ length: SLICE_KIND_NAMES.length }, () => 0))
  const s = r.trace.slices
  for (let i = 0; i < s.count; i++) out[s.cpu[i]!]![s.kind[i]!]! += s.end[i]! - s.start[i]!
  return out
}

export function importSummaryJson(r: ImportedRun): unknown {
  const busy = busyByKind(r)
  return {
    source: r.source,
    durationNs: r.trace.durationNs,
    cpus: r.trace.cpus,
    slices: r.trace.slices.count,
    droppedSlices: r.trace.droppedSlices,
    wakeups: r.trace.events.wakeups.count,
    migrations: r.trace.events.migrations.count,
    busyNsByCpuKind: busy.map((row, cpu) => ({ cpu, ...Object.fromEntries(SLICE_KIND_NAMES.map((k, i) => [k, row[i]!])) })),
    summary: r.summary,
  }
}

function fmtImport(r: ImportedRun): string {
  const s = r.summary
  const lines: string[] = []
  lines.push(`${r.source.name}: ${r.source.format}${r.source.label ? ` (${r.source.label})` : ''}, ${r.trace.cpus} CPUs, ${(r.trace.durationNs / 1e6).toFixed(3)} ms, ${r.source.lines} lines, ${r.source.events} events used, ${r.trace.slices.count} slices, ${r.trace.events.wakeups.count} wakeups, ${r.trace.events.migrations.count} migrations`)
  if (s.packets.offered || s.packets.delivered) lines.push(`packets: NAPI polled ${s.packets.offered}, read by apps ${s.packets.delivered}, dropped ${Object.entries(s.packets.dropped).map(([k, v]) => `${k} ${v}`).join(', ') || 'none seen'}`)
  lines.push('CPU    usr%   sys%  hirq%  soft%  idle%')
  for (const c of s.cpu) lines.push(`${String(c.cpu).padStart(3)} ${[c.usr, c.sys, c.hardirq, c.softirq, c.idle].map((x) => x.toFixed(1).padStart(6)).join(' ')}`)
  lines.push('task                          cpu ms  migrations  wakeups')
  for (const t of sortedCopy(s.tasks, (a, b) => b.cpuTimeNs - a.cpuTimeNs).filter((x) => x.cpuTimeNs > 0 || x.wakeups > 0).slice(0, 30)) lines.push(`${t.name.padEnd(28)} ${(t.cpuTimeNs / 1e6).toFixed(3).padStart(8)} ${String(t.migrations).padStart(11)} ${String(t.wakeups).padStart(8)}`)
  if (r.source.warningCount) {
    lines.push(`${r.source.warningCount} line(s) not understood (kept what was):`)
    for (const w of r.source.warnings.slice(0, 10)) lines.push(`  line ${w.line}: ${w.message}`)
  }
  return lines.join('\n')
}

export async function cmdImport(argv: string[]): Promise<void> {
  const p = parseArgs(argv, { json: 'boolean', 'trace-out': 'string', 'trace-threads': 'boolean' })
  if (p.positional.length !== 1) throw new UsageError('import needs one trace file (ftrace / trace-cmd report / perf script text, or Trace Event JSON), or - for standard input')
  const file = p.positional[0]!
  let runs: ImportedRun[]
  try {
    runs = await importFile(file, file === '-' ? 'stdin' : file)
  } catch (e) {
    if (e instanceof TraceImportError) throw new UsageError(e.message)
    const code = (e as NodeJS.ErrnoException).code
    if (code) throw new UsageError(`cannot read ${file}: ${code}`)
    throw e
  }
  const out = p.flags.get('trace-out')
  if (typeof out === 'string') writeTraceOut(out, runs.map((r, i) => ({ label: r.source.label ?? (runs.length > 1 ? String.fromCharCode(65 + i) : 'real'), r, title: `real: ${r.source.name}` })), p.flags.get('trace-threads') === true)
  if (p.flags.get('json')) process.stdout.write(JSON.stringify(runs.length === 1 ? importSummaryJson(runs[0]!) : runs.map(importSummaryJson), null, 2) + '\n')
  else process.stdout.write(runs.map(fmtImport).join('\n\n') + '\n')
}

/** `--trace-out FILE`: Trace Event JSON for Perfetto, streamed to the file. */
export function writeTraceOut(path: string, runs: { label: string; r: SimResult; title?: string }[], threads: boolean): void {
  const t0 = performance.now()
  let bytes: number
  try {
    bytes = writeTraceEventFile(path, runs, { threads })
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
  }
  process.stderr.write(`sim: wrote ${path} (${(bytes / 1e6).toFixed(1)} MB Trace Event JSON, ${runs.reduce((a, x) => a + x.r.trace.slices.count, 0)} slices, ${((performance.now() - t0) / 1000).toFixed(2)} s); open it in Perfetto\n`)
}
