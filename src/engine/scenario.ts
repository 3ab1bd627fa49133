// The scenario: everything a run depends on, versioned and validated.
// Every field has a unit (in its name or doc), a default and a range; a bad value gives an error
// that names the field. The URL codec, the CLI and the worker all go through `parseScenario`.
import { z } from 'zod'

/** 2: host topology, netperf senders (rates derived from the send cost), guest HZ */
export const SCENARIO_VERSION = 2

export const RX_MODES = ['softirq', 'threaded-irq', 'threaded-napi'] as const
export type RxMode = (typeof RX_MODES)[number]

/**
 * Kernel era (MODEL.md §2, §5): the softirq deferral policy and the scheduler. 'v6.5+' keeps its
 * old name for links: it is v6.5, the deferral reverted, still CFS; 'v6.6+' adds EEVDF (today's kernels).
 */
export const KERNEL_ERAS = ['v4.7', 'v4.9-v6.4', 'v6.5+', 'v6.6+'] as const
export type KernelEra = (typeof KERNEL_ERAS)[number]

/** the machines (hardware.ts has what each one is) */
export const HARDWARE_PROFILES = ['2016-ixgbe-10g', '2020s-mlx5-100g'] as const
export type HardwareName = (typeof HARDWARE_PROFILES)[number]

export const CONSUMERS = ['guest', 'local'] as const
export const TRAFFIC_PATTERNS = ['stream', 'rr'] as const
export type TrafficPattern = (typeof TRAFFIC_PATTERNS)[number]
export type ConsumerKind = (typeof CONSUMERS)[number]

const int = (min: number, max: number) => z.number().int().min(min).max(max)

/** Per-IRQ override of the rx mode and thread flags (the /proc/irq/<nr>/<action>/threaded knob). */
export const IrqOverrideSchema = z.strictObject({
  /** rx queue index, 0-based */
  queue: int(0, 63).describe('rx queue index'),
  /** /proc/irq/<nr>/<action>/threaded at t=0 (threaded-irq mode only) */
  threaded: z.boolean().optional().describe('/proc/irq/<nr>/<action>/threaded at t = 0 (default: 1 in threaded-irq mode, else 0)'),
  /** driver flag: IRQ thread runs SCHED_NORMAL instead of SCHED_FIFO 50 */
  schedNormal: z.boolean().optional().describe('IRQ thread runs SCHED_NORMAL instead of SCHED_FIFO 50 (default: rx.schedNormal)'),
  /** driver flag: IRQ thread is not pinned to the IRQ's CPU affinity */
  noAffinity: z.boolean().optional().describe("IRQ thread not pinned to the IRQ's CPU (default: rx.noAffinity)"),
  /** CPU the IRQ is delivered to (smp_affinity); default queue mod cpus */
  cpu: int(0, 63).optional().describe('CPU the IRQ is delivered to, smp_affinity (default: queue mod host.cpus)'),
  /** per-NAPI netlink config (6.13+): `ynl … --do napi-set` defer-hard-irqs / gro-flush-timeout / irq-suspend-timeout */
  deferHardIrqs: int(0, 1_000_000).optional().describe('per-NAPI defer-hard-irqs (netlink napi-set, 6.13+ / era v6.6+), count (default: nic.deferHardIrqs)'),
  groFlushTimeoutUs: z.number().min(0).max(100_000).optional().describe('per-NAPI gro-flush-timeout (netlink napi-set, 6.13+ / era v6.6+), µs (default: nic.groFlushTimeoutUs)'),
  irqSuspendTimeoutUs: z.number().min(0).max(1_000_000).optional().describe('per-NAPI irq-suspend-timeout (netlink napi-set, 6.13+ / era v6.6+), µs (default: nic.irqSuspendTimeoutUs)'),
})
export type IrqOverride = z.infer<typeof IrqOverrideSchema>

/** A write to /proc/irq/<nr>/<action>/threaded at a simulated moment. */
export const ModeSwitchSchema = z.strictObject({
  /** when, in ms of simulated time */
  atMs: z.number().min(0).max(10_000).describe('when, ms of simulated time'),
  /** rx queue index, or -1 for every rx IRQ */
  queue: int(-1, 63).describe('rx queue, or -1 for every rx IRQ'),
  threaded: z.boolean().describe('the value written: true = 1 (threaded), false = 0 (softirq)'),
})
export type ModeSwitch = z.infer<typeof ModeSwitchSchema>

