// Transmission Control Protocol (RFC 9293), with the per-connection state Wireshark keeps by
// default: stream index, relative sequence numbers, window scaling, conversation completeness
// and per-stream timestamps. Sequence analysis (retransmissions, dup ACKs, RTT) is in tcp-analysis.ts.
//   sport 0..2 | dport 2..4 | seq 4..8 | ack 8..12 | offset/flags 12..14 | window 14..16 |
//   checksum 16..18 | urgent pointer 18..20 | options 20..hdr_len | payload
import { Base, FT, registerExperts, registerProtocol, TFS_SET } from "../fields.js";
import { callData, ipProtos, tcpPorts } from "../dispatch.js";
import { Tap, type Packet } from "../packet.js";
import { isBoundsSignal, type Tree } from "../tree.js";
import { wsStringEi } from "../ws.js";
import { addrLen, CHECKSUM_STATUS, CK_UNVERIFIED, ConvTable, inErrorPkt, isFragmented, TCP_CONV_CAP, type Conv } from "./udp.js";
import { dissectOptions, emitTcpOptions, registerOptionFields, tcpOptionsLen, type OptionContext, type TcpOptionRepr } from "./tcp-options.js";
import { AnalysisTable, anBegin, anFlags, anKeepPrefix, anPayload, anPrint, anSack, anSegment, registerAnalysis } from "./tcp-analysis.js";
import { onesSum, putU16, putU32, type Layer } from "../build.js";
import { pseudoHeaderSum } from "./udp.js";
import { desegment, finishAtFin, HeldBytes, reassembles, registerReassemblyFields, releasePdu, type PendingPdu, type SegmentInfo } from "./tcp-reassembly.js";

const SPORT = 0, DPORT = 2, SEQ = 4, ACK = 8, OFF = 12, WIN = 14, CKSUM = 16, URG = 18, MIN_HDR = 20;

const TH_FIN = 0x001, TH_SYN = 0x002, TH_RST = 0x004, TH_PUSH = 0x008, TH_ACK = 0x010, TH_URG = 0x020;
const TH_RES = 0xe00, TH_MASK = 0xfff;

// Conversation completeness bits (Wireshark's TCP_COMPLETENESS_*).
const C_SYNSENT = 1, C_SYNACK = 2, C_ACK = 4, C_DATA = 8, C_FIN = 16, C_RST = 32;

