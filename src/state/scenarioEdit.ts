// Pure scenario edits used by the store: set a field by path, keep cross-field rules satisfied
// (so shrinking "NIC queues" does not strand an override on a queue that no longer exists), and
// validate through the engine's parser. Nothing here touches the DOM.
import { KERNEL_ERAS, KNOB_INFO, tryParseScenario, type IrqOverride, type KnobWrite, type ModeSwitch, type Scenario, type ScenarioInput } from '../engine/scenario.ts'

/**
 * `parked`: scheduled /proc/irq writes the edit moved out of the scenario (after its end): the store
 * keeps them. `parkedWrites`: the same for knob writes (scenario.writes).
 */
export type EditResult = { ok: true; scenario: Scenario; parked?: ModeSwitch[]; parkedWrites?: KnobWrite[] } | { ok: false; error: string }

/** The engine takes at most this many scheduled writes (rx.switches). */
export const MAX_SWITCHES = 64

/** A write applies when it falls within the run and names an existing queue (-1 = every queue). */
export const switchApplies = (w: ModeSwitch, s: Scenario): boolean => w.atMs <= s.durationMs && w.queue < s.nic.queues

const byTime = (a: ModeSwitch, b: ModeSwitch) => a.atMs - b.atMs || a.queue - b.queue

/**
 * Split scheduled writes between the scenario (those that apply) and the parked list (the rest),
 * so shrinking Duration below a write keeps it, flagged, and growing Duration brings it back.
 */
export function mergeParked(s: Scenario, parked: readonly ModeSwitch[]): { scenario: Scenario; parked: ModeSwitch[] } {
  if (!parked.length && s.rx.switches.every((w) => switchApplies(w, s))) return { scenario: s, parked: [] }
  const all = [...s.rx.switches, ...parked]
  const active: ModeSwitch[] = []
  const rest: ModeSwitch[] = []
  for (const w of all) (switchApplies(w, s) && active.length < MAX_SWITCHES ? active : rest).push(w)
  // oxlint-disable-next-line unicorn/no-array-sort -- sorting fresh arrays
  active.sort(byTime)
  // oxlint-disable-next-line unicorn/no-array-sort -- sorting fresh arrays
  rest.sort(byTime)
  const next = clone(s)
  next.rx.switches = active
  return { scenario: next, parked: rest }
}

/** The engine takes at most this many knob writes (scenario.writes). */
export const MAX_WRITES = 64

const eraIndex = (e: string) => (KERNEL_ERAS as readonly string[]).indexOf(e)

/**
 * Why a knob write does not apply to this scenario (the engine would refuse it), or null: the
 * context-dependent rules of the engine's cross-field checks (scenario.ts), each as a short reason.
 * The value's own range is not here: that is an input error, not something an edit elsewhere fixes.
 */
export function knobWriteProblem(w: KnobWrite, s: Scenario): string | null {
  const k = KNOB_INFO[w.knob]
  if (w.atMs > s.durationMs) return `after the end (${s.durationMs} ms)`
  if (eraIndex(s.kernel.era) < eraIndex(k.since)) return `not in kernel era ${s.kernel.era}`
  if (k.scope === 'napi' && w.index >= s.nic.queues) return 'no such queue'
  if (k.scope === 'app' && s.consumer.kind !== 'local') return 'needs the local application'
  if (k.scope === 'app' && w.index >= s.consumer.threads) return 'no such thread'
  if (w.knob === 'threaded' && w.value === 2 && (s.rx.mode !== 'threaded-napi' || s.kernel.era !== 'v6.6+')) return 'threaded = 2 needs threaded NAPI and era v6.6+'
  return null
}

const writeByTime = (a: KnobWrite, b: KnobWrite) => a.atMs - b.atMs

/**
 * Like mergeParked for knob writes: those that apply (at most MAX_WRITES) go into the scenario in
 * time order, the rest stay parked, so an edit that makes a write inapplicable (a shorter run, fewer
 * queues, an older era, the guest consumer) keeps it, and undoing that edit brings it back.
 */
export function mergeParkedWrites(s: Scenario, parked: readonly KnobWrite[]): { scenario: Scenario; parked: KnobWrite[] } {
  if (!parked.length && s.writes.every((w) => knobWriteProblem(w, s) === null)) return { scenario: s, parked: [] }
  const active: KnobWrite[] = []
  const rest: KnobWrite[] = []
  for (const w of [...s.writes, ...parked]) (knobWriteProblem(w, s) === null && active.length < MAX_WRITES ? active : rest).push(w)
  // oxlint-disable-next-line unicorn/no-array-sort -- sorting fresh arrays
  active.sort(writeByTime)
  // oxlint-disable-next-line unicorn/no-array-sort -- sorting fresh arrays
  rest.sort(writeByTime)
  const next = clone(s)
  next.writes = active
  return { scenario: next, parked: rest }
}

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
  // setField hands these back as parkedWrites
  if (Array.isArray(s.writes)) s.writes = s.writes.filter((w) => knobWriteProblem(w, s) === null)
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
  const cand = next as unknown as Scenario
  // writes that no longer apply leave the scenario but are handed back, not lost
  const parked = Array.isArray(cand.rx?.switches) && typeof cand.durationMs === 'number' && typeof cand.nic?.queues === 'number'
    ? cand.rx.switches.filter((w) => !switchApplies(w, cand))
    : []
  const parkedWrites = Array.isArray(cand.writes) && typeof cand.durationMs === 'number' && typeof cand.nic?.queues === 'number' && !!cand.kernel && !!cand.consumer && !!cand.rx
    ? cand.writes.filter((w) => knobWriteProblem(w, cand) !== null)
    : []
  const withParked = (r: EditResult): EditResult => (r.ok && (parked.length || parkedWrites.length)
    ? { ...r, ...(parked.length ? { parked } : {}), ...(parkedWrites.length ? { parkedWrites } : {}) }
    : r)
  const pre = validate(next as ScenarioInput)
  if (!pre.ok) {
    // A cross-field rule may fail before normalising (e.g. fewer queues than an override names).
    const norm = validate(normalize(cand))
    return norm.ok ? withParked(norm) : pre
  }
  return withParked(validate(normalize(pre.scenario)))
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
