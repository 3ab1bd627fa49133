// Roving tab order (WAI-ARIA APG): a group of controls is one Tab stop; arrow keys move inside it.
// Items are the elements marked `data-rove` inside the container; for a grid, `data-rove-row`
// groups them into rows (Up/Down keep the column). The last focused item stays the Tab stop.
// Tab indices are set on the DOM after each render, so components only add the data attributes.
import { useLayoutEffect, useRef, type KeyboardEvent, type RefObject } from 'react'

const focusable = (el: HTMLElement) => !(el as HTMLButtonElement).disabled && el.getAttribute('aria-disabled') !== 'true'

function items(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('[data-rove]')].filter(focusable)
}

const TEXT = new Set(['text', 'number'])
/** In a text field Left/Right edit the text; Up/Down still move (number fields: no stepping). */
const isField = (el: Element) => el instanceof HTMLInputElement && TEXT.has(el.type)

/**
 * Make `ref`'s `[data-rove]` items one Tab stop. Returns the container's keydown handler.
 * `grid`: Up/Down move between rows (`data-rove-row`), Left/Right inside a row; otherwise
 * Left/Right and Up/Down both step through the list.
 */
export function useRoving(ref: RefObject<HTMLElement | null>, grid = false): { onKeyDown: (e: KeyboardEvent) => void; onFocus: (e: React.FocusEvent) => void } {
  const current = useRef<HTMLElement | null>(null)
  useLayoutEffect(() => {
    const root = ref.current
    if (!root) return
    const list = items(root)
    // every marked element leaves the tab order, disabled ones included
    for (const el of root.querySelectorAll<HTMLElement>('[data-rove]')) el.tabIndex = -1
    const stop = current.current && list.includes(current.current) ? current.current : list[0]
    if (stop) stop.tabIndex = 0
  })
  const move = (to: HTMLElement | undefined) => {
    if (!to) return
    const root = ref.current
    if (!root) return
    for (const el of items(root)) el.tabIndex = el === to ? 0 : -1
    current.current = to
    to.focus()
  }
  const onKeyDown = (e: KeyboardEvent) => {
    const root = ref.current
    const t = e.target as HTMLElement
    if (!root || !t.hasAttribute('data-rove')) return
    const list = items(root)
    const i = list.indexOf(t)
    if (i < 0) return
    let to: HTMLElement | undefined
    const row = (el: HTMLElement) => el.getAttribute('data-rove-row') ?? ''
    if (e.key === 'Home') to = list[0]
    else if (e.key === 'End') to = list.at(-1)
    else if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && !isField(t)) to = list[i + (e.key === 'ArrowRight' ? 1 : -1)]
    else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const d = e.key === 'ArrowDown' ? 1 : -1
      if (!grid) to = list[i + d]
      else {
        // same column in the next row that has items
        const rows: HTMLElement[][] = []
        for (const el of list) { if (!rows.length || row(rows.at(-1)![0]!) !== row(el)) rows.push([]); rows.at(-1)!.push(el) }
        const r = rows.findIndex((x) => x.includes(t))
        const c = rows[r]!.indexOf(t)
        const next = rows[r + d]
        to = next ? next[Math.min(c, next.length - 1)] : undefined
      }
    } else return
    e.preventDefault()
    move(to ?? t)
  }
  const onFocus = (e: React.FocusEvent) => {
    const t = e.target as HTMLElement
    if (!t.hasAttribute('data-rove') || !ref.current) return
    current.current = t
    for (const el of items(ref.current)) el.tabIndex = el === t ? 0 : -1
  }
  return { onKeyDown, onFocus }
}
