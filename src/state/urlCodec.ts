// Scenario <-> share link. Format: `#s=<codec version>.<base64url(deflate(JSON of the deep diff vs defaults))>`.
// Only values that differ from `defaultScenario()` are stored, so links stay short and keep working
// when defaults change for fields the user never touched. Everything decoded is untrusted: sizes are
// capped before and after inflating, prototype-pollution keys are refused, and the result goes
// through the engine's own validator (`tryParseScenario`).
import { deflateSync, Inflate, strFromU8, strToU8 } from 'fflate'
import { defaultScenario, KNOB_INFO, KnobWriteSchema, migrateScenario, tryParseScenario, type KnobWrite, type Scenario } from '../engine/scenario.ts'
import { deriveWarmup, sanitizeMessage } from '../input/rules.ts'

/** scenario-only payloads: 3 = scenario schema v2; 1 = scenario schema v1 (migrated on reading) */
export const URL_CODEC_VERSION = 3
const LEGACY_SCENARIO_CODEC = 1
export const HASH_PARAM = 's'
/** base64url characters accepted in a link (a typical scenario needs < 300) */
export const MAX_PAYLOAD_CHARS = 16_384
/** inflated JSON size cap: defeats deflate bombs */
export const MAX_JSON_BYTES = 64 * 1024
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

export type DecodeResult =
  | { ok: true; scenario: Scenario; /** true when the hash held no scenario at all */ empty: boolean }
  | { ok: false; error: string }

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]))
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined)
    const kb = Object.keys(b).filter((k) => b[k] !== undefined)
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]))
  }
  return false
}

/** Deep diff: objects recurse, arrays and leaves are stored whole when they differ. */
function diffValue(def: unknown, cur: unknown): Json | undefined {
  if (isPlainObject(def) && isPlainObject(cur)) {
    const out: Record<string, Json> = {}
    for (const k of Object.keys(cur)) {
      const d = diffValue(def[k], cur[k])
      if (d !== undefined) out[k] = d
    }
    return Object.keys(out).length ? out : undefined
  }
  if (deepEqual(def, cur)) return undefined
  return JSON.parse(JSON.stringify(cur)) as Json
}

/** The part of `s` that differs from the defaults ({} for the default scenario). */
export function diffFromDefaults(s: Scenario): Record<string, Json> {
  const d = diffValue(defaultScenario(), s)
  const out = isPlainObject(d) ? (d as Record<string, Json>) : {}
  delete out.version // implied by the codec version
  return out
}