const F12 = 12;
export const hf = registerProtocol("tcp", "Transmission Control Protocol", {
  srcport: { abbrev: "tcp.srcport", name: "Source Port", type: FT.UINT16 },
  dstport: { abbrev: "tcp.dstport", name: "Destination Port", type: FT.UINT16 },
  port: { abbrev: "tcp.port", name: "Source or Destination Port", type: FT.UINT16, hidden: true },
  stream: { abbrev: "tcp.stream", name: "Stream index", type: FT.UINT32, generated: true },
  completeness: { abbrev: "tcp.completeness", name: "Conversation completeness", type: FT.UINT8, generated: true },
  len: { abbrev: "tcp.len", name: "TCP Segment Len", type: FT.UINT32, generated: true },
  seq: { abbrev: "tcp.seq", name: "Sequence Number", type: FT.UINT32 },
  seq_raw: { abbrev: "tcp.seq_raw", name: "Sequence Number (raw)", type: FT.UINT32 },
  nxtseq: { abbrev: "tcp.nxtseq", name: "Next Sequence Number", type: FT.UINT32, generated: true },
  ack: { abbrev: "tcp.ack", name: "Acknowledgment Number", type: FT.UINT32 },
  ack_raw: { abbrev: "tcp.ack_raw", name: "Acknowledgment number (raw)", type: FT.UINT32 },
  hdr_len: { abbrev: "tcp.hdr_len", name: "Header Length", type: FT.UINT8 },
  flags: { abbrev: "tcp.flags", name: "Flags", type: FT.UINT16, base: Base.HEX, mask: TH_MASK },
  flags_res: { abbrev: "tcp.flags.res", name: "Reserved", type: FT.BOOLEAN, mask: TH_RES, bitWidth: F12, tfs: TFS_SET },
  flags_ae: { abbrev: "tcp.flags.ae", name: "Accurate ECN", type: FT.BOOLEAN, mask: 0x100, bitWidth: F12, tfs: TFS_SET },
  flags_cwr: { abbrev: "tcp.flags.cwr", name: "Congestion Window Reduced", type: FT.BOOLEAN, mask: 0x080, bitWidth: F12, tfs: TFS_SET },
  flags_ece: { abbrev: "tcp.flags.ece", name: "ECN-Echo", type: FT.BOOLEAN, mask: 0x040, bitWidth: F12, tfs: TFS_SET },
  flags_urg: { abbrev: "tcp.flags.urg", name: "Urgent", type: FT.BOOLEAN, mask: TH_URG, bitWidth: F12, tfs: TFS_SET },
  flags_ack: { abbrev: "tcp.flags.ack", name: "Acknowledgment", type: FT.BOOLEAN, mask: TH_ACK, bitWidth: F12, tfs: TFS_SET },
  flags_push: { abbrev: "tcp.flags.push", name: "Push", type: FT.BOOLEAN, mask: TH_PUSH, bitWidth: F12, tfs: TFS_SET },
  flags_reset: { abbrev: "tcp.flags.reset", name: "Reset", type: FT.BOOLEAN, mask: TH_RST, bitWidth: F12, tfs: TFS_SET },
  flags_syn: { abbrev: "tcp.flags.syn", name: "Syn", type: FT.BOOLEAN, mask: TH_SYN, bitWidth: F12, tfs: TFS_SET },
  flags_fin: { abbrev: "tcp.flags.fin", name: "Fin", type: FT.BOOLEAN, mask: TH_FIN, bitWidth: F12, tfs: TFS_SET },
  flags_str: { abbrev: "tcp.flags.str", name: "TCP Flags", type: FT.STRING, generated: true },
  window_size_value: { abbrev: "tcp.window_size_value", name: "Window", type: FT.UINT16 },
  window_size: { abbrev: "tcp.window_size", name: "Calculated window size", type: FT.UINT32, generated: true },
  window_size_scalefactor: { abbrev: "tcp.window_size_scalefactor", name: "Window size scaling factor", type: FT.INT32, generated: true },
  checksum: { abbrev: "tcp.checksum", name: "Checksum", type: FT.UINT16, base: Base.HEX },
  checksum_status: { abbrev: "tcp.checksum.status", name: "Checksum Status", type: FT.UINT8, base: Base.NONE, strings: CHECKSUM_STATUS, generated: true },
  urgent_pointer: { abbrev: "tcp.urgent_pointer", name: "Urgent Pointer", type: FT.UINT16 },
  time_relative: { abbrev: "tcp.time_relative", name: "Time since first frame in this TCP stream", type: FT.RELATIVE_TIME, generated: true, unit: " seconds" },
  time_delta: { abbrev: "tcp.time_delta", name: "Time since previous frame in this TCP stream", type: FT.RELATIVE_TIME, generated: true, unit: " seconds" },
  payload: { abbrev: "tcp.payload", name: "TCP payload", type: FT.BYTES },
  reset_cause: { abbrev: "tcp.reset_cause", name: "Reset cause", type: FT.STRING },
  // Set by payload protocols whose messages carry their own length (Wireshark's tcp_dissect_pdus).
  pdu_size: { abbrev: "tcp.pdu.size", name: "PDU Size", type: FT.UINT32, generated: true },
});

export const opt = registerOptionFields(hf.proto);
/** tcp.analysis.* fields and experts (sequence analysis, tcp-analysis.ts). */
export const ana = registerAnalysis(hf.proto);
/** tcp.segment, tcp.reassembled.* (PDU reassembly, tcp-reassembly.ts). */
export const reas = registerReassemblyFields(hf.proto);

export const ei = registerExperts(hf.proto, {
  connection_syn: { abbrev: "tcp.connection.syn", group: "sequence", severity: "chat", summary: "Connection establish request (SYN)" },
  connection_synack: { abbrev: "tcp.connection.synack", group: "sequence", severity: "chat", summary: "Connection establish acknowledge (SYN+ACK)" },
  connection_fin: { abbrev: "tcp.connection.fin", group: "sequence", severity: "chat", summary: "Connection finish (FIN)" },
  connection_rst: { abbrev: "tcp.connection.rst", group: "sequence", severity: "warn", summary: "Connection reset (RST)" },
  fin_active: { abbrev: "tcp.connection.fin_active", group: "sequence", severity: "note", summary: "This frame initiates the connection closing" },
  fin_passive: { abbrev: "tcp.connection.fin_passive", group: "sequence", severity: "note", summary: "This frame undergoes the connection closing" },
  ack_nonzero: { abbrev: "tcp.ack.nonzero", group: "protocol", severity: "note", summary: "The acknowledgment number field is nonzero while the ACK flag is not set" },
  urgent_pointer_non_zero: { abbrev: "tcp.urgent_pointer.non_zero", group: "protocol", severity: "note", summary: "The urgent pointer field is nonzero while the URG flag is not set" },
  short_segment: { abbrev: "tcp.short_segment", group: "malformed", severity: "warn", summary: "Short segment" },
  bogus_header_length: { abbrev: "tcp.bogus_header_length", group: "malformed", severity: "error", summary: "Bogus TCP header length" },
  opt_len_invalid: { abbrev: "tcp.option.len.invalid", group: "protocol", severity: "error", summary: "Invalid length for option" },
  suboption_malformed: { abbrev: "tcp.suboption_malformed", group: "malformed", severity: "error", summary: "suboption would go past end of option" },
  wscale_shift_invalid: { abbrev: "tcp.options.wscale.shift.invalid", group: "protocol", severity: "warn", summary: "Window scale shift exceeds 14" },
  mss_absent: { abbrev: "tcp.options.mss.absent", group: "protocol", severity: "note", summary: "The SYN packet does not contain a MSS option" },
  mss_present: { abbrev: "tcp.options.mss.present", group: "protocol", severity: "warn", summary: "The non-SYN packet does contain a MSS option" },
  nop: { abbrev: "tcp.nop", group: "protocol", severity: "warn", summary: "4 NOP in a row - a router may have removed some options" },
  dsack: { abbrev: "tcp.options.sack.dsack", group: "sequence", severity: "warn", summary: "D-SACK Sequence" },
  tfo_syn: { abbrev: "tcp.analysis.tfo_syn", group: "sequence", severity: "note", summary: "TCP SYN with TFO Cookie" },
  tfo_ack: { abbrev: "tcp.analysis.tfo_ack", group: "sequence", severity: "note", summary: "TCP SYN-ACK accepting TFO data" },
  non_zero_after_eol: { abbrev: "tcp.non_zero_bytes_after_eol", group: "protocol", severity: "error", summary: "Non-zero header padding" },
});

