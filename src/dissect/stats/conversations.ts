// Conversations and endpoints at the Ethernet, IPv4/IPv6, TCP and UDP levels, as tshark's
// `-z conv,TYPE` and `-z endpoints,TYPE`. Keys are built only for these tables, never on the
// plain read path.
import { ipv4StringAt, ipv6ToString } from "../format.js";
import { macNameAt } from "../mac-names.js";
import { Tap, type Packet } from "../packet.js";

export type ConvType = "eth" | "ip" | "ipv6" | "tcp" | "udp";
export const CONV_TYPES: readonly ConvType[] = ["eth", "ip", "ipv6", "tcp", "udp"];

export interface Conversation {
  a: string;
  b: string;
  /** Frames and bytes from a to b, and from b to a. */
  framesAB: number;
  bytesAB: number;
  framesBA: number;
  bytesBA: number;
  firstSec: number;
  firstNsec: number;
  lastSec: number;
  lastNsec: number;
}

export interface Endpoint {
  addr: string;
  txFrames: number;
  txBytes: number;
  rxFrames: number;
  rxBytes: number;
}

/** Address bytes of one endpoint, then the port's two bytes for TCP and UDP. */
const KEY = Buffer.alloc(18);

/**
 * The source (or destination) endpoint of `p` at this level as a short latin1 string of its raw
 * bytes, or null when the packet has no such endpoint. Text is made only when printed.
 */
function endpointKey(p: Packet, type: ConvType, src: boolean): string | null {
  // The link layer's addresses are in the frame; the network layer's in p.ipData.
  let d = p.ipData;
  let off: number, len: number;
  switch (type) {
    case "eth":
      // Linux cooked headers carry the source address only: no Ethernet conversation, as in tshark.
      if (p.dlSrcOff < 0 || p.dlDstOff < 0) return null;
      d = p.data;
      off = src ? p.dlSrcOff : p.dlDstOff;
      len = 6;
      break;
    case "ip":
      if (p.ipVersion !== 4 || (p.taps & Tap.IP) === 0) return null;
      off = src ? p.ipSrcOff : p.ipDstOff;
      len = 4;
      break;
    case "ipv6":
      if (p.ipVersion !== 6) return null;
      off = src ? p.ipSrcOff : p.ipDstOff;
      len = 16;
      break;
    case "tcp":
    case "udp": {
      if ((p.taps & (type === "tcp" ? Tap.TCP : Tap.UDP)) === 0 || p.srcPort < 0 || p.ipVersion === 0) return null;
      off = src ? p.ipSrcOff : p.ipDstOff;
      len = p.ipVersion === 4 ? 4 : 16;
      const port = src ? p.srcPort : p.dstPort;
      KEY[len] = port >> 8;
      KEY[len + 1] = port & 0xff;
      KEY.set(d.subarray(off, off + len));
      return KEY.toString("latin1", 0, len + 2);
    }
  }
  KEY.set(d.subarray(off, off + len));
  return KEY.toString("latin1", 0, len);
}

/** The text tshark prints for an endpoint key. */
function endpointText(key: string, type: ConvType): string {
  const b = Uint8Array.from(key, (c) => c.charCodeAt(0));
  switch (type) {
    case "eth": return macNameAt(b, 0);
    case "ip": return ipv4StringAt(b, 0);
    case "ipv6": return ipv6ToString(b, 0);
    default: {
      const alen = b.length - 2;
      return `${alen === 4 ? ipv4StringAt(b, 0) : ipv6ToString(b, 0)}:${(b[alen]! << 8) | b[alen + 1]!}`;
    }
  }
}

// Numbers kept per conversation: whether A is the lower endpoint, frames and bytes each way, first
// and last times. Per endpoint: frames and bytes sent and received.
const C_A_LOW = 0, C_FRAMES_AB = 1, C_BYTES_AB = 2, C_FRAMES_BA = 3, C_BYTES_BA = 4;
const C_FIRST_SEC = 5, C_FIRST_NSEC = 6, C_LAST_SEC = 7, C_LAST_NSEC = 8, C_WIDTH = 9;
const E_TX_FRAMES = 0, E_TX_BYTES = 1, E_RX_FRAMES = 2, E_RX_BYTES = 3, E_WIDTH = 4;

/** Rows of numbers in one growing Float64Array (a conversation costs no object until printed). */
class Rows {
  v: Float64Array;
  n = 0;
  constructor(readonly width: number) {
    this.v = new Float64Array(width * 1024);
  }

  /** A new zeroed row; returns its first index. */
  add(): number {
    if ((this.n + 1) * this.width > this.v.length) {
      const bigger = new Float64Array(this.v.length * 2);
      bigger.set(this.v);
      this.v = bigger;
    }
    return this.n++ * this.width;
  }
}

