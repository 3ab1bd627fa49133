/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite'
import react from '@vitejs/plugin-react'
import { VitePWA } from 'vite-plugin-pwa'

/**
 * Strict Content-Security-Policy for the built app (a meta tag: works on any static host): only
 * same-origin scripts, styles, fonts, workers and connections; no inline script, no eval.
 * Not in the dev server, whose HMR client needs inline code and a websocket.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ')

const csp = (): Plugin => ({
  name: 'irqlab-csp',
  apply: 'build',
  transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }],
})

/**
 * Installable, offline app: a Workbox service worker precaches the whole build (page, scripts,
 * both workers, styles, fonts), so a reload and the experiment work offline. The registration is a
 * same-origin script file (CSP: no inline script); a new build replaces the old one on the next load.
 */
const pwa = () => VitePWA({
  registerType: 'autoUpdate',
  injectRegister: 'script',
  manifest: {
    name: 'irqlab — Linux rx processing: softirq vs threaded',
    short_name: 'irqlab',
    description: 'Simulates Linux packet receive processing and draws per-CPU timelines',
    start_url: '.',
    scope: '.',
    display: 'standalone',
    background_color: '#ffffff',
    theme_color: '#ffffff',
    icons: [{ src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
  },
  workbox: {
    globPatterns: ['**/*.{js,css,html,svg,woff2,webmanifest}'],
    maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
    navigateFallback: 'index.html',
    clientsClaim: true,
    skipWaiting: true,
    cleanupOutdatedCaches: true,
  },
})

export default defineConfig({
  plugins: [react(), csp(), pwa()],
  worker: { format: 'es' },
  // no data: URLs (fonts, icons): the CSP allows same-origin files only
  build: { target: 'es2022', chunkSizeWarningLimit: 1500, assetsInlineLimit: 0 },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
})
