import { expect, test } from '@playwright/test'
import { changeAndWait, metric, shiftDrag, waitDone } from './helpers.ts'

test.beforeEach(async ({ page }) => {
  await page.goto('/')
  await waitDone(page)
})

test('moving a slider re-runs: metrics and timeline change', async ({ page }) => {
  const delivered = await metric(page, 'deliveredKpps').textContent()
  const tl = page.getByTestId('timeline-current')
  const sig = await tl.getAttribute('data-signature')
  const slider = page.getByRole('slider', { name: 'Offered rate' })
  await changeAndWait(page, async () => {
    await slider.focus()
    await page.keyboard.press('Home')
  })
  await expect(page.getByRole('spinbutton', { name: 'Offered rate' })).toHaveValue('10')
  await expect(slider).toHaveAttribute('aria-valuetext', '10 kpps')
  await expect(metric(page, 'deliveredKpps')).not.toHaveText(delivered ?? '')
  await expect(metric(page, 'offeredKpps')).toHaveText(/^10(\.0+)? kpps$/)
  await expect(tl).not.toHaveAttribute('data-signature', sig ?? '')
})

test('an invalid number shows a message and keeps the last good value', async ({ page }) => {
  const flows = page.getByRole('spinbutton', { name: 'Flows' })
  await flows.fill('5000')
  await flows.press('Enter')
  await expect(page.getByRole('alert').filter({ hasText: 'Flows: must be between 1 and 1024' })).toBeVisible()
  await expect(page.getByRole('slider', { name: 'Flows', exact: true })).toHaveAttribute('aria-valuetext', '1 flows')
  await changeAndWait(page, async () => {
    await flows.fill('8')
    await flows.press('Enter')
  })
  await expect(page.getByRole('slider', { name: 'Flows', exact: true })).toHaveAttribute('aria-valuetext', '8 flows')
})

test('in softirq mode, writing 1 to one IRQ\'s threaded file moves only that queue to its thread', async ({ page }) => {
  await changeAndWait(page, async () => {
    await page.getByRole('spinbutton', { name: 'NIC queues' }).fill('2')
    await page.getByRole('spinbutton', { name: 'NIC queues' }).press('Enter')
  })
  await expect(page.getByRole('radio', { name: 'softirq' })).toHaveAttribute('aria-checked', 'true')
  const sw = page.getByRole('group', { name: '/proc/irq/46/eth0-TxRx-1' }).getByRole('switch', { name: 'threaded' })
  await expect(sw).toBeEnabled()
  await changeAndWait(page, () => sw.click())
  await expect(page.getByTestId('shell-command')).toHaveText('echo 1 > /proc/irq/46/eth0-TxRx-1/threaded')
  const threads = page.getByRole('table', { name: 'Threads' })
  await expect(threads.getByRole('rowheader', { name: 'irq/46-eth0-TxRx-1', exact: true })).toHaveCount(1)
  await expect(threads.getByRole('rowheader', { name: 'irq/45-eth0-TxRx-0', exact: true })).toHaveCount(0)
  await expect(page.getByRole('group', { name: '/proc/irq/45/eth0-TxRx-0' }).getByRole('switch', { name: 'threaded' })).toHaveAttribute('aria-checked', 'false')
})

test('switching one IRQ to threaded makes its thread run', async ({ page }) => {
  // one queue, so the single flow certainly lands on IRQ 45
  await changeAndWait(page, async () => {
    await page.getByRole('spinbutton', { name: 'NIC queues' }).fill('1')
    await page.getByRole('spinbutton', { name: 'NIC queues' }).press('Enter')
  })
  await changeAndWait(page, () => page.getByRole('radio', { name: 'threaded IRQ' }).click())
  await changeAndWait(page, () => page.getByRole('button', { name: 'None threaded' }).click())
  const threads = page.getByRole('table', { name: 'Threads' })
  await expect(threads.getByRole('rowheader', { name: 'irq/45-eth0-TxRx-0', exact: true })).toHaveCount(0)
  const irq = page.getByRole('group', { name: '/proc/irq/45/eth0-TxRx-0' })
  const sw = irq.getByRole('switch', { name: 'threaded' })
  await expect(sw).toHaveAttribute('aria-checked', 'false')
  await changeAndWait(page, () => sw.click())
  await expect(sw).toHaveAttribute('aria-checked', 'true')
  await expect(page.getByTestId('shell-command')).toHaveText('echo 1 > /proc/irq/45/eth0-TxRx-0/threaded')
  const row = threads.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'irq/45-eth0-TxRx-0', exact: true }) })
  await expect(row).toHaveCount(1)
  await expect(row.getByRole('cell').first()).not.toHaveText('0 ms')
  // its own lane appears among the thread lanes
  await page.getByRole('checkbox', { name: 'Thread lanes' }).check()
  await expect(page.getByRole('img', { name: /Timeline current/ })).toBeVisible()
})

