// Mid-run writes to today's knobs (scenario.writes): a sysfs file of eth0, a NAPI's netlink
// attribute, a net.core sysctl or the application's epoll parameters, at a chosen moment. Beside the
// /proc/irq threaded writes in the "Mid-run write" box. The engine's message is shown when it
// refuses a write; writes an edit made inapplicable are kept, flagged, and come back when they fit.
import { useId, useState } from 'react'
import { KNOB_INFO, KNOBS, type KnobName, type KnobWrite } from '../engine/scenario.ts'
import { knobWriteProblem } from '../state/scenarioEdit.ts'
import { usePlayground } from '../state/store.ts'
import { sortedCopy } from '../timeline/format.ts'
import { editScenario } from './actions.ts'
import { knobLacks, KNOB_LINUX } from './modernKnobs.ts'
import { knobWriteCommand, knobWriteLabel, napiId } from './sysnetCommands.ts'

const SCOPE_TARGET = { napi: 'NAPI', app: 'application thread', kernel: '' } as const

/** A write's key: the list can hold equal writes, so the position breaks ties. */
const keyOf = (w: KnobWrite, i: number) => `${w.atMs}-${w.knob}-${w.index}-${w.value}-${i}`

export function KnobWriteForm({ onCmd }: { onCmd: (c: string) => void }) {
  const s = usePlayground((st) => st.scenario)
  const parked = usePlayground((st) => st.parkedWrites)
  const id = useId()
  const [knob, setKnob] = useState<KnobName>('napi_defer_hard_irqs')
  const [at, setAt] = useState(String(Math.round(s.durationMs / 2)))
  const [index, setIndex] = useState('-1')
  const [value, setValue] = useState('')
  const [err, setErr] = useState<string | null>(null)
  const info = KNOB_INFO[knob]
  const applied = usePlayground((st) => st.result?.trace.events.knobWrites)
  const pickKnob = (k: KnobName) => {
    setKnob(k)
    setIndex('-1')
    setValue('')
    setErr(null)
  }
  const add = () => {
    const atMs = at.trim() === '' ? NaN : Number(at)
    if (!Number.isFinite(atMs) || atMs < 0 || atMs > s.durationMs) { setErr(`t must be between 0 and ${s.durationMs} ms`); return }
    const v = value.trim() === '' ? NaN : Number(value)
    if (!Number.isFinite(v) || v < info.min || v > info.max) { setErr(`${knob}: a value ${info.min}..${info.max} (${info.unit})`); return }
    const w: KnobWrite = { atMs, knob, index: info.scope === 'kernel' ? -1 : Number(index), value: v }
    // the engine's own checks (era, queue, thread, consumer, ranges) through parseScenario
    const e = editScenario((n) => { n.writes = sortedCopy([...n.writes, w], (a, b) => a.atMs - b.atMs) })
    setErr(e)
    if (!e) onCmd(knobWriteCommand(w, s))
  }
  const targets = info.scope === 'napi'
    ? [['-1', knob === 'irq_suspend_timeout' ? 'every NAPI (netlink, one by one)' : 'every NAPI (the eth0 file)'], ...Array.from({ length: s.nic.queues }, (_, q) => [String(q), `NAPI ${napiId(q)} (queue ${q})`])]
    : info.scope === 'app'
      ? [['-1', 'every thread'], ...Array.from({ length: s.consumer.threads }, (_, t) => [String(t), `thread ${t}`])]
      : []
  const appliedCount = (w: KnobWrite) => applied?.filter((a) => a.knob === w.knob && a.index === w.index && a.value === w.value && Math.abs(a.tNs - w.atMs * 1e6) < 1).length ?? 0
  return (
    <div className="sched knobw">
      <h4 className="knobw-h">Knob writes: sysfs, netlink, sysctl, epoll</h4>
      <div className="sched-row">
        <label htmlFor={`${id}-k`}>knob</label>
        <select id={`${id}-k`} value={knob} onChange={(e) => pickKnob(e.target.value as KnobName)} aria-describedby={`${id}-w`}>
          {KNOBS.map((k) => {
            const lacks = knobLacks(s.kernel.era, k)
            const notLocal = KNOB_INFO[k].scope === 'app' && s.consumer.kind !== 'local'
            return <option key={k} value={k} title={lacks ?? KNOB_INFO[k].where}>{k}{lacks ? ` (Linux ${KNOB_LINUX[k]}+)` : notLocal ? ' (local application)' : ''}</option>
          })}
        </select>
      </div>
      <div id={`${id}-w`} className="hint mono knobw-where">{info.where}</div>
      <div className="sched-row">
        <label id={`${id}-tl`} htmlFor={`${id}-t`}>at</label>
        <input id={`${id}-t`} type="number" min={0} max={s.durationMs} value={at} onChange={(e) => setAt(e.target.value)} aria-labelledby={`${id}-tl ${id}-tu`} />
        <span id={`${id}-tu`} className="unit">ms</span>
        <label id={`${id}-vl`} htmlFor={`${id}-v`}>value</label>
        <input id={`${id}-v`} type="number" min={info.min} max={info.max} step="any" value={value} placeholder={`${info.min}..${info.max}`}
          onChange={(e) => setValue(e.target.value)} onKeyDown={(e) => { if (e.key === 'Enter') add() }} aria-labelledby={`${id}-vl ${id}-vu`} />
        <span id={`${id}-vu`} className="unit">{info.unit}</span>
      </div>
      <div className="sched-row">
        {targets.length > 0 && (
          <>
            <label htmlFor={`${id}-i`}>on</label>
            <select id={`${id}-i`} value={index} onChange={(e) => setIndex(e.target.value)} title={`which ${SCOPE_TARGET[info.scope]}`}>
              {targets.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
            </select>
          </>
        )}
        <button type="button" onClick={add}>Schedule knob write</button>
      </div>
      {err && <div className="ctl-error" role="alert">{err}</div>}
      {(s.writes.length > 0 || parked.length > 0) && (
        <ul className="sched-list" aria-label="Scheduled knob writes">
          {s.writes.map((w, i) => {
            const n = appliedCount(w)
            return (
              <li key={keyOf(w, i)} data-testid="knob-write" data-applied={n > 0}>
                <span className="mono" title={knobWriteCommand(w, s)}>{knobWriteLabel(w)}</span>
                {applied && <span className="hint">{n > 0 ? 'applied' : ''}</span>}
                <button type="button" aria-label={`Remove knob write ${w.knob} at ${w.atMs} ms`} onClick={() => editScenario((x) => { x.writes = x.writes.filter((_, j) => j !== i) })}>×</button>
              </li>
            )
          })}
          {parked.map((w, i) => (
            <li key={`p-${keyOf(w, i)}`} className="parked" data-testid="parked-knob-write">
              <span className="mono">{knobWriteLabel(w)}</span>
              <span className="warn-tag" title="Kept with the scenario; it applies again when the scenario fits it">{knobWriteProblem(w, s) ?? 'over the limit of 64'}: not applied</span>
              <button type="button" aria-label={`Remove parked knob write ${w.knob} at ${w.atMs} ms`} onClick={() => usePlayground.getState().removeParkedWrite(i)}>×</button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
