import { expect, type Page } from '@playwright/test'

/** Wait until the result on screen belongs to the scenario on screen, and the canvas has drawn it. */
export async function waitDone(page: Page): Promise<void> {
  const st = page.getByTestId('run-status')
  await expect(st).toHaveAttribute('data-done', 'true')
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))))
}

/** Run an action that changes the scenario, then wait for the new result. */
export async function changeAndWait(page: Page, action: () => Promise<void>): Promise<void> {
  const st = page.getByTestId('run-status')
  const rev = Number(await st.getAttribute('data-scenario-rev'))
  await action()
  await expect.poll(async () => Number(await st.getAttribute('data-scenario-rev'))).toBeGreaterThan(rev)
  await waitDone(page)
}

export const metric = (page: Page, key: string) => page.getByTestId(`metric-${key}`)

/** Shift-drag over the timeline (Perfetto's range selection) through page coordinates, `steps` mouse moves per leg. */
export async function shiftDrag(page: Page, points: Array<[number, number]>, steps = 4): Promise<void> {
  await page.keyboard.down('Shift')
  await page.mouse.move(points[0]![0], points[0]![1])
  await page.mouse.down()
  for (const [x, y] of points.slice(1)) await page.mouse.move(x, y, { steps })
  await page.mouse.up()
  await page.keyboard.up('Shift')
}
