// Scenario controls: a Radix slider + numeric input + unit per numeric field, the rx mode as a
// radio group, and selects. Accessible names are the visible labels (aria-labelledby).
import * as Slider from '@radix-ui/react-slider'
import { useId, useRef, useState, type KeyboardEvent } from 'react'
import { CONSUMERS, KERNEL_ERAS, NUMERIC_FIELDS, RX_MODES, type FieldMeta, type RxMode, type Scenario } from '../engine/scenario.ts'
import { effectiveRates } from '../engine/costs.ts'
import { lineRatePps } from '../engine/constants.ts'
import { hardwareProfile } from '../engine/hardware.ts'
import { getPath } from '../state/scenarioEdit.ts'
import { usePlayground } from '../state/store.ts'
import { flushRun } from '../state/runner.ts'
import { editField } from './actions.ts'
import { SelectField } from './FormFields.tsx'
import { ApplicationFields, MachineAndWorkload } from './ModernControls.tsx'
import { ERA_LABELS } from './modernKnobs.ts'

const POS_MAX = 1000
const isLog = (m: FieldMeta) => m.min > 0 && m.max / m.min >= 50

/** Slider position <-> value: log scale for wide ranges (1..1024 flows), so small values stay reachable. */
function toPos(m: FieldMeta, v: number): number {
  if (!isLog(m)) return v
  return Math.round((Math.log(v / m.min) / Math.log(m.max / m.min)) * POS_MAX)
}
function fromPos(m: FieldMeta, p: number): number {
  if (!isLog(m)) return p
  const raw = m.min * Math.pow(m.max / m.min, p / POS_MAX)
  const stepped = Math.round(raw / m.step) * m.step
  return Math.min(m.max, Math.max(m.min, stepped))
}

/** The value a derived (unset) field amounts to: the netperf senders' rates. */
function derivedValue(s: Scenario, meta: FieldMeta): number {
  const r = effectiveRates(s, lineRatePps(s.traffic.payloadBytes, hardwareProfile(s.hardware).lineRateBps))
  const v = meta.path === 'traffic.perFlowKpps' ? r.perFlowKpps : r.offeredKpps
  return Math.max(meta.min, Math.min(meta.max, Math.round(v / meta.step) * meta.step))
}

/** What an unset optional field means: the netperf senders' rate, or (request/response) the closed loop. */
const AUTO_HELP = {
  senders: { tag: 'auto', title: 'unset: netperf senders, each as fast as one core calls sendto', back: 'back to auto (netperf senders)' },
  closed: { tag: 'closed', title: 'unset: closed loop — each flow sends its next request when a response comes back', back: 'back to the closed loop' },
  uncapped: { tag: 'auto', title: 'unset: no cap (flows × per-flow rate)', back: 'back to auto (no cap)' },
}

