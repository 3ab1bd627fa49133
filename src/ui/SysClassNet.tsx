// The /sys/class/net/eth0 view (today's kernels, MODERN-KERNELS.md §2–§5): threaded NAPI per
// device (0 / 1 / 2 = busy poll), napi_defer_hard_irqs and gro_flush_timeout, each change shown
// as the shell command and the per-NAPI netlink call that does the same; per-NAPI values (netlink
// napi-set, 6.13+) by NAPI id; and every command the scenario amounts to — sysfs, sysctl, napi-set
// and the application's epoll parameters. Collapsed by default.
import { useId, useState } from 'react'
import { irqSettings, type IrqOverride, type IrqSettings } from '../engine/scenario.ts'
import { usePlayground } from '../state/store.ts'
import { editIrq, editScenario } from './actions.ts'
import { eraLacks, GATES, knobLacks } from './modernKnobs.ts'
import { epollCode, everyNapi, NAPI_ID0, napiId, napiSet, scenarioCommands, usToNs } from './sysnetCommands.ts'

type NapiKey = 'deferHardIrqs' | 'groFlushTimeoutUs' | 'irqSuspendTimeoutUs'
const NAPI_COLS: { key: NapiKey; attr: 'defer-hard-irqs' | 'gro-flush-timeout' | 'irq-suspend-timeout'; unit: string; max: number }[] = [
  { key: 'deferHardIrqs', attr: 'defer-hard-irqs', unit: 'polls', max: 1_000_000 },
  { key: 'groFlushTimeoutUs', attr: 'gro-flush-timeout', unit: 'ns', max: 100_000_000 },
  { key: 'irqSuspendTimeoutUs', attr: 'irq-suspend-timeout', unit: 'ns', max: 1_000_000_000 },
]
/** scenario value (count, µs) → what netlink takes (count, ns), and back */
const toAttr = (key: NapiKey, v: number) => (key === 'deferHardIrqs' ? v : usToNs(v))
const fromAttr = (key: NapiKey, v: number) => (key === 'deferHardIrqs' ? v : v / 1000)

/** One NAPI's netlink values: empty = the device's (the sysfs file, or the every-NAPI setting). */
function NapiRow({ irq, override, lacks, device, onCmd }: { irq: IrqSettings; override: IrqOverride | undefined; lacks: string | null; device: Record<NapiKey, number>; onCmd: (c: string) => void }) {
  const devValue = (k: NapiKey) => device[k]
  const [draft, setDraft] = useState<Partial<Record<NapiKey, string>>>({})
  const [err, setErr] = useState<string | null>(null)
  const id = napiId(irq.queue)
  const commit = (c: (typeof NAPI_COLS)[number]) => {
    const raw = draft[c.key]
    if (raw === undefined) return
    const clear = raw.trim() === ''
    const v = clear ? NaN : Number(raw)
    if (!clear && (!Number.isInteger(v) || v < 0 || v > c.max)) {
      setErr(`NAPI ${id} ${c.attr}: a whole number 0..${c.max} ${c.unit}, or empty for the device's value`)
      return
    }
    const e = editIrq(irq.queue, { [c.key]: clear ? undefined : fromAttr(c.key, v) })
    setErr(e)
    if (!e) {
      setDraft((d) => ({ ...d, [c.key]: undefined }))
      // netlink has no "unset": the NAPI gets the device's value back by setting it
      onCmd(clear ? `${napiSet(id, { [c.attr]: toAttr(c.key, devValue(c.key)) })}   # the device's value` : napiSet(id, { [c.attr]: v }))
    }
  }
  return (
    <>
    <tr>
      <th scope="row" className="mono">{id}<span className="hint"> q{irq.queue}</span></th>
      {NAPI_COLS.map((c) => {
        const own = override?.[c.key]
        return (
          <td key={c.key}>
            <input type="number" min={0} step={1} disabled={!!lacks} aria-label={`${c.attr} of NAPI ${id} (${c.unit})`}
              value={draft[c.key] ?? (own === undefined ? '' : String(toAttr(c.key, own)))}
              placeholder={String(toAttr(c.key, devValue(c.key)))}
              aria-invalid={err !== null}
              onChange={(e) => setDraft((d) => ({ ...d, [c.key]: e.target.value }))}
              onBlur={() => commit(c)} onKeyDown={(e) => { if (e.key === 'Enter') commit(c) }} />
          </td>
        )
      })}
    </tr>
    {err && <tr><td colSpan={NAPI_COLS.length + 1} className="ctl-error" role="alert">{err}</td></tr>}
    </>
  )
}

