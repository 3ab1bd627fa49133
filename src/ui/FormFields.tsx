// Compact scenario fields (a number with its unit, a checkbox, a select) for the controls beside the
// sliders: each edit goes through editField (setField → parseScenario), and the engine's message is
// shown under the field when it refuses one. A field the chosen kernel era lacks is disabled and
// says why (tooltip, and the same text for screen readers).
import { useId, useState } from 'react'
import { getPath } from '../state/scenarioEdit.ts'
import { usePlayground } from '../state/store.ts'
import { editField } from './actions.ts'

export interface NumberFieldProps {
  path: string
  label: string
  /** the label is a kernel name (set in monospace) */
  code?: boolean
  unit: string
  min: number
  max: number
  /** whole numbers only */
  integer?: boolean
  /** why the field is disabled (the era lacks it), or null */
  lacks?: string | null
  title?: string
}

function Lacks({ id, lacks }: { id: string; lacks: string | null | undefined }) {
  return lacks ? <span id={id} className="sr-only">{lacks}</span> : null
}

export function NumberField({ path, label, code = false, unit, min, max, integer = false, lacks = null, title }: NumberFieldProps) {
  const value = usePlayground((s) => getPath(s.scenario, path)) as number
  const id = useId()
  const [draft, setDraft] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const commitDraft = () => {
    if (draft === null) return
    const v = draft.trim() === '' ? NaN : Number(draft)
    if (!Number.isFinite(v)) { setError(`${label}: "${draft}" is not a number`); return }
    if (v < min || v > max) { setError(`${label}: must be between ${min} and ${max} ${unit}`); return }
    if (integer && !Number.isInteger(v)) { setError(`${label}: must be a whole number`); return }
    const err = editField(path, v)
    setError(err)
    if (err === null) setDraft(null)
  }
  const describedBy = [error ? `${id}-e` : '', lacks ? `${id}-x` : ''].filter(Boolean).join(' ') || undefined
  return (
    <div className={`ctl ctl-field${lacks ? ' ctl-lacks' : ''}`} title={lacks ?? title}>
      <div className="ctl-row">
        <label id={`${id}-l`} htmlFor={`${id}-i`} className={code ? 'mono' : undefined}>{label}</label>
        <span className="ctl-num">
          <input
            id={`${id}-i`}
            type="number"
            inputMode="decimal"
            min={min}
            max={max}
            step={integer ? 1 : 'any'}
            disabled={!!lacks}
            value={draft ?? String(value)}
            aria-labelledby={`${id}-l ${id}-u`}
            aria-invalid={error !== null}
            aria-describedby={describedBy}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={commitDraft}
            onKeyDown={(e) => { if (e.key === 'Enter') commitDraft(); if (e.key === 'Escape') { setDraft(null); setError(null) } }}
          />
          <span id={`${id}-u`} className="unit">{unit}</span>
        </span>
      </div>
      <Lacks id={`${id}-x`} lacks={lacks} />
      {error && <div id={`${id}-e`} className="ctl-error" role="alert">{error} (kept {value} {unit})</div>}
    </div>
  )
}

export function CheckField({ path, label, code = false, lacks = null, title }: { path: string; label: string; code?: boolean; lacks?: string | null; title?: string }) {
  const checked = usePlayground((s) => getPath(s.scenario, path)) === true
  const id = useId()
  const [error, setError] = useState<string | null>(null)
  return (
    <div className={`ctl ctl-field${lacks ? ' ctl-lacks' : ''}`} title={lacks ?? title}>
      <label className="ctl-check">
        <input type="checkbox" checked={checked} disabled={!!lacks} aria-invalid={error !== null}
          aria-describedby={[error ? `${id}-e` : '', lacks ? `${id}-x` : ''].filter(Boolean).join(' ') || undefined}
          onChange={(e) => setError(editField(path, e.target.checked))} />
        <span className={code ? 'mono' : undefined}>{label}</span>
      </label>
      <Lacks id={`${id}-x`} lacks={lacks} />
      {error && <div id={`${id}-e`} className="ctl-error" role="alert">{error}</div>}
    </div>
  )
}

export interface SelectOption { value: string; label: string; disabled?: string | null }

/** A select over one field; `''` stands for an unset optional field. Numbers are stored as numbers. */
export function SelectField({ label, path, options, title, lacks = null }: { label: string; path: string; options: readonly SelectOption[]; title?: string; lacks?: string | null }) {
  const raw = usePlayground((s) => getPath(s.scenario, path))
  const value = raw === undefined ? '' : String(raw)
  const id = useId()
  const [error, setError] = useState<string | null>(null)
  return (
    <div className={`ctl${lacks ? ' ctl-lacks' : ''}`} title={lacks ?? title}>
      <div className="ctl-row">
        <label htmlFor={id}>{label}</label>
        <select id={id} value={value} disabled={!!lacks} aria-invalid={error !== null}
          aria-describedby={[error ? `${id}-e` : '', lacks ? `${id}-x` : ''].filter(Boolean).join(' ') || undefined}
          onChange={(e) => {
            const v = e.target.value
            setError(editField(path, v === '' ? undefined : /^-?\d+$/.test(v) ? Number(v) : v))
          }}>
          {options.map((o) => <option key={o.value} value={o.value} disabled={!!o.disabled} title={o.disabled ?? undefined}>{o.label}</option>)}
        </select>
      </div>
      <Lacks id={`${id}-x`} lacks={lacks} />
      {error && <div id={`${id}-e`} className="ctl-error" role="alert">{error}</div>}
    </div>
  )
}

/** A segmented radio group over one field (arrow keys move and select, as the rx-mode buttons do). */
export function SegRadio({ label, path, options, help }: { label: string; path: string; options: readonly SelectOption[]; help?: (v: string) => string }) {
  const value = String(usePlayground((s) => getPath(s.scenario, path)))
  const id = useId()
  const [error, setError] = useState<string | null>(null)
  const enabled = options.filter((o) => !o.disabled)
  const pick = (v: string) => setError(editField(path, v))
  return (
    <div className="ctl">
      <div className="ctl-head"><span id={`${id}-l`}>{label}</span></div>
      <div role="radiogroup" aria-labelledby={`${id}-l`} className="seg"
        onKeyDown={(e) => {
          const d = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0
          if (!d || !enabled.length) return
          e.preventDefault()
          const i = enabled.findIndex((o) => o.value === value)
          const next = enabled[(i + d + enabled.length) % enabled.length]!
          pick(next.value)
          e.currentTarget.querySelector<HTMLButtonElement>(`[data-value="${next.value}"]`)?.focus()
        }}>
        {options.map((o) => (
          <button key={o.value} type="button" role="radio" data-value={o.value} aria-checked={value === o.value}
            tabIndex={value === o.value ? 0 : -1} disabled={!!o.disabled} title={o.disabled ?? undefined}
            onClick={() => pick(o.value)}>
            {o.label}
          </button>
        ))}
      </div>
      {help && <div className="hint">{help(value)}</div>}
      {error && <div className="ctl-error" role="alert">{error}</div>}
    </div>
  )
}
