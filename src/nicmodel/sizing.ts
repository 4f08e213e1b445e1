// Exact sizing advice, computed in one streaming pass (no trial runs).
//
// Smallest ring: the maximum occupancy of a "shadow" ring of infinite size fed the same frames
// (ring.ts `shadow()`): a ring at least that large never refuses, so it behaves exactly like the
// shadow; a smaller one reaches its size when the shadow first exceeds it (or refuses earlier).
//
// Slowest release rate (this file). Frames j = 0, 1, ... arrive at a_j (non-decreasing) needing
// m_j descriptors; the ring holds R; the consumer spends p ns per frame. Whatever the batch size,
// frame k's processing slot ends at the Lindley time c_k = max(a_k, c_{k-1}) + p, i.e.
// c_k = max over i <= k of a_i + (k - i + 1) p. With batch 1 a frame's descriptors are released at
// c_k. Let K_j be the largest k with m_k + ... + m_j > R (the frames k..j do not fit together).
// No frame is refused iff, for every j that has a K_j, frame K_j has left by a_j: c_{K_j} <= a_j
// (a release at exactly a_j comes first). That is
//     p <= (a_j - a_i) / (K_j + 1 - i)   for every i <= K_j,
// so the slowest per-frame time with zero overflow is
//     p* = min over j, i <= K_j of (a_j - a_i) / (K_j + 1 - i),
// the smallest slope from the query point Q_j = (K_j + 1, a_j) to the points P_i = (i, a_i),
// i <= K_j. Q_j lies to the right of all those points, so the minimum is attained on their upper
// convex hull, where it is a tangent found by binary search. K_j never decreases, so points join
// the hull in x order (monotone chain) and the whole computation is O(n log h) time, with the
// hull (h points, usually few) and a window of at most R + 1 frames in memory.
// A frame with m_j > R can never be taken (p* = 0: no rate helps); frames arriving at one instant
// that need more than R descriptors give p* = 0 too.
//
// Batch B > 1: a batch is released when its last frame's slot ends, so frame x is released at
// c_{L(x)} with x <= L(x) <= x + B - 1, and L depends on p (which frames were waiting when the
// batch was taken). Zero overflow is then NOT monotone in p (a slower consumer can take bigger
// batches and free descriptors sooner; docs/nic-model.md has an example), so there is no single
// threshold. arpx reports two exact closed-form bounds:
//   - necessary (from c_{L(K_j)} >= c_{K_j}): every p above the batch-1 p* overflows;
//   - sufficient (from c_{L(K_j)} <= c_{K_j + B - 1}): every p up to
//       p_safe = min over j, i <= K_j + B - 1 of (a_j - a_i) / (K_j + B - i)
//     has zero overflow (c only grows with p, so this holds for all smaller p too).
// With B = 1 the two coincide and the answer is exact.

/** Upper convex hull of points added in increasing x; answers min-slope queries from the right. */
export class UpperHull {
  private xs = new Float64Array(64);
  private ys = new Float64Array(64);
  n = 0;

  push(x: number, y: number): void {
    let n = this.n;
    const xs = this.xs, ys = this.ys;
    while (n >= 2) {
      const x0 = xs[n - 2]!, y0 = ys[n - 2]!, x1 = xs[n - 1]!, y1 = ys[n - 1]!;
      // keep only strict right turns (clockwise): cross((P1-P0),(P-P1)) < 0
      if ((x1 - x0) * (y - y1) - (y1 - y0) * (x - x1) >= 0) n--;
      else break;
    }
    if (n === xs.length) {
      const nx = new Float64Array(n * 2), ny = new Float64Array(n * 2);
      nx.set(xs);
      ny.set(ys);
      this.xs = nx;
      this.ys = ny;
    }
    this.xs[n] = x;
    this.ys[n] = y;
    this.n = n + 1;
  }

  /** max over hull points of y - p * x (the upper hull's edge slopes decrease: binary search). */
  maxLinear(p: number): number {
    const xs = this.xs, ys = this.ys;
    let lo = 0, hi = this.n - 1;
    if (hi < 0) return -Infinity;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ys[mid + 1]! - ys[mid]! > p * (xs[mid + 1]! - xs[mid]!)) lo = mid + 1;
      else hi = mid;
    }
    return ys[lo]! - p * xs[lo]!;
  }

  /** min over hull points of (Y - y) / (X - x); X must exceed every x. Infinity when empty. */
  minSlopeFrom(X: number, Y: number): number {
    const xs = this.xs, ys = this.ys;
    let lo = 0, hi = this.n - 1;
    if (hi < 0) return Infinity;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const fm = (Y - ys[mid]!) / (X - xs[mid]!);
      const fn = (Y - ys[mid + 1]!) / (X - xs[mid + 1]!);
      if (fn <= fm) lo = mid + 1;
      else hi = mid;
    }
    return (Y - ys[lo]!) / (X - xs[lo]!);
  }
}

export interface RateAdvice {
  /** Batch-1 closed form; with batch 1 this is the exact slowest per-frame time (ns) with zero overflow. Infinity: any rate (even none) works. 0: no rate works. */
  necessaryNs: number;
  /** Largest per-frame time (ns) that guarantees zero overflow for this batch size (equals necessaryNs when batch is 1). */
  safeNs: number;
  exact: boolean;
  /** A single frame needs more descriptors than the ring has. */
  oversize: boolean;
}

