import { describe, expect, it } from 'vitest'
import { findPreset } from '../engine/presets.ts'
import { parseScenario, type KnobWrite, type ScenarioInput } from '../engine/scenario.ts'
import { epollCode, everyNapi, knobWriteCommand, knobWriteLabel, napiId, napiSet, scenarioCommands, usToNs } from './sysnetCommands.ts'

const sc = (i: ScenarioInput) => parseScenario(i)
const w = (knob: KnobWrite['knob'], index: number, value: number): KnobWrite => ({ atMs: 40, knob, index, value })

describe('sysfs / netlink / sysctl commands', () => {
  it('converts µs to the ns that sysfs and netlink take', () => {
    expect(usToNs(20)).toBe(20_000)
    expect(usToNs(20_000)).toBe(20_000_000)
    expect(usToNs(0.5)).toBe(500)
    expect(usToNs(0.0004)).toBe(0)
  })

  it('numbers NAPIs as the kernel does: 8193 + rx queue', () => {
    expect(napiId(0)).toBe(8193)
    expect(napiId(7)).toBe(8200)
    expect(napiSet(8195, { 'defer-hard-irqs': 2, 'gro-flush-timeout': 20000 }))
      .toBe(`ynl --family netdev --do napi-set --json '{"id": 8195, "defer-hard-irqs": 2, "gro-flush-timeout": 20000}'`)
    expect(everyNapi(1, { 'irq-suspend-timeout': 5 })).toBe(napiSet(8193, { 'irq-suspend-timeout': 5 }))
    expect(everyNapi(4, { threaded: 'busy-poll' }))
      .toBe(`for id in $(seq 8193 8196); do ynl --family netdev --do napi-set --json '{"id": '$id', "threaded": "busy-poll"}'; done`)
  })

  it('prints nothing for the defaults', () => {
    expect(scenarioCommands(sc({}))).toEqual([])
    expect(epollCode(sc({ consumer: { kind: 'local' } }))).toEqual([])
  })

  it('prints the suspend20 preset: sysfs in ns, irq-suspend-timeout per NAPI, the epoll parameters', () => {
    const s = sc(findPreset('memcached-suspend20')!.scenario)
    expect(scenarioCommands(s)).toEqual([
      'echo 100 > /sys/class/net/eth0/napi_defer_hard_irqs',
      'echo 20000 > /sys/class/net/eth0/gro_flush_timeout   # ns',
      `for id in $(seq 8193 8200); do ynl --family netdev --do napi-set --json '{"id": '$id', "irq-suspend-timeout": 20000000}'; done`,
    ])
    const c = epollCode(s).join('\n')
    expect(c).toContain('.busy_poll_usecs = 0,')
    expect(c).toContain('.busy_poll_budget = 64,')
    expect(c).toContain('.prefer_busy_poll = 1,')
    expect(c).toContain('ioctl(epfd, EPIOCSPARAMS, &params);')
    expect(c).toContain('each of the 8 threads')
    expect(c).not.toContain('epoll_wait(')
    const full = epollCode(sc(findPreset('memcached-fullbusy')!.scenario)).join('\n')
    expect(full).toContain('.busy_poll_usecs = 1000,')
    expect(full).not.toContain('epoll_wait(')
    expect(epollCode(sc({ ...findPreset('memcached-fullbusy')!.scenario, consumer: { kind: 'local', busyPoll: { epollTimeoutZero: true } } })).join('\n')).toContain('for (;;) n = epoll_wait(epfd, events, 32, 0);')
  })

  it('prints sysctls, threaded and per-NAPI overrides after the device-wide values', () => {
    const s = sc({
      kernel: { era: 'v6.6+', netdevBudget: 600, netdevBudgetUsecs: 8000 },
      nic: { queues: 4, deferHardIrqs: 2, groFlushTimeoutUs: 10 },
      rx: { mode: 'threaded-napi', irqs: [{ queue: 2, deferHardIrqs: 5, irqSuspendTimeoutUs: 1000 }, { queue: 3, groFlushTimeoutUs: 0.5 }] },
    })
    expect(scenarioCommands(s)).toEqual([
      'echo 2 > /sys/class/net/eth0/napi_defer_hard_irqs',
      'echo 10000 > /sys/class/net/eth0/gro_flush_timeout   # ns',
      'echo 1 > /sys/class/net/eth0/threaded',
      'sysctl -w net.core.netdev_budget=600',
      'sysctl -w net.core.netdev_budget_usecs=8000',
      `ynl --family netdev --do napi-set --json '{"id": 8195, "defer-hard-irqs": 5, "irq-suspend-timeout": 1000000}'`,
      `ynl --family netdev --do napi-set --json '{"id": 8196, "gro-flush-timeout": 500}'`,
    ])
    const bp = sc({ kernel: { era: 'v6.6+' }, nic: { queues: 2 }, rx: { mode: 'threaded-napi', threadedBusyPoll: true } })
    expect(scenarioCommands(bp)).toEqual([`for id in $(seq 8193 8194); do ynl --family netdev --do napi-set --json '{"id": '$id', "threaded": "busy-poll"}'; done`])
  })

  it('before 6.9 the application uses net.core.busy_poll and the 5.11 socket options', () => {
    const c = epollCode(sc({ kernel: { era: 'v4.9-v6.4' }, consumer: { kind: 'local', busyPoll: { usecs: 50, budget: 16, prefer: true } } }))
    expect(c[0]).toBe('sysctl -w net.core.busy_poll=50   # µs, every epoll context (epoll busy polling 4.12+)')
    expect(c.join('\n')).toContain('SO_PREFER_BUSY_POLL')
    expect(c.join('\n')).toContain('int budget = 16; setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL_BUDGET')
    expect(c.join('\n')).not.toContain('EPIOCSPARAMS')
  })

  it('prints a scheduled knob write with its moment, target and unit', () => {
    const s = sc({ kernel: { era: 'v6.6+' }, nic: { queues: 4 }, consumer: { kind: 'local', threads: 2 } })
    expect(knobWriteCommand(w('napi_defer_hard_irqs', -1, 100), s)).toBe('sleep 0.040; echo 100 > /sys/class/net/eth0/napi_defer_hard_irqs')
    expect(knobWriteCommand(w('gro_flush_timeout', 1, 20), s)).toBe(`sleep 0.040; ynl --family netdev --do napi-set --json '{"id": 8194, "gro-flush-timeout": 20000}'`)
    expect(knobWriteCommand(w('gro_flush_timeout', -1, 20), s)).toBe('sleep 0.040; echo 20000 > /sys/class/net/eth0/gro_flush_timeout')
    expect(knobWriteCommand(w('irq_suspend_timeout', -1, 20_000), s)).toContain(`seq 8193 8196); do ynl --family netdev --do napi-set --json '{"id": '$id', "irq-suspend-timeout": 20000000}'`)
    expect(knobWriteCommand(w('threaded', -1, 1), s)).toBe('sleep 0.040; echo 1 > /sys/class/net/eth0/threaded')
    expect(knobWriteCommand(w('threaded', 2, 2), s)).toContain(`"id": 8195, "threaded": "busy-poll"`)
    expect(knobWriteCommand(w('netdev_budget_usecs', -1, 4000), s)).toBe('sleep 0.040; sysctl -w net.core.netdev_budget_usecs=4000')
    expect(knobWriteCommand(w('busy_poll_usecs', 1, 50), s)).toBe('/* at 40 ms, thread 1 */ params.busy_poll_usecs = 50; ioctl(epfd, EPIOCSPARAMS, &params);')
    expect(knobWriteLabel(w('napi_defer_hard_irqs', -1, 100))).toBe('t = 40 ms: napi_defer_hard_irqs = 100 → every NAPI')
    expect(knobWriteLabel(w('gro_flush_timeout', 3, 20))).toBe('t = 40 ms: gro_flush_timeout = 20 µs → NAPI 8196 (queue 3)')
    expect(knobWriteLabel(w('prefer_busy_poll', -1, 1))).toBe('t = 40 ms: prefer_busy_poll = 1 → every thread')
    expect(knobWriteLabel(w('netdev_budget', -1, 600))).toBe('t = 40 ms: net.core.netdev_budget = 600 packets')
  })
})
