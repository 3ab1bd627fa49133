import './zodConfig.ts'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import '@fontsource/dejavu-sans/400.css'
import '@fontsource/dejavu-sans/700.css'
import '@fontsource/dejavu-mono/400.css'
import './ui/app.css'
import { App } from './ui/App.tsx'
import { usePlayground } from './state/store.ts'

// `?synthetic=<slices>` loads a synthetic trace instead of running the engine: the 1M-slice
// benchmark (e2e/bench) uses it. Only in bench builds (`vite build --mode bench`, `npm run
// bench:ui`) and the dev server: a production build ignores the parameter and ships no generator.
const BENCH = import.meta.env.MODE === 'bench' || import.meta.env.DEV
const synthetic = BENCH ? Number(new URLSearchParams(location.search).get('synthetic') ?? 0) : 0

async function boot() {
  if (BENCH && synthetic > 0) {
    const { syntheticResult } = await import('./timeline/synthetic.ts')
    const r = syntheticResult({ slices: Math.min(synthetic, 5_000_000), cpus: 16, durationNs: 100e6 })
    usePlayground.getState().setResult(r, 0)
    // the benchmark scripts pan/zoom through the store
    ;(window as unknown as { irqlabStore: typeof usePlayground }).irqlabStore = usePlayground
  }
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App live={synthetic <= 0} />
    </StrictMode>,
  )
}
void boot()
