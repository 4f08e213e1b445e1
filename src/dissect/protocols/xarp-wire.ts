// Extended ARP (XARP) wire format: parse and emit, side by side. The specification is
// docs/extended-arp.md. An XARP message is an ARP packet (ethertype 0x0806, htype 1,
// ptype 0x0800, hlen 6) whose protocol addresses are 8-byte transport endpoints, so plen = 8;
// stacks that know only ARP drop it because plen != 4.
//
//   htype 0..2 | ptype 2..4 | hlen 4 | plen 5 | op 6..8
//   sha 8..14 | spa 14..22 | tha 22..28 | tpa 28..36
// and an endpoint (spa, tpa) is:
//   ipv4 0..4 | port 4..6 | proto 6 | flags 7

export const XARP = {
  HTYPE: 1,
  PTYPE: 0x0800,
  HLEN: 6,
  PLEN: 8,
  LEN: 36,
} as const;

export const enum XarpOp {
  REQUEST = 1,
  REPLY = 2,
  PROBE = 3,
  ANNOUNCE = 4,
  DEFEND = 5,
  RELEASE = 6,
}

export const XARP_OP_NAMES: ReadonlyMap<number, string> = new Map([
  [XarpOp.REQUEST, "resolve request"],
  [XarpOp.REPLY, "resolve reply"],
  [XarpOp.PROBE, "probe"],
  [XarpOp.ANNOUNCE, "announce"],
  [XarpOp.DEFEND, "defend"],
  [XarpOp.RELEASE, "release"],
]);

/** Endpoint flag: the hardware address is the host's canonical MAC (no application holds it). */
export const FLAG_CANONICAL = 0x80;
export const FLAGS_RESERVED = 0x7f;

export const OFF = { HTYPE: 0, PTYPE: 2, HLEN: 4, PLEN: 5, OP: 6, SHA: 8, SPA: 14, THA: 22, TPA: 28 } as const;
export const EP = { IP: 0, PORT: 4, PROTO: 6, FLAGS: 7 } as const;

export interface Endpoint {
  /** IPv4 address as an unsigned 32-bit number. */
  ip: number;
  port: number;
  /** IANA protocol number: 6 TCP, 17 UDP, 132 SCTP; 0 for a host-level address. */
  proto: number;
  flags: number;
}

export interface XarpMessage {
  op: number;
  /** 48-bit MAC addresses as numbers. */
  sha: number;
  spa: Endpoint;
  tha: number;
  tpa: Endpoint;
}

/** Is this ARP header an XARP one? (Checked on the fixed 6-byte prefix only.) */
export function isXarpHeader(d: Uint8Array, off: number): boolean {
  return d[off] === 0 && d[off + 1] === XARP.HTYPE && d[off + 2] === 0x08 && d[off + 3] === 0x00 && d[off + 4] === XARP.HLEN && d[off + 5] === XARP.PLEN;
}

export function macAt(d: Uint8Array, o: number): number {
  return d[o]! * 0x10000000000 + d[o + 1]! * 0x100000000 + ((d[o + 2]! << 24) >>> 0) + (d[o + 3]! << 16) + (d[o + 4]! << 8) + d[o + 5]!;
}

function putMac(b: Uint8Array, o: number, v: number): void {
  for (let i = 5; i >= 0; i--) {
    b[o + i] = v % 256;
    v = Math.floor(v / 256);
  }
}

export function endpointAt(d: Uint8Array, o: number): Endpoint {
  return {
    ip: ((d[o]! << 24) >>> 0) + (d[o + 1]! << 16) + (d[o + 2]! << 8) + d[o + 3]!,
    port: (d[o + EP.PORT]! << 8) | d[o + EP.PORT + 1]!,
    proto: d[o + EP.PROTO]!,
    flags: d[o + EP.FLAGS]!,
  };
}

function putEndpoint(b: Uint8Array, o: number, e: Endpoint): void {
  b[o] = e.ip >>> 24;
  b[o + 1] = (e.ip >>> 16) & 255;
  b[o + 2] = (e.ip >>> 8) & 255;
  b[o + 3] = e.ip & 255;
  b[o + EP.PORT] = e.port >> 8;
  b[o + EP.PORT + 1] = e.port & 255;
  b[o + EP.PROTO] = e.proto;
  b[o + EP.FLAGS] = e.flags;
}

/** Parses a message; null when fewer than XARP.LEN bytes are there or the header is not XARP. */
export function parseXarp(d: Uint8Array, off: number): XarpMessage | null {
  if (d.length - off < XARP.LEN || !isXarpHeader(d, off)) return null;
  return {
    op: (d[off + OFF.OP]! << 8) | d[off + OFF.OP + 1]!,
    sha: macAt(d, off + OFF.SHA),
    spa: endpointAt(d, off + OFF.SPA),
    tha: macAt(d, off + OFF.THA),
    tpa: endpointAt(d, off + OFF.TPA),
  };
}

/** Writes the message at `off` (XARP.LEN bytes); returns the offset after it. */
export function emitXarp(m: XarpMessage, b: Uint8Array, off: number): number {
  b[off + OFF.HTYPE] = 0;
  b[off + OFF.HTYPE + 1] = XARP.HTYPE;
  b[off + OFF.PTYPE] = XARP.PTYPE >> 8;
  b[off + OFF.PTYPE + 1] = XARP.PTYPE & 255;
  b[off + OFF.HLEN] = XARP.HLEN;
  b[off + OFF.PLEN] = XARP.PLEN;
  b[off + OFF.OP] = m.op >> 8;
  b[off + OFF.OP + 1] = m.op & 255;
  putMac(b, off + OFF.SHA, m.sha);
  putEndpoint(b, off + OFF.SPA, m.spa);
  putMac(b, off + OFF.THA, m.tha);
  putEndpoint(b, off + OFF.TPA, m.tpa);
  return off + XARP.LEN;
}

/** The message as a build layer, to put inside an Ethernet II header of type 0x0806. */
export function xarpLayer(m: XarpMessage): { headerLen: number; emit(b: Uint8Array, off: number): void } {
  return { headerLen: XARP.LEN, emit: (b, off) => void emitXarp(m, b, off) };
}

/** Locally administered (bit 1 of the first octet set) and unicast (bit 0 clear). */
export function isLocalUnicast(mac: number): boolean {
  const first = Math.floor(mac / 0x10000000000);
  return (first & 0x03) === 0x02;
}

export const PROTO_NAMES: ReadonlyMap<number, string> = new Map([
  [6, "tcp"],
  [17, "udp"],
  [33, "dccp"],
  [132, "sctp"],
]);

/** "10.0.0.2:8080/udp"; a host-level endpoint (proto 0, port 0) is just the address. */
export function endpointText(e: Endpoint): string {
  const ip = `${e.ip >>> 24}.${(e.ip >>> 16) & 255}.${(e.ip >>> 8) & 255}.${e.ip & 255}`;
  if (e.proto === 0 && e.port === 0) return ip;
  return `${ip}:${e.port}/${PROTO_NAMES.get(e.proto) ?? e.proto}`;
}