function bytesToBase64url(bytes: Uint8Array): string {
  let bin = ''
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function base64urlToBytes(s: string): Uint8Array {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4)
  const bin = atob(b64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/** Compressed bytes fed to the inflater at a time: deflate expands at most ~1032:1, so one slice
 * yields at most ~66 kB and inflating stops within one slice of passing the cap. */
export const INFLATE_SLICE = 64

/**
 * Inflate with a hard output cap, streaming: the input goes in small slices and inflating stops
 * as soon as the output passes `cap` (a deflate bomb is never expanded in full). `stats.produced`
 * reports how many bytes were inflated before stopping (for tests).
 */
export function inflateCapped(data: Uint8Array, cap: number, stats?: { produced: number }): Uint8Array {
  const chunks: Uint8Array[] = []
  let total = 0
  let finished = false
  const inf = new Inflate((chunk, final) => {
    total += chunk.length
    if (stats) stats.produced = total
    if (total > cap) throw new Error(`the link expands to more than ${cap / 1024} kB`)
    chunks.push(chunk)
    if (final) finished = true
  })
  for (let i = 0; i < data.length; i += INFLATE_SLICE) {
    if (finished) break // trailing bytes after the end of the stream are ignored
    const end = Math.min(i + INFLATE_SLICE, data.length)
    inf.push(data.subarray(i, end), end === data.length)
  }
  if (!finished) throw new Error('the compressed data is truncated')
  const out = new Uint8Array(total)
  let o = 0
  for (const c of chunks) { out.set(c, o); o += c.length }
  return out
}

/** The payload after `s=` (empty string for the default scenario). */
export function encodeScenario(s: Scenario): string {
  const diff = diffFromDefaults(s)
  if (Object.keys(diff).length === 0) return ''
  const packed = deflateSync(strToU8(JSON.stringify(diff)), { level: 9 })
  return `${URL_CODEC_VERSION}.${bytesToBase64url(packed)}`
}

/** The full hash (`#s=…`), or '' for the default scenario. */
export function encodeHash(s: Scenario): string {
  const p = encodeScenario(s)
  return p ? `#${HASH_PARAM}=${p}` : ''
}

/** Messages may quote link content (JSON.parse, zod): make them printable and bounded. */
const clean = <T extends { ok: boolean }>(r: T): T => ('error' in r && typeof r.error === 'string' ? { ...r, error: sanitizeMessage(r.error) } : r)

/** Decode the `s=` payload. Never throws. */
export function decodeScenario(payload: string): DecodeResult {
  return clean(decodeScenarioRaw(payload))
}

function decodeScenarioRaw(payload: string): DecodeResult {
  try {
    if (payload.length > MAX_PAYLOAD_CHARS) return { ok: false, error: `the link is too long (${payload.length} characters)` }
    const dot = payload.indexOf('.')
    if (dot < 0) return { ok: false, error: 'the link has no version prefix' }
    const ver = payload.slice(0, dot)
    const body = payload.slice(dot + 1)
    if (!/^\d{1,4}$/.test(ver)) return { ok: false, error: 'the link has a malformed version prefix' }
    if (Number(ver) !== URL_CODEC_VERSION && Number(ver) !== LEGACY_SCENARIO_CODEC) {
      return { ok: false, error: `the link uses format v${ver}; this irqlab reads v${LEGACY_SCENARIO_CODEC} and v${URL_CODEC_VERSION}` }
    }
    const u = unpack(body)
    if (!u.ok) return u
    const data = u.data
    if (!isPlainObject(data)) return { ok: false, error: 'the link does not hold a scenario object' }
    // a v1 link means the scenario schema of its day: migrate it (its defaults, e.g. the sender's rates)
    const input = Number(ver) === LEGACY_SCENARIO_CODEC ? migrateScenario(data, 1) as Record<string, unknown> : data
    deriveWarmup(input)
    const r = tryParseScenario(input)
    if (!r.ok) return { ok: false, error: `the link holds an invalid scenario (${r.error})` }
    return { ok: true, scenario: r.scenario, empty: false }
  } catch (e) {
    return { ok: false, error: `the link could not be read (${e instanceof Error ? e.message : String(e)})` }
  }
}

/** Decode `location.hash` (with or without '#'); other `k=v` parameters are ignored. Never throws. */
export function decodeHash(hash: string): DecodeResult {
  const h = hash.startsWith('#') ? hash.slice(1) : hash
  if (h.length > MAX_PAYLOAD_CHARS + 64) return { ok: false, error: `the link is too long (${h.length} characters)` }
  for (const part of h.split('&')) {
    if (part.startsWith(`${HASH_PARAM}=`)) return decodeScenario(part.slice(HASH_PARAM.length + 1))
  }
  return { ok: true, scenario: defaultScenario(), empty: true }
}

// ── Full on-screen state (format v2) ────────────────────────────────────────────────────────
// `#s=2.<base64url(deflate(JSON))>` with JSON `{ s?: diff, a?: diff of pinned A, v?: [t0, t1] ns,
// sel?: [t0, t1] ns, th?: 1 (thread lanes), wk?: 0 (wakeups hidden), ct?: 0 (counter tracks hidden),
// p?: parked /proc/irq writes [atMs, queue, 0|1], pw?: parked knob writes [atMs, knob, index, value],
// st?: N (the story open at step N, 1-based) }`; every key
// is optional and left out at its default, so the default state is still the empty hash. v1 links
// (`#s=1.…`, scenario only) still open. `#story=N` (no `s=`) is the short link to story step N as authored
// (src/story/story.ts): decoded as `storyStep`, expanded by the caller.
export const STATE_CODEC_VERSION = 2
/** longest time value in a link: the longest run (10 s) in ns, with room */
const MAX_LINK_NS = 1e11

export interface LinkState {
  scenario: Scenario
  pinnedScenario: Scenario | null
  view: { startNs: number; endNs: number } | null
  selection: { startNs: number; endNs: number } | null
  showThreadLanes: boolean
  showWakeups: boolean
  showCounters: boolean
  parked: { atMs: number; queue: number; threaded: boolean }[]
  /** knob writes (scenario.writes) an edit made inapplicable: kept beside the scenario */
  parkedWrites: KnobWrite[]
  /** the story's current step (0-based), null = the story is closed */
  story: number | null
}

/** highest story step a link may name (1-based); the story checks its own length */
export const MAX_STORY_STEP = 99
export const STORY_PARAM = 'story'

export type StateDecodeResult =
  | { ok: true; state: LinkState; empty: boolean; /** `#story=N`: open story step N (0-based) as authored */ storyStep?: number }
  | { ok: false; error: string }

export const defaultLinkState = (): LinkState => ({
  scenario: defaultScenario(), pinnedScenario: null, view: null, selection: null, showThreadLanes: false, showWakeups: true, showCounters: true, parked: [], parkedWrites: [], story: null,
})

const range = (r: { startNs: number; endNs: number } | null) => (r ? [Math.round(r.startNs), Math.round(r.endNs)] : undefined)

/** The `s=` payload of a whole state ('' when everything is at its default). */
export function encodeState(st: LinkState): string {
  const body: Record<string, Json> = {}
  const d = diffFromDefaults(st.scenario)
  if (Object.keys(d).length) body.s = d
  if (st.pinnedScenario) body.a = diffFromDefaults(st.pinnedScenario)
  const v = range(st.view)
  if (v) body.v = v
  const sel = range(st.selection)
  if (sel) body.sel = sel
  if (st.showThreadLanes) body.th = 1
  if (!st.showWakeups) body.wk = 0
  if (!st.showCounters) body.ct = 0
  if (st.parked.length) body.p = st.parked.map((w) => [w.atMs, w.queue, w.threaded ? 1 : 0])
  if (st.parkedWrites.length) body.pw = st.parkedWrites.map((w) => [w.atMs, w.knob, w.index, w.value])
  if (st.story !== null) body.st = st.story + 1
  if (!Object.keys(body).length) return ''
  // scenario only: the v1 form, readable by older builds too
  if (Object.keys(body).length === 1 && body.s) return encodeScenario(st.scenario)
  const packed = deflateSync(strToU8(JSON.stringify(body)), { level: 9 })
  return `${STATE_CODEC_VERSION}.${bytesToBase64url(packed)}`
}

export function encodeStateHash(st: LinkState): string {
  const p = encodeState(st)
  return p ? `#${HASH_PARAM}=${p}` : ''
}

/** Inflate and JSON-parse a `<version>.<base64url>` body (version already checked). */
function unpack(body: string): { ok: true; data: unknown } | { ok: false; error: string } {
  if (!/^[A-Za-z0-9_-]+$/.test(body)) return { ok: false, error: 'the link contains characters that are not base64url' }
  let bytes: Uint8Array
  try { bytes = base64urlToBytes(body) } catch { return { ok: false, error: 'the link is not valid base64url' } }
  let text: string
  try { text = strFromU8(inflateCapped(bytes, MAX_JSON_BYTES)) } catch (e) {
    return { ok: false, error: `the link is damaged (${e instanceof Error ? e.message : 'cannot decompress'})` }
  }
  try {
    return {
      ok: true,
      data: JSON.parse(text, (key, value: unknown) => {
        if (FORBIDDEN_KEYS.has(key)) throw new Error(`forbidden key "${key}"`)
        return value
      }),
    }
  } catch (e) {
    return { ok: false, error: `the link is damaged (${e instanceof Error ? e.message : 'not JSON'})` }
  }
}

/** most parked writes of each kind a link may hold (the engine's own cap on scheduled writes) */
export const MAX_LINK_PARKED = 64

/**
 * The link's parked knob writes (`pw`): a list of [atMs, knob, index, value], each checked by the
 * engine's KnobWriteSchema and the knob's own range (a parked write goes back into the scenario
 * unchecked by later edits, so it must be one the engine takes where it fits). A message on error.
 */
function readParkedWrites(v: unknown): KnobWrite[] | string {
  if (!Array.isArray(v) || v.length > MAX_LINK_PARKED) return `the link's parked knob writes must be a list of at most ${MAX_LINK_PARKED}`
  const out: KnobWrite[] = []
  for (const [i, e] of v.entries()) {
    if (!Array.isArray(e) || e.length !== 4) return `the link's parked knob write ${i + 1} must be [atMs, knob, index, value]`
    const [atMs, knob, index, value] = e as unknown[]
    const r = KnobWriteSchema.safeParse({ atMs, knob, index, value })
    if (!r.success) {
      const issue = r.error.issues[0]
      return `the link's parked knob write ${i + 1}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`
    }
    const w = r.data
    const k = KNOB_INFO[w.knob]
    if (w.value < k.min || w.value > k.max || (w.knob === 'threaded' && !Number.isInteger(w.value))) {
      return `the link's parked knob write ${i + 1}: ${w.knob} takes ${k.min}..${k.max} (${k.unit})`
    }
    out.push(w)
  }
  return out
}

/** A 1-based step number from a link → 0-based, or null when it is not one. */
function readStoryStep(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_STORY_STEP ? v - 1 : null
}

function readRange(v: unknown, name: string): { startNs: number; endNs: number } | string | null {
  if (v === undefined) return null
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= MAX_LINK_NS)) {
    return `${name}: expected [start, end] in ns`
  }
  const [a, b] = v as [number, number]
  if (b <= a) return `${name}: the end must be after the start`
  return { startNs: a, endNs: b }
}

