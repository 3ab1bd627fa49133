// The local application (consumer kind "local"): one or more threads on the host reading UDP
// sockets — a sink for a flood, or a server answering requests (memcached, netperf TCP_RR's
// server side) — with epoll busy polling and IRQ suspension when configured. With no more threads
// than queues, thread j serves the flows of rx queues j, j + threads, … (SO_REUSEPORT /
// SO_INCOMING_NAPI_ID steering: with as many threads as queues, one NAPI id per epoll context, as
// napi.rst asks). With more threads, flows are dealt round-robin (f mod threads). An epoll context
// busy-polls the NAPI of the socket that became ready last, as the kernel's does.
import { NS_PER_US } from '../constants.ts'
import type { PathRecorder } from '../core/paths.ts'
import { BusyPoll } from '../kernel/busyPoll.ts'
import type { Kernel } from '../kernel/ctx.ts'
import type { Napi } from '../kernel/types.ts'
import type { IrqSettings, Scenario } from '../scenario.ts'
import { EpollWait } from './epollWait.ts'
import { UdpReader, type AppWork } from './receiver.ts'
import type { UdpSockets } from './udpSockets.ts'

export interface LocalApp {
  readers: UdpReader[]
  /** the thread of each flow */
  threadOfFlow: (flow: number) => number
  /** once the NIC's NAPI instances exist: thread j busy-polls queue j's */
  attachNapis(napiOfQueue: (q: number) => { napi: Napi; dataWatchers: Array<(t: number, now: number) => void> }): void
}

export function buildLocalApp(
  s: Scenario, host: Kernel, sockets: UdpSockets, flowQueue: number[], settings: IrqSettings[], paths: PathRecorder,
  delivered: (n: number, times: Float64Array, now: number) => void, responded: (flow: number, now: number) => void,
): LocalApp {
  const T = s.consumer.threads
  const rr = s.traffic.pattern === 'rr'
  const bp = s.consumer.busyPoll
  // each thread's epoll context; its parameters can be written mid-run (EPIOCSPARAMS)
  const work: AppWork = {
    serviceNs: Math.round(s.consumer.serviceUs * NS_PER_US),
    ...(rr ? { respond: { sendNs: host.costs.udpSendPerPktNs, sent: responded } } : {}),
    queueOfFlow: (f) => flowQueue[f]!,
    epoll: (task) => new EpollWait(host, task, { busyPollNs: Math.round(bp.usecs * NS_PER_US), budget: bp.budget, prefer: bp.prefer, timeoutZero: bp.epollTimeoutZero, maxEvents: s.consumer.maxEvents }),
  }
  const base = rr ? 'server' : 'udp_sink'
  const readers = Array.from({ length: T }, (_, j) => {
    const pin = T === 1 && s.consumer.receiverCpu >= 0 ? s.consumer.receiverCpu : s.consumer.pinToIrqCpu ? settings[j % settings.length]!.cpu : -1
    const start = pin >= 0 ? pin : T === 1 ? (s.host.cpus > 1 ? 1 : 0) : (1 + j) % s.host.cpus
    return new UdpReader(host, sockets, T === 1 ? base : `${base}/${j}`, start, pin >= 0, s.traffic.payloadBytes, delivered, paths, work)
  })
  const byQueue = T <= settings.length
  const threadOfFlow = (f: number) => (byQueue ? flowQueue[f]! % T : f % T)
  return {
    readers,
    threadOfFlow,
    attachNapis(napiOfQueue) {
      readers.forEach((r, j) => {
        const ep = r.epoll
        if (!ep) return
        // the queues of this thread's flows: its epoll context busy-polls the NAPI of the socket that
        // became ready last (ep_set_busy_poll_napi_id), starting with its first flow's
        const queues = [...new Set(flowQueue.filter((_, f) => threadOfFlow(f) === j))].sort((a, b) => a - b)
        if (!queues.length) return
        ep.attach((q) => new BusyPoll(host, napiOfQueue(q).napi, ep.p, r.task), queues[0]!)
        for (const q of queues) napiOfQueue(q).dataWatchers.push((t, now) => ep.dataAt(t, now))
      })
    },
  }
}
