// Playwright config for the UI benchmark only (the normal e2e run ignores e2e/bench).
import { fileURLToPath } from 'node:url'
import { defineConfig } from '@playwright/test'
import base from '../../playwright.config.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

// a bench build (`--mode bench`: the `?synthetic=N` page) in its own folder, on its own port;
// UI_BENCH_DIST moves the folder (a git worktree whose node_modules is another checkout's symlink)
const PORT = Number(process.env.E2E_PORT ?? 4173) + 100
const OUT = process.env.UI_BENCH_DIST ?? 'node_modules/.tmp/dist-bench'

export default defineConfig({
  ...base,
  use: { ...base.use, baseURL: `http://127.0.0.1:${PORT}` },
  testDir: '.',
  testIgnore: [],
  testMatch: ['**/*.bench.spec.ts'],
  timeout: 180_000,
  reporter: 'list',
  // the preview server must run from the repo root, not from this folder
  webServer: {
    command: `npx vite build --mode bench --outDir ${OUT} --emptyOutDir && npx vite preview --outDir ${OUT} --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    cwd: root,
    reuseExistingServer: false,
    timeout: 180_000,
  },
})
