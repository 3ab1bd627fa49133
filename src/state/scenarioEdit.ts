// Pure scenario edits used by the store: set a field by path, keep cross-field rules satisfied
// (so shrinking "NIC queues" does not strand an override on a queue that no longer exists), and
// validate through the engine's parser. Nothing here touches the DOM.
import { tryParseScenario, type IrqOverride, type Scenario, type ScenarioInput } from '../engine/scenario.ts'

export type EditResult = { ok: true; scenario: Scenario } | { ok: false; error: string }

function clone<T>(v: T): T {
  return structuredClone(v)
}

/** Read a numeric field by dotted path (paths come from NUMERIC_FIELDS). */
export function getPath(s: Scenario, path: string): unknown {
  let cur: unknown = s
  for (const k of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, k)) return undefined
    cur = (cur as Record<string, unknown>)[k]
  }
  return cur
}

function setPathMut(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.')
  let cur: Record<string, unknown> = obj
  for (const k of keys.slice(0, -1)) {
    const next = cur[k]
    if (typeof next !== 'object' || next === null) cur[k] = {}
    cur = cur[k] as Record<string, unknown>
  }
  cur[keys[keys.length - 1]!] = value
}

/**
 * Drop or clamp dependent values that a change made invalid: overrides and switches on queues
 * that no longer exist, CPUs past the host's, a warm-up not shorter than the run.
 */
export function normalize(input: Scenario): Scenario {
  const s = clone(input)
  const q = s.nic.queues
  const c = s.host.cpus
  s.rx.irqs = s.rx.irqs
    .filter((o) => o.queue < q)
    .map((o) => (o.cpu !== undefined && o.cpu >= c ? { ...o, cpu: undefined } : o))
    .map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as IrqOverride)
  s.rx.switches = s.rx.switches.filter((w) => w.queue < q && w.atMs <= s.durationMs)
  if (s.consumer.receiverCpu >= c) s.consumer.receiverCpu = c - 1
  if (s.warmupMs >= s.durationMs) s.warmupMs = Math.round(s.durationMs * 0.1 * 1000) / 1000
  return s
}

export function validate(s: Scenario | ScenarioInput): EditResult {
  const r = tryParseScenario(s)
  return r.ok ? { ok: true, scenario: r.scenario } : { ok: false, error: r.error }
}

/** Set one field, normalise dependants, validate. */
export function setField(s: Scenario, path: string, value: unknown): EditResult {
  const next = clone(s) as unknown as Record<string, unknown>
  setPathMut(next, path, value)
  const pre = validate(next as ScenarioInput)
  if (!pre.ok) {
    // A cross-field rule may fail before normalising (e.g. fewer queues than an override names).
    const norm = validate(normalize(next as unknown as Scenario))
    return norm.ok ? norm : pre
  }
  return validate(normalize(pre.scenario))
}

/** Update (or remove, when all fields are back to the mode default) the override for one rx queue. */
export function setIrqOverride(s: Scenario, queue: number, patch: Partial<Omit<IrqOverride, 'queue'>>): EditResult {
  const next = clone(s)
  const existing = next.rx.irqs.find((o) => o.queue === queue) ?? { queue }
  const merged: IrqOverride = { ...existing, ...patch, queue }
  // Store only what differs from the scenario-wide defaults: keeps links short.
  if (merged.threaded === (s.rx.mode === 'threaded-irq')) delete merged.threaded
  if (merged.schedNormal === s.rx.schedNormal) delete merged.schedNormal
  if (merged.noAffinity === s.rx.noAffinity) delete merged.noAffinity
  if (merged.cpu === queue % s.host.cpus) delete merged.cpu
  for (const k of Object.keys(merged) as (keyof IrqOverride)[]) if (merged[k] === undefined) delete merged[k]
  next.rx.irqs = next.rx.irqs.filter((o) => o.queue !== queue)
  if (Object.keys(merged).length > 1) next.rx.irqs.push(merged)
  next.rx.irqs.sort((a, b) => a.queue - b.queue)
  return validate(next)
}
