// The commands that set up a scenario on a real machine (MODERN-KERNELS.md §2–§5): the sysfs files
// of /sys/class/net/eth0, the net.core sysctls, netlink `napi-set` per NAPI (6.13+), and the
// application's epoll parameters (EPIOCSPARAMS, 6.9+). The scenario holds µs; sysfs and netlink
// take ns. DOM-free, unit-tested.
import { NAPI_ID_BASE } from '../engine/constants.ts'
import { defaultScenario, KNOB_INFO, type KnobWrite, type Scenario } from '../engine/scenario.ts'
import { knobValue } from './modernKnobs.ts'

/**
 * NAPI ids start at MIN_NAPI_ID = NR_CPUS + 1 (8193 with NR_CPUS = 8192) and are handed out in the
 * order the driver registers its NAPIs: rx queue q's is 8193 + q (the engine's napi/eth0-<id>).
 */
export const NAPI_ID0 = NAPI_ID_BASE
export const napiId = (queue: number): number => NAPI_ID0 + queue

export const SYSFS = '/sys/class/net/eth0'

/** µs (the scenario) → ns (sysfs gro_flush_timeout, netlink gro-flush-timeout / irq-suspend-timeout). */
export const usToNs = (us: number): number => Math.round(us * 1000)

/** netlink napi-set attributes (Documentation/netlink/specs/netdev.yaml): times in ns. */
export interface NapiAttrs {
  'defer-hard-irqs'?: number
  'gro-flush-timeout'?: number
  'irq-suspend-timeout'?: number
  threaded?: 'disabled' | 'enabled' | 'busy-poll'
}

const THREADED_NAMES = ['disabled', 'enabled', 'busy-poll'] as const

function attrsJson(attrs: NapiAttrs): string {
  return Object.entries(attrs).filter(([, v]) => v !== undefined).map(([k, v]) => `, "${k}": ${typeof v === 'string' ? `"${v}"` : v}`).join('')
}

/** One NAPI: `ynl … napi-set` with its id. */
export function napiSet(id: number, attrs: NapiAttrs): string {
  return `ynl --family netdev --do napi-set --json '{"id": ${id}${attrsJson(attrs)}}'`
}

/** Every NAPI of eth0 (netlink has no device-wide form): a loop over the ids when there are several. */
export function everyNapi(queues: number, attrs: NapiAttrs): string {
  if (queues <= 1) return napiSet(NAPI_ID0, attrs)
  return `for id in $(seq ${NAPI_ID0} ${napiId(queues - 1)}); do ynl --family netdev --do napi-set --json '{"id": '$id'${attrsJson(attrs)}}'; done`
}

const threadedValue = (s: Scenario): number => (s.rx.mode === 'threaded-napi' ? (s.rx.threadedBusyPoll ? 2 : 1) : 0)

/** Per-device and per-NAPI settings and sysctls that differ from the kernel's defaults, as shell commands. */
export function scenarioCommands(s: Scenario): string[] {
  const d = defaultScenario()
  const out: string[] = []
  const q = s.nic.queues
  // a sysfs write sets every NAPI of the device (6.13+), so it comes before any per-NAPI value
  if (s.nic.deferHardIrqs !== d.nic.deferHardIrqs) out.push(`echo ${s.nic.deferHardIrqs} > ${SYSFS}/napi_defer_hard_irqs`)
  if (s.nic.groFlushTimeoutUs !== d.nic.groFlushTimeoutUs) out.push(`echo ${usToNs(s.nic.groFlushTimeoutUs)} > ${SYSFS}/gro_flush_timeout   # ns`)
  const threaded = threadedValue(s)
  if (threaded === 1) out.push(`echo 1 > ${SYSFS}/threaded`)
  if (threaded === 2) out.push(everyNapi(q, { threaded: 'busy-poll' }))
  if (s.kernel.netdevBudget !== d.kernel.netdevBudget) out.push(`sysctl -w net.core.netdev_budget=${s.kernel.netdevBudget}`)
  if (s.kernel.netdevBudgetUsecs !== d.kernel.netdevBudgetUsecs) out.push(`sysctl -w net.core.netdev_budget_usecs=${s.kernel.netdevBudgetUsecs}`)
  // irq-suspend-timeout has no sysfs file: netlink, NAPI by NAPI
  if (s.nic.irqSuspendTimeoutUs !== d.nic.irqSuspendTimeoutUs) out.push(everyNapi(q, { 'irq-suspend-timeout': usToNs(s.nic.irqSuspendTimeoutUs) }))
  for (const o of s.rx.irqs) {
    if (o.queue >= q) continue
    const attrs: NapiAttrs = {
      ...(o.deferHardIrqs !== undefined ? { 'defer-hard-irqs': o.deferHardIrqs } : {}),
      ...(o.groFlushTimeoutUs !== undefined ? { 'gro-flush-timeout': usToNs(o.groFlushTimeoutUs) } : {}),
      ...(o.irqSuspendTimeoutUs !== undefined ? { 'irq-suspend-timeout': usToNs(o.irqSuspendTimeoutUs) } : {}),
    }
    if (Object.keys(attrs).length) out.push(napiSet(napiId(o.queue), attrs))
  }
  return out
}

