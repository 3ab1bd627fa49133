// Behaviours the engine was not fitted on (../shared/calibration/real-kernels.md R1–R3, MODEL.md §9
// V5, V6, V8, V12), each checked as a shape: who wins, by how much, what stays flat. The engine sees
// only scenarios; the expected shapes live here.
import { parseScenario, runSimulation, SliceKind, type ScenarioInput, type SimResult } from '../src/engine/index.ts'
import { PRESETS, manyFlowsRr, memcachedScenario } from '../src/engine/presets.ts'

const preset = (name: string): ScenarioInput => PRESETS.find((p) => p.name === name)!.scenario
const run = (s: ScenarioInput): SimResult => runSimulation(parseScenario({ ...s, trace: { maxSlices: 0 } }))
/** delivered / (delivered + socket drops): what the application read of what reached its socket */
const share = (r: SimResult) => {
  const p = r.summary.packets
  const sock = p.dropped['host socket'] ?? p.dropped['guest socket'] ?? 0
  return p.delivered / Math.max(1, p.delivered + sock)
}
const pct = (x: number) => `${(x * 100).toFixed(0)}%`

export function validate(log: (s: string) => void = console.log): number {
  let held = 0
  let total = 0
  const check = (name: string, ok: boolean, detail: string) => {
    total++
    if (ok) held++
    log(`${ok ? 'holds ' : 'FAILS '} ${name}: ${detail}`)
  }
  const local = (era: string, receiverCpu: number, mode = 'softirq') => run({ ...preset('local-same-cpu'), durationMs: 300, warmupMs: 50, kernel: { era }, rx: { mode }, consumer: { kind: 'local', receiverCpu } } as ScenarioInput)

  // R1: v6.5+, softirq: receiver on the rx CPU reads < 20% of what reaches its socket, on another CPU > 80%
  const r1same = local('v6.6+', 0)
  const r1other = local('v6.6+', 1)
  check('R1 (v6.6+ (7.x) softirq: same-CPU receiver collapses, other-CPU does not)', share(r1same) < 0.2 && share(r1other) > 0.8, `share same CPU ${pct(share(r1same))} (< 20%), other CPU ${pct(share(r1other))} (> 80%)`)
  // R2: v4.9–v6.4 ("let ksoftirqd do its job"): same CPU, no collapse
  const r2 = local('v4.9-v6.4', 0)
  check('R2 (v4.9–v6.4 same-CPU receiver: ksoftirqd and the receiver split the CPU)', share(r2) >= 0.4 && share(r2) <= 0.9, `share ${pct(share(r2))} (40–90%)`)
  // R3: v6.5+, threaded NAPI on the rx CPU: ≥ 3× the softirq same-CPU case
  const r3 = local('v6.6+', 0, 'threaded-napi')
  check('R3 (v6.6+ (7.x) threaded NAPI, same CPU: ≥ 3× softirq)', r3.summary.packets.delivered >= 3 * r1same.summary.packets.delivered, `received ${r3.summary.packets.delivered} vs ${r1same.summary.packets.delivered} (×${(r3.summary.packets.delivered / Math.max(1, r1same.summary.packets.delivered)).toFixed(1)})`)

  // V5: NAPI mitigation: IRQs per packet fall towards 0 as the offered rate rises
  const irqsPerPkt = (kpps: number) => {
    const r = run({ ...preset('local-other-cpu'), durationMs: 100, warmupMs: 10, traffic: { flows: 1, payloadBytes: 64, perFlowKpps: kpps, senderMaxKpps: kpps } } as ScenarioInput)
    return r.summary.irqsPerQueue.reduce((a, b) => a + b, 0) / Math.max(1, r.summary.packets.offered)
  }
  const v5 = [20, 200, 2000].map(irqsPerPkt)
  check('V5 (IRQs per packet → 0 as load rises)', v5[0]! > v5[1]! && v5[1]! > v5[2]! && v5[2]! < 0.05, v5.map((x) => x.toFixed(3)).join(' → ') + ' IRQs/packet at 20 / 200 / 2000 kpps')

  // V6: with NAPI polling and quotas, delivered throughput stays flat past the loss-free rate (no livelock)
  const delivered = (kpps: number) => run({ ...preset('local-other-cpu'), durationMs: 100, warmupMs: 20, traffic: { flows: 1, payloadBytes: 64, perFlowKpps: kpps, senderMaxKpps: kpps } } as ScenarioInput).summary.deliveredKpps
  const v6 = [600, 1500, 4000].map(delivered)
  check('V6 (no receive livelock: delivered stays flat under overload)', v6[2]! >= 0.9 * v6[1]!, v6.map((x) => x.toFixed(0)).join(' → ') + ' kpps delivered at 600 / 1500 / 4000 kpps offered')

  // V8 (Wei Wang's threaded NAPI cover letter, a 5.x kernel: CFS era): at heavy softirq load the scheduler still puts the (unpinned) receiver on the softirq CPU;
  // with a napi kthread (load, not hidden time) it moves away
  const onRxCpu = (mode: string) => {
    const r = runSimulation(parseScenario({ ...preset('local-same-cpu'), durationMs: 300, warmupMs: 50, kernel: { era: 'v4.9-v6.4' }, host: { cpus: 2 }, rx: { mode }, traffic: { flows: 1, payloadBytes: 64, perFlowKpps: 700, senderMaxKpps: 700 }, consumer: { kind: 'local', receiverCpu: -1 } } as ScenarioInput))
    const sl = r.trace.slices
    const app = r.trace.actors.find((a) => a.name === 'udp_sink')!.id
    // the rx CPU: where most rx packets were processed (softirq, ksoftirqd or the napi kthread)
    const rxPkts = [0, 0]
    for (let i = 0; i < sl.count; i++) if (sl.kind[i] === SliceKind.softirq || sl.kind[i] === SliceKind.ksoftirqd || sl.kind[i] === SliceKind.napiThread) rxPkts[sl.cpu[i]!]! += sl.packets[i]!
    const rxCpu = rxPkts[1]! > rxPkts[0]! ? 1 : 0
    let on0 = 0
    let all = 0
    for (let i = 0; i < sl.count; i++) if (sl.actor[i] === app) { all += sl.end[i]! - sl.start[i]!; if (sl.cpu[i] === rxCpu) on0 += sl.end[i]! - sl.start[i]! }
    return on0 / Math.max(1, all)
  }
  const v8s = onRxCpu('softirq')
  const v8t = onRxCpu('threaded-napi')
  check('V8 (softirq time is invisible to placement; a napi kthread is load)', v8s > v8t, `receiver's run time on the CPU doing the rx work: softirq ${pct(v8s)}, threaded NAPI ${pct(v8t)}`)

  // V12: 1400 B cannot exceed 852.7 kpps on 10GbE
  const v12 = run({ ...preset('seed-2016'), durationMs: 200, warmupMs: 50, traffic: { flows: 25, payloadBytes: 1400, perFlowKpps: 2000, senderMaxKpps: 15000 } } as ScenarioInput)
  check('V12 (1400 B ≤ 852.7 kpps)', v12.summary.offeredKpps <= 853 && v12.summary.deliveredKpps <= 853, `offered ${v12.summary.offeredKpps.toFixed(0)}, delivered ${v12.summary.deliveredKpps.toFixed(0)} kpps`)

  // IRQ suspension (MODERN-KERNELS.md §4, cover letter v7): the table's shape. Latencies here are
  // the server's (request → response); the letter's are the client's, which add the same network
  // and client time to each row — so the rows are compared by their differences from fullbusy.
  const mc = (config: 'base' | 'fullbusy' | 'suspend20', load: number | 'max') => {
    const r = run(memcachedScenario(config, load))
    const cpus = r.summary.cpu.slice(0, 8)
    return { qps: r.summary.deliveredKpps, cpu: cpus.reduce((a, c) => a + 100 - c.idle, 0) / cpus.length, lat: r.summary.latency!.p50Ns / 1000 }
  }
  const [b, f, su] = (['base', 'fullbusy', 'suspend20'] as const).map((c) => mc(c, 200))
  const row = (n: string, x: { qps: number; cpu: number; lat: number }) => `${n} ${x.qps.toFixed(0)} kqps, CPU ${x.cpu.toFixed(0)}%, p50 ${x.lat.toFixed(1)} µs`
  check('IRQ suspension at 200k: fullbusy ≈ 100% CPU and lowest latency, base highest latency, suspend20 CPU within 10 points of base',
    f!.cpu > 97 && f!.lat < su!.lat && f!.lat < b!.lat && b!.lat > su!.lat && Math.abs(su!.cpu - b!.cpu) <= 10,
    [row('base', b!), row('fullbusy', f!), row('suspend20', su!)].join('; '))
  // published: base +66 µs over fullbusy, suspend20 +12 µs
  check('IRQ suspension at 200k: suspend20 − fullbusy is under a third of base − fullbusy (published +12 vs +66 µs)', su!.lat - f!.lat < (b!.lat - f!.lat) / 3, `+${(su!.lat - f!.lat).toFixed(1)} vs +${(b!.lat - f!.lat).toFixed(1)} µs`)
  const [bm, fm, sm] = (['base', 'fullbusy', 'suspend20'] as const).map((c) => mc(c, 'max'))
  check('IRQ suspension at max load: fullbusy and suspend20 within 5% of each other and ≥ 10% above base (published 1.25M, 1.22M vs 1.04M)',
    Math.abs(fm!.qps - sm!.qps) <= 0.05 * fm!.qps && Math.min(fm!.qps, sm!.qps) >= 1.1 * bm!.qps,
    `base ${bm!.qps.toFixed(0)}, fullbusy ${fm!.qps.toFixed(0)}, suspend20 ${sm!.qps.toFixed(0)} kqps`)

  // V7 (Wei Wang's cover letter): 1000 rr flows, unpinned: threaded peak within a few % (published −3%), p99.9 several times lower (3.69 → 0.55 ms)
  const v7s = run(manyFlowsRr('softirq')).summary
  const v7t = run(manyFlowsRr('threaded-napi')).summary
  const peak = v7t.deliveredKpps / v7s.deliveredKpps - 1
  const tail = v7s.latency!.p999Ns / v7t.latency!.p999Ns
  check('V7 (threaded NAPI, 1000 rr flows: peak within 5%, p99.9 ≥ 3× lower)', Math.abs(peak) <= 0.05 && tail >= 3,
    `peak ${(peak * 100).toFixed(1)}%, p99.9 ${(v7s.latency!.p999Ns / 1e3).toFixed(0)} → ${(v7t.latency!.p999Ns / 1e3).toFixed(0)} µs (×${tail.toFixed(1)} lower)`)
  log(`behaviours that hold: ${held}/${total}`)
  return held
}
