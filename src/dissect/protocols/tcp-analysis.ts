// TCP sequence analysis, as Wireshark's one-pass tcp_analyze_seq (what `tshark -r` without -2
// prints): retransmissions, lost and out-of-order segments, duplicate ACKs, window events,
// keep-alives, which segment an ACK acknowledges (and its RTT), bytes in flight.
//
// The checks run in Wireshark's order, because the order decides the result:
//   zero window probe (ends the forward checks) > zero window > lost segment > keep-alive >
//   window update > window full > keep-alive ACK (ends) > zero window probe ACK (ends) >
//   duplicate ACK; then ACKed-unseen-segment; then, for segments carrying data, SYN or FIN:
//   keep-alive (not a retransmission) > spurious > fast retransmission > out-of-order >
//   retransmission.
// Sequence and acknowledgment numbers are the raw ones, compared modulo 2^32 (GT_SEQ etc.).
//
// State is per conversation, in the session's AnalysisTable (one Float64Array, ~400 bytes a
// conversation): the numbers Wireshark keeps per direction and for the handshake, and the list
// of segments sent and not yet acknowledged, which gives `acks_frame`, `ack_rtt`, the RTO of a
// retransmission and bytes in flight. Wireshark keeps up to 10000 such segments per direction;
// arpx keeps the first in the table and more in an array of the direction's own, at most SEG_CAP
// (64) entries and SEG_BUDGET entries for all directions together. Past that (a large window, a
// one-direction capture) each new segment is merged into the newest entry (see remember()):
// bytes in flight stay right, and an ACK of the merged span's end still finds its frame, but an
// ACK ending inside the span shows no acks_frame/ack_rtt where Wireshark shows one. Nor does arpx
// stop at Wireshark's 10000 (in a capture that never sees ACKs, bytes in flight keep growing
// past the point where Wireshark's stop).
//
// The result for the current segment lives in one module-level record (`ta`), reset per TCP
// header: nothing is allocated per packet, and strings (labels, Info prefixes, expert texts) are
// built only when printed.
import { FT, registerExperts, registerFields, type Expert, type Field } from "../fields.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";

const TH_FIN = 0x001, TH_SYN = 0x002, TH_RST = 0x004, TH_PUSH = 0x008, TH_ACK = 0x010;

// Wireshark's TCP_A_* analysis flags.
export const A_RETRANSMISSION = 0x0001;
export const A_LOST_PACKET = 0x0002;
export const A_ACK_LOST_PACKET = 0x0004;
export const A_KEEP_ALIVE = 0x0008;
export const A_DUPLICATE_ACK = 0x0010;
export const A_ZERO_WINDOW = 0x0020;
export const A_ZERO_WINDOW_PROBE = 0x0040;
export const A_ZERO_WINDOW_PROBE_ACK = 0x0080;
export const A_KEEP_ALIVE_ACK = 0x0100;
export const A_OUT_OF_ORDER = 0x0200;
export const A_FAST_RETRANSMISSION = 0x0400;
export const A_WINDOW_UPDATE = 0x0800;
export const A_WINDOW_FULL = 0x1000;
export const A_REUSED_PORTS = 0x2000;
export const A_SPURIOUS_RETRANSMISSION = 0x4000;

/** Unacknowledged segments remembered per direction (Wireshark: 10000). */
export const SEG_CAP = 64;
/** Numbers per remembered segment: seq, next seq, frame, seconds, nanoseconds. */
const S_SEQ = 0, S_NEXT = 1, S_FRAME = 2, S_SEC = 3, S_NSEC = 4, S_WIDTH = 5;
/** SACK blocks counted for bytes in flight (Wireshark stores blocks 1..3 of MAX_TCP_SACK_RANGES 4). */
const SACK_MAX = 3;

// ---- fields and experts ----

