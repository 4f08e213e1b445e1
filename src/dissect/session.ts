// State that lives across the frames of one read: reference times for relative timestamps and
// per-protocol conversation state (TCP relative sequence numbers, stream indexes), kept in
// bounded tables (KeyTable below) so a long capture cannot grow it without limit.
import type { Packet } from "./packet.js";

/**
 * Wireshark's "tcp_follow" tap: a TCP segment whose length is known, its payload at d[body, end)
 * (what was captured of it), its relative sequence and acknowledgment numbers, flags and length.
 */
export type FollowTcpTap = (p: Packet, d: Uint8Array, body: number, end: number, seq: number, ack: number, flags: number, seglen: number) => void;
/** Wireshark's "udp_follow" tap: a UDP payload at d[body, end). */
export type FollowUdpTap = (p: Packet, d: Uint8Array, body: number, end: number) => void;

export class Session {
  firstSec = NaN;
  firstNsec = 0;
  prevSec = NaN;
  prevNsec = 0;
  prevDispSec = NaN;
  prevDispNsec = 0;
  private readonly stores = new Map<string, unknown>();
  /** Set by -z follow (stats/follow.ts) only: TCP and UDP test them for null per segment. */
  followTcp: FollowTcpTap | null = null;
  followUdp: FollowUdpTap | null = null;

  /** Per-protocol state, created on first use. */
  store<T>(key: string, make: () => T): T {
    let s = this.stores.get(key) as T | undefined;
    if (s === undefined) {
      s = make();
      this.stores.set(key, s);
    }
    return s;
  }

  /** Per-protocol state if it exists (for tests and statistics), without creating it. */
  peek<T>(key: string): T | undefined {
    return this.stores.get(key) as T | undefined;
  }
}

/**
 * a - b in seconds as a double, for thresholds and logic: nanoseconds off past 2^22 s. The value
 * recorded in an FT_RELATIVE_TIME field comes from relTimeValue.
 */
export function secondsBetween(aSec: number, aNsec: number, bSec: number, bNsec: number): number {
  return aSec - bSec + (aNsec - bNsec) / 1e9;
}

/**
 * Below this many seconds (48 days) a double is within 2^-32 s (< half a nanosecond) of a - b, so
 * toFixed(9) prints the exact value and two values 1 ns apart stay apart.
 */
const EXACT_DOUBLE_SECONDS = 2 ** 22;

/**
 * The value recorded for an FT_RELATIVE_TIME field (Wireshark's nstime_t, seconds and
 * nanoseconds): a - b, where a and b are timestamps in seconds and nanoseconds.
 *
 * Two forms, both exact to the nanosecond whatever the size:
 *  - a number of seconds when |a - b| < 2^22 s: every span in an ordinary capture, recorded
 *    without building a string, and kept a number for the code and tests that read it as one;
 *  - past that (clocks decades apart, a timestamp-less pcapng block at time 0), where a double
 *    would be nanoseconds off, the exact text tshark prints ("-4294967294.999999997").
 * format.ts prints a number with toFixed(9) and the text as is; the display filter reads either
 * into exact (seconds, nanoseconds) pairs (filter/runtime.ts FieldTime). Only Tree.relTime calls
 * this, and only for a wanted field, so the summary path builds nothing.
 */
export function relTimeValue(aSec: number, aNsec: number, bSec: number, bNsec: number): number | string {
  const v = aSec - bSec + (aNsec - bNsec) / 1e9;
  return Math.abs(v) >= EXACT_DOUBLE_SECONDS ? relTimeText(aSec, aNsec, bSec, bNsec) : v;
}

/**
 * a - b as tshark prints a relative time: nstime_delta's seconds and nanoseconds (both of the
 * sign of the difference), then "%d.%09d" of them with a "-" before a zero seconds part when the
 * nanoseconds are negative ("-0.000000001"). The nanoseconds are subtracted exactly, where tshark's
 * 32-bit arithmetic wraps on an invalid fraction of the file (tcpdump-timestamp_invalid_nano.pcap).
 */
export function relTimeText(aSec: number, aNsec: number, bSec: number, bNsec: number): string {
  let sec = aSec - bSec;
  let nsec = aNsec - bNsec;
  if (sec > 0 && nsec < 0) {
    nsec += 1e9;
    sec -= 1;
  } else if (sec < 0 && nsec > 0) {
    nsec -= 1e9;
    sec += 1;
  }
  if (nsec < 0) return (sec === 0 ? "-0." : sec + ".") + String(-nsec).padStart(9, "0");
  return sec + "." + String(nsec).padStart(9, "0");
}