// ---- per-connection state ----

interface Flow {
  baseSeq: number;
  baseSet: boolean;
  /** Window scale shift; -1 unknown, -2 known not to be used. */
  winScale: number;
  closingInitiator: boolean;
  /** The payload PDU being reassembled in this direction. */
  pdu: PendingPdu | null;
}

interface TcpConv extends Conv {
  stream: number;
  /** Flow of packets sent by endpoint A (the conversation's first source) and by B. */
  readonly a: Flow;
  readonly b: Flow;
  completeness: number;
  serverPort: number;
  firstSec: number;
  firstNsec: number;
  prevSec: number;
  prevNsec: number;
  /** Slot of the sequence analysis state in TcpState.an (tcp-analysis.ts). */
  readonly an: number;
}

class TcpState {
  readonly convs = new ConvTable<TcpConv>(TCP_CONV_CAP);
  streams = 0;
  /** Sequence analysis state of the conversations (one slot each; +1 for a port reuse's overlap). */
  readonly an = new AnalysisTable(TCP_CONV_CAP + 1);
  /** Bytes held by pending PDUs (tcp-reassembly.ts). */
  readonly held = new HeldBytes();
}

const newTcpState = (): TcpState => new TcpState();

function newFlow(): Flow {
  return { baseSeq: 0, baseSet: false, winScale: -1, closingInitiator: false, pdu: null };
}

function resetFlow(f: Flow): void {
  f.baseSeq = 0;
  f.baseSet = false;
  f.winScale = -1;
  f.closingInitiator = false;
}

function newConv(p: Packet, tbl: ConvTable<TcpConv>, st: TcpState, alen: number, sport: number, dport: number): TcpConv {
  // A full table hands back the conversation it is about to evict: every field is set here.
  const c = tbl.reusable() ?? {
    stream: 0, a: newFlow(), b: newFlow(), completeness: 0, serverPort: 0, firstSec: 0, firstNsec: 0, prevSec: 0, prevNsec: 0,
    an: st.an.alloc(),
  };
  c.stream = st.streams++;
  releasePdu(st.held, c.a);
  releasePdu(st.held, c.b);
  resetFlow(c.a);
  resetFlow(c.b);
  c.completeness = 0;
  c.serverPort = 0;
  c.firstSec = c.prevSec = p.tsSec;
  c.firstNsec = c.prevNsec = p.tsNsec;
  st.an.reset(c.an);
  return tbl.add(c);
}

const FLAG_NAMES = ["FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"];
const FIRST_LETTERS = "RRRACEUAPRSF";

/** "SYN, ACK" as in the Info column and the Flags label ("<None>" when no flag is set). */
export function flagsText(flags: number): string {
  return (FLAGS_TEXT[flags & 0xfff] ??= buildFlagsText(flags & 0xfff));
}

const FLAGS_TEXT: (string | undefined)[] = new Array(0x1000).fill(undefined);

function buildFlagsText(flags: number): string {
  let s = "";
  for (let i = 0; i < 9; i++) if (flags & (1 << i)) s += (s ? ", " : "") + FLAG_NAMES[i];
  if (flags & TH_RES) s += (s ? ", " : "") + "Reserved";
  return s || "<None>";
}

/** "·······A··S·": one letter per set bit of the 12-bit flags field, a middle dot otherwise. */
export function flagsString(flags: number): string {
  let s = "";
  for (let i = 0; i < 12; i++) s += (flags >> (11 - i)) & 1 ? FIRST_LETTERS[i] : "\u00b7";
  return s;
}

function u32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;
}

