// softnet_stat-style counter tracks per CPU (issue 12 item 4): packets processed by NAPI polls on each
// CPU and its time_squeeze, as counter tracks, hideable; the numbers are the engine's (run in Node
// from the same scenario: the worker and Node are deterministic alike, see determinism.spec.ts).
import { expect, test } from '@playwright/test'
import { parseScenario, runSimulation } from '../src/engine/index.ts'
import { SliceKind } from '../src/engine/types.ts'
import { encodeHash } from '../src/state/urlCodec.ts'
import { shiftDrag, waitDone } from './helpers.ts'

// eight rx queues on CPU 0 under load: net_rx_action runs out of budget (time_squeeze) there only
const scenario = parseScenario({
  durationMs: 10, warmupMs: 1, host: { cpus: 2 }, nic: { queues: 8 },
  rx: { irqs: Array.from({ length: 8 }, (_, queue) => ({ queue, cpu: 0 })) },
  traffic: { flows: 40, perFlowKpps: 300, senderMaxKpps: 12000 }, consumer: { kind: 'local', receiverCpu: 1 },
})

test('softnet_stat tracks: per CPU processed packets and time_squeeze, as the engine counted them; hideable', async ({ page }) => {
  const r = runSimulation(scenario)
  const squeeze = r.summary.timeSqueeze
  expect(squeeze[0]).toBeGreaterThan(0)
  const s = r.trace.slices
  const processed = new Map<number, number>()
  for (let i = 0; i < s.count; i++) {
    const k = s.kind[i]!
    if (k === SliceKind.softirq || k === SliceKind.ksoftirqd || k === SliceKind.irqThread || k === SliceKind.napiThread) processed.set(s.cpu[i]!, (processed.get(s.cpu[i]!) ?? 0) + s.packets[i]!)
  }
  const cpus = [...processed].filter(([, n]) => n > 0).map(([c]) => c).toSorted((a, b) => a - b)
  expect(cpus.length).toBeGreaterThan(0)

  await page.goto(`/${encodeHash(scenario)}`)
  await waitDone(page)
  const tracks = page.getByRole('slider', { name: /^Counter softnet CPU / })
  const toggle = page.getByRole('checkbox', { name: 'softnet_stat' })
  // off by default: the view stays as it was
  await expect(tracks).toHaveCount(0)
  await toggle.check()
  await expect(tracks).toHaveCount(cpus.length)
  for (const cpu of cpus) {
    const t = page.getByRole('slider', { name: new RegExp(`^Counter softnet CPU ${cpu} processed \\(time_squeeze ${squeeze[cpu]} in the run\\), scale 0 to [\\d.,]+k? kpps`) })
    await expect(t).toHaveCount(1)
  }
  // the canvas grew by the tracks, and the counter's range statistics add up to the packets processed on CPU 0
  const tl = page.getByTestId('timeline-current')
  await expect(tl).toHaveAttribute('data-counter-scales', /softnet CPU 0 processed/)
  await page.getByRole('img', { name: /^Timeline current/ }).focus()
  // a whole-run selection: the counter statistics integrate the kpps track back to packets
  const box = (await page.getByRole('img', { name: /^Timeline current/ }).boundingBox())!
  await shiftDrag(page, [[box.x + 173, box.y + 40], [box.x + box.width - 2, box.y + 40]], 4)
  const row = page.getByRole('row', { name: /softnet CPU 0 processed/ })
  await expect(row).toBeVisible()
  const n = processed.get(0)!
  const cells = (await row.getByRole('cell').allInnerTexts()).join(' ')
  expect(cells).toContain(n.toLocaleString('en-US'))
  // hidden with the counter tracks, and by its own switch
  await page.getByRole('checkbox', { name: 'Counter tracks' }).uncheck()
  await expect(tracks).toHaveCount(0)
  await page.getByRole('checkbox', { name: 'Counter tracks' }).check()
  await expect(tracks).toHaveCount(cpus.length)
  await toggle.uncheck()
  await expect(tracks).toHaveCount(0)
})
