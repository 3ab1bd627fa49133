// Fuzz (fast-check) over everything that reads untrusted input: both link decoders (the
// playground's state link, v1 and v2, and the experiment link) and the command line's input
// parsing (scenario bytes, flags). 10,500 cases per run: no exception escapes, and every rejection
// carries a non-empty, printable message. Plus the specific cases of issue 13.
import { deflateSync, strToU8 } from 'fflate'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { intFlag, listFlag, parseArgs, UsageError } from '../cli/args.ts'
import { MAX_INPUT_BYTES, parseScenarioBytes, readBounded } from '../cli/input.ts'
import { parseNumberList } from '../state/experiment.ts'
import { decodeExperimentHash } from '../state/experimentUrl.ts'
import { decodeState, decodeStateHash, inflateCapped, MAX_JSON_BYTES } from '../state/urlCodec.ts'
import { deriveWarmup, isPlainInt, printable } from './rules.ts'

// oxlint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/
type Outcome = { ok: true } | { ok: false; error: string }
function expectOutcome(r: Outcome): void {
  if (r.ok) return
  expect(typeof r.error).toBe('string')
  expect(r.error.trim().length).toBeGreaterThan(0)
  expect(r.error).not.toMatch(CONTROL)
}

const b64url = (bytes: Uint8Array) => {
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}
const packJson = (v: unknown) => b64url(deflateSync(strToU8(JSON.stringify(v) ?? 'null')))

/** Numbers as people (and attackers) write them. */
const numberish = fc.oneof(
  fc.integer({ min: -5, max: 20_000 }).map(String),
  fc.constantFrom('0x40', '0b1', '0o7', '+64', '1e3', '-1', '1.5', ' 7', '7 ', '', 'NaN', 'Infinity', '٣', '1_000', '00064'),
  fc.string({ maxLength: 12 }),
)
/** Values for the fields of a v2 state link. */
const linkField = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.tuple(fc.double(), fc.double()),
  fc.record({ durationMs: fc.oneof(fc.integer({ min: -2, max: 20_000 }), fc.double()), traffic: fc.record({ flows: fc.integer({ min: -1, max: 2000 }) }) }, { requiredKeys: [] }),
  fc.array(fc.tuple(fc.double(), fc.integer({ min: -3, max: 70 }), fc.constantFrom(0, 1, 2, true))),
  // parked knob writes: [atMs, knob, index, value]
  fc.array(fc.tuple(fc.double(), fc.oneof(fc.constantFrom('netdev_budget', 'threaded', 'gro_flush_timeout', '__proto__', ''), fc.jsonValue({ maxDepth: 1 })), fc.oneof(fc.integer({ min: -3, max: 70 }), fc.double()), fc.double()), { maxLength: 70 }),
)
const stateBody = fc.dictionary(fc.constantFrom('s', 'a', 'v', 'sel', 'th', 'wk', 'p', 'pw', '__proto__', 'x'), linkField, { maxKeys: 5 })

describe('fuzz: link decoders and CLI input (10,500 cases)', () => {
  it('state hash: arbitrary text (2,000)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (h) => expectOutcome(decodeStateHash(h))), { numRuns: 2000 })
  })

  it('state payload: well-formed envelopes around random content (3,000)', () => {
    const payload = fc.oneof(
      fc.tuple(fc.constantFrom('1', '2', '3', '02', 'x', ''), stateBody).map(([v, body]) => `${v}.${packJson(body)}`),
      fc.tuple(fc.constantFrom('1', '2'), fc.jsonValue({ maxDepth: 4 })).map(([v, body]) => `${v}.${packJson(body)}`),
      fc.tuple(fc.constantFrom('1', '2'), fc.uint8Array({ maxLength: 300 })).map(([v, b]) => `${v}.${b64url(b)}`),
    )
    fc.assert(fc.property(payload, (p) => expectOutcome(decodeState(p))), { numRuns: 3000 })
  })

  it('experiment hash: random parameters and values (2,000)', () => {
    const param = fc.tuple(fc.constantFrom('view', 'payloads', 'flows', 'modes', 'cellMs', 'b', 'zz'), fc.oneof(
      fc.array(numberish, { maxLength: 10 }).map((a) => a.join(',')),
      fc.constantFrom('experiment', 'softirq,threaded-irq', 'threaded-napi', ''),
      stateBody.map((b) => `2.${packJson(b)}`),
      fc.record({ traffic: fc.record({ flows: fc.integer({ min: 0, max: 3000 }) }) }).map((b) => `1.${packJson(b)}`),
      fc.string({ unit: 'binary', maxLength: 80 }),
    ))
    const hash = fc.array(param, { maxLength: 7 }).map((ps) => `#view=experiment&${ps.map(([k, v]) => `${k}=${v}`).join('&')}`)
    fc.assert(fc.property(hash, (h) => expectOutcome(decodeExperimentHash(h))), { numRuns: 2000 })
  })

  it('CLI scenario input: random bytes and JSON, with and without a BOM (2,500)', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 400 }),
      fc.jsonValue({ maxDepth: 4 }).map((v) => strToU8(JSON.stringify(v) ?? '')),
      fc.tuple(fc.boolean(), fc.record({ durationMs: fc.integer({ min: -1, max: 20 }), warmupMs: fc.integer({ min: 0, max: 20 }) }, { requiredKeys: [] }))
        .map(([bom, o]) => strToU8(`${bom ? '\ufeff' : ''}${JSON.stringify(o)}`)),
    )
    fc.assert(fc.property(bytes, (b) => expectOutcome(parseScenarioBytes(b, 'input.json'))), { numRuns: 2500 })
  })

  it('CLI flags: random argument lists (1,000)', () => {
    const arg = fc.oneof(fc.constantFrom('--seed', '--duration-ms', '--flows', '--json', '--json=1', '--', '-', '--x'), numberish, fc.string({ unit: 'binary', maxLength: 20 }))
    fc.assert(fc.property(fc.array(arg, { maxLength: 6 }), (argv) => {
      try {
        const p = parseArgs(argv, { seed: 'string', 'duration-ms': 'string', flows: 'string', json: 'boolean' })
        const seed = intFlag(p, 'seed', 0, 0xffffffff)
        if (seed !== undefined) expect(isPlainInt(p.flags.get('seed') as string)).toBe(true)
        intFlag(p, 'duration-ms', 1, 10_000)
        listFlag(p, 'flows', (s) => (isPlainInt(s) ? Number(s) : undefined), 'a flow count')
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError)
        expectOutcome({ ok: false, error: (e as Error).message })
      }
    }), { numRuns: 1000 })
  })
})