/** tshark 4.0's words for tcp.completeness: a handshake in progress or a closed conversation. */
function completenessText(v: number): string {
  switch (v) {
    case C_SYNSENT: return `Incomplete, SYN_SENT (${v})`;
    case C_SYNSENT | C_SYNACK: return `Incomplete, CLIENT_ESTABLISHED (${v})`;
    case C_SYNSENT | C_SYNACK | C_ACK: return `Incomplete, ESTABLISHED (${v})`;
    case C_SYNSENT | C_SYNACK | C_ACK | C_DATA: return `Incomplete, DATA (${v})`;
    case C_SYNSENT | C_SYNACK | C_ACK | C_FIN:
    case C_SYNSENT | C_SYNACK | C_ACK | C_RST:
    case C_SYNSENT | C_SYNACK | C_ACK | C_FIN | C_RST: return `Complete, NO_DATA (${v})`;
    case C_SYNSENT | C_SYNACK | C_ACK | C_DATA | C_FIN:
    case C_SYNSENT | C_SYNACK | C_ACK | C_DATA | C_RST:
    case C_SYNSENT | C_SYNACK | C_ACK | C_DATA | C_FIN | C_RST: return `Complete, WITH_DATA (${v})`;
    default: return `Incomplete (${v})`;
  }
}

const optCtx: OptionContext = { flags: 0, ack: 0, sackBase: 0, wscale: -1, mptcp: false };

/** Wireshark adds tcp.seq early for a TCP header quoted inside an ICMP (v4) error. */
function inIcmpError(p: Packet): boolean {
  const n = p.layers.length;
  return inErrorPkt() && n >= 3 && p.layers.at(n - 2) === "ip" && p.layers.at(n - 3) === "icmp";
}

