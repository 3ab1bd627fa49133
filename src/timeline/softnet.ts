// softnet_stat-style counter tracks per CPU (issue 12 item 4; /proc/net/softnet_stat: processed,
// dropped, time_squeeze per CPU). Derived from a run's stored slices, not from the engine:
// processed = packets carried by the NAPI-poll contexts on that CPU (softirq, ksoftirqd, IRQ thread,
// NAPI thread), as a rate per sample period; time_squeeze = the engine's per-CPU count for the
// whole run (`summary.timeSqueeze`), in the track's name. softnet_stat's `dropped` (backlog
// overflows in netif_rx) has no per-CPU source in the model (drops are counted per place), so it is
// left out. Slices past `trace.maxSlices` are not stored: their packets are not counted here.
import { SliceKind, type CounterTrack, type SimResult } from '../engine/types.ts'
import { sortedCopy } from './format.ts'

const RX_KINDS = new Set<number>([SliceKind.softirq, SliceKind.ksoftirqd, SliceKind.irqThread, SliceKind.napiThread])
export const SOFTNET_PREFIX = 'softnet CPU '

const cache = new WeakMap<SimResult, CounterTrack[]>()

/** One rate track (kpps) per CPU that processed packets, each sample covering [t, t + period). */
export function softnetCounters(r: Pick<SimResult, 'trace' | 'summary'>): CounterTrack[] {
  const hit = cache.get(r as SimResult)
  if (hit) return hit
  const { trace } = r
  const s = trace.slices
  const c0 = trace.counters[0]
  const period = c0 && c0.t.length > 1 ? c0.t[1]! - c0.t[0]! : Math.max(1, trace.durationNs / 1000)
  const n = Math.max(1, Math.ceil(trace.durationNs / period))
  const perCpu = new Map<number, Float64Array>()
  for (let i = 0; i < s.count; i++) {
    const p = s.packets[i]!
    if (p === 0 || !RX_KINDS.has(s.kind[i]!)) continue
    const cpu = s.cpu[i]!
    let a = perCpu.get(cpu)
    if (!a) perCpu.set(cpu, (a = new Float64Array(n)))
    // the packets are counted in the period where the poll ended (as the kernel bumps `processed` per packet)
    a[Math.min(n - 1, Math.floor(s.end[i]! / period))]! += p
  }
  const t = Float64Array.from({ length: n }, (_, i) => i * period)
  const toKpps = 1e9 / period / 1000
  const out: CounterTrack[] = sortedCopy([...perCpu.keys()], (a, b) => a - b).map((cpu) => ({
    name: `${SOFTNET_PREFIX}${cpu} processed (time_squeeze ${r.summary.timeSqueeze[cpu] ?? 0} in the run)`,
    unit: 'kpps',
    kind: 'rate',
    t,
    v: perCpu.get(cpu)!.map((x) => x * toKpps),
  }))
  cache.set(r as SimResult, out)
  return out
}
