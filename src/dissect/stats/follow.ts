// tshark's `-z follow,PROTO,MODE,FILTER[,RANGE]` for TCP and UDP: the payload of one stream, in
// the order the receiving application saw it, as ASCII, hex dump, raw hex, EBCDIC or YAML.
//
// As in Wireshark, TCP and UDP offer each segment or datagram to a tap (Session.followTcp /
// followUdp, null unless a follow was asked for, so other runs pay one null test per segment).
// The tap only notes where the payload lies; once the frame is dissected, the follow's display
// filter ("tcp.stream eq 0", or the address/port pairs) decides whether the frame belongs to the
// stream, and only then are bytes copied. TCP data is put in sequence order the way Wireshark
// 4.0's follow does it: retransmitted bytes are dropped, segments that arrive early wait until the
// gap before them is filled, and a gap that the other side acknowledges is shown as
// "[N bytes missing in capture file]".
import { compileFilter, type CompiledFilter } from "../filter/index.js";
import { ipv4StringAt, ipv6ToString } from "../format.js";
import type { Packet } from "../packet.js";
import type { Session } from "../session.js";
import type { Tree } from "../tree.js";

export type FollowProto = "tcp" | "udp";
export type FollowMode = "ascii" | "hex" | "raw" | "yaml" | "ebcdic";
export const FOLLOW_MODES: readonly FollowMode[] = ["ascii", "hex", "raw", "yaml", "ebcdic"];

/** Followers tshark has that arpx does not (their payload needs decryption or PDU reassembly). */
const OTHER_FOLLOWERS = new Set(["tls", "ssl", "http", "http2", "quic", "sip", "dccp", "websocket", "usbcom"]);

export interface FollowEndpoint {
  v6: boolean;
  bytes: Uint8Array;
  port: number;
}

export interface FollowSpec {
  proto: FollowProto;
  mode: FollowMode;
  /** tcp.stream / udp.stream to follow, or -1 when `endpoints` name the stream. */
  stream: number;
  endpoints: [FollowEndpoint, FollowEndpoint] | null;
  /** Chunks shown, 1-based and inclusive (tshark's RANGE). */
  chunkMin: number;
  chunkMax: number;
  /** The display filter that picks the stream's frames, as tshark prints it. */
  filter: string;
}

/**
 * Parses `follow,PROTO,MODE,FILTER[,RANGE]` the way tshark 4.0 reads it. Returns the spec, or a
 * one-line message saying what is wrong.
 */
export function parseFollowSpec(spec: string): FollowSpec | string {
  const m = /^follow,([^,]*)/.exec(spec);
  if (!m) return `follow: missing arguments (follow,tcp|udp,MODE,FILTER[,RANGE])`;
  const name = m[1]!;
  if (name !== "tcp" && name !== "udp") {
    if (OTHER_FOLLOWERS.has(name)) return `follow: only tcp and udp streams can be followed, not ${name} (follow,tcp|udp,MODE,FILTER[,RANGE])`;
    return `follow: unknown protocol "${name}" (follow,tcp|udp,MODE,FILTER[,RANGE])`;
  }
  const proto: FollowProto = name;
  let rest = spec.slice(m[0].length);
  const mode = FOLLOW_MODES.find((x) => rest.startsWith("," + x) && (rest.length === x.length + 1 || rest[x.length + 1] === ","));
  if (mode === undefined) {
    const given = rest.split(",")[1] ?? "";
    return `follow: invalid display mode "${given}" (${FOLLOW_MODES.join(", ")})`;
  }
  rest = rest.slice(mode.length + 1);

  let stream = -1;
  let endpoints: [FollowEndpoint, FollowEndpoint] | null = null;
  const idx = /^,([+-]?\d+)(?=,|$)/.exec(rest);
  if (idx) {
    const n = Number(idx[1]);
    if (n < 0 || n > 0x7fffffff) return `follow: invalid stream index "${idx[1]}"`;
    stream = n;
    rest = rest.slice(idx[0].length);
  } else {
    const eps: FollowEndpoint[] = [];
    for (let i = 0; i < 2; i++) {
      const v6 = /^,\[([^\]]{1,80})\]:([+-]?\d+)/.exec(rest);
      const v4 = v6 ? null : /^,([^:]{1,80}):([+-]?\d+)/.exec(rest);
      const a = v6 ?? v4;
      if (!a) {
        const what = rest !== "" ? `invalid stream "${rest.slice(1)}"` : i === 0 ? "no stream given" : "the second ADDR:PORT is missing";
        return `follow: ${what} (a stream index, or ADDR:PORT,ADDR:PORT with IPv6 addresses in brackets)`;
      }
      const port = Number(a[2]);
      if (!(port > 0 && port <= 65535)) return `follow: invalid port "${a[2]}"`;
      const bytes = v6 ? parseIPv6(a[1]!) : parseIPv4(a[1]!);
      if (!bytes) return `follow: invalid ${v6 ? "IPv6" : "IPv4"} address "${a[1]}"`;
      eps.push({ v6: v6 !== null, bytes, port });
      rest = rest.slice(a[0].length);
    }
    if (eps[0]!.v6 !== eps[1]!.v6) return "follow: mismatched IP address types";
    endpoints = [eps[0]!, eps[1]!];
  }

  let chunkMin = 1;
  let chunkMax = 0xffffffff;
  if (rest !== "") {
    const r = /^,(\d+)(?:-(\d+))?/.exec(rest);
    if (!r) return `follow: invalid range "${rest.slice(1)}" (N or N-M)`;
    chunkMin = Number(r[1]);
    chunkMax = r[2] !== undefined ? Number(r[2]) : chunkMin;
    if (chunkMin < 1 || chunkMin > chunkMax || chunkMax > 0xffffffff) return `follow: invalid range "${r[0].slice(1)}" (chunks count from 1)`;
    rest = rest.slice(r[0].length);
    if (rest !== "") return `follow: unexpected "${rest}" after the range`;
  }

  let filter: string;
  if (endpoints === null) filter = `${proto}.stream eq ${stream}`;
  else {
    const [a, b] = endpoints;
    const ip = a.v6 ? "ipv6" : "ip";
    const at = addrText(a), bt = addrText(b);
    filter =
      `((${ip}.src eq ${at} and ${proto}.srcport eq ${a.port}) and (${ip}.dst eq ${bt} and ${proto}.dstport eq ${b.port}))` +
      ` or ((${ip}.src eq ${bt} and ${proto}.srcport eq ${b.port}) and (${ip}.dst eq ${at} and ${proto}.dstport eq ${a.port}))`;
  }
  return { proto, mode, stream, endpoints, chunkMin, chunkMax, filter };
}

