// The frames inside an opened QUIC packet (RFC 9000 section 19, DATAGRAM RFC 9221), as tshark
// 4.0 labels them; CRYPTO data goes to TLS's handshake dissector (tls.ts), with a message split
// over several CRYPTO frames reassembled as Wireshark's TLS does.
import { Base, FT, registerExperts, registerFields, type Expert, type Field, type FieldSpec } from "../fields.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { varint, varintLen } from "./quic-varint.js";
import { ALERT_DESCRIPTIONS, tls13Item, tlsHandshakeFragment, tlsHandshakeMessages, tlsHandshakeName, tlsReassembledFragments } from "./tls.js";
import type { HandshakeState } from "./tls-handshake.js";

const u64 = FT.UINT64;
const FRAME_NAMES = new Map<number, string>([
  [0x00, "PADDING"], [0x01, "PING"], [0x02, "ACK"], [0x03, "ACK"], [0x04, "RESET_STREAM"], [0x05, "STOP_SENDING"],
  [0x06, "CRYPTO"], [0x07, "NEW_TOKEN"], [0x10, "MAX_DATA"], [0x11, "MAX_STREAM_DATA"], [0x12, "MAX_STREAMS (BIDI)"],
  [0x13, "MAX_STREAMS (UNI)"], [0x14, "DATA_BLOCKED"], [0x15, "STREAM_DATA_BLOCKED"], [0x16, "STREAMS_BLOCKED (BIDI)"],
  [0x17, "STREAMS_BLOCKED (UNI)"], [0x18, "NEW_CONNECTION_ID"], [0x19, "RETIRE_CONNECTION_ID"], [0x1a, "PATH_CHALLENGE"],
  [0x1b, "PATH_RESPONSE"], [0x1c, "CONNECTION_CLOSE (Transport)"], [0x1d, "CONNECTION_CLOSE (Application)"],
  [0x1e, "HANDSHAKE_DONE"], [0x30, "DATAGRAM"], [0x31, "DATAGRAM"],
]);
for (let f = 0x08; f <= 0x0f; f++) FRAME_NAMES.set(f, "STREAM");

const TRANSPORT_ERRORS = new Map<number, string>([
  [0, "NO_ERROR"], [1, "INTERNAL_ERROR"], [2, "CONNECTION_REFUSED"], [3, "FLOW_CONTROL_ERROR"], [4, "STREAM_LIMIT_ERROR"],
  [5, "STREAM_STATE_ERROR"], [6, "FINAL_SIZE_ERROR"], [7, "FRAME_ENCODING_ERROR"], [8, "TRANSPORT_PARAMETER_ERROR"],
  [9, "CONNECTION_ID_LIMIT_ERROR"], [10, "PROTOCOL_VIOLATION"], [11, "INVALID_TOKEN"], [12, "APPLICATION_ERROR"],
  [13, "CRYPTO_BUFFER_EXCEEDED"], [14, "KEY_UPDATE_ERROR"], [15, "AEAD_LIMIT_REACHED"], [16, "NO_VIABLE_PATH"],
]);
const transportError = (v: number) => TRANSPORT_ERRORS.get(v) ?? (v >= 0x100 && v <= 0x1ff ? "CRYPTO_ERROR" : "Unknown");

