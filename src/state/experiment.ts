// The Experiment view's state: a grid of payload sizes × flow counts × rx modes, a base scenario,
// a simulated duration per cell, and the results of the last run, keyed by cell. Pure helpers
// (cells, table rows, CSV) are exported for the view, the URL codec and tests.
import { create } from 'zustand'
import { DEFAULT_SWEEP, SEED_2016, seedCellScenario, type SweepCell } from '../engine/presets.ts'
import { parseScenario, RX_MODES, tryParseScenario, type RxMode, type Scenario, type ScenarioInput } from '../engine/scenario.ts'
import type { SimResult } from '../engine/types.ts'
import { publishedKpps } from '../data/seedTable.ts'
import { isPlainInt, printable } from '../input/rules.ts'

export interface ExperimentGrid {
  /** UDP payload sizes, bytes (ascending) */
  payloads: number[]
  /** flow counts (ascending) */
  flows: number[]
  /** rx modes, in RX_MODES order */
  modes: RxMode[]
}

export interface ExperimentConfig {
  grid: ExperimentGrid
  /** everything except payload, flows and mode (seedCellScenario sets those and the duration) */
  base: Scenario
  /** simulated time per cell, ms */
  cellMs: number
}

export interface CellResult {
  /** guest (or receiver) kpps over [warm-up, end] */
  kpps: number
  offeredKpps: number
  droppedKpps: number
  /** wall time the worker spent */
  wallMs: number
  /** the run's latency histogram and percentiles (summary.latency), when the engine measured it */
  latency?: SimResult['summary']['latency']
}

export const GRID_LIMITS = {
  payloads: { min: 1, max: 1472, count: 8, unit: 'B' },
  flows: { min: 1, max: 1024, count: 8, unit: 'flows' },
} as const
export const CELL_MS_LIMITS = { min: 10, max: 10_000 } as const
export const PUBLISHED_CELL_MS = 1000
export const QUICK_CELL_MS = 100

export const defaultGrid = (): ExperimentGrid => ({
  payloads: [...DEFAULT_SWEEP.payloads],
  flows: [...DEFAULT_SWEEP.flows],
  modes: [...DEFAULT_SWEEP.modes],
})
export const defaultBase = (): Scenario => parseScenario(SEED_2016)
export const defaultConfig = (): ExperimentConfig => ({ grid: defaultGrid(), base: defaultBase(), cellMs: PUBLISHED_CELL_MS })

export const cellKey = (c: SweepCell): string => `${c.payloadBytes}/${c.flows}/${c.mode}`

/** Cells in table order: payload, then flows, then mode. */
export function gridCells(g: ExperimentGrid): SweepCell[] {
  return g.payloads.flatMap((payloadBytes) => g.flows.flatMap((flows) => g.modes.map((mode) => ({ payloadBytes, flows, mode }))))
}

/** What one worker run gets: the cell's scenario without a trace (the sweep needs the summary only). */
export function cellInput(c: SweepCell, cfg: ExperimentConfig): ScenarioInput {
  const s = seedCellScenario(c, cfg.cellMs, cfg.base)
  return { ...s, trace: { ...s.trace, maxSlices: 0 } }
}

/** The cell as a full playground scenario (trace recorded as usual). */
export function cellScenario(c: SweepCell, cfg: ExperimentConfig): Scenario {
  return parseScenario(seedCellScenario(c, cfg.cellMs, cfg.base))
}

/** Parse "1, 64 256" into sorted unique integers within limits, or an error naming the field. */
export function parseNumberList(text: string, label: string, lim: { min: number; max: number; count: number; unit: string }): { ok: true; values: number[] } | { ok: false; error: string } {
  const parts = text.split(/[\s,;]+/).filter(Boolean)
  if (!parts.length) return { ok: false, error: `${label}: enter at least one value` }
  const out = new Set<number>()
  if (parts.length > 64) return { ok: false, error: `${label}: at most ${lim.count} values` }
  for (const p of parts) {
    const n = isPlainInt(p) ? Number(p) : NaN
    if (!Number.isInteger(n) || n < lim.min || n > lim.max) return { ok: false, error: `${label}: '${printable(p)}' is not an integer from ${lim.min} to ${lim.max} ${lim.unit}` }
    out.add(n)
  }
  if (out.size > lim.count) return { ok: false, error: `${label}: at most ${lim.count} values` }
  const values = [...out]
  // oxlint-disable-next-line unicorn/no-array-sort -- sorting a fresh array
  values.sort((a, b) => a - b)
  return { ok: true, values }
}

export const sortModes = (modes: Iterable<RxMode>): RxMode[] => {
  const set = new Set(modes)
  return RX_MODES.filter((m) => set.has(m))
}

/** Check a whole config: the grid is non-empty and every cell is a valid scenario. */
export function checkConfig(cfg: ExperimentConfig): string | null {
  const { payloads, flows, modes } = cfg.grid
  if (!payloads.length || !flows.length || !modes.length) return 'the grid needs at least one payload size, one flow count and one mode'
  if (!Number.isFinite(cfg.cellMs) || cfg.cellMs < CELL_MS_LIMITS.min || cfg.cellMs > CELL_MS_LIMITS.max) return `duration per cell: must be from ${CELL_MS_LIMITS.min} to ${CELL_MS_LIMITS.max} ms`
  // Payload and flows vary per cell; the extremes cover the schema ranges.
  for (const c of [{ payloadBytes: payloads[0]!, flows: flows[0]!, mode: modes[0]! }, { payloadBytes: payloads.at(-1)!, flows: flows.at(-1)!, mode: modes.at(-1)! }]) {
    const r = tryParseScenario(seedCellScenario(c, cfg.cellMs, cfg.base))
    if (!r.ok) return r.error
  }
  return null
}