/**
 * Knobs that can be written mid-run, named as the kernel names them: sysfs files of
 * /sys/class/net/<dev>, netlink napi-set attributes, net.core sysctls, the application's
 * EPIOCSPARAMS fields.
 */
export const KNOBS = ['napi_defer_hard_irqs', 'gro_flush_timeout', 'irq_suspend_timeout', 'threaded', 'netdev_budget', 'netdev_budget_usecs', 'busy_poll_usecs', 'busy_poll_budget', 'prefer_busy_poll'] as const
export type KnobName = (typeof KNOBS)[number]

/** What each knob is, its unit, range, and the kernel it exists from (for the schema, errors and UIs). */
export const KNOB_INFO: Record<KnobName, { where: string; unit: string; min: number; max: number; scope: 'napi' | 'kernel' | 'app'; since: KernelEra }> = {
  napi_defer_hard_irqs: { where: '/sys/class/net/eth0/napi_defer_hard_irqs (or napi-set defer-hard-irqs per NAPI)', unit: 'count', min: 0, max: 1_000_000, scope: 'napi', since: 'v4.9-v6.4' },
  gro_flush_timeout: { where: '/sys/class/net/eth0/gro_flush_timeout (or napi-set gro-flush-timeout per NAPI)', unit: 'µs', min: 0, max: 100_000, scope: 'napi', since: 'v4.9-v6.4' },
  irq_suspend_timeout: { where: 'napi-set irq-suspend-timeout (netlink, 6.13+)', unit: 'µs', min: 0, max: 1_000_000, scope: 'napi', since: 'v6.6+' },
  threaded: { where: '/sys/class/net/eth0/threaded (0, 1; 5.12+) or napi-set threaded per NAPI (2 = busy-poll: napi-set only, 6.19+)', unit: '0/1/2', min: 0, max: 2, scope: 'napi', since: 'v4.7' },
  netdev_budget: { where: 'sysctl net.core.netdev_budget', unit: 'packets', min: 1, max: 100_000, scope: 'kernel', since: 'v4.7' },
  netdev_budget_usecs: { where: 'sysctl net.core.netdev_budget_usecs (4.12+)', unit: 'µs', min: 1, max: 1_000_000, scope: 'kernel', since: 'v4.9-v6.4' },
  busy_poll_usecs: { where: 'EPIOCSPARAMS busy_poll_usecs of the application (or net.core.busy_poll)', unit: 'µs', min: 0, max: 100_000, scope: 'app', since: 'v4.7' },
  busy_poll_budget: { where: 'EPIOCSPARAMS busy_poll_budget (5.11+)', unit: 'packets', min: 1, max: 1024, scope: 'app', since: 'v4.9-v6.4' },
  prefer_busy_poll: { where: 'EPIOCSPARAMS prefer_busy_poll (5.11+)', unit: '0/1', min: 0, max: 1, scope: 'app', since: 'v4.9-v6.4' },
}

/** A write to a knob at a simulated moment. */
export const KnobWriteSchema = z.strictObject({
  atMs: z.number().min(0).max(10_000).describe('when, ms of simulated time'),
  knob: z.enum(KNOBS).describe('the knob, named as the kernel names it: napi_defer_hard_irqs (count, 5.7+), gro_flush_timeout (µs, 5.7+), irq_suspend_timeout (µs, 6.13+), threaded (0/1, 5.12+; 2 = busy-poll, 6.19+), netdev_budget (packets), netdev_budget_usecs (µs, 4.12+), busy_poll_usecs (µs), busy_poll_budget (packets, 5.11+), prefer_busy_poll (0/1, 5.11+); a knob the era lacks is refused'),
  index: int(-1, 63).default(-1).describe('which NAPI (rx queue index) for per-NAPI knobs, which application thread for busy_poll_*; -1 = all (the device file, every thread)'),
  value: z.number().min(0).max(1_000_000).describe('the value written, in the knob\'s unit (count, µs, packets, 0/1/2)'),
})
export type KnobWrite = z.infer<typeof KnobWriteSchema>