export function dissectTcp(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  const inError = inErrorPkt();
  const hl0 = t.avail(off + OFF, 1) ? (d[off + OFF]! >> 4) * 4 : MIN_HDR;
  t.proto(p, hf.proto, off, Math.max(hl0, MIN_HDR));
  t.curProto = "TCP";
  t.check(off, 4);
  const sport = (d[off + SPORT]! << 8) | d[off + SPORT + 1]!;
  const dport = (d[off + DPORT]! << 8) | d[off + DPORT + 1]!;
  p.protocol = "TCP";
  if (p.wantCols) p.info.clear().dec(sport).add(" \u2192 ").dec(dport);
  // The summary label grows as Wireshark's does; it is set once the values are known.
  let label = t.full ? `Transmission Control Protocol, Src Port: ${sport}, Dst Port: ${dport}` : "";
  if (t.full) t.label(label);
  t.uint(hf.srcport, off + SPORT, 2, sport);
  t.uint(hf.dstport, off + DPORT, 2, dport);
  t.uint(hf.port, off + SPORT, 2, sport);
  t.uint(hf.port, off + DPORT, 2, dport);
  const icmpIp = inIcmpError(p);
  if (icmpIp) {
    t.check(off + SEQ, 4);
    t.uint(hf.seq, off + SEQ, 4, u32(d, off + SEQ));
  }
  p.ipProto = 6;
  p.srcPort = sport;
  p.dstPort = dport;

  t.check(off, 16);
  const rawSeq = u32(d, off + SEQ);
  const rawAck = u32(d, off + ACK);
  const flags = ((d[off + OFF]! << 8) | d[off + OFF + 1]!) & TH_MASK;
  const realWin = (d[off + WIN]! << 8) | d[off + WIN + 1]!;
  const hlen = (d[off + OFF]! >> 4) * 4;

  // Find the connection; a SYN with a new ISN on a known 4-tuple starts a new one (port reuse).
  const st = p.session.store("tcp", newTcpState);
  const tbl = st.convs;
  const alen = addrLen(p);
  let conv = tbl.find(p.ipData, p.ipSrcOff, p.ipDstOff, alen, sport, dport);
  let isNew = false;
  if (conv === undefined) {
    conv = newConv(p, tbl, st, alen, sport, dport);
    isNew = true;
  }
  let fwd = tbl.fwd ? conv.a : conv.b;
  let rev = tbl.fwd ? conv.b : conv.a;
  let reused = false;
  if ((flags & (TH_SYN | TH_ACK)) === TH_SYN && fwd.baseSet && rawSeq !== fwd.baseSeq) {
    const old = conv;
    releasePdu(st.held, old.a);
    releasePdu(st.held, old.b);
    conv = newConv(p, tbl, st, alen, sport, dport);
    if (conv !== old) st.an.release(old.an);
    conv.completeness = C_SYNSENT;
    fwd = conv.a;
    rev = conv.b;
    reused = true;
  }
  if ((flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK) && fwd.baseSet && rawSeq !== fwd.baseSeq) {
    fwd.baseSeq = rawSeq;
    reused = true;
  }
  anBegin(st.an, conv.an, fwd === conv.a, reused, (flags & (TH_SYN | TH_ACK)) === TH_SYN && fwd.baseSet && rawSeq === fwd.baseSeq);

  if (!inError) p.tcpStream = conv.stream;
  t.num(hf.stream, conv.stream);
  if (t.full) t.label(`[Stream index: ${conv.stream}]`);
  t.num(hf.completeness, conv.completeness);
  if (t.full) t.label(`[Conversation completeness: ${completenessText(conv.completeness)}]`);

  // Per-stream timestamps (always kept, even inside ICMP errors).
  const prevSec = conv.prevSec, prevNsec = conv.prevNsec;
  conv.prevSec = p.tsSec;
  conv.prevNsec = p.tsNsec;

  const reported = t.rep - off;
  let seq = rawSeq;
  let ack = rawAck;
  let win = realWin;
  let haveSeglen = false;
  let seglen = 0;
  let nxtseq = 0;
  if (!inError && !isFragmented(p)) {
    if (reported < hlen) {
      t.expert(p, ei.short_segment, off, 0, "Short segment. Segment/fragment does not contain a full TCP header (might be NMAP or someone else deliberately sending unusual packets)");
    } else {
      haveSeglen = true;
      seglen = reported - hlen;
      t.num(hf.len, seglen);
      if (t.full) t.label(`[TCP Segment Len: ${seglen}]`);
      // Relative sequence numbers: the ISN of each direction, or seq-1 / ack-1 when the
      // handshake was not captured.
      if (!fwd.baseSet) {
        fwd.baseSeq = (flags & TH_SYN) !== 0 ? rawSeq : (rawSeq - 1) >>> 0;
        fwd.baseSet = true;
      }
      if (!rev.baseSet && (flags & TH_ACK) !== 0) {
        rev.baseSeq = (rawAck - 1) >>> 0;
        rev.baseSet = true;
      }
      seq = (rawSeq - fwd.baseSeq) >>> 0;
      if (flags & TH_ACK) ack = (rawAck - rev.baseSeq) >>> 0;
      if ((flags & TH_SYN) === 0 && fwd.winScale >= 0) win = realWin * (1 << fwd.winScale);
      nxtseq = (seq + seglen) >>> 0;
      anSegment(p, d, off, seglen, flags, fwd, rev.winScale);
    }
  }

  if (p.wantCols) {
    p.info.add(" [").add(flagsText(flags)).add("] Seq=").dec(seq);
    if (flags & TH_ACK) p.info.add(" Ack=").dec(ack);
    p.info.add(" Win=").dec(win);
  }
  if (t.full) {
    // Label of the protocol item: Wireshark appends Seq/Ack/Len as it learns them.
    label += `, Seq: ${seq}`;
    if (hlen >= MIN_HDR) {
      if (flags & TH_ACK) label += `, Ack: ${ack}`;
      if (haveSeglen) label += `, Len: ${seglen}`;
    }
  }

  if (!icmpIp) {
    t.uint(hf.seq, off + SEQ, 4, seq);
    if (t.full) t.label(`Sequence Number: ${seq}    (relative sequence number)`);
    t.uint(hf.seq_raw, off + SEQ, 4, rawSeq);
  }

  if (hlen < MIN_HDR) {
    if (p.wantCols) p.info.add(`, bogus TCP header length (${hlen}, must be at least ${MIN_HDR})`);
    t.uint(hf.hdr_len, off + OFF, 1, hlen);
    if (t.full) t.label(`${bitsLabel(hlen >> 2)} .... = Header Length: ${hlen} bytes (${hlen >> 2})`);
    t.expert(p, ei.bogus_header_length, off + OFF, 1, `Bogus TCP header length (${hlen}, must be at least ${MIN_HDR})`);
    t.up();
    labelTcp(t, label);
    return;
  }

  // Conversation completeness moves forward only from what this segment shows.
  if (isNew) {
    let c = 0;
    if ((flags & (TH_SYN | TH_ACK)) === TH_SYN) {
      c |= C_SYNSENT;
      if (seglen > 0) c |= C_DATA;
    }
    conv.completeness = c;
  } else {
    let c = conv.completeness;
    if ((flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK)) c |= C_SYNACK;
    if ((flags & (TH_SYN | TH_ACK)) === TH_ACK) c |= seglen > 0 ? C_DATA : C_ACK;
    if ((flags & (TH_FIN | TH_ACK)) === (TH_FIN | TH_ACK)) c |= C_FIN;
    if (flags & TH_RST) c |= C_RST;
    conv.completeness = c;
  }

  if (haveSeglen) {
    const n = (flags & (TH_SYN | TH_FIN)) !== 0 ? (nxtseq + 1) >>> 0 : nxtseq;
    t.num(hf.nxtseq, n);
    if (t.full) t.label(`[Next Sequence Number: ${n}    (relative sequence number)]`);
  }
  t.uint(hf.ack, off + ACK, 4, ack);
  if (t.full) t.label(flags & TH_ACK ? `Acknowledgment Number: ${ack}    (relative ack number)` : `Acknowledgment Number: ${ack}`);
  if ((flags & TH_ACK) === 0 && rawAck !== 0) {
    t.down();
    t.expert(p, ei.ack_nonzero, off + ACK, 4);
    t.up();
  } else if ((flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK) && ack > 1) {
    // A SYN-ACK acknowledging more than the SYN: the SYN's data was accepted (TCP Fast Open).
    t.down();
    t.expert(p, ei.tfo_ack, off + ACK, 4);
    t.up();
  }
  t.uint(hf.ack_raw, off + ACK, 4, rawAck);
  t.uint(hf.hdr_len, off + OFF, 1, hlen);
  if (t.full) t.label(`${bitsLabel(hlen >> 2)} .... = Header Length: ${hlen} bytes (${hlen >> 2})`);

  t.uint(hf.flags, off + OFF, 2, flags);
  if (t.full) t.label(`Flags: 0x${flags.toString(16).padStart(3, "0")} (${flagsText(flags)})`);
  t.down();
  t.bool(hf.flags_res, off + OFF, 1, flags);
  t.bool(hf.flags_ae, off + OFF, 1, flags);
  t.bool(hf.flags_cwr, off + OFF + 1, 1, flags);
  t.bool(hf.flags_ece, off + OFF + 1, 1, flags);
  t.bool(hf.flags_urg, off + OFF + 1, 1, flags);
  t.bool(hf.flags_ack, off + OFF + 1, 1, flags);
  t.bool(hf.flags_push, off + OFF + 1, 1, flags);
  t.bool(hf.flags_reset, off + OFF + 1, 1, flags);
  if (flags & TH_RST) {
    t.down();
    t.expert(p, ei.connection_rst, off + OFF + 1, 1);
    t.up();
  }
  t.bool(hf.flags_syn, off + OFF + 1, 1, flags);
  if (flags & TH_SYN) {
    t.down();
    if (flags & TH_ACK) {
      t.expert(p, ei.connection_synack, off + OFF + 1, 1, `Connection establish acknowledge (SYN+ACK): server port ${sport}`);
      conv.serverPort = sport;
    } else {
      t.expert(p, ei.connection_syn, off + OFF + 1, 1, `Connection establish request (SYN): server port ${dport}`);
      conv.serverPort = dport;
    }
    t.up();
  }
  t.bool(hf.flags_fin, off + OFF + 1, 1, flags);
  if (flags & TH_FIN) {
    t.down();
    t.expert(p, ei.connection_fin, off + OFF + 1, 1);
    t.up();
  }
  if (t.wants(hf.flags_str)) t.str(hf.flags_str, off + OFF, 2, flagsString(flags));
  if (t.full) t.label(`[TCP Flags: ${flagsString(flags)}]`);
  if (flags & TH_FIN) {
    t.down();
    if (!rev.closingInitiator) {
      fwd.closingInitiator = true;
      t.expert(p, ei.fin_active, off + OFF, 2);
    } else t.expert(p, ei.fin_passive, off + OFF, 2);
    t.up();
  }
  t.up();

  t.uint(hf.window_size_value, off + WIN, 2, realWin);
  t.num(hf.window_size, win);
  if (t.full) t.label(`[Calculated window size: ${win}]`);
  if ((flags & TH_SYN) === 0) {
    const ws = fwd.winScale;
    const factor = ws >= 0 ? 1 << ws : ws;
    t.num(hf.window_size_scalefactor, factor);
    if (t.full) t.label(`[Window size scaling factor: ${ws === -1 ? "-1 (unknown)" : ws === -2 ? "-2 (no window scaling used)" : String(factor)}]`);
  }

  t.check(off + CKSUM, 2);
  const sum = (d[off + CKSUM]! << 8) | d[off + CKSUM + 1]!;
  t.uint(hf.checksum, off + CKSUM, 2, sum);
  if (t.full) t.label(`Checksum: 0x${sum.toString(16).padStart(4, "0")} [unverified]`);
  t.num(hf.checksum_status, CK_UNVERIFIED);
  if (t.full) t.label("[Checksum Status: Unverified]");

  t.check(off + URG, 2);
  const urp = (d[off + URG]! << 8) | d[off + URG + 1]!;
  t.uint(hf.urgent_pointer, off + URG, 2, urp);
  if (flags & TH_URG) {
    if (p.wantCols) p.info.add(" Urg=").dec(urp);
  } else if (urp !== 0) {
    t.down();
    t.expert(p, ei.urgent_pointer_non_zero, off + URG, 2);
    t.up();
  }
  if (haveSeglen && p.wantCols) p.info.add(" Len=").dec(seglen);

  anFlags(p, flags);

  const optlen = hlen - MIN_HDR;
  const names: string[] | null = t.full && optlen > 0 ? [] : null;
  if (optlen > 0) {
    const bc = Math.max(0, t.cap - (off + MIN_HDR));
    t.bytes(opt.options, off + MIN_HDR, bc < optlen ? bc : optlen);
    if (t.full) t.label(`Options: (${optlen} bytes)`);
  }
  const firstSec = conv.firstSec, firstNsec = conv.firstNsec;
  // Wireshark records the stream timestamps before walking the options; the detail tree shows
  // them after the options here so that the options stay under their own item.
  if (!t.full) {
    t.relTime(hf.time_relative, p.tsSec, p.tsNsec, firstSec, firstNsec);
    t.relTime(hf.time_delta, p.tsSec, p.tsNsec, prevSec, prevNsec);
  }

  if (optlen > 0) {
    optCtx.flags = flags;
    optCtx.ack = ack;
    optCtx.sackBase = rev.baseSet ? rev.baseSeq : 0;
    optCtx.wscale = -1;
    optCtx.mptcp = false;
    const mark = t.mark();
    t.down();
    try {
      dissectOptions(p, t, off, off + MIN_HDR, optlen, opt, ei, optCtx, names);
    } catch (e) {
      if (!isBoundsSignal(e)) throw e;
      // Options cut short: as tshark, the header's summary and the stream timestamps are still
      // shown before the packet's end is reported.
      t.restore(mark);
      if (t.full) streamTimes(t, off, p, firstSec, firstNsec, prevSec, prevNsec);
      t.up();
      labelTcp(t, label);
      throw e;
    } finally {
      if (optCtx.wscale >= 0) fwd.winScale = optCtx.wscale;
    }
    t.up();
    if (names !== null && names.length > 0) relabelOptions(t, `Options: (${optlen} bytes), ${names.join(", ")}`);
  }
  if (t.full) streamTimes(t, off, p, firstSec, firstNsec, prevSec, prevNsec);
  if (optlen > 0) anSack(t, off + MIN_HDR, off + hlen);
  anPrint(p, t, ana, off);
  if (!inError) p.taps |= Tap.TCP;
  if (haveSeglen && p.session.followTcp !== null) p.session.followTcp(p, d, off + hlen, t.cap, seq, ack, flags, seglen);

  // Window scaling is settled by the handshake: a SYN without the option rules it out.
  if (flags & TH_SYN) {
    if (fwd.winScale === -1) {
      fwd.winScale = -2;
      rev.winScale = -2;
    } else if ((flags & TH_ACK) && rev.winScale === -2) fwd.winScale = -2;
  }

  const body = off + hlen;
  const capRemaining = t.cap - body;
  if (capRemaining <= 0) {
    t.up();
    labelTcp(t, label);
    if ((flags & TH_FIN) && fwd.pdu !== null && haveSeglen && !inError) finishAtFin(p, t, segment(st, fwd, undefined, body, 0, seq, true));
    return;
  }
  if (flags & TH_RST) {
    // RFC 1122 4.2.2.12: data in a RST is shown as text (the reset cause).
    if (t.wants(hf.reset_cause)) t.str(hf.reset_cause, body, capRemaining, asciiText(d, body, capRemaining));
    // As a string item in Wireshark: text after a NUL that is not all NULs is flagged.
    if (strayAfterNul(d, body, body + capRemaining)) {
      t.down();
      t.expert(p, wsStringEi.trailing_stray, body, capRemaining);
      t.up();
    }
    t.up();
    labelTcp(t, label);
    return;
  }
  const repRemaining = Math.max(0, t.rep - body);
  t.bytes(hf.payload, body, capRemaining);
  if (t.full) t.label(`TCP payload (${repRemaining} byte${repRemaining === 1 ? "" : "s"})`);
  // Retransmitted data is not handed to the payload protocol again; a keep-alive byte is data.
  const use = anPayload(t, ana, body, capRemaining, repRemaining, t.cap >= t.rep && !isFragmented(p) && !inError);
  t.up();
  labelTcp(t, label);
  if (use === 2) return;
  const next = use === 0 ? pickPayload(conv.serverPort, sport, dport) : undefined;
  if (next !== undefined && haveSeglen && t.cap >= t.rep && !isFragmented(p) && !inError && reassembles(next)) {
    p.canDesegment = true;
    try {
      desegment(p, t, segment(st, fwd, next, body, seglen, seq, (flags & TH_FIN) !== 0));
    } finally {
      p.canDesegment = false;
      if (p.wantCols) anKeepPrefix(p);
    }
    return;
  }
  if (next) {
    try {
      next(p, t, body);
    } finally {
      if (p.wantCols) anKeepPrefix(p);
    }
  } else callData(p, t, body);
}

