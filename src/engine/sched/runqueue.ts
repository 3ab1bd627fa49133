// What every scheduling class does around its own pick: put_prev_task (a still-runnable current
// task goes back to the queue) and set_next_task (the chosen one leaves the queue and runs).
import { removeAt } from '../core/arrays.ts'
import { RUNNABLE, RUNNING, type Cpu, type Task } from '../kernel/types.ts'

export function putPrev(cpu: Cpu, now: number): Task | null {
  const prev = cpu.curr
  if (prev && prev.state === RUNNING) {
    prev.state = RUNNABLE
    prev.runnableSince = now
    cpu.rq.push(prev)
  }
  return prev
}

/** make `next` current (null = idle); a switch to another task costs a context switch */
export function setNext(cpu: Cpu, next: Task | null, prev: Task | null, now: number, contextSwitchNs: number): Task | null {
  cpu.curr = next
  if (!next) return null
  removeAt(cpu.rq, cpu.rq.indexOf(next))
  next.state = RUNNING
  next.prevSumExec = next.sumExec
  next.runDelayNs += now - next.runnableSince
  if (next !== prev) next.debt += contextSwitchNs
  return next
}
