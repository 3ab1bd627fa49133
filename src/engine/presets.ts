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

/**
 * memcached on a 2020s server as in the IRQ-suspension cover letter (MODERN-KERNELS.md §4): 100GbE
 * mlx5, 8 rx queues, 8 server threads each pinned to its queue's IRQ CPU (SMT off), UDP requests
 * from a load generator — Poisson at a rate (`kqps` total), or closed loop at "max".
 */
export function memcachedScenario(config: 'base' | 'fullbusy' | 'suspend20', kqps: number | 'max'): ScenarioInput {
  const nic = { queues: 8, ringSize: 1024 }
  const knobs: Record<typeof config, Pick<ScenarioInput, 'nic' | 'consumer'>> = {
    // no tuning beyond the NIC's defaults (adaptive-rx)
    base: { nic },
    // defer 100, gro_flush_timeout 5 ms, epoll busy poll 1000 µs, budget 64, prefer: at these rates the
    // 1 ms loop always finds the next request, so the thread never sleeps
    fullbusy: { nic: { ...nic, deferHardIrqs: 100, groFlushTimeoutUs: 5000 }, consumer: { busyPoll: { usecs: 1000, budget: 64, prefer: true } } },
    // defer 100, gro_flush_timeout 20 µs, irq-suspend-timeout 20 ms, busy_poll_usecs 0, budget 64, prefer
    suspend20: { nic: { ...nic, deferHardIrqs: 100, groFlushTimeoutUs: 20, irqSuspendTimeoutUs: 20_000 }, consumer: { busyPoll: { usecs: 0, budget: 64, prefer: true } } },
  }
  const k = knobs[config]
  return {
    hardware: '2020s-mlx5-100g', durationMs: 100, warmupMs: 20, kernel: { era: 'v6.6+' },
    host: { cpus: 16, sockets: 1, threadsPerCore: 1 },
    nic: k.nic,
    traffic: { pattern: 'rr', flows: 256, payloadBytes: 64, ...(kqps === 'max' ? { outstanding: 4 } : { perFlowKpps: kqps / 256 }) },
    consumer: { kind: 'local', threads: 8, pinToIrqCpu: true, serviceUs: 1, ...k.consumer },
  }
}

/** Threaded NAPI's upstream case (MODEL.md §9 V7): 56 hyperthreads, 100G NIC, 8 rx queues, unpinned, 1000 request/response flows of 1 B. */
export function manyFlowsRr(mode: 'softirq' | 'threaded-napi'): ScenarioInput {
  return {
    hardware: '2020s-mlx5-100g', durationMs: 100, warmupMs: 20, kernel: { era: 'v4.9-v6.4' },
    host: { cpus: 56, sockets: 2, threadsPerCore: 2 }, nic: { queues: 8, ringSize: 1024 },
    traffic: { pattern: 'rr', flows: 1000, payloadBytes: 1, outstanding: 1 },
    consumer: { kind: 'local', threads: 56 }, rx: { mode },
  }
}

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
  {
    name: 'busy-poll-selftest',
    description: "The kernel selftest busy_poll_test.sh (6.13+): one queue, an epoll server with busy_poll_usecs 0, budget 16, prefer_busy_poll, napi_defer_hard_irqs 100, gro_flush_timeout 50 µs, irq-suspend-timeout 20 ms",
    scenario: {
      hardware: '2020s-mlx5-100g', durationMs: 100, warmupMs: 10, kernel: { era: 'v6.6+' }, host: { cpus: 2, sockets: 1 },
      nic: { queues: 1, deferHardIrqs: 100, groFlushTimeoutUs: 50, irqSuspendTimeoutUs: 20_000 },
      traffic: { flows: 1, payloadBytes: 1400, perFlowKpps: 200 },
      consumer: { kind: 'local', receiverCpu: 1, busyPoll: { usecs: 0, budget: 16, prefer: true } },
    },
  },
  {
    name: 'memcached-base',
    description: 'memcached at 200k requests/s on a 2020s 100G server, no tuning (interrupts, adaptive moderation): the IRQ-suspension letter\'s "base"',
    scenario: memcachedScenario('base', 200),
  },
  {
    name: 'memcached-fullbusy',
    description: 'The same with epoll busy polling for up to 1 ms per call (prefer_busy_poll, budget 64, defer 100, gro_flush_timeout 5 ms): "fullbusy" — the loop never runs dry, lowest latency, 100 % CPU',
    scenario: memcachedScenario('fullbusy', 200),
  },
  {
    name: 'memcached-suspend20',
    description: 'The same with IRQ suspension (irq-suspend-timeout 20 ms, gro_flush_timeout 20 µs, defer 100): "suspend20" — busy polling while busy, interrupts when idle',
    scenario: memcachedScenario('suspend20', 200),
  },
  {
    name: 'rr-1000-flows-softirq',
    description: "Threaded NAPI's upstream case: 1000 request/response flows of 1 B, 8 queues, 56 hyperthreads, unpinned — NAPI in softirq",
    scenario: manyFlowsRr('softirq'),
  },
  {
    name: 'rr-1000-flows-threaded',
    description: 'The same with threaded NAPI (echo 1 > /sys/class/net/eth0/threaded): similar peak rate, far lower tail latency',
    scenario: manyFlowsRr('threaded-napi'),
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
