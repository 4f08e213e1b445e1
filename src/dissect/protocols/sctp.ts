// Stream Control Transmission Protocol (RFC 9260), IP protocol 132, as Wireshark 4.0 shows it with
// its default preferences: checksum not verified, TSN analysis and relative TSNs on, reassembly
// of fragmented user messages on, association indexing off.
//   common header: source port 0..2 | destination port 2..4 | verification tag 4..8 | checksum 8..12
//   chunks 12..: type | flags | length | value (see sctp-chunks.ts), each padded to 4 bytes
//   DATA value:   TSN 4..8 | stream id 8..10 | stream seq 10..12 | PPID 12..16 | user data 16..
//   I-DATA value: TSN 4..8 | stream id 8..10 | reserved 10..12 | MID 12..16 | PPID/FSN 16..20 | data 20..
//   SACK value:   cum TSN 4..8 | a_rwnd 8..12 | #gaps 12..14 | #dups 14..16 | gaps (4 each) | dups (4 each)
//
// As in Wireshark, a DATA chunk's payload is a sibling of the SCTP item (not a child), and when a
// payload was handed on, the chunks after it go into a further "Stream Control Transmission
// Protocol" item. A payload dissector that fails shows its error and the chunks go on.
import { callData, DissectorTable, ipProtos, type Dissector } from "../dispatch.js";
import type { Packet } from "../packet.js";
import { KeyTable, putAddrKey } from "../session.js";
import { isBoundsSignal, MALFORMED, SHORT, type Node, type Tree, type TreeMark } from "../tree.js";
import { ws, wsEi, wsUnreassembled, wsUnreassembledEi } from "../ws.js";
import {
  abortChunk, app, asconfChunk, atNode, authChunk, bogus, CHUNK_TYPES, cookieEchoChunk, CT_ABORT, CT_ASCONF, CT_ASCONF_ACK,
  CT_AUTH, CT_COOKIE_ACK, CT_COOKIE_ECHO, CT_CWR, CT_DATA, CT_ECNE, CT_ERROR, CT_FORWARD_TSN, CT_HEARTBEAT, CT_HEARTBEAT_ACK,
  CT_I_DATA, CT_I_FORWARD_TSN, CT_INIT, CT_INIT_ACK, CT_NR_SACK, CT_PAD, CT_PKTDROP, CT_RE_CONFIG, CT_SACK, CT_SHUTDOWN,
  CT_SHUTDOWN_ACK, CT_SHUTDOWN_COMPLETE, ei, errorChunk, flagBits, forwardTsnChunk, get16, get32, heartbeatChunk, hf, hooks,
  iForwardTsnChunk, initChunk, lowestTsnChunk, pad4, padChunk, plural, reConfigChunk, shutdownChunk, shutdownCompleteChunk,
  subEnd, subtree, u16at, u32at, unknownChunk, within, type ChunkCtx,
} from "./sctp-chunks.js";
import { addrLen, inErrorPkt } from "./udp.js";

export { hf, ei } from "./sctp-chunks.js";

const SPORT = 0, DPORT = 2, VTAG = 4, CKSUM = 8, HDR = 12;

/** Payload dissectors by payload protocol identifier (Wireshark's "sctp.ppi" table). */
export const sctpPpis = new Map<number, Dissector>();
/** Payload dissectors by port (Wireshark's "sctp.port"): the lower port is tried first. */
export const sctpPorts = new DissectorTable("sctp.port", 65536);

/**
 * Thrown by a payload dissector for Wireshark's ContainedBoundsError: a read inside the length a
 * part claims but past the part that contains it. SCTP shows it as tshark does
 * ("[Malformed Packet: X: length of contained item exceeds length of containing item]").
 */
export const CONTAINED = { kind: "contained" as const };

/** Unwinds to the outermost SCTP packet after a packet-level error was shown (see packetError). */
const ABORT = { kind: "sctp-abort" as const };

/** Wireshark's marker for a malformed read in a packet holding an unreassembled fragment. */
const unreassembled = wsUnreassembled.proto;
const unreassembledExpert = wsUnreassembledEi.expert;
/** Wireshark's pinfo->fragmented for this packet: a DATA fragment was seen, and not reassembled. */
let fragmented = false;

// ---- bounded state ----

/**
 * Halves of associations (one direction, keyed by ports and verification tag) kept at most, and
 * TSNs remembered for retransmission and acknowledgement analysis, in all (the oldest go first).
 * Deviation from tshark, which keeps all: a TSN retransmitted after more than TSN_CAP later TSNs
 * is not recognised as a retransmission.
 */
const HALF_CAP = 16_384, ADDR_CAP = 16_384, TSN_CAP = 131_072;
/**
 * Unfinished fragmented messages kept, and the bytes their fragments may hold; a message (its
 * stream and sequence number, reused when they wrap) is forgotten after FRAGS_PER_MESSAGE fragments.
 */
const MSG_CAP = 4096, FRAG_BYTES_CAP = 32 << 20, FRAGS_PER_MESSAGE = 4096;
/** Chunks inside error causes inside chunks...: deeper nesting is reported as malformed. */
const MAX_NESTING = 64;

interface TsnRec {
  half: Half;
  rel: number;
  tsn: number;
  firstFrame: number;
  firstSec: number;
  firstNsec: number;
  ackFrame: number;
  ackSec: number;
  ackNsec: number;
}

/** Wireshark's sctp_half_assoc_t: one direction's TSNs. */
class Half {
  started = false;
  firstTsn = 0;
  cummAck = 0;
  peer: Half | null = null;
  readonly tsns = new Map<number, TsnRec>();
  /** TSNs of this half acknowledged in frame `ackFrame` (Wireshark's tsn_acks for that frame). */
  ackFrame = -1;
  readonly acked: TsnRec[] = [];
}

interface Fragment {
  frame: number;
  tsn: number;
  len: number;
  data: Uint8Array | null;
  next: Fragment | null;
}

