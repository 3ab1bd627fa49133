// Which kernel has which knob, for the controls: a field that the chosen kernel era lacks is shown
// disabled with the reason (the engine refuses such a scenario; the UI never changes it behind the
// user's back). The era gates are the engine's (scenario.ts: KNOB_INFO.since and the cross-field
// rules); the Linux versions are those of MODERN-KERNELS.md. DOM-free.
import { KERNEL_ERAS, KNOB_INFO, type KernelEra, type KnobName } from '../engine/scenario.ts'
import type { HardwareName } from '../engine/hardware.ts'
import type { Trace } from '../engine/types.ts'

export const ERA_LABELS: Record<KernelEra, string> = { 'v4.7': 'v4.7 (2016)', 'v4.9-v6.4': 'v4.9 – v6.4', 'v6.5+': 'v6.5 (CFS)', 'v6.6+': 'v6.6 and later (EEVDF)' }

export const HARDWARE_LABELS: Record<HardwareName, string> = {
  '2016-ixgbe-10g': '2016 · ixgbe 10GbE',
  '2020s-mlx5-100g': '2020s · mlx5 100GbE',
}

/** The Linux release each gated knob first appears in. */
export const KNOB_LINUX: Record<KnobName, string> = {
  napi_defer_hard_irqs: '5.7',
  gro_flush_timeout: '5.7',
  irq_suspend_timeout: '6.13',
  threaded: '5.12',
  netdev_budget: '2.6.33',
  netdev_budget_usecs: '4.12',
  busy_poll_usecs: '3.11',
  busy_poll_budget: '5.11',
  prefer_busy_poll: '5.11',
}

/** The scenario's fields gated by era that are not knobs of their own. */
export const GATES = {
  perNapi: { since: 'v6.6+', linux: '6.13', what: 'per-NAPI config (netlink napi-set)' },
  threadedBusyPoll: { since: 'v6.6+', linux: '6.19', what: 'threaded busy poll (threaded = 2)' },
} as const satisfies Record<string, { since: KernelEra; linux: string; what: string }>

const eraIndex = (e: KernelEra) => (KERNEL_ERAS as readonly string[]).indexOf(e)

/** Why `era` lacks something that exists from era `since` (Linux `linux`), or null when it has it. */
export function eraLacks(era: KernelEra, since: KernelEra, linux: string, what: string): string | null {
  if (eraIndex(era) >= eraIndex(since)) return null
  return `${what} exists from Linux ${linux}: choose kernel era ${ERA_LABELS[since]} or later (now ${ERA_LABELS[era]})`
}

/** Why the era lacks a knob (KNOB_INFO's gate), or null. */
export function knobLacks(era: KernelEra, knob: KnobName): string | null {
  return eraLacks(era, KNOB_INFO[knob].since, KNOB_LINUX[knob], knob)
}

/** A knob's value with its unit, as the lists print it. */
export function knobValue(knob: KnobName, value: number): string {
  const unit = KNOB_INFO[knob].unit
  if (unit === '0/1' || unit === '0/1/2' || unit === 'count') return String(value)
  return `${value} ${unit}`
}

/**
 * CPU time of one slice kind over the whole run, ns: from the busy summary (every slice, stored or
 * not) when the run has one, else from the stored slices.
 */
export function kindTotalNs(trace: Pick<Trace, 'busy' | 'slices'>, kind: number): number {
  const b = trace.busy
  let ns = 0
  if (b) {
    for (let i = kind; i < b.cpu.length; i += b.kinds) ns += b.cpu[i]!
    return ns
  }
  const s = trace.slices
  for (let i = 0; i < s.count; i++) if (s.kind[i] === kind) ns += s.end[i]! - s.start[i]!
  return ns
}