export function registerAnalysis(proto: Field) {
  const f = registerFields(proto, {
    analysis: { abbrev: "tcp.analysis", name: "SEQ/ACK analysis", type: FT.NONE, generated: true },
    flags: { abbrev: "tcp.analysis.flags", name: "TCP Analysis Flags", type: FT.NONE, generated: true },
    duplicate_ack_num: { abbrev: "tcp.analysis.duplicate_ack_num", name: "Duplicate ACK #", type: FT.UINT32, generated: true },
    duplicate_ack_frame: { abbrev: "tcp.analysis.duplicate_ack_frame", name: "Duplicate to the ACK in frame", type: FT.FRAMENUM, generated: true },
    acks_frame: { abbrev: "tcp.analysis.acks_frame", name: "This is an ACK to the segment in frame", type: FT.FRAMENUM, generated: true },
    bytes_in_flight: { abbrev: "tcp.analysis.bytes_in_flight", name: "Bytes in flight", type: FT.UINT32, generated: true },
    push_bytes_sent: { abbrev: "tcp.analysis.push_bytes_sent", name: "Bytes sent since last PSH flag", type: FT.UINT32, generated: true },
    ack_rtt: { abbrev: "tcp.analysis.ack_rtt", name: "The RTT to ACK the segment was", type: FT.RELATIVE_TIME, generated: true, unit: " seconds" },
    initial_rtt: { abbrev: "tcp.analysis.initial_rtt", name: "iRTT", type: FT.RELATIVE_TIME, generated: true, unit: " seconds" },
    rto: { abbrev: "tcp.analysis.rto", name: "The RTO for this segment was", type: FT.RELATIVE_TIME, generated: true, unit: " seconds" },
    rto_frame: { abbrev: "tcp.analysis.rto_frame", name: "RTO based on delta from frame", type: FT.FRAMENUM, generated: true },
    segment_data: { abbrev: "tcp.segment_data", name: "TCP segment data", type: FT.BYTES },
  });
  // As in Wireshark, tcp.analysis.duplicate_ack is both the expert and the "This is a TCP
  // duplicate ack" item: one field, recorded twice on a duplicate ACK.
  const e = registerExperts(proto, {
    retransmission: { abbrev: "tcp.analysis.retransmission", group: "sequence", severity: "note", summary: "This frame is a (suspected) retransmission" },
    fast_retransmission: { abbrev: "tcp.analysis.fast_retransmission", group: "sequence", severity: "note", summary: "This frame is a (suspected) fast retransmission" },
    spurious_retransmission: { abbrev: "tcp.analysis.spurious_retransmission", group: "sequence", severity: "note", summary: "This frame is a (suspected) spurious retransmission" },
    out_of_order: { abbrev: "tcp.analysis.out_of_order", group: "sequence", severity: "warn", summary: "This frame is a (suspected) out-of-order segment" },
    reused_ports: { abbrev: "tcp.analysis.reused_ports", group: "sequence", severity: "note", summary: "A new tcp session is started with the same ports as an earlier session in this trace" },
    lost_segment: { abbrev: "tcp.analysis.lost_segment", group: "sequence", severity: "warn", summary: "Previous segment(s) not captured (common at capture start)" },
    ack_lost_segment: { abbrev: "tcp.analysis.ack_lost_segment", group: "sequence", severity: "warn", summary: "ACKed segment that wasn't captured (common at capture start)" },
    window_update: { abbrev: "tcp.analysis.window_update", group: "sequence", severity: "chat", summary: "TCP window update" },
    window_full: { abbrev: "tcp.analysis.window_full", group: "sequence", severity: "warn", summary: "TCP window specified by the receiver is now completely full" },
    keep_alive: { abbrev: "tcp.analysis.keep_alive", group: "sequence", severity: "note", summary: "TCP keep-alive segment" },
    keep_alive_ack: { abbrev: "tcp.analysis.keep_alive_ack", group: "sequence", severity: "note", summary: "ACK to a TCP keep-alive segment" },
    duplicate_ack: { abbrev: "tcp.analysis.duplicate_ack", group: "sequence", severity: "note", summary: "Duplicate ACK" },
    zero_window_probe: { abbrev: "tcp.analysis.zero_window_probe", group: "sequence", severity: "note", summary: "TCP Zero Window Probe" },
    zero_window: { abbrev: "tcp.analysis.zero_window", group: "sequence", severity: "warn", summary: "TCP Zero Window segment" },
    zero_window_probe_ack: { abbrev: "tcp.analysis.zero_window_probe_ack", group: "sequence", severity: "note", summary: "ACK to a TCP Zero Window Probe" },
  });
  return { f, e };
}

type AnalysisFields = ReturnType<typeof registerAnalysis>;

// ---- per-connection state ----

// One block of CONV_W numbers per conversation in the session's AnalysisTable: two direction
// blocks (FW numbers each, endpoint A at 0, B at FW) then the handshake times. Raw sequence numbers.
/** Highest next sequence number seen (0: nothing yet), and the frame and time that set it. */
const NEXTSEQ = 0, NEXT_FRAME = 1, NEXT_SEC = 2, NEXT_NSEC = 3;
/** Highest contiguous next sequence number, for ACKed-unseen-segment detection. */
const MAXSEQ = 4;
/** Last acknowledgment number sent, and when. */
const LASTACK = 5, LASTACK_SEC = 6, LASTACK_NSEC = 7;
/** Frame of the last ACK that moved the acknowledgment number; duplicates counted since (-1: see anSegment). */
const LASTNONDUP = 8, DUPNUM = 9;
/** Last window field sent, unscaled (0xffffffff before the first segment). */
const WINDOW = 10;
/** Analysis flags of the last segment sent. */
const LASTFLAGS = 11;
/** B_VALID_BIF: bytes in flight are meaningful (a lost segment clears it until the peer ACKs);
 *  B_PUSH_LAST: the last segment had PSH; B_FIRST_ACK: from a SYN to the first pure ACK. */
const BITS = 12, B_VALID_BIF = 1, B_PUSH_LAST = 2, B_FIRST_ACK = 4;
/** Bytes sent since the last PSH. */
const PUSH_BYTES = 13;
/** SACK blocks in the last segment sent: how many, and the bytes they cover. */
const SACK_COUNT = 14, SACK_BYTES = 15;
/** Unacknowledged segments, and room for the first one (S_WIDTH numbers) while it is alone. */
const SEG_COUNT = 16, SEG0 = 17;
const FW = SEG0 + S_WIDTH;
/** Time of the most recent SYN (0/0: none) and the initial RTT (SYN to first pure ACK). */
const SYN_SEC = 2 * FW, SYN_NSEC = SYN_SEC + 1, IRTT_SEC = SYN_SEC + 2, IRTT_NSEC = SYN_SEC + 3;
const CONV_W = SYN_SEC + 4;