interface Reassembled {
  begin: number;
  end: number;
  reassembledIn: Fragment;
  len: number;
}

/** Fragments of one user message (Wireshark's sctp_frag_msg). */
interface Message {
  fragments: Fragment | null;
  /** B-only fragments, highest TSN first; E-only fragments, lowest TSN first. */
  begins: Fragment[];
  ends: Fragment[];
  done: Reassembled[];
  ppi: number;
  bytes: number;
  count: number;
}

class SctpState {
  readonly dirs = new KeyTable(2, HALF_CAP);
  readonly halves: Half[] = [];
  readonly addrs = new KeyTable(6, ADDR_CAP);
  readonly cells: { h: Half | null }[] = [];
  readonly ring: (TsnRec | undefined)[] = new Array<TsnRec | undefined>(TSN_CAP);
  ringPos = 0;
  readonly messages = new Map<string, Message>();
  fragBytes = 0;
  /**
   * Wireshark's sctp_info.assoc_index, a global set to -1 for each chunk (association indexing
   * being off): a packet without chunks shows the value left by the one before (0 at first).
   */
  assocIndex = 0;

  remember(r: TsnRec): void {
    const old = this.ring[this.ringPos];
    if (old !== undefined && old.half.tsns.get(old.rel) === old) old.half.tsns.delete(old.rel);
    this.ring[this.ringPos] = r;
    this.ringPos = (this.ringPos + 1) % TSN_CAP;
    r.half.tsns.set(r.rel, r);
  }
}

const newState = (): SctpState => new SctpState();

/** Per-packet (or per nested packet) dissection context. */
interface Ctx extends ChunkCtx {
  st: SctpState;
  ha: Half | null;
  /** Chunks add to the Info column (not inside a PKTDROP's packet). */
  useinfo: boolean;
  /** Wireshark's pinfo->flags.in_error_pkt (an ICMP error's quoted packet, a PKTDROP's packet). */
  inError: boolean;
  sport: number;
  dport: number;
  vtag: number;
  /** Where payloads go: the parent of the SCTP item (or the cause holding the chunk). */
  payloadParent: TreeMark;
  /** The protocol an error is reported in (Wireshark's pinfo->current_proto). */
  proto: string;
}

let nesting = 0;
/** The packet being dissected (for chunks inside error causes). */
let active: Ctx | null = null;
/** Contexts reused packet after packet, one per level of packets inside PKTDROP chunks. */
const contexts: Ctx[] = [];
let level = 0;

function ctxAt(i: number): Ctx {
  let c = contexts[i];
  if (c === undefined) {
    c = {} as Ctx;
    contexts[i] = c;
  }
  c.item = null;
  c.flagsItem = null;
  return c;
}

// ---- the packet ----

export function dissectSctp(p: Packet, t: Tree, off: number): void {
  // The layer is listed, and errors are SCTP's, before any byte is read (the item comes later).
  p.layers.push(hf.proto.abbrev);
  t.curProto = "SCTP";
  if (inErrorPkt() && !t.avail(off, 4)) p.layers.pop();
  t.check(off, 4);
  const d = t.d;
  p.ipProto = 132;
  p.srcPort = u16at(d, off + SPORT);
  p.dstPort = u16at(d, off + DPORT);
  p.protocol = "SCTP";
  if (p.wantCols) p.info.clear();
  const st = p.session.store("sctp", newState);
  const inError = inErrorPkt();
  fragmented = false;
  // In an ICMP error's quoted packet, Wireshark drops the layer of a dissector that failed before
  // adding anything (a quote too short for the common header).
  if (inError && !t.avail(off, HDR)) p.layers.pop();
  dissectPacket(p, t, off, st, false, inError);
}

function dissectPacket(p: Packet, t: Tree, off: number, st: SctpState, encapsulated: boolean, inError: boolean): void {
  const d = t.d;
  t.check(off + CKSUM, 4);
  const checksum = u32at(d, off + CKSUM);
  const sport = u16at(d, off + SPORT), dport = u16at(d, off + DPORT), vtag = u32at(d, off + VTAG);
  const ha = inError ? null : halfAssoc(p, st, sport, dport, vtag);
  const tree = t.buildsTree;
  const parentMark = t.mark();
  t.proto(p, hf.proto, off, t.rep - off);
  p.layers.pop();
  t.curProto = "SCTP";
  if (t.full) t.label(`Stream Control Transmission Protocol, Src Port: ${sport} (${sport}), Dst Port: ${dport} (${dport})`);
  const sctpNode = parentMark.cur.kids?.[parentMark.cur.kids.length - 1] ?? null;
  t.uint(hf.srcport, off + SPORT, 2, sport);
  t.uint(hf.dstport, off + DPORT, 2, dport);
  t.uint(hf.verification_tag, off + VTAG, 4, vtag);
  const vtNode = t.lastItem();
  t.uint(hf.port, off + SPORT, 2, sport);
  t.uint(hf.port, off + DPORT, 2, dport);
  t.uint(hf.checksum, off + CKSUM, 4, checksum);
  if (t.full) t.label(`Checksum: 0x${checksum.toString(16).padStart(8, "0")} [unverified]`);
  t.num(hf.checksum_status, 2);
  if (t.full) t.label("[Checksum Status: Unverified]");

  const c = ctxAt(level++);
  c.p = p;
  c.t = t;
  c.tree = tree;
  c.st = st;
  c.ha = ha;
  c.useinfo = !encapsulated;
  c.inError = inError;
  c.sport = sport;
  c.dport = dport;
  c.vtag = vtag;
  c.payloadParent = parentMark;
  c.proto = "SCTP";
  const outer = active;
  active = c;
  try {
    chunks(c, off, parentMark);
  } catch (x) {
    if (encapsulated) throw x;
    if (x === MALFORMED && fragmented && !inError) {
      // An error with a fragment in the packet: Wireshark blames the missing reassembly.
      t.atTop(() => marker(p, t, x, c.proto, false));
    } else if (x !== ABORT) throw x;
    t.restore(parentMark);
    return;
  } finally {
    active = outer;
    level--;
  }
  // Association index (Wireshark adds it once the chunks are done, then moves it behind the tag).
  if (tree && !t.full) t.num(hf.assoc_index, st.assocIndex);
  else if (tree) {
    atNode(t, sctpNode, () => {
      t.num(hf.assoc_index, st.assocIndex);
      t.label("[Association index: disabled (enable in preferences)]");
    });
    const kids = sctpNode?.kids;
    if (kids && vtNode) {
      const n = kids.pop()!;
      kids.splice(kids.indexOf(vtNode) + 1, 0, n);
    }
  }
  t.restore(parentMark);
}