const seg: SegmentInfo = {
  tcpProto: hf.proto, segmentData: ana.f.segment_data, f: reas, held: new HeldBytes(), flow: { pdu: null },
  dissector: () => {}, body: 0, len: 0, seq: 0, fin: false,
};

/** The segment as tcp-reassembly.ts sees it (one object, refilled for each segment). */
function segment(st: TcpState, flow: Flow, dissector: SegmentInfo["dissector"] | undefined, body: number, len: number, seq: number, fin: boolean): SegmentInfo {
  seg.held = st.held;
  seg.flow = flow;
  if (dissector !== undefined) seg.dissector = dissector;
  seg.body = body;
  seg.len = len;
  seg.seq = seq;
  seg.fin = fin;
  return seg;
}

/** Server port learnt from the handshake first, then the lower port, then the higher (0 ignored). */
function pickPayload(server: number, sport: number, dport: number) {
  if (server !== 0) {
    const s = tcpPorts.get(server);
    if (s) return s;
  }
  const lo = sport < dport ? sport : dport;
  const hi = sport < dport ? dport : sport;
  return (lo !== 0 ? tcpPorts.get(lo) : undefined) ?? (hi !== 0 ? tcpPorts.get(hi) : undefined);
}

function bitsLabel(nibble: number): string {
  return nibble.toString(2).padStart(4, "0");
}