const SPECS = {
  frame: { abbrev: "quic.frame", name: "Frame", type: FT.NONE },
  frame_type: { abbrev: "quic.frame_type", name: "Frame Type", type: u64, base: Base.HEX, strings: FRAME_NAMES },
  padding_length: { abbrev: "quic.padding_length", name: "Padding Length", type: FT.UINT32, generated: true },
  ack_largest: { abbrev: "quic.ack.largest_acknowledged", name: "Largest Acknowledged", type: u64 },
  ack_delay: { abbrev: "quic.ack.ack_delay", name: "ACK Delay", type: u64 },
  ack_range_count: { abbrev: "quic.ack.ack_range_count", name: "ACK Range Count", type: u64 },
  ack_first_range: { abbrev: "quic.ack.first_ack_range", name: "First ACK Range", type: u64 },
  ack_gap: { abbrev: "quic.ack.gap", name: "Gap", type: u64 },
  ack_range: { abbrev: "quic.ack.ack_range", name: "ACK Range", type: u64 },
  ect0: { abbrev: "quic.ack.ect0_count", name: "ECT(0) Count", type: u64 },
  ect1: { abbrev: "quic.ack.ect1_count", name: "ECT(1) Count", type: u64 },
  ecn_ce: { abbrev: "quic.ack.ecn_ce_count", name: "ECN-CE Count", type: u64 },
  rsts_stream_id: { abbrev: "quic.rsts.stream_id", name: "Stream ID", type: u64 },
  rsts_error: { abbrev: "quic.rsts.application_error_code", name: "Application Error code", type: u64 },
  rsts_final_size: { abbrev: "quic.rsts.final_size", name: "Final Size", type: u64 },
  ss_stream_id: { abbrev: "quic.ss.stream_id", name: "Stream ID", type: u64 },
  ss_error: { abbrev: "quic.ss.application_error_code", name: "Application Error code", type: u64 },
  crypto_offset: { abbrev: "quic.crypto.offset", name: "Offset", type: u64 },
  crypto_length: { abbrev: "quic.crypto.length", name: "Length", type: u64 },
  crypto_data: { abbrev: "quic.crypto.crypto_data", name: "Crypto Data", type: FT.NONE },
  nt_length: { abbrev: "quic.nt.length", name: "(Token) Length", type: u64 },
  nt_token: { abbrev: "quic.nt.token", name: "Token", type: FT.BYTES },
  stream_fin: { abbrev: "quic.stream.fin", name: "Fin", type: FT.BOOLEAN, mask: 0x01, bitWidth: 8 },
  stream_len: { abbrev: "quic.stream.len", name: "Len(gth)", type: FT.BOOLEAN, mask: 0x02, bitWidth: 8 },
  stream_off: { abbrev: "quic.stream.off", name: "Off(set)", type: FT.BOOLEAN, mask: 0x04, bitWidth: 8 },
  stream_id: { abbrev: "quic.stream.stream_id", name: "Stream ID", type: u64 },
  stream_initiator: { abbrev: "quic.stream.initiator", name: "Stream initiator", type: u64, mask: 0x01, bitWidth: 64, strings: new Map([[0, "Client-initiated"], [1, "Server-initiated"]]) },
  stream_direction: { abbrev: "quic.stream.direction", name: "Stream direction", type: u64, mask: 0x02, bitWidth: 64, strings: new Map([[0, "Bidirectional"], [1, "Unidirectional"]]) },
  stream_offset: { abbrev: "quic.stream.offset", name: "Offset", type: u64 },
  stream_length: { abbrev: "quic.stream.length", name: "Length", type: u64 },
  stream_data: { abbrev: "quic.stream_data", name: "Stream Data", type: FT.BYTES },
  md: { abbrev: "quic.md.maximum_data", name: "Maximum Data", type: u64 },
  msd_stream_id: { abbrev: "quic.msd.stream_id", name: "Stream ID", type: u64 },
  msd: { abbrev: "quic.msd.maximum_stream_data", name: "Maximum Stream Data", type: u64 },
  ms: { abbrev: "quic.ms.max_streams", name: "Max Streams", type: u64 },
  sb_limit: { abbrev: "quic.sb.stream_data_limit", name: "Stream Data Limit", type: u64 },
  sdb_stream_id: { abbrev: "quic.sdb.stream_id", name: "Stream ID", type: u64 },
  sib_limit: { abbrev: "quic.sib.stream_limit", name: "Stream Limit", type: u64 },
  nci_retire: { abbrev: "quic.nci.retire_prior_to", name: "Retire Prior To", type: u64 },
  nci_sequence: { abbrev: "quic.nci.sequence", name: "Sequence", type: u64 },
  nci_cid_length: { abbrev: "quic.nci.connection_id.length", name: "Connection ID Length", type: FT.UINT8 },
  nci_cid: { abbrev: "quic.nci.connection_id", name: "Connection ID", type: FT.BYTES },
  nci_reset_token: { abbrev: "quic.nci.stateless_reset_token", name: "Stateless Reset Token", type: FT.BYTES },
  rci_sequence: { abbrev: "quic.rci.sequence", name: "Sequence", type: u64 },
  path_challenge: { abbrev: "quic.path_challenge.data", name: "Data", type: FT.BYTES },
  path_response: { abbrev: "quic.path_response.data", name: "Data", type: FT.BYTES },
  cc_error: { abbrev: "quic.cc.error_code", name: "Error code", type: u64 },
  cc_error_app: { abbrev: "quic.cc.error_code.app", name: "Application Error code", type: u64 },
  cc_tls_alert: { abbrev: "quic.cc.error_code.tls_alert", name: "TLS Alert Description", type: FT.UINT8 },
  cc_frame_type: { abbrev: "quic.cc.frame_type", name: "Frame Type", type: u64 },
  cc_reason_length: { abbrev: "quic.cc.reason_phrase.length", name: "Reason phrase Length", type: u64 },
  cc_reason: { abbrev: "quic.cc.reason_phrase", name: "Reason phrase", type: FT.STRING },
  dg_length: { abbrev: "quic.dg.length", name: "Datagram Length", type: u64 },
  dg: { abbrev: "quic.dg", name: "Datagram", type: FT.BYTES },
} satisfies Record<string, FieldSpec>;