/** dissect_sctp_chunks: each chunk in a sub-buffer of its padded length. */
function chunks(c: Ctx, off: number, parentMark: TreeMark): void {
  const t = c.t, p = c.p;
  const end = t.rep;
  let sctpMark = t.mark();
  for (let o = off + HDR; end - o > 0; ) {
    t.restore(sctpMark);
    t.curProto = c.proto;
    const length = get16(t, o + 2);
    const total = Math.min(pad4(length) & 0xffff, end - o);
    const next = o + total;
    c.st.assocIndex = 65535;
    t.enter(next);
    const handedOn = dissectChunk(c, o);
    t.leave();
    o = next;
    if (handedOn && c.tree && end - o > 0) {
      // Wireshark's next "Stream Control Transmission Protocol" item, for the chunks after a payload.
      t.restore(parentMark);
      t.proto(p, hf.proto, o, end - o);
      p.layers.pop();
      t.curProto = "SCTP";
      sctpMark = t.mark();
    }
  }
}

/** dissect_sctp_chunk: one chunk from `off` to the current end. True when DATA handed on a payload. */
function dissectChunk(c: Ctx, off: number): boolean {
  const t = c.t, p = c.p;
  const d = t.d;
  t.check(off, 1);
  const type = d[off]!;
  const length = get16(t, off + 2);
  const reported = t.rep - off;
  const padding = (reported - length) & 0xffff;
  const name = CHUNK_TYPES.get(type) ?? "RESERVED";
  if (c.useinfo && p.wantCols) p.info.add(name).char(0x20);
  // The chunk's item covers its padded length: Wireshark checks those bytes exist, tree or not.
  t.check(off, reported);
  const item = subtree(t, t.full ? `${name} chunk` : null, off, reported);
  c.item = item;
  c.flagsItem = null;
  if (c.tree) {
    t.uint(hf.chunk_type, off, 1, type);
    t.down();
    t.bool(hf.chunk_bit_1, off, 1, type);
    t.bool(hf.chunk_bit_2, off, 1, type);
    t.up();
    t.uint(hf.chunk_flags, off + 1, 1, d[off + 1]!);
    c.flagsItem = t.lastItem();
  }
  if (length < 4) {
    if (c.tree) {
      t.uint(hf.chunk_length, off + 2, 2, length);
      if (t.full) t.label(`Chunk length: ${length} (invalid, should be >= 4)`);
      app(item, `, bogus chunk length ${length} < 4)`);
    }
    t.up();
    return type === CT_DATA;
  }
  t.uint(hf.chunk_length, off + 2, 2, length);
  if (length > reported && !c.inError) {
    t.expertUnder(t.lastItem(), p, ei.chunk_length_bad, off + 2, 2, `Chunk length (${length}) is longer than remaining data (${reported}) in the packet.`);
  }
  if (nesting >= MAX_NESTING) throw MALFORMED;
  nesting++;
  let result = false;
  try {
    switch (type) {
      case CT_DATA: result = dataChunk(c, off, length, false); break;
      case CT_I_DATA: result = dataChunk(c, off, length, true); break;
      case CT_INIT: initChunk(c, off, length, false); break;
      case CT_INIT_ACK: initChunk(c, off, length, true); break;
      case CT_SACK: sackChunk(c, off); break;
      case CT_HEARTBEAT: case CT_HEARTBEAT_ACK: heartbeatChunk(c, off, length); break;
      case CT_ABORT: abortChunk(c, off, length); break;
      case CT_SHUTDOWN: shutdownChunk(c, off); break;
      case CT_SHUTDOWN_ACK: case CT_COOKIE_ACK: break;
      case CT_ERROR: errorChunk(c, off, length); break;
      case CT_COOKIE_ECHO: cookieEchoChunk(c, off, length); break;
      case CT_ECNE: lowestTsnChunk(c, off, false); break;
      case CT_CWR: lowestTsnChunk(c, off, true); break;
      case CT_SHUTDOWN_COMPLETE: shutdownCompleteChunk(c, off); break;
      case CT_FORWARD_TSN: forwardTsnChunk(c, off, length); break;
      case CT_RE_CONFIG: reConfigChunk(c, off, length); break;
      case CT_AUTH: authChunk(c, off, length); break;
      case CT_NR_SACK: nrSackChunk(c, off); break;
      case CT_ASCONF_ACK: asconfChunk(c, off, length, true); break;
      case CT_ASCONF: asconfChunk(c, off, length, false); break;
      case CT_I_FORWARD_TSN: iForwardTsnChunk(c, off, length); break;
      case CT_PKTDROP: pktdropChunk(c, off, length); break;
      case CT_PAD: padChunk(c, off, length); break;
      default: unknownChunk(c, off, length, type);
    }
  } finally {
    nesting--;
  }
  c.item = item;
  if (padding > 0) t.bytes(hf.chunk_padding, off + length, padding);
  if (c.useinfo && p.wantCols) p.info.setFence();
  t.up();
  return result;
}

