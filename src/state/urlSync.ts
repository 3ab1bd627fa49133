// Keeps the URL and the browser history in step with what is on screen, and puts saved states
// back on screen. The hash holds the whole state (urlCodec v2: scenario, pinned A, visible
// window, selection, toggles (thread lanes, wakeups, counters), parked /proc/irq and knob writes). Discrete changes (scenario, pin, toggles) push a
// history entry; continuous ones (pan, zoom, selection) replace the current entry. Writes are
// debounced (300 ms) so a slider drag or a burst of edits makes one entry. Back/Forward
// (popstate/hashchange) restore the entry's state; Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y) step through the
// same history, never past the app's first entry. A bad link shows a banner and changes nothing.
import { decodeStateHash, encodeStateHash, type LinkState } from './urlCodec.ts'
import { usePlayground, type PlaygroundState } from './store.ts'
import { useAppView } from './experimentView.ts'
import { STORY, stepState } from '../story/story.ts'

export const URL_DEBOUNCE_MS = 300
/** history.state of the app's entries: the entry's position since the page was opened */
interface EntryState { irqlab: number }

export const entryIndex = (): number => {
  const s = history.state as Partial<EntryState> | null
  return typeof s?.irqlab === 'number' ? s.irqlab : 0
}

export function linkState(s: Pick<PlaygroundState, keyof LinkState>): LinkState {
  return {
    scenario: s.scenario, pinnedScenario: s.pinnedScenario, view: s.view, selection: s.selection,
    showThreadLanes: s.showThreadLanes, showWakeups: s.showWakeups, showCounters: s.showCounters, parked: s.parked,
    parkedWrites: s.parkedWrites,
    story: s.story,
  }
}

/** The playground's hash for what is on screen now. */
export const currentHash = (): string => encodeStateHash(linkState(usePlayground.getState()))

const urlWith = (hash: string) => `${location.pathname}${location.search}${hash}`

/** Push (new entry) or replace the current entry with `hash`. */
export function writeHistory(hash: string, push: boolean): void {
  if (push) history.pushState({ irqlab: entryIndex() + 1 } satisfies EntryState, '', urlWith(hash))
  else history.replaceState({ irqlab: entryIndex() } satisfies EntryState, '', urlWith(hash))
}

let flushWrites: (() => void) | null = null
/** Write a pending (debounced) change now: before Back/undo, a copy, or leaving the page. */
export function flushUrl(): void {
  flushWrites?.()
}

/** Apply a hash to the store. Returns false (and shows a banner) when it is bad. */
export function applyHash(hash: string): boolean {
  // an experiment link (#view=experiment&…) belongs to the Experiment view: the playground keeps its state
  if (/^#?view=experiment(&|$)/.test(hash)) return true
  const r = decodeStateHash(hash)
  const st = usePlayground.getState()
  if (!r.ok) {
    st.setBanner({ kind: 'error', text: `Could not open this link: ${r.error}. Showing the previous scenario (defaults on a fresh page); the link in the address bar was left as it was.` })
    return false
  }
  if (r.storyStep !== undefined) {
    if (r.storyStep >= STORY.length) {
      st.setBanner({ kind: 'error', text: `Could not open this link: the story has ${STORY.length} steps, not ${r.storyStep + 1}.` })
      return false
    }
    st.applyState(stepState(r.storyStep))
    return true
  }
  st.applyState(r.state)
  return true
}

const DISCRETE: (keyof PlaygroundState)[] = ['scenario', 'pinnedScenario', 'parked', 'parkedWrites', 'showThreadLanes', 'showWakeups', 'showCounters', 'story']
const CONTINUOUS: (keyof PlaygroundState)[] = ['view', 'selection']

export function startUrlSync(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  let pendingPush = false
  let applying = false
  let lastWritten = location.hash
  if (typeof (history.state as Partial<EntryState> | null)?.irqlab !== 'number') history.replaceState({ irqlab: 0 } satisfies EntryState, '', location.href)
  applying = true
  const good = applyHash(location.hash)
  applying = false
  // A bad link is left in the address bar until the user edits (so it can be copied or fixed).
  if (!good) lastWritten = '\u0000'

  const write = () => {
    timer = undefined
    const push = pendingPush
    pendingPush = false
    // while the experiment is on screen its own sync owns the hash
    if (useAppView.getState().view !== 'playground') return
    const hash = currentHash()
    if (hash === lastWritten || hash === location.hash) { lastWritten = hash; return }
    lastWritten = hash
    writeHistory(hash, push)
  }
  flushWrites = () => { if (timer !== undefined) { clearTimeout(timer); write() } }
  const unsub = usePlayground.subscribe((s, prev) => {
    if (applying) return
    const discrete = DISCRETE.some((k) => s[k] !== prev[k])
    if (!discrete && !CONTINUOUS.some((k) => s[k] !== prev[k])) return
    if (discrete) pendingPush = true
    clearTimeout(timer)
    timer = setTimeout(write, URL_DEBOUNCE_MS)
  })
  const onNavigate = () => {
    if (location.hash === lastWritten) return
    // a pending edit belongs to the entry we are leaving; it is dropped, not written over the new one
    clearTimeout(timer)
    timer = undefined
    pendingPush = false
    applying = true
    try {
      if (applyHash(location.hash)) lastWritten = location.hash
    } finally {
      applying = false
    }
  }
  window.addEventListener('hashchange', onNavigate)
  window.addEventListener('popstate', onNavigate)
  window.addEventListener('keydown', onKey)
  // Reloading or leaving within the debounce must not lose the last edit.
  const flush = () => flushUrl()
  window.addEventListener('pagehide', flush)
  return () => {
    flushWrites = null
    window.removeEventListener('pagehide', flush)
    window.removeEventListener('keydown', onKey)
    unsub()
    clearTimeout(timer)
    window.removeEventListener('hashchange', onNavigate)
    window.removeEventListener('popstate', onNavigate)
  }
}

const TEXT_INPUTS = new Set(['text', 'number', 'search', 'email', 'url', 'password', 'tel'])
/** Keys typed into a field belong to the field (its own undo included). */
export const isTyping = (t: EventTarget | null): boolean =>
  t instanceof HTMLElement &&
  ((t instanceof HTMLInputElement && TEXT_INPUTS.has(t.type)) || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)

/** Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y): Back / Forward, never past the app's first entry. */
function onKey(e: KeyboardEvent): void {
  if (!(e.ctrlKey || e.metaKey) || e.altKey || isTyping(e.target)) return
  const z = e.code === 'KeyZ'
  const redo = (z && e.shiftKey) || (e.code === 'KeyY' && !e.shiftKey)
  if (!z && !redo) return
  e.preventDefault()
  flushUrl()
  if (redo) history.forward()
  else if (entryIndex() > 0) history.back()
}

/** The shareable link for everything on screen (written immediately, no debounce). */
export function currentLink(): string {
  return `${location.origin}${location.pathname}${location.search}${currentHash()}`
}
