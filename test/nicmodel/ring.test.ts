// The ring simulation against closed-form results.
import { describe, expect, it } from "vitest";
import { descriptorsFor, Ring } from "../../src/nicmodel/ring.js";

/** Offers arrivals (time, bytes) to a ring; returns [accepted, refused]. */
function run(ring: Ring, arrivals: [number, number][]): [number, number] {
  let acc = 0, ref = 0;
  for (const [t, bytes] of arrivals) {
    ring.advance(t);
    if (ring.offer(t, descriptorsFor(bytes, ring.bufferSize), bytes)) acc++;
    else ref++;
  }
  return [acc, ref];
}

describe("Ring", () => {
  it("constant-rate arrivals into a slower ring overflow exactly R + floor((n-1)T/p) short of n", () => {
    for (const [R, T, p, n] of [
      [1, 1, 2, 5],
      [16, 100, 150, 1000],
      [2048, 67, 100, 100000],
      [7, 3, 7, 5000],
      [64, 1000, 1001, 20000],
    ] as const) {
      const ring = new Ring({ size: R, bufferSize: 2048, nsPerPacket: p, batch: 1 });
      const arr: [number, number][] = [];
      for (let i = 0; i < n; i++) arr.push([i * T, 64]);
      const [acc, ref] = run(ring, arr);
      const predicted = Math.min(n, R + Math.floor(((n - 1) * T) / p));
      expect(acc, `R=${R} T=${T} p=${p}`).toBe(predicted);
      expect(ref).toBe(n - predicted);
    }
  });

  it("a ring drained faster than it fills never overflows", () => {
    const ring = new Ring({ size: 4, bufferSize: 2048, nsPerPacket: 99, batch: 1 });
    const arr: [number, number][] = [];
    for (let i = 0; i < 10000; i++) arr.push([i * 100, 1500]);
    expect(run(ring, arr)).toEqual([10000, 0]);
    expect(ring.maxOcc).toBe(1);
  });

  it("bursts that drain fully between them overflow max(0, b - R) each", () => {
    const R = 32, p = 10;
    for (const b of [10, 32, 33, 100]) {
      const ring = new Ring({ size: R, bufferSize: 2048, nsPerPacket: p, batch: 1 });
      const arr: [number, number][] = [];
      const bursts = 50;
      for (let k = 0; k < bursts; k++) for (let i = 0; i < b; i++) arr.push([k * (R * p + 1000), 100]);
      const [, ref] = run(ring, arr);
      expect(ref, `burst ${b}`).toBe(bursts * Math.max(0, b - R));
    }
  });

  it("multi-buffer frames take ceil(len / bufferSize) descriptors", () => {
    expect(descriptorsFor(1, 2048)).toBe(1);
    expect(descriptorsFor(2048, 2048)).toBe(1);
    expect(descriptorsFor(2049, 2048)).toBe(2);
    expect(descriptorsFor(9000, 2048)).toBe(5);
    // 16 descriptors hold 8 frames of 3000 bytes (2 each): a burst of 10 overflows 2
    const ring = new Ring({ size: 16, bufferSize: 2048, nsPerPacket: 1000, batch: 1 });
    const arr: [number, number][] = [];
    for (let i = 0; i < 10; i++) arr.push([0, 3000]);
    expect(run(ring, arr)).toEqual([8, 2]);
    expect(ring.occ).toBe(16);
    // a 1-descriptor frame cannot use a lone free descriptor if the ring has none; after one release (2 free) a 5000-byte frame (3) still does not fit
    ring.advance(1000);
    expect(ring.occ).toBe(14);
    expect(ring.offer(1000, descriptorsFor(5000, 2048), 5000)).toBe(false);
    expect(ring.offer(1000, descriptorsFor(4000, 2048), 4000)).toBe(true);
    // a frame needing more descriptors than the ring has never fits
    const small = new Ring({ size: 16, bufferSize: 2048, nsPerPacket: 1, batch: 1 });
    expect(small.offer(0, descriptorsFor(40000, 2048), 40000)).toBe(false);
  });

  it("batch release: takes what is waiting up to the batch, releases the batch at once", () => {
    const ring = new Ring({ size: 8, bufferSize: 2048, nsPerPacket: 10, batch: 4 });
    const occ: [number, number][] = [];
    const rel: [number, number][] = [];
    ring.listener = {
      onStart() {},
      onQueueAdded() {},
      onArrival() {},
      onOccupancy(_q, t, o) {
        occ.push([t, o]);
      },
      onRelease(_q, t, n) {
        rel.push([t, n]);
      },
      onEnd() {},
    };
    // 8 frames at t=0: the first is taken alone at its arrival; the other 7 wait
    for (let i = 0; i < 8; i++) expect(ring.offer(0, 1, 64)).toBe(true);
    expect(ring.offer(0, 1, 64)).toBe(false);
    ring.advance(1000);
    // t=10: batch of 1 released, 4 taken (end 50); t=50: 4 released, 3 taken (end 80); t=80: 3 released
    expect(rel).toEqual([
      [10, 1],
      [50, 4],
      [80, 3],
    ]);
    expect(occ.slice(8)).toEqual([
      [10, 7],
      [50, 3],
      [80, 0],
    ]);
    expect(ring.batches).toBe(3);
  });

  it("a release at exactly an arrival's time comes before the arrival", () => {
    const ring = new Ring({ size: 1, bufferSize: 2048, nsPerPacket: 5, batch: 1 });
    expect(run(ring, [[0, 60], [5, 60], [10, 60], [14, 60]])).toEqual([3, 1]);
  });

  it("the shadow ring continues with the same state and never refuses", () => {
    const ring = new Ring({ size: 3, bufferSize: 2048, nsPerPacket: 10, batch: 2 });
    for (let i = 0; i < 3; i++) ring.offer(0, 1, 60);
    const s = ring.shadow();
    expect(s.occ).toBe(3);
    for (let i = 0; i < 100; i++) expect(s.offer(1, 1, 60)).toBe(true);
    expect(s.maxOcc).toBe(103);
    s.advance(1e9);
    expect(s.occ).toBe(0);
    expect(s.released).toBe(103);
  });
});
