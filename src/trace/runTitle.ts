// The heading of a run in the timeline: simulated runs keep "A — pinned" / "B — current"; an
// imported trace says so and names its file.
import type { SimResult } from '../engine/types.ts'
import { isImported } from './builder.ts'

export function runTitle(label: string, r: SimResult, compare: boolean): string {
  if (isImported(r)) return `${compare ? `${label} — ` : ''}real trace: ${r.source.name} (${r.source.format})`
  if (!compare) return ''
  return label === 'A' ? 'A — pinned' : 'B — current'
}
