// Experiment actions used by the table, the chart and the header: open a cell in the playground,
// download the table as CSV.
import type { SweepCell } from '../../engine/presets.ts'
import { cellScenario, tableCsv, useExperiment } from '../../state/experiment.ts'
import { useAppView } from '../../state/experimentView.ts'
import { usePlayground } from '../../state/store.ts'

/** Put the cell's scenario (seedCellScenario at the experiment's duration and base) in the playground and show it. */
export function openCell(cell: SweepCell): void {
  const scenario = cellScenario(cell, useExperiment.getState().config)
  const pg = usePlayground.getState()
  // the cell's scenario as the experiment ran it: writes parked for the previous scenario stay out
  pg.setScenario(scenario, {}, false)
  pg.setBanner({ kind: 'info', text: `Opened from the experiment: ${cell.payloadBytes} B, ${cell.flows} flows, ${cell.mode}, ${scenario.durationMs} ms.` })
  useAppView.getState().setView('playground')
  window.scrollTo(0, 0)
}

export function downloadCsv(): void {
  const { config, results } = useExperiment.getState()
  const blob = new Blob([tableCsv(config.grid, results, config.cellMs)], { type: 'text/csv' })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = 'irqlab-experiment.csv'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
