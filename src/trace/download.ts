// Export menu action: the runs on screen (A and B) as Trace Event JSON for Perfetto. The generator
// is pulled in time slices (≤ ~30 ms each) so a 1M-slice export does not freeze the page; the
// chunks become the parts of one Blob (the file itself, no second copy of the trace).
import { usePlayground } from '../state/store.ts'
import { isImported } from './builder.ts'
import { traceEventChunks, type ExportRun } from './traceEventExport.ts'

export function runsOnScreen(): ExportRun[] {
  const st = usePlayground.getState()
  const out: ExportRun[] = []
  const title = (r: NonNullable<typeof st.result>) => (isImported(r) ? `real: ${r.source.name}` : `simulated: ${r.scenario.rx.mode}, ${r.scenario.traffic.flows} flow(s)`)
  if (st.pinned) out.push({ label: 'A', r: st.pinned, title: title(st.pinned) })
  if (st.result) out.push({ label: st.pinned ? 'B' : 'run', r: st.result, title: title(st.result) })
  return out
}

export async function exportPerfetto(): Promise<void> {
  const runs = runsOnScreen()
  if (!runs.length) return
  const parts: string[] = []
  const gen = traceEventChunks(runs, { threads: true })
  for (;;) {
    const t0 = performance.now()
    let done = false
    while (performance.now() - t0 < 30) {
      const n = gen.next()
      if (n.done) { done = true; break }
      parts.push(n.value)
    }
    if (done) break
    await new Promise((r) => setTimeout(r, 0))
  }
  const url = URL.createObjectURL(new Blob(parts, { type: 'application/json' }))
  const a = document.createElement('a')
  a.href = url
  a.download = 'irqlab-trace.json'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
