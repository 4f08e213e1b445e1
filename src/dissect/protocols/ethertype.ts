// Wireshark's "ethertype" hand-off, shared by Ethernet, 802.1Q, SLL and SNAP: dispatch on the
// type and show whatever the payload protocol did not claim as padding or trailer.
import { Base, FT, registerExperts, registerProtocol, vals } from "../fields.js";
import { callData, etherTypes } from "../dispatch.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { ETHERTYPE_NAMES, UNDISSECTED_NAMED } from "./ethertypes.js";

export const hf = registerProtocol("ethertype", "Ethertype", {});
export const eth = registerProtocol("eth", "Ethernet", {
  padding: { abbrev: "eth.padding", name: "Padding", type: FT.BYTES },
  trailer: { abbrev: "eth.trailer", name: "Trailer", type: FT.BYTES },
  fcs: { abbrev: "eth.fcs", name: "Frame check sequence", type: FT.UINT32, base: Base.HEX },
  fcs_status: { abbrev: "eth.fcs.status", name: "FCS Status", type: FT.UINT8, base: Base.NONE, strings: vals({ 0: "Bad", 1: "Good", 2: "Unverified" }), generated: true },
});

const ei = registerExperts(eth.proto, {
  padding_bad: { abbrev: "eth.padding_bad", group: "protocol", severity: "note", summary: "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros." },
});

/** A frame this long has no padding to need: 4 or more bytes after the payload end in an FCS. */
const FCS_MIN_FRAME = 64;

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
    if (p.wantCols) p.info.set(UNDISSECTED_NAMED.has(type) ? ETHERTYPE_NAMES.get(type)! : "Ethernet II");
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
      showTrailer(p, t, p.l3End, cap, off - ETH_HDR);
    }
    throw e;
  }
  if (typeof end === "number" && end < cap) showTrailer(p, t, end, cap, off - ETH_HDR);
}

const ETH_HDR = 14;

/**
 * Bytes after the payload up to the 60-byte minimum are padding when they are all zero;
 * otherwise, and beyond 60 bytes, they are a trailer (e.g. switch metadata). As Wireshark guesses
 * when the capture does not say: in a frame of 64 bytes or more, the last 4 bytes of a trailer
 * of at least 4 are the FCS (shown unverified). `start` is where the Ethernet header begins; the
 * FCS guess is made for the outermost frame only.
 */
export function showTrailer(p: Packet, t: Tree, end: number, total: number, start: number): void {
  const d = t.d;
  const padEnd = Math.min(total, start + ETH_MIN_FRAME);
  // A frame shorter than the minimum was not padded: what follows the payload is a trailer.
  let zero = end < padEnd && total - start >= ETH_MIN_FRAME;
  for (let i = end; zero && i < padEnd; i++) if (d[i] !== 0) zero = false;
  const from = zero ? padEnd : end;
  const fcs = start === 0 && total === t.rep && total >= FCS_MIN_FRAME && total - from >= 4 ? total - 4 : total;
  t.reopen(eth.proto);
  if (zero) t.bytes(eth.padding, end, padEnd - end);
  if (from < fcs) {
    t.bytes(eth.trailer, from, fcs - from);
    if (!zero && end < padEnd && total - start >= ETH_MIN_FRAME) {
      t.down();
      t.expert(p, ei.padding_bad, from, fcs - from);
      t.up();
    }
  }
  if (fcs < total) {
    const v = ((d[fcs]! << 24) >>> 0) + (d[fcs + 1]! << 16) + (d[fcs + 2]! << 8) + d[fcs + 3]!;
    t.uint(eth.fcs, fcs, 4, v);
    if (t.full) t.label(`Frame check sequence: 0x${v.toString(16).padStart(8, "0")} [unverified]`);
    t.num(eth.fcs_status, 2);
    if (t.full) t.label("[FCS Status: Unverified]");
  }
  t.up();
}
