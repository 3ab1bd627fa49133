// `sim import` and `sim run --trace-out` as a user runs them.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
function sim(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], { cwd: root, input, encoding: 'utf8', timeout: 60_000 })
  return { code: r.status, out: r.stdout, err: r.stderr }
}
const FIX = join(root, 'src/trace/fixtures/linux-6.12-softirq-same-cpu.txt')

describe('sim import / --trace-out', () => {
  it('import --json prints the summary of a real trace: CPU time by kind per CPU, threads, source', () => {
    const r = sim(['import', FIX, '--json'])
    expect(r.code).toBe(0)
    const j = JSON.parse(r.out) as { source: { format: string; warningCount: number }; cpus: number; busyNsByCpuKind: Record<string, number>[]; summary: { cpu: { softirq: number; idle: number }[]; tasks: { name: string; cpuTimeNs: number }[] } }
    expect(j.source).toMatchObject({ format: 'ftrace', warningCount: 0 })
    expect(j.cpus).toBe(2)
    expect(j.busyNsByCpuKind[0]!.softirq! + j.busyNsByCpuKind[0]!.ksoftirqd!).toBeGreaterThan(0)
    expect(j.summary.cpu[0]!.softirq).toBeGreaterThan(50)
    expect(j.summary.tasks.map((t) => t.name)).toEqual(expect.arrayContaining(['udp_sink', 'ksoftirqd/0']))
  })

  it('import of standard input; a file that is no trace: one line, exit 2', () => {
    expect(sim(['import', '-', '--json'], readFileSync(FIX, 'utf8')).code).toBe(0)
    const bad = sim(['import', '-'], 'hello\n')
    expect(bad.code).toBe(2)
    expect(bad.err).toBe("sim: stdin: no trace events found in 1 lines (expected ftrace, trace-cmd report or perf script text; line 1: not a trace event line: 'hello')\n")
    expect(sim(['import', join(root, 'no-such-file.txt')]).err).toMatch(/^sim: cannot read .*no-such-file\.txt: ENOENT\n$/)
  })

  it('run --trace-out writes Trace Event JSON that imports back with the same CPU time', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'irqlab-')), 't.json')
    const r = sim(['run', '--preset', 'local-same-cpu', '--duration-ms', '10', '--json', '--trace-out', out])
    expect(r.code).toBe(0)
    expect(r.err).toMatch(/^sim: wrote .*t\.json \([\d.]+ MB Trace Event JSON, \d+ slices/)
    const run = JSON.parse(r.out) as { summary: { cpu: { softirq: number; idle: number }[] } }
    const back = JSON.parse(sim(['import', out, '--json']).out) as { summary: { cpu: { softirq: number; idle: number }[] } }
    for (let c = 0; c < run.summary.cpu.length; c++) {
      expect(back.summary.cpu[c]!.softirq).toBeCloseTo(run.summary.cpu[c]!.softirq, 6)
      expect(back.summary.cpu[c]!.idle).toBeCloseTo(run.summary.cpu[c]!.idle, 6)
    }
  })
})
