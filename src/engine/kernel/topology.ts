// CPU topology (sockets × cores × SMT threads) and the scheduling domains built from it, numbered
// the way Linux enumerates Intel CPUs: first thread of every core across sockets, then siblings.
export interface TopologySpec {
  cpus: number
  sockets: number
  threadsPerCore: number
}

export interface SchedDomain {
  readonly level: 'SMT' | 'MC' | 'NUMA'
  readonly groups: readonly (readonly number[])[]
  readonly imbalancePct: number
}

export class Topology {
  readonly socketOf: Int32Array
  readonly coreOf: Int32Array
  /** CPUs sharing the last-level cache (one socket) */
  readonly llc: number[][]
  /** SMT siblings (a core), CPUs of each core */
  readonly cores: number[][]
  /** cores of each LLC, in order */
  readonly llcCores: number[][]

  constructor(readonly spec: TopologySpec) {
    const { cpus, threadsPerCore } = spec
    const coresTotal = Math.ceil(cpus / threadsPerCore)
    // cores are split evenly over the sockets (a socket needs at least one core)
    const sockets = Math.min(spec.sockets, coresTotal)
    const socketOfCore = (core: number) => Math.floor((core * sockets) / coresTotal)
    this.socketOf = new Int32Array(cpus)
    this.coreOf = new Int32Array(cpus)
    this.cores = Array.from({ length: coresTotal }, () => [])
    this.llc = Array.from({ length: sockets }, () => [])
    this.llcCores = Array.from({ length: sockets }, () => [])
    for (let c = 0; c < cpus; c++) {
      const core = c % coresTotal
      this.coreOf[c] = core
      this.socketOf[c] = socketOfCore(core)
      this.cores[core]!.push(c)
      this.llc[socketOfCore(core)]!.push(c)
    }
    for (let core = 0; core < coresTotal; core++) this.llcCores[socketOfCore(core)]!.push(core)
  }

  shareCache(a: number, b: number): boolean {
    return this.socketOf[a] === this.socketOf[b]
  }

  /**
   * Scheduling domains of a CPU, smallest first: SMT (the core, if threads > 1), MC (the LLC),
   * NUMA (every CPU, if sockets > 1). Each level's groups are its children: CPUs, cores, sockets.
   */
  domains(cpu: number): readonly SchedDomain[] {
    return (this.domainsOf[cpu] ??= this.buildDomains(cpu))
  }

  /** built once per CPU (the topology does not change): wakeups and balancing ask at every step */
  private readonly domainsOf: SchedDomain[][] = []

  private buildDomains(cpu: number): SchedDomain[] {
    const out: SchedDomain[] = []
    const core = this.coreOf[cpu]!
    const socket = this.socketOf[cpu]!
    if (this.cores[core]!.length > 1) out.push({ level: 'SMT', groups: this.cores[core]!.map((c) => [c]), imbalancePct: 110 })
    const mcGroups = this.spec.threadsPerCore > 1 ? this.llcCores[socket]!.map((k) => this.cores[k]!) : this.llc[socket]!.map((c) => [c])
    if (mcGroups.length > 1 || out.length === 0) out.push({ level: 'MC', groups: mcGroups, imbalancePct: 117 })
    if (this.llc.length > 1) out.push({ level: 'NUMA', groups: this.llc, imbalancePct: 125 })
    return out
  }
}