let hf: Record<keyof typeof SPECS, Field>;
let ei: { ft_unknown: Expert; retransmission: Expert };

/** Registers the frame fields under QUIC (quic.ts calls this once). */
export function registerFrameFields(proto: Field): void {
  hf = registerFields(proto, SPECS);
  ei = registerExperts(proto, {
    ft_unknown: { abbrev: "quic.ft.unknown", group: "undecoded", severity: "note", summary: "Unknown Frame Type" },
    retransmission: { abbrev: "quic.retransmission", group: "sequence", severity: "note", summary: "This QUIC frame has a reused stream offset (retransmission?)" },
  });
}

/** A CRYPTO stream's handshake message still being put together (per connection and sender). */
export interface CryptoReassembly {
  /** The stream offset the next fragment must start at. */
  next: number;
  /** The message's bytes so far and its full size (header included). */
  data: Uint8Array;
  have: number;
  /** Frame number and size of each fragment, for the "Reassembled Handshake Fragments" item. */
  parts: [number, number][];
}

/** What frames need from their connection. */
export interface FrameContext {
  hs: HandshakeState;
  /** Reassembly of the sender's CRYPTO stream (Initial space). */
  crypto: CryptoReassembly | null;
  /** How far the sender's CRYPTO stream has been seen without gaps (data below it again is a retransmission). */
  cryptoSeen: number;
}

/** The frames in d[o, end) of the current data source (an opened payload). */
export function dissectFrames(p: Packet, t: Tree, ctx: FrameContext, o: number, end: number): void {
  const d = t.d;
  while (o < end) {
    const start = o;
    const type = varint(t, o);
    o += varintLen;
    if (type === 0) {
      // A run of PADDING frames is one item.
      while (o < end && d[o] === 0) o++;
      const n = o - start;
      t.none(hf.frame, start, n);
      if (t.full) t.label(`PADDING Length: ${n}`);
      t.down();
      t.uint(hf.frame_type, start, 1, 0);
      t.num(hf.padding_length, n);
      t.up();
      info(p, "PADDING");
      continue;
    }
    const name = FRAME_NAMES.get(type);
    t.none(hf.frame, start, 0, name ?? "Unknown");
    const item = t.lastItem();
    t.down();
    t.uint(hf.frame_type, start, varintLen, type);
    if (name === undefined) {
      if (t.full) t.label(`Frame Type: Unknown (0x${type.toString(16).padStart(16, "0")})`);
      t.expert(p, ei.ft_unknown, start, varintLen, `Unknown Frame Type 0x${type.toString(16)}`);
      t.up();
      if (item) item.len = o - start;
      continue;
    }
    o = body(p, t, ctx, type, name, start, o, end);
    t.up();
    if (item) {
      item.len = o - start;
      item.text = frameLabel;
    }
  }
}

function info(p: Packet, text: string): void {
  if (p.wantCols) p.info.add(", ").add(text);
}

/** A varint field at `o`; returns its value (the length is in varintLen). */
function vfield(t: Tree, f: Field, o: number): number {
  const v = varint(t, o);
  t.uint(f, o, varintLen, v);
  return v;
}

