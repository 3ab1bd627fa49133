// The tab bar that switches between the playground and the experiment (ARIA tabs pattern: arrow
// keys move between tabs). It also starts the experiment's URL sync, which reads the hash.
import { useEffect, useRef, type KeyboardEvent } from 'react'
import { startExperimentUrlSync } from '../../state/experimentUrl.ts'
import { useAppView, type AppView } from '../../state/experimentView.ts'
import './experiment.css'

const TABS: { view: AppView; label: string }[] = [
  { view: 'playground', label: 'Playground' },
  { view: 'experiment', label: 'Experiment' },
]

export { useAppView }

/** Props for the element that holds a view's content. */
export const viewPanelProps = (view: AppView) => ({ role: 'tabpanel', id: `panel-${view}`, 'aria-labelledby': `tab-${view}` }) as const

export function ViewTabs() {
  const view = useAppView((s) => s.view)
  const refs = useRef<(HTMLButtonElement | null)[]>([])
  useEffect(() => startExperimentUrlSync(), [])
  const onKey = (e: KeyboardEvent, i: number) => {
    const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0
    if (!d) return
    e.preventDefault()
    const j = (i + d + TABS.length) % TABS.length
    useAppView.getState().setView(TABS[j]!.view)
    refs.current[j]?.focus()
  }
  return (
    <div className="view-tabs" role="tablist" aria-label="View">
      {TABS.map((t, i) => (
        <button
          key={t.view}
          ref={(el) => { refs.current[i] = el }}
          type="button"
          role="tab"
          id={`tab-${t.view}`}
          aria-selected={view === t.view}
          aria-controls={`panel-${t.view}`}
          tabIndex={view === t.view ? 0 : -1}
          onClick={() => useAppView.getState().setView(t.view)}
          onKeyDown={(e) => onKey(e, i)}
        >
          {t.label}
        </button>
      ))}
    </div>
  )
}