export const ScenarioSchema = z.strictObject({
  version: z.literal(SCENARIO_VERSION).default(SCENARIO_VERSION).describe('scenario format version (version 1 inputs are migrated)'),
  /** random seed (arrival jitter, RSS addresses) */
  seed: int(0, 0xffffffff).default(1).describe('random seed: arrival jitter, RSS source addresses'),
  /** the machine: NIC line rate and interrupt moderation, CPU cost table */
  hardware: z.enum(HARDWARE_PROFILES).default('2016-ixgbe-10g').describe("the machine: 2016-ixgbe-10g = the seed's Xeon E5 + ixgbe 10GbE (calibrated costs); 2020s-mlx5-100g = ~3 GHz cores + ConnectX-5 100GbE with net_dim adaptive moderation (costs derived from the 2016 table, not fitted)"),
  /** simulated time, ms */
  durationMs: z.number().min(1).max(10_000).default(100).describe('simulated time, ms'),
  /** time excluded from throughput figures at the start, ms (must be < durationMs) */
  warmupMs: z.number().min(0).max(5_000).default(10).describe('start of the run left out of throughput figures, ms (< durationMs)'),
  kernel: z
    .strictObject({
      era: z.enum(KERNEL_ERAS).default('v4.7').describe('kernel era: softirq deferral policy (v4.9–v6.4: "let ksoftirqd do its job", reverted in v6.5) and scheduler (CFS-2016; v6.6+: EEVDF)'),
      /** timer frequency, Hz: jiffy length for softirq/NAPI limits and the scheduler tick */
      hz: z.union([z.literal(100), z.literal(250), z.literal(300), z.literal(1000)], { error: 'must be 100, 250, 300 or 1000 (Hz)' }).default(1000).describe('timer frequency, Hz: jiffy for softirq/NAPI limits, scheduler tick'),
      /** CONFIG_IRQ_TIME_ACCOUNTING: irq/softirq time reduces CPU capacity (drives active balancing) */
      irqTimeAccounting: z.boolean().default(true).describe('CONFIG_IRQ_TIME_ACCOUNTING: irq/softirq time reduces CPU capacity'),
      /** net.core.netdev_budget: packets one net_rx_action may poll */
      netdevBudget: int(1, 100_000).default(300).describe('sysctl net.core.netdev_budget, packets per net_rx_action (all eras)'),
      /** net.core.netdev_budget_usecs (4.12+): net_rx_action's time limit; 4.7 has a fixed 2 jiffies */
      netdevBudgetUsecs: int(1, 1_000_000).default(2000).describe('sysctl net.core.netdev_budget_usecs, µs per net_rx_action, rounded up to jiffies (4.12+ / era v4.9–v6.4 or later; v4.7: fixed 2 jiffies)'),
    })
    .prefault({}),
  host: z
    .strictObject({
      /** host CPUs */
      cpus: int(1, 64).default(16).describe('host CPUs, count (sockets × cores × threads per core)'),
      /** sockets; each is one last-level cache (select_idle_sibling searches within it) */
      sockets: int(1, 8).default(2).describe('sockets, count: each is one last-level cache domain; cores are split evenly, extra sockets beyond the cores are ignored (default: a dual-socket Xeon of 2016)'),
      /** SMT threads per core */
      threadsPerCore: int(1, 2).default(1).describe('SMT threads per core, count (1 = Hyper-Threading off)'),
    })
    .prefault({}),
  nic: z
    .strictObject({
      /** rx queues, one MSI-X IRQ each */
      queues: int(1, 64).default(16).describe('rx queues, one MSI-X IRQ each, count'),
      /** rx descriptor ring size per queue, packets */
      ringSize: int(64, 8192).default(512).describe('rx descriptor ring per queue, packets'),
      /** first MSI-X IRQ number (queue i gets irqBase + i) */
      irqBase: int(16, 1000).default(45).describe('IRQ number of queue 0 (queue i gets irqBase + i)'),
      /** /sys/class/net/<dev>/napi_defer_hard_irqs (v5.7+): empty polls before the interrupt comes back */
      deferHardIrqs: int(0, 1_000_000).default(0).describe('/sys/class/net/eth0/napi_defer_hard_irqs, count (v5.7+, era v4.9–v6.4 or later): polls that keep the device IRQ masked after work; 0 = off'),
      /** /sys/class/net/<dev>/gro_flush_timeout (v5.7+), µs here (ns in sysfs) */
      groFlushTimeoutUs: z.number().min(0).max(100_000).default(0).describe('/sys/class/net/eth0/gro_flush_timeout, µs (sysfs takes ns; v5.7+): the NAPI hrtimer that repolls while the IRQ is deferred; 0 = off'),
      /** interrupt moderation: 0 = adaptive (ixgbe rx_itr_setting=1), else a fixed interval in µs */
      itrUs: int(0, 1000).default(0).describe('interrupt moderation, µs (0 = adaptive: ixgbe ITR, mlx5 net_dim; else ixgbe EITR interval / mlx5 rx-usecs with 32 rx-frames)'),
      /** per-NAPI irq-suspend-timeout (6.13+, netlink only): how long epoll busy polling may keep the IRQ suspended */
      irqSuspendTimeoutUs: z.number().min(0).max(1_000_000).default(0).describe('irq-suspend-timeout of every NAPI (netlink napi-set only, 6.13+ / era v6.6+), µs: while epoll_wait returns events with prefer_busy_poll, the NAPI timer is this long and the IRQ stays suspended; 0 = off'),
    })
    .prefault({}),
  traffic: z
    .strictObject({
      /** UDP flows, each from its own source IP address */
      flows: int(1, 1024).default(1).describe('UDP flows, each from its own source IP address, count'),
      /** UDP payload, bytes */
      payloadBytes: int(1, 1472).default(64).describe('UDP payload, bytes'),
      /** the rate of every flow (a packet generator); unset = netperf senders as fast as they go */
      perFlowKpps: z.number().min(0.01).max(15_000).optional().describe('rate of every flow, kpps, like a packet generator (unset: netperf senders, each as fast as one core calls sendto, ≈ 1 µs per datagram + copy); no default'),
      /** a cap on what the sending host emits in total, kpps; unset = no cap beyond its cores */
      senderMaxKpps: z.number().min(1).max(15_000).optional().describe('cap on the sending host in total, kpps (unset: its cores and the line rate bound it: 10GbE or 100GbE by hardware)'),
      /** cores of the sending host: netperf instances beyond this share them */
      /** stream: one-way UDP flood; rr: request/response (each request gets a response from the application) */
      pattern: z.enum(TRAFFIC_PATTERNS).default('stream').describe('stream: one-way UDP flood (netperf UDP_STREAM); rr: request/response — the application answers each request (consumer local only); closed loop unless perFlowKpps is set'),
      /** open-loop arrival process: paced (a sender's loop, ±jitter) or Poisson (a load generator's exponential gaps) */
      arrivals: z.enum(['paced', 'poisson']).optional().describe('open-loop arrival process: paced = each queue\'s packets evenly spaced with bounded jitter (netperf, pktgen); poisson = exponential gaps (mutilate, wrk2 and other load generators); no default: paced for stream, poisson for rr'),
      /** rr, closed loop: requests each flow keeps in flight */
      outstanding: int(1, 64).default(1).describe('rr closed loop: requests in flight per flow, count (the next is sent when a response comes back)'),
      /** rr, closed loop: response leaves the host → the flow's next request reaches the NIC */
      rttUs: z.number().min(0).max(10_000).default(10).describe('rr closed loop: from a response leaving to the next request of that flow reaching the NIC (wire + client), µs'),
      senderCpus: int(1, 64).default(4).describe('cores of the sending host, count: offered = min(flows, senderCpus) × one sender\'s rate, capped by the line rate (10GbE or 100GbE by hardware)'),
    })
    .prefault({}),
  rx: z
    .strictObject({
      mode: z.enum(RX_MODES).default('softirq').describe('rx processing at t = 0: softirq, threaded-irq (every threaded file 1), threaded-napi'),
      /** default thread flags the driver requests for its IRQ threads (threaded-irq mode) */
      schedNormal: z.boolean().default(false).describe('driver flag for every IRQ thread: SCHED_NORMAL instead of SCHED_FIFO 50'),
      noAffinity: z.boolean().default(false).describe("driver flag for every IRQ thread: not pinned to the IRQ's CPU"),
      /** threaded NAPI in busy-poll mode: netlink napi-set threaded = busy-poll on every NAPI (6.19+) */
      threadedBusyPoll: z.boolean().default(false).describe('threaded NAPI busy poll (netlink napi-set "threaded": "busy-poll" on every NAPI, 6.19+ / era v6.6+, mode threaded-napi): the napi kthread never completes NAPI, polls at 100 % of its CPU, the IRQ stays off'),
      /** per-IRQ overrides (sparse) */
      irqs: z.array(IrqOverrideSchema).max(64).default([]).describe('per-IRQ overrides'),
      /** scheduled writes to .../threaded during the run */
      switches: z.array(ModeSwitchSchema).max(64).default([]).describe('writes to .../threaded during the run'),
    })
    .prefault({}),
  consumer: z
    .strictObject({
      kind: z.enum(CONSUMERS).default('guest').describe('guest: tun → vhost-net → VM; local: a host UDP socket and application thread'),
      /** guest vCPUs (kind = guest) */
      vcpus: int(1, 8).default(2).describe('guest vCPUs, count'),
      /** virtio-net queue pairs: 1 in a 2016 guest (no multiqueue by default), up to the vCPUs in a modern one */
      virtioQueues: int(1, 8).default(1).describe('virtio-net rx queues, count: 1 = a 2016 guest; more = multiqueue (queue i interrupts vCPU i, one vhost worker and tun queue each; ≤ vcpus)'),
      /** the guest kernel's timer frequency */
      guestHz: z.union([z.literal(100), z.literal(250), z.literal(300), z.literal(1000)], { error: 'must be 100, 250, 300 or 1000 (Hz)' }).default(1000).describe('guest kernel timer frequency, Hz: its jiffy for softirq limits and its scheduler tick'),
      /** local receiver: CPU it is pinned to, or -1 for unpinned (kind = local) */
      receiverCpu: int(-1, 63).default(-1).describe('local receiver pinned to this CPU, -1 = unpinned (one thread)'),
      /** local application threads (kind = local); flows are split by rx queue */
      threads: int(1, 64).default(1).describe('local application threads, count: with no more threads than rx queues, thread i serves the flows of queues i, i + threads, … (SO_REUSEPORT / SO_INCOMING_NAPI_ID steering); with more, flows are dealt round-robin'),
      /** pin thread i to the CPU of its first queue's IRQ */
      pinToIrqCpu: z.boolean().default(false).describe("pin each local application thread to the CPU of its first rx queue's IRQ"),
      /** application work per datagram / request, beyond recvmsg */
      serviceUs: z.number().min(0).max(10_000).default(0).describe('application work per datagram or request beyond recvmsg, µs'),
      /** epoll_wait maxevents: events the application takes per call */
      maxEvents: int(1, 4096).default(32).describe("epoll_wait's maxevents, count: events (readable sockets) the application handles per call before calling again (libevent, under memcached, starts at 32)"),
      busyPoll: z
        .strictObject({
          /** epoll busy_poll_usecs / SO_BUSY_POLL / net.core.busy_poll */
          usecs: z.number().min(0).max(100_000).default(0).describe('busy polling in the application, µs spent polling its NAPI before sleeping: epoll busy_poll_usecs (EPIOCSPARAMS 6.9+, or net.core.busy_poll, 4.12+) — the same loop as a socket\'s SO_BUSY_POLL / net.core.busy_read (3.11+) for one socket; 0 = off unless prefer'),
          /** busy_poll_budget (SO_BUSY_POLL_BUDGET), default BUSY_POLL_BUDGET 8 */
          budget: int(1, 1024).default(8).describe('busy_poll_budget, packets per busy poll (default BUSY_POLL_BUDGET = 8; 5.11+ to change)'),
          /** prefer_busy_poll (SO_PREFER_BUSY_POLL, 5.11+) */
          prefer: z.boolean().default(false).describe('prefer_busy_poll (SO_PREFER_BUSY_POLL / EPIOCSPARAMS, 5.11+ / era v4.9–v6.4 or later): softirq yields the NAPI to the busy poller and busy_poll_stop keeps the IRQ masked with napi_defer_hard_irqs + gro_flush_timeout'),
          /** the application calls epoll_wait with timeout 0 in a loop (never sleeps) */
          epollTimeoutZero: z.boolean().default(false).describe("the application calls epoll_wait with timeout 0 in a loop and never sleeps (100 % of its CPU); such a call returns at once without busy polling (ep_poll, 5.11+; era v4.7 polls once per call), so packets come from interrupts or the NAPI timer"),
        })
        .prefault({}),
    })
    .prefault({}),
  /** writes to today's knobs during the run (the seed's .../threaded writes are rx.switches) */
  writes: z.array(KnobWriteSchema).max(64).default([]).describe('writes to knobs during the run (sysfs, netlink napi-set, sysctl, EPIOCSPARAMS)'),
  trace: z
    .strictObject({
      /** maximum slices recorded; later slices are counted but not stored */
      maxSlices: int(0, 5_000_000).default(1_000_000).describe('trace slices stored at most (later ones are counted, not stored), count'),
    })
    .prefault({}),
})

