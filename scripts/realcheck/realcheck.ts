// `npm run realcheck -- <preset | scenario.json>`: the same scenario on a real kernel. Maps the
// scenario onto a QEMU guest (CPUs, rx IRQ on CPU 0, receiver pinned, rx mode, era by kernel
// choice), records ftrace with record.sh, runs the simulation, and prints the delivered share at
// the socket for both plus the two files to open side by side in the playground (or Perfetto).
// Needs qemu-system-x86, busybox-static, gcc, dpkg (Debian packages); not part of CI.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseScenario, runSimulation } from '../../src/engine/index.ts'
import { findPreset } from '../../src/engine/presets.ts'
import { writeTraceEventFile } from '../../src/cli/traceFiles.ts'
import { importText } from '../../src/trace/importText.ts'

const here = import.meta.dirname
const arg = process.argv[2]
if (!arg) { console.error('usage: npm run realcheck -- <preset | scenario.json>'); process.exit(2) }
const input = findPreset(arg)?.scenario ?? (existsSync(arg) ? JSON.parse(readFileSync(arg, 'utf8')) : undefined)
if (!input) { console.error(`realcheck: '${arg}' is neither a preset nor a scenario file`); process.exit(2) }
const s = parseScenario(structuredClone(input))
if (s.consumer.kind !== 'local') console.error('realcheck: note: the guest is the receiver here (a local UDP sink); a vhost/guest consumer is not reproduced')
const KERNELS = { '6.1': 'linux-image-6.1.0-47-cloud-amd64-unsigned', '6.12': 'linux-image-6.12.117+deb12-cloud-amd64-unsigned' } as const
const kernel = s.kernel.era === 'v6.5+' || s.kernel.era === 'v6.6+' ? '6.12' : '6.1'
if (s.kernel.era === 'v4.7') console.error('realcheck: note: no v4.7-era kernel in Debian 12; using 6.1 (v4.9–v6.4 era)')
const smp = Math.min(Math.max(s.host.cpus, 2), 4)
if (s.host.cpus !== smp) console.error(`realcheck: note: ${s.host.cpus} host CPUs mapped to ${smp} guest vCPUs`)
const mode = s.rx.mode === 'threaded-napi' ? 'threaded-napi' : 'softirq'
const extra = s.rx.mode === 'threaded-irq' ? 'threadirqs' : ''
const sink = s.consumer.kind === 'local' ? Math.min(s.consumer.receiverCpu, smp - 1) : 1
const work = process.env.WORK ?? '/tmp/irqlab-realcheck'
const out = process.env.OUT ?? join(work, 'out')
mkdirSync(work, { recursive: true })
mkdirSync(out, { recursive: true })
const kdir = join(work, KERNELS[kernel])
if (!existsSync(join(kdir, 'boot'))) {
  const dl = spawnSync('bash', ['-c', `cd '${work}' && apt-get download ${KERNELS[kernel]} && mkdir -p '${kdir}' && dpkg-deb -x ${KERNELS[kernel]}_*.deb '${kdir}'`], { stdio: 'inherit' })
  if (dl.status !== 0) process.exit(1)
}
const trace = join(out, `real-linux-${kernel}-${s.rx.mode}-sink-cpu${sink}.txt`)
const rec = spawnSync(join(here, 'record.sh'), [kdir, mode, String(sink), String(Math.min(s.durationMs, 200)), trace, join(work, `w-${kernel}`)], { stdio: 'inherit', env: { ...process.env, SMP: String(smp), EXTRA_APPEND: extra } })
if (rec.status !== 0) process.exit(1)
const snmp = readFileSync(`${trace}.snmp`, 'utf8').split('\n').filter((l) => /^Udp: \d/.test(l)).map((l) => l.split(/\s+/).slice(1).map(Number))
const read = snmp[1]![0]! - snmp[0]![0]!
const drops = snmp[1]![4]! - snmp[0]![4]!
const real = importText(readFileSync(trace, 'utf8'), trace)[0]!
const sim = runSimulation(s)
const simJson = join(out, `sim-${arg.replace(/\W+/g, '_')}.json`)
writeTraceEventFile(simJson, [{ label: 'sim', r: sim, title: `simulated: ${arg}` }])
const simDrops = sim.summary.packets.dropped['host socket'] ?? sim.summary.packets.dropped['guest socket'] ?? 0
const pct = (x: number) => `${(100 * x).toFixed(0)}%`
console.log(`\nscenario ${arg}: ${s.rx.mode}, era ${s.kernel.era}, receiver on CPU ${sink}`)
console.log(`real Linux ${kernel} (QEMU, ${smp} vCPUs, virtio-net): read ${read}, socket drops ${drops} → delivered share at the socket ${pct(read / Math.max(1, read + drops))}; CPU 0 softirq ${real.summary.cpu[0]!.softirq.toFixed(0)}%`)
console.log(`simulated: delivered ${sim.summary.packets.delivered}, socket drops ${simDrops} → share ${pct(sim.summary.packets.delivered / Math.max(1, sim.summary.packets.delivered + simDrops))}; CPU 0 softirq ${sim.summary.cpu[0]!.softirq.toFixed(0)}%`)
// the same scenario at the rate the emulated NIC actually delivered (the patterns, not the absolute rates)
const kpps = Math.max(1, Math.round(real.summary.offeredKpps))
const atRate = runSimulation(parseScenario({ ...structuredClone(input), traffic: { ...(input as { traffic?: object }).traffic, perFlowKpps: kpps, senderMaxKpps: Math.max(10, kpps) } }))
const atDrops = atRate.summary.packets.dropped['host socket'] ?? atRate.summary.packets.dropped['guest socket'] ?? 0
console.log(`simulated at the guest's rate (${kpps} kpps): delivered ${atRate.summary.packets.delivered}, socket drops ${atDrops} → share ${pct(atRate.summary.packets.delivered / Math.max(1, atRate.summary.packets.delivered + atDrops))}; CPU 0 softirq ${atRate.summary.cpu[0]!.softirq.toFixed(0)}%`)
console.log(`open side by side: ${trace} (Open trace → beside the simulation) and ${simJson} (or both in Perfetto)`)