/** The frame's fields after its type; returns the frame's end. */
function body(p: Packet, t: Tree, ctx: FrameContext, type: number, name: string, start: number, o: number, end: number): number {
  const d = t.d;
  let label = name;
  switch (type) {
    case 0x01:
    case 0x1e:
      info(p, type === 1 ? "PING" : "DONE");
      break;
    case 0x02:
    case 0x03: {
      const largest = vfield(t, hf.ack_largest, o);
      o += varintLen;
      vfield(t, hf.ack_delay, o);
      o += varintLen;
      const count = vfield(t, hf.ack_range_count, o);
      o += varintLen;
      vfield(t, hf.ack_first_range, o);
      o += varintLen;
      for (let i = 0; i < count && o < end; i++) {
        vfield(t, hf.ack_gap, o);
        o += varintLen;
        vfield(t, hf.ack_range, o);
        o += varintLen;
      }
      if (type === 3) {
        for (const f of [hf.ect0, hf.ect1, hf.ecn_ce]) {
          vfield(t, f, o);
          o += varintLen;
        }
      }
      void largest;
      info(p, type === 3 ? "ACK_ECN" : "ACK");
      break;
    }
    case 0x04: {
      const id = vfield(t, hf.rsts_stream_id, o);
      o += varintLen;
      const err = vfield(t, hf.rsts_error, o);
      o += varintLen;
      vfield(t, hf.rsts_final_size, o);
      o += varintLen;
      label = `RESET_STREAM id=${id} Error code: 0x${err.toString(16)}`;
      info(p, `RS(${id})`);
      break;
    }
    case 0x05: {
      const id = vfield(t, hf.ss_stream_id, o);
      o += varintLen;
      const err = vfield(t, hf.ss_error, o);
      o += varintLen;
      label = `STOP_SENDING id=${id} Error code: 0x${err.toString(16)}`;
      info(p, `SS(${id})`);
      break;
    }
    case 0x06: {
      const offset = vfield(t, hf.crypto_offset, o);
      o += varintLen;
      const len = vfield(t, hf.crypto_length, o);
      o += varintLen;
      t.check(o, len);
      t.none(hf.crypto_data, o, len);
      info(p, "CRYPTO");
      crypto(p, t, ctx, offset, o, o + len);
      o += len;
      break;
    }
    case 0x07: {
      const len = vfield(t, hf.nt_length, o);
      o += varintLen;
      t.bytes(hf.nt_token, o, len);
      o += len;
      info(p, "NT");
      break;
    }
    case 0x10: o = one(t, hf.md, o); info(p, "MD"); break;
    case 0x11: {
      const id = vfield(t, hf.msd_stream_id, o);
      o = one(t, hf.msd, o + varintLen);
      label = `MAX_STREAM_DATA id=${id}`;
      info(p, `MSD(${id})`);
      break;
    }
    case 0x12: case 0x13: o = one(t, hf.ms, o); info(p, "MS"); break;
    case 0x14: o = one(t, hf.sb_limit, o); info(p, "DB"); break;
    case 0x15: {
      const id = vfield(t, hf.sdb_stream_id, o);
      o = one(t, hf.sb_limit, o + varintLen);
      label = `STREAM_DATA_BLOCKED id=${id}`;
      info(p, `SDB(${id})`);
      break;
    }
    case 0x16: case 0x17: o = one(t, hf.sib_limit, o); info(p, "SB"); break;
    case 0x18: {
      o = one(t, hf.nci_sequence, o);
      o = one(t, hf.nci_retire, o);
      t.check(o, 1);
      const n = d[o]!;
      t.uint(hf.nci_cid_length, o, 1, n);
      t.bytes(hf.nci_cid, o + 1, n);
      t.bytes(hf.nci_reset_token, o + 1 + n, 16);
      o += 1 + n + 16;
      info(p, "NCI");
      break;
    }
    case 0x19: o = one(t, hf.rci_sequence, o); info(p, "RC"); break;
    case 0x1a: t.bytes(hf.path_challenge, o, 8); o += 8; info(p, "PC"); break;
    case 0x1b: t.bytes(hf.path_response, o, 8); o += 8; info(p, "PR"); break;
    case 0x1c:
    case 0x1d: {
      const err = varint(t, o);
      const errLen = varintLen;
      if (type === 0x1c) {
        t.uint(hf.cc_error, o, errLen, err);
        const errName = transportError(err);
        if (t.full) t.label(`Error code: ${errName} (${err})`);
        o += errLen;
        let alert = "";
        if (errName === "CRYPTO_ERROR") {
          t.uint(hf.cc_tls_alert, o - 1, 1, err & 0xff);
          alert = ALERT_DESCRIPTIONS.get(err & 0xff) ?? "Unknown";
          if (t.full) t.label(`TLS Alert Description: ${alert} (${err & 0xff})`);
        }
        o = one(t, hf.cc_frame_type, o);
        label = `CONNECTION_CLOSE (Transport) Error code: ${errName}${alert ? ` (${alert})` : ""}`;
      } else {
        t.uint(hf.cc_error_app, o, errLen, err);
        o += errLen;
        label = `CONNECTION_CLOSE (Application) Error code: 0x${err.toString(16)}`;
      }
      const len = vfield(t, hf.cc_reason_length, o);
      o += varintLen;
      t.check(o, len);
      t.str(hf.cc_reason, o, len, t.wants(hf.cc_reason) ? new TextDecoder().decode(d.subarray(o, o + len)) : "");
      o += len;
      info(p, "CC");
      break;
    }
    case 0x30:
    case 0x31: {
      let len = end - o;
      if (type === 0x31) {
        len = vfield(t, hf.dg_length, o);
        o += varintLen;
      }
      t.bytes(hf.dg, o, len);
      o += len;
      info(p, "DG");
      break;
    }
    default: {
      // STREAM (0x08..0x0f): OFF, LEN and FIN bits in the type.
      // The flags sit under the frame type, the item added last.
      t.down();
      t.bool(hf.stream_fin, start, 1, type);
      t.bool(hf.stream_len, start, 1, type);
      t.bool(hf.stream_off, start, 1, type);
      t.up();
      const id = vfield(t, hf.stream_id, o);
      t.down();
      t.uint(hf.stream_initiator, o, varintLen, id & 3);
      t.uint(hf.stream_direction, o, varintLen, id & 3);
      t.up();
      o += varintLen;
      let offset = 0;
      if (type & 4) {
        offset = vfield(t, hf.stream_offset, o);
        o += varintLen;
      }
      let len = end - o;
      if (type & 2) {
        len = vfield(t, hf.stream_length, o);
        o += varintLen;
      }
      t.bytes(hf.stream_data, o, len);
      o += len;
      label = `STREAM id=${id} fin=${type & 1} off=${offset} len=${len} dir=${id & 2 ? "Unidirectional" : "Bidirectional"} origin=${id & 1 ? "Server-initiated" : "Client-initiated"}`;
      info(p, `STREAM(${id})`);
    }
  }
  frameLabel = label;
  return o;
}