/** A validated scenario with every default filled in. */
export type Scenario = z.infer<typeof ScenarioSchema>
/** What a user may write: any subset of the fields. */
export type ScenarioInput = z.input<typeof ScenarioSchema>

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ScenarioError'
  }
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length ? issue.path.join('.') : '(scenario)'
  return `${path}: ${issue.message}`
}

/**
 * Bring an older scenario to the current version, keeping its meaning: version 1 had a fixed
 * per-flow rate (1000 kpps) and sender total (2300 kpps) as defaults.
 */
export function migrateScenario(input: unknown, fromVersion?: number): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input
  const o = input as Record<string, unknown>
  const v = fromVersion ?? (typeof o.version === 'number' ? o.version : SCENARIO_VERSION)
  if (v !== 1) return input
  const traffic = (o.traffic && typeof o.traffic === 'object' && !Array.isArray(o.traffic) ? o.traffic : {}) as Record<string, unknown>
  return { ...o, version: 2, traffic: { perFlowKpps: 1000, senderMaxKpps: 2300, ...traffic } }
}

/** Validate untrusted input; cross-field rules included. Throws ScenarioError naming the field. */
export function parseScenario(input: unknown): Scenario {
  const r = ScenarioSchema.safeParse(migrateScenario(input ?? {}))
  if (!r.success) {
    const first = r.error.issues[0]
    throw new ScenarioError(first ? formatIssue(first) : 'invalid scenario')
  }
  const s = r.data
  const problems = crossFieldProblems(s)
  if (problems.length) throw new ScenarioError(problems[0]!)
  return s
}

