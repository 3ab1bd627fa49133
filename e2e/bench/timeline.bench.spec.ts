// UI benchmark (headless chromium on this machine; not part of the normal e2e run).
//
//   npx playwright test --config e2e/bench/playwright.bench.config.ts
//
// 1. Timeline frame time: loads `/?synthetic=1000000` (1,000,000 synthetic slices on 16 CPUs over
//    100 ms, see src/timeline/synthetic.ts), then drives a scripted pan/zoom through the store, one
//    view change per animation frame (zoom in ×40, pan ×60, zoom out ×40, pan at full view ×40).
//    Each step is applied from a task between frames, like an input event. Reports p50/p95/max of the frame interval (rAF to rAF, i.e. what the user sees; 16.7 ms = every
//    vsync) and of the renderer's own draw time. Target: p95 frame ≤ 33 ms.
// 2. Release-slider → redrawn timeline for the default scenario: presses ArrowRight/ArrowLeft on the
//    "Payload size" slider (a keyboard change commits like a released drag) and measures from the
//    keydown to the canvas draw of the new result (worker run + transfer + React + draw). Target ≤ 300 ms.
//
// 3. The same kind of pan/zoom (keyboard W/A/S/D from Playwright) on a real engine trace of ~0.9M
//    slices (seed-2016 load, threaded IRQs, 200 flows, 1 s) with thread lanes on (~2× the lanes).
//
// 4. Issue 9 at the seed's scale: seed-2016 with 200 flows, 1000 ms: release slider (Payload size,
//    keyboard) → redrawn timeline of the new result, and the main thread's Long Tasks (≥ 50 ms,
//    PerformanceObserver 'longtask') from the keydown to that draw, i.e. while the result lands.
// 5. A 10 s run of seed-2016 at 200 flows: snapshots stream in (the timeline fills as it runs); the
//    page's memory = RSS of the renderer process (page + its workers) sampled every 250 ms from
//    /proc, plus Long Tasks over the whole run.
//
//    Each landing also reports "landing→drawn": from the runner's 'irqlab:land' mark (the worker's message arrived) to the
//    canvas draw, i.e. the page's own share of release→redraw.
// Prints one line `UI-BENCH {json}`; with UI_BENCH_OUT=<file> also writes the JSON there.
import { expect, test } from '@playwright/test'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { PRESETS } from '../../src/engine/presets.ts'
import { parseScenario } from '../../src/engine/scenario.ts'
import { encodeHash } from '../../src/state/urlCodec.ts'

const pct = (xs: number[], p: number) => {
  // oxlint-disable-next-line unicorn/no-array-sort -- a fresh typed copy
  const s = Float64Array.from(xs).sort()
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN
}
const summary = (xs: number[]) => ({ n: xs.length, p50: +pct(xs, 50).toFixed(1), p95: +pct(xs, 95).toFixed(1), max: +Math.max(...xs).toFixed(1) })

const results: Record<string, unknown> = {}
/** ms from the last landing (the runner's 'irqlab:land' mark: the worker's message arrived) to the canvas draw of it */
const landToDraw = () => {
  const marks = performance.getEntriesByName('irqlab:land')
  const at = Number(document.querySelector<HTMLElement>('[data-testid="timeline-current"]')?.dataset.drawnAt ?? NaN)
  return marks.length ? at - marks[marks.length - 1]!.startTime : NaN
}
/**
 * Where one landing's time went (ms), from the runner's user timing (`irqlab:*` measures, runner.ts
 * `measureLanding`): keydown → the worker starts the run ('start'), the engine ('sim'), the timeline
 * indexes and the explanation built in the worker, the message to the page ('post'), the page's landing
 * up to the store update ('commit') and from there to the canvas draw ('draw'). Clears the measures.
 */
const takePhases = (t0: number) => {
  const m = performance.getEntriesByType('measure').filter((e) => e.name.startsWith('irqlab:'))
  performance.clearMeasures()
  const out: Record<string, number> = {}
  const last = (n: string) => m.filter((e) => e.name === `irqlab:${n}`).at(-1)
  for (const n of ['sim', 'index', 'guest-index', 'explain', 'post', 'commit']) out[n] = last(n)?.duration ?? 0
  const sim = last('sim')
  out.start = sim ? sim.startTime - t0 : NaN
  const commit = last('commit')
  const at = Number(document.querySelector<HTMLElement>('[data-testid="timeline-current"]')?.dataset.drawnAt ?? NaN)
  out.draw = commit ? at - (commit.startTime + commit.duration) : NaN
  return out
}
/** per phase: the median over the landings */
const phaseMedians = (xs: Record<string, number>[]) =>
  Object.fromEntries(Object.keys(xs[0] ?? {}).map((k) => [k, +pct(xs.map((x) => x[k]!), 50).toFixed(1)]))
