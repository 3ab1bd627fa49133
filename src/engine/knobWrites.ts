// Writes to today's knobs at a simulated moment (scenario.writes): each takes effect where the
// kernel reads it — a NAPI's defer / gro_flush_timeout / irq-suspend-timeout at its next
// completion, the net_rx_action budgets at the next round, the threaded file at the next poll
// boundary, an epoll context's parameters at its next epoll_wait.
import { NS_PER_US } from './constants.ts'
import type { KernelParams } from './kernel/ctx.ts'
import type { Napi, Task } from './kernel/types.ts'
import { KNOB_INFO, type KnobWrite } from './scenario.ts'
import type { EpollParams } from './stages/epollWait.ts'
import type { EventRecorder } from './core/recorder.ts'

/** What a write reaches (the World provides it; an interface so this file does not import the wiring). */
export interface KnobTargets {
  nic: { queues: ReadonlyArray<{ napi: Napi }> }
  host: { params: KernelParams }
  app: { readers: ReadonlyArray<{ epoll: { p: EpollParams } | null }> } | null
  napiKthread: ReadonlyArray<() => Task>
  events: EventRecorder
  setThreaded(queue: number, threaded: boolean, now: number): void
}

export function applyKnobWrite(w: KnobTargets, k: KnobWrite, now: number): void {
  const napis = KNOB_INFO[k.knob].scope !== 'napi' ? [] : (k.index < 0 ? w.nic.queues : [w.nic.queues[k.index]!]).map((q) => q.napi)
  const ns = Math.round(k.value * NS_PER_US)
  switch (k.knob) {
    case 'napi_defer_hard_irqs':
      for (const n of napis) n.deferHardIrqs = Math.round(k.value)
      break
    case 'gro_flush_timeout':
      for (const n of napis) n.groFlushTimeoutNs = ns
      break
    case 'irq_suspend_timeout':
      for (const n of napis) n.irqSuspendTimeoutNs = ns
      break
    case 'threaded':
      // /sys/class/net/eth0/threaded: upstream's napi kthreads (napi_set_threaded)
      for (const [i, n] of napis.entries()) {
        n.busyPoll = k.value === 2
        if (!n.thread) n.makeThread = w.napiKthread[k.index < 0 ? i : k.index]!
      }
      w.setThreaded(k.index, k.value >= 1, now)
      break
    case 'netdev_budget':
      w.host.params.netdevBudget = Math.round(k.value)
      break
    case 'netdev_budget_usecs':
      w.host.params.netdevBudgetUsecs = Math.round(k.value)
      break
    default: {
      const readers = w.app?.readers ?? []
      for (const [i, r] of readers.entries()) {
        if (k.index >= 0 && i !== k.index) continue
        const p = r.epoll?.p
        if (!p) continue
        if (k.knob === 'busy_poll_usecs') p.busyPollNs = ns
        else if (k.knob === 'busy_poll_budget') p.budget = Math.round(k.value)
        else p.prefer = k.value >= 1
      }
    }
  }
  w.events.knobWrites.push({ tNs: now, knob: k.knob, index: k.index, value: k.value })
}