/** Like parseScenario but returns the error instead of throwing. */
export function tryParseScenario(input: unknown): { ok: true; scenario: Scenario } | { ok: false; error: string } {
  try {
    return { ok: true, scenario: parseScenario(input) }
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) }
  }
}

function crossFieldProblems(s: Scenario): string[] {
  const p: string[] = []
  if (s.warmupMs >= s.durationMs) p.push(`warmupMs: must be less than durationMs (${s.durationMs} ms)`)
  for (const [i, o] of s.rx.irqs.entries()) {
    if (o.queue >= s.nic.queues) p.push(`rx.irqs.${i}.queue: ${o.queue} is not an rx queue (0..${s.nic.queues - 1})`)
    if (o.cpu !== undefined && o.cpu >= s.host.cpus) p.push(`rx.irqs.${i}.cpu: ${o.cpu} is not a host CPU (0..${s.host.cpus - 1})`)
  }
  for (const [i, w] of s.rx.switches.entries()) {
    if (w.queue >= s.nic.queues) p.push(`rx.switches.${i}.queue: ${w.queue} is not an rx queue (0..${s.nic.queues - 1})`)
    if (w.atMs > s.durationMs) p.push(`rx.switches.${i}.atMs: ${w.atMs} ms is after the end of the run (${s.durationMs} ms)`)
  }
  if (s.kernel.era === 'v4.7' && (s.nic.deferHardIrqs > 0 || s.nic.groFlushTimeoutUs > 0)) p.push('nic.deferHardIrqs: napi_defer_hard_irqs and gro_flush_timeout exist from v5.7 (choose era v4.9–v6.4 or later)')
  if (s.rx.threadedBusyPoll && (s.rx.mode !== 'threaded-napi' || s.kernel.era !== 'v6.6+')) p.push('rx.threadedBusyPoll: threaded busy poll needs rx.mode threaded-napi and a kernel of era v6.6+ (it exists from 6.19)')
  if (s.consumer.virtioQueues > s.consumer.vcpus) p.push(`consumer.virtioQueues: ${s.consumer.virtioQueues} queues need as many vCPUs (${s.consumer.vcpus})`)
  const eras = KERNEL_ERAS as readonly string[]
  for (const [i, w] of s.writes.entries()) {
    const k = KNOB_INFO[w.knob]
    const at = `writes.${i}`
    if (w.atMs > s.durationMs) p.push(`${at}.atMs: ${w.atMs} ms is after the end of the run (${s.durationMs} ms)`)
    if (w.value < k.min || w.value > k.max) p.push(`${at}.value: ${w.knob} takes ${k.min}..${k.max} (${k.unit})`)
    if (eras.indexOf(s.kernel.era) < eras.indexOf(k.since)) p.push(`${at}.knob: ${w.knob} (${k.where}) does not exist in era ${s.kernel.era} (choose ${k.since} or later)`)
    if (k.scope === 'napi' && w.index >= s.nic.queues) p.push(`${at}.index: ${w.index} is not an rx queue (0..${s.nic.queues - 1})`)
    if (k.scope === 'app' && s.consumer.kind !== 'local') p.push(`${at}.knob: ${w.knob} is the local application's (consumer.kind local)`)
    if (k.scope === 'app' && w.index >= s.consumer.threads) p.push(`${at}.index: ${w.index} is not an application thread (0..${s.consumer.threads - 1})`)
    if (w.knob === 'threaded' && w.value === 2 && (s.rx.mode !== 'threaded-napi' || s.kernel.era !== 'v6.6+')) p.push(`${at}.value: threaded = 2 (busy-poll) needs rx.mode threaded-napi and era v6.6+`)
    if (w.knob === 'threaded' && !Number.isInteger(w.value)) p.push(`${at}.value: threaded takes 0, 1 or 2`)
  }
  const bp = s.consumer.busyPoll
  const local = s.consumer.kind === 'local'
  if (s.traffic.pattern === 'rr' && !local) p.push('traffic.pattern: request/response needs consumer.kind local (the guest path has no transmit side)')
  if (!local && (bp.usecs > 0 || bp.prefer || bp.epollTimeoutZero)) p.push('consumer.busyPoll: busy polling is modelled for the local application (consumer.kind local)')
  if (!local && s.consumer.threads > 1) p.push('consumer.threads: several application threads need consumer.kind local')
  if (s.consumer.threads > 1 && s.consumer.receiverCpu >= 0) p.push('consumer.receiverCpu: pins the single thread; with several threads use consumer.pinToIrqCpu')
  if (s.kernel.era === 'v4.7' && (bp.prefer || bp.budget !== 8)) p.push('consumer.busyPoll.prefer: prefer_busy_poll and busy_poll_budget exist from 5.11 (choose era v4.9–v6.4 or later)')
  if (s.kernel.era === 'v4.7' && s.kernel.netdevBudgetUsecs !== 2000) p.push('kernel.netdevBudgetUsecs: net.core.netdev_budget_usecs exists from 4.12 (choose era v4.9–v6.4 or later; 4.7 uses 2 jiffies)')
  const suspend = s.nic.irqSuspendTimeoutUs > 0 || s.rx.irqs.some((o) => (o.irqSuspendTimeoutUs ?? 0) > 0)
  const perNapi = s.rx.irqs.some((o) => o.deferHardIrqs !== undefined || o.groFlushTimeoutUs !== undefined || o.irqSuspendTimeoutUs !== undefined)
  if (s.kernel.era !== 'v6.6+' && (suspend || perNapi)) p.push(`${suspend ? 'nic.irqSuspendTimeoutUs: irq-suspend-timeout' : 'rx.irqs: per-NAPI settings (netlink napi-set)'} exist from 6.13 (choose era v6.6+)`)
  if (s.consumer.receiverCpu >= s.host.cpus) p.push(`consumer.receiverCpu: ${s.consumer.receiverCpu} is not a host CPU (0..${s.host.cpus - 1})`)
  return p
}