const SEED = PRESETS.find((p) => p.name === 'seed-2016')!.scenario

test('1M-slice timeline: frame time over scripted pan/zoom', async ({ page }) => {
  await page.goto('/?synthetic=1000000')
  const tl = page.getByTestId('timeline-current')
  await expect(tl).toHaveAttribute('data-drawn', 'true', { timeout: 60_000 })
  const r = await page.evaluate(async () => {
    type Store = { getState: () => { setView: (v: { startNs: number; endNs: number } | null) => void } }
    const store = (window as unknown as { irqlabStore: Store }).irqlabStore
    const frames = (window as unknown as { irqlabFrames: number[] }).irqlabFrames
    const ext = 100e6
    let t0 = 0
    let t1 = ext
    const steps: (() => void)[] = []
    for (let i = 0; i < 40; i++) steps.push(() => { const c = (t0 + t1) / 2; const h = ((t1 - t0) / 2) * 0.85; t0 = c - h; t1 = c + h })
    for (let i = 0; i < 60; i++) steps.push(() => { const d = (t1 - t0) * 0.05 * (i < 30 ? 1 : -1); t0 += d; t1 += d })
    for (let i = 0; i < 40; i++) steps.push(() => { const c = (t0 + t1) / 2; const h = Math.min(((t1 - t0) / 2) / 0.85, ext / 2); t0 = Math.max(0, c - h); t1 = Math.min(ext, t0 + 2 * h) })
    for (let i = 0; i < 40; i++) steps.push(() => { t0 = 0; t1 = ext * (0.9 + 0.1 * Math.cos(i)) })
    const drawStart = frames.length
    const intervals: number[] = []
    await new Promise<void>((done) => {
      let i = 0
      let last = 0
      const tick = (ts: number) => {
        if (last) intervals.push(ts - last)
        last = ts
        if (i >= steps.length + 2) { done(); return }
        // apply the step from a task after the frame, as a real input event would arrive
        if (i < steps.length) { const step = steps[i]!; setTimeout(() => { step(); store.getState().setView({ startNs: t0, endNs: t1 }) }, 0) }
        i++
        requestAnimationFrame(tick)
      }
      requestAnimationFrame(tick)
    })
    return { intervals, draws: frames.slice(drawStart) }
  })
  results.slices = 1_000_000
  results.frameIntervalMs = summary(r.intervals)
  results.drawMs = summary(r.draws)
  console.log('frame interval', results.frameIntervalMs, 'draw', results.drawMs)
  results.framesDrawn = r.draws.length
  results.steps = r.intervals.length
  expect(r.draws.length).toBeGreaterThan(150)
})

test('release slider → redrawn timeline, default scenario', async ({ page }) => {
  await page.goto('/')
  const status = page.getByTestId('run-status')
  await expect(status).toHaveAttribute('data-done', 'true', { timeout: 60_000 })
  const tl = page.getByTestId('timeline-current')
  await expect(tl).toHaveAttribute('data-drawn', 'true')
  const slider = page.getByRole('slider', { name: 'Payload size' })
  await slider.focus()
  const lat: number[] = []
  const sim: number[] = []
  const land: number[] = []
  const phases: Record<string, number>[] = []
  for (let k = 0; k < 6; k++) {
    const before = Number(await tl.getAttribute('data-drawn-at'))
    const t0 = await page.evaluate(() => { performance.clearMeasures(); return performance.now() })
    await page.keyboard.press(k % 2 ? 'ArrowLeft' : 'ArrowRight')
    await expect.poll(async () => Number(await tl.getAttribute('data-drawn-at')), { timeout: 30_000 }).toBeGreaterThan(before)
    await expect(status).toHaveAttribute('data-done', 'true')
    const drawnAt = Number(await tl.getAttribute('data-drawn-at'))
    lat.push(drawnAt - t0)
    sim.push(Number((await status.textContent())?.match(/(\d+) ms/)?.[1] ?? NaN))
    land.push(await page.evaluate(landToDraw))
    phases.push(await page.evaluate(takePhases, t0))
  }
  results.releaseToRedrawMs = summary(lat)
  results.workerRunMs = summary(sim)
  results.landToDrawMs = summary(land)
  results.releasePhasesMs = phaseMedians(phases)
  results.releaseEachMs = lat.map(Math.round)
  results.releaseSimEachMs = phases.map((p) => Math.round(p.sim!))
  if (process.env.UI_BENCH_PHASES) console.log(phases.map((p) => JSON.stringify(Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Math.round(v)])))).join('\n'))
  console.log('release→redraw', results.releaseToRedrawMs, 'worker run', results.workerRunMs, 'landing→drawn (page)', results.landToDrawMs, 'phases (median)', results.releasePhasesMs)
})

