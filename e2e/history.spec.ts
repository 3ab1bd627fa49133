// Browser history and share links: discrete changes push entries, Back/Forward restore the
// scenario and the view, Ctrl+Z / Ctrl+Shift+Z step through them, Back returns from an opened
// experiment cell to the grid, and a link carries everything on screen.
import { expect, test, type Page } from '@playwright/test'
import { changeAndWait, shiftDrag, waitDone } from './helpers.ts'

const visible = (page: Page) => page.getByTestId('visible-window')
const mode = (page: Page, name: string) => page.getByRole('radio', { name })

async function setNumber(page: Page, label: string, value: string): Promise<void> {
  await changeAndWait(page, async () => {
    const f = page.getByRole('spinbutton', { name: label })
    await f.fill(value)
    await f.press('Enter')
  })
}

/** Wait until the debounced URL write has happened (the hash changed from `before`). */
async function urlChanged(page: Page, before: string): Promise<string> {
  await expect.poll(() => page.url()).not.toBe(before)
  return page.url()
}

test('Back and Forward restore the scenario and the visible window; Back never leaves the app', async ({ page }) => {
  await page.goto('/')
  await waitDone(page)
  const start = page.url()
  await setNumber(page, 'Flows', '25')
  const u1 = await urlChanged(page, start)
  await page.getByRole('button', { name: 'Zoom in' }).click()
  await page.getByRole('button', { name: 'Zoom in' }).click()
  const v0 = await visible(page).getAttribute('data-start-ns')
  const v1 = await visible(page).getAttribute('data-end-ns')
  expect(Number(v1) - Number(v0)).toBeLessThan(60e6)
  await expect.poll(() => page.url()).not.toBe(u1) // the view is in the entry (replaced, not pushed)
  const u1z = page.url()
  await changeAndWait(page, () => mode(page, 'threaded IRQ').click())
  await urlChanged(page, u1z)
  await page.getByRole('button', { name: 'Reset zoom' }).click()

  await changeAndWait(page, async () => { await page.goBack() })
  await expect(mode(page, 'softirq')).toHaveAttribute('aria-checked', 'true')
  await expect(page.getByRole('spinbutton', { name: 'Flows' })).toHaveValue('25')
  await expect(visible(page)).toHaveAttribute('data-start-ns', v0!)
  await expect(visible(page)).toHaveAttribute('data-end-ns', v1!)

  await changeAndWait(page, async () => { await page.goForward() })
  await expect(mode(page, 'threaded IRQ')).toHaveAttribute('aria-checked', 'true')

  await page.goBack()
  await changeAndWait(page, async () => { await page.goBack() })
  await expect(page.getByRole('spinbutton', { name: 'Flows' })).toHaveValue('1')
  expect(page.url()).toBe(start)
  await expect(page.getByRole('heading', { name: 'irqlab' })).toBeVisible()
})

test('Ctrl+Z undoes and Ctrl+Shift+Z redoes a change, never past the first entry', async ({ page }) => {
  await page.goto('/')
  await waitDone(page)
  await setNumber(page, 'Flows', '25')
  await changeAndWait(page, () => mode(page, 'threaded IRQ').click())
  await changeAndWait(page, () => page.keyboard.press('Control+z'))
  await expect(mode(page, 'softirq')).toHaveAttribute('aria-checked', 'true')
  await expect(page.getByRole('spinbutton', { name: 'Flows' })).toHaveValue('25')
  await changeAndWait(page, () => page.keyboard.press('Control+Shift+z'))
  await expect(mode(page, 'threaded IRQ')).toHaveAttribute('aria-checked', 'true')
  // at the first entry there is nothing to undo: the app stays
  await changeAndWait(page, () => page.keyboard.press('Control+z'))
  await changeAndWait(page, () => page.keyboard.press('Control+z'))
  await expect(page.getByRole('spinbutton', { name: 'Flows' })).toHaveValue('1')
  await page.keyboard.press('Control+z')
  await expect(page.getByRole('heading', { name: 'irqlab' })).toBeVisible()
})

