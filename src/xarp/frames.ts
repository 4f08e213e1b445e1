// XARP frames for the live tools (agent, resolver): section 3's messages with the Ethernet
// addresses section 2.3 requires, built from the dissectors' own layers (ethLayer + xarpLayer),
// and the parsing side (parseXarp) for frames read from the wire. Text forms for endpoints,
// MACs and the command line's `NAME=PORT/PROTO` and `IP:PORT/PROTO` arguments live here too.
import { build, ipv4 } from "../dissect/build.js";
import { ethLayer } from "../dissect/protocols/eth.js";
import { ETHERTYPE } from "../dissect/protocols/ethertypes.js";
import { FLAG_CANONICAL, parseXarp, PROTO_NAMES, xarpLayer, XarpOp, type Endpoint, type XarpMessage } from "../dissect/protocols/xarp-wire.js";

export const BROADCAST = 0xffffffffffff;

/** A station's canonical MAC and IPv4 address. */
export interface Station {
  mac: number;
  ip: number;
}

/** A transport endpoint without flags (what applications bind). */
export interface Binding {
  port: number;
  proto: number;
}

export function hostEndpoint(ip: number, flags = 0): Endpoint {
  return { ip, port: 0, proto: 0, flags };
}

const NONE: Endpoint = hostEndpoint(0);

function frame(src: number, dst: number, m: XarpMessage): Uint8Array {
  return build([ethLayer({ dst, src, type: ETHERTYPE.ARP }), xarpLayer(m)]);
}

/** Section 3's table, one builder per message. */
export const XarpFrames = {
  request: (requester: Station, target: Endpoint, dst = BROADCAST) =>
    frame(requester.mac, dst, { op: XarpOp.REQUEST, sha: requester.mac, spa: hostEndpoint(requester.ip), tha: 0, tpa: { ...target, flags: 0 } }),
  /** A REPLY naming `mac`; `canonical` sets C (the host's MAC, no application holds `ep`). */
  reply: (mac: number, ep: Endpoint, canonical: boolean, requester: Station) =>
    frame(mac, requester.mac, {
      op: XarpOp.REPLY, sha: mac, spa: { ...ep, flags: canonical ? FLAG_CANONICAL : 0 }, tha: requester.mac, tpa: hostEndpoint(requester.ip),
    }),
  probe: (host: Station, candidate: number) =>
    frame(host.mac, BROADCAST, { op: XarpOp.PROBE, sha: host.mac, spa: hostEndpoint(host.ip), tha: candidate, tpa: NONE }),
  announce: (mac: number, ep: Endpoint) => frame(mac, BROADCAST, { op: XarpOp.ANNOUNCE, sha: mac, spa: ep, tha: mac, tpa: ep }),
  /** `owner`: the defended MAC's endpoint (a host endpoint with C for a canonical MAC). */
  defend: (mac: number, owner: Endpoint, other: Station) =>
    frame(mac, BROADCAST, { op: XarpOp.DEFEND, sha: mac, spa: owner, tha: other.mac, tpa: hostEndpoint(other.ip) }),
  release: (mac: number, ep: Endpoint) => frame(mac, BROADCAST, { op: XarpOp.RELEASE, sha: mac, spa: ep, tha: 0, tpa: ep }),
};

export interface WireFrame {
  dst: number;
  src: number;
  type: number;
  /** The XARP message when the frame carries one (ARP ethertype, XARP header, 36 bytes). */
  xarp: XarpMessage | null;
}

function macAt(d: Uint8Array, o: number): number {
  return d[o]! * 0x10000000000 + d[o + 1]! * 0x100000000 + ((d[o + 2]! << 24) >>> 0) + (d[o + 3]! << 16) + (d[o + 4]! << 8) + d[o + 5]!;
}

/** Reads an Ethernet II frame; null when it is shorter than the header. */
export function parseFrame(d: Uint8Array): WireFrame | null {
  if (d.length < 14) return null;
  const type = (d[12]! << 8) | d[13]!;
  return { dst: macAt(d, 0), src: macAt(d, 6), type, xarp: type === ETHERTYPE.ARP ? parseXarp(d, 14) : null };
}

export function macText(v: number): string {
  const parts: string[] = [];
  for (let i = 5; i >= 0; i--) parts.push((Math.floor(v / 2 ** (8 * i)) % 256).toString(16).padStart(2, "0"));
  return parts.join(":");
}

export function ipText(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

const PROTO_NUMBERS = new Map([...PROTO_NAMES].map(([k, v]) => [v, k]));

/** "udp" | "tcp" | "dccp" | "sctp" | a number 1..255. */
export function parseTransport(text: string): number {
  const t = text.toLowerCase();
  const n = PROTO_NUMBERS.get(t) ?? (/^\d+$/.test(t) ? Number(t) : NaN);
  if (!Number.isInteger(n) || n < 1 || n > 255) throw new Error(`unknown transport protocol "${text}" (udp, tcp, dccp, sctp or a number)`);
  return n;
}

/** "8080/udp" */
export function parseBinding(text: string): Binding {
  const m = /^(\d+)\/([A-Za-z0-9]+)$/.exec(text.trim());
  if (!m) throw new Error(`invalid endpoint "${text}" (expected PORT/PROTO, e.g. 8080/udp)`);
  const port = Number(m[1]);
  if (port < 1 || port > 65535) throw new Error(`invalid port in "${text}"`);
  return { port, proto: parseTransport(m[2]!) };
}

/** "10.0.0.2:8080/udp" */
export function parseEndpoint(text: string): Endpoint {
  const i = text.lastIndexOf(":");
  if (i < 1) throw new Error(`invalid endpoint "${text}" (expected IP:PORT/PROTO, e.g. 10.0.0.2:8080/udp)`);
  let b: Binding;
  try {
    b = parseBinding(text.slice(i + 1));
  } catch {
    throw new Error(`invalid endpoint "${text}" (expected IP:PORT/PROTO, e.g. 10.0.0.2:8080/udp)`);
  }
  return { ip: ipv4(text.slice(0, i)), port: b.port, proto: b.proto, flags: 0 };
}
