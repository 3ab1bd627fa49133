// One engine run as it ships (bundled by bench/run.ts with esbuild, as Vite bundles the worker) in a
// process of its own, so its wall time and peak RSS are the engine's, not the bench's or tsx's.
// Prints one JSON line: the seed cell (64 B, 200 flows, softirq, with its trace; argv[2] ms simulated,
// default 1000) and the bare event loop through the same number of events, in this process.
import { EventLoop } from '../src/engine/core/eventLoop.ts'
import { mulberry32 } from '../src/engine/core/rng.ts'
import { parseScenario, runSimulation } from '../src/engine/index.ts'
import { seedCellScenario } from '../src/engine/presets.ts'

const rssBefore = process.memoryUsage().rss
const r = runSimulation(parseScenario(seedCellScenario({ payloadBytes: 64, flows: 200, mode: 'softirq' }, Number(process.argv[2] ?? 1000))))
const events = r.summary.eventsProcessed

// the engine's own event loop with a handler that only reschedules (a bare heap loop)
const maxRssMB = process.resourceUsage().maxRSS / 1e3
const loop = new EventLoop()
const rng = mulberry32(7)
let left = events
const ev = loop.on((_a, _b, now) => { if (--left > 0) loop.at(now + 1 + Math.floor(rng.next() * 2000), ev) })
for (let i = 0; i < 64; i++) loop.at(Math.floor(rng.next() * 2000), ev)
const t0 = performance.now()
while (!loop.run(1_000_000)) { /* run */ }
const bareEventsPerSec = loop.processed / ((performance.now() - t0) / 1000)

console.log(JSON.stringify({
  wallMs: r.perf.wallMs, events, eventsPerSec: r.perf.eventsPerSec, slices: r.trace.slices.count, bareEventsPerSec,
  rssBeforeMB: rssBefore / 1e6, maxRssMB, droppedSlices: r.trace.droppedSlices,
}))
