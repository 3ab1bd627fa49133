// The command line as a user runs it: `npm run -s sim -- …` (here: node + tsx on src/cli/main.ts).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')

function sim(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], {
    cwd: root, input, encoding: 'utf8', timeout: 60_000,
  })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

describe('sim command line', () => {
  it('presets --json lists at least the four required presets', () => {
    const r = sim(['presets', '--json'])
    expect(r.code).toBe(0)
    const names = (JSON.parse(r.out) as Array<{ name: string; description: string }>).map((p) => p.name)
    expect(names).toEqual(expect.arrayContaining(['seed-2016', 'local-same-cpu', 'local-other-cpu', 'single-vcpu-flood']))
  })

  it('run --json gives the summary; the packet invariant holds', () => {
    const r = sim(['run', '--preset', 'local-other-cpu', '--duration-ms', '5', '--seed', '3', '--json'])
    expect(r.code).toBe(0)
    const j = JSON.parse(r.out) as { scenario: { seed: number; durationMs: number }; summary: { packets: { offered: number; delivered: number; dropped: Record<string, number>; inFlight: number } } }
    expect(j.scenario).toMatchObject({ seed: 3, durationMs: 5 })
    const p = j.summary.packets
    expect(p.offered).toBe(p.delivered + Object.values(p.dropped).reduce((a, b) => a + b, 0) + p.inFlight)
  })

  it('reads a scenario from a file and from standard input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'irqlab-'))
    const file = join(dir, 's.json')
    writeFileSync(file, JSON.stringify({ durationMs: 3, warmupMs: 1, host: { cpus: 2 }, nic: { queues: 2 } }))
    const a = sim(['run', file])
    expect(a.code).toBe(0)
    expect(a.out).toMatch(/^mode softirq, 1 flow\(s\) of 64 B, 2 CPUs, 2 queues, 3 ms simulated$/m)
    const b = sim(['run', '-', '--json'], JSON.stringify({ durationMs: 3, warmupMs: 1 }))
    expect(b.code).toBe(0)
    expect(JSON.parse(b.out)).toHaveProperty('summary.deliveredKpps')
  })

  it('table --json: one row per payload × flows × mode with kpps and drops', () => {
    const r = sim(['table', '--payloads', '64', '--flows', '1,4', '--modes', 'softirq,threaded-irq', '--duration-ms', '5', '--json'])
    expect(r.code).toBe(0)
    const rows = JSON.parse(r.out) as Array<Record<string, unknown>>
    expect(rows).toHaveLength(4)
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(['drops', 'flows', 'kpps', 'mode', 'payload_bytes'])
      expect(row.kpps).toBeGreaterThan(0)
    }
    expect(rows.map((x) => `${x.flows}/${x.mode}`)).toEqual(['1/softirq', '1/threaded-irq', '4/softirq', '4/threaded-irq'])
  })

  it.each([
    [['run', '--preset', 'nope'], /^sim: unknown preset 'nope'/],
    [['run'], /^sim: run needs one scenario file/],
    [['run', '/nonexistent/x.json'], /^sim: cannot read \/nonexistent\/x.json: ENOENT/],
    [['table', '--payloads', '64,abc'], /^sim: --payloads: 'abc' is not a payload size/],
    [['table', '--modes', 'fast'], /^sim: --modes: 'fast' is not a mode/],
    [['run', '--preset', 'seed-2016', '--duration-ms', '0'], /^sim: --duration-ms: expected an integer from 1 to 10000/],
    [['frobnicate'], /^sim: unknown command 'frobnicate'/],
    [['run', '--bogus'], /^sim: unknown option --bogus/],
  ])('bad arguments %j: one line naming the problem, exit code 2', (args, message) => {
    const r = sim(args)
    expect(r.code).toBe(2)
    expect(r.err).toMatch(message)
    expect(r.err.trim().split('\n')).toHaveLength(1)
    expect(r.out).toBe('')
  })

  it('a bad scenario (stdin) names the field, exit code 2', () => {
    const r = sim(['run', '-'], JSON.stringify({ traffic: { payloadBytes: 9000 } }))
    expect(r.code).toBe(2)
    expect(r.err.trim()).toMatch(/^sim: traffic\.payloadBytes: /)
    const bad = sim(['run', '-'], '{not json')
    expect(bad.code).toBe(2)
    expect(bad.err).toMatch(/^sim: standard input: not valid JSON/)
  })
})