/** Arrivals RateBound.add() stores before it works through them in one loop. */
const PENDING = 256;

/**
 * Streaming computation of the slowest release rate with zero overflow for one ring. add() only
 * stores the arrival; the computation below runs over each PENDING arrivals in one loop (and before
 * result()), arrival by arrival in order, so the results are those of processing each at once. A
 * tight loop is quick to optimise, and a cold start (a short replay) spends less time in it.
 */
export class RateBound {
  private readonly R: number;
  private readonly B: number;
  private aBuf = new Float64Array(64);
  private mBuf = new Float64Array(64);
  private mask = 63;
  /** Index of the next arrival. */
  private j = 0;
  /** Next arrival to process (arrivals done..j-1 are stored, not yet processed). */
  private done = 0;
  /** First index of the window (frames w..j-1 fit in R). */
  private w = 0;
  private sum = 0;
  /** Next index to add to each hull. */
  private n1 = 0;
  private n2 = 0;
  private readonly h1 = new UpperHull();
  private readonly h2 = new UpperHull();
  private p1 = Infinity;
  private p2 = Infinity;
  /** max over added points of y - p x, for the current p1 / p2 (-Infinity until p is finite). */
  private m1 = -Infinity;
  private m2 = -Infinity;
  private oversize = false;

  constructor(ringSize: number, batch: number) {
    this.R = ringSize;
    this.B = Math.max(1, Math.floor(batch));
  }

  /** A frame arriving at `a` (ns, non-decreasing) that needs `m` descriptors. */
  add(a: number, m: number): void {
    if (this.oversize) return;
    const j = this.j;
    if (j - this.n1 >= this.mask) this.grow();
    this.aBuf[j & this.mask] = a;
    this.mBuf[j & this.mask] = m;
    this.j = j + 1;
    if (j + 1 - this.done >= PENDING) this.process();
  }

  /** Works through the stored arrivals. */
  private process(): void {
    const end = this.j;
    for (let j = this.done; j < end && !this.oversize; j++) this.step(j);
    this.done = end;
  }

  /** Arrival j (all before it processed). */
  private step(j: number): void {
    const a = this.aBuf[j & this.mask]!;
    this.sum += this.mBuf[j & this.mask]!;
    while (this.sum > this.R) {
      this.sum -= this.mBuf[this.w & this.mask]!;
      this.w++;
    }
    const K = this.w - 1;
    if (K < 0) return;
    if (K === j) {
      // this frame alone does not fit
      this.oversize = true;
      this.p1 = 0;
      this.p2 = 0;
      return;
    }
    while (this.n1 <= K) {
      const y = this.aBuf[this.n1 & this.mask]!;
      this.h1.push(this.n1, y);
      const v = y - this.p1 * this.n1;
      if (v > this.m1) this.m1 = v;
      this.n1++;
    }
    // a point gives a slope below p1 iff y_i - p1 x_i > a - p1 (K + 1): m1 (the max of the
    // left side over all points so far) answers that in O(1) for most frames
    if (this.p1 === Infinity || this.m1 > a - this.p1 * (K + 1)) {
      const s1 = this.h1.minSlopeFrom(K + 1, a);
      if (s1 < this.p1) {
        this.p1 = s1;
        this.m1 = this.h1.maxLinear(s1);
      }
    }
    if (this.B > 1) {
      const K2 = K + this.B - 1;
      if (K2 >= j) {
        this.p2 = 0;
      } else if (this.p2 > 0) {
        while (this.n2 <= K2) {
          const y = this.aBuf[this.n2 & this.mask]!;
          this.h2.push(this.n2, y);
          const v = y - this.p2 * this.n2;
          if (v > this.m2) this.m2 = v;
          this.n2++;
        }
        if (this.p2 === Infinity || this.m2 > a - this.p2 * (K2 + 1)) {
          const s2 = this.h2.minSlopeFrom(K2 + 1, a);
          if (s2 < this.p2) {
            this.p2 = s2;
            this.m2 = this.h2.maxLinear(s2);
          }
        }
      }
    }
  }

  private grow(): void {
    // keep indices from n1 (the oldest still needed) to j
    const cap = (this.mask + 1) * 2;
    const a = new Float64Array(cap), m = new Float64Array(cap);
    for (let i = this.n1; i < this.j; i++) {
      a[i & (cap - 1)] = this.aBuf[i & this.mask]!;
      m[i & (cap - 1)] = this.mBuf[i & this.mask]!;
    }
    this.aBuf = a;
    this.mBuf = m;
    this.mask = cap - 1;
  }

  result(): RateAdvice {
    this.process();
    if (this.B === 1) return { necessaryNs: this.p1, safeNs: this.p1, exact: true, oversize: this.oversize };
    return { necessaryNs: this.p1, safeNs: Math.min(this.p2, this.p1), exact: this.p2 === this.p1, oversize: this.oversize };
  }
}

/** Packets per second for a per-frame time (Infinity for 0 ns, 0 for Infinity). */
export function rateOf(ns: number): number {
  return ns === Infinity ? 0 : ns === 0 ? Infinity : 1e9 / ns;
}
