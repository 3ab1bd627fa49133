// Page side of the worker: one typed proxy per worker. `import type` keeps the worker module out
// of the main bundle.
import * as Comlink from 'comlink'
import type { SimWorkerApi } from './sim.worker.ts'

export type SimWorker = Comlink.Remote<SimWorkerApi>

export function startSimWorker(): { api: SimWorker; terminate: () => void } {
  const worker = new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module', name: 'irqlab-sim' })
  const api = Comlink.wrap<SimWorkerApi>(worker)
  return { api, terminate: () => { api[Comlink.releaseProxy](); worker.terminate() } }
}

export const progressCallback = (fn: (fraction: number) => void) => Comlink.proxy(fn)
