// Reassembly of the PDUs a TCP payload protocol spreads over several segments, as Wireshark does
// by default (tcp.desegment_tcp_streams) in one pass. A payload dissector that needs more bytes
// than it was given says so through p.desegmentOffset / p.desegmentLen (Wireshark's
// pinfo->desegment_offset / desegment_len) and returns; TCP keeps the bytes from that offset,
// shows the segment as "[TCP segment of a reassembled PDU]", collects the following in-order
// segments of the same direction, and runs the dissector again over the reassembled bytes in the
// segment that completes the PDU.
//
// As in Wireshark with its defaults, out-of-order segments are not reassembled
// (tcp.reassemble_out_of_order is off) and retransmissions never reach this code (tcp.ts stops
// them first). After a lost segment the PDU cannot complete: segments inside its span are still
// marked as its segments; one past it abandons it and starts afresh.
//
// Memory: a PDU is held until it completes. One that would need more than MAX_PDU bytes, or more
// than is left of MAX_HELD across all directions, is not held: the dissector decodes what each
// segment has, as without reassembly (where Wireshark would go on collecting).
import { FT, registerFields, type Field } from "../fields.js";
import type { Dissector } from "../dispatch.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";

/** desegmentLen values: "one more segment, whatever its length" and "everything up to the FIN". */
export const ONE_MORE_SEGMENT = 0x0fffffff;
export const UNTIL_FIN = 0x0ffffffe;

const MAX_PDU = 16 << 20;
const MAX_HELD = 32 << 20;

export interface PendingPdu {
  /** Relative sequence number of the PDU's first byte. */
  startSeq: number;
  /** Relative sequence number of the next byte this PDU expects. */
  nextSeq: number;
  /** Total length the PDU needs, or ONE_MORE_SEGMENT / UNTIL_FIN. */
  need: number;
  buf: Uint8Array;
  len: number;
  /** Frame number and byte count of each segment collected, in order. */
  frames: number[];
  lens: number[];
}

export function registerReassemblyFields(proto: Field) {
  return registerFields(proto, {
    segments: { abbrev: "tcp.segments", name: "Reassembled TCP Segments", type: FT.NONE },
    segment: { abbrev: "tcp.segment", name: "TCP Segment", type: FT.FRAMENUM },
    segment_count: { abbrev: "tcp.segment.count", name: "Segment count", type: FT.UINT32 },
    reassembled_length: { abbrev: "tcp.reassembled.length", name: "Reassembled TCP length", type: FT.UINT32 },
    reassembled_data: { abbrev: "tcp.reassembled.data", name: "Reassembled TCP Data", type: FT.BYTES },
  });
}
type ReassemblyFields = ReturnType<typeof registerReassemblyFields>;

/** Payload dissectors that ask for reassembly (the others get each segment as it is). */
const reassembling = new Set<Dissector>();

export function reassembles(d: Dissector): boolean {
  return reassembling.has(d);
}

export function markReassembling(d: Dissector): void {
  reassembling.add(d);
}

/** Bytes held by the pending PDUs of one read. */
export class HeldBytes {
  total = 0;
}

/** What tcp.ts hands over for one segment whose payload goes to a reassembling dissector. */
export interface SegmentInfo {
  /** The TCP item to reopen for "TCP segment data" (tcp.proto). */
  tcpProto: Field;
  segmentData: Field;
  f: ReassemblyFields;
  held: HeldBytes;
  /** Where the direction keeps its pending PDU. */
  flow: { pdu: PendingPdu | null };
  dissector: Dissector;
  /** Payload offset in the frame and its length (all captured). */
  body: number;
  len: number;
  /** Relative sequence number of the payload's first byte. */
  seq: number;
  fin: boolean;
}

/**
 * Hands the payload to the dissector, through a pending PDU when one is open. Called with the
 * payload wholly captured and not in a fragment or an ICMP error (Wireshark's can_desegment).
 */
