import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseCalibrationCsv } from '../../bench/calibration.ts'
import { publishedKpps, SEED_TABLE } from './seedTable.ts'

const root = join(import.meta.dirname, '..', '..')
const csvPath = join(root, '..', 'shared', 'calibration', 'seed-table.csv')

describe('seed table shipped with the app', () => {
  // the source of truth sits beside the repo (as in CI); a clone without it cannot check the copy
  it.skipIf(!existsSync(csvPath))('is an exact copy of ../shared/calibration/seed-table.csv', () => {
    const csv = parseCalibrationCsv(readFileSync(csvPath, 'utf8'))
    expect(SEED_TABLE.map((r) => ({ payloadBytes: r.payloadBytes, flows: r.flows, softirq: r.softirqKpps, threaded: r.threadedIrqKpps }))).toEqual(csv)
  })

  it('answers per mode; threaded NAPI and unpublished cells have no value', () => {
    expect(publishedKpps(64, 25, 'softirq')).toBe(711)
    expect(publishedKpps(64, 25, 'threaded-irq')).toBe(932)
    expect(publishedKpps(64, 25, 'threaded-napi')).toBeUndefined()
    expect(publishedKpps(256, 25, 'softirq')).toBeUndefined()
  })

  it('is never imported by the engine', () => {
    const walk = (dir: string): string[] => readdirSync(dir).flatMap((f) => {
      const p = join(dir, f)
      return statSync(p).isDirectory() ? walk(p) : [p]
    })
    for (const f of walk(join(root, 'src', 'engine'))) {
      const imports = readFileSync(f, 'utf8').match(/^\s*(import|export)\b[^\n]*\bfrom\s+['"][^'"]+['"]|\bimport\(\s*['"][^'"]+['"]/gm) ?? []
      for (const line of imports) expect(line, f).not.toMatch(/seedTable|\/data\/|seed-table|calibration/)
    }
  })
})