/** An unrecognized chunk inside an error cause: the whole chunk dissector, without association. */
hooks.chunk = (p: Packet, t: Tree, off: number, end: number, payloadParent: TreeMark) => {
  const base = active;
  if (base === null) return;
  const c: Ctx = { ...base, ha: null, useinfo: false, payloadParent, item: null, flagsItem: null };
  t.enter(end);
  dissectChunk(c, off);
  t.leave();
};

// ---- DATA and I-DATA ----

function dataChunk(c: Ctx, off: number, length: number, idata: boolean): boolean {
  const t = c.t, p = c.p;
  const d = t.d;
  const hdr = idata ? 20 : 16;
  if (bogus(c, length, hdr)) return true;
  let ppi = get32(t, off + (idata ? 16 : 12));
  const flags = d[off + 1]!;
  const e = (flags & 1) !== 0, b = (flags & 2) !== 0, u = (flags & 4) !== 0;
  const raw = get32(t, off + 4);
  const ha = c.ha;
  let tsn = raw;
  if (ha !== null) {
    if (!ha.started) {
      ha.firstTsn = raw;
      ha.started = true;
    }
    tsn = (raw - ha.firstTsn) >>> 0;
  }
  if (p.wantCols) p.info.add("(TSN=").dec(tsn).add(") ");
  let tsnNode: Node | null = null;
  if (c.tree) {
    flagBits(c, off, [hf.data_i_bit, hf.data_u_bit, hf.data_b_bit, hf.data_e_bit]);
    if (ha !== null) {
      t.uint(hf.data_tsn, off + 4, 4, tsn);
      tsnNode = t.lastItem();
      t.uint(hf.data_tsn_raw, off + 4, 4, raw);
    } else {
      t.uint(hf.data_tsn_raw, off + 4, 4, raw);
      tsnNode = t.lastItem();
    }
    const sid = get16(t, off + 8);
    t.uint(hf.data_sid, off + 8, 2, sid);
    if (idata) {
      t.uint(hf.data_reserved, off + 10, 2, get16(t, off + 10));
      t.uint(hf.data_mid, off + 12, 4, get32(t, off + 12));
      if (b) t.uint(hf.data_payload_proto_id, off + 16, 4, ppi);
      else t.uint(hf.data_fsn, off + 16, 4, ppi);
    } else {
      t.uint(hf.data_ssn, off + 10, 2, get16(t, off + 10));
      t.uint(hf.data_payload_proto_id, off + 12, 4, ppi);
    }
    if (c.item !== null) {
      const n = length - hdr;
      const kind = b ? (e ? "complete" : "first") : e ? "last" : "middle";
      const tail = idata
        ? b ? `, MID: ${u32at(d, off + 12)}, payload length` : `, MID: ${u32at(d, off + 12)}, FSN: ${u32at(d, off + 16)}, payload length`
        : `, SSN: ${u16at(d, off + 10)}, PPID: ${ppi}, payload length`;
      app(c.item, ` (${u ? "unordered" : "ordered"}, ${kind} segment, TSN: ${tsn}, SID: ${sid}${tail}: ${n} byte${plural(n)})`);
    }
  }
  const retransmission = tsnAnalysis(c, tsnNode, ha, raw);
  const payload = off + hdr;
  t.check(payload, 0);
  const payloadEnd = subEnd(t, payload, length - hdr);
  if (b && e && !retransmission) {
    try {
      dissectPayload(c, payload, payloadEnd, ppi);
      return true;
    } catch (x) {
      showException(c, x);
      return false;
    }
  }
  if (!(b && e)) fragmented = true;
  if (retransmission) {
    if (p.wantCols) p.info.add("(retransmission) ");
    return false;
  }
  // A fragment: reassembly.
  const sid = u16at(d, off + 8);
  let ssn: number;
  if (idata) {
    ssn = u32at(d, off + 12);
    if (b) tsn = 0;
    else {
      tsn = u32at(d, off + 16);
      ppi = 0;
    }
  } else ssn = u ? 0 : u16at(d, off + 10);
  // No reassembly of a payload cut by the snaplen.
  if (Math.min(payloadEnd, t.cap) < payloadEnd) return true;
  const frag = addFragment(c, payload, payloadEnd, tsn, sid, ssn, b, e, u, ppi, idata);
  const whole = frag === null ? null : reassemble(c, frag, payload, payloadEnd, sid, ssn, u);
  if (whole !== null) {
    try {
      t.source(whole, () => dissectPayload(c, 0, whole.length, ppi), "Reassembled SCTP Message");
    } catch (x) {
      // Wireshark does not catch here: the error ends the whole packet.
      packetError(c, x);
    }
  }
  return true;
}

/** dissect_payload: by PPI, then the lower port, then the higher one; else Data. */
function dissectPayload(c: Ctx, off: number, end: number, ppi: number): void {
  const t = c.t, p = c.p;
  const sport = p.srcPort, dport = p.dstPort;
  const lo = sport < dport ? sport : dport, hi = sport < dport ? dport : sport;
  const next = sctpPpis.get(ppi) ?? (lo !== 0 ? sctpPorts.get(lo) : undefined) ?? (hi !== 0 ? sctpPorts.get(hi) : undefined);
  atNode(t, c.payloadParent.cur, () => {
    t.enter(end);
    try {
      if (next) next(p, t, off);
      else callData(p, t, off);
    } catch (x) {
      failedIn = t.curProto;
      throw x;
    }
    t.leave();
  }, c.payloadParent.depth);
}

/** The protocol a payload dissector failed in (the Tree's own name for it is restored on the way out). */
let failedIn = "";

function takeFailedIn(t: Tree): string {
  const s = failedIn || t.curProto;
  failedIn = "";
  return s;
}

/** Wireshark's show_exception for a payload that failed: its marker after the payload's items. */
function showException(c: Ctx, x: unknown): void {
  if (!isBoundsSignal(x) && x !== CONTAINED) throw x; // ABORT included
  const t = c.t, p = c.p;
  const proto = takeFailedIn(t);
  atNode(t, c.payloadParent.cur, () => marker(p, t, x, proto, false), c.payloadParent.depth);
  // Wireshark restores pinfo->current_proto only when a dissector returns: a later error in this
  // packet is still the failed payload protocol's.
  t.curProto = c.proto = proto;
}

