// Tiny argument parser for the CLI: `--flag value`, `--flag=value`, booleans, positionals.
import { isPlainInt, printable } from '../input/rules.ts'

export class UsageError extends Error {}

export interface ParsedArgs {
  positional: string[]
  flags: Map<string, string | true>
}

export function parseArgs(argv: string[], known: Record<string, 'string' | 'boolean'>): ParsedArgs {
  const positional: string[] = []
  const flags = new Map<string, string | true>()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '-') { positional.push(a); continue }
    if (!a.startsWith('--')) { positional.push(a); continue }
    const eq = a.indexOf('=')
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2)
    const type = known[name]
    if (!type) throw new UsageError(`unknown option --${printable(name)}`)
    if (type === 'boolean') {
      if (eq > 0) throw new UsageError(`--${name} takes no value`)
      flags.set(name, true)
    } else {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i]
      if (v === undefined || v === '') throw new UsageError(`--${name} needs a value`)
      flags.set(name, v)
    }
  }
  return { positional, flags }
}

export function intFlag(p: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const v = p.flags.get(name)
  if (v === undefined) return undefined
  const n = typeof v === 'string' && isPlainInt(v) ? Number(v) : NaN
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name}: expected an integer from ${min} to ${max} (decimal digits), got '${printable(String(v))}'`)
  return n
}

export function listFlag<T>(p: ParsedArgs, name: string, parse: (s: string) => T | undefined, what: string): T[] | undefined {
  const v = p.flags.get(name)
  if (v === undefined) return undefined
  if (typeof v !== 'string') throw new UsageError(`--${name} needs a value`)
  const out: T[] = []
  for (const part of v.split(',')) {
    const x = parse(part.trim())
    if (x === undefined) throw new UsageError(`--${name}: '${printable(part)}' is not ${what}`)
    out.push(x)
  }
  if (!out.length) throw new UsageError(`--${name}: empty list`)
  return out
}
