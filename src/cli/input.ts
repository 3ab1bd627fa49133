// Reading a scenario for `sim run`: bounded (a scenario is a few kB; /dev/zero or a huge file
// fails fast), UTF-8 with an optional BOM, JSON, an object, a derived warm-up for short runs.
// Never throws: a rejection is { ok: false, error } with a printable one-line message.
import { closeSync, openSync, readSync } from 'node:fs'
import { deriveWarmup, printable } from '../input/rules.ts'

export const MAX_INPUT_BYTES = 1024 * 1024

export type InputResult =
  | { ok: true; value: Record<string, unknown>; notes: string[] }
  | { ok: false; error: string }

/** Read at most MAX_INPUT_BYTES (+1 to detect more) from a path or '-' (standard input). */
export function readBounded(src: string, max = MAX_INPUT_BYTES): { ok: true; bytes: Uint8Array } | { ok: false; error: string } {
  const name = src === '-' ? 'standard input' : printable(src, 200)
  let fd: number
  try {
    fd = src === '-' ? 0 : openSync(src, 'r')
  } catch (e) {
    return { ok: false, error: `cannot read ${name}: ${(e as NodeJS.ErrnoException).code ?? 'error'}` }
  }
  const buf = new Uint8Array(max + 1)
  let n = 0
  try {
    for (;;) {
      let got: number
      try {
        got = readSync(fd, buf, n, buf.length - n, null)
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code
        if (code === 'EAGAIN') continue // non-blocking stdin: wait for data
        if (code === 'EOF') break
        return { ok: false, error: `cannot read ${name}: ${code ?? 'error'}` }
      }
      if (got === 0) break
      n += got
      if (n > max) return { ok: false, error: `${name} is larger than ${max / 1024} KiB: not a scenario (a scenario is a few kB of JSON)` }
    }
  } finally {
    if (src !== '-') closeSync(fd)
  }
  return { ok: true, bytes: buf.subarray(0, n) }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

/** Bytes → scenario object (not yet validated by the engine). */
export function parseScenarioBytes(bytes: Uint8Array, name: string): InputResult {
  if (bytes.length > MAX_INPUT_BYTES) return { ok: false, error: `${name} is larger than ${MAX_INPUT_BYTES / 1024} KiB` }
  let text: string
  try {
    text = utf8.decode(bytes) // drops a leading UTF-8 BOM
  } catch {
    return { ok: false, error: `${name}: not UTF-8 text` }
  }
  return parseScenarioText(text, name)
}

export function parseScenarioText(text: string, name: string): InputResult {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  if (t.trim() === '') return { ok: false, error: `${name} is empty` }
  let data: unknown
  try {
    data = JSON.parse(t)
  } catch (e) {
    // V8's message quotes the input ("Unexpected token '\x1b', "\x1b[31m..." is not valid JSON"): escape it
    return { ok: false, error: `${name}: not valid JSON (${printable(e instanceof Error ? e.message : String(e), 160)})` }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, error: `${name}: the scenario must be a JSON object` }
  const value = data as Record<string, unknown>
  const notes: string[] = []
  const note = deriveWarmup(value)
  if (note) notes.push(note)
  return { ok: true, value, notes }
}
