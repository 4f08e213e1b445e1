// Sizing advice: the closed forms against brute force and against the exact simulation.
import { describe, expect, it } from "vitest";
import { Ring } from "../../src/nicmodel/ring.js";
import { RateBound, UpperHull } from "../../src/nicmodel/sizing.js";

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function overflows(a: number[], m: number[], R: number, p: number, B: number): number {
  const ring = new Ring({ size: R, bufferSize: 1, nsPerPacket: p, batch: B });
  let refused = 0;
  for (let j = 0; j < a.length; j++) {
    ring.advance(a[j]!);
    if (!ring.offer(a[j]!, m[j]!, m[j]!)) refused++;
  }
  return refused;
}

function maxOccInfinite(a: number[], m: number[], p: number, B: number): number {
  const ring = new Ring({ size: Infinity, bufferSize: 1, nsPerPacket: p, batch: B });
  for (let j = 0; j < a.length; j++) {
    ring.advance(a[j]!);
    ring.offer(a[j]!, m[j]!, m[j]!);
  }
  return ring.maxOcc;
}

/** The batch-1 formula evaluated directly in O(n^2). */
function bruteP(a: number[], m: number[], R: number): number {
  let best = Infinity;
  for (let j = 0; j < a.length; j++) {
    let s = 0, K = -1;
    for (let k = j; k >= 0; k--) {
      s += m[k]!;
      if (s > R) {
        K = k;
        break;
      }
    }
    if (K < 0) continue;
    if (K === j) return 0;
    for (let i = 0; i <= K; i++) best = Math.min(best, (a[j]! - a[i]!) / (K + 1 - i));
  }
  return best;
}

function stream(r: () => number, n: number, multi: boolean, maxGap = 20): [number[], number[]] {
  const a: number[] = [], m: number[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += r() < 0.3 ? 0 : Math.floor(r() * maxGap);
    a.push(t);
    m.push(multi ? 1 + Math.floor(r() * 3) : 1);
  }
  return [a, m];
}

describe("UpperHull", () => {
  it("min slope from a point on the right equals brute force", () => {
    const r = rng(1);
    for (let trial = 0; trial < 300; trial++) {
      const h = new UpperHull();
      const pts: [number, number][] = [];
      let y = 0;
      const n = 1 + Math.floor(r() * 40);
      for (let i = 0; i < n; i++) {
        y += Math.floor(r() * 10);
        pts.push([i, y]);
        h.push(i, y);
      }
      const X = n + Math.floor(r() * 5);
      const Y = y + Math.floor(r() * 50);
      const brute = Math.min(...pts.map(([x, yy]) => (Y - yy) / (X - x)));
      expect(h.minSlopeFrom(X, Y)).toBeCloseTo(brute, 12);
    }
  });
});

