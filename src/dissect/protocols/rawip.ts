// Raw IP link types: LINKTYPE_RAW (101; the version nibble picks IPv4 or IPv6, shown under a
// "raw" protocol as Wireshark's packet-raw.c does), LINKTYPE_IPV4 (228) and LINKTYPE_IPV6 (229),
// which go straight to IP (frame.protocols "ip:udp:dns").
import { registerProtocol } from "../fields.js";
import { callData, linkTypes } from "../dispatch.js";
import { LINKTYPE } from "../linktypes.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { dissectIPv4 } from "./ipv4.js";
import { dissectIPv6 } from "./ipv6.js";
import { linkColumns } from "./null.js";

export const hf = registerProtocol("raw", "Raw packet data", {});

export function dissectRaw(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  linkColumns(p, "Raw packet data");
  t.proto(p, hf.proto, off, 0);
  t.curProto = "Raw";
  t.up();
  // Wireshark first looks for PPP framing in the first four bytes (reading them all, so a shorter
  // frame is malformed), then at the IP version nibble. arpx has no PPP: such frames are data.
  t.check(off, 2);
  const w0 = (d[off]! << 8) | d[off + 1]!;
  if (w0 === 0xff03 || w0 === 0x0021) return callData(p, t, off);
  t.check(off + 2, 2);
  if (((d[off + 2]! << 8) | d[off + 3]!) === 0x0021) return callData(p, t, off);
  switch (d[off]! >> 4) {
    case 4: dissectIPv4(p, t, off); break;
    case 6: dissectIPv6(p, t, off); break;
    default: callData(p, t, off);
  }
}

/** LINKTYPE_IPV6: an IPv6 dissector that, as Wireshark's, disowns a packet of another version. */
function dissectRawIPv6(p: Packet, t: Tree, off: number): void {
  const n = p.layers.length;
  dissectIPv6(p, t, off);
  if (t.avail(off, 1) && t.d[off]! >> 4 !== 6) p.layers.length = n;
}

linkTypes.add(LINKTYPE.RAW, dissectRaw);
linkTypes.add(LINKTYPE.IPV4, dissectIPv4);
linkTypes.add(LINKTYPE.IPV6, dissectRawIPv6);
