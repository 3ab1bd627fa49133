// Not a test: measures the full published grid (4 payloads × 5 flow counts × 3 modes, 1 s simulated
// per cell) in the browser, and how responsive the page stays meanwhile (longest main-thread gap
// between animation frames). Run: npx playwright test --config e2e/bench/experiment-bench.config.ts
import { expect, test } from '@playwright/test'

// The default pool (one worker per core, at most 4), then 2 workers per core for comparison.
for (const query of ['', '?experimentWorkers=4']) test(`experiment: full grid at 1 s per cell ${query}`, async ({ page }) => {
  test.setTimeout(300_000)
  await page.goto(`/${query}#view=experiment`)
  const cores = await page.evaluate(() => navigator.hardwareConcurrency)
  await page.evaluate(() => {
    const w = window as unknown as { xbenchGaps: number[]; xbenchAt: number[]; xbenchStop: boolean }
    w.xbenchGaps = []
    w.xbenchAt = []
    w.xbenchStop = false
    let last = performance.now()
    const tick = (t: number) => {
      w.xbenchGaps.push(t - last)
      w.xbenchAt.push(t)
      last = t
      if (!w.xbenchStop) requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })
  const t0 = Date.now()
  await page.getByRole('button', { name: 'Run 60 cells' }).click()
  const clickAt = await page.evaluate(() => performance.now())
  const progress = page.getByTestId('experiment-progress')
  await expect(progress).toHaveAttribute('data-status', 'done', { timeout: 280_000 })
  const wallMs = Date.now() - t0
  const inApp = Number(await progress.getAttribute('data-elapsed-ms'))
  const gaps = await page.evaluate((t0Click) => {
    const w = window as unknown as { xbenchGaps: number[]; xbenchAt: number[]; xbenchStop: boolean }
    w.xbenchStop = true
    const worst = w.xbenchGaps.map((g, i) => ({ g, at: (w.xbenchAt[i] ?? 0) - t0Click })).filter((x) => x.g > 50)
      .map((x) => `${x.g.toFixed(0)} ms at ${(x.at / 1000).toFixed(1)} s`)
    const g = [...w.xbenchGaps].slice(1)
    // oxlint-disable-next-line unicorn/no-array-sort -- a copy
    g.sort((a, b) => a - b)
    return { frames: g.length, p50: g[Math.floor(g.length / 2)] ?? 0, p99: g[Math.floor(g.length * 0.99)] ?? 0, max: g.at(-1) ?? 0, worst }
  }, clickAt)
  const workers = await page.getByRole('status').filter({ hasText: 'cells' }).textContent()
  const line = `experiment bench: 60 cells × 1000 ms on ${cores} cores (${workers?.match(/\d+ workers?/)?.[0]}): ${(inApp / 1000).toFixed(1)} s in the app (${(wallMs / 1000).toFixed(1)} s click→done); frame gaps p50 ${gaps.p50.toFixed(0)} ms, p99 ${gaps.p99.toFixed(0)} ms, max ${gaps.max.toFixed(0)} ms over ${gaps.frames} frames; gaps > 50 ms: ${gaps.worst.join(', ') || 'none'}`
  console.log(line)
  test.info().annotations.push({ type: 'bench', description: line })
  expect(inApp).toBeGreaterThan(0)
})
