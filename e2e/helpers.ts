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