/** Unacknowledged segments held outside the table, in all conversations together, at most. */
const SEG_BUDGET = 1 << 18;

/**
 * The analysis state of a session's TCP conversations, in one Float64Array (CONV_W numbers per
 * conversation, slots recycled: `alloc` / `release`), so a conversation costs ~400 bytes and
 * nothing is allocated per packet. As session.ts's KeyTable, it is sized for the capacity given
 * (the TCP conversation table's) up front and zero-filled, so the system maps its pages on first
 * write and resident memory follows the conversations actually seen. A direction with more than
 * one unacknowledged segment moves them to its own array (grown by doubling up to SEG_CAP, while
 * all such arrays together stay within SEG_BUDGET entries; past either limit new segments are
 * merged, see remember()). Slot i's directions are 2i and 2i+1 in `segs`.
 */
export class AnalysisTable {
  st: Float64Array;
  readonly segs: (Float64Array | null)[] = [];
  private used = 0;
  private readonly free: number[] = [];
  /** Entries in all the `segs` arrays. */
  segEntries = 0;

  constructor(capacity: number) {
    this.st = new Float64Array(capacity * CONV_W);
  }

  /** Slots held by conversations now. */
  get inUse(): number {
    return this.used - this.free.length;
  }

  /** A slot for a new conversation object (reset it before use). */
  alloc(): number {
    const f = this.free.pop();
    if (f !== undefined) return f;
    if ((this.used + 1) * CONV_W > this.st.length) {
      // More live conversation objects than the capacity given (not expected): grow.
      const grown = new Float64Array(this.st.length * 2 + CONV_W);
      grown.set(this.st);
      this.st = grown;
    }
    return this.used++;
  }

  /** The slot of a conversation object that is dropped (replaced by a new one). */
  release(slot: number): void {
    this.reset(slot);
    this.free.push(slot);
  }

  reset(slot: number): void {
    const st = this.st, b = slot * CONV_W;
    for (let i = 0; i < CONV_W; i++) st[b + i] = 0;
    st[b + WINDOW] = st[b + FW + WINDOW] = 0xffffffff;
    st[b + BITS] = st[b + FW + BITS] = B_VALID_BIF;
    for (let d = 2 * slot; d <= 2 * slot + 1; d++) {
      const s = this.segs[d];
      if (s) {
        this.segEntries -= s.length / S_WIDTH;
        this.segs[d] = null;
      }
    }
  }
}

// The conversation of the TCP header being dissected (set by anBegin): its table, the offsets of
// the forward and reverse direction blocks, and their indexes in `segs`.
let cur: AnalysisTable = new AnalysisTable(0);
let cf = 0, cr = 0, cfDir = 0, crDir = 0;

/**
 * The unacknowledged segments of a direction (block offset `d`, segs index `dir`): the array
 * holding them and where they start in it (the direction's SEG0 room while it has no array).
 */
let segArr: Float64Array = cur.st;
let segBase = 0;
function segsOf(d: number, dir: number): void {
  const s = cur.segs[dir];
  if (s) {
    segArr = s;
    segBase = 0;
  } else {
    segArr = cur.st;
    segBase = d + SEG0;
  }
}

// ---- the current segment's result (Wireshark's tcp_acked) ----

const ta = {
  /** An analysis record exists for this segment (the [SEQ/ACK analysis] item is shown). */
  exists: false,
  flags: 0,
  frameAcked: 0,
  /** When the acknowledged segment was sent: ack_rtt is the time since (exact: Tree.relTime). */
  rttSec: 0.5,
  rttNsec: 0.5,
  bif: 0,
  pushBytes: 0,
  dupackNum: 0,
  dupackFrame: 0,
  /** When the retransmitted segment was sent before: rto is the time since. */
  rtoSec: 0.5,
  rtoNsec: 0.5,
  rtoFrame: 0,
};

/** The Info prefix of the current segment ("" when none), kept above what a payload protocol writes. */
let infoPrefix = "";

function mark(flag: number): void {
  ta.exists = true;
  ta.flags |= flag;
}

const gtSeq = (x: number, y: number): boolean => ((y - x) | 0) < 0;
const ltSeq = (x: number, y: number): boolean => ((x - y) | 0) < 0;
const leSeq = (x: number, y: number): boolean => ((x - y) | 0) <= 0;

/** a - b in nanoseconds; negative when time went backwards. */
function nsBetween(aSec: number, aNsec: number, bSec: number, bNsec: number): number {
  return (aSec - bSec) * 1e9 + (aNsec - bNsec);
}

// ---- hooks called by the TCP dissector, in this order ----

