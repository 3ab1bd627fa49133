// The runs as the panels beside the timeline show them (metrics, latency chart, explanation, packet paths,
// /proc/irq counts, selection statistics, the story's figures, the run status). A result lands in stages:
// the store's `result` first, which only the timeline (and its overview) draws; the panels follow once that
// frame is out — a rAF, then a task of its own — as a React transition, so React renders them in ≤ 5 ms
// slices and commits them in a later task. A landing is then several short main-thread tasks instead of
// one long one, and the canvas is not held up by the tables' render, layout and paint.
//
// The store stays the one truth; this only lags it. `pinned` and `result` travel together so a compare
// view never mixes A of one moment with B of another. Components read it with `usePanelRuns()`.
import { startTransition, useEffect, useState } from 'react'
import type { SimResult } from '../engine/types.ts'
import { usePlayground, type PlaygroundState } from './store.ts'

export interface PanelRuns {
  /** the live run (B), as the panels show it */
  result: SimResult | null
  /** the pinned run (A) */
  pinned: SimResult | null
  /** `resultRev` of that result: the run status says "done" once the panels show the current scenario's result */
  resultRev: number
}

const pick = (s: Pick<PlaygroundState, 'result' | 'pinned' | 'resultRev'>): PanelRuns => ({ result: s.result, pinned: s.pinned, resultRev: s.resultRev })

let shown: PanelRuns = pick(usePlayground.getState())
const listeners = new Set<(r: PanelRuns) => void>()
let scheduled = false

/** What the panels show now. */
export function panelRuns(): PanelRuns {
  return shown
}

function publish(): void {
  scheduled = false
  const next = pick(usePlayground.getState())
  if (next.result === shown.result && next.pinned === shown.pinned && next.resultRev === shown.resultRev) return
  shown = next
  // one transition for every panel: rendered together (interruptible, in slices), committed together
  startTransition(() => { for (const l of listeners) l(next) })
}

// A task after the frame that draws the timeline. A MessageChannel, not setTimeout (no 4 ms clamp).
let port: MessagePort | null = null
function afterFrame(): void {
  if (scheduled) return
  scheduled = true
  if (typeof document === 'undefined' || document.visibilityState !== 'visible' || typeof requestAnimationFrame !== 'function') {
    // no frames while hidden: the panels follow at once (the page draws nothing meanwhile anyway)
    queueMicrotask(publish)
    return
  }
  if (!port) {
    const ch = new MessageChannel()
    ch.port1.onmessage = publish
    port = ch.port2
  }
  requestAnimationFrame(() => port!.postMessage(0))
}

usePlayground.subscribe((s, prev) => {
  if (s.result !== prev.result || s.pinned !== prev.pinned || s.resultRev !== prev.resultRev) afterFrame()
})

/** The runs as the panels show them (one frame behind the timeline when a result lands). */
export function usePanelRuns(): PanelRuns {
  const [runs, setRuns] = useState(shown)
  useEffect(() => {
    listeners.add(setRuns)
    // published between this component's first render and this effect (the same object: no re-render)
    setRuns(shown)
    return () => { listeners.delete(setRuns) }
  }, [])
  return runs
}
