// The followed packet (issue 12 item 4) and its path drawn over a timeline through
// `FrameInput.overlays`, like Perfetto's flow events and perf's netdev-times: each hop is a dot on
// the lane that ran it (host CPU lanes in the run's canvas, guest vCPU lanes in the guest canvas)
// with the slice that carried it outlined; consecutive hops are joined by an arrow labelled with
// the time in the queue between them ("tun queue 40 µs"). A hop on the other canvas is reached by
// an arrow leaving through the bottom edge (host → guest) or entering from the top (guest side).
import { create } from 'zustand'
import type { PacketPaths, SliceColumns } from '../engine/types.ts'
import { fmtTime } from './format.ts'
import type { Layout } from './layout.ts'
import { forEachVisible } from './model.ts'
import { hopLane, isDrop, segments, type Hop, type SampledPacket } from './packetPaths.ts'
import type { OverlayDraw } from './render.ts'

export const PATH_COLOR = '#c2185b'
const DROP_COLOR = '#d93025'
const SHORT: Record<string, string> = { 'host rx poll': 'host rx', 'vhost copy': 'vhost', 'guest rx poll': 'guest rx', 'read by the application': 'read' }

/** The followed packet: which run's sample (by identity: a new result drops it) and its index. */
export interface Followed { paths: PacketPaths; packet: number }

export const usePacketPath = create<{ followed: Followed | null; follow: (f: Followed | null) => void }>()((set) => ({
  followed: null,
  follow: (followed) => set({ followed }),
}))

/** The followed packet if it belongs to `paths`. */
export function followedIn(f: Followed | null, paths: PacketPaths | undefined): SampledPacket | null {
  return f && paths && f.paths === paths ? (f.packet < paths.packets.length ? paths.packets[f.packet]! : null) : null
}

/** The followed packet if it belongs to this trace; reads `trace.paths` (unpacked on first read) only when one is followed. */
export function followedOf(f: Followed | null, trace: { paths?: PacketPaths }): SampledPacket | null {
  return f ? followedIn(f, trace.paths) : null
}

const onSide = (h: Hop, side: 'host' | 'guest') => h.cpu >= 0 && h.guest === (side === 'guest')

function laneBox(layout: Layout, cpu: number) {
  return layout.lanes.find((b) => b.lane.kind === 'cpu' && b.lane.id === cpu)
}

/** The slice on the hop's lane that carried it: ends at (or contains) the hop's time, same actor preferred. */
export function sliceOfHop(slices: SliceColumns, lane: Parameters<typeof forEachVisible>[0], h: Hop): number {
  let best = -1
  forEachVisible(lane, slices, h.tNs - 1, h.tNs + 1, (i) => {
    if (slices.start[i]! > h.tNs + 1 || slices.end[i]! < h.tNs - 1) return
    if (best < 0 || (slices.actor[i] === h.actor && slices.actor[best] !== h.actor)) best = i
  })
  return best
}

function label(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, color: string): void {
  ctx.lineWidth = 3
  ctx.strokeStyle = '#ffffff'
  ctx.strokeText(text, x, y)
  ctx.fillStyle = color
  ctx.fillText(text, x, y)
}

/**
 * The path overlay of one canvas. `side`: which hops live here (host CPU lanes or guest vCPU lanes).
 * Always installed (packet null = nothing to draw): it writes `data-path-hops` (hops drawn) and
 * `data-path-stages` ("stage@lane|…") and
 * `data-path-points` (css px "x,y|…") on the canvas, so tests can see what was drawn.
 */
