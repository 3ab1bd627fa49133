// Keeps location.hash in step with the scenario (replaceState, debounced 300 ms, so typing does
// not flood history), and reads it on start and on hashchange (a pasted link). A bad link shows a
// banner and changes nothing: the last good scenario stays.
import { decodeHash, encodeHash } from './urlCodec.ts'
import { usePlayground } from './store.ts'

export const URL_DEBOUNCE_MS = 300

/** Apply the current hash to the store. Returns false (and shows a banner) when it is bad. */
export function applyHash(hash: string): boolean {
  // an experiment link (#view=experiment&…) belongs to the Experiment view: the playground keeps its scenario
  if (/^#?view=experiment(&|$)/.test(hash)) return true
  const r = decodeHash(hash)
  const st = usePlayground.getState()
  if (!r.ok) {
    st.setBanner({ kind: 'error', text: `Could not open this link: ${r.error}. Showing the previous scenario (defaults on a fresh page); the link in the address bar was left as it was.` })
    return false
  }
  if (!r.empty || st.scenarioRev > 0) st.setScenario(r.scenario)
  return true
}

export function startUrlSync(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  let lastWritten = location.hash
  const good = applyHash(location.hash)
  // A bad link is left in the address bar until the user edits (so it can be copied or fixed).
  if (!good) lastWritten = '\u0000'

  const write = () => {
    const hash = encodeHash(usePlayground.getState().scenario)
    if (hash === lastWritten) return
    lastWritten = hash
    history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`)
  }
  const unsub = usePlayground.subscribe((s, prev) => {
    if (s.scenario === prev.scenario) return
    clearTimeout(timer)
    timer = setTimeout(() => { timer = undefined; write() }, URL_DEBOUNCE_MS)
  })
  const onHashChange = () => {
    if (location.hash === lastWritten) return
    if (applyHash(location.hash)) lastWritten = location.hash
  }
  window.addEventListener('hashchange', onHashChange)
  // Reloading or leaving within the debounce must not lose the last edit.
  const flush = () => { if (timer !== undefined) { clearTimeout(timer); timer = undefined; write() } }
  window.addEventListener('pagehide', flush)
  return () => {
    window.removeEventListener('pagehide', flush)
    unsub()
    clearTimeout(timer)
    window.removeEventListener('hashchange', onHashChange)
  }
}

/** The shareable link for the current scenario (written immediately, no debounce). */
export function currentLink(): string {
  const hash = encodeHash(usePlayground.getState().scenario)
  return `${location.origin}${location.pathname}${location.search}${hash}`
}
