// Frame builders for the transport-layer tests: Ethernet + IPv4/IPv6 + payload, with correct IP
// and ICMP checksums, so fixtures read like the packets they describe.
import { Engine } from "../../../src/dissect/engine.js";
import { fieldByName } from "../../../src/dissect/fields.js";
import { fieldValueText } from "../../../src/dissect/format.js";
import { TreeMode } from "../../../src/dissect/tree.js";

export const A4 = [10, 0, 0, 1];
export const B4 = [10, 0, 0, 2];
export const C4 = [10, 0, 0, 3];
export const A6 = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
export const B6 = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

export function u16(v: number): number[] {
  return [(v >> 8) & 0xff, v & 0xff];
}

export function u32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

function sum16(b: number[], init = 0): number {
  let s = init;
  for (let i = 0; i + 1 < b.length; i += 2) s += (b[i]! << 8) | b[i + 1]!;
  if (b.length % 2) s += b[b.length - 1]! << 8;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

export function cksum(b: number[], init = 0): number {
  return ~sum16(b, init) & 0xffff;
}

export function eth(payload: number[], type = 0x0800): number[] {
  return [0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, ...u16(type), ...payload];
}

export function ip4(src: number[], dst: number[], proto: number, payload: number[], opts: { ttl?: number; totalLength?: number } = {}): number[] {
  const total = opts.totalLength ?? 20 + payload.length;
  const h = [0x45, 0, ...u16(total), 0, 1, 0, 0, opts.ttl ?? 64, proto, 0, 0, ...src, ...dst];
  const c = cksum(h);
  h[10] = c >> 8;
  h[11] = c & 0xff;
  return [...h, ...payload];
}

export function ip6(src: number[], dst: number[], next: number, payload: number[], hop = 64): number[] {
  return [0x60, 0, 0, 0, ...u16(payload.length), next, hop, ...src, ...dst, ...payload];
}

export function udp(sport: number, dport: number, data: number[], opts: { length?: number; checksum?: number } = {}): number[] {
  return [...u16(sport), ...u16(dport), ...u16(opts.length ?? 8 + data.length), ...u16(opts.checksum ?? 0x1234), ...data];
}

export const SYN = 0x002, ACK = 0x010, FIN = 0x001, RST = 0x004, PSH = 0x008, URG = 0x020;

export function tcp(sport: number, dport: number, seq: number, ack: number, flags: number, opts: { win?: number; options?: number[]; data?: number[]; hlen?: number; urg?: number } = {}): number[] {
  const options = opts.options ?? [];
  const hl = opts.hlen ?? (20 + options.length) / 4;
  return [...u16(sport), ...u16(dport), ...u32(seq), ...u32(ack), (hl << 4) | (flags >> 8), flags & 0xff,
    ...u16(opts.win ?? 1000), 0x12, 0x34, ...u16(opts.urg ?? 0), ...options, ...(opts.data ?? [])];
}

/** ICMP message with a correct checksum. */
export function icmp(type: number, code: number, rest: number[], body: number[]): number[] {
  const m = [type, code, 0, 0, ...rest, ...body];
  const c = cksum(m);
  m[2] = c >> 8;
  m[3] = c & 0xff;
  return m;
}

/** ICMPv6 message with a correct checksum for the given addresses. */
export function icmp6(src: number[], dst: number[], type: number, code: number, body: number[]): number[] {
  const m = [type, code, 0, 0, ...body];
  const pseudo = sum16([...src, ...dst, ...u32(m.length), 0, 0, 0, 58]);
  const c = cksum(m, pseudo);
  m[2] = c >> 8;
  m[3] = c & 0xff;
  return m;
}

export interface Frame {
  bytes: number[];
  /** Length on the wire when the capture cut the frame. */
  wire?: number;
  sec?: number;
  nsec?: number;
}

/** Dissects frames in order with one engine and returns, per frame, the text of each field. */
export function run(frames: Frame[], names: string[], mode: TreeMode = TreeMode.FIELDS) {
  const fields = names.map((n) => {
    const f = fieldByName(n);
    if (!f) throw new Error(`no field ${n}`);
    return f;
  });
  const e = new Engine({ mode, fields });
  return frames.map((fr, i) => {
    const p = e.dissect({
      data: Uint8Array.from(fr.bytes), wireLen: fr.wire ?? fr.bytes.length,
      tsSec: fr.sec ?? 1000 + i, tsNsec: fr.nsec ?? 0, linkType: 1, ifIndex: 0,
    });
    const out: Record<string, string> = {};
    const raw: Record<string, unknown[]> = {};
    fields.forEach((f, k) => {
      const vals = e.tree.get(f);
      out[names[k]!] = vals.map((v) => fieldValueText(f, v)).join(",");
      raw[names[k]!] = vals.map((v) => (v instanceof Uint8Array ? Array.from(v) : v));
    });
    return {
      info: p.info.toString(), protocol: p.protocol, malformed: p.malformed, short: p.short, layers: p.layers.join(":"),
      experts: p.experts.map((x) => x.text), f: out, raw,
    };
  });
}
