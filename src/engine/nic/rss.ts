// Receive-side scaling like ixgbe: Toeplitz hash over IPv4 source + destination addresses only
// (UDP ports are not hashed by default, MODEL.md §7), then a 128-entry redirection table.
import type { Rng } from '../core/rng.ts'

/** The well-known default Toeplitz key (Microsoft RSS verification suite). */
const KEY = [
  0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
  0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
  0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
]

export function toeplitz(input: number[]): number {
  let result = 0
  // 32-bit window of the key, starting at bit 0
  let window = ((KEY[0]! << 24) | (KEY[1]! << 16) | (KEY[2]! << 8) | KEY[3]!) >>> 0
  let keyBit = 32
  for (const byte of input) {
    for (let b = 7; b >= 0; b--) {
      if ((byte >> b) & 1) result = (result ^ window) >>> 0
      const nextBit = (KEY[keyBit >> 3]! >> (7 - (keyBit & 7))) & 1
      window = ((window << 1) | nextBit) >>> 0
      keyBit++
    }
  }
  return result >>> 0
}

export const RETA_SIZE = 128

/** Queue of each flow: random source addresses in 10.0.0.0/8 towards one destination. */
export function assignFlowsToQueues(flows: number, queues: number, rng: Rng): number[] {
  const dst = [192, 168, 1, 10]
  const out: number[] = []
  for (let f = 0; f < flows; f++) {
    const src = [10, Math.floor(rng.next() * 256), Math.floor(rng.next() * 256), 1 + Math.floor(rng.next() * 254)]
    const h = toeplitz([...src, ...dst])
    out.push((h % RETA_SIZE) % queues)
  }
  return out
}
