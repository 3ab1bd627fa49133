// Perfetto's navigation conventions and keyboard access: the plain wheel scrolls the page,
// Ctrl+wheel zooms; timeline keys only act when the timeline or the page has focus; the
// /proc/irq knobs and the timeline tools are one Tab stop each (arrow keys inside); the timeline
// is at most 25 Tab stops from the top without the skip link; a preset chosen by keyboard keeps focus.
import { expect, test, type Page } from '@playwright/test'
import { waitDone } from './helpers.ts'

const span = async (page: Page) => {
  const v = page.getByTestId('visible-window')
  return Number(await v.getAttribute('data-end-ns')) - Number(await v.getAttribute('data-start-ns'))
}

test.beforeEach(async ({ page }) => {
  await page.goto('/')
  await waitDone(page)
})

test('plain wheel over the timeline scrolls the page; Ctrl+wheel zooms', async ({ page }) => {
  const canvas = page.getByRole('img', { name: /^Timeline current/ })
  const box = (await canvas.boundingBox())!
  const full = await span(page)
  await page.mouse.move(box.x + box.width / 2, box.y + 60)
  await page.mouse.wheel(0, 300)
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0)
  expect(await span(page)).toBe(full)
  // back up, then zoom in with Ctrl held
  await page.evaluate(() => window.scrollTo(0, 0))
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0)
  await page.mouse.move(box.x + box.width / 2, box.y + 60)
  await page.keyboard.down('Control')
  await page.mouse.wheel(0, -300)
  await page.keyboard.up('Control')
  await expect.poll(() => span(page)).toBeLessThan(full)
  expect(await page.evaluate(() => window.scrollY)).toBe(0)
})

test('W zooms when the page has focus, not while a /proc/irq switch has focus', async ({ page }) => {
  const full = await span(page)
  const sw = page.getByRole('switch', { name: 'threaded' }).first()
  await sw.focus()
  await page.keyboard.press('w')
  await page.keyboard.press('d')
  expect(await span(page)).toBe(full)
  await expect(sw).toBeFocused()
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  await page.keyboard.press('w')
  await expect.poll(() => span(page)).toBeLessThan(full)
})

test('the timeline is at most 25 Tab stops from the top (skip link not used)', async ({ page }) => {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  let stops = 0
  for (; stops < 80; stops++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate(() => document.activeElement?.classList.contains('tl-canvas') ?? false)) break
  }
  expect(stops + 1).toBeLessThanOrEqual(25)
})

test('/proc/irq is one Tab stop with arrow keys inside; Space flips a switch', async ({ page }) => {
  const group = page.getByRole('group', { name: /IRQ settings/ })
  await group.getByRole('button', { name: 'All threaded' }).focus()
  await page.keyboard.press('ArrowDown')
  const threaded0 = group.getByRole('switch', { name: 'threaded' }).first()
  await expect(threaded0).toBeFocused()
  await page.keyboard.press('ArrowRight')
  const normal0 = group.getByRole('switch', { name: 'SCHED_NORMAL' }).first()
  await expect(normal0).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(group.getByRole('switch', { name: 'SCHED_NORMAL' }).nth(1)).toBeFocused()
  await page.keyboard.press('ArrowUp')
  await expect(normal0).toBeFocused()
  const before = await normal0.getAttribute('aria-checked')
  await page.keyboard.press('Space')
  await expect(normal0).not.toHaveAttribute('aria-checked', before!)
  // one Tab leaves the whole group; Shift+Tab comes back to the knob last used
  await page.keyboard.press('Tab')
  await expect(page.locator('summary', { hasText: 'Mid-run write' })).toBeFocused()
  await page.keyboard.press('Shift+Tab')
  await expect(normal0).toBeFocused()
})

test('choosing a preset by keyboard keeps the focus on the Presets menu', async ({ page }) => {
  const summary = page.locator('summary', { hasText: 'Presets' })
  await summary.focus()
  await page.keyboard.press('Enter')
  await page.getByRole('list', { name: 'Presets' }).getByRole('button').nth(1).focus()
  await page.keyboard.press('Enter')
  await expect(summary).toBeFocused()
})
