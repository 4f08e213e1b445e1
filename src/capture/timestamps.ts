// Exact conversions between pcapng 64-bit tick counts and (seconds, nanoseconds), both directions.
// Tick counts at nanosecond resolution pass 2^53, so a double cannot hold them: the common
// decimal resolutions (10^-k, k <= 9) split the division by 10^k = 2^k * 5^k into a shift and a
// division of a number below 2^53; anything else (binary or finer-than-ns resolution, far
// future) takes a BigInt slow path. Results match tshark's frame.time_epoch to the nanosecond.

/** How one interface's ticks become time, computed once per IDB. */
export interface TickScale {
  base: 10 | 2;
  exp: number;
  /** Ticks per second. */
  units: bigint;
  /** if_tsoffset seconds added to every time. */
  offset: number;
  /** k for the fast decimal path (resolution 10^-k, k <= 9), else -1. */
  k: number;
  // Fast-path constants (k >= 0): 2^k, 5^k, 2^(32-k), 10^(9-k), and the largest exact high word.
  p2: number;
  p5: number;
  span: number;
  toNs: number;
  hiLimit: number;
}

/** Scratch (seconds, nanoseconds) pair the converters write into: no allocation per record. */
export interface SecNsec {
  sec: number;
  nsec: number;
}

/** Scratch (high, low) 32-bit halves of a tick count. */
export interface HiLo {
  hi: number;
  lo: number;
}

const POW5 = [1, 5, 25, 125, 625, 3125, 15625, 78125, 390625, 1953125];
const POW10 = [1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
const TWO32 = 4294967296;

/** From an if_tsresol byte value: high bit set = binary 2^-n, else decimal 10^-n. Default 10^-6. */
export function tickScale(base: 10 | 2, exp: number, offset = 0): TickScale {
  const units = base === 10 ? 10n ** BigInt(exp) : 1n << BigInt(exp);
  const k = base === 10 && exp <= 9 ? exp : -1;
  const kk = Math.max(k, 0);
  return {
    base, exp, units, offset, k,
    p2: 2 ** kk, p5: POW5[kk]!, span: TWO32 / 2 ** kk, toNs: POW10[9 - kk]!, hiLimit: k >= 0 ? 2 ** (21 + k) : 0,
  };
}

export const MICRO = tickScale(10, 6);
export const NANO = tickScale(10, 9);

/** ticks = hi * 2^32 + lo (both uint32) -> out.sec (+ offset), out.nsec, exactly. */
export function ticksToTime(hi: number, lo: number, s: TickScale, out: SecNsec): void {
  // hi < 2^(21+k) keeps t = ticks >> k below 2^53 (hiLimit is 0 off the fast path).
  if (hi < s.hiLimit) {
    const p2 = s.p2;
    const f = s.p5;
    const t = hi * s.span + (lo >>> s.k);
    let sec = Math.floor(t / f);
    let r = t - sec * f;
    if (r < 0) {
      sec--;
      r += f;
    } else if (r >= f) {
      sec++;
      r -= f;
    }
    out.sec = sec + s.offset;
    out.nsec = (r * p2 + (lo & (p2 - 1))) * s.toNs;
    return;
  }
  const ticks = (BigInt(hi) << 32n) | BigInt(lo >>> 0);
  const sec = ticks / s.units;
  const rem = ticks - sec * s.units;
  out.sec = Number(sec) + s.offset;
  out.nsec = Number((rem * 1_000_000_000n) / s.units);
}

/** Brings nsec into 0..999999999 (carrying into sec), for values a file passed through raw. */
export function normalizeTime(sec: number, nsec: number, out: SecNsec): void {
  if (nsec >= 0 && nsec < 1e9) {
    out.sec = sec;
    out.nsec = nsec;
    return;
  }
  const carry = Math.floor(nsec / 1e9);
  out.sec = sec + carry;
  out.nsec = nsec - carry * 1e9;
}

const scratch: SecNsec = { sec: 0, nsec: 0 };

/**
 * (sec, nsec) -> ticks at scale `s` (tsoffset ignored: writers put it into the time), truncating
 * below the resolution. False when the time cannot be a 64-bit unsigned tick count (before 1970).
 */
export function timeToTicks(sec: number, nsec: number, s: TickScale, out: HiLo): boolean {
  normalizeTime(sec, nsec, scratch);
  sec = scratch.sec;
  nsec = scratch.nsec;
  if (!Number.isInteger(sec) || sec < 0) return false;
  const k = s.k;
  if (k >= 0 && sec * POW5[k]! < 2 ** 53) {
    const fr = Math.floor(nsec / POW10[9 - k]!);
    const m = sec * POW5[k]!; // ticks = m * 2^k + fr
    const span = TWO32 / 2 ** k;
    const mh = Math.floor(m / span);
    const low = (m - mh * span) * 2 ** k + fr;
    const carry = Math.floor(low / TWO32);
    out.hi = mh + carry;
    out.lo = low - carry * TWO32;
    return true;
  }
  const ticks = BigInt(sec) * s.units + (BigInt(Math.floor(nsec)) * s.units) / 1_000_000_000n;
  if (ticks >= 1n << 64n) return false;
  out.hi = Number(ticks >> 32n);
  out.lo = Number(ticks & 0xffffffffn);
  return true;
}

/** A u64 as a number when exact, else a bigint. */
export function u64(hi: number, lo: number): number | bigint {
  return hi < 0x200000 ? hi * TWO32 + lo : (BigInt(hi) << 32n) | BigInt(lo);
}

/** An i64 as a number when exact, else a bigint. */
export function i64(hi: number, lo: number): number | bigint {
  const signedHi = hi | 0;
  if (signedHi >= -0x200000 && signedHi < 0x200000) return signedHi * TWO32 + lo;
  return (BigInt(signedHi) << 32n) + BigInt(lo);
}