function PerNapi({ onCmd }: { onCmd: (c: string) => void }) {
  const s = usePlayground((x) => x.scenario)
  const g = GATES.perNapi
  const lacks = eraLacks(s.kernel.era, g.since, g.linux, g.what)
  const irqs = irqSettings(s)
  const device: Record<NapiKey, number> = { deferHardIrqs: s.nic.deferHardIrqs, groFlushTimeoutUs: s.nic.groFlushTimeoutUs, irqSuspendTimeoutUs: s.nic.irqSuspendTimeoutUs }
  return (
    <details className="sysnet-napi" title={lacks ?? undefined}>
      <summary>Per NAPI: netlink napi-set <span className="hint">(6.13+; {irqs.length} NAPIs, ids {NAPI_ID0}–{napiId(irqs.length - 1)})</span></summary>
      <p className="hint">{lacks ?? 'Empty = the device\'s value (grey). A value here overrides it for that NAPI; ns for the timeouts, as netlink takes them.'}</p>
      <div className="sysnet-napi-tbl">
        <table className="mt" aria-label="Per-NAPI settings">
          <thead><tr><th scope="col">NAPI id</th>{NAPI_COLS.map((c) => <th key={c.key} scope="col">{c.attr} <span className="unit">{c.unit}</span></th>)}</tr></thead>
          <tbody>{irqs.map((irq) => <NapiRow key={irq.queue} irq={irq} override={s.rx.irqs.find((o) => o.queue === irq.queue)} lacks={lacks} device={device} onCmd={onCmd} />)}</tbody>
        </table>
      </div>
    </details>
  )
}

/** Everything the scenario sets, as commands: sysfs, sysctl, netlink napi-set, the application's epoll parameters. */
function ScenarioCommands() {
  const s = usePlayground((x) => x.scenario)
  const shell = scenarioCommands(s)
  const epoll = epollCode(s)
  return (
    <div className="sysnet-all">
      <h3 className="sysnet-h">This scenario on a real machine</h3>
      <pre className="cmd" aria-label="Commands for this scenario" data-testid="sysnet-commands">{shell.length ? shell.join('\n') : '# nothing to set: the kernel\'s defaults'}</pre>
      {epoll.length > 0 && <pre className="cmd" aria-label="Application epoll parameters" data-testid="epoll-params">{epoll.join('\n')}</pre>}
    </div>
  )
}