describe('issue 13 input cases', () => {
  it('rejects 0x40, 0b1, +64, 1e3 as numbers in experiment links and CLI flags', () => {
    for (const v of ['0x40', '0b1', '+64', '1e3']) {
      const r = decodeExperimentHash(`#view=experiment&payloads=${v}`)
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.error).toContain(`'${v}' is not an integer`)
      expect(decodeExperimentHash(`#view=experiment&cellMs=${v}`).ok).toBe(false)
      expect(() => intFlag(parseArgs(['--seed', v], { seed: 'string' }), 'seed', 0, 1e9)).toThrow(/decimal digits/)
      expect(parseNumberList(v, 'Flows', { min: 1, max: 1024, count: 8, unit: 'flows' }).ok).toBe(false)
    }
    expect(decodeExperimentHash('#view=experiment&payloads=64&cellMs=100').ok).toBe(true)
  })

  it('an error never echoes a long value or a control character', () => {
    // found by the fuzz test: JSON.parse's message quotes the inflated bytes
    const d = decodeState('1.EwAA')
    expect(d.ok).toBe(false)
    if (!d.ok) expect(d.error).not.toMatch(CONTROL)
    const r = decodeExperimentHash(`#view=experiment&payloads=${'9'.repeat(16_000)}`)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.length).toBeLessThan(300)
    const j = parseScenarioBytes(strToU8('{"a": \u001b[31m1}'), 'x.json')
    expect(j.ok).toBe(false)
    if (!j.ok) { expect(j.error).not.toMatch(CONTROL); expect(j.error).toContain('\\u001b') }
    expect(printable('a\u202eb\u0007')).toBe('a\\u202eb\\u0007')
  })

  it('accepts a UTF-8 BOM; derives the warm-up of a 5 ms run and says so', () => {
    const r = parseScenarioBytes(strToU8('\ufeff{"durationMs": 5}'), 'x.json')
    expect(r.ok).toBe(true)
    if (r.ok) {
      expect(r.value.warmupMs).toBe(1)
      expect(r.notes.join()).toMatch(/warm-up set to 1 ms/)
    }
    const explicit: Record<string, unknown> = { durationMs: 5, warmupMs: 2 }
    expect(deriveWarmup(explicit)).toBeNull()
    expect(explicit.warmupMs).toBe(2)
    const long: Record<string, unknown> = { durationMs: 100 }
    expect(deriveWarmup(long)).toBeNull()
    expect(long.warmupMs).toBeUndefined()
  })

  it('reads at most 1 MiB: /dev/zero fails fast with a message', () => {
    const t0 = performance.now()
    const r = readBounded('/dev/zero')
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toMatch(/larger than 1024 KiB/)
    expect(performance.now() - t0).toBeLessThan(2000)
    expect(MAX_INPUT_BYTES).toBe(1024 * 1024)
  })

  it('stops inflating a deflate bomb within one slice of the cap', () => {
    const bomb = deflateSync(new Uint8Array(12_500_000), { level: 9 }) // ~12 kB that inflate to 12.5 MB
    const stats = { produced: 0 }
    expect(() => inflateCapped(bomb, MAX_JSON_BYTES, stats)).toThrow(/more than 64 kB/)
    expect(stats.produced).toBeLessThan(MAX_JSON_BYTES + 70 * 1024)
    const r = decodeState(`2.${b64url(bomb)}`)
    expect(r.ok).toBe(false)
  })
})