/**
 * Starts a TCP header of the conversation in `slot` of `tbl`: picks the directions and clears
 * the per-segment result. `reused`: this SYN (or SYN+ACK) starts a new connection on ports an
 * earlier one used. `synAgain`: a SYN with the connection's ISN (a retransmission): the next
 * sequence number goes back to the highest contiguous one (a RST may have moved it, RFC 793
 * 3.4), and the segment gets an analysis record even when nothing is flagged, as in Wireshark 4.0.
 */
export function anBegin(tbl: AnalysisTable, slot: number, fwdIsA: boolean, reused: boolean, synAgain: boolean): void {
  const b = slot * CONV_W;
  cur = tbl;
  cf = fwdIsA ? b : b + FW;
  cr = fwdIsA ? b + FW : b;
  cfDir = fwdIsA ? 2 * slot : 2 * slot + 1;
  crDir = fwdIsA ? 2 * slot + 1 : 2 * slot;
  const st = tbl.st;
  st[cf + SACK_COUNT] = 0;
  st[cf + SACK_BYTES] = 0;
  if (synAgain) st[cf + NEXTSEQ] = st[cf + MAXSEQ]!;
  ta.exists = reused || synAgain;
  ta.flags = reused ? A_REUSED_PORTS : 0;
  ta.frameAcked = ta.bif = ta.pushBytes = ta.dupackNum = ta.dupackFrame = ta.rtoFrame = 0;
  ta.rttSec = ta.rttNsec = ta.rtoSec = ta.rtoNsec = 0;
  infoPrefix = "";
}

/**
 * Wireshark's tcp_analyze_sequence_number for the TCP header at `off` in `d`, whose segment
 * length is known: `fwd` is the sender's flow (its ISN, for bytes in flight), `revWinScale` the
 * receiver's window scale (-1 unknown, -2 none). Sequence numbers and window are read raw.
 */
export function anSegment(p: Packet, d: Uint8Array, off: number, seglen: number, flags: number,
  fwd: { readonly baseSeq: number }, revWinScale: number): void {
  const st = cur.st, f = cf, r = cr;
  const seq = ((d[off + 4]! << 24) | (d[off + 5]! << 16) | (d[off + 6]! << 8) | d[off + 7]!) >>> 0;
  const ack = ((d[off + 8]! << 24) | (d[off + 9]! << 16) | (d[off + 10]! << 8) | d[off + 11]!) >>> 0;
  const window = (d[off + 14]! << 8) | d[off + 15]!;
  const sec = p.tsSec, nsec = p.tsNsec, frame = p.num;
  if (flags & TH_ACK) st[r + BITS] = st[r + BITS]! | B_VALID_BIF;
  const noSfr = (flags & (TH_SYN | TH_FIN | TH_RST)) === 0;
  const nextExpected = st[f + NEXTSEQ]!;

  forward: {
    // Zero window probe: one byte at the next expected sequence number into a closed window.
    if (seglen === 1 && seq === nextExpected && st[r + WINDOW] === 0) {
      mark(A_ZERO_WINDOW_PROBE);
      break forward;
    }
    if (window === 0 && noSfr) mark(A_ZERO_WINDOW);
    // Lost segment: a hole before this one (not checked before anything was seen, nor on RST).
    if (nextExpected !== 0 && gtSeq(seq, nextExpected) && (flags & TH_RST) === 0) {
      mark(A_LOST_PACKET);
      st[f + BITS] = st[f + BITS]! & ~B_VALID_BIF;
    }
    // Keep-alive: 0 or 1 byte starting one byte before the next expected sequence number.
    if (seglen <= 1 && seq === ((nextExpected - 1) >>> 0) && noSfr) mark(A_KEEP_ALIVE);
    const sameAck = seglen === 0 && seq === nextExpected && ack === st[f + LASTACK] && noSfr;
    const lastWin = st[f + WINDOW]!;
    if (sameAck && window !== 0 && window !== lastWin) mark(A_WINDOW_UPDATE);
    // Window full: the segment ends exactly at the edge of the window the peer advertised.
    if (seglen > 0 && revWinScale !== -1 && noSfr) {
      const shift = (st[r + BITS]! & B_FIRST_ACK) !== 0 || revWinScale === -2 ? 0 : revWinScale;
      const edge = (st[r + LASTACK]! + ((st[r + WINDOW]! << shift) >>> 0)) >>> 0;
      if (((seq + seglen) >>> 0) === edge) mark(A_WINDOW_FULL);
    }
    const revFlags = st[r + LASTFLAGS]!;
    if (sameAck && window !== 0 && window === lastWin && (revFlags & A_KEEP_ALIVE) !== 0) {
      mark(A_KEEP_ALIVE_ACK);
      break forward;
    }
    if (sameAck && window === 0 && lastWin === 0 && (revFlags & A_ZERO_WINDOW_PROBE) !== 0) {
      mark(A_ZERO_WINDOW_PROBE_ACK);
      break forward;
    }
    // Duplicate ACK: nothing new (same seq, ack and window, no data). A count of -1 (left by an
    // ACKed unseen segment) restarts at 1.
    if (sameAck && window !== 0 && window === lastWin) {
      const n = st[f + DUPNUM] === -1 ? 1 : st[f + DUPNUM]! + 1;
      st[f + DUPNUM] = n;
      mark(A_DUPLICATE_ACK);
      ta.dupackNum = n;
      ta.dupackFrame = st[f + LASTNONDUP]!;
    }
  }
  if (ack !== st[f + LASTACK]) {
    st[f + LASTNONDUP] = frame;
    st[f + DUPNUM] = 0;
  }

  // ACKed unseen segment: this acknowledges beyond what the peer was seen to send.
  const revMax = st[r + MAXSEQ]!;
  if (revMax !== 0 && gtSeq(ack, revMax) && (flags & TH_ACK) !== 0) {
    ta.exists = true;
    if (revMax > st[r + NEXTSEQ]!) {
      // Moved so that the same hole is reported once.
      st[r + MAXSEQ] = st[r + NEXTSEQ]!;
      ta.flags |= A_ACK_LOST_PACKET;
    } else {
      // This side may be stalled on pure ACKs: report once per new acknowledgment number (the
      // count restarts at 0 when it changes), and mark the count so that the next repeat of this
      // ACK is duplicate #1. (Wireshark 4.0 keeps this mark in the ACK sender's own count.)
      if (st[f + DUPNUM] === 0) ta.flags |= A_ACK_LOST_PACKET;
      st[f + DUPNUM] = -1;
    }
  }

  const synFin = (flags & (TH_SYN | TH_FIN)) !== 0;
  if (seglen > 0 || synFin) retransmission(seq, seglen, flags, sec, nsec);

  // Remember the segment until it is acknowledged.
  let nextseq = (seq + seglen) >>> 0;
  if (synFin) nextseq = (nextseq + 1) >>> 0;
  if (seglen > 0 || synFin) remember(seq, nextseq, frame, sec, nsec);
  // Highest next sequence number so far (a zero window probe does not advance it).
  const zwp = (ta.flags & A_ZERO_WINDOW_PROBE) !== 0;
  if ((gtSeq(nextseq, st[f + NEXTSEQ]!) || st[f + NEXTSEQ] === 0) && !zwp) {
    st[f + NEXTSEQ] = nextseq;
    st[f + NEXT_FRAME] = frame;
    st[f + NEXT_SEC] = sec;
    st[f + NEXT_NSEC] = nsec;
  }
  if ((seq === st[f + MAXSEQ] || st[f + MAXSEQ] === 0) && !zwp) st[f + MAXSEQ] = st[f + NEXTSEQ]!;
  st[f + WINDOW] = window;
  st[f + LASTACK] = ack;
  st[f + LASTACK_SEC] = sec;
  st[f + LASTACK_NSEC] = nsec;
  st[f + LASTFLAGS] = ta.flags;

  if (st[r + SEG_COUNT] !== 0) acknowledge(ack, sec, nsec);
  if (seglen !== 0) bytesInFlight(seglen, flags, fwd.baseSeq);
}

