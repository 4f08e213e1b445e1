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
import { bytesPreview } from "../format.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";

/** desegmentLen values: "one more segment, whatever its length" and "everything up to the FIN". */
export const ONE_MORE_SEGMENT = 0x0fffffff;
export const UNTIL_FIN = 0x0ffffffe;

const MAX_PDU = 16 << 20;
const MAX_HELD = 8 << 20;
/** PDUs pending at once, over all connections. */
const MAX_PENDING = 4096;

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

/**
 * The bytes of the pending PDUs of one read: how many are held, and the buffers given back. A
 * buffer is reused only from the next packet on (this packet's fields may still point into it),
 * so a capture that opens PDUs on connection after connection recycles buffers instead of
 * leaving them to the collector (which let garbage buffers reach 130 MB before it ran).
 */
export class HeldBytes {
  total = 0;
  /** Frame being dissected. */
  now = 0;
  /** Power-of-two buffers by size class (log2), up to POOL_MAX bytes in all. */
  private readonly pool: Uint8Array[][] = [];
  private pooled = 0;
  private parked: Uint8Array[] = [];
  private parkedAt = 0;
  /** PDUs pending now, and PDU records free for reuse. */
  private pending = 0;
  private readonly spare: PendingPdu[] = [];

  /** A PDU record for a direction that starts one, or null when MAX_PENDING are pending already. */
  obtain(): PendingPdu | null {
    if (this.pending >= MAX_PENDING) return null;
    this.pending++;
    return this.spare.pop() ?? { startSeq: 0, nextSeq: 0, need: 0, buf: NO_BYTES, len: 0, frames: [], lens: [] };
  }

  recycle(pdu: PendingPdu): void {
    this.pending--;
    this.spare.push(pdu);
  }

  alloc(size: number): Uint8Array {
    this.unpark();
    const c = sizeClass(size);
    const list = c >= 0 ? this.pool[c] : undefined;
    const b = list !== undefined ? list.pop() : undefined;
    if (b !== undefined) {
      this.pooled -= b.length;
      return b;
    }
    return new Uint8Array(size);
  }

  release(b: Uint8Array): void {
    if (sizeClass(b.length) < 0) return;
    this.unpark();
    this.parked.push(b);
    this.parkedAt = this.now;
  }

  private unpark(): void {
    if (this.parked.length === 0 || this.parkedAt === this.now) return;
    for (const b of this.parked) {
      if (this.pooled + b.length > POOL_MAX) continue;
      (this.pool[sizeClass(b.length)] ??= []).push(b);
      this.pooled += b.length;
    }
    this.parked.length = 0;
  }
}

const POOL_MAX = 2 << 20;

/** log2 of a power of two from 256 to 64 KiB, else -1 (not pooled). */
function sizeClass(n: number): number {
  if (n < 256 || n > 65536 || (n & (n - 1)) !== 0) return -1;
  return 31 - Math.clz32(n);
}

/** Where a direction of a connection keeps its pending PDU. */
export interface Flow {
  pdu: PendingPdu | null;
}

