// Hardware profiles: the machine a scenario runs on — its NIC's line rate and interrupt
// moderation, and the CPU cost table. The 2016 profile is the seed's (costs.ts, calibrated on its
// table); the 2020s one is a server of the IRQ-suspension and threaded-NAPI measurements
// (MODERN-KERNELS.md §4, §5): a 100GbE mlx5 NIC with adaptive moderation (net_dim), and costs
// derived from the 2016 table by one stated rule, not fitted.
import { COSTS, type Costs } from './costs.ts'
import { Mlx5Dim, IxgbeItr, type Moderation } from './nic/moderation.ts'
import type { HardwareName } from './scenario.ts'

export { HARDWARE_PROFILES, type HardwareName } from './scenario.ts'

export interface HardwareProfile {
  name: HardwareName
  description: string
  lineRateBps: number
  costs: Costs
  /** a queue's interrupt moderation: fixed interval in µs, or 0 = the NIC's adaptive scheme */
  moderation: (fixedUs: number) => Moderation
}

/**
 * 2020s server core (e.g. AMD EPYC 7662 / Xeon Ice Lake, ~3.0 GHz) against the 2016 Xeon
 * E5 v3/v4 at ~2.4 GHz: CPU-bound costs × 2.4/3.0 for the clock × 1/1.25 for IPC (Zen 2 and
 * Sunny Cove over Haswell/Broadwell, SPECint per GHz) = × 0.64 [assumption, not fitted];
 * copies of bytes that miss the cache × 0.8 (DDR4-3200 over DDR4-2133: bandwidth × 1.5, but
 * a miss's latency hardly moves).
 */
export const CPU_SCALE_2020S = 0.64
export const COPY_SCALE_2020S = 0.8

function scaled(c: Costs): Costs {
  const out: Record<string, number> = {}
  for (const [k, v] of Object.entries(c)) out[k] = k === 'copyNsPerByte' ? v * COPY_SCALE_2020S : Math.round(v * CPU_SCALE_2020S)
  return out as unknown as Costs
}

export const COSTS_2020S: Costs = scaled(COSTS)

const PROFILES: Record<HardwareName, HardwareProfile> = {
  '2016-ixgbe-10g': {
    name: '2016-ixgbe-10g',
    description: "the seed's host: Xeon E5 v3/v4 ~2.4 GHz, Intel 82599 (ixgbe) 10GbE, adaptive ITR",
    lineRateBps: 10e9,
    costs: COSTS,
    moderation: (us) => new IxgbeItr(us * 1000),
  },
  '2020s-mlx5-100g': {
    name: '2020s-mlx5-100g',
    description: 'a 2020s server: ~3 GHz cores, ConnectX-5 (mlx5) 100GbE, per-queue IRQs, CQ moderation with net_dim adaptive-rx',
    lineRateBps: 100e9,
    costs: COSTS_2020S,
    moderation: (us) => new Mlx5Dim(us),
  },
}

export function hardwareProfile(name: HardwareName): HardwareProfile {
  return PROFILES[name]
}
