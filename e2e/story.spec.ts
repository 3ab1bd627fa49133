// Issue 12 item 6: the guided story — walked from the first to the last step by keyboard (each step
// sets the scenario, runs it, moves the window and outlines lanes), and step links reopen a step.
import { expect, test, type Page } from '@playwright/test'
import { waitDone } from './helpers.ts'

const story = (page: Page) => page.getByRole('region', { name: /^Story: why threaded IRQs won/ })
const current = (page: Page) => story(page).locator('li[aria-current="step"]')

async function expectStep(page: Page, n: number, title: RegExp) {
  await expect(story(page).getByText(new RegExp(`^Step ${n} of 6: `))).toBeVisible()
  await expect(current(page).getByRole('heading')).toHaveText(new RegExp(`^${n}\\. `))
  await expect(current(page).getByRole('heading')).toHaveText(title)
}

/** The timeline outlines the step's lanes once the step's result is drawn. */
async function expectHighlight(page: Page, label: string) {
  const tl = page.getByTestId(`timeline-${label}`)
  await expect.poll(async () => Number(await tl.getAttribute('data-highlighted-lanes'))).toBeGreaterThan(0)
}

test('the story walked from the first to the last step by keyboard; Esc closes it', async ({ page }) => {
  await page.goto('/')
  await waitDone(page)
  const start = page.getByRole('button', { name: /^Story: why threaded IRQs won/ })
  await start.focus()
  await page.keyboard.press('Enter')
  await expectStep(page, 1, /The receive path/)
  // it reads as a page: every step's text is there, not only the current one's
  await expect(story(page).locator('ol.story-steps > li')).toHaveCount(6)
  await expect(story(page).getByText(/Linux 5\.12 \(2021\) added threaded NAPI/)).toBeAttached()
  // step 1: the seed's scenario in softirq mode, zoomed to 100 µs at 50 ms, thread lanes on and outlined
  await waitDone(page)
  const vis = page.getByTestId('visible-window')
  await expect(vis).toHaveAttribute('data-start-ns', '50000000')
  await expect(vis).toHaveAttribute('data-end-ns', '50100000')
  await expect(page.getByRole('spinbutton', { name: 'Flows' })).toHaveValue('25')
  await expect(page.getByRole('checkbox', { name: 'Thread lanes' })).toBeChecked()
  await expectHighlight(page, 'current')

  await page.keyboard.press('ArrowRight')
  await expectStep(page, 2, /Softirq everywhere with many flows/)
  await waitDone(page)
  await expect(vis).toHaveAttribute('data-start-ns', '0')
  await expect(page.getByRole('heading', { name: /^Selection 10(\.0)? ms – 100(\.0)? ms/ })).toBeVisible()

  await page.keyboard.press('ArrowRight')
  await expectStep(page, 3, /Threads placed by the scheduler/)
  await waitDone(page)
  await expect(page.getByTestId('timeline-A')).toBeVisible()
  await expectHighlight(page, 'B')

  await page.keyboard.press('ArrowRight')
  await expectStep(page, 4, /The one-flow case/)
  await expect(page.getByRole('spinbutton', { name: 'Flows' })).toHaveValue('1')
  await expect(page.getByRole('spinbutton', { name: 'Payload size' })).toHaveValue('256')
  await expect(current(page)).toContainText('both modes give the same number with one flow')

  await page.keyboard.press('ArrowRight')
  await expectStep(page, 5, /threaded NAPI/)
  await page.keyboard.press('ArrowRight')
  await expectStep(page, 6, /v6\.6\+ and EEVDF/)
  await expect(page.getByRole('combobox', { name: 'Kernel era' })).toHaveValue('v6.6+')
  await waitDone(page)
  await expect(current(page).getByText(/^Delivered: A [\d,]+ kpps · B [\d,]+ kpps/)).toBeVisible()
  await expectHighlight(page, 'B')
  // past the last step nothing moves; ← goes back
  await page.keyboard.press('ArrowRight')
  await expectStep(page, 6, /v6\.6\+ and EEVDF/)
  await page.keyboard.press('ArrowLeft')
  await expectStep(page, 5, /threaded NAPI/)

  await page.keyboard.press('Escape')
  await expect(story(page)).toHaveCount(0)
  await expect(start).toBeFocused()
  await expect(page.getByTestId('timeline-B')).toHaveAttribute('data-highlighted-lanes', '0')
})

test('a step link reopens that step: the short #story=N and the full link with the step', async ({ page, context }) => {
  await page.goto('/#story=4')
  await expectStep(page, 4, /The one-flow case/)
  await waitDone(page)
  await expect(page.getByRole('spinbutton', { name: 'Flows' })).toHaveValue('1')
  await expect(page.getByTestId('timeline-A')).toBeVisible()
  await expect(page.getByRole('heading', { name: /^Selection 60(\.0)? ms – 300(\.0)? ms/ })).toBeVisible()

  // the next step by its button; the address bar then holds the full state with the step
  await story(page).getByRole('button', { name: 'Next' }).click()
  await expectStep(page, 5, /threaded NAPI/)
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#s=2\./)
  const hash = await page.evaluate(() => location.hash)
  const other = await context.newPage()
  await other.goto(`/${hash}`)
  await expectStep(other, 5, /threaded NAPI/)
  await expect(other.getByRole('radio', { name: /threaded NAPI/i })).toBeChecked()

  // a step that does not exist: a banner, the story stays closed
  const bad = await context.newPage()
  await bad.goto('/#story=9')
  await expect(bad.getByRole('alert').filter({ hasText: /story has 6 steps/ })).toBeVisible()
  await expect(story(bad)).toHaveCount(0)
})