describe("RateBound (slowest release rate with zero overflow)", () => {
  it("batch 1: equals the O(n^2) formula, and is exactly the threshold of the simulation", () => {
    const r = rng(7);
    let checked = 0;
    for (let trial = 0; trial < 400; trial++) {
      const multi = trial % 2 === 1;
      const [a, m] = stream(r, 5 + Math.floor(r() * 60), multi);
      const R = 1 + Math.floor(r() * 6);
      const rb = new RateBound(R, 1);
      for (let j = 0; j < a.length; j++) rb.add(a[j]!, m[j]!);
      const res = rb.result();
      const brute = bruteP(a, m, R);
      if (brute === Infinity) expect(res.necessaryNs).toBe(Infinity);
      else expect(res.necessaryNs).toBeCloseTo(brute, 9);
      expect(res.exact).toBe(true);
      const p = res.necessaryNs;
      if (p === Infinity) {
        expect(overflows(a, m, R, 1e12, 1)).toBe(0);
      } else if (p === 0) {
        expect(overflows(a, m, R, 1e-9, 1)).toBeGreaterThan(0);
      } else {
        expect(overflows(a, m, R, p, 1), `trial ${trial}`).toBe(0);
        expect(overflows(a, m, R, p * (1 + 1e-9), 1), `trial ${trial}`).toBeGreaterThan(0);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("constant-rate arrivals every T: p* is just above T (it tends to T as the capture grows) and is feasible", () => {
    // arrivals every T; any p <= T never builds a queue; p slightly above T eventually overflows a finite ring
    const T = 100, R = 8;
    const rb = new RateBound(R, 1);
    for (let i = 0; i < 10000; i++) rb.add(i * T, 1);
    const p = rb.result().necessaryNs;
    // frames K..j (R+1 of them) span R*T; c_K <= a_j for all j needs p <= (j-i)T/(K+1-i) -> min over the long run tends to T
    expect(p).toBeGreaterThanOrEqual(T);
    expect(p).toBeLessThan(T * 1.001);
    expect(overflows(Array.from({ length: 10000 }, (_, i) => i * T), new Array(10000).fill(1), R, p, 1)).toBe(0);
  });

  it("batch > 1: the safe bound never overflows, above the necessary bound always overflows", () => {
    const r = rng(11);
    for (let trial = 0; trial < 300; trial++) {
      const [a, m] = stream(r, 5 + Math.floor(r() * 50), trial % 3 === 0);
      const R = 2 + Math.floor(r() * 8);
      const B = 2 + Math.floor(r() * 4);
      const rb = new RateBound(R, B);
      for (let j = 0; j < a.length; j++) rb.add(a[j]!, m[j]!);
      const res = rb.result();
      expect(res.safeNs).toBeLessThanOrEqual(res.necessaryNs);
      if (res.safeNs > 0 && res.safeNs < Infinity) {
        expect(overflows(a, m, R, res.safeNs, B), `trial ${trial}`).toBe(0);
        expect(overflows(a, m, R, res.safeNs / 2, B)).toBe(0);
      }
      if (res.necessaryNs > 0 && res.necessaryNs < Infinity) {
        expect(overflows(a, m, R, res.necessaryNs * (1 + 1e-9), B), `trial ${trial}`).toBeGreaterThan(0);
        expect(overflows(a, m, R, res.necessaryNs * 3, B)).toBeGreaterThan(0);
      }
    }
  });

  it("batch > 1: zero overflow is not monotone in the per-frame time (why arpx reports bounds)", () => {
    // arrivals 5, 9, 9, 11, 18, 18; ring 3; batch 2 (docs/nic-model.md shows this example)
    const a = [5, 9, 9, 11, 18, 18], m = [1, 1, 1, 1, 1, 1];
    expect(overflows(a, m, 3, 2.9, 2)).toBe(0);
    expect(overflows(a, m, 3, 3.5, 2)).toBeGreaterThan(0);
    expect(overflows(a, m, 3, 4.1, 2)).toBe(0);
    expect(overflows(a, m, 3, 4.5, 2)).toBeGreaterThan(0);
    const rb = new RateBound(3, 2);
    for (let j = 0; j < a.length; j++) rb.add(a[j]!, m[j]!);
    const res = rb.result();
    expect(res.exact).toBe(false);
    expect(res.safeNs).toBeLessThanOrEqual(3);
    expect(res.necessaryNs).toBeGreaterThanOrEqual(4.1);
  });

  it("smallest ring = the infinite shadow ring's maximum occupancy (any batch)", () => {
    const r = rng(5);
    for (let trial = 0; trial < 200; trial++) {
      const [a, m] = stream(r, 10 + Math.floor(r() * 80), trial % 2 === 0, 10);
      const p = 1 + r() * 12, B = 1 + Math.floor(r() * 5);
      const M = maxOccInfinite(a, m, p, B);
      expect(overflows(a, m, M, p, B)).toBe(0);
      if (M > 1) expect(overflows(a, m, M - 1, p, B)).toBeGreaterThan(0);
    }
  });

  it("a frame larger than the ring, or more than R descriptors at one instant, makes every rate fail", () => {
    const rb = new RateBound(4, 1);
    rb.add(0, 1);
    rb.add(1, 5);
    expect(rb.result()).toMatchObject({ necessaryNs: 0, oversize: true });
    const rb2 = new RateBound(2, 1);
    for (let i = 0; i < 3; i++) rb2.add(10, 1);
    expect(rb2.result().necessaryNs).toBe(0);
    const rb3 = new RateBound(100, 1);
    for (let i = 0; i < 50; i++) rb3.add(i, 1);
    expect(rb3.result().necessaryNs).toBe(Infinity);
  });
});
