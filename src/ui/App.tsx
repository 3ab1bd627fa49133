import { useEffect } from 'react'
import { startRunner } from '../state/runner.ts'
import { usePlayground } from '../state/store.ts'
import { startUrlSync } from '../state/urlSync.ts'
import { Controls } from './Controls.tsx'
import { Header } from './Header.tsx'
import { Metrics } from './Metrics.tsx'
import { ProcIrq } from './ProcIrq.tsx'
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
      {view === 'experiment' ? <ExperimentHeader /> : <Header />}
      <ViewTabs />
      {view === 'experiment' ? <ExperimentView /> : (
        <>
          <Banner />
          <div className="body" {...viewPanelProps('playground')}>
            <aside className="side">
              <Controls />
              <ProcIrq />
            </aside>
            <main className="main">
              <TimelinePanel />
              <Metrics />
            </main>
          </div>
        </>
      )}
    </div>
  )
}