/** "1362692526.869344000": seconds and nanoseconds joined without floating point loss. */
export function epochText(sec: number, nsec: number): string {
  // pcap files may carry an out-of-range fraction; print it the way tshark does.
  if (nsec < 0) return "-" + sec + "." + String(-nsec).padStart(9, "0");
  const neg = sec < 0;
  return (neg ? "-" : "") + Math.abs(sec) + "." + String(nsec).padStart(9, "0");
}

// ---- bounded state tables ----

/**
 * Per-connection records of a TCP payload protocol, in a ring indexed by tcp.stream and reused,
 * so a capture of many short connections makes no garbage. A connection `size` streams older
 * than the newest shares its slot with a newer one and loses its record (`reset` starts it
 * afresh when the slot changes hands).
 */
export class StreamRing<T extends { stream: number }> {
  private readonly ring: (T | undefined)[];

  constructor(private readonly size: number, private readonly make: () => T, private readonly reset: (r: T) => void) {
    this.ring = new Array<T | undefined>(size).fill(undefined);
  }

  /** The record of TCP stream `stream` (>= 0). */
  get(stream: number): T {
    const i = stream % this.size;
    let r = this.ring[i];
    if (r === undefined) {
      r = this.make();
      this.ring[i] = r;
    }
    if (r.stream !== stream) {
      r.stream = stream;
      this.reset(r);
    }
    return r;
  }
}

/**
 * A bounded hash table from fixed-width numeric keys (`width` 32-bit words) to slots, for state a
 * dissector keeps across packets (conversations, request/reply transactions).
 *
 * The caller writes the key into `key` (one scratch array reused for every lookup, so a lookup
 * builds no string and allocates nothing), then calls `find` or `insert`. Numeric values live in
 * `vals`, `valueWidth` numbers per slot from `slot * valueWidth`; other values may live in the
 * caller's arrays indexed by slot: slots are handed out in order 0, 1, 2... (then reused), so a
 * plain array written at every `insert` stays dense. Full keys are stored and compared, so two
 * keys with the same hash never share an entry.
 *
 * Entries are kept in recency order: `insert` and `touch` make an entry the newest. Inserting into
 * a full table evicts the oldest entry and returns its slot for the new one (the caller's values
 * there are overwritten).
 *
 * Memory: the per-slot arrays (keys, values, recency links) are typed arrays sized for `capacity`
 * up front, outside the JS heap. They are zero-filled, so the system maps their pages on first
 * write, and slots are used in order: resident memory follows the entries actually held, and
 * nothing is reallocated or copied as the table fills (growing by copying left the old arrays'
 * memory to the allocator and cost more than the table itself). Only the index (open addressing,
 * linear probing, at most half full; `remove` shifts entries back instead of leaving tombstones)
 * is rebuilt, doubling, as the table fills.
 */
export class KeyTable {
  /** Scratch key for the next `find` / `insert`. */
  readonly key: Uint32Array;
  /** Per-slot values, `valueWidth` each. */
  readonly vals: Float64Array;
  private readonly width: number;
  private readonly keys: Uint32Array;
  private readonly hashes: Uint32Array;
  /** Recency list (slot numbers, -1 at the ends); `newer` also links the free list. */
  private readonly older: Int32Array;
  private readonly newer: Int32Array;
  private index = new Int32Array(0);
  private mask = 0;
  private newest = -1;
  private oldest = -1;
  private freeHead = -1;
  private used = 0;
  private count = 0;
  /** Entries dropped to make room since the table was made. */
  evictions = 0;

  constructor(width: number, readonly capacity: number, valueWidth = 0) {
    if (!(width >= 1) || !(capacity >= 1)) throw new RangeError("KeyTable needs a width and a capacity of at least 1");
    this.width = width;
    this.key = new Uint32Array(width);
    this.keys = new Uint32Array(capacity * width);
    this.vals = new Float64Array(capacity * valueWidth);
    this.hashes = new Uint32Array(capacity);
    this.older = new Int32Array(capacity);
    this.newer = new Int32Array(capacity);
    this.rebuildIndex(Math.min(capacity, 512));
  }

  /** Live entries (never more than `capacity`). */
  get size(): number {
    return this.count;
  }

  /** The slot `insert` evicts when the table is full: the least recently used one (-1 when empty). */
  get oldestSlot(): number {
    return this.oldest;
  }