/** True when the local application busy-polls or its epoll parameters differ from the defaults. */
export function hasEpollParams(s: Scenario): boolean {
  const bp = s.consumer.busyPoll
  const d = defaultScenario().consumer.busyPoll
  return s.consumer.kind === 'local' && (bp.usecs !== d.usecs || bp.budget !== d.budget || bp.prefer !== d.prefer || bp.epollTimeoutZero !== d.epollTimeoutZero)
}

/**
 * The application's side: each thread's epoll context. Era v6.6+: `struct epoll_params` set with
 * EPIOCSPARAMS (6.9+); earlier eras: net.core.busy_poll (epoll busy polling, 4.12+) and the
 * socket options of 5.11 (SO_PREFER_BUSY_POLL, SO_BUSY_POLL_BUDGET). Empty when nothing is set.
 */
export function epollCode(s: Scenario): string[] {
  if (!hasEpollParams(s)) return []
  const bp = s.consumer.busyPoll
  const threads = s.consumer.threads
  const each = threads > 1 ? `in each of the ${threads} threads` : 'in the application thread'
  const out: string[] = []
  if (s.kernel.era === 'v6.6+') {
    out.push(
      `/* ${each}: its epoll fd */`,
      'struct epoll_params params = {',
      `\t.busy_poll_usecs = ${Math.round(bp.usecs)},`,
      `\t.busy_poll_budget = ${bp.budget},`,
      `\t.prefer_busy_poll = ${bp.prefer ? 1 : 0},`,
      '};',
      'ioctl(epfd, EPIOCSPARAMS, &params);   /* 6.9+ */',
    )
  } else {
    if (bp.usecs > 0) out.push(`sysctl -w net.core.busy_poll=${Math.round(bp.usecs)}   # µs, every epoll context (epoll busy polling 4.12+)`)
    out.push(`/* ${each}: on every socket it reads */`)
    if (bp.prefer) out.push('int one = 1; setsockopt(fd, SOL_SOCKET, SO_PREFER_BUSY_POLL, &one, sizeof(one));   /* 5.11+ */')
    if (bp.budget !== defaultScenario().consumer.busyPoll.budget) out.push(`int budget = ${bp.budget}; setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL_BUDGET, &budget, sizeof(budget));   /* 5.11+, CAP_NET_ADMIN to raise */`)
  }
  if (bp.epollTimeoutZero) out.push(`for (;;) n = epoll_wait(epfd, events, ${s.consumer.maxEvents}, 0);   /* timeout 0: never sleeps, and no busy poll (5.11+) */`)
  return out
}

const appTarget = (w: KnobWrite) => (w.index < 0 ? 'every thread' : `thread ${w.index}`)

/** What a scheduled knob write targets, in words: all NAPIs / NAPI 8193 (queue 0) / thread 0 / the kernel. */
export function knobTarget(w: KnobWrite): string {
  const scope = KNOB_INFO[w.knob].scope
  if (scope === 'kernel') return 'net.core'
  if (scope === 'app') return appTarget(w)
  return w.index < 0 ? 'every NAPI' : `NAPI ${napiId(w.index)} (queue ${w.index})`
}

/** One line of the scheduled-writes list: "t = 40 ms: napi_defer_hard_irqs = 100 → every NAPI". */
export function knobWriteLabel(w: KnobWrite): string {
  if (KNOB_INFO[w.knob].scope === 'kernel') return `t = ${w.atMs} ms: net.core.${w.knob} = ${knobValue(w.knob, w.value)}`
  return `t = ${w.atMs} ms: ${w.knob} = ${knobValue(w.knob, w.value)} → ${knobTarget(w)}`
}

/** The command that does a scheduled write at its moment (`sleep` = seconds after the start). */
export function knobWriteCommand(w: KnobWrite, s: Scenario): string {
  const sleep = `sleep ${(w.atMs / 1000).toFixed(3)}; `
  const v = w.value
  const all = w.index < 0
  const id = napiId(w.index)
  switch (w.knob) {
    case 'napi_defer_hard_irqs':
      return sleep + (all ? `echo ${v} > ${SYSFS}/napi_defer_hard_irqs` : napiSet(id, { 'defer-hard-irqs': v }))
    case 'gro_flush_timeout':
      return sleep + (all ? `echo ${usToNs(v)} > ${SYSFS}/gro_flush_timeout` : napiSet(id, { 'gro-flush-timeout': usToNs(v) }))
    case 'irq_suspend_timeout':
      return sleep + (all ? everyNapi(s.nic.queues, { 'irq-suspend-timeout': usToNs(v) }) : napiSet(id, { 'irq-suspend-timeout': usToNs(v) }))
    case 'threaded': {
      const name = THREADED_NAMES[Math.round(v)] ?? 'disabled'
      if (all && v < 2) return sleep + `echo ${v} > ${SYSFS}/threaded`
      return sleep + (all ? everyNapi(s.nic.queues, { threaded: name }) : napiSet(id, { threaded: name }))
    }
    case 'netdev_budget':
    case 'netdev_budget_usecs':
      return sleep + `sysctl -w net.core.${w.knob}=${v}`
    default:
      // the application changes its own epoll context at that moment
      return `/* at ${w.atMs} ms, ${appTarget(w)} */ params.${w.knob} = ${v}; ioctl(epfd, EPIOCSPARAMS, &params);`
  }
}
