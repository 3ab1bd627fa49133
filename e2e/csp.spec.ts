// The built app carries a strict Content-Security-Policy (meta tag) and runs under it: no
// violation while simulating, exporting and running an experiment; inline script and eval are
// refused. The `?synthetic=N` benchmark page is not in this (production) build.
import { expect, test } from '@playwright/test'
import { waitDone } from './helpers.ts'

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] }
    w.cspViolations = []
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.effectiveDirective} ${e.blockedURI}`))
  })
})
const violations = (page: import('@playwright/test').Page) => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)

test('a strict CSP meta tag is present and the app runs under it', async ({ page }) => {
  await page.goto('/')
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')
  expect(csp).toContain("script-src 'self'")
  expect(csp).toContain("default-src 'self'")
  expect(csp).not.toContain('unsafe-inline')
  expect(csp).not.toContain('unsafe-eval')
  expect(csp).not.toMatch(/https?:|\*/)
  await waitDone(page)
  await expect(page.getByTestId('timeline-current')).toHaveAttribute('data-drawn', 'true')
  // export and the shortcuts dialog
  await page.locator('summary', { hasText: 'Export' }).click()
  const dl = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Timeline as PNG' }).click()
  await dl
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click()
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible()
  // an experiment on the worker pool
  await page.goto('/#view=experiment&payloads=64&flows=1&modes=softirq&cellMs=10')
  await page.getByRole('button', { name: /^Run 1 cells?$/ }).click()
  await expect(page.getByTestId('experiment-progress')).toHaveAttribute('data-status', 'done')
  expect(await violations(page)).toEqual([])
  // what the policy is for: inline script and eval do not run
  const result = await page.evaluate(() => {
    const s = document.createElement('script')
    s.textContent = 'window.inlineRan = true'
    document.head.append(s)
    // string code run by the page itself (DevTools' own evaluation is exempt from the CSP); the
    // second 0 ms timer runs after the first, so the check sees whether the string ran
    ;(setTimeout as unknown as (code: string, ms: number) => number)('window.evalRan = true', 0)
    return new Promise<{ inline: boolean; evalRan: boolean }>((resolve) => setTimeout(() => {
      const w = window as unknown as { inlineRan?: boolean; evalRan?: boolean }
      resolve({ inline: w.inlineRan === true, evalRan: w.evalRan === true })
    }, 0))
  })
  expect(result).toEqual({ inline: false, evalRan: false })
  await expect.poll(() => violations(page)).not.toEqual([])
})

test('the synthetic benchmark page is not in the production build', async ({ page }) => {
  await page.goto('/?synthetic=1000')
  await waitDone(page)
  // the engine ran (a real result for the default scenario), not the synthetic trace
  await expect(page.getByRole('img', { name: /^Timeline current: 16 CPU lanes/ })).toBeVisible()
  expect(await page.evaluate(() => 'irqlabStore' in window)).toBe(false)
})
