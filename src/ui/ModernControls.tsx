// Controls for today's kernels and workloads (issue 10): the machine, the traffic pattern
// (stream or request/response), the local application (threads, pinning, service time, epoll busy
// polling) and the kernel's budgets and IRQ suspension. Only what applies is shown: request/response
// fields with request/response, the application's with the local consumer; fields the kernel era
// lacks are disabled and say which kernel has them.
import { useMemo } from 'react'
import { HARDWARE_PROFILES, hardwareProfile } from '../engine/hardware.ts'
import { defaultScenario, type Scenario } from '../engine/scenario.ts'
import { SliceKind } from '../engine/types.ts'
import { usePanelRuns } from '../state/panelFeed.ts'
import { usePlayground } from '../state/store.ts'
import { fmtSig } from '../timeline/format.ts'
import { CheckField, NumberField, SegRadio, SelectField } from './FormFields.tsx'
import { eraLacks, HARDWARE_LABELS, kindTotalNs, knobLacks } from './modernKnobs.ts'

export function HardwareSelect() {
  const hw = usePlayground((s) => s.scenario.hardware)
  return (
    <>
      <SelectField label="Hardware" path="hardware" options={HARDWARE_PROFILES.map((h) => ({ value: h, label: HARDWARE_LABELS[h] }))} />
      <div className="hint ctl-sub">{hardwareProfile(hw).description}</div>
    </>
  )
}

const PATTERN_HELP: Record<string, string> = {
  stream: 'One-way UDP flood (netperf UDP_STREAM): latency is wire → read',
  rr: 'Request/response: the application answers each request; latency is request → response',
}

export function TrafficPattern() {
  const local = usePlayground((s) => s.scenario.consumer.kind === 'local')
  const pattern = usePlayground((s) => s.scenario.traffic.pattern)
  const closed = usePlayground((s) => s.scenario.traffic.pattern === 'rr' && s.scenario.traffic.perFlowKpps === undefined)
  return (
    <>
      <SegRadio label="Traffic" path="traffic.pattern" help={(v) => PATTERN_HELP[v] ?? ''} options={[
        { value: 'stream', label: 'stream' },
        { value: 'rr', label: 'request/response', disabled: local || pattern === 'rr' ? null : 'Request/response needs the local receiver (Consumer: local receiver process): the guest path has no transmit side' },
      ]} />
      {pattern === 'rr' && closed && (
        <>
          <NumberField path="traffic.outstanding" label="In flight per flow" unit="requests" min={1} max={64} integer title="Closed loop: requests each flow keeps in flight; the next is sent when a response comes back" />
          <NumberField path="traffic.rttUs" label="Client round trip" unit="µs" min={0} max={10_000} title="From a response leaving the host to the flow's next request reaching the NIC (wire + client)" />
        </>
      )}
      {pattern === 'rr' && <div className="hint ctl-sub">{closed ? 'Closed loop (like mutilate at full load); set a per-flow rate for an open loop at a fixed rate' : 'Open loop at the per-flow rate; clear it (auto) for a closed loop'}</div>}
      {!closed && (
        <SelectField label="Arrivals" path="traffic.arrivals" options={[
          { value: '', label: `default (${pattern === 'rr' ? 'Poisson' : 'paced'})` },
          { value: 'paced', label: 'paced (netperf, pktgen)' },
          { value: 'poisson', label: 'Poisson (load generators)' },
        ]} title="Gaps between a queue's packets: evenly spaced with bounded jitter, or exponential" />
      )}
    </>
  )
}

/** Busy-poll CPU time of the run on screen: the feedback that busy polling happened. */
function BusyPollTime() {
  const { result } = usePanelRuns()
  const ns = useMemo(() => (result ? kindTotalNs(result.trace, SliceKind.busyPoll) : null), [result])
  if (ns === null || !result) return null
  const cpuPct = (100 * ns) / Math.max(1, result.trace.durationNs)
  return (
    <p className="hint" data-testid="busy-poll-time" data-ns={Math.round(ns)}>
      Busy poll in the run on screen: <b>{fmtSig(ns / 1e6)} ms</b> of CPU time ({fmtSig(cpuPct)} % of one CPU); brown in the timeline
    </p>
  )
}

