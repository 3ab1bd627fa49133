// The guided story (issue 12 item 6): the seed's argument in steps. Each step is a whole on-screen
// state (scenario, pinned A, visible window, selection, thread lanes) plus the lanes to highlight and
// the text. DOM-free: the panel (ui/StoryPanel.tsx) shows it, links carry the step (urlCodec v2 `st`,
// or the short `#story=N`), tests read it.
import { parseScenario, type Scenario, type ScenarioInput } from '../engine/scenario.ts'
import { PRESETS } from '../ui/presets.ts'
import type { LinkState } from '../state/urlCodec.ts'

export interface StoryStep {
  /** short id, for tests and CSS */
  id: string
  title: string
  /** the explanation, one string per paragraph */
  text: string[]
  /** what to look at on the timeline (shown as a list) */
  look: string[]
  /** thread/CPU lane labels to outline on the timeline (a regular expression source) */
  highlight: string
  /** the on-screen state the step sets up (story is added by `stepState`) */
  state: () => Omit<LinkState, 'story'>
}

const ms = 1e6
const preset = (id: string): ScenarioInput => {
  const p = PRESETS.find((x) => x.id === id)
  if (!p) throw new Error(`story: preset ${id} is missing`)
  return structuredClone(p.scenario)
}
const withRx = (s: ScenarioInput, mode: 'softirq' | 'threaded-irq' | 'threaded-napi'): ScenarioInput => ({ ...s, rx: { ...s.rx, mode } })
const withEra = (s: ScenarioInput, era: 'v6.6+'): ScenarioInput => ({ ...s, kernel: { ...s.kernel, era } })
/** one flow needs a longer run: the first 100 ms still hold the start-up of the softirq run */
const oneFlow = (mode: 'softirq' | 'threaded-irq'): ScenarioInput => ({ ...withRx(preset('one-flow-regression'), mode), durationMs: 300, warmupMs: 60 })
const sc = (s: ScenarioInput): Scenario => parseScenario(s)

const base = (scenario: ScenarioInput, more: Partial<Omit<LinkState, 'story' | 'scenario'>> = {}): Omit<LinkState, 'story'> => ({
  scenario: sc(scenario), pinnedScenario: null, view: null, selection: null,
  showThreadLanes: true, showWakeups: true, showCounters: true, parked: [], parkedWrites: [], ...more,
})

