import { expect, test } from '@playwright/test'

test('a request reaches the worker and its typed-array answer reaches the page', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByTestId('worker-status')).toHaveText('worker ok: 1000 values, last 1998')
})
