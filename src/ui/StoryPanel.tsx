// The guided story (src/story/story.ts). Closed: one button. Open: every step's text is on the page
// (it reads as a static page); the current step is marked and has the controls. A step sets the
// scenario (the runner runs it), pinned A, the visible window, the selection and thread lanes; the
// timeline outlines the lanes to look at. Keys while the story has focus: → / n next, ← / p previous,
// Home / End first / last, Esc closes. Each step's heading links to `#story=N`.
import { useEffect, useRef } from 'react'
import { usePanelRuns } from '../state/panelFeed.ts'
import { usePlayground } from '../state/store.ts'
import { STORY, stepState } from '../story/story.ts'
import { isTyping } from '../state/urlSync.ts'

export function goToStep(i: number): void {
  const n = Math.max(0, Math.min(STORY.length - 1, i))
  usePlayground.getState().applyState(stepState(n))
}

function Delivered() {
  const { result, pinned, resultRev } = usePanelRuns()
  const status = usePlayground((s) => s.status)
  const current = usePlayground((s) => s.resultRev === resultRev)
  const kpps = (k: number) => `${Math.round(k).toLocaleString('en-US')} kpps`
  if (status !== 'done' || !current || !result) return <p className="hint" aria-live="polite">Running…</p>
  return (
    <p className="story-delivered" aria-live="polite">
      Delivered: {pinned ? <>A <b>{kpps(pinned.summary.deliveredKpps)}</b> · B <b>{kpps(result.summary.deliveredKpps)}</b></> : <b>{kpps(result.summary.deliveredKpps)}</b>}
      {' '}(offered {kpps(result.summary.offeredKpps)})
    </p>
  )
}

/** Opens the story; lives in the timeline toolbar so a closed story costs no row of the page. */
export function StoryStartButton() {
  const step = usePlayground((s) => s.story)
  if (step !== null) return null
  return (
    <button type="button" data-rove="" data-story-start="" title={`${STORY.length} steps, each sets up and runs its scenario`}
      onClick={() => { goToStep(0); requestAnimationFrame(() => document.querySelector<HTMLButtonElement>('.story-nav button[data-next]')?.focus()) }}>
      Story: why threaded IRQs won in 2016
    </button>
  )
}

export function StoryPanel() {
  const step = usePlayground((s) => s.story)
  const currentRef = useRef<HTMLLIElement>(null)
  const nextRef = useRef<HTMLButtonElement>(null)
  const wasOpen = useRef(false)
  useEffect(() => {
    if (step !== null) currentRef.current?.scrollIntoView?.({ block: 'nearest' })
    // closing returns focus to the button that opens the story
    if (step === null && wasOpen.current && document.activeElement === document.body) document.querySelector<HTMLButtonElement>('button[data-story-start]')?.focus()
    wasOpen.current = step !== null
  }, [step])

  // closed: the start button sits in the timeline's toolbar (StoryStartButton)
  if (step === null) return null
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return
    switch (e.key) {
      case 'ArrowRight': case 'n': case 'PageDown': goToStep(step + 1); break
      case 'ArrowLeft': case 'p': case 'PageUp': goToStep(step - 1); break
      case 'Home': goToStep(0); break
      case 'End': goToStep(STORY.length - 1); break
      case 'Escape': usePlayground.getState().setStory(null); requestAnimationFrame(() => document.querySelector<HTMLButtonElement>("button[data-story-start]")?.focus()); break
      default: return
    }
    e.preventDefault()
  }
  const cur = STORY[step]!
  return (
    <section className="panel story" aria-labelledby="story-h" onKeyDown={onKeyDown}>
      <h2 id="story-h">Story: why threaded IRQs won in 2016</h2>
      <div className="story-nav" role="group" aria-label="Story steps">
        <button type="button" onClick={() => goToStep(step - 1)} aria-disabled={step === 0} title="Previous step (←)">Previous</button>
        <span className="story-pos" aria-live="polite">Step {step + 1} of {STORY.length}: {cur.title}</span>
        <button type="button" ref={nextRef} data-next="" onClick={() => goToStep(step + 1)} aria-disabled={step === STORY.length - 1} title="Next step (→)">Next</button>
        <button type="button" className="link" onClick={() => usePlayground.getState().setStory(null)} title="Close the story (Esc)">Close</button>
      </div>
      <p className="hint">← / → step · Esc closes · each step sets the scenario, runs it, moves the timeline and outlines the lanes to look at.</p>
      <ol className="story-steps">
        {STORY.map((s, i) => (
          <li key={s.id} ref={i === step ? currentRef : undefined} className={i === step ? 'current' : undefined} aria-current={i === step ? 'step' : undefined} data-step={s.id}>
            <h3>
              <a href={`#story=${i + 1}`} onClick={(e) => { e.preventDefault(); goToStep(i) }} title="Show this step (a link to it)">{i + 1}. {s.title}</a>
            </h3>
            {s.text.map((t, k) => <p key={k}>{t}</p>)}
            <p className="story-look-h">Look at:</p>
            <ul className="story-look">{s.look.map((t, k) => <li key={k}>{t}</li>)}</ul>
            {i === step && <Delivered />}
          </li>
        ))}
      </ol>
    </section>
  )
}