/**
 * Every conversation and endpoint of one level. Like tshark's, the tables keep every
 * conversation of the capture; each costs its key (the raw endpoint bytes as a short string),
 * a map entry and nine numbers.
 */
export class ConversationTable {
  private readonly convs = new Map<string, number>();
  private readonly convRows = new Rows(C_WIDTH);
  /** Key of each conversation and endpoint by its number (the same strings as the maps hold). */
  private readonly convKeys: string[] = [];
  private readonly eps = new Map<string, number>();
  private readonly epRows = new Rows(E_WIDTH);
  private readonly epKeys: string[] = [];

  constructor(readonly type: ConvType) {}

  add(p: Packet): void {
    const src = endpointKey(p, this.type, true);
    if (src === null) return;
    const dst = endpointKey(p, this.type, false)!;
    const srcLow = src <= dst;
    // Both endpoints' keys have the same length: the key splits back in the middle.
    const key = srcLow ? src + dst : dst + src;
    let r = this.convs.get(key);
    const v0 = this.convRows;
    if (r === undefined) {
      r = v0.add();
      this.convs.set(key, r);
      this.convKeys.push(key);
      const v = v0.v;
      v[r + C_A_LOW] = srcLow ? 1 : 0;
      v[r + C_FIRST_SEC] = p.tsSec;
      v[r + C_FIRST_NSEC] = p.tsNsec;
    }
    const v = v0.v;
    const ab = (v[r + C_A_LOW] === 1) === srcLow;
    v[r + (ab ? C_FRAMES_AB : C_FRAMES_BA)]! += 1;
    v[r + (ab ? C_BYTES_AB : C_BYTES_BA)]! += p.wireLen;
    v[r + C_LAST_SEC] = p.tsSec;
    v[r + C_LAST_NSEC] = p.tsNsec;
    this.count(src, E_TX_FRAMES, E_TX_BYTES, p.wireLen);
    this.count(dst, E_RX_FRAMES, E_RX_BYTES, p.wireLen);
  }

  private count(key: string, frames: number, bytes: number, len: number): void {
    let r = this.eps.get(key);
    if (r === undefined) {
      r = this.epRows.add();
      this.eps.set(key, r);
      this.epKeys.push(key);
    }
    const v = this.epRows.v;
    v[r + frames]! += 1;
    v[r + bytes]! += len;
  }

  get conversationCount(): number {
    return this.convRows.n;
  }

  get endpointCount(): number {
    return this.epRows.n;
  }

  /** Conversation numbers, most bytes first (tshark's order; first seen first among equals). */
  conversationOrder(): Uint32Array {
    const v = this.convRows.v;
    const total = (i: number) => v[i * C_WIDTH + C_BYTES_AB]! + v[i * C_WIDTH + C_BYTES_BA]!;
    return byteOrder(this.convRows.n, total);
  }

  /** Conversation `i` (a number from conversationOrder), its text made now. */
  conversation(i: number): Conversation {
    const v = this.convRows.v;
    const r = i * C_WIDTH;
    const key = this.convKeys[i]!;
    const low = key.slice(0, key.length / 2), high = key.slice(key.length / 2);
    const aLow = v[r + C_A_LOW] === 1;
    return {
      a: endpointText(aLow ? low : high, this.type), b: endpointText(aLow ? high : low, this.type),
      framesAB: v[r + C_FRAMES_AB]!, bytesAB: v[r + C_BYTES_AB]!, framesBA: v[r + C_FRAMES_BA]!, bytesBA: v[r + C_BYTES_BA]!,
      firstSec: v[r + C_FIRST_SEC]!, firstNsec: v[r + C_FIRST_NSEC]!, lastSec: v[r + C_LAST_SEC]!, lastNsec: v[r + C_LAST_NSEC]!,
    };
  }

  /** Endpoint numbers, most bytes first. */
  endpointOrder(): Uint32Array {
    const v = this.epRows.v;
    return byteOrder(this.epRows.n, (i) => v[i * E_WIDTH + E_TX_BYTES]! + v[i * E_WIDTH + E_RX_BYTES]!);
  }

  endpoint(i: number): Endpoint {
    const v = this.epRows.v;
    const r = i * E_WIDTH;
    return { addr: endpointText(this.epKeys[i]!, this.type), txFrames: v[r + E_TX_FRAMES]!, txBytes: v[r + E_TX_BYTES]!, rxFrames: v[r + E_RX_FRAMES]!, rxBytes: v[r + E_RX_BYTES]! };
  }

  /** All conversations, most bytes first. */
  conversations(): Conversation[] {
    return Array.from(this.conversationOrder(), (i) => this.conversation(i));
  }
}

/** 0..n-1 sorted by `bytes` descending, ties in their first-seen order. */
function byteOrder(n: number, bytes: (i: number) => number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order.sort((x, y) => bytes(y) - bytes(x) || x - y);
}
