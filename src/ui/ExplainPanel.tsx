// "Why, in words": generated sentences for the run (and for A → B when a run is pinned); each
// sentence is a button that moves the timeline to the moment that shows it.
import { memo, useMemo } from 'react'
import type { SimResult } from '../engine/types.ts'
import { explainPair, explainRun, type Sentence } from '../explain/explain.ts'
import { usePlayground } from '../state/store.ts'
import { fmtTime } from '../timeline/format.ts'

function Sentences({ items, label }: { items: Sentence[]; label: string }) {
  return (
    <ul aria-label={label}>
      {items.map((s, k) => (
        <li key={k} data-topic={s.topic}>
          {s.at
            ? <button type="button" className="link" title={`Show ${fmtTime(s.at.t0)} – ${fmtTime(s.at.t1)} on the timeline`} onClick={() => usePlayground.getState().setView({ startNs: s.at!.t0, endNs: s.at!.t1 })}>{s.text}</button>
            : s.text}
        </li>
      ))}
    </ul>
  )
}

// memo: the timeline panel re-renders on every pan and zoom; the sentences change only with the runs
export const ExplainPanel = memo(function ExplainPanel({ result, pinned }: { result: SimResult | null; pinned: SimResult | null }) {
  const pair = useMemo(() => (pinned && result ? explainPair(pinned, result) : null), [pinned, result])
  const runB = useMemo(() => (result ? explainRun(result) : null), [result])
  const runA = useMemo(() => (pinned ? explainRun(pinned) : null), [pinned])
  if (!result && !pinned) return null
  return (
    <section className="panel explain" aria-labelledby="explain-h">
      <h2 id="explain-h">Why, in words</h2>
      {pair && <><h3>A → B</h3><Sentences items={pair} label="Why A → B" /></>}
      {runA && <><h3>A</h3><Sentences items={runA} label="Why A" /></>}
      {runB && <>{pinned && <h3>B</h3>}<Sentences items={runB} label={pinned ? 'Why B' : 'Why this run'} /></>}
      <p className="hint">Generated from the run's summary, counters and trace; a sentence with a link moves the timeline to the moment that shows it.</p>
    </section>
  )
})