/** The "[Malformed Packet...]" / "[Packet size limited...]" item and Info text for an error in `proto`. */
function marker(p: Packet, t: Tree, x: unknown, proto: string, silentInfo: boolean): void {
  if ((x === MALFORMED || x === CONTAINED) && fragmented) {
    if (p.wantCols && !silentInfo) p.info.add("[BoundErrorUnreassembled Packet]");
    t.proto(p, unreassembled, 0, 0);
    p.layers.pop();
    t.label(`[BoundError Unreassembled Packet: ${proto}]`);
    t.down();
    t.expert(p, unreassembledExpert, 0, 0);
    t.up();
    t.up();
    return;
  }
  const short = x === SHORT;
  if (short) p.short = true;
  else p.malformed = true;
  if (p.wantCols && !silentInfo) {
    p.info.add(short ? "[Packet size limited during capture]" : x === CONTAINED ? "[Malformed Packet: length of contained item exceeds length of containing item]" : "[Malformed Packet]");
  }
  t.proto(p, short ? ws.short : ws.malformed, 0, 0);
  p.layers.pop();
  t.label(short ? `[Packet size limited during capture: ${proto} truncated]`
    : x === CONTAINED ? `[Malformed Packet: ${proto}: length of contained item exceeds length of containing item]` : `[Malformed Packet: ${proto}]`);
  if (!short) {
    t.down();
    t.expert(p, wsEi.malformed, 0, 0);
    t.up();
  }
  t.up();
}

/**
 * An error Wireshark does not catch inside SCTP: shown at the top of the tree, as the engine shows
 * one, then the packet's dissection ends (ABORT unwinds to the outermost SCTP packet).
 * `silentInfo`: the Info column is not writable then (inside a PKTDROP chunk).
 */
function packetError(c: Ctx, x: unknown, silentInfo = false): never {
  if (!isBoundsSignal(x) && x !== CONTAINED) throw x;
  const t = c.t;
  const proto = takeFailedIn(t);
  t.atTop(() => marker(c.p, t, x, proto, silentInfo));
  throw ABORT;
}

// ---- TSN analysis ----

/** get_half_assoc: this direction's half (made if new), matched with the other by address and ports. */
function halfAssoc(p: Packet, st: SctpState, sport: number, dport: number, vtag: number): Half | null {
  if (vtag === 0) return null;
  const dirs = st.dirs;
  dirs.key[0] = ((sport << 16) | dport) >>> 0;
  dirs.key[1] = vtag;
  let slot = dirs.find();
  let ha: Half;
  if (slot >= 0) {
    dirs.touch(slot);
    ha = st.halves[slot]!;
    if (ha.peer !== null) return ha;
  } else {
    slot = dirs.insert();
    ha = new Half();
    st.halves[slot] = ha;
  }
  const alen = addrLen(p);
  const addrs = st.addrs;
  addrKey(addrs.key, dport, sport, p, p.ipDstOff, alen);
  const found = addrs.find();
  if (found >= 0) {
    addrs.touch(found);
    const cell = st.cells[found]!;
    if (cell.h === null) cell.h = ha;
    else {
      ha.peer = cell.h;
      cell.h.peer = ha;
      cell.h = null;
    }
  } else {
    addrKey(addrs.key, sport, dport, p, p.ipSrcOff, alen);
    let s = addrs.find();
    if (s < 0) s = addrs.insert();
    else addrs.touch(s);
    st.cells[s] = { h: ha };
  }
  return ha;
}

function addrKey(k: Uint32Array, a: number, b: number, p: Packet, addrOff: number, alen: number): void {
  k[0] = ((a << 16) | b) >>> 0;
  k[1] = (p.ipVersion << 8) | alen;
  if (alen > 0) putAddrKey(k, 2, p.ipData, addrOff, alen);
  else k[2] = k[3] = k[4] = k[5] = 0;
}

/** sctp_tsn: records a DATA chunk's TSN; true when it was sent before (a retransmission). */
function tsnAnalysis(c: Ctx, tsnNode: Node | null, h: Half | null, tsn: number): boolean {
  if (h === null) return false;
  const p = c.p, t = c.t;
  if (!h.started) {
    h.firstTsn = tsn;
    h.started = true;
  }
  const rel = (tsn - h.firstTsn) >>> 0;
  let r = h.tsns.get(rel);
  if (r === undefined) {
    r = { half: h, rel, tsn, firstFrame: p.num, firstSec: p.tsSec, firstNsec: p.tsNsec, ackFrame: 0, ackSec: 0, ackNsec: 0 };
    c.st.remember(r);
  }
  const retransmission = r.firstFrame !== p.num;
  if (c.tree && (retransmission || r.ackFrame !== 0)) {
    const rec = r;
    atNode(t, tsnNode, () => {
      if (retransmission) {
        t.num(hf.retransmission, rec.firstFrame);
        t.down();
        t.expert(p, ei.retransmission, 0, 0);
        t.relTime(hf.retransmission_time, p.tsSec, p.tsNsec, rec.firstSec, rec.firstNsec);
        if (rec.ackFrame !== 0 && rec.ackFrame < p.num) {
          t.num(hf.retransmitted_after_ack, rec.ackFrame);
          if (t.full) t.label(`[This TSN was acked (in frame ${rec.ackFrame}) prior to this retransmission (reneged ack?)]`);
          t.expertUnder(t.lastItem(), p, ei.retransmitted_after_ack, 0, 0);
        }
        t.up();
      }
      if (rec.ackFrame !== 0) {
        t.num(hf.acked, rec.ackFrame);
        t.down();
        t.relTime(hf.data_rtt, rec.ackSec, rec.ackNsec, rec.firstSec, rec.firstNsec);
        t.up();
      }
    });
  }
  return retransmission;
}

