// A real kernel trace opened beside a simulated run of the matching scenario: both draw on one time
// axis, the metrics show both; a bad file gives a message naming its line; the Perfetto export downloads.
import { readFileSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'
import { changeAndWait, waitDone } from './helpers.ts'

const FIXTURE = 'src/trace/fixtures/linux-6.12-softirq-same-cpu.txt'

/** Pixels of a timeline canvas that are not the page/lane background: > 0 means it drew slices. */
async function inkPixels(page: Page, label: string): Promise<number> {
  return page.getByTestId(`timeline-${label}`).locator('canvas').first().evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
    let n = 0
    // slice colours are saturated; backgrounds and grid lines are grey (r ≈ g ≈ b)
    for (let i = 0; i < d.length; i += 4) if (Math.max(d[i]!, d[i + 1]!, d[i + 2]!) - Math.min(d[i]!, d[i + 1]!, d[i + 2]!) > 40) n++
    return n
  })
}

test.beforeEach(async ({ page }) => {
  await page.goto('/')
  await waitDone(page)
})

test('a real ftrace trace opens as A beside the simulated same-CPU receiver (B)', async ({ page }) => {
  // the matching scenario: same-CPU local receiver, 2 CPUs (the QEMU guest had 2 vCPUs), v6.5+ era (6.12)
  await changeAndWait(page, async () => {
    await page.locator('summary', { hasText: 'Presets' }).click()
    await page.getByRole('button', { name: /Same-CPU local receiver/ }).click()
  })
  await changeAndWait(page, async () => {
    const cpus = page.getByRole('spinbutton', { name: 'Host CPUs', exact: true })
    await cpus.fill('2')
    await cpus.press('Enter')
  })
  await changeAndWait(page, async () => { await page.getByRole('combobox', { name: 'Kernel era' }).selectOption('v6.5+') })
  await page.getByTestId('trace-file').setInputFiles(FIXTURE)
  await expect(page.getByTestId('import-message')).toContainText('linux-6.12-softirq-same-cpu.txt: ftrace, 2 CPUs')
  await expect(page.getByText('A — real trace: linux-6.12-softirq-same-cpu.txt (ftrace)')).toBeVisible()
  await expect(page.getByRole('img', { name: /^Timeline A: 2 CPU lanes, [\d,]+ slices/ })).toBeVisible()
  await expect(page.getByRole('img', { name: /^Timeline B: 2 CPU lanes/ })).toBeVisible()
  await waitDone(page)
  expect(await inkPixels(page, 'A')).toBeGreaterThan(100)
  expect(await inkPixels(page, 'B')).toBeGreaterThan(100)
  // one time axis: the longer of the two runs (the simulated 200 ms) spans both
  const a = page.getByTestId('timeline-A')
  const b = page.getByTestId('timeline-B')
  await expect(a).toHaveAttribute('data-visible-end-ns', (await b.getAttribute('data-visible-end-ns'))!)
  // metrics: A and B columns, CPU bars for both, the real trace's threads
  await expect(page.getByRole('table', { name: 'Throughput' }).getByRole('columnheader', { name: 'B − A' })).toBeVisible()
  await expect(page.getByRole('img', { name: /^A CPU 0: usr [\d.]+ %, sys [\d.]+ %, hardirq [\d.]+ %, softirq [\d.]+ %/ })).toBeVisible()
  await expect(page.getByRole('img', { name: /^B CPU 0: usr/ })).toBeVisible()
  await expect(page.getByRole('table', { name: 'Threads' }).getByRole('rowheader', { name: 'ksoftirqd/0' })).toBeVisible()
})

test('a file with bad lines: a message names the first one, the rest is kept', async ({ page }) => {
  const good = readFileSync(FIXTURE, 'utf8').split('\n')
  const text = [...good.slice(0, 20), 'this is not a trace line', ...good.slice(20)].join('\n')
  await page.getByTestId('trace-file').setInputFiles({ name: 'damaged.txt', mimeType: 'text/plain', buffer: Buffer.from(text) })
  await expect(page.getByTestId('import-message')).toContainText("1 line(s) not understood, kept the rest — first: line 21: not a trace event line: 'this is not a trace line'")
  await expect(page.getByRole('img', { name: /^Timeline A: 2 CPU lanes/ })).toBeVisible()
  // not a trace at all: an error, nothing replaced
  await page.getByTestId('trace-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello\nworld\n') })
  await expect(page.getByTestId('import-message')).toContainText('Could not open notes.txt: notes.txt: no trace events found in 2 lines')
  await expect(page.getByRole('img', { name: /^Timeline A: 2 CPU lanes/ })).toBeVisible()
})

test('Export → Trace for Perfetto downloads Trace Event JSON of A and B', async ({ page }) => {
  await page.getByTestId('trace-file').setInputFiles(FIXTURE)
  await expect(page.getByRole('img', { name: /^Timeline A/ })).toBeVisible()
  await page.locator('summary', { hasText: 'Export' }).click()
  const dl = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Trace for Perfetto (JSON)' }).click()
  const file = await dl
  expect(file.suggestedFilename()).toBe('irqlab-trace.json')
  const doc = JSON.parse(readFileSync((await file.path())!, 'utf8')) as { traceEvents: { ph: string; name: string; args?: { name?: string } }[] }
  const procs = doc.traceEvents.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => e.args?.name)
  expect(procs).toEqual(expect.arrayContaining([expect.stringMatching(/^A CPUs \(real: linux-6\.12/), expect.stringMatching(/^B CPUs \(simulated/)]))
  expect(doc.traceEvents.filter((e) => e.ph === 'X').length).toBeGreaterThan(100)
})
