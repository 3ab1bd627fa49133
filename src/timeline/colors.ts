// Colours per SliceKind (index = SliceKind value). Picked for distinct hues on a light background;
// idle is the lane background, not a colour. Kept DOM-free so the SVG export and tests can use it.
import { SLICE_KIND_NAMES } from '../engine/types.ts'

export const KIND_COLORS = [
  '#d93025', // hardirq — red: highest priority context
  '#f29900', // softirq — orange
  '#c9a227', // ksoftirqd — ochre: softirq work pushed to a thread
  '#8e44ad', // irq thread — purple
  '#d81b78', // NAPI thread — magenta
  '#1a73e8', // vhost — blue
  '#188038', // vCPU (guest) — green
  '#12a4af', // application — teal
  '#9aa0a6', // halt-poll — grey: busy but not useful
  '#8d6e63', // busy poll — brown: rx work done by the application's own thread
] as const

export const KIND_COUNT = KIND_COLORS.length
export const KIND_LABELS: readonly string[] = SLICE_KIND_NAMES
export const LANE_BG = '#f1f3f4'
export const PLOT_BG = '#ffffff'

export function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

/** Intensity levels for aggregated pixels (coverage fraction quantised). */
export const INTENSITY_LEVELS = 16

/** Colour of a pixel column that is `cover` (0..1) busy with a kind: blended into the lane background. */
export function blend(kind: number, cover: number): [number, number, number] {
  const [r, g, b] = hexToRgb(KIND_COLORS[kind] ?? '#000000')
  const [br, bg, bb] = hexToRgb(LANE_BG)
  // Never fully fade: a column with any work stays visible (no slice silently disappears).
  const a = 0.3 + 0.7 * Math.min(1, Math.max(0, cover))
  return [Math.round(br + (r - br) * a), Math.round(bg + (g - bg) * a), Math.round(bb + (b - bb) * a)]
}

/** Packed little-endian RGBA (ImageData as Uint32) per kind × intensity level. */
export function buildPixelLut(): Uint32Array {
  const lut = new Uint32Array(KIND_COUNT * INTENSITY_LEVELS)
  for (let k = 0; k < KIND_COUNT; k++) {
    for (let l = 0; l < INTENSITY_LEVELS; l++) {
      const [r, g, b] = blend(k, (l + 1) / INTENSITY_LEVELS)
      lut[k * INTENSITY_LEVELS + l] = (255 << 24) | (b << 16) | (g << 8) | r
    }
  }
  return lut
}

export function packRgb(hex: string): number {
  const [r, g, b] = hexToRgb(hex)
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0
}

export const rgbCss = ([r, g, b]: [number, number, number]): string => `rgb(${r},${g},${b})`
