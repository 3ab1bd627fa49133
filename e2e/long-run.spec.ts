// Issue 9: a run longer than the trace limit is drawn without idle gaps. The stored slices stop at
// trace.maxSlices; past that each lane is drawn from the engine's whole-run busy summary (hatched),
// so every CPU lane's busy % equals the metrics. A small maxSlices makes the long run cheap.
import { expect, test, type Page } from '@playwright/test'
import { parseScenario } from '../src/engine/scenario.ts'
import { PRESETS } from '../src/engine/presets.ts'
import { encodeHash } from '../src/state/urlCodec.ts'
import { waitDone } from './helpers.ts'

const seed = PRESETS.find((p) => p.name === 'seed-2016')!.scenario

async function laneBusy(page: Page): Promise<Record<string, number>> {
  return JSON.parse((await page.getByTestId('timeline-current').getAttribute('data-lane-busy')) ?? '{}') as Record<string, number>
}

/** "CPU n" busy % from the metrics (100 − idle, as mpstat). */
async function metricsBusy(page: Page, cpus: number): Promise<number[]> {
  const out: number[] = []
  for (let c = 0; c < cpus; c++) {
    const label = await page.getByRole('img', { name: new RegExp(`^CPU ${c}: `) }).first().getAttribute('aria-label')
    const idle = /idle ([\d.]+)/.exec(label ?? '')
    out.push(100 - Number(idle?.[1] ?? NaN))
  }
  return out
}

test('a run past trace.maxSlices: lanes summarised (hatched, legend), busy % of every lane = metrics within 1 point', async ({ page }) => {
  const scenario = parseScenario({ ...seed, durationMs: 600, warmupMs: 100, traffic: { ...seed.traffic, flows: 200 }, trace: { maxSlices: 30_000 } })
  await page.goto(`/${encodeHash(scenario)}`)
  await waitDone(page)
  const tl = page.getByTestId('timeline-current')
  await expect(page.getByText(/slices past the trace limit were counted but not stored/)).toBeVisible()
  await expect(page.getByRole('list', { name: 'Legend' }).getByText('summarised (past the trace limit)')).toBeVisible()
  await expect.poll(async () => Number(await tl.getAttribute('data-summarised-lanes'))).toBeGreaterThan(0)
  const lanes = await laneBusy(page)
  const metrics = await metricsBusy(page, scenario.host.cpus)
  for (let c = 0; c < scenario.host.cpus; c++) {
    expect(lanes[`cpu${c}`], `CPU ${c} lane`).toBeDefined()
    expect(Math.abs(lanes[`cpu${c}`]! - metrics[c]!), `CPU ${c}: lane ${lanes[`cpu${c}`]} % vs metrics ${metrics[c]} %`).toBeLessThanOrEqual(1)
  }
  // the busiest CPU is busy in the last tenth of the run too (no idle tail after the last stored slice)
  const busiest = metrics.indexOf(Math.max(...metrics))
  // zoom in (W, about the centre), then click the overview's right end: the window moves to the end
  const vis = page.getByTestId('visible-window')
  const end = Number(await vis.getAttribute('data-end-ns'))
  await page.locator('body').press('KeyW')
  for (let i = 0; i < 3; i++) await page.keyboard.press('KeyW')
  await expect.poll(async () => Number(await vis.getAttribute('data-end-ns')) - Number(await vis.getAttribute('data-start-ns'))).toBeLessThan(end * 0.5)
  const ov = page.getByRole('img', { name: /^Overview: busy CPUs/ })
  const box = (await ov.boundingBox())!
  await ov.click({ position: { x: box.width - 3, y: box.height / 2 } })
  await expect.poll(async () => Number(await vis.getAttribute('data-end-ns'))).toBe(end)
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))))
  const tail = await laneBusy(page)
  expect(tail[`cpu${busiest}`]).toBeGreaterThan(metrics[busiest]! / 2)
})