export const defaultScenario = (): Scenario => parseScenario({})

/** The IRQ number and action name of an rx queue, as in /proc/irq/<nr>/<action>. */
export function irqOfQueue(s: Scenario, queue: number): { irq: number; action: string } {
  return { irq: s.nic.irqBase + queue, action: `eth0-TxRx-${queue}` }
}

/** Effective per-IRQ settings after defaults and overrides. */
export interface IrqSettings {
  queue: number
  irq: number
  action: string
  threaded: boolean
  schedNormal: boolean
  noAffinity: boolean
  cpu: number
  /** the NAPI's defer-hard-irqs, gro-flush-timeout (µs) and irq-suspend-timeout (µs): per-NAPI or the device's */
  deferHardIrqs: number
  groFlushTimeoutUs: number
  irqSuspendTimeoutUs: number
}

export function irqSettings(s: Scenario): IrqSettings[] {
  const out: IrqSettings[] = []
  for (let q = 0; q < s.nic.queues; q++) {
    const o = s.rx.irqs.find((x) => x.queue === q)
    const { irq, action } = irqOfQueue(s, q)
    out.push({
      queue: q,
      irq,
      action,
      threaded: o?.threaded ?? s.rx.mode === 'threaded-irq',
      schedNormal: o?.schedNormal ?? s.rx.schedNormal,
      noAffinity: o?.noAffinity ?? s.rx.noAffinity,
      cpu: o?.cpu ?? q % s.host.cpus,
      deferHardIrqs: o?.deferHardIrqs ?? s.nic.deferHardIrqs,
      groFlushTimeoutUs: o?.groFlushTimeoutUs ?? s.nic.groFlushTimeoutUs,
      irqSuspendTimeoutUs: o?.irqSuspendTimeoutUs ?? s.nic.irqSuspendTimeoutUs,
    })
  }
  return out
}

