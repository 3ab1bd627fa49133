// Fixes from the UX review: empty fields, delta colours, skip link.
import { expect, test } from '@playwright/test'
import { waitDone } from './helpers.ts'

test.beforeEach(async ({ page }) => {
  await page.goto('/')
  await waitDone(page)
})

test('emptying an IRQ\'s CPU field shows a message and keeps its affinity', async ({ page }) => {
  const irq = page.getByRole('group', { name: '/proc/irq/46/eth0-TxRx-1' })
  const cpu = irq.getByRole('spinbutton', { name: 'CPU' })
  await cpu.fill('')
  await cpu.press('Enter')
  await expect(irq.getByRole('alert')).toHaveText('CPU must be 0..15 (kept 1)')
  await expect(cpu).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByTestId('shell-command')).toHaveText('(change a knob)')
  await cpu.fill('3')
  await cpu.press('Enter')
  await expect(page.getByTestId('shell-command')).toHaveText('echo 3 > /proc/irq/46/smp_affinity_list')
})

test('an empty "at t =" schedules nothing', async ({ page }) => {
  await page.getByText('Mid-run write').click()
  await page.getByRole('spinbutton', { name: 'at t =' }).fill('')
  await page.getByRole('button', { name: 'Schedule write' }).click()
  await expect(page.getByRole('alert').filter({ hasText: 't must be between 0 and 100 ms' })).toBeVisible()
  await expect(page.getByRole('list', { name: 'Scheduled writes' })).toHaveCount(0)
})

test('the first Tab stop skips the controls to the timeline', async ({ page }) => {
  await page.keyboard.press('Tab')
  const skip = page.getByRole('button', { name: 'Skip to timeline' })
  await expect(skip).toBeFocused()
  await expect(skip).toBeInViewport()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('img', { name: /^Timeline current/ })).toBeFocused()
  // the slice keys work from there
  await page.keyboard.press('ArrowRight')
  await expect(page.getByRole('tooltip')).toBeVisible()
})
