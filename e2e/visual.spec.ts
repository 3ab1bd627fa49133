// Visual snapshots of the main views for a fixed scenario and seed. They depend on engine output:
// after calibration changes, regenerate with `npx playwright test -g @visual --update-snapshots`.
import { expect, test } from '@playwright/test'
import type { Page } from '@playwright/test'
import { changeAndWait, waitDone } from './helpers.ts'

/**
 * Park the pointer and focus outside the UI, then let the canvas settle: no hover or focus styles.
 * Then every element is painted afresh: a partial repaint can leave the antialiased pixels of a rounded
 * corner (a panel's, a button's) as an earlier frame drew them, ±1 in a channel, so the picture would
 * depend on the order in which the frames before it changed the page, not only on what the page shows.
 */
async function settle(page: Page) {
  const vp = page.viewportSize()!
  await page.mouse.move(vp.width - 1, vp.height - 1)
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  await waitDone(page)
  // an outline style that draws nothing invalidates each element's paint (set, a frame, removed, a frame)
  await page.evaluate(() => new Promise<void>((done) => {
    const els = [...document.querySelectorAll<HTMLElement | SVGElement>('*')].filter((e) => !e.style.outline)
    const frames = (n: number, then: () => void) => requestAnimationFrame(() => (n > 1 ? frames(n - 1, then) : then()))
    for (const e of els) e.style.outline = '0px solid transparent'
    frames(2, () => { for (const e of els) e.style.outline = ''; frames(2, done) })
  }))
}
const mask = (page: Page) => ({ mask: [page.getByTestId('run-status')] })

test.describe('@visual', () => {
  test('main view, 2016 experiment (threaded IRQs)', async ({ page }) => {
    await page.goto('/')
    await waitDone(page)
    await page.locator('summary', { hasText: 'Presets' }).click()
    await changeAndWait(page, () => page.getByRole('button', { name: /2016 experiment: threaded IRQs/ }).click())
    await settle(page)
    await expect(page).toHaveScreenshot('main.png', mask(page))
  })

  test('compare view, zoomed in with wakeups', async ({ page }) => {
    // the size the compare layout is made for: A's and B's CPU lanes on one screen
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.goto('/')
    await waitDone(page)
    await page.getByRole('button', { name: 'Pin as A' }).click()
    await changeAndWait(page, () => page.getByRole('radio', { name: 'threaded IRQ' }).click())
    const vis = page.getByTestId('visible-window')
    // timeline keys act when the page (or the timeline) has focus, not the radio just clicked
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    for (let i = 0; i < 14; i++) await page.keyboard.press('KeyW')
    await expect(vis).not.toHaveAttribute('data-end-ns', '100000000')
    await waitDone(page)
    await settle(page)
    await expect(page).toHaveScreenshot('compare-zoomed.png', mask(page))
  })

  test('narrow screen, 800 px', async ({ page }) => {
    await page.setViewportSize({ width: 800, height: 1000 })
    await page.goto('/')
    await waitDone(page)
    await settle(page)
    await expect(page).toHaveScreenshot('narrow-800.png', mask(page))
  })

    test('experiment view, small grid', async ({ page }) => {
    await page.goto('/#view=experiment&payloads=64,1400&flows=1,25&modes=softirq,threaded-irq&cellMs=100')
    await page.getByRole('button', { name: 'Run 8 cells' }).click()
    const progress = page.getByTestId('experiment-progress')
    await expect(progress).toHaveAttribute('data-status', 'done')
    await page.mouse.move(1279, 799)
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    // the progress line holds the wall time: masked
    await expect(page).toHaveScreenshot('experiment.png', { mask: [progress], fullPage: true })
  })
})
