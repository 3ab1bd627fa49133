// Vector export of the visible window. Built from the same per-pixel aggregation as the canvas
// (merged runs, not one node per slice), so a dense 1M-slice view stays a few thousand rects.
import { scaleLinear } from 'd3'
import type { Trace } from '../engine/types.ts'
import { blend, INTENSITY_LEVELS, LANE_BG, rgbCss } from './colors.ts'
import { decimalsForStep, fmtSig, fmtTimeFixed, unitFor } from './format.ts'
import { AXIS_H, computeLayout } from './layout.ts'
import { Aggregator, groupModeSwitches, pixelRuns, type TraceIndex } from './model.ts'

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

export interface SvgRun { label: string; trace: Trace; index: TraceIndex }

/** `counters` = false leaves the counter tracks out (hidden on screen); with A and B, each counter has one scale for both. */
export function timelineSvg(runs: SvgRun[], width: number, t0: number, t1: number, threadLanes: boolean, counters = true): string {
  const parts: string[] = []
  let yOff = 0
  const agg = new Aggregator()
  for (const run of runs) {
    const other = runs.find((r) => r !== run)
    const L = computeLayout(width, run.trace, run.index, threadLanes, { counters, scaleWith: other?.trace.counters ?? null })
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
    for (const box of L.lanes) {
      g.push(`<text x="12" y="${box.y + box.h / 2 + 4}">${esc(box.lane.label)}</text>`)
      g.push(`<rect x="${L.plotX}" y="${box.y}" width="${L.plotW}" height="${box.h}" fill="${LANE_BG}"/>`)
      const row = agg.aggregate(box.lane, run.trace.slices, t0, t1, L.plotW)
      // one path per colour: each merged run of a column stack is a `M x y h w v h h -w z` rectangle
      const byFill = new Map<string, string[]>()
      for (const r of pixelRuns(row, INTENSITY_LEVELS, box.h)) {
        const fill = rgbCss(blend(r.kind, (r.level + 1) / INTENSITY_LEVELS))
        let d = byFill.get(fill)
        if (!d) byFill.set(fill, (d = []))
        d.push(`M${L.plotX + r.x0} ${box.y + r.y0}h${r.x1 - r.x0}v${r.y1 - r.y0}h${r.x0 - r.x1}z`)
      }
      for (const [fill, d] of byFill) g.push(`<path d="${d.join('')}" fill="${fill}"/>`)
    }
    for (const c of L.counters) {
      g.push(`<text x="12" y="${c.y + 12}">${esc(c.track.name)}</text><text x="12" y="${c.y + 28}" fill="#5f6368" font-size="10">scale 0–${esc(fmtSig(c.max))} ${esc(c.track.unit)}</text>`)
      g.push(`<rect x="${L.plotX}" y="${c.y}" width="${L.plotW}" height="${c.h}" fill="#f8f9fa"/>`)
      if (c.max <= 0) continue
      const pts: string[] = []
      const tr = c.track
      const stride = Math.max(1, Math.floor(tr.t.length / (L.plotW * 2)))
      for (let i = 0; i < tr.t.length; i += stride) {
        const tt = tr.t[i]!
        if (tt < t0 || tt > t1) continue
        pts.push(`${x(tt).toFixed(1)},${(c.y + c.h - 2 - (tr.v[i]! / c.max) * (c.h - 4)).toFixed(1)}`)
      }
      if (pts.length) g.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${/drop/i.test(tr.name) ? '#d93025' : '#1a73e8'}"/>`)
    }
    for (const m of groupModeSwitches(run.trace.events.modeSwitches)) {
      if (m.tNs < t0 || m.tNs > t1) continue
      const px = x(m.tNs).toFixed(1)
      g.push(`<line x1="${px}" x2="${px}" y1="${AXIS_H}" y2="${L.height}" stroke="#b31412" stroke-width="1.5"/>`)
      g.push(`<text x="${px}" y="${L.lanesTop + 11}" dx="3" fill="#b31412" font-size="10">${esc(m.label)}</text>`)
    }
    g.push('</g>')
    parts.push(g.join('\n'))
    yOff += L.height + 10
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${yOff}" viewBox="0 0 ${width} ${yOff}" font-family="DejaVu Sans, sans-serif" font-size="11" fill="#202124">`,
    `<rect width="${width}" height="${yOff}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
  ].join('\n')
}
