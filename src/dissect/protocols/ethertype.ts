// Wireshark's "ethertype" hand-off, shared by Ethernet, 802.1Q, SLL and SNAP: dispatch on the
// type and show whatever the payload protocol did not claim as padding or trailer.
import { FT, registerProtocol } from "../fields.js";
import { callData, etherTypes } from "../dispatch.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";

export const hf = registerProtocol("ethertype", "Ethertype", {});
export const eth = registerProtocol("eth", "Ethernet", {
  padding: { abbrev: "eth.padding", name: "Padding", type: FT.BYTES },
  trailer: { abbrev: "eth.trailer", name: "Trailer", type: FT.BYTES },
});

/** Minimum Ethernet frame without FCS: shorter frames are padded by the sender. */
const ETH_MIN_FRAME = 60;

/**
 * Dispatch `type` at `off`. With `trailer` set (Ethernet family), bytes after the payload's own
 * end are shown as eth.padding (up to the 60-byte minimum) and eth.trailer.
 */
export function dissectEthertype(p: Packet, t: Tree, off: number, type: number, trailer: boolean): void {
  p.layers.push("ethertype");
  const d = etherTypes.get(type);
  if (d === undefined) {
    p.protocol = "0x" + type.toString(16).padStart(4, "0");
    if (p.wantCols) p.info = `Ethernet II`;
    callData(p, t, off);
    return;
  }
  const end = d(p, t, off);
  if (trailer && typeof end === "number" && end < t.cap) showTrailer(t, end);
}

function showTrailer(t: Tree, end: number): void {
  const total = t.cap;
  const pad = Math.max(0, Math.min(total, ETH_MIN_FRAME) - end);
  if (pad > 0) t.bytes(eth.padding, end, pad);
  if (end + pad < total) t.bytes(eth.trailer, end + pad, total - end - pad);
}
