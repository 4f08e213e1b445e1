// UDP Encapsulation of IPsec Packets (RFC 3948, UDP port 4500), as Wireshark 4.0 shows it:
//   one byte 0xff (all that is captured)      NAT-keepalive (RFC 3948 2.3)
//   non-ESP marker: 4 zero bytes 0..4         IKE (ISAKMP) from 4 on (RFC 3948 2.2)
//   anything else                             an ESP packet from 0 on (RFC 3948 2.1)
// arpx has no ISAKMP dissector: IKE goes to whatever dissector holds UDP port 500 (none today,
// so it shows as data, where Wireshark shows ISAKMP).
import { FT, registerProtocol } from "../fields.js";
import { callData, udpPorts } from "../dispatch.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { dissectEsp } from "./esp.js";

const MARKER_LEN = 4;
const KEEPALIVE = 0xff;
const PORT_UDPENCAP = 4500, PORT_ISAKMP = 500;

export const hf = registerProtocol("udpencap", "UDP Encapsulation of IPsec Packets", {
  nat_keepalive: { abbrev: "udpencap.nat_keepalive", name: "NAT-keepalive packet", type: FT.NONE },
  non_esp_marker: { abbrev: "udpencap.non_esp_marker", name: "Non-ESP Marker", type: FT.NONE },
});

export function dissectUdpencap(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  p.protocol = "UDPENCAP";
  if (p.wantCols) p.info.clear();
  const captured = Math.max(0, t.cap - off);
  // Decided on the captured bytes, as Wireshark does.
  if (captured === 1 && d[off] === KEEPALIVE) {
    t.proto(p, hf.proto, off, 1);
    t.curProto = "UDPENCAP";
    if (p.wantCols) p.info.set("NAT-keepalive");
    t.none(hf.nat_keepalive, off, 1);
    t.up();
    return;
  }
  const marker = t.avail(off, MARKER_LEN) && (d[off]! | d[off + 1]! | d[off + 2]! | d[off + 3]!) === 0;
  // The item covers the marker, or nothing before ESP (all captured bytes while undecided).
  t.proto(p, hf.proto, off, marker ? MARKER_LEN : t.avail(off, MARKER_LEN) ? 0 : captured);
  t.curProto = "UDPENCAP";
  t.check(off, MARKER_LEN);
  if (marker) {
    if (p.wantCols) p.info.set("ISAKMP");
    t.none(hf.non_esp_marker, off, MARKER_LEN);
    t.up();
    const ike = udpPorts.get(PORT_ISAKMP);
    if (ike) ike(p, t, off + MARKER_LEN);
    else callData(p, t, off + MARKER_LEN);
    return;
  }
  if (p.wantCols) p.info.set("ESP");
  t.up();
  dissectEsp(p, t, off);
  t.up();
}

udpPorts.add(PORT_UDPENCAP, dissectUdpencap);
