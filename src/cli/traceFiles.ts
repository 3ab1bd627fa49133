// Node-side helpers for the CLI and the bench: stream a Trace Event export to a file, import a
// trace file (ftrace / trace-cmd / perf script text, or Trace Event JSON) from disk or stdin.
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs'
import type { SimResult } from '../engine/types.ts'
import type { ImportedRun } from '../trace/builder.ts'
import { importText, TextImporter } from '../trace/importText.ts'
import { traceEventChunks, type ExportOptions } from '../trace/traceEventExport.ts'

/** Write the export chunk by chunk (no full copy in memory); returns bytes written. */
export function writeTraceEventFile(path: string, runs: { label: string; r: SimResult; title?: string }[], opts?: ExportOptions): number {
  const fd = openSync(path, 'w')
  let bytes = 0
  try {
    for (const chunk of traceEventChunks(runs, opts)) bytes += writeSync(fd, chunk)
  } finally {
    closeSync(fd)
  }
  return bytes
}

/** Read a trace file as a stream of text chunks into the importer (files of 100s of MB never sit in one string). */
export async function importFile(path: string, displayName = path): Promise<ImportedRun[]> {
  const stream = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 1 << 20 })
  stream.setEncoding('utf8')
  let head = ''
  let imp: TextImporter | null = null
  let jsonParts: string[] | null = null
  for await (const chunk of stream as AsyncIterable<string>) {
    if (imp === null && jsonParts === null) {
      head += chunk
      if (head.trimStart().length === 0) continue
      if (/^\s*[[{]/.test(head)) jsonParts = [head]
      else { imp = new TextImporter(displayName); imp.push(head) }
      continue
    }
    if (jsonParts) jsonParts.push(chunk)
    else imp!.push(chunk)
  }
  if (jsonParts) return importText(jsonParts.join(''), displayName)
  if (!imp) return importText(head, displayName)
  return [imp.finish()]
}
