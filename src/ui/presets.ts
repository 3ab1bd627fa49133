// The UI's preset gallery, as scenario inputs (validated on use). The engine may later ship
// CLI presets with the same names; these are duplicated on purpose until then (see NOTES-ui-to-engine.md).
import type { ScenarioInput } from '../engine/scenario.ts'

export interface Preset {
  id: string
  name: string
  description: string
  scenario: ScenarioInput
}

/** The 2016 threaded-IRQ experiment: 16 CPUs, 16 queues, a 2-vCPU guest, 64 B UDP from 25 flows. */
const seed2016 = (mode: 'threaded-irq' | 'softirq'): ScenarioInput => ({
  durationMs: 100,
  host: { cpus: 16 },
  nic: { queues: 16 },
  traffic: { flows: 25, payloadBytes: 64, perFlowKpps: 1000, senderMaxKpps: 2700 },
  rx: mode === 'threaded-irq' ? { mode, schedNormal: true, noAffinity: true } : { mode },
  consumer: { kind: 'guest', vcpus: 2 },
})

export const PRESETS: Preset[] = [
  {
    id: 'seed-2016-threaded',
    name: '2016 experiment: threaded IRQs',
    description: '16 CPUs / 16 queues, guest with 2 vCPUs, 64 B × 25 flows; threaded IRQs, SCHED_NORMAL, no affinity',
    scenario: seed2016('threaded-irq'),
  },
  {
    id: 'seed-2016-softirq',
    name: '2016 experiment: softirq',
    description: 'The same load processed in softirq context (the baseline of the experiment)',
    scenario: seed2016('softirq'),
  },
  {
    id: 'same-cpu-receiver',
    name: 'Same-CPU local receiver',
    description: 'One flow, one queue, the receiving process pinned to CPU 0, where the IRQ lands',
    scenario: { host: { cpus: 4 }, nic: { queues: 1 }, traffic: { flows: 1 }, consumer: { kind: 'local', receiverCpu: 0 } },
  },
  {
    id: 'other-cpu-receiver',
    name: 'Other-CPU local receiver',
    description: 'One flow, one queue, the receiver pinned to CPU 1: the IRQ CPU only does rx',
    scenario: { host: { cpus: 4 }, nic: { queues: 1 }, traffic: { flows: 1 }, consumer: { kind: 'local', receiverCpu: 1 } },
  },
  {
    id: 'single-vcpu-flood',
    name: 'Single-vCPU guest under flood',
    description: 'A 1-vCPU guest receiving 64 B × 25 flows at the sender maximum',
    scenario: { traffic: { flows: 25, payloadBytes: 64 }, consumer: { kind: 'guest', vcpus: 1 } },
  },
]
