// Issue 10 in the playground: today's knobs set from the controls, printed as the commands a person
// would type (sysfs, sysctl, netlink napi-set, the application's epoll_params), and written mid-run.
import { expect, test, type Page } from '@playwright/test'
import { decodeStateHash, type LinkState } from '../src/state/urlCodec.ts'
import { changeAndWait, metric, shiftDrag, waitDone } from './helpers.ts'

async function setNumber(page: Page, name: string | RegExp, value: string): Promise<void> {
  await changeAndWait(page, async () => {
    const f = page.getByRole('spinbutton', { name })
    await f.fill(value)
    await f.press('Enter')
  })
}

/** The state in the page's address bar (the debounced history write), or null. */
function linkOf(page: Page): LinkState | null {
  const r = decodeStateHash(new URL(page.url()).hash)
  return r.ok ? r.state : null
}

test.beforeEach(async ({ page }) => {
  await page.goto('/')
  await waitDone(page)
})

test('the memcached-suspend20 preset: its controls, and the sysfs, netlink and epoll commands that set it up', async ({ page }) => {
  await page.locator('summary', { hasText: 'Presets' }).click()
  const preset = page.getByRole('list', { name: 'Presets' }).getByRole('button', { name: /suspend20/ })
  await expect(preset).toContainText('IRQ suspension (irq-suspend-timeout 20 ms')
  await changeAndWait(page, () => preset.click())
  // the controls show the preset's machine, workload and knobs
  await expect(page.getByRole('combobox', { name: 'Hardware' })).toHaveValue('2020s-mlx5-100g')
  await expect(page.getByRole('radio', { name: 'request/response' })).toHaveAttribute('aria-checked', 'true')
  await expect(page.getByRole('spinbutton', { name: 'Threads threads' })).toHaveValue('8')
  await expect(page.getByRole('checkbox', { name: 'prefer_busy_poll' })).toBeChecked()
  await expect(page.getByRole('spinbutton', { name: 'busy_poll_budget packets' })).toHaveValue('64')
  await expect(page.getByRole('spinbutton', { name: 'irq-suspend-timeout µs' })).toHaveValue('20000')
  await expect(page.getByRole('row', { name: /^Latency p50 \(request → response\)/ })).toBeVisible()

  await page.getByText('/sys/class/net/eth0', { exact: true }).click()
  const cmds = page.getByLabel('Commands for this scenario')
  await expect(cmds).toHaveText([
    'echo 100 > /sys/class/net/eth0/napi_defer_hard_irqs',
    'echo 20000 > /sys/class/net/eth0/gro_flush_timeout   # ns',
    `for id in $(seq 8193 8200); do ynl --family netdev --do napi-set --json '{"id": '$id', "irq-suspend-timeout": 20000000}'; done`,
  ].join('\n'))
  const epoll = page.getByLabel('Application epoll parameters')
  await expect(epoll).toContainText('struct epoll_params params = {')
  await expect(epoll).toContainText('.busy_poll_usecs = 0,')
  await expect(epoll).toContainText('.busy_poll_budget = 64,')
  await expect(epoll).toContainText('.prefer_busy_poll = 1,')
  await expect(epoll).toContainText('ioctl(epfd, EPIOCSPARAMS, &params);')

  // one NAPI's own gro-flush-timeout (ns, as netlink takes it): printed after the device-wide values
  await page.getByText('Per NAPI: netlink napi-set').click()
  const napi = page.getByRole('spinbutton', { name: 'gro-flush-timeout of NAPI 8195 (ns)' })
  await expect(napi).toHaveAttribute('placeholder', '20000')
  await changeAndWait(page, async () => {
    await napi.fill('50000')
    await napi.press('Enter')
  })
  await expect(page.getByLabel('Equivalent command')).toHaveText(`ynl --family netdev --do napi-set --json '{"id": 8195, "gro-flush-timeout": 50000}'`)
  await expect(cmds).toContainText(`done\nynl --family netdev --do napi-set --json '{"id": 8195, "gro-flush-timeout": 50000}'`)

  // an era without IRQ suspension is refused with the engine's reason; the scenario stays as it was
  await page.getByRole('combobox', { name: 'Kernel era' }).selectOption('v6.5+')
  await expect(page.getByRole('alert').filter({ hasText: 'irq-suspend-timeout exist from 6.13 (choose era v6.6+)' })).toBeVisible()
  await expect(page.getByRole('combobox', { name: 'Kernel era' })).toHaveValue('v6.6+')
  await expect(page.getByRole('spinbutton', { name: 'irq-suspend-timeout µs' })).toBeEnabled()
})