export function NumericControl({ meta }: { meta: FieldMeta }) {
  const raw = usePlayground((s) => getPath(s.scenario, meta.path)) as number | undefined
  // request/response: an unset per-flow rate is the closed loop, an unset offered rate no cap
  const autoHelp = usePlayground((s) => (s.scenario.traffic.pattern !== 'rr' ? AUTO_HELP.senders : meta.path === 'traffic.perFlowKpps' ? AUTO_HELP.closed : AUTO_HELP.uncapped))
  const derived = usePlayground((s) => (meta.optional ? derivedValue(s.scenario, meta) : 0))
  // an unset optional field shows what it amounts to, marked "auto"
  const auto = raw === undefined
  const value = raw ?? derived
  // request/response with no per-flow rate: a closed loop, whose rate only the run tells
  const closedLoop = usePlayground((s) => auto && meta.path === 'traffic.perFlowKpps' && s.scenario.traffic.pattern === 'rr')
  const id = useId()
  const [draft, setDraft] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const log = isLog(meta)
  const apply = (v: number, immediate = true) => {
    const err = editField(meta.path, v, immediate)
    setError(err)
    return err === null
  }
  const commitDraft = () => {
    if (draft === null) return
    const v = Number(draft)
    if (draft.trim() === '' && meta.optional) {
      // emptied: back to the derived value
      setDraft(null)
      setError(null)
      editField(meta.path, undefined)
      return
    }
    if (draft.trim() === '' || !Number.isFinite(v)) {
      setError(`${meta.label}: "${draft}" is not a number`)
      return
    }
    if (v < meta.min || v > meta.max) {
      setError(`${meta.label}: must be between ${meta.min} and ${meta.max} ${meta.unit}`)
      return
    }
    if (meta.step >= 1 && !Number.isInteger(v)) {
      setError(`${meta.label}: must be a whole number`)
      return
    }
    if (apply(v)) setDraft(null)
  }
  return (
    <div className="ctl">
      <div className="ctl-head">
        <label id={`${id}-l`} htmlFor={`${id}-i`}>{meta.label}</label>
        <span className="ctl-num">
          <input
            id={`${id}-i`}
            type="number"
            inputMode="decimal"
            min={meta.min}
            max={meta.max}
            step={meta.step}
            value={draft ?? (auto ? '' : String(value))}
            placeholder={auto ? (closedLoop ? '–' : String(value)) : undefined}
            aria-invalid={error !== null}
            aria-describedby={error ? `${id}-e` : undefined}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={commitDraft}
            onKeyDown={(e) => { if (e.key === 'Enter') commitDraft(); if (e.key === 'Escape') { setDraft(null); setError(null) } }}
          />
          <span className="unit">{meta.unit}</span>
          {meta.optional && (auto
            ? <span className="ctl-auto" title={autoHelp.title}>{autoHelp.tag}</span>
            : <button type="button" className="ctl-auto" aria-label={`${meta.label}: ${autoHelp.back}`} onClick={() => { setDraft(null); setError(null); editField(meta.path, undefined); flushRun() }}>{autoHelp.tag}</button>)}
        </span>
      </div>
      <Slider.Root
        className="slider"
        min={log ? 0 : meta.min}
        max={log ? POS_MAX : meta.max}
        step={log ? 1 : meta.step}
        value={[toPos(meta, value)]}
        onValueChange={([p]) => { if (p !== undefined) { setDraft(null); apply(fromPos(meta, p), false) } }}
        // Radix calls onValueCommit before onValueChange: flush after both have run
        onValueCommit={() => queueMicrotask(flushRun)}
      >
        <Slider.Track className="slider-track"><Slider.Range className="slider-range" /></Slider.Track>
        {/* out of the Tab order: the number field beside it sets the same value by keyboard (arrows, typing) */}
        <Slider.Thumb className="slider-thumb" tabIndex={-1} aria-labelledby={`${id}-l`} aria-valuetext={closedLoop ? 'closed loop' : `${value} ${meta.unit}`} />
      </Slider.Root>
      {error && <div id={`${id}-e`} className="ctl-error" role="alert">{error} (kept {value} {meta.unit})</div>}
    </div>
  )
}

const MODE_LABELS: Record<RxMode, string> = { softirq: 'softirq', 'threaded-irq': 'threaded IRQ', 'threaded-napi': 'threaded NAPI' }
const MODE_HELP: Record<RxMode, string> = {
  softirq: 'NAPI polls in softirq context after the hard IRQ (ksoftirqd when deferred)',
  'threaded-irq': 'Each rx IRQ runs its handler and NAPI poll in an irq/<nr>-<action> kthread (2016 series)',
  'threaded-napi': 'NAPI polls run in napi/<dev>-<id> kthreads (upstream since 5.12)',
}