  /** The slot holding `key`, or -1. */
  find(): number {
    const h = this.hashKey();
    const index = this.index, hashes = this.hashes, mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const e = index[i]!;
      if (e === 0) return -1;
      if (hashes[e - 1] === h && this.sameKey(e - 1)) return e - 1;
    }
  }

  /**
   * Adds `key` (which must not be present: `find` first) as the newest entry and returns its slot,
   * evicting the oldest entry when the table is full.
   */
  insert(): number {
    if (this.count >= this.capacity) {
      this.remove(this.oldest);
      this.evictions++;
    } else if (2 * (this.count + 1) > this.index.length) {
      this.rebuildIndex(Math.min(this.capacity, this.index.length));
    }
    let s = this.freeHead;
    if (s >= 0) this.freeHead = this.newer[s]!;
    else s = this.used++;
    const w = this.width, keys = this.keys, k = this.key;
    for (let i = 0; i < w; i++) keys[s * w + i] = k[i]!;
    const h = this.hashKey();
    this.hashes[s] = h;
    this.place(s, h);
    this.link(s);
    this.count++;
    return s;
  }

  /** Makes `slot` the newest entry. */
  touch(slot: number): void {
    if (slot === this.newest) return;
    this.unlink(slot);
    this.link(slot);
  }

  /** Drops the entry in `slot`. */
  remove(slot: number): void {
    const index = this.index, hashes = this.hashes, mask = this.mask;
    let i = hashes[slot]! & mask;
    while (index[i] !== slot + 1) i = (i + 1) & mask;
    // Backward-shift deletion: pull later entries of the probe run into the hole when their home
    // position is not inside (hole, j].
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const e = index[j]!;
      if (e === 0) break;
      const home = hashes[e - 1]! & mask;
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        index[i] = e;
        i = j;
      }
    }
    index[i] = 0;
    this.unlink(slot);
    this.newer[slot] = this.freeHead;
    this.freeHead = slot;
    this.count--;
  }

  private hashKey(): number {
    // murmur3's 32-bit mixing over the key words.
    const k = this.key, w = this.width;
    let h = 0x9747b28c ^ w;
    for (let i = 0; i < w; i++) {
      let x = Math.imul(k[i]!, 0xcc9e2d51);
      x = Math.imul((x << 15) | (x >>> 17), 0x1b873593);
      h ^= x;
      h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  }

  private sameKey(s: number): boolean {
    const w = this.width, keys = this.keys, k = this.key;
    const base = s * w;
    for (let i = 0; i < w; i++) if (keys[base + i] !== k[i]) return false;
    return true;
  }

  private place(s: number, h: number): void {
    const index = this.index, mask = this.mask;
    let i = h & mask;
    while (index[i] !== 0) i = (i + 1) & mask;
    index[i] = s + 1;
  }

  private link(s: number): void {
    this.older[s] = this.newest;
    this.newer[s] = -1;
    if (this.newest >= 0) this.newer[this.newest] = s;
    else this.oldest = s;
    this.newest = s;
  }

  private unlink(s: number): void {
    const o = this.older[s]!, n = this.newer[s]!;
    if (o >= 0) this.newer[o] = n;
    else this.oldest = n;
    if (n >= 0) this.older[n] = o;
    else this.newest = o;
  }

  /** A new index with room for `n` entries at most half full, holding every live entry. */
  private rebuildIndex(n: number): void {
    let size = 2;
    while (size < 2 * n) size *= 2;
    this.index = new Int32Array(size);
    this.mask = size - 1;
    for (let s = this.oldest; s >= 0; s = this.newer[s]!) this.place(s, this.hashes[s]!);
  }
}

/** Reads 4 bytes big-endian as an unsigned 32-bit key word. */
export function keyWord(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;
}

/**
 * Writes an address of `alen` bytes (0, 4 or 16) into key words k[at]..k[at+3], zero-filled, so
 * IPv4 and IPv6 keys share one width.
 */
export function putAddrKey(k: Uint32Array, at: number, d: Uint8Array, off: number, alen: number): void {
  for (let i = 0; i < 4; i++) k[at + i] = 4 * i < alen ? keyWord(d, off + 4 * i) : 0;
}

/**
 * Orders two endpoints (address bytes, then port) so either direction of a conversation builds
 * the same key: negative when (a, aport) comes first, 0 when they are equal.
 */
export function compareEndpoints(d: Uint8Array, a: number, aport: number, b: number, bport: number, alen: number): number {
  for (let i = 0; i < alen; i++) {
    const x = d[a + i]!, y = d[b + i]!;
    if (x !== y) return x - y;
  }
  return aport - bport;
}