function addrText(e: FollowEndpoint): string {
  return e.v6 ? ipv6ToString(e.bytes) : ipv4StringAt(e.bytes, 0);
}

function parseIPv4(s: string): Uint8Array | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const b = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const v = Number(m[i + 1]);
    if (v > 255) return null;
    b[i] = v;
  }
  return b;
}

/** inet_pton(AF_INET6): hex groups, one "::", an optional dotted IPv4 tail. */
export function parseIPv6(s: string): Uint8Array | null {
  const out = new Uint8Array(16);
  const dbl = s.indexOf("::");
  if (dbl !== s.lastIndexOf("::") || s === "") return null;
  const groups = (part: string): number[] | null => {
    if (part === "") return [];
    const g: number[] = [];
    const items = part.split(":");
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (i === items.length - 1 && it.includes(".")) {
        const v4 = parseIPv4(it);
        if (!v4) return null;
        g.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return null;
        g.push(parseInt(it, 16));
      }
    }
    return g;
  };
  let all: number[];
  if (dbl < 0) {
    const g = groups(s);
    if (!g || g.length !== 8) return null;
    all = g;
  } else {
    const head = groups(s.slice(0, dbl));
    const tail = groups(s.slice(dbl + 2));
    if (!head || !tail || head.length + tail.length > 7) return null;
    all = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  all.forEach((v, i) => {
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 0xff;
  });
  return out;
}

// ---- the taps ----

/** One payload offered by TCP or UDP during the current frame (objects reused frame to frame). */
interface Offer {
  tcp: boolean;
  d: Uint8Array;
  body: number;
  end: number;
  seq: number;
  ack: number;
  flags: number;
  seglen: number;
  /** Network-layer addresses (pinfo->src / dst) and ports. */
  addrData: Uint8Array;
  srcOff: number;
  dstOff: number;
  alen: number;
  sport: number;
  dport: number;
}

/**
 * The follows of one dissection run: owns the session's taps and hands each frame's offers to
 * the follows whose filter the frame passes.
 */
export class FollowTaps {
  private readonly follows: FollowStream[] = [];
  private readonly offers: Offer[] = [];
  private count = 0;
  private num = -1;
  private haveTcp = false;
  private haveUdp = false;

  add(f: FollowStream): void {
    this.follows.push(f);
    if (f.spec.proto === "tcp") this.haveTcp = true;
    else this.haveUdp = true;
  }

