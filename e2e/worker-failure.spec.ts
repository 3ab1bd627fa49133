// Worker failures are reported with a message and a one-click retry; the last good result stays;
// a dead experiment pool worker does not leave the grid stuck. The worker script is swapped with
// page.route: a wrapper that loads the real worker and throws (uncaught, like a crash) on a marked
// run, or an aborted request (a script that cannot load: offline, redeploy).
import { expect, test, type Page } from '@playwright/test'
import { waitDone } from './helpers.ts'

const WORKER = /\/assets\/sim\.worker-[^/?]*\.js$/

/**
 * Serve a wrapper instead of the worker: it crashes when a run's input contains `marker`. The
 * wrapper first imports a patch that wraps every 'message' listener the real worker adds (Comlink's):
 * on a marked call the wrapped listener throws, uncaught, instead of running it. To the page, the
 * worker died during the call. Static imports: no message can arrive before Comlink listens.
 */
async function crashOn(page: Page, marker: string): Promise<void> {
  await page.route('**/e2e-crash-patch.js', (route) => route.fulfill({
    contentType: 'text/javascript',
    body: `const add = self.addEventListener.bind(self)
self.addEventListener = (type, fn, opts) => add(type, type !== 'message' ? fn : (e) => {
  if (JSON.stringify(e.data ?? null).includes(${JSON.stringify(marker)})) throw new Error('simulated crash')
  return fn(e)
}, opts)`,
  }))
  await page.route(WORKER, (route) => route.fulfill({
    contentType: 'text/javascript',
    body: `import '/e2e-crash-patch.js'\nimport ${JSON.stringify(new URL(route.request().url()).pathname + '?real')}`,
  }))
}

test('a worker that crashes mid-run: message, last result kept, Retry runs on a new worker', async ({ page }) => {
  await crashOn(page, '"payloadBytes":999')
  await page.goto('/')
  await waitDone(page)
  const status = page.getByTestId('run-status')
  const goodRev = await status.getAttribute('data-result-rev')
  const payload = page.getByRole('spinbutton', { name: 'Payload size' })
  await payload.fill('999')
  await payload.press('Enter')
  const failure = page.getByTestId('run-failure')
  await expect(failure).toContainText('the simulation worker crashed')
  await expect(failure).toContainText('simulated crash')
  await expect(failure).toContainText('The last good result stays on screen')
  await expect(status).toHaveAttribute('data-status', 'error')
  // the previous result is still drawn
  await expect(status).toHaveAttribute('data-result-rev', goodRev!)
  await expect(page.getByTestId('timeline-current')).toHaveAttribute('data-drawn', 'true')
  await page.unroute(WORKER)
  await failure.getByRole('button', { name: 'Retry' }).click()
  await waitDone(page)
  await expect(failure).toHaveCount(0)
  await expect(payload).toHaveValue('999')
})

test('a worker script that cannot load is reported, and Retry recovers', async ({ page }) => {
  await page.route(WORKER, (route) => route.abort('internetdisconnected'))
  await page.goto('/')
  const failure = page.getByTestId('run-failure')
  await expect(failure).toContainText('could not start')
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'error')
  await page.unroute(WORKER)
  await failure.getByRole('button', { name: 'Retry' }).click()
  await waitDone(page)
  await expect(failure).toHaveCount(0)
})

test('a crashing experiment worker: the grid finishes, the failed cell says why, Retry fills it', async ({ page }) => {
  await crashOn(page, '"payloadBytes":1400')
  await page.goto('/#view=experiment&payloads=64,1400&flows=1,25&modes=softirq&cellMs=10')
  await page.getByRole('button', { name: /^Run 4 cells$/ }).click()
  const progress = page.getByTestId('experiment-progress')
  await expect(progress).toHaveAttribute('data-status', 'error')
  await expect(progress).toHaveAttribute('data-done', '4')
  await expect(page.getByTestId('experiment-error')).toContainText('2 cells failed: the simulation worker crashed')
  await expect(page.locator('.x-table td', { hasText: /^failed$/ })).toHaveCount(2)
  await expect(page.locator('.x-table button.x-cell')).toHaveCount(2)
  await page.unroute(WORKER)
  await page.getByRole('button', { name: 'Retry 2 failed cells' }).click()
  await expect(progress).toHaveAttribute('data-status', 'done')
  await expect(page.getByTestId('experiment-error')).toHaveCount(0)
  // all four cells have numbers: 2 kept from the first run, 2 from the retry
  await expect(page.locator('.x-table button.x-cell')).toHaveCount(4)
  await expect(page.locator('.x-table td', { hasText: /^failed$/ })).toHaveCount(0)
})
