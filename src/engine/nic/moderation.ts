// Interrupt moderation: when a queue's vector may fire once data is there, and how the driver
// adapts after each napi_complete_done. Two NICs' rules:
// - ixgbe (4.7): an interval since the last interrupt (EITR); adaptive ITR classifies bytes per
//   interval (ixgbe_update_itr) or a fixed interval (rx-usecs).
// - mlx5 (2020s): CQ moderation in CQE mode (the period timer restarts at every completion: it
//   fires `usec` after a burst's last packet) or at the `pkts`-th completion, whichever is first; adaptive-rx by net_dim
//   (lib/dim/net_dim.c), which steps through five profiles every 64 interrupts towards fewer
//   interrupts per ms while bytes and packets per ms hold.
import { ITR_BULK_NS, ITR_INITIAL_NS, ITR_LOW_NS, ITR_LOWEST_NS, NS_PER_US } from '../constants.ts'

/** What moderation needs to know of a queue. */
export interface ModeratedQueue {
  /** packets in the ring now (after syncing arrivals to `now`) */
  readonly ringLength: number
  /** the k-th packet to arrive after now (k = 0: the next), ns */
  arrivalAfter(k: number): number
  readonly lastIrqNs: number
  /** interrupts raised, packets and bytes polled (net_dim's sample counters) */
  readonly irqCount: number
  readonly polledPackets: number
  readonly polledBytes: number
}

export interface Moderation {
  /** the earliest time the vector fires, armed at `now` (Infinity: no data coming) */
  fireAt(q: ModeratedQueue, now: number): number
  /** the poll completed and re-armed the vector: adapt (bytes polled since the last completion) */
  completed(q: ModeratedQueue, episodeBytes: number, now: number): void
}

/** ixgbe EITR: no interrupt sooner than `itrNs` after the last one. */
export class IxgbeItr implements Moderation {
  itrNs: number
  private cls = 0

  constructor(private readonly fixedNs: number) {
    this.itrNs = fixedNs > 0 ? fixedNs : ITR_INITIAL_NS
  }


  fireAt(q: ModeratedQueue, now: number): number {
    const tData = q.ringLength > 0 ? now : Math.ceil(q.arrivalAfter(0))
    return tData === Infinity ? Infinity : Math.max(tData, q.lastIrqNs + this.itrNs)
  }

  /** ixgbe_update_itr (4.7): classify bytes per interrupt interval, smooth the new interval */
  completed(_q: ModeratedQueue, bytes: number): void {
    if (this.fixedNs > 0) return
    const perInt = bytes / Math.max(this.itrNs / 1000, 1)
    let cls = this.cls
    if (cls === 0) { if (perInt > 10) cls = 1 }
    else if (cls === 1) { if (perInt > 20) cls = 2; else if (perInt <= 10) cls = 0 }
    else if (perInt <= 20) cls = 1
    this.cls = cls
    const target = cls === 0 ? ITR_LOWEST_NS : cls === 1 ? ITR_LOW_NS : ITR_BULK_NS
    const old = this.itrNs
    this.itrNs = target === old ? old : Math.round((10 * target * old) / (9 * target + old))
  }
}

/** NET_DIM_RX_CQE_PROFILES (lib/dim/net_dim.c): usec, pkts */
export const DIM_RX_CQE_PROFILES: ReadonlyArray<readonly [number, number]> = [[2, 256], [8, 128], [16, 64], [32, 64], [64, 64]]
/** NET_DIM_DEF_PROFILE_CQE: the moderation a queue starts with */
const DIM_DEF_PROFILE = 1
/** DIM_NEVENTS: interrupts per measurement */
const DIM_NEVENTS = 64
/** mlx5e default fixed moderation frames (rx-frames) when adaptive-rx is off */
const MLX5_FIXED_PKTS = 32

const enum Tune { parkingOnTop, parkingTired, goingRight, goingLeft }
const enum Cmp { worse, same, better }

interface DimStats { ppms: number; bpms: number; epms: number }
const significant = (val: number, ref: number) => ref !== 0 && Math.floor((100 * Math.abs(val - ref)) / ref) > 10

/** mlx5 CQ moderation in CQE mode, with net_dim when adaptive (rx-usecs = 0 here). */
export class Mlx5Dim implements Moderation {
  usec: number
  pkts: number
  /** net_dim state (struct dim) */
  profileIx = 0
  private tune: Tune = Tune.parkingOnTop
  private stepsLeft = 0
  private stepsRight = 0
  private tired = 0
  private prev: DimStats = { ppms: 0, bpms: 0, epms: 0 }
  private start: { t: number; events: number; pkts: number; bytes: number } | null = null

  constructor(private readonly fixedUs: number) {
    const p = DIM_RX_CQE_PROFILES[DIM_DEF_PROFILE]!
    this.usec = fixedUs > 0 ? fixedUs : p[0]
    this.pkts = fixedUs > 0 ? MLX5_FIXED_PKTS : p[1]
  }


