import { useEffect, useState } from 'react'
import { startRunner } from '../state/runner.ts'
import { usePlayground } from '../state/store.ts'
import { startUrlSync } from '../state/urlSync.ts'
import { Controls } from './Controls.tsx'
import { Header, RunFailure } from './Header.tsx'
import { Metrics } from './Metrics.tsx'
import { PacketPathPanel } from './PacketPathPanel.tsx'
import { ProcIrq } from './ProcIrq.tsx'
import { SysClassNet } from './SysClassNet.tsx'
import { StoryPanel } from './StoryPanel.tsx'
import { TimelinePanel } from './TimelinePanel.tsx'
import { ExperimentHeader, ExperimentView } from './experiment/ExperimentView.tsx'
import { useAppView, viewPanelProps, ViewTabs } from './experiment/ViewTabs.tsx'

function Banner() {
  const banner = usePlayground((s) => s.banner)
  if (!banner) return null
  return (
    <div className={`banner banner-${banner.kind}`} role="alert">
      <span>{banner.text}</span>
      <button type="button" onClick={() => usePlayground.getState().setBanner(null)}>Dismiss</button>
    </div>
  )
}

/**
 * Keyboard users otherwise Tab through every control and every /proc/irq knob (60+ stops with 16
 * queues) before reaching the timeline. A button, not an #anchor: the hash holds the scenario.
 */
const focusTimeline = () => document.querySelector<HTMLElement>('.tl-canvas')?.focus()
function SkipToTimeline() {
  return <button type="button" className="skip" onClick={focusTimeline}>Skip to timeline</button>
}

const INTRO_KEY = 'irqlab-intro-dismissed'

/** A first-visit hint on how to read the page and where to start; dismissed once, remembered. */
function Intro() {
  const [open, setOpen] = useState(() => { try { return localStorage.getItem(INTRO_KEY) !== '1' } catch { return true } })
  if (!open) return null
  return (
    <div className="intro" role="note" aria-label="How to start">
      <span>
        Each lane is a host CPU; colours show what runs there (hover or Tab to a slice for details). Start from <b>Presets</b>:
        the <b>2016 experiment</b> in softirq and in threaded-IRQ mode (many flows: threaded wins), the <b>one-flow
        256 B case</b> (where the seed saw threaded lose at the guest socket), the same-CPU and other-CPU local
        receivers. <b>Pin as A</b>, change one thing, and compare.
      </span>
      <button type="button" onClick={() => { setOpen(false); try { localStorage.setItem(INTRO_KEY, '1') } catch { /* private mode */ } }}>Got it</button>
    </div>
  )
}

/** `live` = false for the synthetic-trace bench page: no worker, no URL sync. */
export function App({ live = true }: { live?: boolean }) {
  useEffect(() => {
    if (!live) return
    // URL first, so the first run already uses the scenario from the link.
    const stopUrl = startUrlSync()
    const stopRunner = startRunner()
    return () => { stopRunner(); stopUrl() }
  }, [live])
  const view = useAppView((s) => s.view)
  return (
    <div className="app">
      {view === 'playground' && <SkipToTimeline />}
      {view === 'experiment' ? <ExperimentHeader /> : <Header />}
      <ViewTabs />
      {view === 'experiment' ? <ExperimentView /> : (
        <>
          <Banner />
          <RunFailure />
          <Intro />
          <StoryPanel />
          <div className="body" {...viewPanelProps('playground')}>
            <aside className="side">
              <Controls />
              <ProcIrq />
            </aside>
            <main className="main">
              <TimelinePanel />
              <Metrics />
              <PacketPathPanel />
              {/* after the timeline in the Tab order: today's knobs, collapsed */}
              <SysClassNet />
            </main>
          </div>
        </>
      )}
    </div>
  )
}
