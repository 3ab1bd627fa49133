import { expect, test } from '@playwright/test'
import { changeAndWait, waitDone } from './helpers.ts'

test.beforeEach(async ({ page }) => {
  await page.goto('/')
  await waitDone(page)
})

test('/sys/class/net/eth0: deferral knobs need v5.7+, print the sysfs and netlink commands, and re-run; threaded = 2 is busy-poll NAPI', async ({ page }) => {
  await page.getByText('/sys/class/net/eth0', { exact: true }).click()
  const defer = page.getByRole('spinbutton', { name: 'napi_defer_hard_irqs' })
  await expect(defer).toBeDisabled()
  await expect(page.getByLabel('Commands for this scenario')).toHaveText("# nothing to set: the kernel's defaults")
  // per-NAPI values (netlink, 6.13+) need era v6.6+: disabled, saying so
  await page.getByText('Per NAPI: netlink napi-set').click()
  await expect(page.getByRole('spinbutton', { name: 'defer-hard-irqs of NAPI 8193 (polls)' })).toBeDisabled()
  await expect(page.getByText(/per-NAPI config \(netlink napi-set\) exists from Linux 6\.13/)).toBeVisible()
  await changeAndWait(page, async () => { await page.getByRole('combobox', { name: 'Kernel era' }).selectOption('v6.6+') })
  await expect(defer).toBeEnabled()
  await changeAndWait(page, async () => {
    await defer.fill('2')
    await defer.press('Enter')
  })
  const cmd = page.getByLabel('Equivalent command')
  await expect(cmd).toContainText('echo 2 > /sys/class/net/eth0/napi_defer_hard_irqs')
  await expect(cmd).toContainText('"defer-hard-irqs": 2')
  await expect(page.getByLabel('Commands for this scenario')).toHaveText('echo 2 > /sys/class/net/eth0/napi_defer_hard_irqs')
  await expect(page.getByRole('spinbutton', { name: 'defer-hard-irqs of NAPI 8193 (polls)' })).toHaveAttribute('placeholder', '2')
  const gro = page.getByRole('spinbutton', { name: 'gro_flush_timeout' })
  await changeAndWait(page, async () => {
    await gro.fill('20000')
    await gro.press('Enter')
  })
  await expect(cmd).toContainText('echo 20000 > /sys/class/net/eth0/gro_flush_timeout')
  await changeAndWait(page, async () => { await page.getByRole('combobox', { name: 'threaded' }).selectOption('2') })
  await expect(cmd).toContainText('"threaded": "busy-poll"')
  await expect(page.getByRole('radio', { name: 'threaded NAPI' })).toHaveAttribute('aria-checked', 'true')
})
