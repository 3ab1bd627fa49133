// Issue 12 item 4: per-packet paths. Follow a sampled packet that was read through the seed-2016
// path (host rx poll → vhost copy on host CPUs → guest rx poll → read on guest vCPUs): its hops are
// listed in order with their CPUs, drawn on the host and guest timelines, the window moves to it;
// the breakdown shows the time in each queue with units and the fates of the sample.
import { expect, test } from '@playwright/test'
import { changeAndWait, waitDone } from './helpers.ts'

test('seed-2016: follow a packet that was read; its path is drawn across host and guest lanes; per-queue breakdown', async ({ page }) => {
  await page.goto('/')
  await waitDone(page)
  await page.locator('summary', { hasText: 'Presets' }).click()
  await changeAndWait(page, () => page.getByRole('button', { name: /2016 experiment: softirq/ }).click())

  const panel = page.getByRole('region', { name: /Packet paths/ })
  await expect(panel).toBeVisible()
  // the breakdown: every queue of the guest path with a median and p99 in µs, and the total beside the engine's
  const table = panel.getByRole('table', { name: 'Time in each queue' })
  for (const q of ['in NIC ring', 'in tun queue', 'in virtio ring', 'in socket', 'wire → read']) {
    const row = table.getByRole('row', { name: new RegExp(`^${q}`) }).first()
    await expect(row).toBeVisible()
    await expect(row.getByRole('cell').nth(0)).toHaveText(/^[\d,.]+ µs$/)
    await expect(row.getByRole('cell').nth(1)).toHaveText(/^[\d,.]+ µs$/)
  }
  await expect(table.getByRole('row', { name: /all packets \(engine\)/ }).getByRole('cell').nth(0)).toHaveText(/^[\d,.]+ µs$/)
  // fates: the 2016 softirq run drops most packets at the tun queue; some are read
  const fates = panel.getByRole('table', { name: 'Fate of the sampled packets' })
  await expect(fates.getByRole('row', { name: /^read / })).toBeVisible()
  await expect(fates.getByRole('row', { name: /^dropped: tun queue / })).toBeVisible()

  // the list defaults to packets that were read; follow the first
  const fate = panel.getByRole('combobox', { name: 'Fate' })
  await expect(fate).toHaveValue('read')
  const list = panel.getByRole('table', { name: 'Sampled packets' })
  const first = list.getByRole('button', { name: /^Follow #\d+$/ }).first()
  const id = (await first.textContent())!.replace('Follow ', '')
  await first.click()

  const hops = panel.getByRole('list', { name: `Path of packet ${id}` })
  await expect(hops).toBeVisible()
  const stages = (await hops.getAttribute('data-stages'))!.split('|')
  expect(stages.map((s) => s.split('@')[0])).toEqual(['host rx poll', 'vhost copy', 'guest rx poll', 'read by the application'])
  expect(stages[0]).toMatch(/@CPU \d+$/)
  expect(stages[1]).toMatch(/@CPU \d+$/)
  expect(stages[2]).toMatch(/@vCPU \d+$/)
  expect(stages[3]).toMatch(/@vCPU \d+$/)
  await expect(hops.getByRole('listitem')).toHaveText([
    /^on the wire at /,
    /in NIC ring [\d,.]+ µs → host rx poll on CPU \d+/,
    /in tun queue [\d,.]+ µs → vhost copy on CPU \d+ \(vhost-/,
    /in virtio ring [\d,.]+ µs → guest rx poll on vCPU \d+/,
    /in socket [\d,.]+ µs → read by the application on vCPU \d+ \(netperf/,
    /^wire → read: [\d,.]+ µs$/,
  ])

  // drawn: the host canvas has the two host hops, the guest canvas the two guest hops, on the same lanes
  const host = page.getByRole('img', { name: /^Timeline current:/ })
  const guest = page.getByRole('img', { name: /^Timeline guest current:/ })
  await expect(host).toHaveAttribute('data-path-hops', '2')
  await expect(guest).toHaveAttribute('data-path-hops', '2')
  expect(await host.getAttribute('data-path-stages')).toBe(stages.slice(0, 2).join('|'))
  expect(await guest.getAttribute('data-path-stages')).toBe(stages.slice(2).join('|'))

  // the visible window moved to the packet: it covers the wire arrival and the read, and is far narrower than the run
  const w = page.getByTestId('visible-window')
  const t0 = Number(await w.getAttribute('data-start-ns'))
  const t1 = Number(await w.getAttribute('data-end-ns'))
  expect(t1 - t0).toBeLessThan(50e6)
  const wire = Number(await hops.getAttribute('data-wire-ns'))
  const end = Number(await hops.getAttribute('data-end-ns'))
  expect(wire).toBeGreaterThanOrEqual(t0)
  expect(end).toBeLessThanOrEqual(t1)
  expect(end).toBeGreaterThan(wire)

  // stop following: nothing drawn
  await panel.getByRole('button', { name: 'Stop following' }).click()
  await expect(host).toHaveAttribute('data-path-hops', '0')
  await expect(guest).toHaveAttribute('data-path-hops', '0')
})

test('a packet can be followed from the slice that carried it (details panel)', async ({ page }) => {
  await page.goto('/')
  await waitDone(page)
  await page.locator('summary', { hasText: 'Presets' }).click()
  await changeAndWait(page, () => page.getByRole('button', { name: /2016 experiment: softirq/ }).click())
  const panel = page.getByRole('region', { name: /Packet paths/ })
  // follow a read packet to learn a slice that carried it, then click that slice on the guest canvas
  await panel.getByRole('table', { name: 'Sampled packets' }).getByRole('button', { name: /^Follow #\d+$/ }).first().click()
  const guest = page.getByRole('img', { name: /^Timeline guest current:/ })
  await expect(guest).toHaveAttribute('data-path-hops', '2')
  const pos = await guest.evaluate((c) => (c as HTMLCanvasElement).dataset.pathPoints ?? '')
  const [x, y] = pos.split('|')[0]!.split(',').map(Number) as [number, number]
  await guest.click({ position: { x: x - 1, y } })
  const details = page.getByRole('region', { name: /Slice details/ })
  await expect(details).toBeVisible()
  const follow = details.getByRole('button', { name: /^Follow packet #\d+ \(guest rx poll, flow \d+, read\)/ })
  await expect(follow.first()).toBeVisible()
  await follow.first().click()
  await expect(guest).toHaveAttribute('data-path-hops', '2')
})
