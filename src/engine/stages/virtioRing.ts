// The guest's virtio-net rx queue as both sides see it (MODEL.md §6, §11): buffers the guest has
// posted (avail), buffers vhost filled and the guest has not consumed yet (used), and the two
// notification flags — the guest's used_event (EVENT_IDX: "interrupt me at the next used
// buffer") and vhost's "kick me when there are buffers again".
import { VIRTIO_RX_RING } from '../constants.ts'
import { FlowFifo } from '../core/fifo.ts'

export class VirtioRing {
  readonly size = VIRTIO_RX_RING
  /** posted rx buffers not used yet */
  avail = VIRTIO_RX_RING
  readonly used = new FlowFifo(VIRTIO_RX_RING)
  /** consumed by the guest, not refilled yet */
  consumed = 0
  /** the guest asked for an interrupt at the next used buffer */
  cbEnabled = true
  /** vhost ran out of buffers and re-enabled guest kicks */
  vhostWantsKick = false
}
