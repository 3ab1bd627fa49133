// Which top-level view is on screen. The URL hash decides on load: `#view=experiment&…` opens the
// Experiment view, anything else the playground.
import { create } from 'zustand'

export type AppView = 'playground' | 'experiment'
export const VIEW_PARAM = 'view'

export function isExperimentHash(hash: string): boolean {
  const h = hash.startsWith('#') ? hash.slice(1) : hash
  return h.split('&').includes(`${VIEW_PARAM}=experiment`)
}

export const useAppView = create<{ view: AppView; setView: (v: AppView) => void }>()((set) => ({
  view: typeof location !== 'undefined' && isExperimentHash(location.hash) ? 'experiment' : 'playground',
  setView: (view) => set({ view }),
}))
