// Determinism across runtimes: the production Web Worker (the built sim.worker bundle, in Chromium)
// and Node (the engine sources, in this test process) produce the same result for the same
// scenario and seed, down to the last byte of every trace column.
//
// No page hook is needed: the app starts its worker on load; the test takes that worker's script
// URL, starts a second instance of it in the page and calls its `run` through Comlink's message
// protocol ({id, type: 'APPLY', path: ['run'], argumentList: [{type: 'RAW', value}]}).
import { expect, test, type Page } from '@playwright/test'
import { parseScenario, runSimulation, type ScenarioInput, type SimResult } from '../src/engine/index.ts'

/** A typed array as plain JSON: its constructor name and values. */
interface PlainTyped {
  typedArray: string
  values: number[]
}

type Plain = null | boolean | number | string | PlainTyped | Plain[] | { [k: string]: Plain }

const TYPED = ['Float64Array', 'Float32Array', 'Uint32Array', 'Int32Array', 'Uint16Array', 'Int16Array', 'Uint8Array', 'Int8Array'] as const

/** SimResult without `perf` (wall time), typed arrays spelled out. Mirrors the in-page version. */
function toPlain(v: unknown): Plain {
  if (ArrayBuffer.isView(v)) return { typedArray: v.constructor.name, values: Array.from(v as unknown as ArrayLike<number>) }
  if (Array.isArray(v)) return v.map(toPlain)
  if (v && typeof v === 'object') {
    const out: { [k: string]: Plain } = {}
    for (const [k, x] of Object.entries(v)) if (k !== 'perf') out[k] = toPlain(x)
    return out
  }
  return v as Plain
}

const isTyped = (v: Plain): v is PlainTyped => !!v && typeof v === 'object' && !Array.isArray(v) && 'typedArray' in v

