import { describe, expect, it } from 'vitest'
import { deflateSync, strToU8 } from 'fflate'
import { defaultScenario, parseScenario } from '../engine/scenario.ts'
import { decodeHash, decodeScenario, decodeState, decodeStateHash, defaultLinkState, diffFromDefaults, encodeHash, encodeScenario, encodeState, encodeStateHash, MAX_JSON_BYTES } from './urlCodec.ts'
import { setField, setIrqOverride } from './scenarioEdit.ts'

const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
const pack = (json: string) => `1.${b64url(deflateSync(strToU8(json)))}`

const typical = () =>
  parseScenario({
    seed: 7,
    durationMs: 50,
    host: { cpus: 16 },
    nic: { queues: 16 },
    traffic: { flows: 25, payloadBytes: 64, perFlowKpps: 200, senderMaxKpps: 2700 },
    rx: {
      mode: 'threaded-irq',
      schedNormal: true,
      noAffinity: true,
      irqs: [{ queue: 0, threaded: false }, { queue: 3, cpu: 5 }, { queue: 7, schedNormal: false }],
      switches: [{ atMs: 20, queue: -1, threaded: false }, { atMs: 30, queue: 2, threaded: true }],
    },
    consumer: { kind: 'guest', vcpus: 2 },
  })

describe('url codec', () => {
  it('round-trips a scenario exactly', () => {
    const s = typical()
    const r = decodeHash(encodeHash(s))
    expect(r.ok).toBe(true)
    if (r.ok) expect(r.scenario).toEqual(s)
  })

  it('encodes the defaults as an empty hash, and an empty hash as the defaults', () => {
    expect(encodeHash(defaultScenario())).toBe('')
    expect(diffFromDefaults(defaultScenario())).toEqual({})
    const r = decodeHash('')
    expect(r).toEqual({ ok: true, scenario: defaultScenario(), empty: true })
    expect(decodeHash('#other=1').ok).toBe(true)
  })

  it('stores only what differs from the defaults', () => {
    const s = parseScenario({ traffic: { flows: 3 } })
    expect(diffFromDefaults(s)).toEqual({ traffic: { flows: 3 } })
    expect(encodeScenario(s).length).toBeLessThan(60)
  })

  it('keeps a typical scenario well under 2 kB', () => {
    const h = encodeHash(typical())
    expect(h.length).toBeLessThan(2048)
    expect(h.length).toBeLessThan(400)
    expect(h).toMatch(/^#s=3\.[A-Za-z0-9_-]+$/)
  })

  it('survives edits made through the store helpers', () => {
    let s = defaultScenario()
    const a = setField(s, 'traffic.flows', 25)
    expect(a.ok).toBe(true)
    if (a.ok) s = a.scenario
    const b = setIrqOverride(s, 3, { threaded: true, cpu: 2 })
    expect(b.ok).toBe(true)
    if (b.ok) s = b.scenario
    const r = decodeHash(encodeHash(s))
    expect(r.ok && r.scenario).toEqual(s)
  })

  it('returns an error (never throws) for damaged input', () => {
    const good = encodeScenario(typical())
    const cases = [
      'garbage',
      '1.',
      '1.!!!!',
      '1.AAAA',
      good.slice(0, good.length - 6),
      good.slice(0, 10) + 'xx' + good.slice(12),
      '2.' + good.slice(2),
      'x.' + good.slice(2),
      pack('not json'),
      pack('[1,2,3]'),
      pack('null'),
    ]
    for (const c of cases) {
      const r = decodeScenario(c)
      expect(r.ok, c).toBe(false)
      if (!r.ok) expect(r.error.length).toBeGreaterThan(5)
    }
    expect(decodeScenario('2.' + good.slice(2))).toMatchObject({ ok: false, error: expect.stringMatching(/v2/) })
  })

  it('rejects hostile input cleanly', () => {
    // wrong types and out-of-range values: the engine's validator names the field
    expect(decodeScenario(pack('{"host":{"cpus":"16"}}'))).toMatchObject({ ok: false, error: expect.stringMatching(/host\.cpus/) })
    expect(decodeScenario(pack('{"host":{"cpus":1e9}}')).ok).toBe(false)
    expect(decodeScenario(pack('{"durationMs":-1}')).ok).toBe(false)
    expect(decodeScenario(pack('{"nope":1}')).ok).toBe(false)
    expect(decodeScenario(pack('{"rx":{"irqs":[{"queue":99}]}}')).ok).toBe(false)
    // prototype pollution
    for (const j of ['{"__proto__":{"polluted":1}}', '{"host":{"__proto__":{"cpus":2}}}', '{"constructor":{"prototype":{"x":1}}}']) {
      const r = decodeScenario(pack(j))
      expect(r.ok, j).toBe(false)
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    // huge: too long a link, and a deflate bomb
    expect(decodeScenario('1.' + 'A'.repeat(100_000)).ok).toBe(false)
    expect(decodeHash('#s=1.' + 'A'.repeat(100_000)).ok).toBe(false)
    const bomb = pack(`{"x":"${' '.repeat(MAX_JSON_BYTES * 4)}"}`)
    expect(bomb.length).toBeLessThan(2000)
    expect(decodeScenario(bomb)).toMatchObject({ ok: false, error: expect.stringMatching(/kB/) })
    // huge array
    expect(decodeScenario(pack(JSON.stringify({ rx: { switches: Array.from({ length: 500 }, () => ({ atMs: 1, queue: 0, threaded: true })) } }))).ok).toBe(false)
  })
})

describe('scenario edits', () => {
  it('prunes overrides that a smaller NIC no longer has', () => {
    const s = parseScenario({ rx: { irqs: [{ queue: 10, threaded: true }], switches: [{ atMs: 5, queue: 12, threaded: true }] } })
    const r = setField(s, 'nic.queues', 4)
    expect(r.ok).toBe(true)
    if (r.ok) {
      expect(r.scenario.rx.irqs).toEqual([])
      expect(r.scenario.rx.switches).toEqual([])
    }
  })
  it('refuses an invalid value and says which field', () => {
    const r = setField(defaultScenario(), 'host.cpus', 0)
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/host\.cpus/) })
  })
  it('drops an override that is back at the defaults', () => {
    const a = setIrqOverride(defaultScenario(), 2, { threaded: true })
    expect(a.ok && a.scenario.rx.irqs).toEqual([{ queue: 2, threaded: true }])
    if (!a.ok) return
    const b = setIrqOverride(a.scenario, 2, { threaded: false })
    expect(b.ok && b.scenario.rx.irqs).toEqual([])
  })
})

