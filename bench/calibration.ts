// Compares simulated kpps with the published seed table by the criteria:
// each row within ±10% in both modes; the threaded-vs-softirq difference has the published sign
// wherever it is ≥ 5%; per payload, the mean difference over multi-flow rows within ±6 pp.
export interface PublishedRow {
  payloadBytes: number
  flows: number
  softirq: number
  threaded: number
}

export function parseCalibrationCsv(text: string): PublishedRow[] {
  const lines = text.trim().split(/\r?\n/)
  const head = lines.shift()?.split(',') ?? []
  const col = (n: string) => {
    const i = head.indexOf(n)
    if (i < 0) throw new Error(`calibration csv: no column ${n}`)
    return i
  }
  const [p, f, s, t] = [col('payload_bytes'), col('flows'), col('softirq_kpps'), col('threaded_irq_kpps')]
  return lines.map((l) => {
    const c = l.split(',').map(Number)
    return { payloadBytes: c[p]!, flows: c[f]!, softirq: c[s]!, threaded: c[t]! }
  })
}

export interface CalibrationReport {
  rows: Array<{ payloadBytes: number; flows: number; simSoftirq: number; pubSoftirq: number; errSoftirq: number; simThreaded: number; pubThreaded: number; errThreaded: number; simDiff: number; pubDiff: number; signOk: boolean }>
  meanDiffs: Array<{ payloadBytes: number; sim: number; pub: number }>
  within10: number
  total: number
  worst: number
  signMismatches: number
}

const pct = (a: number, b: number) => ((a - b) / b) * 100
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)

export function compareCalibration(pub: PublishedRow[], sim: (payload: number, flows: number, mode: 'softirq' | 'threaded-irq') => number): CalibrationReport {
  const rows = pub.map((r) => {
    const simSoftirq = sim(r.payloadBytes, r.flows, 'softirq')
    const simThreaded = sim(r.payloadBytes, r.flows, 'threaded-irq')
    const pubDiff = pct(r.threaded, r.softirq)
    const simDiff = pct(simThreaded, simSoftirq)
    return {
      payloadBytes: r.payloadBytes, flows: r.flows, simSoftirq, pubSoftirq: r.softirq, errSoftirq: pct(simSoftirq, r.softirq),
      simThreaded, pubThreaded: r.threaded, errThreaded: pct(simThreaded, r.threaded), simDiff, pubDiff,
      signOk: Math.abs(pubDiff) < 5 || Math.sign(simDiff) === Math.sign(pubDiff),
    }
  })
  const payloads = [...new Set(pub.map((r) => r.payloadBytes))]
  const meanDiffs = payloads.map((p) => {
    const multi = rows.filter((r) => r.payloadBytes === p && r.flows > 1)
    return { payloadBytes: p, sim: mean(multi.map((r) => r.simDiff)), pub: mean(multi.map((r) => r.pubDiff)) }
  })
  const errs = rows.flatMap((r) => [r.errSoftirq, r.errThreaded])
  return {
    rows, meanDiffs,
    within10: errs.filter((e) => Math.abs(e) <= 10).length,
    total: errs.length,
    worst: errs.reduce((a, e) => (Math.abs(e) > Math.abs(a) ? e : a), 0),
    signMismatches: rows.filter((r) => !r.signOk).length,
  }
}