export const pctDiff = (a: number, b: number): number => ((a - b) / b) * 100

export interface TableRow {
  payloadBytes: number
  flows: number
  sim: Partial<Record<RxMode, CellResult>>
  /** simulated mode vs simulated softirq, % */
  vsSoftirq: Partial<Record<RxMode, number>>
  published: Partial<Record<RxMode, number>>
  /** simulated vs published, % */
  vsPublished: Partial<Record<RxMode, number>>
}

export function tableRows(g: ExperimentGrid, results: Record<string, CellResult>): TableRow[] {
  return g.payloads.flatMap((payloadBytes) => g.flows.map((flows) => {
    const row: TableRow = { payloadBytes, flows, sim: {}, vsSoftirq: {}, published: {}, vsPublished: {} }
    for (const mode of g.modes) {
      const r = results[cellKey({ payloadBytes, flows, mode })]
      if (r) row.sim[mode] = r
      const pub = publishedKpps(payloadBytes, flows, mode)
      if (pub !== undefined) {
        row.published[mode] = pub
        if (r) row.vsPublished[mode] = pctDiff(r.kpps, pub)
      }
    }
    const base = row.sim.softirq
    if (base) for (const mode of g.modes) {
      const r = row.sim[mode]
      if (mode !== 'softirq' && r) row.vsSoftirq[mode] = pctDiff(r.kpps, base.kpps)
    }
    return row
  }))
}

/** Modes the publication has and the grid includes. */
export const publishedModes = (g: ExperimentGrid): RxMode[] => g.modes.filter((m) => m === 'softirq' || m === 'threaded-irq')

export const MODE_LABELS: Record<RxMode, string> = { softirq: 'softirq', 'threaded-irq': 'threaded IRQ', 'threaded-napi': 'threaded NAPI' }

const us = (m: RxMode) => m.replace('-', '_')
const fmt = (v: number | undefined, digits: number) => (v === undefined ? '' : v.toFixed(digits))

/** The results table as CSV (one row per payload × flows; empty fields where there is no value). */
export function tableCsv(g: ExperimentGrid, results: Record<string, CellResult>, cellMs: number): string {
  const head = ['payload_bytes', 'flows', 'cell_ms', ...g.modes.map((m) => `${us(m)}_kpps`), ...g.modes.filter((m) => m !== 'softirq' && g.modes.includes('softirq')).map((m) => `${us(m)}_vs_softirq_pct`)]
  for (const m of publishedModes(g)) head.push(`published_${us(m)}_kpps`, `${us(m)}_vs_published_pct`)
  const lines = [head.join(',')]
  for (const r of tableRows(g, results)) {
    const cells: string[] = [String(r.payloadBytes), String(r.flows), String(cellMs), ...g.modes.map((m) => fmt(r.sim[m]?.kpps, 1))]
    if (g.modes.includes('softirq')) for (const m of g.modes) if (m !== 'softirq') cells.push(fmt(r.vsSoftirq[m], 1))
    for (const m of publishedModes(g)) cells.push(fmt(r.published[m], 0), fmt(r.vsPublished[m], 1))
    lines.push(cells.join(','))
  }
  return lines.join('\n') + '\n'
}

export type ExperimentStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error'

export interface ExperimentState {
  config: ExperimentConfig
  results: Record<string, CellResult>
  /** per cell: the error a run reported */
  cellErrors: Record<string, string>
  status: ExperimentStatus
  done: number
  total: number
  /** workers in the pool of the current/last run */
  workers: number
  startedAt: number
  elapsedMs: number
  /** a problem with the link the page was opened with */
  linkError: string | null
  setConfig: (c: ExperimentConfig) => void
  setLinkError: (e: string | null) => void
  /** `keep` = true: retrying some cells, the other results stay */
  begin: (total: number, workers: number, keep?: boolean) => void
  addResult: (c: SweepCell, r: CellResult) => void
  addError: (c: SweepCell, e: string) => void
  finish: (status: Exclude<ExperimentStatus, 'idle' | 'running'>) => void
}

const sameRunSettings = (a: ExperimentConfig, b: ExperimentConfig) =>
  a.cellMs === b.cellMs && JSON.stringify(a.base) === JSON.stringify(b.base)

export const useExperiment = create<ExperimentState>()((set, get) => ({
  config: defaultConfig(),
  results: {},
  cellErrors: {},
  status: 'idle',
  done: 0,
  total: 0,
  workers: 0,
  startedAt: 0,
  elapsedMs: 0,
  linkError: null,
  // Results stay when only the grid changes (cells still in it keep their numbers); a different
  // base scenario or duration makes them meaningless, so they go.
  setConfig: (c) => set(sameRunSettings(c, get().config) ? { config: c } : { config: c, results: {}, cellErrors: {}, status: 'idle', done: 0, total: 0 }),
  setLinkError: (e) => set({ linkError: e }),
  begin: (total, workers, keep = false) => set((s) => ({ status: 'running', done: 0, total, workers, results: keep ? s.results : {}, cellErrors: {}, startedAt: performance.now(), elapsedMs: 0 })),
  addResult: (c, r) => set((s) => ({ results: { ...s.results, [cellKey(c)]: r }, done: s.done + 1, elapsedMs: performance.now() - s.startedAt })),
  addError: (c, e) => set((s) => ({ cellErrors: { ...s.cellErrors, [cellKey(c)]: e }, done: s.done + 1 })),
  finish: (status) => set((s) => ({ status, elapsedMs: performance.now() - s.startedAt })),
}))