export function desegment(p: Packet, t: Tree, s: SegmentInfo): void {
  const flow = s.flow;
  let pdu = flow.pdu;
  let off = s.body;
  const end = s.body + s.len;
  /** A PDU was decoded in this segment already: later held bytes leave the columns alone. */
  let completed = false;
  if (pdu !== null && pdu.nextSeq !== s.seq) {
    // After a lost segment the PDU cannot complete; segments inside its span still belong to it.
    if (pdu.need < ONE_MORE_SEGMENT && seqAfter(s.seq, pdu.nextSeq) && seqAfter(pdu.startSeq + pdu.need, s.seq)) {
      segmentOfPdu(p, t, s, off, s.len);
      return;
    }
    drop(s, pdu);
    pdu = null;
  }
  if (pdu !== null) {
    const before = pdu.len;
    if (!append(s, pdu, t.d, off, end)) {
      drop(s, pdu);
      pdu = null;
    } else {
      pdu.frames.push(p.num);
      pdu.lens.push(s.len);
      pdu.nextSeq = (pdu.nextSeq + s.len) >>> 0;
      const complete = pdu.need === UNTIL_FIN ? s.fin : pdu.need === ONE_MORE_SEGMENT || pdu.len >= pdu.need;
      if (!complete) {
        segmentOfPdu(p, t, s, off, s.len);
        return;
      }
      // The part of this segment that belongs to the PDU; the rest starts the next PDU.
      const used = pdu.need < ONE_MORE_SEGMENT ? Math.min(s.len, pdu.need - before) : s.len;
      const size = pdu.need < ONE_MORE_SEGMENT ? pdu.need : pdu.len;
      segmentData(t, s, off, used);
      flow.pdu = null;
      s.held.total -= pdu.buf.length;
      pdu.lens[pdu.lens.length - 1] = used;
      const more = reassembled(p, t, s, pdu, size);
      if (more !== null) {
        // The dissector wants still more (the headers told it the body's length): keep going.
        if (keep(s, more)) segmentOfPdu(p, t, s, -1, 0);
        return;
      }
      off += used;
      if (off >= end) return;
      completed = true;
    }
  }
  if (off >= end) return;
  p.desegmentOffset = 0;
  p.desegmentLen = 0;
  s.dissector(p, t, off);
  if (p.desegmentLen === 0) return;
  const start = off + p.desegmentOffset;
  const held = end - start;
  const need = p.desegmentLen >= UNTIL_FIN ? p.desegmentLen : held + p.desegmentLen;
  p.desegmentLen = 0;
  const fresh: PendingPdu = {
    startSeq: (s.seq + (start - s.body)) >>> 0, nextSeq: (s.seq + s.len) >>> 0, need, buf: new Uint8Array(0), len: 0, frames: [p.num], lens: [held],
  };
  if (start < off || held <= 0 || (need < UNTIL_FIN && need > MAX_PDU) || !append(s, fresh, t.d, start, end)) {
    // Too large to hold: the dissector decodes what this segment has, as without reassembly.
    p.canDesegment = false;
    s.dissector(p, t, off);
    p.canDesegment = true;
    return;
  }
  if (need === UNTIL_FIN && s.fin) {
    // The FIN is in this very segment: the PDU is complete already.
    segmentData(t, s, start, held);
    s.held.total -= fresh.buf.length;
    reassembled(p, t, s, fresh, fresh.len);
    return;
  }
  flow.pdu = fresh;
  // As Wireshark: a segment whose own bytes began no held PDU (a message was decoded before it)
  // keeps the payload protocol's columns.
  if (start === s.body && !completed) segmentOfPdu(p, t, s, start, held);
  else segmentData(t, s, start, held);
}

