// Kernel constants (from ../shared/MODEL.md, section cited) and the one table of CPU costs.
// Costs are physical parameters calibrated once against ../shared/calibration and shared by every
// scenario; nothing here depends on a scenario.

export const NS_PER_US = 1_000
export const NS_PER_MS = 1_000_000
export const NS_PER_S = 1_000_000_000

/** packets per run followed through the path (trace.paths), about */
export const PATH_SAMPLES = 1000

/** §1 NAPI / net_rx_action */
export const NETDEV_BUDGET = 300
/** the first NAPI id (MIN_NAPI_ID = NR_CPUS + 1 with NR_CPUS 8192): rx queue q's NAPI is NAPI_ID_BASE + q */
export const NAPI_ID_BASE = 8193
/** simulation granularity of a busy poller's empty polls: one chunk stands for the polls until the next packet, at most this long */
export const BUSY_SPIN_NS = 20_000
/** TCP_RTO_MIN: a request/response client resends a lost request after this long */
export const RTO_MIN_NS = 200_000_000
/** net.core.netdev_budget_usecs default (4.12+) */
export const NETDEV_BUDGET_USECS = 2000
export const NAPI_POLL_WEIGHT = 64
/** net_rx_action time limit, jiffies (4.7: jiffies + 2) */
export const NET_RX_TIME_LIMIT_JIFFIES = 2

/** §2 __do_softirq: MAX_SOFTIRQ_TIME = msecs_to_jiffies(2) (jiffy-granular), MAX_SOFTIRQ_RESTART = 10 */
export const MAX_SOFTIRQ_TIME_MS = 2
export const MAX_SOFTIRQ_RESTART = 10

/** §3 IRQ thread default: SCHED_FIFO, MAX_USER_RT_PRIO/2 */
export const IRQ_THREAD_RT_PRIO = 50

/** §5 EEVDF (v6.6+): sysctl_sched_base_slice = 0.70 ms × the same scale factor */
export const EEVDF_BASE_SLICE_NS = 0.7 * NS_PER_MS
/** §5 CFS, 2016: base values scaled by 1 + ilog2(min(ncpus, 8)) */
export const CFS_LATENCY_BASE_NS = 6 * NS_PER_MS
export const CFS_MIN_GRAN_BASE_NS = 0.75 * NS_PER_MS
export const CFS_WAKEUP_GRAN_BASE_NS = 1 * NS_PER_MS
export const CFS_NR_LATENCY = 8
export const SCHED_MIGRATION_COST_NS = 0.5 * NS_PER_MS
/** §5 imbalance_pct for the MC domain (2016) */
export const IMBALANCE_PCT_MC = 117
/** NICE_0_LOAD: the weight of a nice-0 task */
export const NICE_0_LOAD = 1024
/** §3 RT throttling: sched_rt_runtime_us / sched_rt_period_us */
export const RT_RUNTIME_NS = 950 * NS_PER_MS
export const RT_PERIOD_NS = 1000 * NS_PER_MS
/** §5 busy balance interval factor (2016) */
export const BUSY_FACTOR = 32

export function cfsScale(ncpus: number): number {
  return 1 + Math.floor(Math.log2(Math.min(ncpus, 8)))
}

/** §7 ixgbe adaptive ITR classes: interval per class (lowest 100k/s, low 20k/s, bulk 12k/s) */
export const ITR_LOWEST_NS = 10 * NS_PER_US
export const ITR_LOW_NS = 50 * NS_PER_US
export const ITR_BULK_NS = 84 * NS_PER_US
/** initial ITR: 20K ints/s */
export const ITR_INITIAL_NS = 50 * NS_PER_US

/** §6 tun: TUN_READQ_SIZE (tx_queue_len) with noqueue */
export const TUN_QUEUE_LIMIT = 500
/** §6 vhost-net byte weight per handle_rx run (VHOST_NET_WEIGHT 0x80000), 2016: no packet weight */
export const VHOST_NET_WEIGHT_BYTES = 0x80000
/** virtio-net rx ring (QEMU default queue size in 2016) */
export const VIRTIO_RX_RING = 256
/** §6 virtio-net mergeable buffers: bytes copied into the skb head (GOOD_COPY_LEN) */
export const VIRTIO_GOOD_COPY_LEN = 128
/** virtio_net_hdr_mrg_rxbuf in front of every frame */
export const VIRTIO_NET_HDR = 12
/** §7 ixgbe: frames up to IXGBE_RX_HDR_SIZE are copied whole into the skb head; larger ones only their headers */
export const IXGBE_RX_HDR_SIZE = 256
/** §6 socket receive buffer: SK_RMEM_MAX on x86_64 */
export const UDP_RCVBUF_BYTES = 212_992
/** §11 halt polling, 4.7: max window, grow start */
export const HALT_POLL_MAX_NS = 400 * NS_PER_US
export const HALT_POLL_GROW_START_NS = 10 * NS_PER_US

/** §7 Ethernet + IPv4 + UDP headers, FCS; wire overhead (preamble/SFD + IFG) */
export const ETH_IP_UDP_HDR = 14 + 20 + 8
export const FCS = 4
export const WIRE_OVERHEAD = 8 + 12
export const LINE_RATE_BPS = 10e9

/** L2 frame bytes without FCS (what the stack sees) */
export const frameBytes = (payload: number) => ETH_IP_UDP_HDR + payload
/** line rate for a UDP payload, packets/s (§7); 10GbE unless told */
export function lineRatePps(payload: number, lineRateBps = LINE_RATE_BPS): number {
  const wire = Math.max(64, ETH_IP_UDP_HDR + payload + FCS) + WIRE_OVERHEAD
  return lineRateBps / (wire * 8)
}

/**
 * §6 skb truesize in a 4.7 virtio-net guest with mergeable buffers: frames up to GOOD_COPY_LEN
 * (128 B) fit in the small skb (768 B); larger frames add a ≥1536 B page fragment.
 * Used for the host socket of a local receiver too (ixgbe copies small frames into the head).
 */
export function truesize(payload: number): number {
  return frameBytes(payload) <= 128 ? 768 : 768 + 1536
}