/** ack_tree: an "Acknowledges TSN" item for a TSN acknowledged in this frame. */
function ackItem(c: Ctx, r: TsnRec, node: Node | null): void {
  const t = c.t;
  if (r.ackFrame !== c.p.num || !c.tree) return;
  atNode(t, node, () => {
    t.num(hf.ack, r.tsn);
    t.down();
    t.num(hf.ack_frame, r.firstFrame);
    t.relTime(hf.sack_rtt, r.ackSec, r.ackNsec, r.firstSec, r.firstNsec);
    t.up();
  });
}

/** sctp_ack: marks the peer's TSN `rel` acknowledged (the first time) and shows it. */
function ackTsn(c: Ctx, h: Half, rel: number, node: Node | null): void {
  const peer = h.peer;
  if (peer === null) return;
  const r = peer.tsns.get(rel);
  if (r === undefined) return;
  const p = c.p;
  if (r.ackFrame === 0) {
    r.ackFrame = p.num;
    r.ackSec = p.tsSec;
    r.ackNsec = p.tsNsec;
    if (peer.ackFrame !== p.num) {
      peer.ackFrame = p.num;
      peer.acked.length = 0;
    }
    peer.acked.push(r);
  }
  if (r.ackFrame === p.num) ackItem(c, r, node);
}

/** sctp_ack_block: a cumulative ack (`start` null) or a gap block, as Wireshark computes it. */
function ackBlock(c: Ctx, h: Half | null, node: Node | null, start: number | null, end: number): void {
  if (h === null || h.peer === null || !h.peer.started) return;
  const peer = h.peer;
  const relEnd = (end - peer.firstTsn) >>> 0;
  const relStart = start !== null ? (start - peer.firstTsn) >>> 0 : peer.cummAck;
  if (peer.ackFrame === c.p.num && peer.acked.length > 0) {
    for (const r of peer.acked) {
      const rel = (r.tsn - peer.firstTsn) >>> 0;
      if (r.ackFrame === c.p.num && (start === null || relStart <= rel) && rel <= relEnd) ackItem(c, r, node);
    }
    return;
  }
  if (relEnd < relStart || relEnd - relStart > 0xffff0000) return;
  if (start === null) peer.cummAck = (relEnd + 1) >>> 0;
  if (relEnd - relStart < 5000) {
    for (let i = 0; i <= relEnd - relStart; i++) ackTsn(c, h, (i + relStart) >>> 0, node);
  }
}

// ---- SACK and NR-SACK ----

function sackChunk(c: Ctx, off: number): void {
  const t = c.t, p = c.p;
  const ha = c.ha;
  const raw = get32(t, off + 4);
  const relative = ha !== null && ha.peer !== null;
  const cum = relative ? (raw - ha!.peer!.firstTsn) >>> 0 : raw;
  flagBits(c, off, [hf.sack_nounce_sum]);
  let ctsa: Node | null;
  if (relative) {
    t.uint(hf.sack_cumulative_tsn_ack, off + 4, 4, cum);
    ctsa = t.lastItem();
    t.uint(hf.sack_cumulative_tsn_ack_raw, off + 4, 4, raw);
  } else {
    t.uint(hf.sack_cumulative_tsn_ack_raw, off + 4, 4, raw);
    ctsa = t.lastItem();
  }
  const aRwnd = get32(t, off + 8);
  t.uint(hf.sack_a_rwnd, off + 8, 4, aRwnd);
  const aRwndItem = t.lastItem();
  const gaps = get16(t, off + 12);
  t.uint(hf.sack_number_of_gap_blocks, off + 12, 2, gaps);
  const dups = get16(t, off + 14);
  t.uint(hf.sack_number_of_duplicated_tsns, off + 14, 2, dups);
  if (aRwnd === 0) t.expertUnder(aRwndItem, p, ei.sack_a_rwnd, off + 8, 4);
  ackBlock(c, ha, ctsa, null, cum);
  const lastEnd = gapBlocks(c, off + 16, gaps, cum, true, hf.sack_gap_block_start, hf.sack_gap_block_start_tsn,
    hf.sack_gap_block_end, hf.sack_gap_block_end_tsn, hf.sack_number_of_tsns_gap_acked, ei.sack_gap_acked_100, "Gap");
  if (p.wantCols) {
    p.info.add("(Ack=").dec(cum);
    if (lastEnd !== 0) p.info.add("+").dec(lastEnd);
    p.info.add(", Arwnd=").dec(aRwnd).add(") ");
  }
  for (let i = 0, o = off + 16 + gaps * 4; i < dups; i++, o += 4) t.uint(hf.sack_duplicate_tsn, o, 4, get32(t, o));
  app(c.item, ` (Cumulative TSN: ${raw}, a_rwnd: ${aRwnd}, gaps: ${gaps}, duplicate TSNs: ${dups})`);
}