/** Retransmission, fast retransmission, spurious retransmission or out-of-order? */
function retransmission(seq: number, seglen: number, flags: number, sec: number, nsec: number): void {
  if (ta.flags & A_KEEP_ALIVE) return;
  const st = cur.st, f = cf, r = cr;
  const nextExpected = st[f + NEXTSEQ]!;
  let notAdvanced = nextExpected !== 0 && ltSeq(seq, nextExpected);
  // New data starting one byte back (after a zero window probe) is not a retransmission.
  if (seglen > 1 && ((nextExpected - 1) >>> 0) === seq) notAdvanced = false;
  // Spurious: everything in it was already acknowledged.
  const revAck = st[r + LASTACK]!;
  if (seglen > 0 && revAck !== 0 && leSeq((seq + seglen) >>> 0, revAck)) {
    mark(A_SPURIOUS_RETRANSMISSION);
    return;
  }
  if (!notAdvanced) return;
  // Fast retransmission: answers two or more duplicate ACKs within 20 ms of the last ACK.
  const sinceAck = nsBetween(sec, nsec, st[r + LASTACK_SEC]!, st[r + LASTACK_NSEC]!);
  if (st[r + DUPNUM]! >= 2 && revAck === seq && sinceAck >= 0 && sinceAck < 20e6) {
    mark(A_FAST_RETRANSMISSION);
    return;
  }
  // Out-of-order: soon after the highest segment (within the initial RTT, or 3 ms) and not
  // ending where the next one is expected.
  const sinceNext = nsBetween(sec, nsec, st[f + NEXT_SEC]!, st[f + NEXT_NSEC]!);
  const b = f < r ? f : r;
  const irtt = st[b + IRTT_SEC]! * 1e9 + st[b + IRTT_NSEC]!;
  const threshold = irtt === 0 ? 3e6 : irtt;
  const end = (seq + seglen + ((flags & (TH_SYN | TH_FIN)) !== 0 ? 1 : 0)) >>> 0;
  if (sinceNext >= 0 && sinceNext < threshold && nextExpected !== end) {
    mark(A_OUT_OF_ORDER);
    return;
  }
  mark(A_RETRANSMISSION);
  // RTO: from the oldest unacknowledged segment, else from the highest one.
  if (st[f + SEG_COUNT]! > 0) {
    segsOf(f, cfDir);
    ta.rtoSec = segArr[segBase + S_SEC]!;
    ta.rtoNsec = segArr[segBase + S_NSEC]!;
    ta.rtoFrame = segArr[segBase + S_FRAME]!;
  } else {
    ta.rtoSec = st[f + NEXT_SEC]!;
    ta.rtoNsec = st[f + NEXT_NSEC]!;
    ta.rtoFrame = st[f + NEXT_FRAME]!;
  }
}

