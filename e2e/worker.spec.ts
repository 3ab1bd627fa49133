import { expect, test } from '@playwright/test'

test('a request reaches the worker and its result reaches the page', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-done', 'true')
  await expect(page.getByTestId('timeline-current')).toHaveAttribute('data-drawn', 'true')
})
