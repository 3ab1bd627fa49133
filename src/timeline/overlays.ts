// Overlays drawn by the canvas renderer through `FrameInput.overlays` after the tracks' labels: the
// lanes a story step points at. (Thread-state bands, flow arrows and marks are tracks: tracks.ts.)
import type { OverlayDraw } from './render.ts'

export { FLOW_COLOR, SELECT_COLOR } from './tracks.ts'

export const HIGHLIGHT_COLOR = '#f9ab00'

/**
 * The lanes a story step points at (labels matching `re`): an amber outline across the plot and a bar
 * in the gutter. `out.lanes` = how many lanes matched (drawn or scrolled away).
 */
export function highlightLanesOverlay(re: RegExp, out: { lanes: number }): OverlayDraw {
  return ({ ctx, layout, drawnLanes }) => {
    let n = 0
    ctx.save()
    ctx.strokeStyle = HIGHLIGHT_COLOR
    ctx.fillStyle = HIGHLIGHT_COLOR
    ctx.lineWidth = 2
    for (const b of layout.lanes) {
      if (!re.test(b.lane.label)) continue
      n++
      if (!drawnLanes.has(b.lane.key)) continue
      ctx.strokeRect(layout.plotX + 1, b.y - 1, layout.plotW - 2, b.h + 2)
      ctx.fillRect(0, b.y - 1, 4, b.h + 2)
    }
    ctx.restore()
    out.lanes = n
  }
}
