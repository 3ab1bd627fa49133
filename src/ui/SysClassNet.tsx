// The /sys/class/net/eth0 view (today's kernels, MODERN-KERNELS.md §2, §5): threaded NAPI per
// device (0 / 1 / 2 = busy poll), napi_defer_hard_irqs and gro_flush_timeout, each change shown
// as the shell command and the per-NAPI netlink call that does the same. Collapsed by default.
import { useId, useState } from 'react'
import { usePlayground } from '../state/store.ts'
import { editScenario } from './actions.ts'

const NAPI_ID0 = 8193

export function SysClassNet() {
  const s = usePlayground((x) => x.scenario)
  const id = useId()
  const [cmd, setCmd] = useState<string | null>(null)
  const [err, setErr] = useState<string | null>(null)
  const [draft, setDraft] = useState<{ defer?: string; gro?: string }>({})
  const threaded = s.rx.mode === 'threaded-napi' ? (s.rx.threadedBusyPoll ? 2 : 1) : 0
  const modern = s.kernel.era !== 'v4.7'
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
      ? `ynl --family netdev --do napi-set --json '{"id": ${NAPI_ID0}, "threaded": "busy-poll"}'   # per NAPI (6.19+)`
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
            <option value={2} disabled={s.kernel.era !== 'v6.6+'}>2 — busy-poll kthreads (6.19+)</option>
          </select>
        </label>
        <span id={`${id}-t`} className="hint">{threaded === 2 ? 'the kthreads never complete NAPI: 100 % of a CPU each, the IRQ stays off' : ' '}</span>
        <label className="sysnet-row">
          <span>napi_defer_hard_irqs</span>
          <input type="number" min={0} step={1} disabled={!modern} value={draft.defer ?? String(s.nic.deferHardIrqs)}
            onChange={(e) => setDraft((d) => ({ ...d, defer: e.target.value }))} onBlur={() => commitNum('defer')} onKeyDown={(e) => { if (e.key === 'Enter') commitNum('defer') }} />
          <span className="unit">polls</span>
        </label>
        <label className="sysnet-row">
          <span>gro_flush_timeout</span>
          <input type="number" min={0} step={1000} disabled={!modern} value={draft.gro ?? String(groNs)}
            onChange={(e) => setDraft((d) => ({ ...d, gro: e.target.value }))} onBlur={() => commitNum('gro')} onKeyDown={(e) => { if (e.key === 'Enter') commitNum('gro') }} />
          <span className="unit">ns</span>
        </label>
        {!modern && <p className="hint">Kernel era v4.7 has no deferral knobs (they exist from v5.7): choose a later era.</p>}
        {err && <p className="ctl-error" role="alert">{err}</p>}
        {cmd && <pre className="cmd" aria-label="Equivalent command">{cmd}</pre>}
      </div>
    </details>
  )
}
