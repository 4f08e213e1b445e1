// Tick <-> time conversions are exact: checked against BigInt arithmetic on random and edge values.
import { describe, expect, it } from "vitest";
import { normalizeTime, tickScale, ticksToTime, timeToTicks, type HiLo, type SecNsec } from "../../src/capture/timestamps.js";

function reference(hi: number, lo: number, base: 10 | 2, exp: number): [number, number] {
  const ticks = (BigInt(hi) << 32n) | BigInt(lo);
  const units = base === 10 ? 10n ** BigInt(exp) : 1n << BigInt(exp);
  return [Number(ticks / units), Number(((ticks % units) * 1_000_000_000n) / units)];
}

// deterministic pseudo-random uint32s
let seed = 12345;
const rnd32 = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed;
};

describe("ticksToTime", () => {
  const out: SecNsec = { sec: 0, nsec: 0 };
  const resolutions: [10 | 2, number][] = [[10, 0], [10, 3], [10, 6], [10, 7], [10, 9], [10, 12], [2, 10], [2, 20], [2, 30], [2, 32], [2, 40], [2, 72]];
  it.each(resolutions)("base %i exp %i matches BigInt on edge and random values", (base, exp) => {
    const s = tickScale(base, exp);
    const his = [0, 1, 0x1fffff, 0x200000, 0x3fffffff, 0x40000000, 0x7fffffff, 0xffffffff, ...Array.from({ length: 200 }, rnd32), ...Array.from({ length: 200 }, () => rnd32() >>> 3)];
    const los = [0, 1, 999, 1000, 999999999, 0x7fffffff, 0x80000000, 0xffffffff];
    for (const hi of his) {
      for (const lo of [...los, rnd32()]) {
        ticksToTime(hi, lo, s, out);
        expect([out.sec, out.nsec], `hi=${hi} lo=${lo}`).toEqual(reference(hi, lo, base, exp));
      }
    }
  });

  it("real-world values: ns and µs epochs, the year 2107, tsoffset", () => {
    // tcpdump-time_2107.pcapng: 4323283200 s at µs resolution
    const t2107 = 4323283200n * 1_000_000n;
    ticksToTime(Number(t2107 >> 32n), Number(t2107 & 0xffffffffn), tickScale(10, 6), out);
    expect(out).toEqual({ sec: 4323283200, nsec: 0 });
    const ns = 1700000000_123456789n;
    ticksToTime(Number(ns >> 32n), Number(ns & 0xffffffffn), tickScale(10, 9, -100), out);
    expect(out).toEqual({ sec: 1700000000 - 100, nsec: 123456789 });
  });
});

describe("timeToTicks", () => {
  const hl: HiLo = { hi: 0, lo: 0 };
  const back: SecNsec = { sec: 0, nsec: 0 };
  it.each([[6], [9], [3], [0]])("10^-%i: inverse of ticksToTime (truncating below the resolution)", (k) => {
    const s = tickScale(10, k);
    const secs = [0, 1, 1700000000, 2 ** 32 - 1, 4323283200, 9999999999, ...Array.from({ length: 300 }, () => rnd32())];
    for (const sec of secs) {
      const nsec = rnd32() % 1_000_000_000;
      expect(timeToTicks(sec, nsec, s, hl)).toBe(true);
      const want = BigInt(sec) * 10n ** BigInt(k) + BigInt(nsec) / 10n ** BigInt(9 - k);
      expect((BigInt(hl.hi) << 32n) | BigInt(hl.lo)).toBe(want);
      ticksToTime(hl.hi, hl.lo, s, back);
      expect(back.sec).toBe(sec);
      expect(back.nsec).toBe(nsec - (nsec % 10 ** (9 - k)));
    }
  });
  it("refuses times before 1970 and past 2^64 ticks; normalises raw fractions", () => {
    expect(timeToTicks(-1, 0, tickScale(10, 9), hl)).toBe(false);
    expect(timeToTicks(0, -1, tickScale(10, 9), hl)).toBe(false);
    expect(timeToTicks(2 ** 40, 0, tickScale(10, 9), hl)).toBe(false);
    expect(timeToTicks(10, 1_000_000_000, tickScale(10, 9), hl)).toBe(true);
    expect(hl).toEqual({ hi: 2, lo: 11_000_000_000 - 2 * 4294967296 });
  });
  it("normalizeTime carries out-of-range fractions like Wireshark's nstime", () => {
    const o: SecNsec = { sec: 0, nsec: 0 };
    normalizeTime(1418145370, 1_000_000_000, o);
    expect(o).toEqual({ sec: 1418145371, nsec: 0 });
    normalizeTime(1418145370, -2147483648, o);
    expect(o).toEqual({ sec: 1418145367, nsec: 852516352 });
  });
});