/**
 * Adds a segment to the forward direction's unacknowledged list: in the direction's SEG0 room
 * when it is the only one, else in its own array, grown by doubling. When the list is full
 * (SEG_CAP, or no growth within SEG_BUDGET) the segment joins the newest entry instead, which
 * then spans both (lowest seq, highest next seq) and keeps the frame and time of the segment
 * that ends it: bytes in flight stay exact for contiguous data, and an ACK of the span's end
 * still finds its frame.
 */
function remember(seq: number, nextseq: number, frame: number, sec: number, nsec: number): void {
  const st = cur.st, f = cf;
  const n = st[f + SEG_COUNT]!;
  let s = cur.segs[cfDir] ?? null;
  const cap = s ? s.length / S_WIDTH : 1;
  let o: number;
  if (n < cap) {
    if (s === null) {
      s = st;
      o = f + SEG0;
    } else o = n * S_WIDTH;
  } else {
    const grow = Math.min(SEG_CAP, Math.max(4, cap * 2));
    if (grow > cap && cur.segEntries + grow - (s ? cap : 0) <= SEG_BUDGET) {
      const g = new Float64Array(grow * S_WIDTH);
      if (s) g.set(s);
      else g.set(st.subarray(f + SEG0, f + SEG0 + S_WIDTH));
      cur.segEntries += grow - (s ? cap : 0);
      cur.segs[cfDir] = s = g;
      o = n * S_WIDTH;
    } else {
      if (s === null) s = st;
      o = (s === st ? f + SEG0 : (n - 1) * S_WIDTH);
      if (ltSeq(seq, s[o + S_SEQ]!)) s[o + S_SEQ] = seq;
      if (!gtSeq(nextseq, s[o + S_NEXT]!)) return;
      s[o + S_NEXT] = nextseq;
      s[o + S_FRAME] = frame;
      s[o + S_SEC] = sec;
      s[o + S_NSEC] = nsec;
      return;
    }
  }
  s[o + S_SEQ] = seq;
  s[o + S_NEXT] = nextseq;
  s[o + S_FRAME] = frame;
  s[o + S_SEC] = sec;
  s[o + S_NSEC] = nsec;
  st[f + SEG_COUNT] = n + 1;
}

/** Drops the peer's segments this ACK covers; an exact match gives acks_frame and the RTT. */
function acknowledge(ack: number, sec: number, nsec: number): void {
  const st = cur.st, r = cr;
  segsOf(r, crDir);
  const s = segArr, b = segBase;
  const n = st[r + SEG_COUNT]!;
  let kept = 0;
  let matched = false;
  for (let i = 0; i < n; i++) {
    const o = b + i * S_WIDTH;
    const next = s[o + S_NEXT]!;
    if (ack === next) {
      // Wireshark walks newest first and keeps the last match: the oldest one.
      if (!matched) {
        matched = true;
        ta.exists = true;
        ta.frameAcked = s[o + S_FRAME]!;
        ta.rttSec = s[o + S_SEC]!;
        ta.rttNsec = s[o + S_NSEC]!;
      }
      continue;
    }
    if (gtSeq(ack, s[o + S_SEQ]!) && leSeq(ack, next)) s[o + S_SEQ] = ack; // partly acknowledged
    else if (!gtSeq(next, ack)) continue; // wholly acknowledged before
    if (kept !== i) s.copyWithin(b + kept * S_WIDTH, o, o + S_WIDTH);
    kept++;
  }
  st[r + SEG_COUNT] = kept;
}

/** Bytes in flight (the span of this direction's unacknowledged data, less the peer's SACKs). */
function bytesInFlight(seglen: number, flags: number, baseSeq: number): void {
  const st = cur.st, f = cf, r = cr;
  const n = st[f + SEG_COUNT]!;
  if (n === 0 || (st[f + BITS]! & B_VALID_BIF) === 0) return;
  segsOf(f, cfDir);
  const s = segArr, b = segBase;
  let first = (s[b + (n - 1) * S_WIDTH + S_SEQ]! - baseSeq) >>> 0;
  let last = (s[b + (n - 1) * S_WIDTH + S_NEXT]! - baseSeq) >>> 0;
  for (let i = 0; i < n; i++) {
    const lo = (s[b + i * S_WIDTH + S_SEQ]! - baseSeq) >>> 0;
    const hi = (s[b + i * S_WIDTH + S_NEXT]! - baseSeq) >>> 0;
    if (hi > last) last = hi;
    if (lo < first) first = lo;
  }
  let inFlight = (last - first) >>> 0;
  if (st[r + SACK_COUNT]! > 0) inFlight = (inFlight - st[r + SACK_BYTES]!) >>> 0;
  ta.exists = true;
  if (inFlight > 0 && inFlight < 2000000000) {
    ta.bif = inFlight;
    if (flags & (TH_SYN | TH_FIN)) ta.bif = (ta.bif - 1) >>> 0;
  }
  const push = (flags & TH_PUSH) !== 0;
  const bits = st[f + BITS]!;
  const pushLast = (bits & B_PUSH_LAST) !== 0;
  if (push && !pushLast) st[f + PUSH_BYTES] = (st[f + PUSH_BYTES]! + seglen) >>> 0;
  else if (push || pushLast) st[f + PUSH_BYTES] = seglen;
  else st[f + PUSH_BYTES] = (st[f + PUSH_BYTES]! + seglen) >>> 0;
  st[f + BITS] = push ? bits | B_PUSH_LAST : bits & ~B_PUSH_LAST;
  ta.pushBytes = st[f + PUSH_BYTES]!;
}