/** The label body() chose for the frame item (set on the item once its length is known). */
let frameLabel = "";

/** One varint field; returns the end. */
function one(t: Tree, f: Field, o: number): number {
  vfield(t, f, o);
  return o + varintLen;
}

/**
 * The handshake messages in CRYPTO data d[o, end) at stream offset `offset`: complete ones shown
 * in place; a message cut by the frame's end waits for the next CRYPTO frame at the offset that
 * follows, and is shown whole, with its fragments listed, in the frame that completes it.
 */
function crypto(p: Packet, t: Tree, ctx: FrameContext, offset: number, o: number, end: number): void {
  const d = t.d;
  if (end > o && offset + (end - o) <= ctx.cryptoSeen) {
    t.expertItem(p, ei.retransmission, o, end - o);
    return;
  }
  if (offset <= ctx.cryptoSeen) ctx.cryptoSeen = Math.max(ctx.cryptoSeen, offset + (end - o));
  const r = ctx.crypto;
  if (r && r.next === offset && r.have < r.data.length) {
    const take = Math.min(r.data.length - r.have, end - o);
    r.data.set(d.subarray(o, o + take), r.have);
    r.have += take;
    r.next += take;
    r.parts.push([p.num, take]);
    const done = r.have === r.data.length;
    const name = tlsHandshakeName(r.data, 0, r.data.length);
    tls13Item(p, t, o, end - o, `Handshake Protocol: ${name}${done ? "" : " (fragment)"}`, () => {
      tlsHandshakeFragment(t, o, take, `Handshake Protocol: ${name} (${done ? "last fragment" : "fragment"})`);
      if (!done) return;
      ctx.crypto = null;
      tlsReassembledFragments(t, o, take, r.parts, r.data.length);
      t.source(r.data, () => tlsHandshakeMessages(p, t, ctx.hs, 0, r.data.length), "Reassembled TLS Handshake");
    });
    o += take;
    if (o >= end) return;
  }
  // Complete messages, then at most one that starts here and ends in a later frame.
  let q = o, count = 0;
  while (q + 4 <= end) {
    const len = (d[q + 1]! << 16) | (d[q + 2]! << 8) | d[q + 3]!;
    if (q + 4 + len > end) break;
    q += 4 + len;
    count++;
  }
  if (q > o) {
    const label = count > 1 ? "Handshake Protocol: Multiple Handshake Messages" : `Handshake Protocol: ${tlsHandshakeName(d, o, q)}`;
    tls13Item(p, t, o, q - o, label, () => tlsHandshakeMessages(p, t, ctx.hs, o, q));
  }
  if (q < end) {
    const len = q + 4 <= end ? (d[q + 1]! << 16) | (d[q + 2]! << 8) | d[q + 3]! : 0;
    const have = end - q;
    const data = new Uint8Array(4 + len);
    data.set(d.subarray(q, end));
    ctx.crypto = { next: offset + (q - o) + have, data, have, parts: [[p.num, have]] };
    const name = tlsHandshakeName(d, q, end);
    tls13Item(p, t, q, have, `Handshake Protocol: ${name} (fragment)`, () => tlsHandshakeFragment(t, q, have, `Handshake Protocol: ${name} (fragment)`));
  }
}
