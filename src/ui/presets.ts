// The UI's preset gallery. Built from the engine's presets (src/engine/presets.ts, also used by
// the CLI `--preset NAME`) so both stay one definition; the UI caps durations at 100 ms so a
// preset re-runs interactively.
import type { ScenarioInput } from '../engine/scenario.ts'
import { PRESETS as ENGINE_PRESETS } from '../engine/presets.ts'

export interface Preset {
  id: string
  name: string
  description: string
  scenario: ScenarioInput
}

const UI_DURATION_MS = 100

function fromEngine(name: string): ScenarioInput {
  const p = ENGINE_PRESETS.find((x) => x.name === name)
  if (!p) throw new Error(`engine preset ${name} is missing`)
  const s = structuredClone(p.scenario)
  s.durationMs = Math.min(s.durationMs ?? UI_DURATION_MS, UI_DURATION_MS)
  s.warmupMs = Math.min(s.warmupMs ?? 10, 10)
  return s
}


export const PRESETS: Preset[] = [
  {
    id: 'seed-2016-threaded',
    name: '2016 experiment: threaded IRQs',
    description: '16 CPUs / 16 queues, guest with 2 vCPUs, 64 B × 25 flows; threaded IRQs, SCHED_NORMAL, no affinity',
    scenario: fromEngine('seed-2016-threaded'),
  },
  {
    id: 'seed-2016',
    name: '2016 experiment: softirq',
    description: 'The same load processed in softirq context (the baseline of the experiment)',
    scenario: fromEngine('seed-2016'),
  },
  {
    id: 'one-flow-regression',
    name: 'One flow of 256 B (threaded)',
    description: "The seed's host with one 256 B flow (the guest socket holds 92 such datagrams); the seed reports threaded below softirq here — switch to softirq and compare the guest socket drops",
    scenario: fromEngine('one-flow-regression'),
  },
  {
    id: 'local-same-cpu',
    name: 'Same-CPU local receiver',
    description: 'One flow, one queue, the receiving process pinned to CPU 0, where the IRQ lands',
    scenario: fromEngine('local-same-cpu'),
  },
  {
    id: 'local-other-cpu',
    name: 'Other-CPU local receiver',
    description: 'One flow, one queue, the receiver pinned to CPU 1: the IRQ CPU only does rx',
    scenario: fromEngine('local-other-cpu'),
  },
  {
    id: 'single-vcpu-flood',
    name: 'Single-vCPU guest under flood',
    description: 'A 1-vCPU guest receiving 64 B from many flows (the May 2016 threadable-NAPI RFC case)',
    scenario: fromEngine('single-vcpu-flood'),
  },
]
