// The timer tick (HZ): a local timer interrupt on every CPU that is not idle (NOHZ idle). Its
// handler runs scheduler_tick (check_preempt_tick, RT throttling, the periodic balance trigger)
// and its irq_exit runs pending softirqs inline, like any other interrupt (MODEL.md §2, §3, §5).
import type { Kernel } from './ctx.ts'
import type { Cpu, IrqLine } from './types.ts'

export class Tick {
  private readonly lines: IrqLine[]
  private readonly ev: number

  constructor(private readonly k: Kernel, timerActor: number) {
    this.lines = k.cpus.map((cpu) => ({ actor: timerActor, costNs: k.costs.timerTickNs, handle: (_c: Cpu, now: number) => this.schedulerTick(cpu, now) }))
    this.ev = k.loop.on((_a, _b, now) => this.onTick(now))
    k.loop.at(k.tickNs, this.ev)
  }

  private onTick(now: number): void {
    const k = this.k
    for (const cpu of k.cpus) {
      // NOHZ idle: an idle CPU takes no tick
      if (!cpu.curr && !cpu.hard && !cpu.softChunk && !cpu.task && !cpu.netRx) continue
      if (cpu.vcpu) cpu.vcpu.timerInterrupt(this.lines[cpu.id]!, now)
      else k.exec.raiseIrq(cpu, this.lines[cpu.id]!, now)
    }
    k.loop.at(now + k.tickNs, this.ev)
  }

  private schedulerTick(cpu: Cpu, now: number): void {
    const k = this.k
    this.rtThrottle(cpu, now)
    if (k.sched.tick(cpu, now)) {
      cpu.needResched = true
      if (cpu.task?.abortable) k.exec.abortTaskChunk(cpu, now)
    }
    k.balance.periodic(cpu, now)
  }

  /** sched_rt_runtime_us per sched_rt_period_us; 4.7 RT_RUNTIME_SHARE lets a CPU borrow others' unused runtime */
  private rtThrottle(cpu: Cpu, now: number): void {
    const { rtRuntimeNs, rtPeriodNs, era } = this.k.params
    if (rtRuntimeNs <= 0) return
    if (now - cpu.rtPeriodStart >= rtPeriodNs) {
      cpu.rtPeriodStart = now - ((now - cpu.rtPeriodStart) % rtPeriodNs)
      cpu.rtUsedNs = 0
      if (cpu.rtThrottled) {
        cpu.rtThrottled = false
        cpu.needResched = true
      }
    }
    if (cpu.rtThrottled) return
    let limit = rtRuntimeNs
    // RT_RUNTIME_SHARE: on in 2016, off in today's kernels
    if (era === 'v4.7' || era === 'v4.9-v6.4') {
      let spare = 0
      for (const o of this.k.cpus) if (o !== cpu) spare += Math.max(0, rtRuntimeNs - o.rtUsedNs)
      limit = Math.min(rtPeriodNs, rtRuntimeNs + spare / this.k.cpus.length)
    }
    if (cpu.rtUsedNs > limit) {
      cpu.rtThrottled = true
      cpu.needResched = true
    }
  }
}
