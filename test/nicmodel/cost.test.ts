import { describe, expect, it } from "vitest";
import { copyMapCrossover, DEFAULT_COST, mapUnmapNs, resolveCost, schemeCost, schemeCycles } from "../../src/nicmodel/cost.js";
import { fitCopy, makeProfile } from "../../src/nicmodel/calibrate.js";

describe("cost model", () => {
  it("map/unmap cost goes through Amit's published points and extrapolates per core", () => {
    const p = resolveCost();
    expect(mapUnmapNs(p, 1)).toBe(661);
    expect(mapUnmapNs(p, 2)).toBe(1436);
    expect(mapUnmapNs(p, 4)).toBe(1571);
    expect(mapUnmapNs(p, 3)).toBeCloseTo((1436 + 1571) / 2, 9);
    expect(mapUnmapNs(p, 8)).toBeCloseTo(1571 + 4 * 67.5, 9);
    expect(mapUnmapNs(resolveCost({ mapPerExtraCoreNs: 1500 }), 6)).toBe(1571 + 2 * 1500);
  });

  it("scheme cycles", () => {
    const p = resolveCost({ clockGHz: 2, syscallNs: 100 });
    const d = { packets: 10, bytes: 15000, pages: 10, batches: 2 };
    expect(schemeCycles(p, "copy", d)).toBeCloseTo(10 * 750 + 2 * 200 + 15000 * 0.4, 9);
    expect(schemeCycles(p, "dma", d)).toBeCloseTo(10 * (750 + 300) + 2 * 200, 9);
    expect(schemeCycles(p, "map", d)).toBeCloseTo(10 * 750 + 2 * 200 + 10 * 1571 * 2, 9);
    expect(schemeCycles(p, "perennial", d)).toBe(600);
    const c = schemeCost(p, "perennial", d, 0.5);
    expect(c).toMatchObject({ cyclesPerPacket: 60, packetsPerSecondPerCore: 2e9 / 60 });
    expect(c.cpuSecondsPerSecond).toBeCloseTo(600 / 2e9 / 0.5, 15);
  });

  it("crossover: the smallest frame for which a CPU copy costs more than mapping its pages", () => {
    // published defaults: 4713 cycles per page to map vs 0.4 cycles/byte: never within a page, and each page costs more to map than to copy
    expect(copyMapCrossover(DEFAULT_COST)).toBe(Infinity);
    // 1 GHz, map 1000 ns = 1000 cycles per page, copy 1 cycle/byte: copying 1001 bytes costs more
    const p = resolveCost({ clockGHz: 1, mapLocalNs: 1000, cores: 1, copyCyclesPerByte: 1 });
    expect(copyMapCrossover(p)).toBe(1001);
    // copy 0.1 cycle/byte, map 1000/page: within a page copying 4096 B costs 409.6 < 1000; never
    expect(copyMapCrossover(resolveCost({ clockGHz: 1, mapLocalNs: 1000, cores: 1, copyCyclesPerByte: 0.1 }))).toBe(Infinity);
    // a fixed copy cost larger than a map: copying costs more from the first byte
    expect(copyMapCrossover(resolveCost({ clockGHz: 1, mapLocalNs: 10, cores: 1, copyCyclesPerByte: 0.01, copyFixedCycles: 20 }))).toBe(1);
  });

  it("calibration: a linear fit and a profile that sets only what was measured", () => {
    const fit = fitCopy([
      { bytes: 64, ns: 10 + 64 * 0.05 },
      { bytes: 1024, ns: 10 + 1024 * 0.05 },
      { bytes: 4096, ns: 10 + 4096 * 0.05 },
      { bytes: 1 << 26, ns: 1e7 },
    ])!;
    expect(fit.fixedNs).toBeCloseTo(10, 9);
    expect(fit.nsPerByte).toBeCloseTo(0.05, 12);
    const prof = makeProfile(null, "no compiler", [{ bytes: 64, ns: 20 }, { bytes: 4096, ns: 220 }]);
    expect(prof.native).toBeNull();
    expect(Object.keys(prof.cost).sort()).toEqual(expect.arrayContaining(["copyCyclesPerByte", "copyFixedCycles"]));
    expect(prof.cost.mapLocalNs).toBeUndefined();
  });
});
