// IP Authentication Header (IP protocol 51, RFC 4302), as Wireshark 4.0 shows it, then the
// protocol it protects.
//   next header 0 | payload length 1 (32-bit words - 2) | reserved 2..4 | SPI 4..8 |
//   sequence number 8..12 | ICV 12..(length + 2) * 4
// A length of 0 or 1 leaves no ICV (Wireshark shows an empty one). A length running past the
// captured bytes ends the packet at the ICV (malformed or short, by the Tree's bounds).
// Over IPv6 (the destination is an IPv6 address, as Wireshark decides) the AH item sits inside
// the IPv6 item like the other extension headers, and what follows is handed on as IPv6 does:
// "IPv6 no next header" for 59, "Unknown IP Protocol" for a number no dissector takes.
import { Base, FT, registerProtocol } from "../fields.js";
import { callData, ipProtos } from "../dispatch.js";
import { AddrKind, type Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { IPPROTO, IPPROTO_NAMES, ipProtoName } from "./ipproto-names.js";
import { hf as ipv6Hf } from "./ipv6.js";

const NXT = 0, LEN = 1, RESERVED = 2, SPI = 4, SEQ = 8, ICV = 12;

/** Header length in bytes from the length field. */
export function ahHeaderLength(lenField: number): number {
  return (lenField + 2) * 4;
}

/** ICV length in bytes: what the header holds after its 12 fixed bytes (none for 0 or 1). */
export function ahIcvLength(lenField: number): number {
  return lenField > 1 ? (lenField - 1) * 4 : 0;
}

export const hf = registerProtocol("ah", "Authentication Header", {
  next_header: { abbrev: "ah.next_header", name: "Next header", type: FT.UINT8, strings: IPPROTO_NAMES },
  length: { abbrev: "ah.length", name: "Length", type: FT.UINT8 },
  reserved: { abbrev: "ah.reserved", name: "Reserved", type: FT.BYTES },
  spi: { abbrev: "ah.spi", name: "AH SPI", type: FT.UINT32, base: Base.HEX, blurb: "IP Authentication Header Security Parameters Index" },
  sequence: { abbrev: "ah.sequence", name: "AH Sequence", type: FT.UINT32, blurb: "IP Authentication Header Sequence Number" },
  icv: { abbrev: "ah.icv", name: "AH ICV", type: FT.BYTES, blurb: "IP Authentication Header Integrity Check Value" },
});

function u32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;
}

/** The header is an IPv6 extension header: right after a top-level IPv6 header (or another). */
function insideIPv6(p: Packet): boolean {
  const top = p.topLayers.length;
  return p.dstKind === AddrKind.IPV6 && top > 0 && p.topLayers.at(top - 1) === ipv6Hf.proto.abbrev;
}

export function dissectAh(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  p.protocol = "AH";
  if (p.wantCols) p.info.clear();
  // Wireshark reads both bytes before it adds an item: cut shorter, AH is listed in
  // frame.protocols with no item.
  if (!t.avail(off, 2)) {
    p.layers.push(hf.proto.abbrev);
    t.curProto = "AH";
    t.check(off, 2);
  }
  const next = d[off + NXT]!;
  const lenField = d[off + LEN]!;
  const hlen = ahHeaderLength(lenField);
  const v6 = insideIPv6(p);
  // Back inside the IPv6 item (closed by IPv6 before its payload) for the AH item only.
  if (v6) t.reopen(ipv6Hf.proto);
  t.proto(p, hf.proto, off, Math.min(hlen, Math.max(0, t.cap - off)));
  t.curProto = "AH";
  t.uint(hf.next_header, off + NXT, 1, next);
  t.uint(hf.length, off + LEN, 1, lenField);
  if (t.full) t.label(`Length: ${lenField} (${hlen} bytes)`);
  t.bytes(hf.reserved, off + RESERVED, 2);
  t.check(off + SPI, 4);
  const spi = u32(d, off + SPI);
  t.uint(hf.spi, off + SPI, 4, spi);
  if (p.wantCols) p.info.set(`AH (SPI=0x${spi.toString(16).padStart(8, "0")})`);
  t.check(off + SEQ, 4);
  t.uint(hf.sequence, off + SEQ, 4, u32(d, off + SEQ));
  t.bytes(hf.icv, off + ICV, ahIcvLength(lenField));
  t.up();
  if (v6) t.up();

  // What follows starts after the whole header; one that claims more than the layer has ends
  // here as malformed (or short), as Wireshark's subset past the end does.
  const body = off + hlen;
  t.check(body, 0);
  const sub = ipProtos.get(next);
  if (v6) {
    if (next === IPPROTO.NONE) {
      if (p.wantCols) p.info.set("IPv6 no next header");
      callData(p, t, body);
    } else if (sub) sub(p, t, body);
    else {
      if (p.wantCols) p.info.set(`Unknown IP Protocol: ${ipProtoName(next)} (${next})`);
      callData(p, t, body);
    }
  } else if (sub) sub(p, t, body);
  else callData(p, t, body);
}

ipProtos.add(IPPROTO.AH, dissectAh);
