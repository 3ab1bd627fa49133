// Binary min-heap of events ordered by (time, insertion order): ties resolve deterministically.
// Struct of arrays (typed, grown by doubling): no object per event, so a run of millions of
// events leaves nothing for the garbage collector. pop() exposes the event in the `top*` fields.
export class EventQueue {
  private t = new Float64Array(1024)
  private seqs = new Float64Array(1024)
  private types = new Int32Array(1024)
  private as = new Float64Array(1024)
  private bs = new Float64Array(1024)
  private n = 0
  private seq = 0
  /** the event the last pop() took */
  topT = 0
  topType = 0
  topA = 0
  topB = 0

  get size(): number {
    return this.n
  }

  private grow(): void {
    const cap = this.t.length * 2
    const f = (old: Float64Array) => {
      const x = new Float64Array(cap)
      x.set(old)
      return x
    }
    this.t = f(this.t)
    this.seqs = f(this.seqs)
    this.as = f(this.as)
    this.bs = f(this.bs)
    const ty = new Int32Array(cap)
    ty.set(this.types)
    this.types = ty
  }

  push(t: number, type: number, a = 0, b = 0): void {
    if (this.n === this.t.length) this.grow()
    const T = this.t
    const S = this.seqs
    const seq = this.seq++
    let i = this.n++
    while (i > 0) {
      const p = (i - 1) >> 1
      const tp = T[p]!
      if (tp < t || (tp === t && S[p]! < seq)) break
      this.move(p, i)
      i = p
    }
    T[i] = t
    S[i] = seq
    this.types[i] = type
    this.as[i] = a
    this.bs[i] = b
  }

  peekTime(): number {
    return this.n ? this.t[0]! : Infinity
  }

  /** take the earliest event into top*; false when empty */
  pop(): boolean {
    if (this.n === 0) return false
    const T = this.t
    const S = this.seqs
    this.topT = T[0]!
    this.topType = this.types[0]!
    this.topA = this.as[0]!
    this.topB = this.bs[0]!
    const n = --this.n
    if (n === 0) return true
    // sift the last element down from the root
    const lt = T[n]!
    const ls = S[n]!
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) break
      const r = l + 1
      let c = l
      if (r < n && (T[r]! < T[l]! || (T[r] === T[l] && S[r]! < S[l]!))) c = r
      if (lt < T[c]! || (lt === T[c] && ls < S[c]!)) break
      this.move(c, i)
      i = c
    }
    if (i !== n) this.move(n, i)
    return true
  }

  private move(from: number, to: number): void {
    this.t[to] = this.t[from]!
    this.seqs[to] = this.seqs[from]!
    this.types[to] = this.types[from]!
    this.as[to] = this.as[from]!
    this.bs[to] = this.bs[from]!
  }
}