/** What tcp.ts hands over for one segment whose payload goes to a reassembling dissector. */
export interface SegmentInfo {
  /** The TCP item to reopen for "TCP segment data" (tcp.proto). */
  tcpProto: Field;
  segmentData: Field;
  f: ReassemblyFields;
  held: HeldBytes;
  /** Where the direction keeps its pending PDU. */
  flow: Flow;
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
  s.held.now = p.num;
  let pdu = s.flow.pdu;
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
    deactivate(s.held, s.flow);
    pdu = null;
  }
  if (pdu !== null) {
    const before = pdu.len;
    if (!append(s.held, pdu, t.d, off, end)) deactivate(s.held, s.flow);
    else {
      addSegment(pdu, p.num, s.len);
      pdu.nextSeq = (pdu.nextSeq + s.len) >>> 0;
      const complete = pdu.need === UNTIL_FIN ? s.fin : pdu.need === ONE_MORE_SEGMENT || pdu.len >= pdu.need;
      if (!complete) {
        segmentOfPdu(p, t, s, off, s.len);
        return;
      }
      // The part of this segment that belongs to the PDU; the rest starts the next PDU.
      const used = pdu.need < ONE_MORE_SEGMENT ? Math.min(s.len, pdu.need - before) : s.len;
      const size = pdu.need < ONE_MORE_SEGMENT ? pdu.need : pdu.len;
      pdu.lens[pdu.lens.length - 1] = used;
      const outcome = reassembled(p, t, s, pdu, size, before);
      // As Wireshark, "TCP segment data" comes after what the dissector added to TCP's tree
      // (the "[PDU Size: N]" items of the PDUs it found).
      segmentData(t, s, off, used);
      if (outcome !== Reassembled.DONE) {
        // The dissector wants still more: for the same message (the headers told it the body's
        // length), or for one that starts after the messages it decoded. Keep going.
        if (!keep(s.held, pdu, size, p.num)) deactivate(s.held, s.flow);
        else if (pdu.need === UNTIL_FIN && s.fin && pdu.nextSeq === ((s.seq + s.len) >>> 0)) {
          // It wants the bytes up to the FIN, and the FIN is in this very segment.
          reassembled(p, t, s, pdu, pdu.len, pdu.len);
          deactivate(s.held, s.flow);
        } else if (outcome === Reassembled.MORE) segmentOfPdu(p, t, s, -1, 0);
        return;
      }
      deactivate(s.held, s.flow);
      off += used;
      if (off >= end) return;
      completed = true;
      // What the next PDU of this segment writes goes after this one's text.
      p.info.setFence();
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
  const fresh = start < off || held <= 0 || (need < UNTIL_FIN && need > MAX_PDU) ? null : open(s, t.d, start, end, need, p.num);
  if (fresh === null) {
    // Too large to hold: the dissector decodes what this segment has, as without reassembly.
    p.canDesegment = false;
    s.dissector(p, t, off);
    p.canDesegment = true;
    return;
  }
  if (need === UNTIL_FIN && s.fin) {
    // The FIN is in this very segment: the PDU is complete already.
    reassembled(p, t, s, fresh, fresh.len, 0);
    segmentData(t, s, start, held);
    deactivate(s.held, s.flow);
    return;
  }
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
  s.held.now = p.num;
  const pdu = s.flow.pdu;
  if (pdu === null || pdu.need !== UNTIL_FIN || pdu.nextSeq !== s.seq) return;
  addSegment(pdu, p.num, 0);
  reassembled(p, t, s, pdu, pdu.len, pdu.len);
  deactivate(s.held, s.flow);
}

/** Forgets a direction's pending PDU (its conversation is evicted or restarts). */
export function releasePdu(held: HeldBytes, flow: Flow): void {
  deactivate(held, flow);
}

/** Starts holding d[a, b) as the direction's PDU of `need` bytes; null when it may not be held. */
function open(s: SegmentInfo, d: Uint8Array, a: number, b: number, need: number, frame: number): PendingPdu | null {
  const pdu = s.held.obtain();
  if (pdu === null) return null;
  s.flow.pdu = pdu;
  pdu.startSeq = (s.seq + (a - s.body)) >>> 0;
  pdu.nextSeq = (s.seq + s.len) >>> 0;
  pdu.need = need;
  pdu.len = 0;
  firstSegment(pdu, frame, b - a);
  if (append(s.held, pdu, d, a, b)) return pdu;
  deactivate(s.held, s.flow);
  return null;
}

/** The segments of a PDU, for tcp.segment and the tree: a frame and its byte count each. */
function addSegment(pdu: PendingPdu, frame: number, len: number): void {
  pdu.frames.push(frame);
  pdu.lens.push(len);
}

function firstSegment(pdu: PendingPdu, frame: number, len: number): void {
  pdu.frames.length = 0;
  pdu.lens.length = 0;
  addSegment(pdu, frame, len);
}

/** The direction holds no PDU any more; the buffer stays readable until the next packet. */
function deactivate(held: HeldBytes, flow: Flow): void {
  const pdu = flow.pdu;
  if (pdu === null) return;
  flow.pdu = null;
  held.total -= pdu.buf.length;
  held.release(pdu.buf);
  pdu.buf = NO_BYTES;
  pdu.len = 0;
  held.recycle(pdu);
}

const NO_BYTES = new Uint8Array(0);
const SEGMENTS = "tcp.segments";

/** Appends d[a, b) to the PDU's bytes; false when that would pass the memory limits. */
function append(held: HeldBytes, pdu: PendingPdu, d: Uint8Array, a: number, b: number): boolean {
  const n = pdu.len + (b - a);
  if (n > MAX_PDU) return false;
  if (n > pdu.buf.length) {
    let cap = Math.max(256, pdu.buf.length * 2);
    while (cap < n) cap *= 2;
    if (pdu.need < ONE_MORE_SEGMENT && pdu.need >= n) cap = Math.min(cap, pdu.need);
    if (held.total - pdu.buf.length + cap > MAX_HELD) return false;
    const grown = held.alloc(cap);
    grown.set(pdu.buf.subarray(0, pdu.len));
    held.total += cap - pdu.buf.length;
    held.release(pdu.buf);
    pdu.buf = grown;
  }
  pdu.buf.set(d.subarray(a, b), pdu.len);
  pdu.len = n;
  return true;
}

/** What the dissector asked for after the reassembled bytes (set by reassembled()). */
const again = { from: 0, need: 0 };

/**
 * Keeps collecting after the dissector asked for more over the first `size` bytes: from
 * `again.from` on, `again.need` bytes in all. False when that may not be held.
 */
function keep(held: HeldBytes, pdu: PendingPdu, size: number, frame: number): boolean {
  const from = again.from;
  pdu.need = again.need;
  if (pdu.need < UNTIL_FIN && pdu.need > MAX_PDU) return false;
  // Bytes past `size` (the rest of the segment) continue the unfinished message: all are kept.
  if (from === 0) return true;
  // A message was decoded before the unfinished one: it moves to a buffer of its own (this
  // packet's fields may point into the old one).
  const old = pdu.buf;
  const oldLen = pdu.len;
  pdu.buf = NO_BYTES;
  held.total -= old.length;
  held.release(old);
  pdu.len = 0;
  pdu.startSeq = (pdu.startSeq + from) >>> 0;
  firstSegment(pdu, frame, oldLen - from);
  return append(held, pdu, old, from, oldLen);
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

/** What the dissector made of reassembled bytes. */
const enum Reassembled {
  /** Decoded to the end. */
  DONE,
  /** Needs more for the message the bytes began (Wireshark's partial reassembly). */
  MORE,
  /** Decoded messages, then needs more for one that starts in the segment just added. */
  NEXT,
}

/**
 * Runs the dissector over the first `size` reassembled bytes, as a data source of their own;
 * `before` of them came from earlier segments. When the dissector asks for more, what it asked
 * for is left in `again`.
 */
function reassembled(p: Packet, t: Tree, s: SegmentInfo, pdu: PendingPdu, size: number, before: number): Reassembled {
  const data = pdu.buf.subarray(0, size);
  const top = t.topCount();
  p.desegmentOffset = 0;
  p.desegmentLen = 0;
  // A PDU closed by the FIN is all there will be: the dissector may not ask for more.
  const atFin = pdu.need === UNTIL_FIN;
  const could = p.canDesegment;
  if (atFin) p.canDesegment = false;
  // tshark's protocol hierarchy counts the reassembly item at the top level: after what was
  // decoded from it, or before that when the FIN completed it.
  if (atFin) p.topLayers.push(SEGMENTS);
  try {
    t.source(data, () => s.dissector(p, t, 0), "Reassembled TCP");
  } finally {
    p.canDesegment = could;
  }
  let lastLen = -1;
  if (p.desegmentLen !== 0) {
    again.from = p.desegmentOffset;
    again.need = p.desegmentLen >= UNTIL_FIN ? p.desegmentLen : size - again.from + p.desegmentLen;
    p.desegmentLen = 0;
    // Still incomplete (the dissector had asked for one more segment): no reassembly items yet.
    if (again.from <= before) return Reassembled.MORE;
    // Wireshark takes the messages decoded as the PDU: its segments end where they end, though
    // its length and data are all the bytes reassembled.
    lastLen = again.from - before;
  }
  segmentsItem(t, s.f, pdu, data, lastLen);
  // Wireshark shows the reassembly before what was decoded from it.
  t.moveLastTo(top);
  if (!atFin) p.topLayers.push(SEGMENTS);
  return lastLen < 0 ? Reassembled.DONE : Reassembled.NEXT;
}

/**
 * "[N Reassembled TCP Segments (L bytes): #a(x), #b(y)]" and its items, at the top level;
 * `lastLen` (unless negative) is the byte count shown for the last segment.
 */
function segmentsItem(t: Tree, f: ReassemblyFields, pdu: PendingPdu, data: Uint8Array, lastLen: number): void {
  const n = pdu.frames.length;
  if (lastLen >= 0 && n > 0) pdu.lens[n - 1] = lastLen;
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
    t.source(data, () => t.bytes(f.reassembled_data, 0, size), "Reassembled TCP");
    if (t.full) t.label(`[Reassembled TCP Data: ${bytesPreview(data)}]`);
  }
  t.up();
}