test('real engine trace (~0.9M slices) with thread lanes: keyboard pan/zoom', async ({ page }) => {
  // seed-2016 load, threaded IRQs, 200 flows, 1 s simulated: about 900k slices from the engine
  const hash = encodeHash(parseScenario({ durationMs: 1000, traffic: { flows: 200 }, rx: { mode: 'threaded-irq', schedNormal: true, noAffinity: true } }))
  await page.goto(`/${hash}`)
  const status = page.getByTestId('run-status')
  await expect(status).toHaveAttribute('data-done', 'true', { timeout: 120_000 })
  await page.getByRole('checkbox', { name: 'Thread lanes' }).check()
  const label = await page.getByRole('img', { name: /Timeline current/ }).getAttribute('aria-label')
  results.realSlices = Number(label?.match(/([\d,]+) slices/)?.[1]?.replace(/,/g, '') ?? NaN)
  await page.locator('body').focus()
  await page.evaluate(() => {
    const w = window as unknown as { irqlabIntervals: number[]; irqlabFrames: number[]; irqlabStop: boolean }
    w.irqlabFrames.length = 0
    w.irqlabIntervals = []
    w.irqlabStop = false
    let last = 0
    const tick = (ts: number) => { if (last) w.irqlabIntervals.push(ts - last); last = ts; if (!w.irqlabStop) requestAnimationFrame(tick) }
    requestAnimationFrame(tick)
  })
  // one key per frame, like a held key's auto-repeat
  const press = async (k: string) => {
    await page.keyboard.press(k)
    await page.evaluate(() => new Promise<void>((res) => requestAnimationFrame(() => res())))
  }
  for (let i = 0; i < 20; i++) await press('KeyW')
  for (let i = 0; i < 30; i++) await press(i < 15 ? 'KeyD' : 'KeyA')
  for (let i = 0; i < 20; i++) await press('KeyS')
  const r = await page.evaluate(() => {
    const w = window as unknown as { irqlabIntervals: number[]; irqlabFrames: number[]; irqlabStop: boolean }
    w.irqlabStop = true
    return { intervals: w.irqlabIntervals, draws: w.irqlabFrames.slice() }
  })
  results.realFrameIntervalMs = summary(r.intervals)
  results.realDrawMs = summary(r.draws)
  console.log('real trace', results.realSlices, 'frame', results.realFrameIntervalMs, 'draw', results.realDrawMs)
})

/** Long Tasks of the main thread from now on, in window.irqlabLong (ms each). */
const watchLongTasks = () => {
  const w = window as unknown as { irqlabLong: number[]; irqlabLongAt: number[] }
  w.irqlabLong = []
  w.irqlabLongAt = []
  new PerformanceObserver((l) => { for (const e of l.getEntries()) { w.irqlabLong.push(e.duration); w.irqlabLongAt.push(e.startTime) } }).observe({ type: 'longtask' })
}
/** Long Tasks that started after the first landing (the page's own start-up left out), ms each. */
const longTasksAfterFirstLanding = () => {
  const w = window as unknown as { irqlabLong: number[]; irqlabLongAt: number[] }
  const first = performance.getEntriesByName('irqlab:land')[0]?.startTime ?? Infinity
  return w.irqlabLong.filter((_, i) => w.irqlabLongAt[i]! >= first - 1)
}
const takeLongTasks = () => { const w = window as unknown as { irqlabLong: number[] }; const r = w.irqlabLong.slice(); w.irqlabLong.length = 0; return r }

/** RSS (MB) of the chromium renderer processes started by this test process (page + workers). */
function rendererRssMb(): number {
  const parent = new Map<number, number>()
  const cmd = new Map<number, string>()
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8')
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
      cmd.set(Number(d), readFileSync(`/proc/${d}/cmdline`, 'utf8'))
    } catch { /* gone */ }
  }
  const mine = (pid: number) => { for (let p = pid, n = 0; p > 1 && n < 20; p = parent.get(p) ?? 0, n++) if (p === process.pid) return true; return false }
  let rss = 0
  for (const [pid, c] of cmd) {
    if (!c.includes('--type=renderer') || !mine(pid)) continue
    try { rss = Math.max(rss, Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024) } catch { /* gone */ }
  }
  return rss
}