/**
 * After the flags (header length valid): a SYN's time for the initial RTT, which the first pure
 * ACK completes; whether the direction has sent a pure ACK since its SYN.
 */
export function anFlags(p: Packet, flags: number): void {
  const st = cur.st, f = cf;
  const b = f < cr ? f : cr;
  if (flags & TH_SYN) {
    if ((flags & TH_ACK) === 0) {
      st[b + SYN_SEC] = p.tsSec;
      st[b + SYN_NSEC] = p.tsNsec;
    }
    st[f + BITS] = st[f + BITS]! | B_FIRST_ACK;
  }
  if ((flags & (TH_SYN | TH_ACK)) === TH_ACK) {
    if ((st[b + SYN_SEC] !== 0 || st[b + SYN_NSEC] !== 0) && st[b + IRTT_SEC] === 0 && st[b + IRTT_NSEC] === 0) {
      // Kept as seconds and nanoseconds, as Wireshark's nstime (the difference may borrow).
      let sec = p.tsSec - st[b + SYN_SEC]!, ns = p.tsNsec - st[b + SYN_NSEC]!;
      if (ns < 0) {
        ns += 1e9;
        sec -= 1;
      }
      st[b + IRTT_SEC] = sec;
      st[b + IRTT_NSEC] = ns;
    }
    st[f + BITS] = st[f + BITS]! & ~B_FIRST_ACK;
  }
}

/**
 * The SACK blocks of this segment's options (`start`..`end`), for bytes in flight of the other
 * direction: walked like the option dissector, stopping at a bad length or the captured end.
 */
export function anSack(t: Tree, start: number, end: number): void {
  const d = t.d;
  const stop = Math.min(end, t.cap);
  const st = cur.st, f = cf;
  let o = start;
  while (o < stop) {
    const kind = d[o]!;
    if (kind === 0) return; // EOL: only padding follows
    if (kind === 1) {
      o++;
      continue;
    }
    if (o + 1 >= stop) return;
    const len = d[o + 1]!;
    if (len < 2 || o + len > end) return;
    if (kind === 5) {
      let q = o + 2;
      const optEnd = Math.min(o + len, stop);
      let n = 0;
      while (q + 8 <= optEnd) {
        n++;
        if (n <= SACK_MAX) {
          const le = ((d[q]! << 24) | (d[q + 1]! << 16) | (d[q + 2]! << 8) | d[q + 3]!) >>> 0;
          const re = ((d[q + 4]! << 24) | (d[q + 5]! << 16) | (d[q + 6]! << 8) | d[q + 7]!) >>> 0;
          st[f + SACK_COUNT] = n;
          st[f + SACK_BYTES] = (st[f + SACK_BYTES]! + re - le) >>> 0;
        }
        q += 8;
      }
    }
    o += len;
  }
}

/**
 * Adds the [SEQ/ACK analysis] items, experts and Info prefixes for the segment (at the end of
 * the TCP header's items, as Wireshark does after the options). `off`: the TCP header.
 */