  /** Every field the follows' filters read (the engine must record them). */
  get fields(): CompiledFilter["fields"] {
    return this.follows.flatMap((f) => [...f.filter.fields]);
  }

  /** Installs the taps on the session the engine dissects with. */
  attach(s: Session): void {
    if (this.haveTcp) {
      s.followTcp = (p, d, body, end, seq, ack, flags, seglen) => {
        const o = this.offer(p, d, body, end);
        if (o === null) return;
        o.tcp = true;
        o.seq = seq;
        o.ack = ack;
        o.flags = flags;
        o.seglen = seglen;
      };
    }
    if (this.haveUdp) {
      s.followUdp = (p, d, body, end) => {
        const o = this.offer(p, d, body, end);
        if (o !== null) o.tcp = false;
      };
    }
  }

  private offer(p: Packet, d: Uint8Array, body: number, end: number): Offer | null {
    const alen = p.ipVersion === 4 ? 4 : p.ipVersion === 6 ? 16 : 0;
    if (alen === 0 || p.ipSrcOff < 0 || p.ipDstOff < 0) return null;
    if (this.num !== p.num) {
      this.num = p.num;
      this.count = 0;
    }
    let o = this.offers[this.count];
    if (o === undefined) {
      o = { tcp: false, d, body: 0, end: 0, seq: 0, ack: 0, flags: 0, seglen: 0, addrData: d, srcOff: 0, dstOff: 0, alen: 0, sport: 0, dport: 0 };
      this.offers.push(o);
    }
    this.count++;
    o.d = d;
    o.body = body;
    o.end = end;
    o.addrData = p.ipData;
    o.srcOff = p.ipSrcOff;
    o.dstOff = p.ipDstOff;
    o.alen = alen;
    o.sport = p.srcPort;
    o.dport = p.dstPort;
    return o;
  }

  /** After the frame is dissected (its fields in `tree`): delivers its offers to the follows. */
  frame(p: Packet, tree: Tree): void {
    if (this.num !== p.num || this.count === 0) return;
    const n = this.count;
    this.count = 0;
    for (const f of this.follows) {
      const tcp = f.spec.proto === "tcp";
      let tested = false;
      for (let i = 0; i < n; i++) {
        const o = this.offers[i]!;
        if (o.tcp !== tcp) continue;
        if (!tested) {
          if (!f.filter.test(tree)) break;
          tested = true;
        }
        if (tcp) f.tcpSegment(p, o);
        else f.udpDatagram(p, o);
      }
    }
  }
}

// ---- one followed stream ----

interface Chunk {
  server: boolean;
  num: number;
  sec: number;
  nsec: number;
  /** Sequence number of the first byte (TCP). */
  seq: number;
  data: Uint8Array;
}

const TH_SYN = 0x002;
const lt = (a: number, b: number): boolean => ((a - b) | 0) < 0;
const gt = (a: number, b: number): boolean => ((b - a) | 0) < 0;

export class FollowStream {
  readonly filter: CompiledFilter;
  /** Node 0 is the source of the first frame seen, node 1 its destination. */
  private client: Uint8Array = new Uint8Array(0);
  private clientPort = 0;
  private server: Uint8Array = new Uint8Array(0);
  private serverPort = 0;
  /** Next expected sequence number and bytes shown, per direction (0: from node 0). */
  private readonly seq = [0, 0];
  private readonly written = [0, 0];
  /** Segments that arrived ahead of a gap, per direction. */
  private readonly fragments: Chunk[][] = [[], []];
  private readonly chunks: Chunk[] = [];

  constructor(readonly spec: FollowSpec) {
    this.filter = compileFilter(spec.filter);
  }

  private endpoints(o: Offer): boolean {
    if (this.clientPort === 0) {
      this.client = o.addrData.slice(o.srcOff, o.srcOff + o.alen);
      this.clientPort = o.sport;
      this.server = o.addrData.slice(o.dstOff, o.dstOff + o.alen);
      this.serverPort = o.dport;
    }
    return !(o.sport === this.clientPort && sameBytes(o.addrData, o.srcOff, o.alen, this.client));
  }