export function ModeRadio() {
  const mode = usePlayground((s) => s.scenario.rx.mode)
  const refs = useRef<(HTMLButtonElement | null)[]>([])
  const onKey = (e: KeyboardEvent, i: number) => {
    const d = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0
    if (!d) return
    e.preventDefault()
    const j = (i + d + RX_MODES.length) % RX_MODES.length
    editField('rx.mode', RX_MODES[j])
    refs.current[j]?.focus()
  }
  return (
    <div className="ctl">
      <div className="ctl-head"><span id="mode-l">Rx processing</span></div>
      <div role="radiogroup" aria-labelledby="mode-l" className="seg">
        {RX_MODES.map((m, i) => (
          <button
            key={m}
            ref={(el) => { refs.current[i] = el }}
            type="button"
            role="radio"
            aria-checked={mode === m}
            tabIndex={mode === m ? 0 : -1}
            title={MODE_HELP[m]}
            onClick={() => editField('rx.mode', m)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {MODE_LABELS[m]}
          </button>
        ))}
      </div>
      <div className="hint">{MODE_HELP[mode]}</div>
    </div>
  )
}

// MODEL.md §0/§2: "softirq: Let ksoftirqd do its job" landed in v4.9 and was reverted in v6.5.
const ERA_HELP: Record<string, string> = {
  'v4.7': 'Before "softirq: Let ksoftirqd do its job" (v4.9)',
  'v4.9-v6.4': 'Pending softirqs wait for ksoftirqd once it is running',
  'v6.5+': 'That change reverted: softirqs run on irq exit again; still the CFS scheduler',
  'v6.6+': 'Softirqs on irq exit as in v6.5, and the EEVDF scheduler (base slice, lag kept across sleep, run to parity)',
}
const CONSUMER_LABELS: Record<string, string> = { guest: 'guest VM (vhost + vCPUs)', local: 'local receiver process' }

export function Controls() {
  const consumer = usePlayground((s) => s.scenario.consumer.kind)
  const era = usePlayground((s) => s.scenario.kernel.era)
  const rr = usePlayground((s) => s.scenario.traffic.pattern === 'rr')
  const closed = usePlayground((s) => s.scenario.traffic.pattern === 'rr' && s.scenario.traffic.perFlowKpps === undefined)
  const lineRate = usePlayground((s) => hardwareProfile(s.scenario.hardware).lineRateBps)
  // request/response: no netperf senders (clients or a fixed rate); closed loop: no offered rate either
  const hidden = (m: FieldMeta) => (consumer === 'local' && m.path === 'consumer.vcpus')
    || (rr && m.path === 'traffic.senderCpus')
    || (closed && m.path === 'traffic.senderMaxKpps')
  return (
    <section aria-labelledby="controls-h" className="panel">
      <h2 id="controls-h">Scenario</h2>
      <ModeRadio />
      <SelectField label="Kernel era" path="kernel.era" options={KERNEL_ERAS.map((e) => ({ value: e, label: ERA_LABELS[e] }))} />
      <div className="hint ctl-sub">{ERA_HELP[era]}</div>
      <SelectField label="Consumer" path="consumer.kind" options={CONSUMERS.map((c) => ({ value: c, label: CONSUMER_LABELS[c] ?? c }))} />
      <MachineAndWorkload />
      {NUMERIC_FIELDS.filter((m) => !hidden(m)).map((m) => <NumericControl key={m.path} meta={m} />)}
      <p className="hint">{rr
        ? `Request/response: ${closed ? 'each flow keeps its outstanding requests in flight (closed loop)' : 'requests arrive at the per-flow rate (open loop)'}; the ${lineRate / 1e9}GbE line rate caps the requests.`
        : `Offered load: one netperf sender per flow, each as fast as one of the sender's cores calls sendto (≈ 1 µs per datagram + the copy), at most sender cores at once; a per-flow rate replaces that rate, an offered rate caps the total; the ${lineRate / 1e9}GbE line rate caps everything.`}</p>
      {consumer === 'local' && <ApplicationFields />}
    </section>
  )
}
