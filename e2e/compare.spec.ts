// Issue 13, compare and layout: A and B on one 1440×900 screen, one counter scale per counter,
// hideable counters kept in the link, counters by keyboard, a labelled thread table, narrow screens.
import { expect, test, type Locator, type Page } from '@playwright/test'
import { changeAndWait, waitDone } from './helpers.ts'

/** "Counter NIC rx rings (all queues), A and B, scale 0 to 512 packets" → { name: 512 } */
async function scales(page: Page): Promise<Map<string, number>> {
  const names = await page.getByRole('slider', { name: /^Counter / }).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))
  const out = new Map<string, number>()
  for (const n of names) {
    const m = /^Counter (.+?)(, A and B)?, scale 0 to ([\d.,]+)[kM]? /.exec(n)
    if (m) out.set(m[1]!, Number(m[3]!.replace(/,/g, '')))
  }
  return out
}

async function pinAndChange(page: Page) {
  await page.getByRole('button', { name: 'Pin as A' }).click()
  await changeAndWait(page, async () => {
    await page.getByRole('spinbutton', { name: 'Flows' }).fill('25')
    await page.getByRole('spinbutton', { name: 'Flows' }).press('Enter')
  })
}

test.describe('compare at 1440×900', () => {
  test.use({ viewport: { width: 1440, height: 900 } })

  test('A and B are on screen together; counters once, on one scale per counter shared by A and B', async ({ page }) => {
    await page.goto('/')
    await waitDone(page)
    const single = await scales(page)
    expect(single.size).toBeGreaterThanOrEqual(4)
    await pinAndChange(page)
    const a = page.getByRole('img', { name: /^Timeline A/ })
    const b = page.getByRole('img', { name: /^Timeline B/ })
    const boxA = (await a.boundingBox())!
    const boxB = (await b.boundingBox())!
    // all of A's lanes and all of B's CPU lanes above the fold, without scrolling
    expect(boxA.y + boxA.height).toBeLessThanOrEqual(900)
    const lanesBottomB = Number(await page.getByTestId('timeline-B').getAttribute('data-lanes-bottom'))
    expect(boxB.y + lanesBottomB).toBeLessThanOrEqual(900)
    // one counter track per counter (in B's canvas, A's line beside B's), none in A's canvas
    await expect(page.getByRole('group', { name: 'Counter tracks A' })).toHaveCount(0)
    const shared = await scales(page)
    expect(shared.size).toBe(single.size)
    await expect(page.getByRole('slider', { name: /^Counter NIC rx rings.*, A and B, scale/ })).toHaveCount(1)
    // the shared scale is the larger of the two runs' own scales, for every counter
    await page.getByRole('button', { name: 'Unpin A' }).click()
    await expect(page.getByRole('img', { name: /^Timeline A/ })).toHaveCount(0)
    const onlyB = await scales(page)
    let differs = 0
    for (const [name, s] of shared) {
      const sa = single.get(name)!
      const sb = onlyB.get(name)!
      expect(s, name).toBe(Math.max(sa, sb))
      if (sa !== sb) differs++
    }
    expect(differs, 'the runs differ in at least one counter scale').toBeGreaterThan(0)
  })

  test('the counter tracks can be hidden, and the link keeps it', async ({ page }) => {
    await page.goto('/')
    await waitDone(page)
    await pinAndChange(page)
    const toggle = page.getByRole('checkbox', { name: 'Counter tracks' })
    await expect(toggle).toBeChecked()
    await expect(page.getByRole('slider', { name: /^Counter / }).first()).toBeAttached()
    const h0 = (await page.getByRole('img', { name: /^Timeline B/ }).boundingBox())!.height
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#s=2\./)
    const hash0 = await page.evaluate(() => location.hash)
    await toggle.uncheck()
    await expect(page.getByRole('slider', { name: /^Counter / })).toHaveCount(0)
    await expect.poll(async () => (await page.getByRole('img', { name: /^Timeline B/ }).boundingBox())!.height).toBeLessThan(h0 - 200)
    // the full-state link carries it (like the thread-lane and wakeup toggles)
    await expect.poll(() => page.evaluate(() => location.hash)).not.toBe(hash0)
    const url = page.url()
    const page2 = await page.context().newPage()
    await page2.goto(url)
    await waitDone(page2)
    await expect(page2.getByRole('checkbox', { name: 'Counter tracks' })).not.toBeChecked()
    await expect(page2.getByRole('img', { name: /^Timeline A/ })).toBeVisible()
    await expect(page2.getByRole('slider', { name: /^Counter / })).toHaveCount(0)
    // and Back brings them back
    await page.goBack()
    await expect(page.getByRole('checkbox', { name: 'Counter tracks' })).toBeChecked()
  })

  test('the thread table names A and B in every compared column', async ({ page }) => {
    await page.goto('/')
    await waitDone(page)
    await pinAndChange(page)
    const table = page.getByRole('table', { name: 'Threads' })
    const heads = await table.getByRole('columnheader').allTextContents()
    expect(heads[0]).toBe('Thread')
    for (const h of heads.slice(1)) expect(h, `column "${h}"`).toMatch(/ (A|B|B − A)$/)
    for (const m of ['CPU time', '% of run', 'migrations', 'wakeups']) {
      await expect(table.getByRole('columnheader', { name: `${m} A`, exact: true })).toHaveCount(1)
      await expect(table.getByRole('columnheader', { name: `${m} B`, exact: true })).toHaveCount(1)
    }
    // a row has a value (or a dash) under each of them
    const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'vhost-4242', exact: true }) })
    await expect(row.getByRole('cell')).toHaveCount(heads.length - 1)
    await expect(row.getByRole('cell').nth(3)).toHaveText(/% *$/)
    await expect(row.getByRole('cell').nth(4)).toHaveText(/% *$/)
  })
})

