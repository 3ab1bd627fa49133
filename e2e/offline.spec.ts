// The installable offline app: a manifest, a service worker that precaches the build; offline,
// a reload shows the app and simulates, and an experiment runs to the end.
import { expect, test } from '@playwright/test'
import { waitDone } from './helpers.ts'

test.use({ serviceWorkers: 'allow' })

test('installable; offline, a reload simulates and an experiment finishes', async ({ page, context }) => {
  await page.goto('/')
  await waitDone(page)
  const manifest = await page.locator('link[rel="manifest"]').getAttribute('href')
  expect(manifest).toBeTruthy()
  const m = await page.evaluate(async (href) => (await fetch(href)).json() as Promise<{ name: string; display: string; icons: unknown[] }>, manifest!)
  expect(m.display).toBe('standalone')
  expect(m.icons.length).toBeGreaterThan(0)
  // the service worker has precached the build and controls the page
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true)

  await context.setOffline(true)
  await page.reload()
  await waitDone(page)
  await expect(page.getByTestId('timeline-current')).toHaveAttribute('data-drawn', 'true')
  await expect(page.getByTestId('run-failure')).toHaveCount(0)

  await page.getByRole('tab', { name: 'Experiment' }).click()
  await page.getByLabel('Payload sizes').fill('64')
  await page.getByLabel('Payload sizes').press('Enter')
  await page.getByLabel('Flow counts').fill('1, 25')
  await page.getByLabel('Flow counts').press('Enter')
  await page.getByRole('button', { name: 'Quick look: 100 ms' }).click()
  const run = page.getByRole('button', { name: /^Run \d+ cells$/ })
  await run.click()
  const progress = page.getByTestId('experiment-progress')
  await expect(progress).toHaveAttribute('data-status', 'done')
  await expect(page.locator('.x-table td', { hasText: /^failed$/ })).toHaveCount(0)
  await context.setOffline(false)
})