/** One documented field of the schema (from its JSON Schema): for `sim schema` and the docs. */
export interface SchemaField {
  path: string
  description: string
  default?: unknown
  min?: number
  max?: number
  choices?: unknown[]
}

/** Every leaf field of the scenario with its description (unit included), default and range. */
export function describeScenarioFields(): SchemaField[] {
  const out: SchemaField[] = []
  type Js = { description?: string; default?: unknown; minimum?: number; maximum?: number; enum?: unknown[]; anyOf?: Js[]; const?: unknown; properties?: Record<string, Js>; items?: Js; type?: string }
  const walk = (node: Js, path: string): void => {
    if (node.properties) {
      for (const [k, v] of Object.entries(node.properties)) walk(v, path ? `${path}.${k}` : k)
      return
    }
    if (node.type === 'array' && node.items?.properties) {
      out.push({ path, description: node.description ?? '', default: node.default })
      walk(node.items, `${path}[]`)
      return
    }
    const choices = node.enum ?? (node.anyOf?.every((a) => 'const' in a) ? node.anyOf.map((a) => a.const) : undefined)
    out.push({
      path, description: node.description ?? '', default: node.default,
      ...(node.minimum !== undefined ? { min: node.minimum } : {}),
      ...(node.maximum !== undefined ? { max: node.maximum } : {}),
      ...(choices ? { choices } : {}),
    })
  }
  walk(z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }) as Js, '')
  return out
}