function nrSackChunk(c: Ctx, off: number): void {
  const t = c.t;
  const cum = get32(t, off + 4);
  flagBits(c, off, [hf.nr_sack_nounce_sum]);
  t.uint(hf.nr_sack_cumulative_tsn_ack, off + 4, 4, cum);
  const ctsa = t.lastItem();
  const aRwnd = get32(t, off + 8);
  t.uint(hf.nr_sack_a_rwnd, off + 8, 4, aRwnd);
  const gaps = get16(t, off + 12);
  t.uint(hf.nr_sack_number_of_gap_blocks, off + 12, 2, gaps);
  const nrGaps = get16(t, off + 14);
  t.uint(hf.nr_sack_number_of_nr_gap_blocks, off + 14, 2, nrGaps);
  const dups = get16(t, off + 16);
  t.uint(hf.nr_sack_number_of_duplicated_tsns, off + 16, 2, dups);
  t.uint(hf.nr_sack_reserved, off + 18, 2, get16(t, off + 18));
  ackBlock(c, c.ha, ctsa, null, cum);
  gapBlocks(c, off + 20, gaps, cum, true, hf.nr_sack_gap_block_start, hf.nr_sack_gap_block_start_tsn, hf.nr_sack_gap_block_end,
    hf.nr_sack_gap_block_end_tsn, hf.nr_sack_number_of_tsns_gap_acked, ei.nr_sack_gap_acked_100, "Gap");
  gapBlocks(c, off + 20 + gaps * 4, nrGaps, cum, false, hf.nr_sack_nr_gap_block_start, hf.nr_sack_nr_gap_block_start_tsn,
    hf.nr_sack_nr_gap_block_end, hf.nr_sack_nr_gap_block_end_tsn, hf.nr_sack_number_of_tsns_nr_gap_acked, ei.nr_sack_nr_gap_acked_100, "NR-Gap");
  for (let i = 0, o = off + 20 + (gaps + nrGaps) * 4; i < dups; i++, o += 4) t.uint(hf.nr_sack_duplicate_tsn, o, 4, get32(t, o));
  app(c.item, ` (Cumulative TSN: ${cum}, a_rwnd: ${aRwnd}, gaps: ${gaps}, nr-gaps: ${nrGaps}, duplicate TSNs: ${dups})`);
}

type F = typeof hf.sack_gap_block_start;

/** The gap (or NR-gap) blocks of a SACK or NR-SACK; returns the last block's end. */
function gapBlocks(c: Ctx, off: number, n: number, cum: number, acks: boolean, fStart: F, fStartTsn: F, fEnd: F, fEndTsn: F,
  fCount: F, e100: typeof ei.sack_gap_acked_100, kind: string): number {
  const t = c.t, p = c.p;
  let lastEnd = 0, acked = 0;
  for (let i = 0, o = off; i < n; i++, o += 4) {
    const start = get16(t, o), end = get16(t, o + 2);
    const tsnStart = (cum + start) >>> 0, tsnEnd = (cum + end) >>> 0;
    const block = subtree(t, t.full ? `${kind} Acknowledgement for TSN ${tsnStart} to ${tsnEnd}` : null, o, 4);
    t.uint(fStart, o, 2, start);
    t.down();
    t.uint(fStartTsn, o, 2, tsnStart);
    t.up();
    t.uint(fEnd, o + 2, 2, end);
    t.down();
    t.uint(fEndTsn, o + 2, 2, tsnEnd);
    const endTsnItem = t.lastItem();
    t.up();
    if (acks) ackBlock(c, c.ha, block, tsnStart, tsnEnd);
    acked = (acked + end + 1 - start) >>> 0;
    if (start > end) t.expertUnder(endTsnItem, p, ei.gap_block_malformed, o + 2, 2);
    if (lastEnd > start) t.expertUnder(endTsnItem, p, ei.gap_block_out_of_order, o + 2, 2);
    lastEnd = end;
    t.up();
  }
  if (acked !== 0) {
    t.num(fCount, acked);
    if (acked > 100) t.expertUnder(t.lastItem(), p, e100, 0, 0);
  }
  return lastEnd;
}

// ---- PKTDROP ----

function pktdropChunk(c: Ctx, off: number, length: number): void {
  const t = c.t, p = c.p;
  if (bogus(c, length, 16)) return;
  const dataLen = length - 16;
  t.check(off + 16, 0);
  if (!c.tree) return;
  flagBits(c, off, [hf.pckdrop_m_bit, hf.pckdrop_b_bit, hf.pckdrop_t_bit]);
  t.uint(hf.pktdrop_bandwidth, off + 4, 4, get32(t, off + 4));
  t.uint(hf.pktdrop_queuesize, off + 8, 4, get32(t, off + 8));
  t.uint(hf.pktdrop_truncated_length, off + 12, 2, get16(t, off + 12));
  t.uint(hf.pktdrop_reserved, off + 14, 2, get16(t, off + 14));
  if (dataLen <= 0) return;
  if ((t.d[off + 1]! & 4) !== 0) {
    t.bytes(hf.pktdrop_datafield, off + 16, dataLen);
    return;
  }
  // The dropped packet, inside the chunk; the columns are not writable meanwhile.
  const info = p.info, infoLen = info.len, fence = info.fence, protocol = p.protocol;
  try {
    within(t, subEnd(t, off + 16, dataLen), () => dissectPacket(p, t, off + 16, c.st, true, true));
  } catch (x) {
    if (x === ABORT) throw x;
    info.len = infoLen;
    info.fence = fence;
    p.protocol = protocol;
    packetError(c, x, true);
  }
  info.len = infoLen;
  info.fence = fence;
  p.protocol = protocol;
}

// ---- reassembly ----

function messageKey(c: Ctx, sid: number, ssn: number, u: boolean): string {
  return `${c.sport},${c.dport},${c.vtag},${sid},${ssn},${u ? 1 : 0}`;
}

function findFragment(m: Message, tsn: number): Fragment | null {
  for (let f = m.fragments; f !== null; f = f.next) if (f.tsn === tsn) return f;
  return null;
}

