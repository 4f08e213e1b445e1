// Builds test frames as bytes: Ethernet + IPv4/IPv6 + UDP/TCP, ARP and XARP.
import { emitXarp, type XarpMessage } from "../../src/dissect/protocols/xarp-wire.js";

export const BCAST = 0xffffffffffff;

export function macBytes(m: number): number[] {
  const out: number[] = [];
  for (let i = 5; i >= 0; i--) out.push(Math.floor(m / 2 ** (8 * i)) & 0xff);
  return out;
}

export function ip4(s: string): number {
  return s.split(".").reduce((a, b) => a * 256 + Number(b), 0);
}

function be16(v: number): number[] {
  return [(v >> 8) & 255, v & 255];
}
function be32(v: number): number[] {
  return [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
}

export interface FrameOpts {
  dst: number;
  src?: number;
  vlan?: number[];
  srcIp?: string;
  dstIp?: string;
  proto?: number; // 6 tcp, 17 udp, 1 icmp
  sport?: number;
  dport?: number;
  tcpFlags?: number;
  /** total frame length (padded with zeros) */
  len?: number;
  fragOffset?: number;
  moreFrags?: boolean;
}

export function ipv4Frame(o: FrameOpts): Uint8Array {
  const proto = o.proto ?? 17;
  const l4: number[] = [];
  if (proto === 6) l4.push(...be16(o.sport ?? 40000), ...be16(o.dport ?? 80), 0, 0, 0, 1, 0, 0, 0, 0, 0x50, o.tcpFlags ?? 0x18, 0xff, 0xff, 0, 0, 0, 0);
  else if (proto === 17) l4.push(...be16(o.sport ?? 40000), ...be16(o.dport ?? 53), 0, 8, 0, 0);
  else if (proto === 1) l4.push(8, 0, 0, 0, 0, 1, 0, 1);
  const frag = ((o.moreFrags ? 0x2000 : 0) | ((o.fragOffset ?? 0) & 0x1fff)) & 0xffff;
  const ip = [0x45, 0, ...be16(20 + l4.length), 0, 1, ...be16(frag), 64, proto, 0, 0, ...be32(ip4(o.srcIp ?? "10.0.0.1")), ...be32(ip4(o.dstIp ?? "10.0.0.2"))];
  const tags: number[] = [];
  for (const v of o.vlan ?? []) tags.push(0x81, 0x00, ...be16(v));
  const bytes = [...macBytes(o.dst), ...macBytes(o.src ?? 0x020000000001), ...tags, 0x08, 0x00, ...ip, ...(o.fragOffset ? [] : l4)];
  const len = Math.max(o.len ?? 60, bytes.length);
  const out = new Uint8Array(len);
  out.set(bytes);
  return out;
}

export function ipv6Frame(o: FrameOpts & { dst6?: number[]; ext?: number[][] }): Uint8Array {
  const proto = o.proto ?? 17;
  const l4: number[] = proto === 17 ? [...be16(o.sport ?? 40000), ...be16(o.dport ?? 53), 0, 8, 0, 0] : proto === 58 ? [135, 0, 0, 0, 0, 0, 0, 0] : [...be16(o.sport ?? 40000), ...be16(o.dport ?? 80), 0, 0, 0, 1, 0, 0, 0, 0, 0x50, o.tcpFlags ?? 0x18, 0xff, 0xff, 0, 0, 0, 0];
  // ext: [ownType, ...8n bytes] per header; each header's next-header byte is filled in
  const ext = o.ext ?? [];
  const first = ext.length > 0 ? ext[0]![0]! : proto;
  const extBytes: number[] = [];
  ext.forEach((e, i) => extBytes.push(...e.slice(1).map((b, k) => (k === 0 ? (i + 1 < ext.length ? ext[i + 1]![0]! : proto) : b))));
  const dst6 = o.dst6 ?? [0xfd, 0, ...new Array(13).fill(0), 2];
  const ip = [0x60, 0, 0, 0, ...be16(extBytes.length + l4.length), first, 64, 0xfd, 0, ...new Array(13).fill(0), 1, ...dst6];
  const bytes = [...macBytes(o.dst), ...macBytes(o.src ?? 0x020000000001), 0x86, 0xdd, ...ip, ...extBytes, ...l4];
  const out = new Uint8Array(Math.max(o.len ?? 60, bytes.length));
  out.set(bytes);
  return out;
}

export function arpFrame(src: number): Uint8Array {
  const b = [...macBytes(BCAST), ...macBytes(src), 0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1, ...macBytes(src), 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2];
  const out = new Uint8Array(60);
  out.set(b);
  return out;
}

export function xarpFrame(dst: number, src: number, m: XarpMessage): Uint8Array {
  const out = new Uint8Array(60);
  out.set([...macBytes(dst), ...macBytes(src), 0x08, 0x06]);
  emitXarp(m, out, 14);
  return out;
}