test('a mid-run write is scheduled and marked on the timeline', async ({ page }) => {
  await changeAndWait(page, () => page.getByRole('radio', { name: 'threaded IRQ' }).click())
  await page.getByText('Mid-run write').click()
  await page.getByRole('spinbutton', { name: 'at t =' }).fill('40')
  await page.getByRole('combobox', { name: 'write' }).selectOption('0')
  await changeAndWait(page, () => page.getByRole('button', { name: 'Schedule write' }).click())
  await expect(page.getByRole('list', { name: 'Scheduled writes' }).getByRole('listitem')).toHaveText(/t = 40 ms: 0 → all/)
  await expect(page.getByTestId('shell-command')).toContainText('sleep 0.040; echo 0 > /proc/irq/*/eth0-TxRx-*/threaded')
  await expect(page.getByTestId('timeline-current')).not.toHaveAttribute('data-markers', '0')
  await expect(metric(page, 'modeSwitches')).not.toHaveText('0')
})

test('the URL round-trips the scenario and its numbers', async ({ page }) => {
  await changeAndWait(page, async () => {
    await page.getByRole('spinbutton', { name: 'Flows' }).fill('25')
    await page.getByRole('spinbutton', { name: 'Flows' }).press('Enter')
  })
  await expect(page).toHaveURL(/#s=3\.[A-Za-z0-9_-]+$/)
  const flowsOnly = page.url()
  await changeAndWait(page, () => page.getByRole('radio', { name: 'threaded NAPI' }).click())
  // the hash is rewritten 300 ms after the last edit
  await expect.poll(() => page.url()).not.toBe(flowsOnly)
  const url = page.url()
  expect(url.length).toBeLessThan(2048)
  const before = await page.getByRole('table', { name: 'Throughput' }).textContent()
  await page.goto('about:blank')
  await page.goto(url)
  await waitDone(page)
  await expect(page.getByRole('spinbutton', { name: 'Flows' })).toHaveValue('25')
  await expect(page.getByRole('radio', { name: 'threaded NAPI' })).toHaveAttribute('aria-checked', 'true')
  await expect(page.getByRole('table', { name: 'Throughput' })).toHaveText(before ?? '')
})

test('a damaged or outdated link shows a message and falls back to the defaults', async ({ page }) => {
  await page.goto('/#s=1.this-is-not-deflate')
  await waitDone(page)
  await expect(page.getByRole('alert').filter({ hasText: 'Could not open this link' })).toBeVisible()
  await expect(page.getByRole('spinbutton', { name: 'Flows' })).toHaveValue('1')
  await page.goto('/#s=9.AAAA')
  await page.reload()
  await waitDone(page)
  await expect(page.getByRole('alert').filter({ hasText: 'format v9' })).toBeVisible()
  await page.getByRole('button', { name: 'Dismiss' }).click()
  await expect(page.getByRole('alert').filter({ hasText: 'Could not open' })).toHaveCount(0)
})

test('keyboard zoom and pan change the visible window; ? lists the shortcuts', async ({ page }) => {
  const vis = page.getByTestId('visible-window')
  await expect(vis).toHaveText('Visible: 0 ms – 100 ms')
  await page.locator('body').press('KeyW')
  await page.keyboard.press('KeyW')
  await expect(vis).toHaveAttribute('data-start-ns', '25500000')
  await expect(vis).toHaveAttribute('data-end-ns', '74500000')
  await page.keyboard.press('KeyD')
  await expect(vis).toHaveAttribute('data-start-ns', '35300000')
  await page.keyboard.press('KeyA')
  await page.keyboard.press('KeyA')
  await expect(vis).toHaveAttribute('data-start-ns', '15700000')
  await page.keyboard.press('KeyS')
  await expect(vis).not.toHaveAttribute('data-end-ns', '64300000')
  await page.getByRole('button', { name: 'Reset zoom' }).click()
  await expect(vis).toHaveText('Visible: 0 ms – 100 ms')
  await page.getByRole('button', { name: 'Zoom in' }).click()
  await expect(vis).toHaveAttribute('data-start-ns', '15000000')
  await page.keyboard.press('Shift+Slash')
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible()
  await page.getByRole('button', { name: 'Close' }).click()
  await expect(page.getByRole('dialog')).toHaveCount(0)
})

test('hover explains a slice; shift-drag selects a range with statistics', async ({ page }) => {
  const canvas = page.getByRole('img', { name: /Timeline current/ })
  const box = (await canvas.boundingBox())!
  // CPU 0 lane (axis 26 + 4 + section 18 → lane at y 48..64)
  await page.mouse.move(box.x + box.width * 0.5, box.y + 56)
  const tip = page.getByRole('tooltip')
  await expect(tip).toBeVisible()
  await expect(tip).toContainText('from')
  await expect(tip).toContainText('ended by')
  await shiftDrag(page, [[box.x + 300, box.y + 60], [box.x + 600, box.y + 80]], 4)
  const sel = page.getByRole('region', { name: /^Selection/ })
  await expect(sel).toBeVisible()
  await expect(sel.getByRole('table', { name: 'By CPU current' })).toContainText('CPU 0')
  await expect(sel.getByRole('table', { name: 'By kind current' })).toContainText('%')
  await page.keyboard.press('Escape')
  await expect(sel).toHaveCount(0)
})

test('pin as A, change, compare A and B; export SVG', async ({ page }) => {
  await page.getByRole('button', { name: 'Pin as A' }).click()
  await changeAndWait(page, () => page.getByRole('radio', { name: 'threaded IRQ' }).click())
  await expect(page.getByText('A — pinned')).toBeVisible()
  await expect(page.getByRole('img', { name: /^Timeline A/ })).toBeVisible()
  await expect(page.getByRole('img', { name: /^Timeline B/ })).toBeVisible()
  await expect(page.getByRole('table', { name: 'Throughput' }).getByRole('columnheader', { name: 'B − A' })).toBeVisible()
  // each CPU shows an A bar and a B bar, labelled, and busy % as "A → B"
  await expect(page.getByRole('img', { name: /^A CPU 0: usr/ })).toBeVisible()
  await expect(page.getByRole('img', { name: /^B CPU 0: usr/ })).toBeVisible()
  await expect(page.locator('.cpurow').first().locator('.cpurow-ab')).toHaveText('AB')
  await expect(page.locator('.cpurow-v').first()).toHaveText(/^[\d.]+ → [\d.]+ % busy$/)
  await page.locator('summary', { hasText: 'Export' }).click()
  const dl = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Timeline as SVG' }).click()
  const file = await dl
  // file names say which runs they hold
  const runs = 'irqlab-A-softirq-1flows-64B-16cpu-vs-B-threaded-irq-1flows-64B-16cpu'
  expect(file.suggestedFilename()).toBe(`${runs}-timeline.svg`)
  const path = await file.path()
  const { readFileSync } = await import('node:fs')
  const svg = readFileSync(path, 'utf8')
  expect(svg.startsWith('<svg')).toBe(true)
  expect(svg).toContain('>A<')
  expect(svg).toContain('>B<')
  const canvasH = await page.evaluate(() => [...document.querySelectorAll<HTMLCanvasElement>('.tl canvas')].reduce((a, c) => a + c.height, 0))
  for (const [name, fileName, check] of [
    // the PNG: caption (3 lines), legend and an A and a B label above the two canvases
    ['Timeline as PNG', `${runs}-timeline.png`, (b: Buffer) => b.subarray(1, 4).toString() === 'PNG' && b.readUInt32BE(20) === canvasH + 4 * 20 + 8 + 2 * 20],
    ['Metrics (CSV)', `${runs}-metrics.csv`, (b: Buffer) => b.toString().startsWith('section,metric,unit,A,B')],
    ['Scenario + summary (JSON)', `${runs}-run.json`, (b: Buffer) => (JSON.parse(b.toString()) as { runs: unknown[] }).runs.length === 2],
  ] as const) {
    await page.locator('summary', { hasText: 'Export' }).click()
    const d = page.waitForEvent('download')
    await page.getByRole('button', { name }).click()
    const f = await d
    expect(f.suggestedFilename()).toBe(fileName)
    expect(check(readFileSync(await f.path()))).toBe(true)
  }
})

test('slices are reachable from the keyboard', async ({ page }) => {
  const canvas = page.getByRole('img', { name: /Timeline current/ })
  await canvas.focus()
  await page.keyboard.press('ArrowRight')
  const tip = page.getByRole('tooltip')
  await expect(tip).toContainText('CPU')
  await expect(tip).toContainText('ended by')
  // down through the CPU lanes until one where a vCPU thread ran (where the scheduler put it)
  let found = false
  const isVcpu = async () => ((await tip.count()) > 0 && (await tip.textContent())?.includes('vCPU (guest)')) ?? false
  for (let i = 0; i < 16 && !found; i++) {
    await page.keyboard.press('ArrowDown')
    // a timer tick's interrupt may sit between: step along the lane a little
    for (let j = 0; j < 4 && !found; j++) {
      found = await isVcpu()
      if (!found) await page.keyboard.press('ArrowRight')
    }
  }
  expect(found).toBe(true)
  await expect(tip).toContainText('vCPU (guest)')
  const vis = page.getByTestId('visible-window')
  await page.keyboard.press('KeyF')
  await expect(vis).not.toHaveAttribute('data-end-ns', '100000000')
  await page.keyboard.press('Escape')
  await expect(tip).toHaveCount(0)
})

test('clicking the overview moves the visible window there', async ({ page }) => {
  const vis = page.getByTestId('visible-window')
  await page.getByRole('button', { name: 'Zoom in' }).click()
  await page.getByRole('button', { name: 'Zoom in' }).click()
  const overview = page.getByRole('img', { name: /^Overview: busy CPUs/ })
  const box = (await overview.boundingBox())!
  // the plot starts after the 172 px gutter; click near its right end
  await page.mouse.click(box.x + box.width - 20, box.y + box.height / 2)
  await expect(vis).toHaveAttribute('data-end-ns', '100000000')
  await expect(vis).not.toHaveAttribute('data-start-ns', '0')
})

test('Copy link puts a short link on the clipboard that reopens the same scenario', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await changeAndWait(page, async () => {
    await page.getByRole('spinbutton', { name: 'Flows' }).fill('9')
    await page.getByRole('spinbutton', { name: 'Flows' }).press('Enter')
  })
  const delivered = await metric(page, 'deliveredKpps').textContent()
  await page.getByRole('button', { name: 'Copy link' }).click()
  await expect(page.getByRole('status').filter({ hasText: /^Copied \(\d+ characters\)$/ })).toBeVisible()
  const link = await page.evaluate(() => navigator.clipboard.readText())
  expect(link).toMatch(/#s=3\.[A-Za-z0-9_-]+$/)
  expect(link.length).toBeLessThan(2000)
  const other = await context.newPage()
  await other.goto(link)
  await waitDone(other)
  await expect(other.getByRole('spinbutton', { name: 'Flows' })).toHaveValue('9')
  await expect(metric(other, 'deliveredKpps')).toHaveText(delivered ?? '')
})

test('offered rate: unset means the netperf senders (auto, their rate shown); a typed value caps it; auto returns', async ({ page }) => {
  const field = page.getByRole('spinbutton', { name: 'Offered rate' })
  // one 64 B netperf sender: ≈ 1 µs per sendto → ≈ 992 kpps, shown as the placeholder
  await expect(field).toHaveValue('')
  await expect(field).toHaveAttribute('placeholder', /^99\d$/)
  await changeAndWait(page, async () => {
    await field.fill('300')
    await field.press('Enter')
  })
  await expect(metric(page, 'offeredKpps')).toHaveText(/^(299|300)(\.\d+)? kpps$/)
  await changeAndWait(page, async () => {
    await page.getByRole('button', { name: 'Offered rate: back to auto (netperf senders)' }).click()
  })
  await expect(field).toHaveValue('')
  await expect(metric(page, 'offeredKpps')).toHaveText(/^99\d(\.\d+)? kpps$/)
})

test('the metrics show per-packet latency (wire → read) with its unit, and compare it A/B', async ({ page }) => {
  const p50 = metric(page, 'latencyP50')
  await expect(p50).toHaveText(/^\d[\d.,]* µs$/)
  await expect(metric(page, 'latencyP999')).toHaveText(/^\d[\d.,]* µs$/)
  const v = (t: string | null) => Number((t ?? '').replace(/[^\d.]/g, ''))
  expect(v(await metric(page, 'latencyP999').textContent())).toBeGreaterThanOrEqual(v(await p50.textContent()))
})
