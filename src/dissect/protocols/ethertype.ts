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
    if (p.wantCols) p.info.set(`Ethernet II`);
    callData(p, t, off);
    return;
  }
  if (!trailer) {
    d(p, t, off);
    return;
  }
  const cap = t.cap;
  let end: number | void;
  try {
    end = d(p, t, off);
  } catch (e) {
    // Like Wireshark, the trailer is shown even when the payload turned out malformed, as long
    // as the network layer said where it ends.
    if (p.l3End > off && p.l3End < cap) {
      t.unwind();
      showTrailer(t, p.l3End, cap);
    }
    throw e;
  }
  if (typeof end === "number" && end < cap) showTrailer(t, end, cap);
}

/**
 * Bytes after the payload up to the 60-byte minimum are padding when they are all zero;
 * otherwise, and beyond 60 bytes, they are a trailer (e.g. an FCS or switch metadata).
 */
export function showTrailer(t: Tree, end: number, total: number): void {
  const d = t.d;
  const padEnd = Math.min(total, ETH_MIN_FRAME);
  let zero = end < padEnd;
  for (let i = end; zero && i < padEnd; i++) if (d[i] !== 0) zero = false;
  t.reopen(eth.proto);
  if (zero) {
    t.bytes(eth.padding, end, padEnd - end);
    if (padEnd < total) t.bytes(eth.trailer, padEnd, total - padEnd);
  } else t.bytes(eth.trailer, end, total - end);
  t.up();
}