test('seed-2016, 200 flows, 1000 ms: release slider → redrawn timeline; long tasks while the result lands', async ({ page }) => {
  const hash = encodeHash(parseScenario({ ...SEED, traffic: { ...SEED.traffic, flows: 200 } }))
  await page.goto(`/${hash}`)
  const status = page.getByTestId('run-status')
  await expect(status).toHaveAttribute('data-done', 'true', { timeout: 120_000 })
  const tl = page.getByTestId('timeline-current')
  await page.evaluate(watchLongTasks)
  const slider = page.getByRole('slider', { name: 'Payload size' })
  await slider.focus()
  const lat: number[] = []
  const sim: number[] = []
  const longs: number[] = []
  const land: number[] = []
  const phases: Record<string, number>[] = []
  for (let k = 0; k < 6; k++) {
    const before = Number(await tl.getAttribute('data-drawn-at'))
    await page.evaluate(takeLongTasks)
    const t0 = await page.evaluate(() => { performance.clearMeasures(); return performance.now() })
    await page.keyboard.press(k % 2 ? 'ArrowLeft' : 'ArrowRight')
    await expect(status).toHaveAttribute('data-done', 'false')
    await expect(status).toHaveAttribute('data-done', 'true', { timeout: 120_000 })
    await expect.poll(async () => Number(await tl.getAttribute('data-drawn-at')), { timeout: 30_000 }).toBeGreaterThan(before)
    await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))))
    lat.push(Number(await tl.getAttribute('data-drawn-at')) - t0)
    sim.push(Number((await status.textContent())?.match(/(\d+) ms/)?.[1] ?? NaN))
    land.push(await page.evaluate(landToDraw))
    phases.push(await page.evaluate(takePhases, t0))
    longs.push(...(await page.evaluate(takeLongTasks)))
  }
  results.seed200PhasesMs = phaseMedians(phases)
  results.seed200LandToDrawMs = summary(land)
  results.seed200ReleaseToRedrawMs = summary(lat)
  results.seed200WorkerRunMs = summary(sim)
  results.seed200LongTasksMs = { n: longs.length, max: longs.length ? +Math.max(...longs).toFixed(1) : 0, all: longs.map(Math.round) }
  console.log('seed-2016 200 flows: release→redraw', results.seed200ReleaseToRedrawMs, 'worker run', results.seed200WorkerRunMs, 'long tasks', results.seed200LongTasksMs, 'landing→drawn (page)', results.seed200LandToDrawMs, 'phases (median)', results.seed200PhasesMs)
})

test('seed-2016, 200 flows, 10 s: snapshots stream in; page memory; long tasks', async ({ page }) => {
  const hash = encodeHash(parseScenario({ ...SEED, durationMs: 10_000, traffic: { ...SEED.traffic, flows: 200 } }))
  await page.addInitScript(watchLongTasks)
  let peak = rendererRssMb()
  const timer = setInterval(() => { peak = Math.max(peak, rendererRssMb()) }, 250)
  const t0 = Date.now()
  await page.goto(`/${hash}`)
  const status = page.getByTestId('run-status')
  // a snapshot is on screen while the run proceeds: the ETA line says how far it reaches
  await expect(page.getByTestId('run-eta')).toContainText(/showing the first/, { timeout: 60_000 })
  const firstSnapshotS = (Date.now() - t0) / 1000
  await expect(status).toHaveAttribute('data-done', 'true', { timeout: 300_000 })
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))))
  clearInterval(timer)
  peak = Math.max(peak, rendererRssMb())
  const landingLongs = await page.evaluate(longTasksAfterFirstLanding)
  const longs = await page.evaluate(takeLongTasks)
  const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0)
  results.tenSecond = {
    wallS: +((Date.now() - t0) / 1000).toFixed(1), firstSnapshotS: +firstSnapshotS.toFixed(1),
    rendererRssPeakMb: Math.round(peak), mainHeapMb: Math.round(heap / 2 ** 20),
    longTasks: { n: longs.length, max: longs.length ? +Math.max(...longs).toFixed(1) : 0 },
    // from the first snapshot's arrival on: while results land (page start-up excluded)
    longTasksLanding: { n: landingLongs.length, max: landingLongs.length ? +Math.max(...landingLongs).toFixed(1) : 0, all: landingLongs.map(Math.round) },
  }
  console.log('10 s run', results.tenSecond)
})

test.afterAll(() => {
  const line = JSON.stringify(results)
  console.log(`UI-BENCH ${line}`)
  if (process.env.UI_BENCH_OUT) writeFileSync(process.env.UI_BENCH_OUT, line + '\n')
})
