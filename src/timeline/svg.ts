// Vector export of the visible window. Built from the same per-pixel aggregation as the canvas
// (merged runs, not one node per slice), so a dense 1M-slice view stays a few thousand rects.
import { scaleLinear } from 'd3'
import type { SimResult, Trace } from '../engine/types.ts'
import { decimalsForStep, fmtTimeFixed, unitFor } from './format.ts'
import { AXIS_H, computeLayout } from './layout.ts'
import { runMarks, type TraceIndex } from './model.ts'
import { softnetCounters } from './softnet.ts'
import { laneCentres, layoutTracks, ModeSwitchTrack, SVG_DEFS, SvgPainter, ThreadStateTrack, trackContext, WakeupMigrationTrack } from './tracks.ts'

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

export interface SvgRun { label: string; trace: Trace; index: TraceIndex; summary?: SimResult['summary'] }
export interface SvgOptions { showEvents?: boolean; softnet?: boolean }

/**
 * `counters` = false leaves the counter tracks out (hidden on screen); with A and B, each counter has one scale for both.
 * The lanes, thread states, counters and markers are the on-screen tracks (tracks.ts) through the SVG backend.
 */
export function timelineSvg(runs: SvgRun[], width: number, t0: number, t1: number, threadLanes: boolean, counters = true, opts: SvgOptions = {}): string {
  const parts: string[] = []
  let yOff = 0
  for (const run of runs) {
    const other = runs.find((r) => r !== run)
    const extra = opts.softnet && run.summary ? softnetCounters({ trace: run.trace, summary: run.summary }) : undefined
    const L = computeLayout(width, run.trace, run.index, threadLanes, { counters, scaleWith: other?.trace.counters ?? null, extra })
    const x = scaleLinear().domain([t0, t1]).range([L.plotX, L.plotX + L.plotW])
    const g: string[] = [`<g transform="translate(0,${yOff})">`]
    g.push(`<text x="8" y="${AXIS_H / 2 + 4}" font-weight="bold">${esc(run.label)}</text>`)
    const ticks = x.ticks(Math.max(2, Math.floor(L.plotW / 110)))
    const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : t1 - t0
    const unit = unitFor(Math.max(t1, step))
    const dec = decimalsForStep(step, unit)
    for (const tk of ticks) {
      const px = x(tk).toFixed(1)
      g.push(`<line x1="${px}" x2="${px}" y1="${AXIS_H - 6}" y2="${L.height}" stroke="#3c4043" stroke-opacity="0.12"/>`)
      g.push(`<text x="${px}" y="${AXIS_H / 2 + 4}" text-anchor="middle">${esc(fmtTimeFixed(tk, unit, dec))}</text>`)
    }
    for (const s of L.sections) g.push(`<text x="8" y="${s.y + 13}" font-weight="bold">${esc(s.label)}</text>`)
    // the lanes and counters are tracks (tracks.ts) drawn through the SVG backend
    const painter = new SvgPainter()
    const summarised = { labelled: false }
    for (const { track, y, h, counter, lane } of layoutTracks(L.lanes, L.counters, run.trace, run.index)) {
      if (counter) counter.gutter(painter.at(12, y), 0, 0, L.plotX - 20)
      else painter.at(12, y).text(0, h / 2 + 4, track.label)
      const ctx = trackContext(painter.at(L.plotX, y), L.plotW, h, t0, t1)
      track.render(ctx)
      if (lane) {
        lane.renderSummarised(ctx, summarised)
        if (lane.lane.kind === 'actor') new ThreadStateTrack(lane.lane, run.trace, run.index).render(ctx)
      }
    }
    const lanesH = L.lanesBottom - L.lanesTop
    if (opts.showEvents) {
      const marks = new WakeupMigrationTrack(run.trace, run.index, laneCentres(L.lanes, L.lanesTop))
      const ctx = trackContext(painter.at(L.plotX, L.lanesTop), L.plotW, lanesH, t0, t1)
      marks.render(ctx)
      marks.renderLabels(ctx)
    }
    const modes = runMarks(run.trace.events).map((m) => ({ ...m, applied: true }))
    new ModeSwitchTrack(modes, L.lanesTop - AXIS_H, width - 2 - L.plotX).render(trackContext(painter.at(L.plotX, AXIS_H), L.plotW, L.height - AXIS_H, t0, t1))
    g.push(...painter.out)
    g.push('</g>')
    parts.push(g.join('\n'))
    yOff += L.height + 10
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${yOff}" viewBox="0 0 ${width} ${yOff}" font-family="DejaVu Sans, sans-serif" font-size="11" fill="#202124">`,
    SVG_DEFS,
    `<rect width="${width}" height="${yOff}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
  ].join('\n')
}
