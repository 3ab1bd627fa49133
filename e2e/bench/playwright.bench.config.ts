// Playwright config for the UI benchmark only (the normal e2e run ignores e2e/bench).
import { fileURLToPath } from 'node:url'
import { defineConfig } from '@playwright/test'
import base from '../../playwright.config.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

export default defineConfig({
  ...base,
  testDir: '.',
  testIgnore: [],
  testMatch: ['**/*.bench.spec.ts'],
  timeout: 180_000,
  reporter: 'list',
  // the preview server must run from the repo root, not from this folder
  webServer: base.webServer && !Array.isArray(base.webServer) ? { ...base.webServer, cwd: root } : base.webServer,
})
