// The worker → page path of a streamed run, both sides in one process: every message crosses by
// transfer (structuredClone with its transfer list, as postMessage), and what the page ends up with
// must equal a fresh index of the same run — whether a message carried its slices or shared them.
import { describe, expect, it } from 'vitest'
import '../zodConfig.ts'
import { createSimulation, parseScenario, type SimResult } from '../engine/index.ts'
import { buildIndex, laneMaxEnd, type Lane, type TraceIndex } from '../timeline/model.ts'
import { receiveLanding, RunLandings, sliceDigest, type Kept, type Landed } from './landing.ts'
import { transferablesIn } from './transfer.ts'

// past its slice cap early (~3 ms of 30; the last slice of each CPU still grows a little after it, then
// nothing changes): later snapshots and the final result store no new slices
const scenario = () => parseScenario({ durationMs: 30, warmupMs: 2, trace: { maxSlices: 100 } })

/** postMessage: the page gets a structured clone, the worker's arrays are detached. `bytes`: of its slices and lanes. */
function post(l: Landed): { l: Landed; bytes: number } {
  const out = structuredClone(l, { transfer: transferablesIn(l) })
  const s = out.result.trace.slices
  let bytes = [s.start, s.end, s.cpu, s.kind, s.actor, s.packets, s.reason].reduce((a, c) => a + c.byteLength, 0)
  for (const lane of [...out.index.cpuLanes, ...out.index.actorLanes]) bytes += lane.idx.byteLength + lane.maxEnd.byteLength
  return { l: out, bytes }
}

const laneView = (l: Lane) => ({ key: l.key, label: l.label, kind: l.kind, id: l.id, idx: Array.from(l.idx), maxEnd: Array.from(l.idx, (_, i) => laneMaxEnd(l, i)), detailEnd: l.detailEnd, series: l.series })
const indexView = (ix: TraceIndex) => ({ cpu: ix.cpuLanes.map(laneView), actor: ix.actorLanes.map(laneView) })

/** Stream a run as the worker does (snapshots every `every` chunks, host lanes only), received as the runner does. */
function stream(every: number) {
  const sim = createSimulation(scenario())
  const twin = createSimulation(scenario()) // the same run, deterministic: the reference at each point
  const landings = new RunLandings()
  const kept: Kept = new Map()
  const got: { l: Landed; ref: SimResult; bytes: number }[] = []
  let chunks = 0
  for (;;) {
    const done = sim.advance(200)
    twin.advance(200)
    if (done) break
    if (++chunks % every) continue
    const r = sim.result()
    delete r.trace.guest
    const ref = twin.result()
    const { l, bytes } = post(landings.make(r, true, r.trace.durationNs, 0))
    receiveLanding(l, kept)
    landings.ack(l.seq) // the page's answer
    got.push({ l, ref, bytes })
  }
  const { l, bytes } = post(landings.make(sim.result(), false, 30e6, 0))
  receiveLanding(l, kept)
  got.push({ l, ref: twin.result(), bytes })
  return { got, kept }
}