test('counter tracks by keyboard: one Tab stop after the timeline, arrows move a cursor and announce the value', async ({ page }) => {
  await page.goto('/')
  await waitDone(page)
  await page.getByRole('img', { name: /^Timeline current/ }).focus()
  await page.keyboard.press('Tab')
  const rings = page.getByRole('slider', { name: /^Counter NIC rx rings/ })
  await expect(rings).toBeFocused()
  const text0 = await rings.getAttribute('aria-valuetext')
  expect(text0).toMatch(/^at [\d.]+ ms: [\d.,]+k? packets$/)
  const now0 = Number(await rings.getAttribute('aria-valuenow'))
  await page.keyboard.press('Home')
  await expect(rings).toHaveAttribute('aria-valuenow', '0')
  await page.keyboard.press('Shift+ArrowRight')
  await expect(rings).toHaveAttribute('aria-valuenow', '10')
  await page.keyboard.press('ArrowRight')
  await expect(rings).toHaveAttribute('aria-valuenow', '11')
  await expect(rings).toHaveAttribute('aria-valuetext', /^at 11(\.0+)? ms: [\d.,]+k? packets$/)
  expect(now0).toBe(50)
  // the value shows in the tooltip too
  await expect(page.getByRole('tooltip')).toContainText('NIC rx rings')
  // ↓: the next counter, same time
  await page.keyboard.press('ArrowDown')
  const next = page.getByRole('slider', { name: /^Counter tun queue/ })
  await expect(next).toBeFocused()
  await expect(next).toHaveAttribute('aria-valuenow', '11')
  // one Tab stop for all counters: Tab leaves them
  await page.keyboard.press('Tab')
  await expect(page.locator('.tl-counter:focus')).toHaveCount(0)
})

test('compare: the counter cursor announces A and B', async ({ page }) => {
  await page.goto('/')
  await waitDone(page)
  await pinAndChange(page)
  await page.getByRole('img', { name: /^Timeline B/ }).focus()
  await page.keyboard.press('Tab')
  const rings = page.getByRole('slider', { name: /^Counter NIC rx rings/ })
  await expect(rings).toBeFocused()
  await page.keyboard.press('End')
  await expect(rings).toHaveAttribute('aria-valuetext', /^at 100(\.0+)? ms: A [\d.,]+k? packets, B [\d.,]+k? packets$/)
})

/** Controls of a panel: each inside the panel and the viewport, none overlapping another. */
async function expectUnclipped(panel: Locator, viewportWidth: number) {
  const boxes = await panel.locator('input:not([type=hidden]), select, button, [role=slider], label').evaluateAll((els) =>
    els.filter((e) => e.checkVisibility()).map((e) => { const r = e.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height, name: (e.getAttribute('aria-label') ?? e.textContent ?? '').slice(0, 30), tag: e.tagName } }))
  const p = (await panel.boundingBox())!
  for (const b of boxes) {
    if (b.w === 0) continue
    expect(b.x, `${b.tag} ${b.name}`).toBeGreaterThanOrEqual(p.x - 1)
    expect(b.x + b.w, `${b.tag} ${b.name}`).toBeLessThanOrEqual(Math.min(p.x + p.width, viewportWidth) + 1)
  }
  // form fields (not labels, which contain their own inputs) must not overlap each other
  const fields = boxes.filter((b) => b.tag !== 'LABEL' && b.w > 0)
  for (let i = 0; i < fields.length; i++) {
    for (let j = i + 1; j < fields.length; j++) {
      const a = fields[i]!
      const c = fields[j]!
      const overlap = a.x < c.x + c.w - 1 && c.x < a.x + a.w - 1 && a.y < c.y + c.h - 1 && c.y < a.y + a.h - 1
      expect(overlap, `${a.tag} ${a.name} overlaps ${c.tag} ${c.name}`).toBe(false)
    }
  }
}

test.describe('narrow screens', () => {
  test('800 px: nothing scrolls sideways, controls are not cut off, the plot gets the width', async ({ page }) => {
    await page.setViewportSize({ width: 800, height: 900 })
    await page.goto('/')
    await waitDone(page)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800)
    await expectUnclipped(page.getByRole('region', { name: 'Scenario' }), 800)
    await expectUnclipped(page.getByRole('navigation', { name: 'Playground' }), 800)
    // the timeline canvas spans the page: its plot (past the 172 px label gutter) is ≥ 500 px, was 256 px
    const tl = (await page.getByRole('img', { name: /^Timeline current/ }).boundingBox())!
    expect(tl.width - 180).toBeGreaterThanOrEqual(500)
    expect(tl.x + tl.width).toBeLessThanOrEqual(800)
  })

  test('1024 px: the legend takes at most two rows', async ({ page }) => {
    await page.setViewportSize({ width: 1024, height: 800 })
    await page.goto('/')
    await waitDone(page)
    const tops = await page.getByRole('list', { name: 'Legend' }).getByRole('listitem').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)))
    expect(new Set(tops).size).toBeLessThanOrEqual(2)
  })
})
