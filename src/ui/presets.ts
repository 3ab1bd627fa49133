// The UI's preset gallery. Built from the engine's presets (src/engine/presets.ts, also used by
// the CLI `--preset NAME`) so both stay one definition: the seed's cases first with the UI's own
// titles, then every other engine preset with its engine description (a new engine preset shows
// up here by itself). The UI caps durations at 100 ms so a preset re-runs interactively.
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
  // a shortened run gets the default warm-up; a preset that fits keeps its own
  if ((s.durationMs ?? UI_DURATION_MS) > UI_DURATION_MS || (s.warmupMs ?? 10) >= UI_DURATION_MS) {
    s.durationMs = UI_DURATION_MS
    s.warmupMs = Math.min(s.warmupMs ?? 10, 10)
  } else {
    s.durationMs = s.durationMs ?? UI_DURATION_MS
    s.warmupMs = s.warmupMs ?? 10
  }
  return s
}

/** Gallery titles for the engine presets of today's kernels (issue 10); the description is the engine's. */
const TITLES: Record<string, string> = {
  'busy-poll-selftest': 'Kernel selftest: epoll busy poll + IRQ suspension',
  'memcached-base': 'memcached, 100G: base (interrupts)',
  'memcached-fullbusy': 'memcached, 100G: fullbusy (busy poll, never sleeps)',
  'memcached-suspend20': 'memcached, 100G: suspend20 (IRQ suspension)',
  'rr-1000-flows-softirq': '1000 request/response flows: softirq',
  'rr-1000-flows-threaded': '1000 request/response flows: threaded NAPI',
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

const curated = new Set(PRESETS.map((p) => p.id))
for (const p of ENGINE_PRESETS) {
  if (curated.has(p.name)) continue
  PRESETS.push({ id: p.name, name: TITLES[p.name] ?? p.name, description: p.description, scenario: fromEngine(p.name) })
}
