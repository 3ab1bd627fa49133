// Built-in scenarios (CLI `--preset`, UI gallery). Inputs, validated by parseScenario.
import type { ScenarioInput } from './scenario.ts'

export interface Preset {
  name: string
  description: string
  scenario: ScenarioInput
}

/**
 * The seed's experiment (../shared/calibration/README.md): ixgbe with one MSI-X queue per CPU
 * (16 of 16), HZ=1000, v4.7 host, tun with noqueue → vhost-net → 2-vCPU guest, netperf UDP_STREAM
 * flows from random source IPs. Threaded runs: the driver asks for SCHED_NORMAL, no affinity.
 */
export const SEED_2016: ScenarioInput = {
  durationMs: 1000,
  // netperf's runs last 10 s: measure the steady state, after the placement transient that
  // the scheduler's capacity signal (rt_avg, 500 ms period) drives
  warmupMs: 500,
  kernel: { era: 'v4.7', hz: 1000 },
  host: { cpus: 16, sockets: 2, threadsPerCore: 1 },
  nic: { queues: 16 },
  traffic: { flows: 25, payloadBytes: 64 },
  rx: { mode: 'softirq', schedNormal: true, noAffinity: true },
  consumer: { kind: 'guest', vcpus: 2 },
}

/** Bare metal: one 64 B flow at 3 Mpps into one rx queue (IRQ on CPU 0), the receiver pinned to `receiverCpu`. */
const localFlood = (receiverCpu: number): ScenarioInput => ({
  durationMs: 200, kernel: { era: 'v4.7' }, host: { cpus: 4 }, nic: { queues: 1 },
  traffic: { flows: 1, payloadBytes: 64, perFlowKpps: 3000, senderMaxKpps: 3000 },
  consumer: { kind: 'local', receiverCpu },
})

export const PRESETS: Preset[] = [
  {
    name: 'seed-2016',
    description: "The 2016 series' experiment: 16-CPU host, ixgbe 16 queues, tun+vhost-net, 2-vCPU guest, 25 UDP flows of 64 B (softirq; flip the IRQs to threaded)",
    scenario: SEED_2016,
  },
  {
    name: 'seed-2016-threaded',
    description: "The same experiment with the series' threaded IRQs (SCHED_NORMAL, no affinity, as the seed's ixgbe asks)",
    scenario: { ...SEED_2016, rx: { ...SEED_2016.rx, mode: 'threaded-irq' } },
  },
  {
    name: 'one-flow-regression',
    description: "The seed's one-flow case: its 16-CPU host, one 256 B flow (the guest socket holds only 92 such datagrams), threaded IRQs; the seed reports threaded below softirq here — switch the mode and compare the guest socket drops",
    scenario: { ...SEED_2016, traffic: { ...SEED_2016.traffic, flows: 1, payloadBytes: 256 }, rx: { ...SEED_2016.rx, mode: 'threaded-irq' } },
  },
  {
    name: 'local-same-cpu',
    description: 'Bare metal: one UDP flow, 1 rx queue, the receiving application pinned to the CPU that takes the NIC IRQ',
    scenario: localFlood(0),
  },
  {
    name: 'local-other-cpu',
    description: 'Bare metal: one UDP flow, 1 rx queue, the receiving application pinned to another CPU than the NIC IRQ',
    scenario: localFlood(1),
  },
  {
    name: 'single-vcpu-flood',
    description: 'A single-vCPU guest under a UDP flood of many flows (the May 2016 threadable-NAPI RFC case)',
    scenario: {
      durationMs: 200, kernel: { era: 'v4.7' }, host: { cpus: 16 }, nic: { queues: 16 },
      traffic: { flows: 50, payloadBytes: 64 },
      consumer: { kind: 'guest', vcpus: 1 },
    },
  },
]

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name)
}

export interface SweepCell {
  payloadBytes: number
  flows: number
  mode: 'softirq' | 'threaded-irq' | 'threaded-napi'
}

/** One cell of the seed's experiment: the seed-2016 preset at a payload size, flow count and mode. */
export function seedCellScenario(cell: SweepCell, durationMs: number, base: ScenarioInput = SEED_2016): ScenarioInput {
  return {
    ...base,
    durationMs,
    warmupMs: Math.min(base.warmupMs ?? 50, durationMs / 2),
    traffic: { ...base.traffic, flows: cell.flows, payloadBytes: cell.payloadBytes },
    rx: { ...base.rx, mode: cell.mode },
  }
}

export const DEFAULT_SWEEP = {
  payloads: [1, 64, 256, 1400],
  flows: [1, 25, 50, 100, 200],
  modes: ['softirq', 'threaded-irq', 'threaded-napi'] as SweepCell['mode'][],
}