  /**
   * CQE mode (mlx5 9908aa292971): the period timer restarts at every new completion, so the vector
   * fires `usec` after the last packet of a burst — or at the `pkts`-th completion, whichever is first.
   */
  fireAt(q: ModeratedQueue, now: number): number {
    const have = q.ringLength
    if (have >= this.pkts) return now
    const period = this.usec * NS_PER_US
    // completions already there restarted the timer no later than now
    let last = have > 0 ? now : q.arrivalAfter(0)
    if (last === Infinity) return Infinity
    let count = Math.max(have, 1)
    for (let k = have > 0 ? 0 : 1; ; k++) {
      if (count >= this.pkts) return Math.ceil(last)
      const next = q.arrivalAfter(k)
      if (next - last > period) return Math.ceil(last + period)
      last = next
      count++
    }
  }

  /** mlx5e_handle_rx_dim → net_dim: one sample per completion, a decision every DIM_NEVENTS interrupts */
  completed(q: ModeratedQueue, _bytes: number, now: number): void {
    if (this.fixedUs > 0) return
    const sample = { t: now, events: q.irqCount, pkts: q.polledPackets, bytes: q.polledBytes }
    const s = this.start
    if (!s || sample.events - s.events < DIM_NEVENTS) {
      if (!s) this.start = sample
      return
    }
    const us = Math.floor((sample.t - s.t) / NS_PER_US)
    if (us > 0) {
      const curr: DimStats = {
        ppms: Math.ceil(((sample.pkts - s.pkts) * 1000) / us),
        bpms: Math.ceil(((sample.bytes - s.bytes) * 1000) / us),
        epms: Math.ceil((DIM_NEVENTS * 1000) / us),
      }
      if (this.decide(curr)) {
        // DIM_APPLY_NEW_PROFILE: the work item sets the CQ; measuring restarts at the next completion
        const p = DIM_RX_CQE_PROFILES[this.profileIx]!
        this.usec = p[0]
        this.pkts = p[1]
        this.start = null
        return
      }
    }
    this.start = sample
  }

  private compare(c: DimStats, p: DimStats): Cmp {
    if (!p.bpms) return c.bpms ? Cmp.better : Cmp.same
    if (significant(c.bpms, p.bpms)) return c.bpms > p.bpms ? Cmp.better : Cmp.worse
    if (!p.ppms) return c.ppms ? Cmp.better : Cmp.same
    if (significant(c.ppms, p.ppms)) return c.ppms > p.ppms ? Cmp.better : Cmp.worse
    if (!p.epms) return Cmp.same
    if (significant(c.epms, p.epms)) return c.epms < p.epms ? Cmp.better : Cmp.worse
    return Cmp.same
  }

  /** net_dim_decision; true when the profile changed */
  private decide(curr: DimStats): boolean {
    const prevTune = this.tune
    const prevIx = this.profileIx
    switch (this.tune) {
      case Tune.parkingOnTop:
        if (this.compare(curr, this.prev) !== Cmp.same) this.exitParking()
        break
      case Tune.parkingTired:
        if (--this.tired === 0) this.exitParking()
        break
      default: {
        if (this.compare(curr, this.prev) !== Cmp.better) this.turn()
        if (this.onTop()) {
          this.parkOnTop()
          break
        }
        const r = this.step()
        if (r === 'edge') this.parkOnTop()
        else if (r === 'tired') this.parkTired()
      }
    }
    if (prevTune !== Tune.parkingOnTop || this.tune !== Tune.parkingOnTop) this.prev = curr
    return this.profileIx !== prevIx
  }

  private step(): 'stepped' | 'edge' | 'tired' {
    if (this.tired === DIM_RX_CQE_PROFILES.length * 2) return 'tired'
    if (this.tune === Tune.goingRight) {
      if (this.profileIx === DIM_RX_CQE_PROFILES.length - 1) return 'edge'
      this.profileIx++
      this.stepsRight++
    } else if (this.tune === Tune.goingLeft) {
      if (this.profileIx === 0) return 'edge'
      this.profileIx--
      this.stepsLeft++
    }
    this.tired++
    return 'stepped'
  }

  private exitParking(): void {
    this.tune = this.profileIx ? Tune.goingLeft : Tune.goingRight
    this.step()
  }

  private onTop(): boolean {
    if (this.tune === Tune.goingRight) return this.stepsLeft > 1 && this.stepsRight === 1
    return this.stepsRight > 1 && this.stepsLeft === 1
  }

  private turn(): void {
    if (this.tune === Tune.goingRight) {
      this.tune = Tune.goingLeft
      this.stepsLeft = 0
    } else if (this.tune === Tune.goingLeft) {
      this.tune = Tune.goingRight
      this.stepsRight = 0
    }
  }

  private parkOnTop(): void {
    this.stepsRight = 0
    this.stepsLeft = 0
    this.tired = 0
    this.tune = Tune.parkingOnTop
  }

  private parkTired(): void {
    this.stepsRight = 0
    this.stepsLeft = 0
    this.tune = Tune.parkingTired
  }
}
