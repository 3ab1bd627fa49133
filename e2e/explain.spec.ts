// Issue 12: the playground explains why — thread states with runnable time matching the engine's
// run_delay, a details panel naming the waker, guest vCPU lanes, the generated explanation.
import { expect, test, type Page } from '@playwright/test'
import { changeAndWait, shiftDrag, waitDone } from './helpers.ts'

async function preset(page: Page, name: RegExp) {
  await page.locator('summary', { hasText: 'Presets' }).click()
  await changeAndWait(page, () => page.getByRole('button', { name }).click())
}

/** Shift+drag over the whole plot of a timeline canvas. */
async function selectAll(page: Page, label: string) {
  const canvas = page.getByRole('img', { name: new RegExp(`^Timeline ${label}:`) })
  const box = (await canvas.boundingBox())!
  // from t = 0 exactly: a runnable span at the very start counts too
  await shiftDrag(page, [[box.x + 172, box.y + 40], [box.x + box.width / 2, box.y + 40], [box.x + box.width - 1, box.y + 40]], 3)
}

test('thread lanes carry thread states; a thread\'s runnable time in the selection matches the engine\'s run_delay', async ({ page }) => {
  await page.goto('/')
  await waitDone(page)
  await preset(page, /2016 experiment: threaded IRQs/)
  await page.getByRole('checkbox', { name: 'Thread lanes' }).check()
  const tl = page.getByTestId('timeline-current')
  await expect.poll(async () => Number(await tl.getAttribute('data-state-lanes'))).toBeGreaterThan(0)
  await expect(page.getByRole('list', { name: 'Legend' }).getByText('Runnable', { exact: true })).toBeVisible()
  await selectAll(page, 'current')
  const table = page.getByRole('table', { name: 'Waiting for a CPU current' })
  await expect(table).toBeVisible()
  await expect(page.getByTestId('wait-top-current')).toContainText(/ waited [\d.]+ (ms|µs) for CPU \d+, held by /)
  // the IRQ thread that waited longest on a run queue: derived runnable = engine's run_delay
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => ({ name: tr.querySelector('th')?.textContent ?? '', runnable: Number(tr.getAttribute('data-runnable-ns')), runDelay: Number(tr.getAttribute('data-run-delay-ns')) })))
  const irq = rows.filter((r) => r.name.startsWith('irq/')).sort((a, b) => b.runDelay - a.runDelay)[0]!
  expect(irq.runDelay, irq.name).toBeGreaterThan(50_000)
  expect(Math.abs(irq.runnable - irq.runDelay) / irq.runDelay, `${irq.name}: ${irq.runnable} vs ${irq.runDelay} ns`).toBeLessThan(0.05)
})

test('clicking a slice opens its details naming the waker; flow arrows; guest vCPU lanes', async ({ page }) => {
  await page.goto('/')
  await waitDone(page)
  await preset(page, /2016 experiment: threaded IRQs/)
  await page.getByRole('checkbox', { name: 'Thread lanes' }).check()
  // guest lanes: the guest kernel's own vCPUs
  await expect(page.getByRole('group', { name: 'Guest vCPUs current' })).toBeVisible()
  await expect(page.getByRole('img', { name: /^Timeline guest current: 2 CPU lanes/ })).toBeVisible()
  // by keyboard: focus the timeline, walk to an IRQ thread's lane, Enter opens details
  const canvas = page.getByRole('img', { name: /^Timeline current:/ })
  await canvas.focus()
  // zoom in so single slices are reachable and the arrows are short
  for (let i = 0; i < 8; i++) await page.keyboard.press('w')
  // thread lanes follow the 16 CPU lanes: find an irq thread lane whose slice was woken
  let found = false
  for (let lane = 0; lane < 40 && !found; lane++) {
    await page.keyboard.press('ArrowDown')
    const tip = page.getByRole('tooltip')
    if (!(await tip.isVisible()) || !/irq thread: irq\//.test((await tip.textContent()) ?? '')) continue
    for (let k = 0; k < 6 && !found; k++) {
      await page.keyboard.press('Enter')
      const woken = page.getByRole('table', { name: 'Slice details' }).getByRole('row', { name: /^woken/ })
      if (/by .+ on CPU \d+, in slice/.test((await woken.textContent()) ?? '')) found = true
      else await page.keyboard.press('ArrowRight')
    }
  }
  expect(found, 'an IRQ thread slice whose details name its waker').toBe(true)
  const details = page.getByRole('region', { name: /Slice details/ })
  await expect(details.getByRole('row', { name: /^waited to run/ })).toContainText(/runnable, on a run queue: [\d.]+ (ns|µs|ms)/)
  await expect(details.getByRole('row', { name: /^ended by/ })).not.toContainText('—')
  await expect.poll(async () => Number(await page.getByTestId('timeline-current').getAttribute('data-flows'))).toBeGreaterThan(0)
  await details.getByRole('button', { name: 'Close' }).click()
  await expect(details).toHaveCount(0)
})

test('the explanation of the seed-2016 A/B pair names the bottleneck stage and the CPU time moved; a sentence moves the timeline', async ({ page }) => {
  await page.goto('/')
  await waitDone(page)
  await preset(page, /2016 experiment: softirq/)
  await page.getByRole('button', { name: 'Pin as A' }).click()
  await changeAndWait(page, () => page.getByRole('radio', { name: 'threaded IRQ' }).click())
  const pair = page.getByRole('list', { name: 'Why A → B' })
  await expect(pair.locator('[data-topic=bottleneck]')).toContainText(/Bottleneck in both: vhost-net.*tun queue/)
  const moved = pair.locator('[data-topic=moved]')
  await expect(moved).toContainText(/CPU time moved \(B − A, whole run\): .*irq thread \+[\d.]+ ms.*softirq −[\d.]+ ms/)
  await expect(moved).toContainText(/CPU 1\/KVM \+[\d.]+ ms/)
  // A (softirq): the vCPU threads lost time to softirq on their CPUs
  await expect(page.getByRole('list', { name: 'Why A' }).locator('[data-topic=guest]').first()).toContainText(/CPU \d\/KVM lost [\d.]+ ms .*held by softirq \(booked to ksoftirqd\/\d+\)/)
  const vis = page.getByTestId('visible-window')
  const before = await vis.getAttribute('data-start-ns')
  const link = moved.getByRole('button')
  await link.click()
  await expect.poll(() => vis.getAttribute('data-start-ns')).not.toBe(before)
  const [t0, t1] = [Number(await vis.getAttribute('data-start-ns')), Number(await vis.getAttribute('data-end-ns'))]
  expect(t1 - t0).toBeLessThan(20e6)
})
