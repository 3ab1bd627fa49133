// The one table of CPU costs, ns, for a "2016 Xeon E5-26xx v3/v4 at ~2.4 GHz" host and its KVM
// guest. Each cost sits where the kernel does the work; per-byte costs only where bytes are
// copied. The same table serves every scenario. Per-packet values marked [fit] are calibrated
// against ../shared/calibration (npm run bench -- calibration / crossval); the others come from
// the cited figures and are not fitted.
export const COSTS = {
  // ---- host kernel
  /** MSI-X interrupt: entry, ixgbe_msix_clean_rings (napi_schedule or thread wake), irq_exit bookkeeping */
  hardirqNs: 1_000,
  /** local timer interrupt: hrtimer_interrupt + scheduler_tick (per tick on a non-idle CPU) */
  timerTickNs: 1_000,
  /** VM exit + entry on a CPU running a vCPU, with the cache refill after it (MODEL.md §11: ≈ 0.5 µs direct, indirect cost up to ×10) */
  vmExitNs: 1_500,
  /** context switch (switch_mm, FPU, preempt notifiers swap VMCS state for vCPU threads) */
  contextSwitchNs: 1_200,
  /** moving a vCPU thread: VMCLEAR IPI to the old CPU + guest TLB flush (MODEL.md §11) */
  vcpuMigrationNs: 5_000,
  /** one napi->poll() call: ring bookkeeping, refill of 16 descriptors, GRO flush, napi_complete */
  napiPollNs: 400,
  /** [fit] per frame on the host rx path: ixgbe_clean_rx_irq, skb build, IP, bridge, tun xmit with noqueue (MODEL.md §6) */
  hostRxPerPktNs: 1_084,
  /** [fit] per datagram, a host UDP socket instead of tun: IP, UDP lookup, socket enqueue */
  hostUdpPerPktNs: 900,
  /** one vhost handle_rx run: vq lock, notification disable/enable */
  vhostRunNs: 1_500,
  /** [fit] vhost per packet: tun_recvmsg (skb dequeue, free), descriptor fetch, used-ring write; the copy is per byte */
  vhostPerPktNs: 1_030,
  /** vhost_signal → eventfd → irqfd → posted interrupt (MODEL.md §11) */
  vhostSignalNs: 500,
  // ---- guest kernel (on a vCPU)
  /** guest virtio interrupt: entry, vring_interrupt → napi_schedule, exit (APICv: no VM exit, MODEL.md §11) */
  guestIrqNs: 600,
  /** one virtnet_poll call: ring bookkeeping, refill check, re-enable callbacks */
  guestPollNs: 300,
  /** [fit] guest rx per packet: receive_mergeable, IP, UDP lookup, socket enqueue, reader wakeup */
  guestRxPerPktNs: 405,
  /** [fit] recvmsg per datagram (guest netperf or host receiver): syscall, skb dequeue, free; the copy is per byte */
  appPerPktNs: 1_150,
  /** sendmsg per datagram (a local server's response): syscall, UDP/IP output, qdisc, driver xmit — the netperf sender's sendto (SENDER) on this host; the copy is per byte */
  udpSendPerPktNs: 1_000,
  /** a guest IPI: the ICR write exits on the sender in 2016 (MODEL.md §11) */
  guestIpiNs: 1_500,
  /** HLT: exit, and the entry after the wakeup */
  haltExitNs: 1_500,
  // ---- data
  /**
   * copying packet bytes that are not in this CPU's cache (DMA'd or written by another CPU):
   * ≈ 7.5 GB/s per core (Brouer: a cache miss ≈ 32 ns per 64 B line, with hardware prefetch
   * ≈ 4×), used at every copy: ixgbe small-frame copy, vhost's copy into guest buffers, virtio's
   * GOOD_COPY_LEN head copy, copy_to_user
   */
  copyNsPerByte: 0.13,
} as const
export type Costs = { readonly [K in keyof typeof COSTS]: number }

/**
 * The traffic source (../shared/calibration/README.md): one netperf UDP_STREAM instance per flow
 * on a remote host. One instance sends as fast as one core can call sendto(): syscall, UDP/IP
 * output and the ixgbe xmit of the sending host, ≈ 1 µs per datagram plus the copy from user
 * space [assumption: same class of machine as the receiver]. The sending host has
 * `traffic.senderCpus` cores; more instances than cores share them.
 */
export const SENDER = {
  perPktNs: COSTS.udpSendPerPktNs,
} as const

export function senderPps(payload: number, costs: Costs = COSTS): number {
  return 1e9 / (SENDER.perPktNs + costs.copyNsPerByte * payload)
}

/**
 * Offered load, packets/s. With `perFlowKpps` set every flow offers that rate (a packet generator);
 * unset, min(flows, sender cores) netperf senders each send as fast as one core can. Either way
 * capped by `senderMaxKpps` and the machine's line rate (10GbE or 100GbE, hardware.ts).
 */
export function offeredPps(t: { flows: number; payloadBytes: number; perFlowKpps?: number | undefined; senderMaxKpps?: number | undefined; senderCpus: number }, lineRatePps: number, costs: Costs = COSTS): number {
  const generated = t.perFlowKpps !== undefined ? t.flows * t.perFlowKpps * 1000 : Math.min(t.flows, t.senderCpus) * senderPps(t.payloadBytes, costs)
  return Math.min(generated, (t.senderMaxKpps ?? Infinity) * 1000, lineRatePps)
}

/** What the traffic fields amount to, kpps: each flow's rate and the total offered (for UIs and docs). */
export function effectiveRates(s: { traffic: { flows: number; payloadBytes: number; perFlowKpps?: number | undefined; senderMaxKpps?: number | undefined; senderCpus: number } }, lineRatePps: number): { perFlowKpps: number; offeredKpps: number } {
  const offered = offeredPps(s.traffic, lineRatePps) / 1000
  return { perFlowKpps: offered / s.traffic.flows, offeredKpps: offered }
}