test('epoll busy polling set on the local receiver runs: busy poll CPU time appears', async ({ page }) => {
  await expect(page.getByRole('spinbutton', { name: /busy_poll_usecs/ })).toHaveCount(0) // guest consumer: no application fields
  // the machine / traffic box is collapsed at the defaults and says what they are
  await expect(page.getByTestId('machine-summary')).toHaveText('2016 · ixgbe 10GbE · stream · netdev_budget 300')
  await page.getByText('Machine, traffic, kernel budgets').click()
  const rr = page.getByRole('radio', { name: 'request/response' })
  await expect(rr).toBeDisabled()
  await expect(rr).toHaveAttribute('title', /needs the local receiver/)
  await expect(page.getByRole('spinbutton', { name: 'netdev_budget_usecs µs' })).toBeDisabled()
  await changeAndWait(page, async () => { await page.getByRole('combobox', { name: 'Consumer' }).selectOption('local') })
  // era v4.7 (the default) has no busy_poll_budget / prefer_busy_poll: disabled, saying which kernel has them
  const budget = page.getByRole('spinbutton', { name: 'busy_poll_budget packets' })
  await expect(budget).toBeDisabled()
  await expect(page.locator('.ctl-field', { has: budget })).toHaveAttribute('title', /exists from Linux 5\.11: choose kernel era v4\.9 – v6\.4 or later/)
  await expect(page.getByRole('checkbox', { name: 'prefer_busy_poll' })).toBeDisabled()
  await expect(page.getByTestId('busy-poll-time')).toHaveAttribute('data-ns', '0')
  // a rate the receiver keeps up with, so epoll_wait finds its socket empty and polls
  await setNumber(page, 'Per-flow rate', '100')
  await setNumber(page, 'busy_poll_usecs µs', '50')
  const time = page.getByTestId('busy-poll-time')
  await expect.poll(async () => Number(await time.getAttribute('data-ns'))).toBeGreaterThan(5e6)
  await expect(time).toContainText(/Busy poll in the run on screen: [\d.]+ ms of CPU time/)
  await expect(page.getByRole('list', { name: 'Legend' })).toContainText('busy poll')
  await expect(metric(page, 'deliveredKpps')).toHaveText(/^(99|100)(\.\d+)? kpps$/)
  // the selection statistics count it as its own kind
  const canvas = page.getByRole('img', { name: /Timeline current/ })
  // the fields above scrolled the page: bring the lanes back into view before dragging over them
  await page.evaluate(() => window.scrollTo(0, 0))
  const box = (await canvas.boundingBox())!
  await shiftDrag(page, [[box.x + 200, box.y + 60], [box.x + box.width - 20, box.y + 80]], 4)
  const byKind = page.getByRole('region', { name: /^Selection/ }).getByRole('table', { name: 'By kind current' })
  await expect(byKind.getByRole('row', { name: /^busy poll / })).toContainText('%')
})

