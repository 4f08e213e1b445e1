// Hand-off tables: a protocol registers its fields in its own file, and separately hooks itself
// into the tables below by wire value (link type, ethertype, IP protocol, port). Lookups are
// array indexing; an empty slot means "no dissector", and the caller falls back to `data`.
import type { Packet } from "./packet.js";
import type { Tree } from "./tree.js";

/**
 * Decode the bytes from `off` to `t.cap` (the current layer's bounds). Returns the offset where
 * the protocol's own data ends when it knows it (IP total length), so the caller can show what
 * follows as padding or trailer; returns nothing when it used everything.
 */
export type Dissector = (p: Packet, t: Tree, off: number) => number | void;

export class DissectorTable {
  private readonly slots: (Dissector | undefined)[];
  constructor(readonly name: string, size: number) {
    this.slots = new Array<Dissector | undefined>(size).fill(undefined);
  }
  add(key: number, d: Dissector): void {
    this.slots[key] = d;
  }
  get(key: number): Dissector | undefined {
    return this.slots[key];
  }
}

/** Keyed by pcap LINKTYPE_* value (not Wireshark's WTAP_ENCAP). */
export const linkTypes = new DissectorTable("link", 65536);
export const etherTypes = new DissectorTable("ethertype", 65536);
export const ipProtos = new DissectorTable("ip.proto", 256);
export const udpPorts = new DissectorTable("udp.port", 65536);
export const tcpPorts = new DissectorTable("tcp.port", 65536);
/** SNAP/LLC: keyed by (OUI << 16 | pid) would be too wide; LLC SAPs only. */
export const llcSaps = new DissectorTable("llc.dsap", 256);

/** A heuristic dissector: dissects the payload at `off` and returns true only if it recognises it. */
export type Heuristic = (p: Packet, t: Tree, off: number) => boolean;
/** Tried in order on UDP payloads no port claims (Wireshark's enabled "udp" heuristics). */
export const udpHeuristics: Heuristic[] = [];

/** Set once by the `data` protocol module; used when no table has an entry. */
let dataDissector: Dissector = () => {};
export function setDataDissector(d: Dissector): void {
  dataDissector = d;
}
export function callData(p: Packet, t: Tree, off: number): void {
  if (off < t.cap) dataDissector(p, t, off);
}

/** Port dispatch as Wireshark's UDP/TCP do by default: the lower port first, then the higher. */
export function byPorts(table: DissectorTable, src: number, dst: number): Dissector | undefined {
  const lo = src < dst ? src : dst;
  const hi = src < dst ? dst : src;
  return table.get(lo) ?? table.get(hi);
}
