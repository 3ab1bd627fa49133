// Web Worker: parses a dropped or picked trace file off the main thread, reading it as a stream
// (a 200 MB ftrace text never becomes one string), and reports progress by bytes read. The
// result's typed arrays are transferred, not copied.
import * as Comlink from 'comlink'
import { buildIndex, type TraceIndex } from '../timeline/model.ts'
import { transferablesOf } from '../worker/transfer.ts'
import type { ImportedRun } from './builder.ts'
import { importText, TextImporter } from './importText.ts'

const api = {
  /** The runs and, built here too, their timeline indexes (O(slices): kept off the main thread). */
  async importFile(file: Blob, name: string, onProgress?: (fraction: number) => void): Promise<{ runs: ImportedRun[]; indexes: TraceIndex[] }> {
    const size = Math.max(file.size, 1)
    const head = await file.slice(0, 256).text()
    let runs: ImportedRun[]
    if (/^\s*[[{]/.test(head)) {
      if (onProgress) void onProgress(0.5)
      runs = importText(await file.text(), name)
    } else {
      const imp = new TextImporter(name)
      const reader = file.stream().pipeThrough(new TextDecoderStream()).getReader()
      let read = 0
      let lastReport = 0
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        imp.push(value)
        read += value.length
        if (onProgress && read - lastReport > size / 100) { lastReport = read; void onProgress(Math.min(0.99, read / size)) }
      }
      runs = [imp.finish()]
    }
    const indexes = runs.map((r) => buildIndex(r.trace))
    const lanes = indexes.flatMap((ix) => [...ix.cpuLanes, ...ix.actorLanes])
    const buffers = [...runs.flatMap(transferablesOf), ...lanes.flatMap((l) => [l.idx.buffer, l.maxEnd.buffer]), ...indexes.flatMap((ix) => [ix.wakeupOrder.buffer, ix.migrationOrder.buffer])]
    return Comlink.transfer({ runs, indexes }, [...new Set(buffers as ArrayBuffer[])])
  },
}

export type ImportWorkerApi = typeof api
Comlink.expose(api)
