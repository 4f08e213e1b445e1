// Ring monitoring: occupancy statistics and time series from model events.
import { describe, expect, it } from "vitest";
import { Outcome } from "../../src/nicmodel/events.js";
import { Ring } from "../../src/nicmodel/ring.js";
import { RingMonitor } from "../../src/ringmon/monitor.js";

const info = (index: number, size: number) => ({ index, name: `q${index}`, kind: "app" as const, size, bufferSize: 2048, nsPerPacket: 10, batch: 4 });

describe("RingMonitor", () => {
  it("time-weighted occupancy: mean, percentiles, max, time full (batch example worked by hand)", () => {
    // ring 8, 10 ns per frame, batch 4; 8 frames at t=0: occupancy 8 on [0,10), 7 on [10,50), 3 on [50,80), then 0
    const mon = new RingMonitor({ intervalNs: 20 });
    mon.onStart([info(0, 8)]);
    const ring = new Ring({ size: 8, bufferSize: 2048, nsPerPacket: 10, batch: 4 });
    ring.listener = mon;
    for (let i = 0; i < 8; i++) {
      ring.offer(0, 1, 64);
      mon.onArrival(0, 0, 64, 1, Outcome.ACCEPTED, false);
    }
    ring.advance(100);
    mon.onEnd(100);
    const s = mon.queues[0]!;
    expect(s.area / 100).toBeCloseTo((8 * 10 + 7 * 40 + 3 * 30) / 100, 12);
    expect(s.maxOcc).toBe(8);
    expect(s.timeFull).toBe(10);
    // time at levels: 0 for 20, 3 for 30, 7 for 40, 8 for 10 (of 100)
    expect(s.quantile(0.5, 100)).toBe(3);
    expect(s.quantile(0.2, 100)).toBe(0);
    expect(s.quantile(0.85, 100)).toBe(7);
    expect(s.quantile(0.99, 100)).toBe(8);
    expect(s.delivered).toBe(8);
    // series: bins of 20 ns: [0,20) mean (8*10+7*10)/20 = 7.5, max 8; [40,60) (7*10+3*10)/20 = 5, max 7
    expect(mon.bins).toBe(6);
    expect(s.s.area[0]! / 20).toBe(7.5);
    expect(s.s.max[0]).toBe(8);
    expect(s.s.area[2]! / 20).toBe(5);
    expect(s.s.max[2]).toBe(7);
    expect(s.s.max[4]).toBe(3);
    expect(s.s.arrivals[0]).toBe(8);
    expect(Array.from(s.s.delivered.subarray(0, 5))).toEqual([1, 0, 4, 0, 3]);
  });

  it("the automatic interval doubles and merges bins, keeping totals", () => {
    const mon = new RingMonitor({ maxBins: 16 });
    mon.onStart([info(0, 4)]);
    for (let t = 0; t < 1e6; t += 997) {
      mon.onArrival(0, t, 100, 1, t % 3 === 0 ? Outcome.OVERFLOW_FILL_EMPTY : Outcome.ACCEPTED, false);
      mon.onOccupancy(0, t, (t / 997) % 4);
    }
    mon.onEnd(1e6);
    expect(mon.bins).toBeLessThanOrEqual(16);
    expect(mon.intervalNs).toBeGreaterThanOrEqual(1e6 / 16);
    const s = mon.queues[0]!;
    let arr = 0, ovf = 0, area = 0;
    for (let b = 0; b < mon.bins; b++) {
      arr += s.s.arrivals[b]!;
      ovf += s.s.overflows[b]!;
      area += s.s.area[b]!;
    }
    expect(arr).toBe(s.arrivals);
    expect(ovf).toBe(s.overflows);
    expect(area).toBeCloseTo(s.area, 3);
  });

  it("queues added during the run start empty at time 0", () => {
    const mon = new RingMonitor({ intervalNs: 10 });
    mon.onStart([info(0, 4)]);
    mon.onOccupancy(0, 55, 1);
    mon.onQueueAdded(info(1, 4));
    mon.onOccupancy(1, 60, 2);
    mon.onEnd(100);
    expect(mon.queues[1]!.area).toBe(80);
    expect(mon.queues[1]!.s.max[6]).toBe(2);
    expect(mon.queues[1]!.s.max[5]).toBe(0);
  });
});