/** Sequence number a comes after b (modulo 2^32). */
function seqAfter(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

/** A FIN without payload closes a PDU that runs until the FIN (an HTTP body without a length). */
export function finishAtFin(p: Packet, t: Tree, s: SegmentInfo): void {
  const pdu = s.flow.pdu;
  if (pdu === null || pdu.need !== UNTIL_FIN || pdu.nextSeq !== s.seq) return;
  s.flow.pdu = null;
  s.held.total -= pdu.buf.length;
  pdu.frames.push(p.num);
  pdu.lens.push(0);
  reassembled(p, t, s, pdu, pdu.len);
}

/** Forgets a direction's pending PDU (its conversation is evicted or restarts). */
export function releasePdu(held: HeldBytes, flow: { pdu: PendingPdu | null }): void {
  if (flow.pdu !== null) held.total -= flow.pdu.buf.length;
  flow.pdu = null;
}

function drop(s: SegmentInfo, pdu: PendingPdu): void {
  s.held.total -= pdu.buf.length;
  s.flow.pdu = null;
}

/** Appends d[a, b) to the PDU's bytes; false when that would pass the memory limits. */
function append(s: SegmentInfo, pdu: PendingPdu, d: Uint8Array, a: number, b: number): boolean {
  const n = pdu.len + (b - a);
  if (n > MAX_PDU) return false;
  if (n > pdu.buf.length) {
    let cap = Math.max(256, pdu.buf.length * 2);
    while (cap < n) cap *= 2;
    if (pdu.need < ONE_MORE_SEGMENT && pdu.need >= n) cap = Math.min(cap, pdu.need);
    if (s.held.total - pdu.buf.length + cap > MAX_HELD) return false;
    const grown = new Uint8Array(cap);
    grown.set(pdu.buf.subarray(0, pdu.len));
    s.held.total += cap - pdu.buf.length;
    pdu.buf = grown;
  }
  pdu.buf.set(d.subarray(a, b), pdu.len);
  pdu.len = n;
  return true;
}

/** Keeps the tail of a reassembled PDU the dissector asked more for; false when it cannot. */
function keep(s: SegmentInfo, more: PendingPdu): boolean {
  if (more.need < ONE_MORE_SEGMENT && more.need > MAX_PDU) return false;
  const kept: PendingPdu = { ...more, buf: new Uint8Array(0), len: 0 };
  if (!append(s, kept, more.buf, 0, more.len)) return false;
  s.flow.pdu = kept;
  return true;
}

/** A segment held for reassembly: TCP's protocol and " [TCP segment of a reassembled PDU]". */
function segmentOfPdu(p: Packet, t: Tree, s: SegmentInfo, off: number, len: number): void {
  if (off >= 0) segmentData(t, s, off, len);
  p.protocol = "TCP";
  if (p.wantCols) {
    if (!p.info.empty) p.info.add(" ");
    p.info.add("[TCP segment of a reassembled PDU]");
  }
}

function segmentData(t: Tree, s: SegmentInfo, off: number, len: number): void {
  t.reopen(s.tcpProto);
  t.bytes(s.segmentData, off, len);
  if (t.full) t.label(`TCP segment data (${len} byte${len === 1 ? "" : "s"})`);
  t.up();
}

/**
 * Runs the dissector over the first `size` reassembled bytes, as a data source of their own.
 * Returns the PDU to keep collecting when the dissector asks for more, else null.
 */
function reassembled(p: Packet, t: Tree, s: SegmentInfo, pdu: PendingPdu, size: number): PendingPdu | null {
  const data = pdu.buf.subarray(0, size);
  const top = t.topCount();
  p.desegmentOffset = 0;
  p.desegmentLen = 0;
  // A PDU closed by the FIN is all there will be: the dissector may not ask for more.
  const could = p.canDesegment;
  if (pdu.need === UNTIL_FIN) p.canDesegment = false;
  try {
    t.source(data, () => s.dissector(p, t, 0));
  } finally {
    p.canDesegment = could;
  }
  if (p.desegmentLen !== 0) {
    // Still incomplete (the dissector had asked for one more segment): no reassembly items yet.
    const from = p.desegmentOffset;
    const need = p.desegmentLen >= UNTIL_FIN ? p.desegmentLen : size - from + p.desegmentLen;
    p.desegmentLen = 0;
    const frames = from === 0 ? pdu.frames : [p.num];
    const lens = from === 0 ? pdu.lens : [size - from];
    return { startSeq: (pdu.startSeq + from) >>> 0, nextSeq: pdu.nextSeq, need, buf: data.subarray(from), len: size - from, frames, lens };
  }
  segmentsItem(t, s.f, pdu, data);
  // Wireshark shows the reassembly before what was decoded from it.
  t.moveLastTo(top);
  return null;
}

/** "[N Reassembled TCP Segments (L bytes): #a(x), #b(y)]" and its items, at the top level. */
function segmentsItem(t: Tree, f: ReassemblyFields, pdu: PendingPdu, data: Uint8Array): void {
  const n = pdu.frames.length;
  const size = data.length;
  t.none(f.segments, 0, 0, null);
  if (t.full) {
    const parts = pdu.frames.map((fr, i) => `#${fr}(${pdu.lens[i]})`).join(", ");
    t.label(`[${n} Reassembled TCP Segments (${size} bytes): ${parts}]`);
  }
  t.down();
  let at = 0;
  for (let i = 0; i < n; i++) {
    t.num(f.segment, pdu.frames[i]!);
    if (t.full) {
      const len = pdu.lens[i]!;
      t.label(len === 0 ? `[Frame: ${pdu.frames[i]} (no data)]` : `[Frame: ${pdu.frames[i]}, payload: ${at}-${at + len - 1} (${len} byte${len === 1 ? "" : "s"})]`);
    }
    at += pdu.lens[i]!;
  }
  t.num(f.segment_count, n);
  if (t.full) t.label(`[Segment count: ${n}]`);
  t.num(f.reassembled_length, size);
  if (t.full) t.label(`[Reassembled TCP length: ${size}]`);
  if (t.wants(f.reassembled_data)) {
    t.source(data, () => t.bytes(f.reassembled_data, 0, size));
    if (t.full) t.label(`[Reassembled TCP Data: ${hexPreview(data)}]`);
  }
  t.up();
}

/** Wireshark's bytes label: hex, cut with an ellipsis after 36 bytes. */
function hexPreview(b: Uint8Array): string {
  let s = "";
  const n = Math.min(b.length, 36);
  for (let i = 0; i < n; i++) s += b[i]!.toString(16).padStart(2, "0");
  return b.length > 36 ? s + "\u2026" : s;
}
