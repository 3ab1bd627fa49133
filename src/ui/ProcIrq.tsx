// The /proc/irq view: one group per rx IRQ, named by its path, with the `threaded` knob, the two
// IRQ-thread flags and the IRQ's CPU affinity. Each change shows the equivalent shell command.
import * as Switch from '@radix-ui/react-switch'
import { memo, useId, useRef, useState } from 'react'
import { irqSettings, type IrqSettings } from '../engine/scenario.ts'
import { usePanelRuns } from '../state/panelFeed.ts'
import { usePlayground } from '../state/store.ts'
import { sortedCopy } from '../timeline/format.ts'
import { editIrq, editScenario } from './actions.ts'
import { KnobWriteForm } from './KnobWrites.tsx'
import { useRoving } from './roving.ts'

function Toggle({ label, checked, disabled, onChange, title, row }: { label: string; checked: boolean; disabled?: boolean; onChange: (v: boolean) => void; title?: string; row: number }) {
  const id = useId()
  return (
    <span className="sw" title={title}>
      <Switch.Root id={id} className="sw-root" checked={checked} disabled={disabled} onCheckedChange={onChange} aria-labelledby={`${id}-l`} data-rove="" data-rove-row={row}>
        <Switch.Thumb className="sw-thumb" />
      </Switch.Root>
      <label id={`${id}-l`} htmlFor={id}>{label}</label>
    </span>
  )
}

const pgrep = (irq: IrqSettings) => `$(pgrep -f 'irq/${irq.irq}-${irq.action}')`

/** memo, by value: every scenario edit makes new IrqSettings objects (irqSettings), most of them unchanged */
const IrqEntry = memo(function IrqEntry({ irq, threadedMode, cpus, onCmd, count }: { irq: IrqSettings; threadedMode: boolean; cpus: number; onCmd: (c: string) => void; count: number | undefined }) {
  const id = useId()
  const path = `/proc/irq/${irq.irq}/${irq.action}`
  const [cpuDraft, setCpuDraft] = useState<string | null>(null)
  const [err, setErr] = useState<string | null>(null)
  const setCpu = () => {
    if (cpuDraft === null) return
    // Number('') is 0: an emptied field must not silently pin the IRQ to CPU 0
    const v = cpuDraft.trim() === '' ? NaN : Number(cpuDraft)
    if (!Number.isInteger(v) || v < 0 || v >= cpus) { setErr(`CPU must be 0..${cpus - 1} (kept ${irq.cpu})`); return }
    const e = editIrq(irq.queue, { cpu: v })
    setErr(e)
    if (!e) { setCpuDraft(null); onCmd(`echo ${v} > /proc/irq/${irq.irq}/smp_affinity_list`) }
  }
  return (
    <div role="group" aria-labelledby={`${id}-p`} className="irq">
      <div className="irq-head">
        <span id={`${id}-p`} className="irq-path mono">{path}</span>
        {/* interrupts raised in the last run: shows which queues the flows hash to */}
        <span className="irq-count" title="interrupts in the current run">{count === undefined ? '' : `${count.toLocaleString('en-US')} irqs`}</span>
      </div>
      <div className="irq-knobs">
        <Toggle
          label="threaded"
          checked={irq.threaded}
          disabled={!threadedMode}
          title={threadedMode ? `${path}/threaded` : 'Not with threaded NAPI (that is /sys/class/net/eth0/threaded)'}
          row={irq.queue}
          onChange={(v) => { editIrq(irq.queue, { threaded: v }); onCmd(`echo ${v ? 1 : 0} > ${path}/threaded`) }}
        />
        <Toggle
          label="SCHED_NORMAL"
          checked={irq.schedNormal}
          disabled={!threadedMode}
          title="IRQ thread policy: SCHED_NORMAL instead of SCHED_FIFO 50"
          row={irq.queue}
          onChange={(v) => { editIrq(irq.queue, { schedNormal: v }); onCmd(v ? `chrt --other -p 0 ${pgrep(irq)}` : `chrt --fifo -p 50 ${pgrep(irq)}`) }}
        />
        <Toggle
          label="no affinity"
          checked={irq.noAffinity}
          disabled={!threadedMode}
          title="IRQ thread may run on any CPU instead of following the IRQ's affinity"
          row={irq.queue}
          onChange={(v) => { editIrq(irq.queue, { noAffinity: v }); onCmd(v ? `taskset -p -a ${((1n << BigInt(cpus)) - 1n).toString(16)} ${pgrep(irq)}` : `taskset -p -c ${irq.cpu} ${pgrep(irq)}`) }}
        />
        <span className="irq-cpu">
          <label htmlFor={`${id}-c`}>CPU</label>
          <input
            id={`${id}-c`}
            data-rove=""
            data-rove-row={irq.queue}
            type="number"
            min={0}
            max={cpus - 1}
            value={cpuDraft ?? String(irq.cpu)}
            aria-invalid={err !== null}
            aria-describedby={err ? `${id}-e` : undefined}
            onChange={(e) => setCpuDraft(e.target.value)}
            onBlur={setCpu}
            onKeyDown={(e) => { if (e.key === 'Enter') setCpu() }}
          />
        </span>
      </div>
      {err && <div id={`${id}-e`} className="ctl-error" role="alert">{err}</div>}
    </div>
  )
}, (p, n) => p.threadedMode === n.threadedMode && p.cpus === n.cpus && p.onCmd === n.onCmd && p.count === n.count &&
  (Object.keys(n.irq) as (keyof IrqSettings)[]).every((k) => p.irq[k] === n.irq[k]))

