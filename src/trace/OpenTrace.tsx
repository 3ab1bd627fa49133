// "Open trace" menu (file picker: beside the simulation as A, or alone), drag-and-drop anywhere on
// the page, parsing progress and the import's message. Parsing happens in a worker.
import { useEffect, useRef, useState } from 'react'
import { importTraceFile, useImport, type Placement } from './importClient.ts'
import './trace.css'

export function OpenTrace() {
  const input = useRef<HTMLInputElement>(null)
  const where = useRef<Placement>('beside')
  const busy = useImport((s) => s.busy)
  const pick = (p: Placement) => (e: React.MouseEvent<HTMLElement>) => {
    where.current = p
    const d = e.currentTarget.closest('details')
    if (d) d.open = false
    input.current?.click()
  }
  return (
    <>
      <details className="menu">
        <summary>Open trace</summary>
        <ul className="menu-list" aria-label="Open trace">
          <li><button type="button" onClick={pick('beside')}><b>Beside the simulation (as A)…</b><span>ftrace, trace-cmd report or perf script text, or a Trace Event JSON; or drop a file on the page</span></button></li>
          <li><button type="button" onClick={pick('alone')}><b>Alone…</b><span>as the current run, until the next simulation</span></button></li>
        </ul>
      </details>
      <input
        ref={input}
        type="file"
        hidden
        data-testid="trace-file"
        aria-label="Trace file"
        accept=".txt,.dat.txt,.trace,.json,.log,text/plain,application/json"
        onChange={(e) => {
          const f = e.target.files?.[0]
          if (f) void importTraceFile(f, where.current)
          e.target.value = ''
        }}
      />
      {busy && (
        <span className="run" role="status" data-testid="import-status">
          parsing {busy.name}… <progress aria-label="Trace parsing progress" max={1} value={busy.progress} />
        </span>
      )}
      <DropZone />
      <ImportMessage />
    </>
  )
}

/** Drag a file anywhere over the page: an overlay says what dropping does. */
function DropZone() {
  const [over, setOver] = useState(false)
  useEffect(() => {
    let depth = 0
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false
    const enter = (e: DragEvent) => { if (hasFiles(e)) { depth++; setOver(true) } }
    const leave = (e: DragEvent) => { if (hasFiles(e) && --depth <= 0) { depth = 0; setOver(false) } }
    const dragover = (e: DragEvent) => { if (hasFiles(e)) e.preventDefault() }
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return
      e.preventDefault()
      depth = 0
      setOver(false)
      const f = e.dataTransfer?.files[0]
      if (f) void importTraceFile(f, 'beside')
    }
    window.addEventListener('dragenter', enter)
    window.addEventListener('dragleave', leave)
    window.addEventListener('dragover', dragover)
    window.addEventListener('drop', drop)
    return () => {
      window.removeEventListener('dragenter', enter)
      window.removeEventListener('dragleave', leave)
      window.removeEventListener('dragover', dragover)
      window.removeEventListener('drop', drop)
    }
  }, [])
  return over ? <div className="dropzone" aria-hidden="true">Drop a trace (ftrace / trace-cmd / perf script text, Trace Event JSON) to open it beside the simulation</div> : null
}

/** The import's outcome (what was understood, the first line that was not), dismissible. */
export function ImportMessage() {
  const msg = useImport((s) => s.message)
  if (!msg) return null
  return (
    <div className={`banner banner-${msg.kind} import-toast`} role={msg.kind === 'error' ? 'alert' : 'status'} data-testid="import-message">
      <span>{msg.text}</span>
      <button type="button" onClick={() => useImport.setState({ message: null })}>Dismiss</button>
    </div>
  )
}