describe('landing: a streamed run reaches the page whole', () => {
  it('digest: same columns, same digest; one changed byte anywhere, or the count, changes it', () => {
    const sim = createSimulation(scenario())
    while (!sim.advance(2000)) { /* run */ }
    const s = sim.result().trace.slices
    const d = sliceDigest(s)
    expect(sliceDigest({ ...s, start: s.start.slice() })).toBe(d)
    for (const k of ['start', 'end', 'cpu', 'kind', 'actor', 'packets', 'reason'] as const) {
      const a = s[k].slice()
      const bytes = new Uint8Array(a.buffer)
      bytes[bytes.length - 1]! ^= 1 // the last byte: past the whole words for the narrow columns
      expect(sliceDigest({ ...s, [k]: a })).not.toBe(d)
      bytes[bytes.length - 1]! ^= 1
      bytes[0]! ^= 0x80
      expect(sliceDigest({ ...s, [k]: a })).not.toBe(d)
    }
    expect(sliceDigest({ ...s, count: s.count - 1 })).not.toBe(d)
  })

  it('every snapshot and the final result equal a fresh index of the same run; past the cap the slices cross once', () => {
    const { got, kept } = stream(3)
    expect(got.length).toBeGreaterThan(5)
    const shared = got.filter((g) => g.l.sharesSlicesOf !== null)
    expect(shared.length).toBeGreaterThan(2)
    expect(got.at(-1)!.l.sharesSlicesOf).not.toBeNull() // the final result too
    for (const { l, ref } of got) {
      const s = l.result.trace.slices
      const want = ref.trace.slices
      expect(s.count).toBe(want.count)
      for (const k of ['start', 'end', 'cpu', 'kind', 'actor', 'packets', 'reason'] as const) expect(Array.from(s[k])).toEqual(Array.from(want[k]))
      expect(indexView(l.index)).toEqual(indexView(buildIndex(ref.trace)))
    }
    // a shared message carries the events and the summary, not the slices or the lanes
    for (const g of got) expect(g.bytes === 0).toBe(g.l.sharesSlicesOf !== null)
    expect(got.find((g) => g.l.sharesSlicesOf === null && g.l.result.trace.droppedSlices > 0)!.bytes).toBeGreaterThanOrEqual(28 * 100 + 2 * 4 * 100)
    // the page keeps the latest message's slices and lanes only
    expect(kept.size).toBe(1)
  })

  it('a message sharing slices the page does not hold is refused, not drawn empty', () => {
    const { got } = stream(3)
    const lean = got.find((g) => g.l.sharesSlicesOf !== null)!.l
    expect(() => receiveLanding({ ...lean, result: { ...lean.result, trace: { ...lean.result.trace, slices: { ...lean.result.trace.slices, start: new Float64Array(0) } } } }, new Map())).toThrow(/does not hold/)
  })

  it('a message is shared only once the page confirmed it: the final result right after an unanswered snapshot comes whole', () => {
    const sim = createSimulation(scenario())
    const landings = new RunLandings()
    const kept: Kept = new Map()
    let n = 0
    let last: Landed | null = null
    while (!sim.advance(200)) {
      if (++n % 3) continue
      const r = sim.result()
      delete r.trace.guest
      if (last) landings.ack(last.seq) // each answer comes back just before the next snapshot
      last = post(landings.make(r, true, r.trace.durationNs, 0)).l
      receiveLanding(last, kept)
    }
    expect(last!.sharesSlicesOf).not.toBeNull()
    // the last snapshot's answer has not come back when the run ends
    const { l } = post(landings.make(sim.result(), false, 30e6, 0))
    expect(l.sharesSlicesOf).toBeNull()
    receiveLanding(l, kept)
    expect(l.result.trace.slices.start.length).toBe(l.result.trace.slices.count)
  })

  it('without the page\'s answer nothing is shared (the worker cannot know the page holds it)', () => {
    const sim = createSimulation(scenario())
    const landings = new RunLandings()
    const kept: Kept = new Map()
    let n = 0
    while (!sim.advance(200)) {
      if (++n % 3) continue
      const r = sim.result()
      delete r.trace.guest
      const { l } = post(landings.make(r, true, r.trace.durationNs, 0))
      expect(l.sharesSlicesOf).toBeNull()
      receiveLanding(l, kept)
    }
  })

  it('packet paths cross as columns and read back as the engine wrote them, unpacked on first read', () => {
    const sim = createSimulation(parseScenario({ durationMs: 20, warmupMs: 2, traffic: { flows: 4 } }))
    while (!sim.advance(5000)) { /* run */ }
    const r = sim.result()
    const want = JSON.stringify(r.trace.paths)
    expect(r.trace.paths!.packets.length).toBeGreaterThan(10)
    expect(r.trace.paths!.packets.some((p) => p.hops.some((h) => h.guest)) && r.trace.paths!.packets.some((p) => p.hops.length === 0 || p.fate !== 'read')).toBe(true)
    const made = new RunLandings().make(r, false, r.trace.durationNs, 0)
    expect(made.result.trace.paths).toBeUndefined()
    const { l } = post(made)
    receiveLanding(l, new Map())
    // not built yet: an accessor until the first read
    expect(typeof Object.getOwnPropertyDescriptor(l.result.trace, 'paths')?.get).toBe('function')
    const got = l.result.trace.paths
    expect(JSON.stringify(got)).toBe(want)
    // then an ordinary property: the same object on every read
    expect(Object.getOwnPropertyDescriptor(l.result.trace, 'paths')?.value).toBe(got)
    expect(l.result.trace.paths).toBe(got)
  })
})
