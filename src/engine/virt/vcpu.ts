// A vCPU: a SCHED_NORMAL QEMU thread on the host whose running time is a guest CPU's time
// (MODEL.md §11). While the thread runs in guest mode, the host executes a "mirror" chunk of the
// guest CPU's top chunk; a host interrupt, a reschedule or a change in the guest ends guest mode.
// An idle guest CPU executes HLT: KVM halt-polls (4.7 window rules, while single_task_running)
// and then blocks; an interrupt or IPI for it wakes the thread. Time the thread waits runnable
// is the guest's steal time, which lowers the guest CPU's capacity.
import { HALT_POLL_GROW_START_NS, HALT_POLL_MAX_NS } from '../constants.ts'
import { addRtAvg } from '../kernel/capacity.ts'
import type { Kernel } from '../kernel/ctx.ts'
import { SLEEPING, type Chunk, type Cpu, type IrqLine, type Task, type VcpuLink } from '../kernel/types.ts'
import { ActorKind, EndReason, SliceKind } from '../types.ts'

const noop = (): void => {}

export class Vcpu implements VcpuLink {
  readonly task: Task
  readonly g: Cpu
  private haltStart = 0
  private pollWindow = 0
  private polled = false
  private seenRunDelay = 0
  private readonly timerLine: IrqLine

  constructor(private readonly host: Kernel, private readonly guest: Kernel, v: number, hostCpu: number, hostTimerActor: number) {
    this.g = guest.cpus[v]!
    this.g.vcpu = this
    this.task = host.newTask(`CPU ${v}/KVM`, ActorKind.vcpu, SliceKind.vcpu, false, 0, null, hostCpu)
    this.task.program = (now) => this.program(now)
    this.timerLine = { actor: hostTimerActor, costNs: 0, handle: () => {} }
  }

  private hostCpuObj(): Cpu {
    return this.host.cpus[this.task.cpu]!
  }

  hostCpu(): number {
    return this.task.cpu
  }

  inGuestMode(): boolean {
    const hc = this.hostCpuObj()
    return hc.curr === this.task && hc.task?.mirror === this.g && !hc.hard && !hc.softChunk
  }

  sync(now: number): void {
    const hc = this.hostCpuObj()
    if (hc.curr === this.task && hc.task?.mirror === this.g) this.host.exec.settle(hc, now)
  }

  advance(now: number, el: number): void {
    this.guest.exec.account(this.g, now, el)
  }

  chargeExit(ns: number): void {
    this.task.debt += ns
  }

  topChanged(now: number): void {
    const hc = this.hostCpuObj()
    const hasWork = this.guest.exec.topChunk(this.g) !== null
    if (this.task.state === SLEEPING) {
      // kvm_vcpu_kick of a halted vCPU: wake its thread
      if (hasWork) this.host.wake(this.task, now, this.host.exec.currentCpu, this.host.exec.currentActor >= 0 ? this.host.exec.currentActor : this.task.actor)
      return
    }
    if (hc.curr !== this.task) return // runnable: it enters with the new top when it runs
    if (hc.task?.abortable) {
      if (hasWork) this.host.exec.abortTaskChunk(hc, now)
      return
    }
    // in guest mode: leave it and re-enter with the new top (an injected interrupt, an IPI...)
    if (hc.task?.mirror === this.g && !hc.busy) {
      this.host.exec.settle(hc, now)
      this.host.exec.dispatch(hc, now)
    }
  }

  timerInterrupt(line: IrqLine, now: number): void {
    if (this.inGuestMode()) {
      // the guest's LAPIC timer is a host hrtimer: it exits the guest, KVM injects, re-enters
      this.timerLine.handle = (_c, t) => this.guest.exec.raiseIrq(this.g, line, t)
      this.host.exec.raiseIrq(this.hostCpuObj(), this.timerLine, now)
    } else this.guest.exec.raiseIrq(this.g, line, now)
  }

  /** a mirror chunk ran to its end: so did the guest CPU's top chunk */
  private readonly mirrorDone = (now: number): void => this.guest.exec.completeTop(this.g, now)

  private program(now: number): Chunk | null {
    const t = this.task
    if (t.debt > 0) {
      // host-side work for this vCPU (exits, entry after a switch): the guest makes no progress
      const d = t.debt
      t.debt = 0
      return { remaining: d, kind: SliceKind.vcpu, actor: t.actor, packets: 0, bh: false, abortable: false, reason: EndReason.done, mirror: null, gen: 0, done: noop }
    }
    // steal: time the thread waited runnable (sched_info.run_delay)
    const steal = t.runDelayNs - this.seenRunDelay
    this.seenRunDelay = t.runDelayNs
    if (steal > 0 && this.guest.params.stealLowersCapacity) addRtAvg(this.g, now, steal)
    const top = this.guest.exec.topChunk(this.g)
    if (top) {
      this.endHalt(now)
      const g = this.g
      return {
        remaining: top.remaining, kind: SliceKind.vcpu, actor: t.actor, packets: 0, bh: false, abortable: false, reason: EndReason.done,
        mirror: g, gen: g.gen, done: this.mirrorDone,
      }
    }
    // the guest CPU is idle: HLT → halt polling, then block
    if (!this.polled) {
      this.polled = true
      this.haltStart = now
      t.debt += this.host.costs.haltExitNs
      if (this.pollWindow > 0) {
        return { remaining: this.pollWindow, kind: SliceKind.haltPoll, actor: t.actor, packets: 0, bh: false, abortable: true, reason: EndReason.sleep, mirror: null, gen: 0, done: noop }
      }
    }
    return null
  }

  /** kvm_vcpu_block (4.7): grow the poll window after short halts, reset it after long ones */
  private endHalt(now: number): void {
    if (!this.polled) return
    const block = now - this.haltStart
    const win = this.pollWindow
    if (block <= win) {
      // the poll caught the wakeup: window unchanged
    } else if (win && block > HALT_POLL_MAX_NS) this.pollWindow = 0
    else if (win < HALT_POLL_MAX_NS && block < HALT_POLL_MAX_NS) this.pollWindow = win ? Math.min(win * 2, HALT_POLL_MAX_NS) : HALT_POLL_GROW_START_NS
    this.polled = false
  }
}