describe('state codec (v2): toggles', () => {
  it('keeps hidden counter tracks in the link, and leaves them out at the default', () => {
    const hidden = { ...defaultLinkState(), showCounters: false }
    const p = encodeState(hidden)
    expect(p.startsWith('2.')).toBe(true)
    const r = decodeState(p)
    expect(r.ok && r.state.showCounters).toBe(false)
    expect(encodeState(defaultLinkState())).toBe('')
    const both = decodeState(encodeState({ ...defaultLinkState(), showCounters: false, showThreadLanes: true }))
    expect(both.ok && [both.state.showCounters, both.state.showThreadLanes]).toEqual([false, true])
  })
  it('refuses a counter-tracks flag other than 0 or 1', () => {
    const r = decodeState(`2.${b64url(deflateSync(strToU8(JSON.stringify({ ct: 2 }))))}`)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toMatch(/counter-tracks flag/)
  })
})

describe('old links keep their meaning', () => {
  it('a v1 scenario link (made when the sender had a fixed 1000 kpps per flow, 2300 kpps in total) opens migrated; a current one stays netperf-driven', () => {
    // a v1 link as the previous version wrote it: the diff against its defaults (here: 25 flows only)
    const v1 = '1.' + encodeScenario(parseScenario({ traffic: { flows: 25 } })).split('.')[1]
    const old = decodeScenario(v1)
    expect(old.ok && old.scenario.traffic).toMatchObject({ flows: 25, perFlowKpps: 1000, senderMaxKpps: 2300 })
    const now = decodeScenario(encodeScenario(parseScenario({ traffic: { flows: 25 } })))
    expect(now.ok && now.scenario.traffic.perFlowKpps).toBeUndefined()
    expect(now.ok && now.scenario.traffic.senderMaxKpps).toBeUndefined()
    // the state link (v2) carries a current scenario
    const st = decodeStateHash(encodeStateHash({ ...defaultLinkState(), scenario: parseScenario({ traffic: { flows: 25 } }) }))
    expect(st.ok && st.state.scenario.traffic.perFlowKpps).toBeUndefined()
  })
})

