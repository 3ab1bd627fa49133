import { describe, expect, it } from 'vitest'
import { clampWindow, MIN_SPAN_NS, panBy, zoomAt } from './viewOps.ts'

describe('view operations', () => {
  it('zooms about the anchor, keeping it at the same screen position', () => {
    const w = zoomAt({ t0: 0, t1: 100 }, 100, 0.5, 80)
    expect(w).toEqual({ t0: 40, t1: 90 })
    expect((80 - w.t0) / (w.t1 - w.t0)).toBeCloseTo(0.8, 12)
  })
  it('never leaves the run and never zooms below the minimum span', () => {
    expect(zoomAt({ t0: 0, t1: 100 }, 100, 4, 50)).toEqual({ t0: 0, t1: 100 })
    expect(panBy({ t0: 100, t1: 200 }, 1000, -500)).toEqual({ t0: 0, t1: 100 })
    expect(panBy({ t0: 100, t1: 200 }, 1000, 5000)).toEqual({ t0: 900, t1: 1000 })
    const tiny = zoomAt({ t0: 0, t1: 1000 }, 1e6, 1e-9, 500)
    expect(tiny.t1 - tiny.t0).toBe(MIN_SPAN_NS)
    expect(clampWindow({ t0: NaN, t1: NaN }, 100)).toEqual({ t0: 0, t1: 100 })
  })
})