test('Back from a cell opened in the playground returns to the experiment grid', async ({ page }) => {
  await page.goto('/#view=experiment&payloads=64&flows=1,25&modes=softirq&cellMs=10')
  await page.getByRole('button', { name: /^Run 2 cells$/ }).click()
  await expect(page.getByTestId('experiment-progress')).toHaveAttribute('data-status', 'done')
  await page.locator('.x-table button.x-cell').first().click()
  await waitDone(page)
  await expect(page.getByRole('tab', { name: 'Playground' })).toHaveAttribute('aria-selected', 'true')
  await page.goBack()
  await expect(page.getByRole('tab', { name: 'Experiment' })).toHaveAttribute('aria-selected', 'true')
  await expect(page.locator('.x-table button.x-cell')).toHaveCount(2)
})

test('a link carries A, B, the visible window, the selection and the thread lanes', async ({ page, context }) => {
  await page.goto('/')
  await waitDone(page)
  await setNumber(page, 'Flows', '25')
  await page.getByRole('button', { name: 'Pin as A' }).click()
  await changeAndWait(page, () => mode(page, 'threaded IRQ').click())
  await page.getByRole('button', { name: 'Zoom in' }).click()
  // select a range with Shift+drag on A (its top lanes are on screen)
  const box = (await page.getByTestId('timeline-A').locator('canvas').boundingBox())!
  await shiftDrag(page, [[box.x + box.width * 0.4, box.y + 60], [box.x + box.width * 0.7, box.y + 80]], 5)
  const selTitle = page.getByRole('heading', { name: /^Selection / })
  await expect(selTitle).toBeVisible()
  await page.getByRole('checkbox', { name: 'Thread lanes' }).check()
  const selText = await selTitle.textContent()
  const vs = await visible(page).getAttribute('data-start-ns')
  const ve = await visible(page).getAttribute('data-end-ns')
  await page.getByRole('button', { name: 'Copy link' }).click()
  const link = page.url()
  expect(link).toMatch(/#s=2\.[A-Za-z0-9_-]+$/)
  expect(link.length).toBeLessThan(600)

  const p2 = await context.newPage()
  await p2.goto(link)
  await waitDone(p2)
  await expect(p2.getByTestId('timeline-A')).toHaveAttribute('data-drawn', 'true')
  await expect(p2.getByTestId('timeline-B')).toHaveAttribute('data-drawn', 'true')
  await expect(mode(p2, 'threaded IRQ')).toHaveAttribute('aria-checked', 'true')
  await expect(visible(p2)).toHaveAttribute('data-start-ns', vs!)
  await expect(visible(p2)).toHaveAttribute('data-end-ns', ve!)
  await expect(p2.getByRole('checkbox', { name: 'Thread lanes' })).toBeChecked()
  await expect(p2.getByRole('heading', { name: /^Selection / })).toHaveText(selText!)
  // A is the pinned 25-flow softirq run: its metrics column exists
  await expect(p2.getByRole('button', { name: 'Unpin A' })).toBeVisible()
})

test('an old v1 link (scenario only) still opens', async ({ page }) => {
  await page.goto('/#s=1.q1YqKUpMS8tMVrKqVkrLyS8vVrIyrtVRKqoACeTmp6QqWSmVZBSlJqakpuhmFhUq1dYCAA')
  await waitDone(page)
  await expect(page.getByRole('spinbutton', { name: 'Flows' })).toHaveValue('3')
  await expect(mode(page, 'threaded IRQ')).toHaveAttribute('aria-checked', 'true')
  await expect(page.getByRole('alert').filter({ hasText: 'Could not open' })).toHaveCount(0)
})

test('a scheduled write past a shortened run is kept, flagged, and applies again', async ({ page }) => {
  await page.goto('/')
  await waitDone(page)
  await page.getByText('Mid-run write').click()
  await page.getByLabel('at t =').fill('80')
  await changeAndWait(page, () => page.getByRole('button', { name: 'Schedule write' }).click())
  const list = page.getByRole('list', { name: 'Scheduled writes' })
  await expect(list).toContainText('t = 80 ms')
  await setNumber(page, 'Duration', '50')
  const parked = page.getByTestId('parked-write')
  await expect(parked).toHaveCount(1)
  await expect(parked).toContainText('t = 80 ms')
  await expect(parked).toContainText('after the end (50 ms): not applied')
  await setNumber(page, 'Duration', '100')
  await expect(parked).toHaveCount(0)
  await expect(list).toContainText('t = 80 ms')
  await expect(page.getByRole('button', { name: 'Remove write at 80 ms' })).toBeVisible()
})