function ScheduleForm({ onCmd }: { onCmd: (c: string) => void }) {
  const s = usePlayground((st) => st.scenario)
  const parked = usePlayground((st) => st.parked)
  const [at, setAt] = useState(String(Math.round(s.durationMs / 2)))
  const [queue, setQueue] = useState('-1')
  const [value, setValue] = useState('1')
  const [err, setErr] = useState<string | null>(null)
  const add = () => {
    // Number('') is 0: an emptied field must not schedule a write at t = 0
    const atMs = at.trim() === '' ? NaN : Number(at)
    if (!Number.isFinite(atMs) || atMs < 0 || atMs > s.durationMs) { setErr(`t must be between 0 and ${s.durationMs} ms`); return }
    const q = Number(queue)
    const e = editScenario((n) => { n.rx.switches = sortedCopy([...n.rx.switches, { atMs, queue: q, threaded: value === '1' }], (a, b) => a.atMs - b.atMs) })
    setErr(e)
    if (!e) {
      const target = q < 0 ? '/proc/irq/*/eth0-TxRx-*/threaded' : `/proc/irq/${s.nic.irqBase + q}/eth0-TxRx-${q}/threaded`
      onCmd(`sleep ${(atMs / 1000).toFixed(3)}; echo ${value} > ${target}`)
    }
  }
  return (
    <div className="sched">
      <div className="sched-row">
        <label htmlFor="sched-at">at t =</label>
        <input id="sched-at" type="number" min={0} max={s.durationMs} value={at} onChange={(e) => setAt(e.target.value)} />
        <span className="unit">ms</span>
        <label htmlFor="sched-v">write</label>
        <select id="sched-v" value={value} onChange={(e) => setValue(e.target.value)}>
          <option value="1">1 (threaded)</option>
          <option value="0">0 (softirq)</option>
        </select>
      </div>
      <div className="sched-row">
        <label htmlFor="sched-q">to</label>
        <select id="sched-q" value={queue} onChange={(e) => setQueue(e.target.value)}>
          <option value="-1">every rx IRQ</option>
          {Array.from({ length: s.nic.queues }, (_, q) => <option key={q} value={q}>IRQ {s.nic.irqBase + q} (eth0-TxRx-{q})</option>)}
        </select>
        <button type="button" onClick={add}>Schedule write</button>
      </div>
      {err && <div className="ctl-error" role="alert">{err}</div>}
      {(s.rx.switches.length > 0 || parked.length > 0) && (
        <ul className="sched-list" aria-label="Scheduled writes">
          {s.rx.switches.map((w, i) => (
            <li key={`${w.atMs}-${w.queue}-${i}`}>
              <span className="mono">t = {w.atMs} ms: {w.threaded ? 1 : 0} → {w.queue < 0 ? 'all' : `IRQ ${s.nic.irqBase + w.queue}`}</span>
              <button type="button" aria-label={`Remove write at ${w.atMs} ms`} onClick={() => editScenario((n) => { n.rx.switches = n.rx.switches.filter((_, j) => j !== i) })}>×</button>
            </li>
          ))}
          {parked.map((w, i) => (
            <li key={`p-${w.atMs}-${w.queue}-${i}`} className="parked" data-testid="parked-write">
              <span className="mono">t = {w.atMs} ms: {w.threaded ? 1 : 0} → {w.queue < 0 ? 'all' : `IRQ ${s.nic.irqBase + w.queue}`}</span>
              <span className="warn-tag" title="Kept with the scenario; it applies again when the run is long enough (or the queue exists)">
                {w.atMs > s.durationMs ? `after the end (${s.durationMs} ms): not applied` : 'no such queue: not applied'}
              </span>
              <button type="button" aria-label={`Remove parked write at ${w.atMs} ms`} onClick={() => usePlayground.getState().removeParked(i)}>×</button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

export function ProcIrq() {
  const scenario = usePlayground((s) => s.scenario)
  // the interrupt counts of the run the panels show (they follow a landing after the timeline is drawn)
  const perQueue = usePanelRuns().result?.summary.irqsPerQueue
  const [cmd, setCmd] = useState<string | null>(null)
  const parkedCount = usePlayground((s) => s.parked.length + s.parkedWrites.length)
  const scheduled = scenario.rx.switches.length + scenario.writes.length + parkedCount
  const treeRef = useRef<HTMLDivElement>(null)
  const roving = useRoving(treeRef, true)
  const irqs = irqSettings(scenario)
  // softirq and threaded-IRQ modes are the same kernel (the 2016 series applied): the mode only
  // sets every IRQ's threaded file at t=0, and each file can be flipped on its own. Threaded NAPI
  // is the upstream mechanism, without these files.
  const threadedMode = scenario.rx.mode !== 'threaded-napi'
  const setAll = (threaded: boolean) => {
    editScenario((n) => {
      const byDefault = n.rx.mode === 'threaded-irq'
      const others = n.rx.irqs.map((o) => { const c = { ...o }; delete c.threaded; return c })
      n.rx.irqs = Array.from({ length: n.nic.queues }, (_, q) => {
        const o = others.find((x) => x.queue === q) ?? { queue: q }
        return threaded === byDefault ? o : { ...o, threaded }
      }).filter((o) => Object.keys(o).length > 1)
    })
    setCmd(`for f in /proc/irq/*/eth0-TxRx-*/threaded; do echo ${threaded ? 1 : 0} > $f; done`)
  }
  return (
    <section aria-labelledby="procirq-h" className="panel">
      <h2 id="procirq-h">/proc/irq</h2>
      <p className="hint">
        {threadedMode
          ? `Each rx IRQ has a threaded file: 1 = handler and NAPI poll run in the irq/<nr>-<action> thread, 0 = classic softirq. The mode buttons set every file at t = 0 (now: ${scenario.rx.mode === 'softirq' ? '0' : '1'}); flip one to mix modes.`
          : 'With threaded NAPI the threaded files do not apply (every rx queue is polled by its napi/eth0-<id> kthread); switch to softirq or threaded IRQ to use them. CPU affinity applies in every mode.'}
      </p>
      {/* one Tab stop for every knob: arrow keys move (Up/Down between IRQs, Left/Right between knobs) */}
      <div ref={treeRef} role="group" aria-label="IRQ settings (arrow keys move between knobs)" onKeyDown={roving.onKeyDown} onFocus={roving.onFocus}>
        <div className="irq-all">
          <button type="button" data-rove="" data-rove-row="all" disabled={!threadedMode} onClick={() => setAll(true)}>All threaded</button>
          <button type="button" data-rove="" data-rove-row="all" disabled={!threadedMode} onClick={() => setAll(false)}>None threaded</button>
        </div>
        {/* not a Tab stop of its own (Chromium makes scrollers focusable): the knobs inside are */}
        <div className="irq-tree" tabIndex={-1}>
          {irqs.map((irq) => <IrqEntry key={irq.queue} irq={irq} threadedMode={threadedMode} cpus={scenario.host.cpus} onCmd={setCmd} count={perQueue?.[irq.queue]} />)}
        </div>
      </div>
      {/* collapsed while nothing is scheduled: four fewer Tab stops before the timeline */}
      <details className="sched-box" open={scheduled > 0 || undefined}>
        <summary><h3>Mid-run write{scheduled > 0 ? ` (${scheduled} scheduled)` : ''}</h3></summary>
        <ScheduleForm onCmd={setCmd} />
        <KnobWriteForm onCmd={setCmd} />
      </details>
      <div className="cmd" aria-live="polite">
        <span className="cmd-l">Equivalent shell command</span>
        <code className="mono" data-testid="shell-command">{cmd ?? '(change a knob)'}</code>
      </div>
    </section>
  )
}
