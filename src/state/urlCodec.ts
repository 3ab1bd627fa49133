// Scenario <-> share link. Format: `#s=<codec version>.<base64url(deflate(JSON of the deep diff vs defaults))>`.
// Only values that differ from `defaultScenario()` are stored, so links stay short and keep working
// when defaults change for fields the user never touched. Everything decoded is untrusted: sizes are
// capped before and after inflating, prototype-pollution keys are refused, and the result goes
// through the engine's own validator (`tryParseScenario`).
import { deflateSync, Inflate, strFromU8, strToU8 } from 'fflate'
import { defaultScenario, tryParseScenario, type Scenario } from '../engine/scenario.ts'

export const URL_CODEC_VERSION = 1
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

/** Inflate with a hard output cap (throws past it). */
function inflateCapped(data: Uint8Array, cap: number): Uint8Array {
  const chunks: Uint8Array[] = []
  let total = 0
  let finished = false
  const inf = new Inflate((chunk, final) => {
    total += chunk.length
    if (total > cap) throw new Error(`the link expands to more than ${cap / 1024} kB`)
    chunks.push(chunk)
    if (final) finished = true
  })
  inf.push(data, true)
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

/** Decode the `s=` payload. Never throws. */
export function decodeScenario(payload: string): DecodeResult {
  try {
    if (payload.length > MAX_PAYLOAD_CHARS) return { ok: false, error: `the link is too long (${payload.length} characters)` }
    const dot = payload.indexOf('.')
    if (dot < 0) return { ok: false, error: 'the link has no version prefix' }
    const ver = payload.slice(0, dot)
    const body = payload.slice(dot + 1)
    if (!/^\d{1,4}$/.test(ver)) return { ok: false, error: 'the link has a malformed version prefix' }
    if (Number(ver) !== URL_CODEC_VERSION) {
      return { ok: false, error: `the link uses format v${ver}; this irqlab reads v${URL_CODEC_VERSION}` }
    }
    if (!/^[A-Za-z0-9_-]+$/.test(body)) return { ok: false, error: 'the link contains characters that are not base64url' }
    let bytes: Uint8Array
    try { bytes = base64urlToBytes(body) } catch { return { ok: false, error: 'the link is not valid base64url' } }
    let text: string
    try { text = strFromU8(inflateCapped(bytes, MAX_JSON_BYTES)) } catch (e) {
      return { ok: false, error: `the link is damaged (${e instanceof Error ? e.message : 'cannot decompress'})` }
    }
    let data: unknown
    try {
      data = JSON.parse(text, (key, value: unknown) => {
        if (FORBIDDEN_KEYS.has(key)) throw new Error(`forbidden key "${key}"`)
        return value
      })
    } catch (e) {
      return { ok: false, error: `the link is damaged (${e instanceof Error ? e.message : 'not JSON'})` }
    }
    if (!isPlainObject(data)) return { ok: false, error: 'the link does not hold a scenario object' }
    const r = tryParseScenario(data)
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
