// Issue 10 (latency): the latency CDF in the metrics panel (one run, then A and B overlaid, CDF and
// tail views) and in the experiment view (a chosen cell, against another).
import { expect, test, type Locator, type Page } from '@playwright/test'
import { changeAndWait, metric, waitDone } from './helpers.ts'

const TIME = String.raw`[\d.,]+ (?:ns|µs|ms|s)`
const PCTS = new RegExp(String.raw`p50 ${TIME}, p99 ${TIME}, p99\.9 ${TIME} \([\d,]+ packets\)`)

/** "… p50 12.3 µs …" → 12.3 (µs), whatever unit the text used */
function usOf(text: string, label: string): number {
  const m = new RegExp(String.raw`${label.replace('.', '\\.')} ([\d.,]+) (ns|µs|ms|s)\b`).exec(text)
  if (!m) throw new Error(`no ${label} in "${text}"`)
  return Number(m[1]!.replace(/,/g, '')) * { ns: 1e-3, µs: 1, ms: 1e3, s: 1e6 }[m[2] as 'ns']
}

/** a and b within 0.5 % (the same value printed in µs and in ms) */
const near = (a: number, b: number) => expect(Math.abs(a / b - 1)).toBeLessThan(0.005)

const metricsChart = (page: Page) => page.getByRole('region', { name: /^Metrics/ }).getByTestId('latency-chart')
const legendItems = (chart: Locator) => chart.getByRole('list', { name: 'Latency curves' }).getByRole('listitem')

test('the metrics panel draws the latency CDF, its tail, and A and B overlaid with a legend', async ({ page }) => {
  await page.goto('/')
  await waitDone(page)
  // the 2016 preset: latencies spread over more than a decade (the default run's sit in one bucket)
  await page.locator('summary', { hasText: 'Presets' }).click()
  await changeAndWait(page, () => page.getByRole('button', { name: /2016 experiment: threaded IRQs/ }).click())
  const chart = metricsChart(page)
  const plot = chart.getByRole('img', { name: /^Latency CDF, wire → read, log time axis\. this run: p50 / })
  await expect(plot).toHaveAttribute('data-curves', '1')
  await expect(chart.locator('path.lat-curve')).toHaveCount(1)
  await expect(chart.locator('path.lat-curve')).toHaveAttribute('d', /^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){10,}$/)
  // p50, p99, p99.9 each marked on the curve; time ticks carry units
  await expect(chart.locator('circle.lat-mark')).toHaveCount(3)
  await expect(chart.locator('svg text').filter({ hasText: /^\d[\d.]* (µs|ms)$/ }).first()).toBeVisible()
  await expect(chart.getByText('latency, wire → read (log scale)')).toBeVisible()
  await expect(legendItems(chart)).toHaveCount(1)
  const single = (await legendItems(chart).textContent())!
  expect(single).toMatch(new RegExp(`^this run: ${PCTS.source}$`))
  // the chart shows the engine's percentiles: the same as the metrics table
  const tableP50 = usOf(`p50 ${(await metric(page, 'latencyP50').textContent())!}`, 'p50')
  near(usOf(single, 'p50'), tableP50)

  // the tail view by keyboard: 1 − F on a log axis, with p99.9 labelled and a 10⁻³ tick
  const tail = chart.getByRole('button', { name: 'Tail (1 − F, log)' })
  await tail.focus()
  await page.keyboard.press('Enter')
  await expect(tail).toHaveAttribute('aria-pressed', 'true')
  await expect(chart.getByRole('img', { name: /^Latency tail \(1 − F, log scale\), wire → read/ })).toHaveAttribute('data-view', 'tail')
  await expect(chart.locator('.lat-guide text')).toHaveText(['p50', 'p99', 'p99.9'])
  await expect(chart.locator('svg text').filter({ hasText: /^10⁻³$/ })).toHaveCount(1)
  await chart.getByRole('button', { name: 'CDF' }).press('Space')
  await expect(chart.getByRole('img')).toHaveAttribute('data-view', 'cdf')

  // compare: A = this run pinned, B = the same in softirq mode
  await page.getByRole('button', { name: 'Pin as A' }).click()
  await changeAndWait(page, () => page.getByRole('radio', { name: 'softirq' }).click())
  await expect(chart.getByRole('img')).toHaveAttribute('data-curves', '2')
  await expect(chart.locator('path.lat-curve')).toHaveCount(2)
  await expect(chart.locator('circle.lat-mark')).toHaveCount(6)
  const [a, b] = [chart.locator('path.lat-curve[data-run="A (pinned)"]'), chart.locator('path.lat-curve[data-run="B (current)"]')]
  expect(await a.getAttribute('stroke')).not.toBe(await b.getAttribute('stroke'))
  expect(await a.getAttribute('d')).not.toBe(await b.getAttribute('d'))
  await expect(legendItems(chart)).toHaveText([new RegExp(`^A \\(pinned\\): ${PCTS.source}$`), new RegExp(`^B \\(current\\): ${PCTS.source}$`)])
  // A is the run that was on screen before
  await expect(legendItems(chart).first()).toHaveText(single.replace('this run', 'A (pinned)'))
  await expect(chart.getByRole('img')).toHaveAttribute('aria-label', /A \(pinned\): p50 .*\. B \(current\): p50 /)
})

test('the experiment view lists p50 / p99 / p99.9 per cell and draws a chosen cell’s CDF, against another', async ({ page }) => {
  await page.goto('/#view=experiment&payloads=64&flows=1&modes=softirq,threaded-irq&cellMs=100')
  await page.getByRole('button', { name: 'Run 2 cells' }).click()
  await expect(page.getByTestId('experiment-progress')).toHaveAttribute('data-status', 'done')
  const table = page.getByRole('table', { name: /^Latency per packet, µs \(wire → read\)/ })
  const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '64 B, 1 flow', exact: true }) })
  // two modes × (p50, p99, p99.9): numbers, no dashes
  await expect(row.getByRole('cell').filter({ hasText: /^\d[\d.,]*$/ })).toHaveCount(6)
  const p50Softirq = Number((await row.getByRole('cell').first().textContent())!.replace(/,/g, ''))

  const section = page.getByRole('region', { name: 'Latency per cell' })
  const chart = section.getByTestId('latency-chart')
  const showSoftirq = page.getByRole('button', { name: 'Show the latency CDF of 64 B, 1 flow, softirq' })
  const showThreaded = page.getByRole('button', { name: 'Show the latency CDF of 64 B, 1 flow, threaded IRQ' })
  await expect(showSoftirq).toHaveAttribute('aria-pressed', 'true')
  await expect(chart.getByRole('img')).toHaveAttribute('data-curves', '1')
  near(usOf((await legendItems(chart).textContent())!, 'p50'), p50Softirq)

  await showThreaded.click()
  await expect(showThreaded).toHaveAttribute('aria-pressed', 'true')
  await expect(showSoftirq).toHaveAttribute('aria-pressed', 'false')
  await expect(legendItems(chart)).toHaveText([new RegExp(`^64 B, 1 flow, threaded IRQ: ${PCTS.source}$`)])

  await section.getByRole('combobox', { name: 'compare with' }).selectOption({ label: '64 B, 1 flow, softirq' })
  await expect(chart.getByRole('img')).toHaveAttribute('data-curves', '2')
  await expect(chart.locator('path.lat-curve')).toHaveCount(2)
  await expect(legendItems(chart)).toHaveText([/^64 B, 1 flow, threaded IRQ: p50 /, /^64 B, 1 flow, softirq: p50 /])
})