export function SysClassNet() {
  const s = usePlayground((x) => x.scenario)
  const id = useId()
  const [cmd, setCmd] = useState<string | null>(null)
  const [err, setErr] = useState<string | null>(null)
  const [draft, setDraft] = useState<{ defer?: string; gro?: string }>({})
  const threaded = s.rx.mode === 'threaded-napi' ? (s.rx.threadedBusyPoll ? 2 : 1) : 0
  const deferLacks = knobLacks(s.kernel.era, 'napi_defer_hard_irqs')
  const modern = deferLacks === null
  const busyPollLacks = eraLacks(s.kernel.era, GATES.threadedBusyPoll.since, GATES.threadedBusyPoll.linux, GATES.threadedBusyPoll.what)
  const groNs = Math.round(s.nic.groFlushTimeoutUs * 1000)
  const setThreaded = (v: number) => {
    const e = editScenario((n) => {
      if (v === 0) {
        if (n.rx.mode === 'threaded-napi') n.rx.mode = 'softirq'
        n.rx.threadedBusyPoll = false
      } else {
        n.rx.mode = 'threaded-napi'
        n.rx.threadedBusyPoll = v === 2
      }
    })
    setErr(e)
    if (!e) setCmd(v === 2
      ? `${everyNapi(s.nic.queues, { threaded: 'busy-poll' })}   # per NAPI (6.19+)`
      : `echo ${v} > /sys/class/net/eth0/threaded`)
  }
  const commitNum = (key: 'defer' | 'gro') => {
    const raw = draft[key]
    if (raw === undefined) return
    const v = raw.trim() === '' ? NaN : Number(raw)
    const max = key === 'defer' ? 1_000_000 : 100_000_000
    if (!Number.isInteger(v) || v < 0 || v > max) {
      setErr(`${key === 'defer' ? 'napi_defer_hard_irqs' : 'gro_flush_timeout'}: a whole number 0..${max}${key === 'gro' ? ' ns' : ''} (kept ${key === 'defer' ? s.nic.deferHardIrqs : groNs})`)
      return
    }
    const e = editScenario((n) => {
      if (key === 'defer') n.nic.deferHardIrqs = v
      else n.nic.groFlushTimeoutUs = v / 1000
    })
    setErr(e)
    if (!e) {
      setDraft((d) => ({ ...d, [key]: undefined }))
      const file = key === 'defer' ? 'napi_defer_hard_irqs' : 'gro_flush_timeout'
      const attr = key === 'defer' ? 'defer-hard-irqs' : 'gro-flush-timeout'
      setCmd(`echo ${v} > /sys/class/net/eth0/${file}   # every NAPI of eth0; one NAPI: ynl --family netdev --do napi-set --json '{"id": ${NAPI_ID0}, "${attr}": ${v}}'`)
    }
  }
  return (
    <details className="panel sysnet">
      <summary><h2 id={`${id}-h`} className="inline-h">/sys/class/net/eth0</h2> <span className="hint">today's knobs</span></summary>
      <div role="group" aria-labelledby={`${id}-h`}>
        <p className="hint">
          Threaded NAPI per device, and interrupt deferral (v5.7+): after a poll with work the device IRQ stays masked for
          napi_defer_hard_irqs empty polls, each re-armed by the NAPI hrtimer after gro_flush_timeout.
        </p>
        <label className="sysnet-row">
          <span>threaded</span>
          <select value={threaded} onChange={(e) => setThreaded(Number(e.target.value))} aria-describedby={`${id}-t`}>
            <option value={0}>0 — softirq</option>
            <option value={1}>1 — napi kthreads</option>
            <option value={2} disabled={busyPollLacks !== null} title={busyPollLacks ?? undefined}>2 — busy-poll kthreads (napi-set only, 6.19+)</option>
          </select>
        </label>
        <span id={`${id}-t`} className="hint">{threaded === 2 ? 'the kthreads never complete NAPI: 100 % of a CPU each, the IRQ stays off' : ' '}</span>
        <label className="sysnet-row">
          <span>napi_defer_hard_irqs</span>
          <input type="number" min={0} step={1} disabled={!modern} title={deferLacks ?? undefined} value={draft.defer ?? String(s.nic.deferHardIrqs)}
            onChange={(e) => setDraft((d) => ({ ...d, defer: e.target.value }))} onBlur={() => commitNum('defer')} onKeyDown={(e) => { if (e.key === 'Enter') commitNum('defer') }} />
          <span className="unit">polls</span>
        </label>
        <label className="sysnet-row">
          <span>gro_flush_timeout</span>
          <input type="number" min={0} step={1000} disabled={!modern} title={deferLacks ?? undefined} value={draft.gro ?? String(groNs)}
            onChange={(e) => setDraft((d) => ({ ...d, gro: e.target.value }))} onBlur={() => commitNum('gro')} onKeyDown={(e) => { if (e.key === 'Enter') commitNum('gro') }} />
          <span className="unit">ns</span>
        </label>
        {!modern && <p className="hint">Kernel era v4.7 has no deferral knobs (they exist from v5.7): choose a later era.</p>}
        {err && <p className="ctl-error" role="alert">{err}</p>}
        {cmd && <pre className="cmd" aria-label="Equivalent command">{cmd}</pre>}
        <PerNapi onCmd={setCmd} />
        <ScenarioCommands />
      </div>
    </details>
  )
}
