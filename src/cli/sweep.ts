// Runs sweep cells on a pool of worker threads (one per core), in order of submission.
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { Costs, ScenarioInput } from '../engine/index.ts'

export interface CellResult {
  deliveredKpps: number
  drops: number
  wallMs: number
  events: number
}

export async function runPool(inputs: ScenarioInput[], threads = availableParallelism(), onDone?: (i: number) => void, costs?: Costs): Promise<CellResult[]> {
  const results: CellResult[] = Array.from({ length: inputs.length })
  let next = 0
  const workerUrl = new URL('./sweepWorkerBoot.mjs', import.meta.url)
  const n = Math.max(1, Math.min(threads, inputs.length))
  await Promise.all(
    Array.from({ length: n }, () =>
      new Promise<void>((resolve, reject) => {
        const w = new Worker(workerUrl)
        const feed = () => {
          if (next >= inputs.length) {
            void w.terminate().then(() => resolve())
            return
          }
          const i = next++
          w.once('message', (m: { i: number; r?: CellResult; error?: string }) => {
            if (m.error) { reject(new Error(m.error)); void w.terminate(); return }
            results[m.i] = m.r!
            onDone?.(m.i)
            feed()
          })
          w.postMessage({ i, input: inputs[i], ...(costs ? { costs } : {}) })
        }
        w.once('error', reject)
        feed()
      }),
    ),
  )
  return results
}