/** Field metadata for UIs and docs: unit, range, default. */
export interface FieldMeta {
  path: string
  label: string
  unit: string
  min: number
  max: number
  step: number
  /** unset means "derived" (e.g. the netperf senders' own rate): the UI shows the derived value */
  optional?: true
}

export const NUMERIC_FIELDS: FieldMeta[] = [
  { path: 'traffic.senderMaxKpps', label: 'Offered rate', unit: 'kpps', min: 10, max: 15000, step: 10, optional: true },
  { path: 'traffic.perFlowKpps', label: 'Per-flow rate', unit: 'kpps', min: 1, max: 15000, step: 1, optional: true },
  { path: 'traffic.senderCpus', label: 'Sender cores', unit: 'cores', min: 1, max: 64, step: 1 },
  { path: 'traffic.payloadBytes', label: 'Payload size', unit: 'B', min: 1, max: 1472, step: 1 },
  { path: 'traffic.flows', label: 'Flows', unit: 'flows', min: 1, max: 1024, step: 1 },
  { path: 'host.cpus', label: 'Host CPUs', unit: 'CPUs', min: 1, max: 64, step: 1 },
  { path: 'nic.queues', label: 'NIC queues', unit: 'queues', min: 1, max: 64, step: 1 },
  { path: 'consumer.vcpus', label: 'Guest vCPUs', unit: 'vCPUs', min: 1, max: 8, step: 1 },
  { path: 'durationMs', label: 'Duration', unit: 'ms', min: 1, max: 10000, step: 1 },
]
