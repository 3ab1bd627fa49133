// The PNG export draws each run through the same tracks as the screen (frame.ts), not by copying the
// canvas: with every lane on screen its timeline is pixel-identical to the on-screen canvas; with
// thread lanes scrolled away it still holds all of them (the screen only draws lanes in view).
import { readFileSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'
import { waitDone } from './helpers.ts'

async function exportPng(page: Page): Promise<string> {
  await page.locator('summary', { hasText: 'Export' }).click()
  const d = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Timeline as PNG' }).click()
  return readFileSync(await (await d).path()).toString('base64')
}

/** Rows of the PNG below its caption (2 lines + legend + 8 px) compared with the on-screen canvas: differing pixels, and the PNG's size. */
async function compare(page: Page, png: string) {
  return page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
    const img = await createImageBitmap(new Blob([bytes], { type: 'image/png' }))
    const screen = document.querySelector<HTMLCanvasElement>('.tl canvas')!
    const c = new OffscreenCanvas(img.width, img.height)
    const cx = c.getContext('2d')!
    cx.drawImage(img, 0, 0)
    const head = 20 * 3 + 8
    const w = screen.width
    const h = Math.min(screen.height, img.height - head)
    const a = cx.getImageData(0, head, w, h).data
    const b = screen.getContext('2d')!.getImageData(0, 0, w, h).data
    let diff = 0
    for (let i = 0; i < a.length; i += 4) if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) diff++
    return { diff, pngH: img.height, screenH: screen.height, lanes: h }
  }, png)
}

test('the PNG export is the on-screen timeline drawn again through the tracks, every lane included', async ({ page }) => {
  await page.goto('/')
  await waitDone(page)
  await page.mouse.move(5, 5)
  const r = await compare(page, await exportPng(page))
  expect(r.pngH).toBe(r.screenH + 68)
  expect(r.diff).toBe(0)
  // with thread lanes the last lanes are far below the viewport: the screen does not draw them (virtual
  // scrolling), the PNG does — it did not copy the screen
  await page.getByRole('checkbox', { name: 'Thread lanes' }).check()
  await page.setViewportSize({ width: 1280, height: 420 })
  await waitDone(page)
  const lastLaneY = Number(await page.getByTestId('timeline-current').getAttribute('data-lanes-bottom')) - 3 - 8
  const png = await exportPng(page)
  const inked = await page.evaluate(async ([b64, y]) => {
    // oxlint-disable-next-line unicorn/consistent-function-scoping -- runs in the page (serialised with the callback)
    const row = (d: Uint8ClampedArray) => { let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] !== 255 || d[i + 1] !== 255 || d[i + 2] !== 255) n++; return n }
    const screen = document.querySelector<HTMLCanvasElement>('.tl canvas')!
    const img = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' }))
    const c = new OffscreenCanvas(img.width, img.height)
    c.getContext('2d')!.drawImage(img, 0, 0)
    return { screen: row(screen.getContext('2d')!.getImageData(180, y, screen.width - 200, 1).data), png: row(c.getContext('2d')!.getImageData(180, y + 68, screen.width - 200, 1).data), below: screen.getBoundingClientRect().top + y > window.innerHeight + 200 }
  }, [png, lastLaneY] as const)
  expect(inked, JSON.stringify({ ...inked, lastLaneY })).toMatchObject({ below: true })
  // on screen only the grid's tick lines cross the undrawn lane
  expect(inked.screen).toBeLessThan(30)
  expect(inked.png).toBeGreaterThan(100)
})
