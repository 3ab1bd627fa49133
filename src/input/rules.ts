// Input rules shared by the command line and the link decoders (pure: no DOM, no Node).
// - numbers are plain decimal: `0x40`, `0b1`, `+64`, `1e3`, ` 7` are not numbers here (Number()
//   accepts them all);
// - text from outside (file bytes, link values) is made printable before it goes into a message:
//   control characters (terminal escape sequences included) and bidi overrides are escaped, and
//   long values are cut;
// - a scenario that sets a short durationMs without warmupMs gets a derived warm-up instead of
//   failing on the default one (the engine requires warmupMs < durationMs), and says so.
import { defaultScenario } from '../engine/scenario.ts'

/** Non-negative decimal integer, no sign, no exponent, no spaces. */
export const isPlainInt = (s: string): boolean => /^\d{1,15}$/.test(s)
/** Non-negative decimal number (optional fraction), no sign, no exponent, no spaces. */
export const isPlainDecimal = (s: string): boolean => /^\d{1,15}(\.\d{1,9})?$/.test(s)

export const MAX_ECHO_CHARS = 60

/** Printable, bounded form of untrusted text for an error message. */
export function printable(text: string, max = MAX_ECHO_CHARS): string {
  const cut = text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text
  // C0/C1 controls, DEL, bidi embeddings/overrides/isolates, line/paragraph separators
  // oxlint-disable-next-line no-control-regex -- matching control characters is the point
  return cut.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** The same for a whole message (longer limit). */
export const sanitizeMessage = (msg: string): string => printable(msg, 500)

/**
 * A scenario object (not yet validated) with durationMs set and warmupMs left out: if the default
 * warm-up is not shorter than the run, use a fifth of the run instead. Returns the note to show,
 * or null when nothing changed. Mutates `obj`.
 */
export function deriveWarmup(obj: Record<string, unknown>): string | null {
  const d = obj.durationMs
  if (typeof d !== 'number' || !Number.isFinite(d) || d <= 0 || obj.warmupMs !== undefined) return null
  const def = defaultScenario().warmupMs
  if (def < d) return null
  const w = Math.round((d / 5) * 1000) / 1000
  obj.warmupMs = w
  return `warm-up set to ${w} ms (a fifth of the ${d} ms run): the default ${def} ms is not shorter than the run`
}