/** add_fragment: null for a duplicate (or an empty fragment). */
function addFragment(c: Ctx, off: number, end: number, tsn: number, sid: number, ssn: number, b: boolean, e: boolean, u: boolean,
  ppi: number, idata: boolean): Fragment | null {
  if (c.inError) return null;
  const t = c.t, p = c.p, st = c.st;
  const key = messageKey(c, sid, ssn, u);
  let m = st.messages.get(key);
  if (m !== undefined && m.count >= FRAGS_PER_MESSAGE) {
    st.fragBytes -= m.bytes;
    st.messages.delete(key);
    m = undefined;
  }
  if (m === undefined) {
    m = { fragments: null, begins: [], ends: [], done: [], ppi: idata ? (b ? ppi : 0) : ppi, bytes: 0, count: 0 };
    st.messages.set(key, m);
    evictMessages(st);
  } else if (b) m.ppi = ppi;
  const seen = findFragment(m, tsn);
  if (seen !== null) {
    if (seen.frame === p.num) return seen;
    if (p.wantCols) p.info.add("(Duplicate Message Fragment) ");
    t.num(hf.duplicate, seen.frame);
    return null;
  }
  const len = end - off;
  if (len === 0) return null;
  const f: Fragment = { frame: p.num, tsn, len, data: t.d.slice(off, end), next: null };
  m.bytes += len;
  m.count++;
  st.fragBytes += len;
  if (m.fragments === null || m.fragments.tsn > tsn) {
    f.next = m.fragments;
    m.fragments = f;
  } else {
    let last = m.fragments;
    while (last.next !== null && last.next.tsn < tsn) last = last.next;
    f.next = last.next;
    last.next = f;
  }
  if (b && !e) {
    let i = 0;
    while (i < m.begins.length && m.begins[i]!.tsn > tsn) i++;
    m.begins.splice(i, 0, f);
  }
  if (!b && e) {
    let i = 0;
    while (i < m.ends.length && m.ends[i]!.tsn < tsn) i++;
    m.ends.splice(i, 0, f);
  }
  evictMessages(st);
  return f;
}

function evictMessages(st: SctpState): void {
  while (st.messages.size > MSG_CAP || st.fragBytes > FRAG_BYTES_CAP) {
    const first = st.messages.entries().next();
    if (first.done) break;
    const [k, m] = first.value;
    st.fragBytes -= m.bytes;
    st.messages.delete(k);
  }
}

/** fragment_reassembly: the whole message when `frag` completes it, else null (with Info text). */
function reassemble(c: Ctx, frag: Fragment, off: number, end: number, sid: number, ssn: number, u: boolean): Uint8Array | null {
  const t = c.t, p = c.p, st = c.st;
  const m = st.messages.get(messageKey(c, sid, ssn, u));
  if (m === undefined) return null;
  const fragInfo = () => {
    if (p.wantCols) p.info.add("(Message Fragment) ");
  };
  for (const msg of m.done) {
    if ((msg.begin <= frag.tsn && msg.end >= frag.tsn) || (msg.begin > msg.end && (msg.begin <= frag.tsn || msg.end >= frag.tsn))) {
      // Already part of a reassembled message (the message itself was shown where it completed).
      fragInfo();
      t.num(hf.reassembled_in, msg.reassembledIn.frame);
      return null;
    }
  }
  let begin: Fragment | undefined = m.begins.find((f) => f.tsn <= frag.tsn) ?? m.begins[0];
  let endF: Fragment | undefined = m.ends.find((f) => f.tsn >= frag.tsn) ?? m.ends[0];
  if (begin === undefined || endF === undefined || m.fragments === null || (begin.tsn > endF.tsn && m.fragments.tsn !== 0)) {
    fragInfo();
    return null;
  }
  const first = begin;
  let len = first.len;
  let last: Fragment = first;
  let f: Fragment | null;
  const wrapped = begin.tsn > endF.tsn;
  if (wrapped) {
    for (f = first.next; f !== null && f.tsn === ((last.tsn + 1) >>> 0); last = f, f = f.next) len += f.len;
    if (((last.tsn + 1) >>> 0) !== 0) {
      fragInfo();
      return null;
    }
    len += m.fragments.len;
    last = m.fragments;
    for (f = last.next; f !== null && f.tsn < endF.tsn && f.tsn === ((last.tsn + 1) >>> 0); last = f, f = f.next) len += f.len;
  } else {
    for (f = first.next; f !== null && f.tsn < endF.tsn && f.tsn === ((last.tsn + 1) >>> 0); last = f, f = f.next) len += f.len;
  }
  if (f === null || f !== endF || f.tsn !== ((last.tsn + 1) >>> 0)) {
    fragInfo();
    return null;
  }
  len += f.len;
  const data = new Uint8Array(len);
  let at = 0;
  const copy = (x: Fragment) => {
    if (x.data !== null) data.set(x.data.subarray(0, Math.min(x.data.length, len - at)), at);
    at += x.len;
    if (x.data !== null) {
      m.bytes -= x.data.length;
      st.fragBytes -= x.data.length;
      x.data = null;
    }
  };
  if (wrapped) {
    for (let x: Fragment | null = first; x !== null; x = x.next) copy(x);
    for (let x: Fragment | null = m.fragments; x !== null && x.tsn <= endF.tsn; x = x.next) copy(x);
  } else {
    for (let x: Fragment | null = first; x !== null && x.tsn <= endF.tsn; x = x.next) copy(x);
  }
  fragmented = false;
  const done: Reassembled = { begin: begin.tsn, end: endF.tsn, reassembledIn: frag, len };
  m.done.push(done);
  m.begins.splice(m.begins.indexOf(begin), 1);
  m.ends.splice(m.ends.indexOf(endF), 1);
  begin = undefined;
  endF = undefined;
  // The fragments' offsets continue after the message length, as Wireshark's do.
  const count = (done.end - done.begin + 1) >>> 0;
  t.none(hf.fragments, off, end - off, `Reassembled SCTP Fragments (${len} bytes, ${count} fragments): `);
  t.down();
  let o = at;
  const show = (x: Fragment) => {
    t.num(hf.fragment, x.frame);
    if (t.full) t.label(`Frame: ${x.frame}, payload: ${o}-${o + x.len - 1} (${x.len} bytes)`);
    o += x.len;
  };
  if (done.begin > done.end) {
    for (let x = findFragment(m, done.begin); x !== null; x = x.next) show(x);
    for (let x: Fragment | null = m.fragments; x !== null && x.tsn <= done.end; x = x.next) show(x);
  } else {
    for (let x = findFragment(m, done.begin); x !== null && x.tsn <= done.end; x = x.next) show(x);
  }
  t.up();
  return data;
}

ipProtos.add(132, dissectSctp);