test('a knob write is scheduled, listed, applied by the run, parked past a shortened run (kept by a link and Back/Forward), and removed', async ({ page, context }) => {
  await changeAndWait(page, async () => { await page.getByRole('combobox', { name: 'Kernel era' }).selectOption('v6.6+') })
  await page.getByText('Mid-run write').click()
  const knob = page.getByRole('combobox', { name: 'knob', exact: true })
  const value = page.getByRole('spinbutton', { name: /^value/ })
  const add = page.getByRole('button', { name: 'Schedule knob write' })
  // out of range: refused before the engine sees it
  await knob.selectOption('netdev_budget')
  await expect(page.getByRole('spinbutton', { name: /^value/ })).toHaveAccessibleName('value packets')
  await value.fill('0')
  await add.click()
  await expect(page.getByRole('alert').filter({ hasText: 'netdev_budget: a value 1..100000 (packets)' })).toBeVisible()
  await page.getByRole('spinbutton', { name: 'at ms', exact: true }).fill('40')
  await value.fill('600')
  await changeAndWait(page, () => add.click())
  const list = page.getByRole('list', { name: 'Scheduled knob writes' })
  await expect(list.getByRole('listitem')).toHaveCount(1)
  await expect(list.getByRole('listitem')).toContainText('t = 40 ms: net.core.netdev_budget = 600 packets')
  await expect(list.getByTestId('knob-write')).toHaveAttribute('data-applied', 'true')
  await expect(page.getByTestId('shell-command')).toHaveText('sleep 0.040; sysctl -w net.core.netdev_budget=600')
  await expect(page.locator('summary', { hasText: 'Mid-run write' })).toContainText('(1 scheduled)')
  // the write is a mark on the timeline, as the /proc/irq switches are: scheduled (dashed) and applied (solid, drawn over it)
  await expect(page.getByTestId('timeline-current')).toHaveAttribute('data-markers', '2')

  // a per-NAPI knob on one NAPI, in µs (the command prints ns)
  await knob.selectOption('gro_flush_timeout')
  await page.getByRole('combobox', { name: 'on', exact: true }).selectOption('0')
  await page.getByRole('spinbutton', { name: 'at ms', exact: true }).fill('50')
  await value.fill('20')
  await changeAndWait(page, () => add.click())
  await expect(list.getByRole('listitem')).toHaveCount(2)
  await expect(list.getByRole('listitem').nth(1)).toContainText('gro_flush_timeout = 20 µs → NAPI 8193 (queue 0)')
  await expect(page.getByTestId('shell-command')).toHaveText(`sleep 0.050; ynl --family netdev --do napi-set --json '{"id": 8193, "gro-flush-timeout": 20000}'`)

  // the engine's own check: the guest consumer has no application thread to write to
  await knob.selectOption('busy_poll_usecs')
  await value.fill('50')
  await add.click()
  await expect(page.getByRole('alert').filter({ hasText: "busy_poll_usecs is the local application's (consumer.kind local)" })).toBeVisible()
  await expect(list.getByRole('listitem')).toHaveCount(2)

  // a shorter run parks the later write (kept, flagged); the original length brings it back
  await expect.poll(() => linkOf(page)?.scenario.writes.length).toBe(2) // the entry before the edit is written
  await setNumber(page, 'Duration', '45')
  const parked = page.getByTestId('parked-knob-write')
  await expect(parked).toHaveCount(1)
  await expect(parked).toContainText('gro_flush_timeout')
  await expect(parked).toContainText('after the end (45 ms): not applied')
  await expect(list.getByTestId('knob-write')).toHaveCount(1)

  // the parked write travels in the link: a new page shows it flagged, and lengthening the run there applies it
  await expect.poll(() => linkOf(page)?.parkedWrites).toEqual([{ atMs: 50, knob: 'gro_flush_timeout', index: 0, value: 20 }]) // the edit's entry
  await page.getByRole('button', { name: 'Copy link' }).click()
  const link = page.url()
  expect(link).toMatch(/#s=2\.[A-Za-z0-9_-]+$/)
  const p2 = await context.newPage()
  await p2.goto(link)
  await waitDone(p2)
  await expect(p2.getByRole('alert').filter({ hasText: 'Could not open' })).toHaveCount(0)
  const parked2 = p2.getByTestId('parked-knob-write')
  await expect(parked2).toHaveCount(1)
  await expect(parked2).toContainText('gro_flush_timeout = 20 µs → NAPI 8193 (queue 0)')
  await expect(parked2).toContainText('after the end (45 ms): not applied')
  await expect(p2.locator('summary', { hasText: 'Mid-run write' })).toContainText('(2 scheduled)')
  await setNumber(p2, 'Duration', '100')
  await expect(parked2).toHaveCount(0)
  await expect(p2.getByRole('list', { name: 'Scheduled knob writes' }).getByTestId('knob-write')).toHaveCount(2)
  await p2.close()

  // Back (and Ctrl+Z) return to the entry before the write was parked; Forward (and Ctrl+Shift+Z) park it again
  await changeAndWait(page, async () => { await page.goBack() })
  await expect(page.getByRole('spinbutton', { name: 'Duration' })).toHaveValue('100')
  await expect(parked).toHaveCount(0)
  await expect(list.getByTestId('knob-write')).toHaveCount(2)
  await changeAndWait(page, async () => { await page.goForward() })
  await expect(page.getByRole('spinbutton', { name: 'Duration' })).toHaveValue('45')
  await expect(parked).toHaveCount(1)
  await expect(parked).toContainText('gro_flush_timeout = 20 µs → NAPI 8193 (queue 0)')
  await expect(list.getByTestId('knob-write')).toHaveCount(1)
  await page.getByRole('spinbutton', { name: 'Duration' }).blur() // keys typed in a field are the field's
  await changeAndWait(page, () => page.keyboard.press('Control+z'))
  await expect(parked).toHaveCount(0)
  await changeAndWait(page, () => page.keyboard.press('Control+Shift+z'))
  await expect(parked).toHaveCount(1)
  await expect(parked).toContainText('after the end (45 ms): not applied')

  await setNumber(page, 'Duration', '100')
  await expect(parked).toHaveCount(0)
  await expect(list.getByTestId('knob-write')).toHaveCount(2)

  await changeAndWait(page, () => page.getByRole('button', { name: 'Remove knob write netdev_budget at 40 ms' }).click())
  await changeAndWait(page, () => page.getByRole('button', { name: 'Remove knob write gro_flush_timeout at 50 ms' }).click())
  await expect(list).toHaveCount(0)
})