export function packetPathOverlay(slices: SliceColumns, packet: SampledPacket | null, side: 'host' | 'guest'): OverlayDraw {
  return ({ ctx, layout, x }) => {
    const drawn: string[] = []
    const points: string[] = []
    const canvas = ctx.canvas as HTMLCanvasElement | OffscreenCanvas
    const mark = () => {
      if (!('dataset' in canvas)) return
      canvas.dataset.pathHops = String(drawn.length)
      canvas.dataset.pathStages = drawn.join('|')
      canvas.dataset.pathPoints = points.join('|')
    }
    if (!packet) { mark(); return }
    // each hop's point on this canvas (a drop sits on the lane of the hop before it)
    type Pt = { x: number; y: number } | null
    const pts: Pt[] = []
    let prevPt: Pt = null
    let prevHere = false
    for (const h of packet.hops) {
      let p: Pt = null
      if (isDrop(h)) p = prevHere && prevPt ? { x: x(h.tNs), y: prevPt.y } : null
      else if (onSide(h, side)) {
        const b = laneBox(layout, h.cpu)
        p = b ? { x: x(h.tNs), y: b.y + b.h / 2 } : null
      }
      pts.push(p)
      if (!isDrop(h)) { prevPt = p; prevHere = onSide(h, side) }
    }
    const segs = segments(packet)
    ctx.save()
    ctx.beginPath()
    // the lane block (and a label's height above it): an arrow to the other canvas leaves through its edge
    const top = Math.max(0, layout.lanesTop - 14)
    ctx.rect(layout.plotX, top, layout.plotW, layout.lanesBottom + 2 - top)
    ctx.clip()
    const offY = side === 'guest' ? layout.lanesTop - 40 : layout.lanesBottom + 40
    ctx.font = '10px "DejaVu Sans", sans-serif'
    ctx.textBaseline = 'bottom'
    // slices that carried the packet, outlined
    packet.hops.forEach((h, k) => {
      if (!pts[k] || isDrop(h)) return
      const b = laneBox(layout, h.cpu)
      if (!b) return
      const i = sliceOfHop(slices, b.lane, h)
      if (i < 0) return
      const xa = x(slices.start[i]!)
      ctx.strokeStyle = PATH_COLOR
      ctx.lineWidth = 2
      ctx.strokeRect(xa - 1, b.y - 1, Math.max(x(slices.end[i]!) - xa, 1) + 2, b.h + 2)
    })
    // arrows between consecutive points, labelled with the time in the queue between them
    const firstY = pts.find((p) => p !== null)?.y
    segs.forEach((s, k) => {
      const to = pts[k]
      let from: Pt
      if (k === 0) from = to && firstY !== undefined ? { x: x(packet.wireNs), y: to.y } : null
      else {
        from = pts[k - 1] ?? null
        if (!from && to) from = { x: x(s.fromNs), y: offY }
      }
      const toP = to ?? (from && k > 0 ? { x: x(s.toNs), y: offY } : null)
      if (!from || !toP) return
      ctx.strokeStyle = s.dropped ? DROP_COLOR : PATH_COLOR
      ctx.fillStyle = ctx.strokeStyle
      ctx.lineWidth = 1.5
      ctx.setLineDash(k === 0 ? [4, 3] : [])
      const dx = Math.max(10, Math.abs(toP.x - from.x) / 2)
      ctx.beginPath()
      ctx.moveTo(from.x, from.y)
      ctx.bezierCurveTo(from.x + dx, from.y, toP.x - dx, toP.y, toP.x, toP.y)
      ctx.stroke()
      ctx.setLineDash([])
      if (k === 0) { ctx.beginPath(); ctx.arc(from.x, from.y, 3, 0, 2 * Math.PI); ctx.stroke() }
      const lx = Math.max(from.x, Math.min(toP.x, (from.x + toP.x) / 2))
      const ly = Math.max(top + 11, Math.min(layout.lanesBottom - 2, Math.min(from.y, toP.y) - 3))
      label(ctx, s.dropped ? `${s.to.stage}` : `${s.queue} ${fmtTime(s.durNs)}`, Math.min(lx, layout.plotX + layout.plotW - 120), ly, ctx.strokeStyle)
    })
    // the hops themselves
    packet.hops.forEach((h, k) => {
      const p = pts[k]
      if (!p) return
      if (isDrop(h)) {
        ctx.strokeStyle = DROP_COLOR
        ctx.lineWidth = 2
        ctx.beginPath()
        ctx.moveTo(p.x - 4, p.y - 4); ctx.lineTo(p.x + 4, p.y + 4)
        ctx.moveTo(p.x + 4, p.y - 4); ctx.lineTo(p.x - 4, p.y + 4)
        ctx.stroke()
      } else {
        ctx.fillStyle = PATH_COLOR
        ctx.beginPath()
        ctx.arc(p.x, p.y, 4, 0, 2 * Math.PI)
        ctx.fill()
      }
      ctx.fillStyle = isDrop(h) ? DROP_COLOR : PATH_COLOR
      ctx.textBaseline = 'top'
      label(ctx, SHORT[h.stage] ?? h.stage, p.x + 5, p.y + 3, ctx.fillStyle)
      drawn.push(`${h.stage}@${hopLane(h) || 'none'}`)
      points.push(`${Math.round(p.x)},${Math.round(p.y)}`)
    })
    ctx.restore()
    mark()
  }
}

const cache = new WeakMap<SliceColumns, { key: SampledPacket | null; side: string; draw: OverlayDraw }>()

/** The path overlay for a canvas, the same object while the followed packet is unchanged (no redraw churn). */
export function pathOverlayFor(slices: SliceColumns, packet: SampledPacket | null, side: 'host' | 'guest'): OverlayDraw {
  const c = cache.get(slices)
  if (c && c.key === packet && c.side === side) return c.draw
  const draw = packetPathOverlay(slices, packet, side)
  cache.set(slices, { key: packet, side, draw })
  return draw
}
