// Playwright config for the experiment benchmark only (the normal e2e run ignores e2e/bench):
//   npx playwright test --config e2e/bench/experiment-bench.config.ts
// Builds into its own folder and serves on its own port, so it can run next to other test runs.
import { fileURLToPath } from 'node:url'
import { defineConfig } from '@playwright/test'
import base from '../../playwright.config.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const PORT = 4175
const OUT = 'node_modules/.tmp/dist-experiment-bench'

export default defineConfig({
  ...base,
  testDir: '.',
  testIgnore: [],
  testMatch: ['experiment-bench.spec.ts'],
  timeout: 300_000,
  reporter: 'list',
  use: { ...base.use, baseURL: `http://127.0.0.1:${PORT}` },
  webServer: {
    command: `npx vite build --outDir ${OUT} --emptyOutDir && npx vite preview --outDir ${OUT} --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    cwd: root,
    reuseExistingServer: false,
    timeout: 180_000,
  },
})