/** The node most recently opened for `f` on the rightmost path of the tree (full mode). */
function lastOpen(t: Tree, f: typeof hf.proto): { text: string | null } | null {
  let found: { text: string | null } | null = null;
  let n = t.root;
  while (n.kids && n.kids.length > 0) {
    n = n.kids[n.kids.length - 1]!;
    if (n.f === f) found = n;
  }
  return found;
}

/** tcp.time_relative and tcp.time_delta, under a "[Timestamps]" item in the detail tree. */
function streamTimes(t: Tree, off: number, p: Packet, firstSec: number, firstNsec: number, prevSec: number, prevNsec: number): void {
  t.text("[Timestamps]", off, 0);
  t.down();
  t.relTime(hf.time_relative, p.tsSec, p.tsNsec, firstSec, firstNsec);
  t.relTime(hf.time_delta, p.tsSec, p.tsNsec, prevSec, prevNsec);
  t.up();
}

/** Relabels the TCP protocol item once Seq/Ack/Len are known (full mode only). */
function labelTcp(t: Tree, label: string): void {
  if (!t.full) return;
  const n = lastOpen(t, hf.proto);
  if (n) n.text = label;
}

function relabelOptions(t: Tree, label: string): void {
  const n = lastOpen(t, hf.proto);
  const kids = (n as { kids?: { f: unknown; text: string | null }[] | null } | null)?.kids;
  if (!kids) return;
  for (let i = kids.length - 1; i >= 0; i--) {
    if (kids[i]!.f === opt.options) {
      kids[i]!.text = label;
      return;
    }
  }
}

