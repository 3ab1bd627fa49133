import { readFile } from 'node:fs/promises'
import { expect, test, type Page } from '@playwright/test'
import { waitDone } from './helpers.ts'

const SMALL = '/#view=experiment&payloads=64&flows=1,25&modes=softirq,threaded-irq&cellMs=100'

const progress = (page: Page) => page.getByTestId('experiment-progress')
const table = (page: Page) => page.getByRole('table', { name: /Guest throughput, kpps/ })
const row = (page: Page, name: string) => table(page).getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) })

async function runAndWait(page: Page, cells: number) {
  await page.getByRole('button', { name: `Run ${cells} cells` }).click()
  await expect(progress(page)).toHaveAttribute('data-status', 'done')
  await expect(progress(page)).toHaveAttribute('data-done', String(cells))
}

test('a small grid set up in the UI fills the table and the chart; a cell opens in the playground', async ({ page }) => {
  await page.goto('/')
  await waitDone(page)
  await page.getByRole('tab', { name: 'Experiment' }).click()
  await expect(page.getByRole('tab', { name: 'Experiment' })).toHaveAttribute('aria-selected', 'true')
  await expect(page).toHaveURL(/#view=experiment&/)
  await expect(page.getByRole('button', { name: 'Run 60 cells' })).toBeVisible()

  const payloads = page.getByRole('textbox', { name: 'Payload sizes' })
  await payloads.fill('64, 5000')
  await payloads.press('Enter')
  await expect(page.getByRole('alert').filter({ hasText: "Payload sizes: '5000' is not an integer from 1 to 1472 B" })).toBeVisible()
  await payloads.fill('64')
  await payloads.press('Enter')
  const flows = page.getByRole('textbox', { name: 'Flow counts' })
  await flows.fill('25 1')
  await flows.press('Enter')
  await expect(flows).toHaveValue('1, 25')
  await page.getByRole('checkbox', { name: 'threaded NAPI' }).uncheck()
  await page.getByRole('button', { name: 'Quick look: 100 ms' }).click()
  await expect(page.getByRole('textbox', { name: 'Simulated time per cell' })).toHaveValue('100')
  await expect(page).toHaveURL(/#view=experiment&payloads=64&flows=1,25&modes=softirq,threaded-irq&cellMs=100&b=3\.[A-Za-z0-9_-]+$/)

  await runAndWait(page, 4)
  await expect(page.getByRole('status').filter({ hasText: '4 / 4 cells' })).toBeVisible()
  await expect(table(page)).toContainText('the simulator never reads them')
  for (const name of ['64 B, 1 flow', '64 B, 25 flows']) {
    const r = row(page, name)
    await expect(r.getByRole('button')).toHaveCount(2)
    await expect(r.getByRole('button').first()).toHaveText(/^\d+$/)
  }
  // published values beside the simulated ones, with their differences
  await expect(row(page, '64 B, 25 flows').getByRole('cell', { name: '711', exact: true })).toBeVisible()
  await expect(row(page, '64 B, 25 flows').getByRole('cell', { name: '932', exact: true })).toBeVisible()
  await expect(row(page, '64 B, 25 flows').getByRole('cell').filter({ hasText: /^[+−±]\d+\.\d%$/ })).toHaveCount(3)

  const chart = page.getByTestId('experiment-chart')
  await expect(chart).toHaveAttribute('data-bars', '4')
  await expect(page.getByRole('figure', { name: '64 B payload' })).toBeVisible()
  await expect(page.getByRole('button', { name: /^64 B, 25 flows, threaded IRQ: \d+ kpps \(published 932 kpps\)$/ })).toBeVisible()
  await expect(page.getByRole('list', { name: 'Legend' })).toContainText('published, 2016 series')
  await expect(page.getByText('guest kpps').first()).toBeVisible()

  // open the threaded-IRQ cell of 25 flows in the playground
  const kpps = await row(page, '64 B, 25 flows').getByRole('button').nth(1).textContent()
  await row(page, '64 B, 25 flows').getByRole('button').nth(1).click()
  await expect(page.getByRole('tab', { name: 'Playground' })).toHaveAttribute('aria-selected', 'true')
  await waitDone(page)
  await expect(page.getByRole('spinbutton', { name: 'Flows' })).toHaveValue('25')
  await expect(page.getByRole('spinbutton', { name: 'Payload size' })).toHaveValue('64')
  await expect(page.getByRole('spinbutton', { name: 'Duration' })).toHaveValue('100')
  await expect(page.getByRole('radio', { name: 'threaded IRQ' })).toHaveAttribute('aria-checked', 'true')
  await expect(page.getByTestId('metric-deliveredKpps')).toHaveText(new RegExp(`^${Number(kpps)}(\\.\\d+)? kpps$`))
  await expect(page).toHaveURL(/#s=3\./)

  // back to the experiment: results are still there
  await page.getByRole('tab', { name: 'Experiment' }).click()
  await expect(progress(page)).toHaveAttribute('data-done', '4')
  await expect(page).toHaveURL(/#view=experiment&payloads=64&/)
})

test('the link restores the experiment; bars open cells; CSV export', async ({ page }) => {
  await page.goto(SMALL)
  await expect(page.getByRole('tab', { name: 'Experiment' })).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByRole('textbox', { name: 'Payload sizes' })).toHaveValue('64')
  await expect(page.getByRole('textbox', { name: 'Flow counts' })).toHaveValue('1, 25')
  await expect(page.getByRole('checkbox', { name: 'threaded NAPI' })).not.toBeChecked()
  await runAndWait(page, 4)

  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export CSV' }).click()
  const csv = (await readFile((await (await download).path())!, 'utf8')).trim().split('\n')
  expect(csv[0]).toBe('payload_bytes,flows,cell_ms,softirq_kpps,threaded_irq_kpps,threaded_irq_vs_softirq_pct,published_softirq_kpps,softirq_vs_published_pct,published_threaded_irq_kpps,threaded_irq_vs_published_pct')
  expect(csv).toHaveLength(3)
  expect(csv[2]).toMatch(/^64,25,100,\d+\.\d,\d+\.\d,-?\d+\.\d,711,-?\d+\.\d,932,-?\d+\.\d$/)

  await page.getByRole('button', { name: /^64 B, 1 flows, softirq: / }).click()
  await expect(page.getByRole('tab', { name: 'Playground' })).toHaveAttribute('aria-selected', 'true')
  await waitDone(page)
  await expect(page.getByRole('spinbutton', { name: 'Flows' })).toHaveValue('1')
  await expect(page.getByRole('radio', { name: 'softirq' })).toHaveAttribute('aria-checked', 'true')
})

test('cancel stops a long run; a bad link shows why', async ({ page }) => {
  await page.goto('/#view=experiment')
  await page.getByRole('button', { name: 'Run 60 cells' }).click()
  await expect(progress(page)).toHaveAttribute('data-status', 'running')
  await page.getByRole('button', { name: 'Cancel' }).click()
  await expect(progress(page)).toHaveAttribute('data-status', 'cancelled')
  expect(Number(await progress(page).getAttribute('data-done'))).toBeLessThan(60)
  await expect(page.getByRole('button', { name: 'Run 60 cells' })).toBeEnabled()

  await page.goto('/#view=experiment&modes=softirq,bogus')
  await page.reload()
  await expect(page.getByRole('alert').filter({ hasText: "Could not open this experiment link: modes: 'bogus'" })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Run 60 cells' })).toBeVisible()
})

test('opening an experiment link keeps the playground scenario the user had', async ({ page }) => {
  await page.goto('/')
  await waitDone(page)
  const flows = page.getByRole('spinbutton', { name: 'Flows' })
  await flows.fill('7')
  await flows.press('Enter')
  await waitDone(page)
  await page.evaluate((h) => { location.hash = h }, SMALL.slice(1))
  await expect(page.getByRole('tab', { name: 'Experiment' })).toHaveAttribute('aria-selected', 'true')
  await page.getByRole('tab', { name: 'Playground' }).click()
  await expect(page.getByRole('spinbutton', { name: 'Flows' })).toHaveValue('7')
})