/** FNV-1a (32 bit) over the JSON of the non-array part and the bytes of every typed array. */
function digest(p: Plain): string {
  let h = 0x811c9dc5
  const eat = (bytes: Uint8Array) => {
    for (let i = 0; i < bytes.length; i++) {
      h ^= bytes[i]!
      h = Math.imul(h, 0x01000193) >>> 0
    }
  }
  const enc = new TextEncoder()
  const walk = (v: Plain, path: string) => {
    if (isTyped(v)) {
      const ctor = TYPED.find((n) => n === v.typedArray)
      if (!ctor) throw new Error(`${path}: unexpected ${v.typedArray}`)
      const a = new globalThis[ctor](v.values)
      eat(enc.encode(`${path}:${ctor}`))
      eat(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`))
    else if (v && typeof v === 'object') for (const k of Object.keys(v).toSorted()) walk(v[k]!, `${path}.${k}`)
    else eat(enc.encode(`${path}=${JSON.stringify(v)}`))
  }
  walk(p, '')
  return h.toString(16).padStart(8, '0')
}

/** the first path where two plain results differ */
function firstDifference(a: Plain, b: Plain, path = ''): string | null {
  if (isTyped(a) || isTyped(b)) {
    if (!isTyped(a) || !isTyped(b) || a.typedArray !== b.typedArray) return `${path}: type`
    if (a.values.length !== b.values.length) return `${path}: length ${a.values.length} vs ${b.values.length}`
    const i = a.values.findIndex((x, k) => !Object.is(x, b.values[k]))
    return i < 0 ? null : `${path}[${i}]: ${a.values[i]} vs ${b.values[i]}`
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return `${path}: array shape`
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i]!, b[i]!, `${path}[${i}]`)
      if (d) return d
    }
    return null
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).toSorted()
    const kb = Object.keys(b).toSorted()
    if (ka.join() !== kb.join()) return `${path}: keys ${ka.join()} vs ${kb.join()}`
    for (const k of ka) {
      const d = firstDifference(a[k]!, b[k]!, `${path}.${k}`)
      if (d) return d
    }
    return null
  }
  return Object.is(a, b) ? null : `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`
}

/** Runs a scenario in a fresh instance of the app's production worker; returns the plain result. */
async function runInWorker(page: Page, workerUrl: string, scenario: ScenarioInput): Promise<Plain> {
  return (await page.evaluate(
    async ({ url, input }) => {
      const plain = (v: unknown): unknown => {
        if (ArrayBuffer.isView(v)) return { typedArray: v.constructor.name, values: Array.from(v as unknown as ArrayLike<number>) }
        if (Array.isArray(v)) return v.map(plain)
        if (v && typeof v === 'object') {
          const out: Record<string, unknown> = {}
          for (const [k, x] of Object.entries(v)) if (k !== 'perf') out[k] = plain(x)
          return out
        }
        return v
      }
      const worker = new Worker(url, { type: 'module' })
      try {
        const reply = await new Promise<{ type: string; name?: string; value: unknown }>((resolve, reject) => {
          const id = 'determinism-e2e'
          worker.addEventListener('message', (ev: MessageEvent) => {
            if (ev.data && ev.data.id === id) resolve(ev.data)
          })
          worker.addEventListener('error', (ev) => reject(new Error(`worker error: ${ev.message}`)))
          worker.postMessage({ id, type: 'APPLY', path: ['run'], argumentList: [{ type: 'RAW', value: input }] }, [])
        })
        if (reply.type === 'HANDLER' && reply.name === 'throw') throw new Error(`worker threw: ${JSON.stringify(reply.value)}`)
        if (reply.type !== 'RAW' || !reply.value) throw new Error(`unexpected reply ${JSON.stringify(reply).slice(0, 200)}`)
        return plain(reply.value)
      } finally {
        worker.terminate()
      }
    },
    { url: workerUrl, input: scenario },
  )) as Plain
}

const SCENARIOS: Array<[string, ScenarioInput]> = [
  ['softirq, 2-vCPU guest (seed-2016 shape)', {
    seed: 2016, durationMs: 10, warmupMs: 2, host: { cpus: 8 }, nic: { queues: 8 },
    traffic: { flows: 25, payloadBytes: 64 }, rx: { mode: 'softirq', schedNormal: true, noAffinity: true },
    consumer: { kind: 'guest', vcpus: 2 },
  }],
  ['threaded IRQ with runtime switches, local receiver on the IRQ CPU, v4.9-v6.4', {
    seed: 7, durationMs: 10, warmupMs: 1, kernel: { era: 'v4.9-v6.4', hz: 250 }, host: { cpus: 4 }, nic: { queues: 4 },
    rx: { mode: 'threaded-irq', switches: [{ atMs: 3, queue: -1, threaded: false }, { atMs: 6.5, queue: 2, threaded: true }] },
    traffic: { flows: 13, payloadBytes: 256, perFlowKpps: 300, senderMaxKpps: 3000 },
    consumer: { kind: 'local', receiverCpu: 0 },
  }],
  ['threaded NAPI, single-vCPU guest, 1 B payload', {
    seed: 99, durationMs: 8, warmupMs: 1, host: { cpus: 6 }, nic: { queues: 6 }, rx: { mode: 'threaded-napi' },
    traffic: { flows: 50, payloadBytes: 1, perFlowKpps: 40, senderMaxKpps: 2000 }, consumer: { kind: 'guest', vcpus: 1 },
  }],
]

test.describe('determinism: Web Worker (browser) = Node', () => {
  let workerUrl = ''

  test.beforeEach(async ({ page }) => {
    const spawned = page.waitForEvent('worker', { timeout: 30_000 })
    await page.goto('/')
    workerUrl = (await spawned).url()
    expect(workerUrl).toMatch(/\.js(\?.*)?$/)
  })

  for (const [name, scenario] of SCENARIOS) {
    test(name, async ({ page }) => {
      const inBrowser = await runInWorker(page, workerUrl, scenario)
      const inNode = toPlain(runSimulation(parseScenario(scenario)) satisfies SimResult)
      const slices = (inNode as { trace: { slices: { count: number } } }).trace.slices.count
      expect(slices).toBeGreaterThan(100)
      expect(firstDifference(inBrowser, inNode)).toBeNull()
      expect(digest(inBrowser)).toBe(digest(inNode))
    })
  }

  test('the worker rejects a bad scenario with the field name', async ({ page }) => {
    const err = await runInWorker(page, workerUrl, { host: { cpus: 0 } }).then(
      () => '',
      (e: unknown) => String(e),
    )
    expect(err).toMatch(/host\.cpus/)
  })
})
