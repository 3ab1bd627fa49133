// Page side of the simulation worker: one typed proxy per worker, plus what Comlink does not do:
// notice that the worker died. A worker whose script fails to load (offline, a redeploy), that
// throws outside a call, that cannot decode a message, or that stops answering (no progress for
// STALL_MS during a run) is marked dead, terminated, and every call pending on it rejects with a
// WorkerFailure whose message says what happened. Callers show it and start a new worker.
// `import type` keeps the worker module out of the main bundle.
import * as Comlink from 'comlink'
import type { SimResult } from '../engine/types.ts'
import type { Landed, SimWorkerApi } from './sim.worker.ts'

export type { Landed }

export type SimWorker = Comlink.Remote<SimWorkerApi>

/** No progress message for this long while a run is in flight = the worker is hung. */
export const STALL_MS = 30_000

/** The worker itself failed (as opposed to the scenario being rejected). */
export class WorkerFailure extends Error {
  override name = 'WorkerFailure'
}

export interface SimWorkerHandle {
  /** Resolves with the result, null if superseded; rejects with the worker's error or a WorkerFailure. */
  run: (input: unknown, onProgress?: (fraction: number) => void) => Promise<SimResult | null>
  /** The playground's run: result + timeline index built in the worker, snapshots of a long run via onPartial. */
  runIndexed: (input: unknown, onProgress?: (fraction: number) => void, onPartial?: (l: Landed) => void) => Promise<Landed | null>
  cancel: () => void
  terminate: () => void
  /** set once the worker has failed; a dead handle rejects every call */
  readonly dead: WorkerFailure | null
}

function describeError(e: Event): string {
  if (e instanceof ErrorEvent && e.message) return `the simulation worker crashed (${e.message.slice(0, 200)})`
  if (e.type === 'messageerror') return 'the simulation worker sent a message the page cannot read'
  // A failed script load gives a plain Event without a message.
  return 'the simulation worker could not start (its script did not load: offline, or the app was updated)'
}

export function startSimWorker(): SimWorkerHandle {
  const worker = new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module', name: 'irqlab-sim' })
  const api = Comlink.wrap<SimWorkerApi>(worker)
  let dead: WorkerFailure | null = null
  let terminated = false
  const onDeath = new Set<(f: WorkerFailure) => void>()
  const kill = (f: WorkerFailure) => {
    if (dead || terminated) return
    dead = f
    worker.terminate()
    for (const fn of onDeath) fn(f)
    onDeath.clear()
  }
  const onError = (e: Event) => { e.preventDefault(); kill(new WorkerFailure(describeError(e))) }
  worker.addEventListener('error', onError)
  worker.addEventListener('messageerror', onError)

  /** Race a call against the worker's death. */
  const guard = <T>(call: () => Promise<T>, watch?: { touch: () => void; stop: () => void }): Promise<T> => {
    if (dead) return Promise.reject(dead)
    return new Promise<T>((resolve, reject) => {
      const fail = (f: WorkerFailure) => { watch?.stop(); reject(f) }
      onDeath.add(fail)
      call().then(
        (v) => { onDeath.delete(fail); watch?.stop(); resolve(v) },
        (e: unknown) => { onDeath.delete(fail); watch?.stop(); reject(e instanceof Error ? e : new Error(String(e))) },
      )
    })
  }

  /** a run with no progress for STALL_MS kills the worker; armed at once, re-armed by each message */
  const stallWatch = () => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const touch = () => {
      clearTimeout(timer)
      timer = setTimeout(() => kill(new WorkerFailure(`the simulation worker stopped responding (no progress for ${STALL_MS / 1000} s)`)), STALL_MS)
    }
    touch()
    return { touch, stop: () => clearTimeout(timer) }
  }

  return {
    get dead() { return dead },
    run(input, onProgress) {
      const watch = stallWatch()
      const touch = watch.touch
      return guard(() => api.run(input, Comlink.proxy((f: number) => { touch(); onProgress?.(f) })), watch)
    },
    runIndexed(input, onProgress, onPartial) {
      const watch = stallWatch()
      const touch = watch.touch
      const partial = onPartial ? Comlink.proxy((l: Landed) => { touch(); onPartial(l) }) : undefined
      return guard(() => api.runIndexed(input, Comlink.proxy((f: number) => { touch(); onProgress?.(f) }), partial), watch)
    },
    cancel() { if (!dead && !terminated) void api.cancel().catch(() => {}) },
    terminate() {
      if (terminated) return
      terminated = true
      worker.removeEventListener('error', onError)
      worker.removeEventListener('messageerror', onError)
      api[Comlink.releaseProxy]()
      worker.terminate()
      const f = new WorkerFailure('the simulation worker was stopped')
      for (const fn of onDeath) fn(f)
      onDeath.clear()
    },
  }
}
