import { defineConfig } from '@playwright/test'

// Debian's chromium: Playwright's own browser download does not work on these machines.
// Override with CHROMIUM_PATH elsewhere.
// E2E_PORT: run a second suite beside another one (each serves its own build on its own port)
const PORT = Number(process.env.E2E_PORT ?? 4173)
export default defineConfig({
  testDir: 'e2e',
  testIgnore: ['**/bench/**'],
  workers: 1,
  timeout: 60_000,
  retries: 0,
  reporter: process.env.CI ? 'line' : 'list',
  expect: {
    timeout: 20_000,
    toHaveScreenshot: { animations: 'disabled', caret: 'hide', threshold: 0, maxDiffPixels: 0 },
  },
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    // the app's service worker would answer requests before page.route sees them; e2e/offline.spec.ts allows it
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  projects: [{ name: 'chromium' }],
  webServer: {
    command: `npx vite build && npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
  },
})