  /** Wireshark's follow_tcp_tap_listener. */
  tcpSegment(p: Packet, o: Offer): void {
    let sequence = o.seq;
    let length = o.seglen;
    let dataOffset = 0;
    let dataLength = Math.max(0, o.end - o.body);
    if (o.flags & TH_SYN) sequence = (sequence + 1) >>> 0;
    const server = this.endpoints(o);
    const dir = server ? 1 : 0;
    // This frame may acknowledge data of the other direction that the capture missed.
    if (this.fragments[1 - dir]!.length > 0) while (this.applyFragments(1 - dir, o.ack, p.num, true));
    if (this.written[dir] === 0 && this.seq[dir] === 0) this.seq[dir] = sequence;
    const expected = this.seq[dir]!;
    if (lt(sequence, expected)) {
      // Starts before what was seen: keep only what is new (a retransmission with more data).
      const next = (sequence + length) >>> 0;
      if (gt(next, expected)) {
        dataOffset = (expected - sequence) >>> 0;
        dataLength = dataLength <= dataOffset ? 0 : dataLength - dataOffset;
        sequence = expected;
        length = (next - expected) >>> 0;
      }
    }
    if (dataLength === 0 || lt(sequence, this.seq[dir]!)) return;
    const start = o.body + dataOffset;
    const chunk: Chunk = { server, num: p.num, sec: p.tsSec, nsec: p.tsNsec, seq: sequence, data: o.d.slice(start, start + dataLength) };
    if (sequence === this.seq[dir]) {
      this.seq[dir] = (this.seq[dir]! + length) >>> 0;
      this.written[dir]! += chunk.data.length;
      this.chunks.push(chunk);
      while (this.applyFragments(dir, 0, p.num, false));
    } else this.fragments[dir]!.push(chunk);
  }

  /**
   * Wireshark's check_follow_fragments: moves one waiting segment that now fits onto the stream
   * (or, with `useAck`, marks the bytes before the first one as missing once they were
   * acknowledged). True when something was done.
   */
  private applyFragments(dir: number, acked: number, num: number, useAck: boolean): boolean {
    const list = this.fragments[dir]!;
    if (list.length === 0) return false;
    let lowest = list[0]!.seq;
    for (let i = 0; i < list.length; i++) {
      const f = list[i]!;
      if (gt(lowest, f.seq)) lowest = f.seq;
      const expected = this.seq[dir]!;
      if (lt(f.seq, expected)) {
        const end = (f.seq + f.data.length) >>> 0;
        if (gt(end, expected)) {
          const newPos = (expected - f.seq) >>> 0;
          if (f.data.length > newPos) this.chunks.push({ ...f, seq: expected, data: f.data.subarray(newPos) });
          this.seq[dir] = (expected + (f.data.length - newPos)) >>> 0;
        }
        list.splice(i, 1);
        return true;
      }
      if (f.seq === expected) {
        if (f.data.length > 0) this.chunks.push(f);
        this.seq[dir] = (expected + f.data.length) >>> 0;
        list.splice(i, 1);
        return true;
      }
    }
    if (useAck && gt(acked, lowest)) {
      const text = `[${(lowest - this.seq[dir]!) | 0} bytes missing in capture file]`;
      const data = new Uint8Array(text.length + 1); // with the C string's NUL, as Wireshark
      for (let i = 0; i < text.length; i++) data[i] = text.charCodeAt(i);
      this.chunks.push({ server: dir === 1, num, sec: 0, nsec: 0, seq: lowest, data });
      this.seq[dir] = lowest;
      return true;
    }
    return false;
  }

  /**
   * Wireshark's follow_tvb_tap_listener: every datagram is a chunk. One with none of its payload
   * captured is not (tshark 4.0 fails to read it and drops it); an empty one never reaches the tap.
   */
  udpDatagram(p: Packet, o: Offer): void {
    if (o.end <= o.body) return;
    const server = this.endpoints(o);
    const data = o.d.slice(o.body, o.end);
    this.written[server ? 1 : 0]! += data.length;
    this.chunks.push({ server, num: p.num, sec: p.tsSec, nsec: p.tsNsec, seq: 0, data });
  }

