// Issue 9 part 3: a long run streams snapshots (the timeline fills as it runs, on the whole run's
// time axis, with percent done and time left) and Cancel stops it; the snapshot on screen stays.
import { expect, test } from '@playwright/test'
import { parseScenario } from '../src/engine/scenario.ts'
import { PRESETS } from '../src/engine/presets.ts'
import { encodeHash } from '../src/state/urlCodec.ts'

const seed = PRESETS.find((p) => p.name === 'seed-2016')!.scenario

test('a long run shows a snapshot with progress; Cancel stops it and the snapshot stays', async ({ page }) => {
  // ~10 s of work here: the first snapshot comes after ~0.6 s, long before the end
  const scenario = parseScenario({ ...seed, durationMs: 5000, traffic: { ...seed.traffic, flows: 200 } })
  await page.goto(`/${encodeHash(scenario)}`)
  const status = page.getByTestId('run-status')
  const eta = page.getByTestId('run-eta')
  await expect(eta).toContainText(/showing the first [\d.]+ (ms|s)/, { timeout: 30_000 })
  await expect(eta).toContainText(/^\d+ %/)
  await expect(status).toHaveAttribute('data-status', 'running')
  await expect(status).toHaveAttribute('data-done', 'false')
  // the snapshot is drawn on the whole run's axis; some CPU is busy in it
  const tl = page.getByTestId('timeline-current')
  await expect(tl).toHaveAttribute('data-drawn', 'true')
  await expect(page.getByTestId('visible-window')).toHaveAttribute('data-end-ns', String(5000e6))
  const busy = JSON.parse((await tl.getAttribute('data-lane-busy')) ?? '{}') as Record<string, number>
  expect(Math.max(...Object.values(busy))).toBeGreaterThan(0)
  const shown = await eta.textContent()

  await status.getByRole('button', { name: 'Cancel' }).click()
  await expect(page.getByTestId('run-cancelled')).toHaveText(/^cancelled at \d+ %$/)
  await expect(status).toHaveAttribute('data-status', 'idle')
  const drawnAt = await tl.getAttribute('data-drawn-at')
  // stopped: nothing lands any more (uncancelled, the run would go on for seconds and land again)
  await page.waitForTimeout(2500)
  await expect(status).toHaveAttribute('data-status', 'idle')
  await expect(page.getByTestId('run-cancelled')).toBeVisible()
  await expect(tl).toHaveAttribute('data-drawn-at', drawnAt!)
  // the partial result stays on screen, still marked as not simulated past its reach
  await expect(tl).toHaveAttribute('data-drawn', 'true')
  expect(JSON.parse((await tl.getAttribute('data-lane-busy')) ?? '{}')).toEqual(busy)
  expect(shown).toMatch(/showing the first/)
})
