import { describe, expect, it } from 'vitest'
import { pctClass } from './ResultsTable.tsx'

describe('results table colours', () => {
  it('colours Δ vs softirq by sign, Δ vs published only when outside ±10 %', () => {
    expect(pctClass(+27.7, 'softirq')).toBe('dpos')
    expect(pctClass(-3, 'softirq')).toBe('dneg')
    // being above or below the measurement is not good or bad in itself
    expect(pctClass(+3.2, 'published')).toBe('dneu')
    expect(pctClass(-0.9, 'published')).toBe('dneu')
    expect(pctClass(+12, 'published')).toBe('dneg')
    expect(pctClass(-12, 'published')).toBe('dneg')
    expect(pctClass(0.01, 'published')).toBe('d0')
  })
})