/** ASCII as Wireshark shows it: printable bytes kept, others replaced (U+FFFD above 0x7f). */
function asciiText(d: Uint8Array, o: number, len: number): string {
  let s = "";
  for (let i = 0; i < len; i++) {
    const c = d[o + i]!;
    if (c === 0) break;
    s += c < 0x80 ? String.fromCharCode(c) : "\ufffd";
  }
  return s;
}

ipProtos.add(6, dissectTcp);

// ---- building ----

export type { TcpOptionRepr } from "./tcp-options.js";

export interface TcpRepr {
  srcPort: number;
  dstPort: number;
  seq: number;
  /** Acknowledgment number (default 0). */
  ack?: number;
  /** The 12 flag bits, e.g. 0x002 SYN, 0x012 SYN|ACK, 0x010 ACK, 0x018 PSH|ACK, 0x011 FIN|ACK. */
  flags: number;
  /** Window field as sent, before any scaling (default 65535). */
  window?: number;
  urgent?: number;
  options?: TcpOptionRepr[];
}

/**
 * The TCP header as a build layer (the mirror of dissectTcp). Options are padded to 4 bytes and
 * the data offset follows from them; the checksum covers the pseudo header of the IP layer
 * outside it, and is left 0 without one.
 */
export function tcpLayer(r: TcpRepr): Layer {
  const opts = r.options ?? [];
  const hdr = MIN_HDR + tcpOptionsLen(opts);
  return {
    headerLen: hdr,
    emit(b, off, _payloadLen, ctx) {
      putU16(b, off + SPORT, r.srcPort);
      putU16(b, off + DPORT, r.dstPort);
      putU32(b, off + SEQ, r.seq);
      putU32(b, off + ACK, r.ack ?? 0);
      putU16(b, off + OFF, ((hdr >> 2) << 12) | (r.flags & TH_MASK));
      putU16(b, off + WIN, r.window ?? 65535);
      putU16(b, off + CKSUM, 0);
      putU16(b, off + URG, r.urgent ?? 0);
      emitTcpOptions(opts, b, off + MIN_HDR);
      ctx.ipProto = 6;
    },
    finish(b, off, payloadLen, ctx) {
      const len = hdr + payloadLen;
      const pseudo = pseudoHeaderSum(ctx, 6, len);
      if (pseudo < 0) return;
      putU16(b, off + CKSUM, ~onesSum(b, off, len, pseudo) & 0xffff);
    },
  };
}

/** Whether a NUL in d[a, b) is followed by a byte that is not NUL (Wireshark's stray characters). */
function strayAfterNul(d: Uint8Array, a: number, b: number): boolean {
  let i = a;
  while (i < b && d[i] !== 0) i++;
  for (; i < b; i++) if (d[i] !== 0) return true;
  return false;
}