  /** tshark's output for this follow, written piece by piece. */
  print(write: (s: string) => void): void {
    const spec = this.spec;
    const v6 = this.client.length === 16;
    const host = (a: Uint8Array): string => (a.length === 16 ? ipv6ToString(a) : a.length === 4 ? ipv4StringAt(a, 0) : "");
    if (spec.mode === "yaml") {
      write(`peers:\n  - peer: 0\n    host: ${host(this.client)}\n    port: ${this.clientPort}\n`);
      write(`  - peer: 1\n    host: ${host(this.server)}\n    port: ${this.serverPort}\npackets:\n`);
    } else {
      const node = (a: Uint8Array, port: number) => (v6 ? `[${host(a)}]:${port}` : `${host(a)}:${port}`);
      write(`\n${SEPARATOR}Follow: ${spec.proto},${spec.mode}\nFilter: ${spec.filter}\n`);
      write(`Node 0: ${node(this.client, this.clientPort)}\nNode 1: ${node(this.server, this.serverPort)}\n`);
    }
    const pos = [0, 0];
    for (let i = 0; i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
      const n = i + 1;
      const dir = c.server ? 1 : 0;
      if (n < spec.chunkMin || n > spec.chunkMax) {
        pos[dir]! += c.data.length;
        continue;
      }
      const tab = c.server ? "\t" : "";
      switch (spec.mode) {
        case "ascii":
        case "ebcdic":
          write(`${tab}${c.data.length}\n${text(c.data, spec.mode === "ebcdic")}`);
          break;
        case "hex":
          write(hexDump(tab, pos[dir]!, c.data));
          pos[dir]! += c.data.length;
          break;
        case "raw":
          write(`${tab}${Buffer.from(c.data).toString("hex")}\n`);
          break;
        case "yaml": {
          let s = `  - packet: ${c.num}\n    peer: ${dir}\n    timestamp: ${fixed9(c.sec + c.nsec / 1e9)}\n    data: !!binary |\n`;
          for (let o = 0; o < c.data.length; o += 57) s += `      ${Buffer.from(c.data.subarray(o, o + 57)).toString("base64")}\n`;
          write(s);
          break;
        }
      }
    }
    if (spec.mode !== "yaml") write(SEPARATOR);
  }
}

/**
 * printf("%.9f", x): the double's exact binary value rounded half to even (toFixed rounds ties
 * up, and at epoch magnitudes a double's fraction often ends in an exact tie at 9 digits).
 */
export function fixed9(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const neg = x < 0 || Object.is(x, -0);
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(x));
  const hi = buf.getUint32(0), lo = buf.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp = bexp - 1075;
  if (bexp === 0) exp = -1074;
  else mant |= 1n << 52n;
  let q: bigint;
  if (exp >= 0) q = (mant << BigInt(exp)) * 1_000_000_000n;
  else {
    const num = mant * 1_000_000_000n;
    const den = 1n << BigInt(-exp);
    q = num / den;
    const r2 = (num % den) * 2n;
    if (r2 > den || (r2 === den && (q & 1n) === 1n)) q++;
  }
  const digits = q.toString().padStart(10, "0");
  return (neg ? "-" : "") + digits.slice(0, -9) + "." + digits.slice(-9);
}

const SEPARATOR = "===================================================================\n";

function sameBytes(d: Uint8Array, off: number, len: number, b: Uint8Array): boolean {
  if (b.length !== len) return false;
  for (let i = 0; i < len; i++) if (d[off + i] !== b[i]) return false;
  return true;
}

/**
 * What tshark 4.0's EBCDIC mode prints for the bytes its ASCII pass leaves (printable ASCII, CR,
 * LF): Wireshark runs that text through its EBCDIC table again. Index: byte - 0x20.
 */
const EBCDIC_PRINTABLE = " !\"#$%&'()*+,-./..23456789:;<=.? ...........<(+|&.........!$*);^-/........|,%_>?..........:#@'=";

/** ASCII mode: printable bytes, CR and LF as they are, others as '.'; then a newline. */
function text(d: Uint8Array, ebcdic: boolean): string {
  let s = "";
  for (let i = 0; i < d.length; i++) {
    const c = d[i]!;
    const a = c === 13 || c === 10 || (c >= 0x20 && c < 0x7f) ? c : 0x2e;
    s += ebcdic && a >= 0x20 ? EBCDIC_PRINTABLE[a - 0x20]! : String.fromCharCode(a);
  }
  return s + "\n";
}

/**
 * tshark's follow hex dump: 16 bytes a line, "%08X" offset, hex with an extra space after the
 * eighth byte, then the printable text; a space ending the text is dropped.
 */
function hexDump(prefix: string, offset: number, d: Uint8Array): string {
  let out = "";
  const HEX = "0123456789abcdef";
  for (let i = 0; i < d.length; i += 16) {
    const line: string[] = (((offset + i) >>> 0).toString(16).toUpperCase().padStart(8, "0") + " ".repeat(52)).split("");
    let jj = 10;
    let kk = 60;
    const end = Math.min(d.length, i + 16);
    for (let k = i; k < end; k++) {
      const v = d[k]!;
      line[jj++] = HEX[v >> 4]!;
      line[jj++] = HEX[v & 15]!;
      jj++;
      line[kk++] = v >= 0x20 && v < 0x7f ? String.fromCharCode(v) : ".";
      if ((k + 1 - i) === 8) {
        line[jj++] = " ";
        line[kk++] = " ";
      }
    }
    if (line[kk - 1] === " ") kk--;
    out += prefix + line.slice(0, kk).join("") + "\n";
  }
  return out;
}