describe('state codec (v2): story step', () => {
  it('carries the story step (1-based in the link) and leaves it out when the story is closed', () => {
    const p = encodeState({ ...defaultLinkState(), story: 2 })
    expect(p.startsWith('2.')).toBe(true)
    const r = decodeState(p)
    expect(r.ok && r.state.story).toBe(2)
    expect(encodeState({ ...defaultLinkState(), story: null })).toBe('')
    // a v2 link written before the story existed opens with the story closed
    const old = decodeState(`2.${b64url(deflateSync(strToU8(JSON.stringify({ th: 1 }))))}`)
    expect(old.ok && [old.state.story, old.state.showThreadLanes]).toEqual([null, true])
  })
  it('refuses a story step that is not a whole number 1..99', () => {
    for (const st of [0, 100, 1.5, '2', -1]) {
      const r = decodeState(`2.${b64url(deflateSync(strToU8(JSON.stringify({ st }))))}`)
      expect(r.ok, String(st)).toBe(false)
      if (!r.ok) expect(r.error).toMatch(/story step/)
    }
  })
  it('reads the short #story=N link as a step to expand; s= wins when both are there', () => {
    const r = decodeStateHash('#story=3')
    expect(r.ok && r.storyStep).toBe(2)
    expect(r.ok && r.empty).toBe(false)
    for (const bad of ['#story=0', '#story=x', '#story=', '#story=123']) expect(decodeStateHash(bad).ok, bad).toBe(false)
    const both = decodeStateHash(`#story=3&s=${encodeState({ ...defaultLinkState(), story: 4 })}`)
    expect(both.ok && [both.storyStep, both.state.story]).toEqual([undefined, 4])
  })
})

const v2 = (body: unknown) => `2.${b64url(deflateSync(strToU8(JSON.stringify(body))))}`

describe('state codec (v2): parked knob writes', () => {
  const scenario = parseScenario({ kernel: { era: 'v6.6+' }, durationMs: 50, warmupMs: 10 })
  const parkedWrites = [
    { atMs: 80, knob: 'gro_flush_timeout' as const, index: 3, value: 20 },
    { atMs: 90.5, knob: 'netdev_budget' as const, index: -1, value: 600 },
  ]

  it('round-trips them beside the parked /proc/irq writes', () => {
    const st = { ...defaultLinkState(), scenario, parked: [{ atMs: 70, queue: -1, threaded: true }], parkedWrites }
    const p = encodeState(st)
    expect(p.startsWith('2.')).toBe(true)
    const r = decodeState(p)
    expect(r.ok && r.state).toEqual(st)
    // parked knob writes alone make a v2 link (the scenario-only v1 form has no room for them)
    const alone = encodeState({ ...defaultLinkState(), parkedWrites })
    expect(alone.startsWith('2.')).toBe(true)
    const a = decodeStateHash(`#s=${alone}`)
    expect(a.ok && a.state.parkedWrites).toEqual(parkedWrites)
  })

  it('an older link without them opens with none', () => {
    const r = decodeState(v2({ s: diffFromDefaults(scenario), p: [[70, -1, 1]] }))
    expect(r.ok && [r.state.parked.length, r.state.parkedWrites]).toEqual([1, []])
    const v1 = decodeStateHash(encodeHash(scenario))
    expect(v1.ok && v1.state.parkedWrites).toEqual([])
  })

  it('refuses a malformed or oversized list with a message', () => {
    const cases: [unknown, RegExp][] = [
      [{ knob: 'netdev_budget' }, /parked knob writes must be a list of at most 64/],
      [Array.from({ length: 65 }, () => [1, 'netdev_budget', -1, 600]), /at most 64/],
      [[[1, 'netdev_budget', -1]], /parked knob write 1 must be \[atMs, knob, index, value\]/],
      [[[80, 'netdev_budget', -1, 600], 'x'], /parked knob write 2 must be/],
      [[[80, 'rm -rf', -1, 600]], /parked knob write 1: knob:/],
      [[[-1, 'netdev_budget', -1, 600]], /parked knob write 1: atMs:/],
      [[[1e9, 'netdev_budget', -1, 600]], /parked knob write 1: atMs:/],
      [[[80, 'gro_flush_timeout', 64, 20]], /parked knob write 1: index:/],
      [[[80, 'gro_flush_timeout', 1.5, 20]], /parked knob write 1: index:/],
      [[[80, 'netdev_budget', null, 600]], /parked knob write 1: index:/],
      [[[80, 'netdev_budget', -1, '600']], /parked knob write 1: value:/],
      [[[80, 'netdev_budget', -1, 0]], /parked knob write 1: netdev_budget takes 1\.\.100000 \(packets\)/],
      [[[80, 'threaded', -1, 1.5]], /parked knob write 1: threaded takes 0\.\.2/],
      [[[80, '__proto__', -1, 1]], /parked knob write 1: knob:/],
      [[[80, { toString: 1 }, -1, 1]], /parked knob write 1: knob:/],
    ]
    for (const [pw, msg] of cases) {
      const r = decodeState(v2({ pw }))
      expect(r.ok, JSON.stringify(pw).slice(0, 80)).toBe(false)
      if (!r.ok) expect(r.error).toMatch(msg)
    }
    expect(decodeState(v2({ pw: [] }))).toMatchObject({ ok: true, state: { parkedWrites: [] } })
  })
})