export const STORY: readonly StoryStep[] = [
  {
    id: 'rx-path',
    title: 'The receive path',
    text: [
      'A packet for the guest crosses two kernels. On the host the NIC raises a hard IRQ on the CPU its queue is bound to; the IRQ schedules NAPI, and the NET_RX softirq polls the ring on that same CPU right after the interrupt and hands each packet to tun.',
      'The vhost-net thread moves packets from tun into the guest\'s virtio ring and signals the guest; the vCPU thread ("CPU n/KVM") then runs the guest\'s own interrupt, softirq and the netperf reader. Only vhost and the vCPU threads are seen by the host scheduler: the softirq is not a thread, it runs wherever the interrupt landed.',
    ],
    look: [
      'Zoomed to 100 µs of the 2016 experiment in softirq mode: short hard-IRQ slices, each followed by a softirq slice, on the CPUs of the busy queues.',
      'The outlined thread lanes: vhost and the two vCPU threads. Their bands show Running, Runnable (waiting for a CPU) and Interrupted (their CPU taken by an interrupt or softirq).',
    ],
    highlight: '^(vhost-|CPU \\d+/KVM)',
    state: () => base(preset('seed-2016'), { view: { startNs: 50 * ms, endNs: 50.1 * ms } }),
  },
  {
    id: 'softirq-many-flows',
    title: 'Softirq everywhere with many flows',
    text: [
      'With 25 flows RSS spreads the packets over most of the 16 queues, so most CPUs take NIC interrupts and run NET_RX softirqs — including the CPUs that vhost and the vCPU threads happen to run on.',
      'The softirq time on those CPUs is taken from whichever thread was running there, and the 2016 scheduler does not see it (placement is blind to softirq time), so it does not move the threads away. vhost, the bottleneck of this path, loses time it needed.',
    ],
    look: [
      'The selection (after the warm-up) below the timeline: CPU time by kind, and "Waiting for a CPU", who held the CPU while vhost and the vCPU threads were interrupted.',
      'The outlined lanes: the Interrupted bands on vhost and the vCPU threads.',
    ],
    highlight: '^(vhost-|CPU \\d+/KVM)',
    state: () => base(preset('seed-2016'), { selection: { startNs: 10 * ms, endNs: 100 * ms } }),
  },
  {
    id: 'threads-placed',
    title: 'Threads placed by the scheduler',
    text: [
      'The 2016 series makes each rx IRQ a thread ("irq/N-eth0-TxRx-q"); with SCHED_NORMAL and no affinity, as the seed\'s driver asks, the scheduler sees the rx work as tasks and balances them against vhost and the vCPU threads instead of having it land on top of them.',
      'A is the softirq run of the previous step, B the same load with threaded IRQs: the delivered rate rises (the seed published about +25 % at 64 B with many flows).',
    ],
    look: [
      'Why, in words (A → B): the delivered rate and the CPU time that moved.',
      'The outlined IRQ-thread lanes in B, and vhost no longer interrupted.',
    ],
    highlight: '^(irq/|vhost-)',
    state: () => base(preset('seed-2016-threaded'), { pinnedScenario: sc(preset('seed-2016')), selection: { startNs: 10 * ms, endNs: 100 * ms } }),
  },
  {
    id: 'one-flow',
    title: 'The one-flow case',
    text: [
      'The seed also reports threaded IRQs losing with one flow of 256 B, where the guest socket holds only 92 such datagrams. In this model both modes give the same number with one flow: one queue is busy, its rx context (ksoftirqd in softirq mode, the IRQ thread in threaded mode) gets a CPU of its own among 16, and the limit is the guest — vCPU 0 runs the guest\'s receive softirq and the one netperf reader, and the guest socket overflows in both runs.',
      'So this step does not reproduce the seed\'s regression; the mechanism proposed for it (the receiving vCPU sharing a CPU with the rx work) needs fewer host CPUs than the seed\'s 16.',
    ],
    look: [
      'Delivered for A (softirq) and B (threaded IRQ) below: the same.',
      'The outlined vCPU lanes: CPU 0/KVM busy throughout; the guest socket drop counter.',
    ],
    highlight: '^(CPU \\d+/KVM|ksoftirqd/|irq/)',
    state: () => base(oneFlow('threaded-irq'), { pinnedScenario: sc(oneFlow('softirq')), selection: { startNs: 60 * ms, endNs: 300 * ms } }),
  },
  {
    id: 'threaded-napi',
    title: 'What upstream did later: threaded NAPI',
    text: [
      'The threaded-IRQ series was not merged. Linux 5.12 (2021) added threaded NAPI instead: per device (/sys/class/net/eth0/threaded), each NAPI instance is polled by its own kthread "napi/eth0-N", a SCHED_NORMAL task the scheduler places like any other.',
      'With the seed\'s flags (SCHED_NORMAL, no affinity) a NAPI kthread does the same work as the IRQ thread, so A (threaded IRQs) and B (threaded NAPI) deliver the same here.',
    ],
    look: [
      'The outlined napi/ kthread lanes in B beside the irq/ thread lanes in A.',
      'Why, in words (A → B): nothing moved.',
    ],
    highlight: '^(napi/|irq/)',
    state: () => base(withRx(preset('seed-2016'), 'threaded-napi'), { pinnedScenario: sc(preset('seed-2016-threaded')), selection: { startNs: 10 * ms, endNs: 100 * ms } }),
  },
  {
    id: 'today',
    title: 'Today: v6.6+ and EEVDF',
    text: [
      'Since 6.6 the fair scheduler is EEVDF (eligible earliest virtual deadline first) instead of CFS, and v6.5 reverted the 4.9 rule that left softirq work to ksoftirqd whenever it was running. The same experiment on that era: A in softirq mode, B with threaded NAPI.',
      'The softirq side still lands on the CPUs of vhost and the vCPUs; threaded NAPI still lets the scheduler place the rx work. Change the era, the flows or the payload in the controls and the story\'s argument can be checked for any case.',
    ],
    look: [
      'Delivered for A and B, and Why, in words (A → B).',
      'The outlined napi/ kthread and vCPU lanes.',
    ],
    highlight: '^(napi/|CPU \\d+/KVM)',
    state: () => base(withRx(withEra(preset('seed-2016'), 'v6.6+'), 'threaded-napi'), { pinnedScenario: sc(withEra(preset('seed-2016'), 'v6.6+')), selection: { startNs: 10 * ms, endNs: 100 * ms } }),
  },
]

/** The whole state of step `i` (0-based), story open at it. */
export function stepState(i: number): LinkState {
  const step = STORY[i]
  if (!step) throw new Error(`story: no step ${i + 1}`)
  return { ...step.state(), story: i }
}

/** The lane labels to outline for step `i`, or null. */
export function stepHighlight(i: number | null): RegExp | null {
  const step = i === null ? undefined : STORY[i]
  return step ? new RegExp(step.highlight) : null
}