/** Decode a v1 or v2 `s=` payload into a whole state. Never throws. */
export function decodeState(payload: string): StateDecodeResult {
  return clean(decodeStateRaw(payload))
}

function decodeStateRaw(payload: string): StateDecodeResult {
  try {
    if (payload.length > MAX_PAYLOAD_CHARS) return { ok: false, error: `the link is too long (${payload.length} characters)` }
    const dot = payload.indexOf('.')
    const ver = dot < 0 ? '' : payload.slice(0, dot)
    if (ver === String(URL_CODEC_VERSION) || ver === String(LEGACY_SCENARIO_CODEC)) {
      const r = decodeScenario(payload)
      return r.ok ? { ok: true, state: { ...defaultLinkState(), scenario: r.scenario }, empty: false } : r
    }
    if (dot < 0) return { ok: false, error: 'the link has no version prefix' }
    if (!/^\d{1,4}$/.test(ver)) return { ok: false, error: 'the link has a malformed version prefix' }
    if (Number(ver) !== STATE_CODEC_VERSION) {
      return { ok: false, error: `the link uses format v${ver}; this irqlab reads v${URL_CODEC_VERSION} and v${STATE_CODEC_VERSION}` }
    }
    const u = unpack(payload.slice(dot + 1))
    if (!u.ok) return u
    const data = u.data
    if (!isPlainObject(data)) return { ok: false, error: 'the link does not hold a state object' }
    const known = new Set(['s', 'a', 'v', 'sel', 'th', 'wk', 'ct', 'p', 'pw', 'st'])
    const unknown = Object.keys(data).find((k) => !known.has(k))
    if (unknown !== undefined) return { ok: false, error: `the link has an unknown field "${unknown.slice(0, 20)}"` }
    const st = defaultLinkState()
    if (data.s !== undefined) {
      if (!isPlainObject(data.s)) return { ok: false, error: 'the link\'s scenario is not an object' }
      deriveWarmup(data.s)
      const r = tryParseScenario(data.s)
      if (!r.ok) return { ok: false, error: `the link holds an invalid scenario (${r.error})` }
      st.scenario = r.scenario
    }
    if (data.a !== undefined) {
      if (!isPlainObject(data.a)) return { ok: false, error: 'the link\'s run A is not an object' }
      deriveWarmup(data.a)
      const r = tryParseScenario(data.a)
      if (!r.ok) return { ok: false, error: `the link holds an invalid run A (${r.error})` }
      st.pinnedScenario = r.scenario
    }
    const v = readRange(data.v, 'visible window')
    if (typeof v === 'string') return { ok: false, error: `the link's ${v}` }
    st.view = v
    const sel = readRange(data.sel, 'selection')
    if (typeof sel === 'string') return { ok: false, error: `the link's ${sel}` }
    st.selection = sel
    if (data.th !== undefined && data.th !== 0 && data.th !== 1) return { ok: false, error: 'the link\'s thread-lane flag must be 0 or 1' }
    st.showThreadLanes = data.th === 1
    if (data.wk !== undefined && data.wk !== 0 && data.wk !== 1) return { ok: false, error: 'the link\'s wakeups flag must be 0 or 1' }
    st.showWakeups = data.wk !== 0
    if (data.ct !== undefined && data.ct !== 0 && data.ct !== 1) return { ok: false, error: 'the link\'s counter-tracks flag must be 0 or 1' }
    st.showCounters = data.ct !== 0
    if (data.p !== undefined) {
      if (!Array.isArray(data.p) || data.p.length > MAX_LINK_PARKED) return { ok: false, error: 'the link\'s parked writes must be a list of at most 64' }
      for (const w of data.p) {
        if (!Array.isArray(w) || w.length !== 3) return { ok: false, error: 'a parked write must be [atMs, queue, threaded]' }
        const [atMs, queue, th] = w as unknown[]
        if (typeof atMs !== 'number' || !(atMs >= 0 && atMs <= 10_000)) return { ok: false, error: 'a parked write\'s time must be 0..10000 ms' }
        if (typeof queue !== 'number' || !Number.isInteger(queue) || queue < -1 || queue > 63) return { ok: false, error: 'a parked write\'s queue must be -1..63' }
        if (th !== 0 && th !== 1) return { ok: false, error: 'a parked write\'s value must be 0 or 1' }
        st.parked.push({ atMs, queue, threaded: th === 1 })
      }
    }
    if (data.pw !== undefined) {
      const pw = readParkedWrites(data.pw)
      if (typeof pw === 'string') return { ok: false, error: pw }
      st.parkedWrites = pw
    }
    if (data.st !== undefined) {
      const n = readStoryStep(data.st)
      if (n === null) return { ok: false, error: `the link's story step must be 1..${MAX_STORY_STEP}` }
      st.story = n
    }
    return { ok: true, state: st, empty: false }
  } catch (e) {
    return { ok: false, error: `the link could not be read (${e instanceof Error ? e.message : String(e)})` }
  }
}

/** Decode `location.hash` into a whole state (v1 or v2 `s=`). Never throws. */
export function decodeStateHash(hash: string): StateDecodeResult {
  const h = hash.startsWith('#') ? hash.slice(1) : hash
  if (h.length > MAX_PAYLOAD_CHARS + 64) return { ok: false, error: `the link is too long (${h.length} characters)` }
  const parts = h.split('&')
  for (const part of parts) {
    if (part.startsWith(`${HASH_PARAM}=`)) return decodeState(part.slice(HASH_PARAM.length + 1))
  }
  for (const part of parts) {
    if (!part.startsWith(`${STORY_PARAM}=`)) continue
    const v = part.slice(STORY_PARAM.length + 1)
    const n = /^\d{1,2}$/.test(v) ? readStoryStep(Number(v)) : null
    if (n === null) return { ok: false, error: `the story step must be 1..${MAX_STORY_STEP} (got "${v.slice(0, 8)}")` }
    return { ok: true, state: defaultLinkState(), empty: false, storyStep: n }
  }
  return { ok: true, state: defaultLinkState(), empty: true }
}