export function anPrint(p: Packet, t: Tree, h: AnalysisFields, off: number): void {
  if (!ta.exists) return;
  const f = h.f, e = h.e;
  t.none(f.analysis, off, 0, t.full ? "[SEQ/ACK analysis]" : null);
  t.down();
  if (ta.frameAcked !== 0) {
    t.num(f.acks_frame, ta.frameAcked);
    // As Wireshark, no ack_rtt when the difference is zero.
    if (nsBetween(p.tsSec, p.tsNsec, ta.rttSec, ta.rttNsec) !== 0) t.relTime(f.ack_rtt, p.tsSec, p.tsNsec, ta.rttSec, ta.rttNsec);
  }
  const st = cur.st, b = cf < cr ? cf : cr;
  if (st[b + IRTT_SEC] !== 0 || st[b + IRTT_NSEC] !== 0) t.relTime(f.initial_rtt, st[b + IRTT_SEC]!, st[b + IRTT_NSEC]!, 0, 0);
  if (ta.bif !== 0) {
    t.num(f.bytes_in_flight, ta.bif);
    t.num(f.push_bytes_sent, ta.pushBytes);
  }
  const fl = ta.flags;
  if (fl !== 0) {
    t.none(f.flags, off, 0, t.full ? "[TCP Analysis Flags]" : null);
    t.down();
    // Wireshark prepends each text in this order, so the last one printed comes first.
    let pre = "";
    const cols = p.wantCols;
    const mark = (ex: Expert, text: string): void => {
      t.expert(p, ex, off, 0);
      if (cols) pre = text + pre;
    };
    if (fl & A_REUSED_PORTS) mark(e.reused_ports, "[TCP Port numbers reused] ");
    if (fl & A_RETRANSMISSION) {
      mark(e.retransmission, "[TCP Retransmission] ");
      if (nsBetween(p.tsSec, p.tsNsec, ta.rtoSec, ta.rtoNsec) !== 0) {
        t.relTime(f.rto, p.tsSec, p.tsNsec, ta.rtoSec, ta.rtoNsec);
        t.num(f.rto_frame, ta.rtoFrame);
      }
    }
    if (fl & A_FAST_RETRANSMISSION) {
      t.expert(p, e.fast_retransmission, off, 0);
      mark(e.retransmission, "[TCP Fast Retransmission] ");
    }
    if (fl & A_SPURIOUS_RETRANSMISSION) {
      t.expert(p, e.spurious_retransmission, off, 0);
      mark(e.retransmission, "[TCP Spurious Retransmission] ");
    }
    if (fl & A_OUT_OF_ORDER) mark(e.out_of_order, "[TCP Out-Of-Order] ");
    if (fl & A_LOST_PACKET) mark(e.lost_segment, "[TCP Previous segment not captured] ");
    if (fl & A_ACK_LOST_PACKET) mark(e.ack_lost_segment, "[TCP ACKed unseen segment] ");
    if (fl & A_WINDOW_UPDATE) mark(e.window_update, "[TCP Window Update] ");
    if (fl & A_WINDOW_FULL) mark(e.window_full, "[TCP Window Full] ");
    if (fl & A_KEEP_ALIVE) mark(e.keep_alive, "[TCP Keep-Alive] ");
    if (fl & A_KEEP_ALIVE_ACK) mark(e.keep_alive_ack, "[TCP Keep-Alive ACK] ");
    const dup = ta.dupackNum !== 0;
    if (dup && (fl & A_DUPLICATE_ACK)) {
      t.none(e.duplicate_ack.field, off, 0, t.full ? "[This is a TCP duplicate ack]" : null);
      if (cols) pre = `[TCP Dup ACK ${ta.dupackFrame}#${ta.dupackNum}] ` + pre;
    }
    // (A duplicate ACK never has a zero window: these never share a segment with the above.)
    if (fl & A_ZERO_WINDOW_PROBE) mark(e.zero_window_probe, "[TCP ZeroWindowProbe] ");
    if (fl & A_ZERO_WINDOW) mark(e.zero_window, "[TCP ZeroWindow] ");
    if (fl & A_ZERO_WINDOW_PROBE_ACK) mark(e.zero_window_probe_ack, "[TCP ZeroWindowProbeAck] ");
    t.up();
    if (dup) {
      t.num(f.duplicate_ack_num, ta.dupackNum);
      t.num(f.duplicate_ack_frame, ta.dupackFrame);
      t.down();
      t.expert(p, e.duplicate_ack, off, 0, `Duplicate ACK (#${ta.dupackNum})`);
      t.up();
    }
    if (cols) p.info.prepend(pre);
    infoPrefix = pre;
  }
  t.up();
}

/**
 * What becomes of the payload (`body`, `capLen` bytes captured of `repLen`), as in Wireshark:
 * 0 dissect it; 1 show it as data (keep-alive); 2 no payload protocol (a retransmission or an
 * out-of-order segment; a spurious retransmission when the segment is `whole`, not cut by the
 * snaplen nor a fragment, for then Wireshark's reassembly drops it first). A whole retransmission
 * also gets the "Retransmitted TCP segment data" item.
 */
export function anPayload(t: Tree, h: AnalysisFields, body: number, capLen: number, repLen: number, whole: boolean): number {
  const fl = ta.flags;
  if (fl === 0) return 0;
  if (whole && (fl & A_RETRANSMISSION)) {
    t.bytes(h.f.segment_data, body, capLen);
    if (t.full) t.label(`Retransmitted TCP segment data (${repLen} byte${repLen === 1 ? "" : "s"})`);
  }
  if (fl & (A_RETRANSMISSION | A_OUT_OF_ORDER)) return 2;
  if (whole && (fl & A_SPURIOUS_RETRANSMISSION)) return 2;
  if (fl & A_KEEP_ALIVE) return 1;
  return 0;
}

/**
 * After a payload protocol replaced the Info column: puts the analysis prefix back in front, as
 * Wireshark's column fence keeps it. A protocol that prepends to the column (SSH's "Client: ")
 * may have left it behind its own text, where Wireshark's col_prepend puts it too.
 */
/** The analysis prefix of this segment's Info ("[TCP Retransmission] "...), "" when none. */
export function anInfoPrefix(): string {
  return infoPrefix;
}

export function anKeepPrefix(p: Packet): void {
  const pre = infoPrefix;
  if (pre !== "" && !p.info.includes(pre)) p.info.prepend(pre);
}
