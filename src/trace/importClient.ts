// Page side of trace import: one short-lived worker per file, progress into a small store of its
// own, the result placed beside the simulation (as A) or alone (as the current run).
import * as Comlink from 'comlink'
import { create } from 'zustand'
import { usePlayground } from '../state/store.ts'
import { primeIndex } from '../timeline/indexCache.ts'
import type { ImportedRun } from './builder.ts'
import type { ImportWorkerApi } from './import.worker.ts'

export interface ImportState {
  /** file being parsed, null when idle */
  busy: { name: string; progress: number } | null
  /** last import's problems (first line numbers and messages), or a fatal error */
  message: { kind: 'error' | 'info'; text: string } | null
}
export const useImport = create<ImportState>()(() => ({ busy: null, message: null }))

export type Placement = 'beside' | 'alone'

function describe(r: ImportedRun): string {
  const s = r.source
  const w = s.warningCount ? ` ${s.warningCount} line(s) not understood, kept the rest — first: line ${s.warnings[0]!.line}: ${s.warnings[0]!.message}` : ''
  return `${s.name}: ${s.format}, ${r.trace.cpus} CPUs, ${(r.trace.durationNs / 1e6).toFixed(1)} ms, ${r.trace.slices.count.toLocaleString('en-US')} slices.${w}`
}

/** Show an imported run: as A above the simulated run (B), or alone as the current run (until the next simulation). */
export function placeRun(r: ImportedRun, where: Placement): void {
  const st = usePlayground.getState()
  if (where === 'beside') usePlayground.setState({ pinned: r, pinnedScenario: null, view: null, selection: null })
  else usePlayground.setState({ result: r, resultRev: st.scenarioRev, status: 'done', progress: 1, runError: null, pinned: null, pinnedScenario: null, view: null, selection: null })
}

let seq = 0
export async function importTraceFile(file: File, where: Placement = 'beside'): Promise<ImportedRun | null> {
  const my = ++seq
  useImport.setState({ busy: { name: file.name, progress: 0 }, message: null })
  const worker = new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module', name: 'irqlab-import' })
  const api = Comlink.wrap<ImportWorkerApi>(worker)
  try {
    const { runs, indexes } = await api.importFile(file, file.name, Comlink.proxy((f: number) => { if (my === seq) useImport.setState({ busy: { name: file.name, progress: f } }) }))
    if (my !== seq) return null
    runs.forEach((x, i) => primeIndex(x.trace, indexes[i]!))
    const r = runs[0]!
    placeRun(r, where)
    useImport.setState({ busy: null, message: { kind: r.source.warningCount ? 'error' : 'info', text: `Opened ${describe(r)}${runs.length > 1 ? ` (run ${r.source.label ?? 1} of ${runs.length})` : ''}` } })
    return r
  } catch (e) {
    if (my === seq) useImport.setState({ busy: null, message: { kind: 'error', text: `Could not open ${file.name}: ${e instanceof Error ? e.message : String(e)}` } })
    return null
  } finally {
    api[Comlink.releaseProxy]()
    worker.terminate()
  }
}
