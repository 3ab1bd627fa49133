// Experiment <-> share link. Format (hash parameters, readable except the base scenario):
//   #view=experiment&payloads=1,64,256,1400&flows=1,25,50,100,200&modes=softirq,threaded-irq&cellMs=1000&b=<s-payload>
// `b` is the base scenario in the playground's codec (urlCodec.encodeScenario: versioned
// defaults-diff, deflate, base64url) and is decoded by the same validating decoder. Without `b`
// the base is the seed's experiment (SEED_2016); `b=` (empty) means the default scenario.
// The sync pushes a history entry per config change (debounced like the playground's) and per
// switch between the views, so Back returns to the grid after opening a cell in the playground.
import { defaultScenario, RX_MODES, type RxMode } from '../engine/scenario.ts'
import {
  checkConfig, CELL_MS_LIMITS, defaultBase, defaultConfig, GRID_LIMITS, parseNumberList, sortModes, useExperiment,
  type ExperimentConfig,
} from './experiment.ts'
import { isExperimentHash, useAppView, VIEW_PARAM } from './experimentView.ts'
import { decodeScenario, encodeScenario, MAX_PAYLOAD_CHARS } from './urlCodec.ts'
import { isPlainDecimal, printable, sanitizeMessage } from '../input/rules.ts'
import { currentHash, URL_DEBOUNCE_MS, writeHistory } from './urlSync.ts'

export type ExperimentDecode = { ok: true; config: ExperimentConfig } | { ok: false; error: string }

export function encodeExperimentHash(c: ExperimentConfig): string {
  const parts = [
    `${VIEW_PARAM}=experiment`,
    `payloads=${c.grid.payloads.join(',')}`,
    `flows=${c.grid.flows.join(',')}`,
    `modes=${c.grid.modes.join(',')}`,
    `cellMs=${c.cellMs}`,
    `b=${encodeScenario(c.base)}`,
  ]
  return `#${parts.join('&')}`
}

/** Decode an experiment hash; missing grid parameters take the defaults. Never throws. */
export function decodeExperimentHash(hash: string): ExperimentDecode {
  const r = decodeExperimentHashRaw(hash)
  return r.ok ? r : { ok: false, error: sanitizeMessage(r.error) }
}

function decodeExperimentHashRaw(hash: string): ExperimentDecode {
  try {
    const h = hash.startsWith('#') ? hash.slice(1) : hash
    if (h.length > MAX_PAYLOAD_CHARS + 512) return { ok: false, error: `the link is too long (${h.length} characters)` }
    const params = new Map<string, string>()
    for (const part of h.split('&')) {
      const eq = part.indexOf('=')
      if (eq > 0) params.set(part.slice(0, eq), part.slice(eq + 1))
    }
    const cfg = defaultConfig()
    const p = params.get('payloads')
    if (p !== undefined) {
      const r = parseNumberList(p, 'payloads', GRID_LIMITS.payloads)
      if (!r.ok) return r
      cfg.grid.payloads = r.values
    }
    const f = params.get('flows')
    if (f !== undefined) {
      const r = parseNumberList(f, 'flows', GRID_LIMITS.flows)
      if (!r.ok) return r
      cfg.grid.flows = r.values
    }
    const m = params.get('modes')
    if (m !== undefined) {
      const names = m.split(',').filter(Boolean)
      const bad = names.find((n) => !(RX_MODES as readonly string[]).includes(n))
      if (bad !== undefined) return { ok: false, error: `modes: '${printable(bad)}' is not one of ${RX_MODES.join(', ')}` }
      cfg.grid.modes = sortModes(names as RxMode[])
      if (!cfg.grid.modes.length) return { ok: false, error: 'modes: at least one mode' }
    }
    const d = params.get('cellMs')
    if (d !== undefined) {
      const n = isPlainDecimal(d) ? Number(d) : NaN
      if (!Number.isFinite(n) || n < CELL_MS_LIMITS.min || n > CELL_MS_LIMITS.max) return { ok: false, error: `cellMs: must be from ${CELL_MS_LIMITS.min} to ${CELL_MS_LIMITS.max} ms` }
      cfg.cellMs = n
    }
    const b = params.get('b')
    if (b === undefined) cfg.base = defaultBase()
    else if (b === '') cfg.base = defaultScenario()
    else {
      const r = decodeScenario(b)
      if (!r.ok) return { ok: false, error: `base scenario: ${r.error}` }
      cfg.base = r.scenario
    }
    const problem = checkConfig(cfg)
    if (problem) return { ok: false, error: problem }
    return { ok: true, config: cfg }
  } catch (e) {
    return { ok: false, error: `the link could not be read (${e instanceof Error ? e.message : String(e)})` }
  }
}

/** The shareable link of the current experiment. */
export function experimentLink(): string {
  return `${location.origin}${location.pathname}${location.search}${encodeExperimentHash(useExperiment.getState().config)}`
}

/** Write the experiment's hash now (a new history entry), if its view is on screen. */
function writeExperimentHash(): void {
  if (useAppView.getState().view !== 'experiment') return
  const hash = encodeExperimentHash(useExperiment.getState().config)
  if (location.hash !== hash) writeHistory(hash, true)
}

function applyExperimentHash(hash: string): void {
  const r = decodeExperimentHash(hash)
  const st = useExperiment.getState()
  if (!r.ok) {
    st.setLinkError(`Could not open this experiment link: ${r.error}. Showing the previous experiment (the published one on a fresh page).`)
    return
  }
  st.setLinkError(null)
  st.setConfig(r.config)
}

/**
 * Reads the hash on start and on hashchange, switches views, and keeps the hash in step with the
 * experiment while its view is on screen. The playground's own sync (urlSync.ts) owns the hash
 * while the playground is shown.
 */
export function startExperimentUrlSync(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  let fromHash = false
  if (isExperimentHash(location.hash)) applyExperimentHash(location.hash)

  const schedule = (ms: number) => {
    clearTimeout(timer)
    timer = setTimeout(writeExperimentHash, ms)
  }
  const unsubExp = useExperiment.subscribe((s, prev) => {
    if (s.config !== prev.config) schedule(URL_DEBOUNCE_MS)
  })
  const unsubView = useAppView.subscribe((s, prev) => {
    if (s.view === prev.view || fromHash) return
    clearTimeout(timer)
    if (s.view === 'experiment') writeExperimentHash()
    else if (location.hash !== currentHash()) writeHistory(currentHash(), true)
  })
  const onHashChange = () => {
    fromHash = true
    try {
      if (isExperimentHash(location.hash)) {
        if (location.hash !== encodeExperimentHash(useExperiment.getState().config)) applyExperimentHash(location.hash)
        useAppView.getState().setView('experiment')
      } else {
        useAppView.getState().setView('playground')
      }
    } finally {
      fromHash = false
    }
  }
  window.addEventListener('hashchange', onHashChange)
  return () => {
    unsubExp()
    unsubView()
    clearTimeout(timer)
    window.removeEventListener('hashchange', onHashChange)
  }
}