export function ApplicationFields() {
  const era = usePlayground((s) => s.scenario.kernel.era)
  const cpus = usePlayground((s) => s.scenario.host.cpus)
  const threads = usePlayground((s) => s.scenario.consumer.threads)
  return (
    <>
      <fieldset className="ctl-group">
        <legend>Application (local receiver)</legend>
        <SelectField label="Receiver CPU" path="consumer.receiverCpu"
          options={[{ value: '-1', label: 'unpinned' }, ...Array.from({ length: cpus }, (_, c) => ({ value: String(c), label: `CPU ${c}` }))]}
          lacks={threads > 1 ? 'Pins the single thread; with several threads use "Pin each thread to its IRQ\'s CPU"' : null} />
        <NumberField path="consumer.threads" label="Threads" unit="threads" min={1} max={64} integer title="Thread i serves the flows of rx queues i, i + threads, … (SO_REUSEPORT / SO_INCOMING_NAPI_ID steering)" />
        <CheckField path="consumer.pinToIrqCpu" label="Pin each thread to its IRQ's CPU" title="Thread i runs only on the CPU of its first rx queue's IRQ" />
        <NumberField path="consumer.serviceUs" label="Service time" unit="µs" min={0} max={10_000} title="Application work per datagram or request, beyond recvmsg" />
      </fieldset>
      <fieldset className="ctl-group">
        <legend>epoll_wait and busy polling</legend>
        <NumberField path="consumer.busyPoll.usecs" label="busy_poll_usecs" code unit="µs" min={0} max={100_000}
          title="Time epoll_wait polls the NAPI before sleeping (EPIOCSPARAMS, or net.core.busy_poll); 0 = off unless prefer_busy_poll" />
        <NumberField path="consumer.busyPoll.budget" label="busy_poll_budget" code unit="packets" min={1} max={1024} integer
          lacks={knobLacks(era, 'busy_poll_budget')} title="Packets per busy poll (BUSY_POLL_BUDGET = 8)" />
        <CheckField path="consumer.busyPoll.prefer" label="prefer_busy_poll" code lacks={knobLacks(era, 'prefer_busy_poll')}
          title="Softirq leaves the NAPI to the busy poller; with napi_defer_hard_irqs + gro_flush_timeout the IRQ stays masked" />
        <CheckField path="consumer.busyPoll.epollTimeoutZero" label="epoll_wait timeout 0 (spin, never sleeps)" title="The application calls epoll_wait(…, 0) in a loop: one busy poll per call, 100 % of its CPU" />
        <NumberField path="consumer.maxEvents" label="maxevents" code unit="events" min={1} max={4096} integer title="epoll_wait's maxevents: readable sockets the application handles per call before calling again (libevent starts at 32)" />
        <BusyPollTime />
      </fieldset>
    </>
  )
}

export function KernelFields() {
  const era = usePlayground((s) => s.scenario.kernel.era)
  return (
    <fieldset className="ctl-group">
      <legend>Kernel budgets and IRQ suspension</legend>
      <NumberField path="kernel.netdevBudget" label="netdev_budget" code unit="packets" min={1} max={100_000} integer
        title="sysctl net.core.netdev_budget: packets one net_rx_action may poll (300)" />
      <NumberField path="kernel.netdevBudgetUsecs" label="netdev_budget_usecs" code unit="µs" min={1} max={1_000_000} integer
        lacks={knobLacks(era, 'netdev_budget_usecs')} title="sysctl net.core.netdev_budget_usecs: net_rx_action's time limit, rounded up to jiffies (2000)" />
      <NumberField path="nic.irqSuspendTimeoutUs" label="irq-suspend-timeout" code unit="µs" min={0} max={1_000_000}
        lacks={eraLacks(era, 'v6.6+', '6.13', 'irq-suspend-timeout')}
        title="Every NAPI (netlink napi-set): while epoll_wait with prefer_busy_poll returns events, the IRQ stays suspended this long; 0 = off" />
      <p className="hint">napi_defer_hard_irqs, gro_flush_timeout, threaded NAPI and per-NAPI values: /sys/class/net/eth0 below the timeline.</p>
    </fieldset>
  )
}

const DEFAULTS = defaultScenario()

/** Something in the box differs from the defaults: it opens by itself (a preset, a link). */
function boxSet(s: Scenario): boolean {
  const d = DEFAULTS
  return s.hardware !== d.hardware || s.traffic.pattern !== d.traffic.pattern || s.traffic.arrivals !== undefined
    || s.kernel.netdevBudget !== d.kernel.netdevBudget || s.kernel.netdevBudgetUsecs !== d.kernel.netdevBudgetUsecs
    || s.nic.irqSuspendTimeoutUs !== d.nic.irqSuspendTimeoutUs
}

/**
 * The machine, the traffic pattern and the kernel's budgets, in one box that is collapsed while all
 * of it is at the defaults (one Tab stop on the way to the timeline); its summary says what is set.
 */
export function MachineAndWorkload() {
  const set = usePlayground((s) => boxSet(s.scenario))
  const summary = usePlayground((s) => `${HARDWARE_LABELS[s.scenario.hardware]} · ${s.scenario.traffic.pattern === 'rr' ? 'request/response' : 'stream'} · netdev_budget ${s.scenario.kernel.netdevBudget}${s.scenario.nic.irqSuspendTimeoutUs > 0 ? ' · IRQ suspension' : ''}`)
  return (
    <details className="ctl-more" open={set || undefined}>
      <summary><span className="ctl-more-h">Machine, traffic, kernel budgets</span> <span className="hint" data-testid="machine-summary">{summary}</span></summary>
      <HardwareSelect />
      <TrafficPattern />
      <KernelFields />
    </details>
  )
}
