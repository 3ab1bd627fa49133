// Small array helpers for hot paths.

/** remove a[i], keeping the order (Array.prototype.splice allocates an array of the removed items) */
export function removeAt<T>(a: T[], i: number): void {
  // a negative index counts from the end, as splice's does
  if (i < 0) i = Math.max(0, a.length + i)
  if (i >= a.length) return
  const n = a.length - 1
  for (let j = i; j < n; j++) a[j] = a[j + 1]!
  a.pop()
}
