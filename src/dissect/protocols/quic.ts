// QUIC (RFC 9000, 8999; v2 RFC 9369) as tshark 4.0 shows it without a key log: every header,
// the Initial packets opened with the keys anyone can derive (quic-crypto.ts) and their frames
// (quic-frames.ts, CRYPTO handed to TLS), Retry integrity tags checked, and the other packet
// types shown as protected payload. Connections are followed by their connection IDs as
// Wireshark does, so a short-header packet's DCID length is known from the handshake.
//   long header:  1 | fixed 1 | type 2 | (protected: reserved 2 | pn length 2) | version (4) |
//                 dcid len (1) | dcid | scid len (1) | scid | [Initial: token len (i) | token] |
//                 length (i) | packet number (1-4, protected) | payload
//   short header: 0 | fixed 1 | spin 1 | (protected bits) | dcid | packet number | payload
import { Base, FT, registerExperts, registerProtocol, vals } from "../fields.js";
import { callData, udpHeuristics, udpPorts } from "../dispatch.js";
import { concatBytes } from "../build.js";
import { bytesToHex, ipv4At as be32 } from "../format.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { headerMask, initialKeys, openPayload, QUIC_V2, retryTagValid, sealPayload, type PacketKeys } from "./quic-crypto.js";
import { dissectFrames, registerFrameFields, type FrameContext } from "./quic-frames.js";
import type { HandshakeState } from "./tls-handshake.js";
import { encodeVarint, varint, varintLen } from "./quic-varint.js";

export { encodeVarint };

const VERSION_NAMES = new Map<number, string>([
  [0, "Version Negotiation"], [1, "1"], [QUIC_V2, "2"], [0x51303530, "Google Q050"], [0x54303530, "Google T050"], [0x54303531, "Google T051"],
  [0xfaceb001, "Facebook mvfst (draft-22)"], [0xfaceb002, "Facebook mvfst (draft-27)"], [0xfaceb00e, "Facebook mvfst (Experimental)"],
]);
for (let draft = 1; draft <= 34; draft++) VERSION_NAMES.set(0xff000000 + draft, `draft-${draft}`);
/** Versions of the form 0x?a?a?a?a are reserved to make the peer negotiate (RFC 9000 section 15). */
const forcesNegotiation = (v: number) => (v & 0x0f0f0f0f) === 0x0a0a0a0a;
function versionText(v: number): string {
  const name = VERSION_NAMES.get(v) ?? "Unknown";
  return forcesNegotiation(v) ? `${name} (0x${v.toString(16).padStart(8, "0")}) (Forcing Version Negotiation)` : `${name} (0x${v.toString(16).padStart(8, "0")})`;
}

const TYPE_V1 = ["Initial", "0-RTT", "Handshake", "Retry"] as const;
const TYPE_V2 = ["Retry", "Initial", "0-RTT", "Handshake"] as const;
const INITIAL = 0, ZERO_RTT = 1, HANDSHAKE = 2, RETRY = 3, SHORT = 4;

export const hf = registerProtocol("quic", "QUIC IETF", {
  connection_number: { abbrev: "quic.connection.number", name: "Connection Number", type: FT.UINT32, generated: true },
  packet_length: { abbrev: "quic.packet_length", name: "Packet Length", type: FT.UINT32, generated: true },
  header_form: { abbrev: "quic.header_form", name: "Header Form", type: FT.UINT8, mask: 0x80, strings: vals({ 0: "Short Header", 1: "Long Header" }) },
  long_packet_type: { abbrev: "quic.long.packet_type", name: "Packet Type", type: FT.UINT8, mask: 0x30, strings: vals({ 0: "Initial", 1: "0-RTT", 2: "Handshake", 3: "Retry" }) },
  long_packet_type_v2: { abbrev: "quic.long.packet_type_v2", name: "Packet Type", type: FT.UINT8, mask: 0x30, strings: vals({ 0: "Retry", 1: "Initial", 2: "0-RTT", 3: "Handshake" }) },
  long_reserved: { abbrev: "quic.long.reserved", name: "Reserved", type: FT.UINT8, mask: 0x0c },
  packet_number_length: { abbrev: "quic.packet_number_length", name: "Packet Number Length", type: FT.UINT8, mask: 0x03, strings: vals({ 0: "1 bytes", 1: "2 bytes", 2: "3 bytes", 3: "4 bytes" }) },
  dcid: { abbrev: "quic.dcid", name: "Destination Connection ID", type: FT.BYTES },
  scid: { abbrev: "quic.scid", name: "Source Connection ID", type: FT.BYTES },
  dcil: { abbrev: "quic.dcil", name: "Destination Connection ID Length", type: FT.UINT8 },
  scil: { abbrev: "quic.scil", name: "Source Connection ID Length", type: FT.UINT8 },
  token_length: { abbrev: "quic.token_length", name: "Token Length", type: FT.UINT64 },
  token: { abbrev: "quic.token", name: "Token", type: FT.BYTES },
  length: { abbrev: "quic.length", name: "Length", type: FT.UINT64 },
  packet_number: { abbrev: "quic.packet_number", name: "Packet Number", type: FT.UINT64 },
  version: { abbrev: "quic.version", name: "Version", type: FT.UINT32, base: Base.HEX },
  supported_version: { abbrev: "quic.supported_version", name: "Supported Version", type: FT.UINT32, base: Base.HEX },
  vn_unused: { abbrev: "quic.vn.unused", name: "Unused", type: FT.UINT8, base: Base.HEX, mask: 0x7f },
  short: { abbrev: "quic.short", name: "QUIC Short Header", type: FT.NONE },
  fixed_bit: { abbrev: "quic.fixed_bit", name: "Fixed Bit", type: FT.BOOLEAN, mask: 0x40, bitWidth: 8 },
  spin_bit: { abbrev: "quic.spin_bit", name: "Spin Bit", type: FT.BOOLEAN, mask: 0x20, bitWidth: 8 },
  payload: { abbrev: "quic.payload", name: "Payload", type: FT.BYTES },
  remaining_payload: { abbrev: "quic.remaining_payload", name: "Remaining Payload", type: FT.BYTES },
  retry_token: { abbrev: "quic.retry_token", name: "Retry Token", type: FT.BYTES },
  retry_integrity_tag: { abbrev: "quic.retry_integrity_tag", name: "Retry Integrity Tag", type: FT.BYTES },
});

const ei = registerExperts(hf.proto, {
  connection_unknown: { abbrev: "quic.connection.unknown", group: "protocol", severity: "note", summary: "Unknown QUIC connection. Missing Initial Packet or migrated connection?" },
  decryption_failed: { abbrev: "quic.decryption_failed", group: "decryption", severity: "warn", summary: "Failed to decrypt handshake" },
  bad_retry: { abbrev: "quic.bad_retry", group: "protocol", severity: "warn", summary: "Retry Integrity Tag verification failure" },
  coalesced_padding_data: { abbrev: "quic.coalesced_padding_data", group: "protocol", severity: "note", summary: "(Random) padding data appended to the datagram" },
});

registerFrameFields(hf.proto);

const NO_SECRETS = "Failed to create decryption context: Secrets are not available";
const NO_CIPHER = "Failed to create decryption context: Unable to retrieve cipher information";
const NO_HANDSHAKE = "Failed to create decryption context: Missing TLS handshake, unsupported ciphers or padding";
const CHECKTAG_FAILED = "Decryption failed: Decryption (checktag) failed: Checksum error";

/** One connection, named by the client's and the server's connection IDs. */
interface Conn {
  number: number;
  version: number;
  /** The client's first DCID: both sides' Initial keys come from it. */
  originalDcid: Uint8Array;
  clientKeys: PacketKeys | undefined;
  serverKeys: PacketKeys | undefined;
  /** The client's address and port, as text ("10.0.0.1/50000"). */
  client: string;
  /** Largest Initial packet number seen from each side (0 client, 1 server). */
  largest: [number, number];
  /** Whether the "no secrets" expert was shown for a short header (tshark says it once). */
  noShortSecrets: boolean;
  /** Length of the CIDs each side chose (0 client, 1 server), for short headers. */
  cidLen: number[];
  /** A Retry was verified: the original DCID is no longer known. */
  retried: boolean;
  /** What the frames of each side's packets need: the TLS handshake state and CRYPTO reassembly. */
  frames: [FrameContext, FrameContext];
}

class QuicState {
  readonly conns: Conn[] = [];
  /** Connection ID (hex) -> connection and whose ID it is (0 client, 1 server). */
  readonly cids = new Map<string, { conn: Conn; side: number }>();
  /**
   * Clients' first DCIDs (hex): they name a connection only in long headers (Initial, 0-RTT),
   * never in short ones, as in Wireshark.
   */
  readonly initialCids = new Map<string, Conn>();
  readonly cidLengths = new Set<number>();
  /** Address/port pair -> the last connection seen on it (Wireshark's UDP conversation fallback). */
  readonly byAddrs = new Map<string, Conn>();
  /**
   * Address/port pair -> TLS handshake state. As in Wireshark, TLS's state belongs to the UDP
   * conversation, so connections between the same endpoints share what a Server Hello told.
   */
  readonly tls = new Map<string, HandshakeState>();
}

// A connection table grows with traffic; past this many connections the oldest are forgotten.
const MAX_CONNS = 4096;

function stateOf(p: Packet): QuicState {
  return p.session.store("quic", () => new QuicState());
}

function endpointText(p: Packet, src: boolean): string {
  const d = p.ipData, len = p.ipVersion === 6 ? 16 : 4, o = src ? p.ipSrcOff : p.ipDstOff;
  let s = "";
  for (let i = 0; i < len; i++) s += d[o + i]!.toString(16).padStart(2, "0");
  return `${s}/${src ? p.srcPort : p.dstPort}`;
}

function addrsKey(p: Packet): string {
  const a = endpointText(p, true), b = endpointText(p, false);
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

function remember(st: QuicState, conn: Conn, cid: Uint8Array, side: number): void {
  if (cid.length === 0) return;
  const key = bytesToHex(cid);
  if (!st.cids.has(key)) {
    st.cids.set(key, { conn, side });
    st.cidLengths.add(cid.length);
  }
  conn.cidLen[side] = cid.length;
}

function newConn(st: QuicState, p: Packet, version: number, dcid: Uint8Array): Conn {
  if (st.conns.length >= MAX_CONNS) {
    st.conns.length = 0;
    st.cids.clear();
    st.initialCids.clear();
    st.byAddrs.clear();
    st.tls.clear();
  }
  const key = addrsKey(p);
  let hs = st.tls.get(key);
  if (hs === undefined) {
    // QUIC carries TLS 1.3 only (RFC 9001 section 4.2).
    hs = { version: 0x0304, suite: -1, quic: true };
    st.tls.set(key, hs);
  }
  const conn: Conn = {
    number: st.conns.length === 0 ? 0 : st.conns[st.conns.length - 1]!.number + 1,
    version,
    originalDcid: dcid,
    clientKeys: undefined,
    serverKeys: undefined,
    client: endpointText(p, true),
    largest: [-1, -1],
    noShortSecrets: false,
    cidLen: [0, 0],
    retried: false,
    frames: [{ hs, crypto: null, cryptoSeen: 0 }, { hs, crypto: null, cryptoSeen: 0 }],
  };
  st.conns.push(conn);
  return conn;
}

/** The full packet number from its truncated form and the largest one seen (RFC 9000 A.3). */
function fullPacketNumber(largest: number, truncated: number, bits: number): number {
  const expected = largest + 1;
  const win = 2 ** bits, half = win / 2;
  const candidate = Math.floor(expected / win) * win + truncated;
  if (candidate <= expected - half && candidate < 2 ** 62 - win) return candidate + win;
  if (candidate > expected + half && candidate >= win) return candidate - win;
  return candidate;
}

/** The datagram: one QUIC packet, or several coalesced (RFC 9000 section 12.2). */
export function dissectQuic(p: Packet, t: Tree, off: number): void {
  const st = stateOf(p);
  const end = t.rep;
  let o = off;
  let first = true;
  let firstDcid: Uint8Array | null = null;
  p.protocol = "QUIC";
  while (o < end) {
    if (!first && !coalescedPacket(t, o, end, firstDcid)) {
      openPacket(p, t, o, end - o, false);
      t.expert(p, ei.coalesced_padding_data, o, end - o);
      t.up();
      break;
    }
    const r = packet(p, t, st, o, first);
    if (first) firstDcid = r.dcid;
    first = false;
    o = r.end;
  }
}

/** Another packet may follow a long-header packet in the datagram: a long header with the same DCID. */
function coalescedPacket(t: Tree, o: number, end: number, dcid: Uint8Array | null): boolean {
  const d = t.d;
  if (dcid === null || o + 6 > Math.min(end, t.cap) || (d[o]! & 0x80) === 0) return false;
  if (d[o + 5] !== dcid.length || o + 6 + dcid.length > t.cap) return false;
  for (let i = 0; i < dcid.length; i++) if (d[o + 6 + i] !== dcid[i]) return false;
  return true;
}

/** One QUIC packet at `o`; returns where the next one starts and its DCID. */
function packet(p: Packet, t: Tree, st: QuicState, o: number, first: boolean): { end: number; dcid: Uint8Array } {
  const d = t.d;
  t.check(o, 1);
  if ((d[o]! & 0x80) === 0) return shortPacket(p, t, st, o, first);
  t.check(o, 6);
  const version = be32(d, o + 1);
  const dcil = d[o + 5]!;
  t.check(o + 6, dcil + 1);
  const dcid = d.slice(o + 6, o + 6 + dcil);
  const scil = d[o + 6 + dcil]!;
  const scidOff = o + 7 + dcil;
  t.check(scidOff, scil);
  const scid = d.slice(scidOff, scidOff + scil);
  const v2 = version === QUIC_V2;
  const typeBits = (d[o]! >> 4) & 3;
  const type = version === 0 ? -1 : v2 ? [RETRY, INITIAL, ZERO_RTT, HANDSHAKE][typeBits]! : typeBits;

  const { conn, fromServer } = longConn(p, st, type, version, dcid, scid);
  if (conn) {
    st.byAddrs.set(addrsKey(p), conn);
    remember(st, conn, scid, fromServer ? 1 : 0);
  }

  // Where the packet ends: Initial/0-RTT/Handshake carry a length; the others take the datagram.
  let q = scidOff + scil;
  let tokenLen = 0, tokenOff = 0, tokenLenLen = 0, length = 0, lengthOff = 0, lengthLen = 0;
  const tokenLenOff = q;
  if (type === INITIAL) {
    tokenLen = varint(t, q);
    tokenLenLen = varintLen;
    tokenOff = q + varintLen;
    t.check(tokenOff, tokenLen);
    q = tokenOff + tokenLen;
  }
  const hasLength = type === INITIAL || type === ZERO_RTT || type === HANDSHAKE;
  if (hasLength) {
    length = varint(t, q);
    lengthOff = q;
    lengthLen = varintLen;
    q += lengthLen;
  }
  const pktEnd = hasLength ? Math.min(q + length, t.rep) : t.rep;

  openPacket(p, t, o, pktEnd - o, first);
  if (first) connectionInfo(p, t, o, conn);
  t.num(hf.packet_length, pktEnd - o);
  t.uint(hf.header_form, o, 1, d[o]!);
  if (type === INITIAL) {
    // Header protection is removed first; it needs a 16-byte sample 4 bytes after the packet
    // number's start, inside the packet.
    t.enter(pktEnd);
    t.check(q + 4, 16);
    t.leave();
  }
  if (version === 0) t.uint(hf.vn_unused, o, 1, d[o]!);
  else {
    if (type !== RETRY) t.bool(hf.fixed_bit, o, 1, d[o]!);
    t.uint(v2 ? hf.long_packet_type_v2 : hf.long_packet_type, o, 1, d[o]!);
  }
  // For Initial packets the protected bits are shown once header protection is removed (below).
  const bitsAt = t.childCount();
  t.uint(hf.version, o + 1, 4, version);
  if (t.full) t.label(`Version: ${versionText(version)}`);
  t.uint(hf.dcil, o + 5, 1, dcil);
  if (dcil) t.bytes(hf.dcid, o + 6, dcil);
  t.uint(hf.scil, o + 6 + dcil, 1, scil);
  if (scil) t.bytes(hf.scid, scidOff, scil);

  // The Info column is written once the header is read (a packet cut short keeps UDP's).
  const typeName = version === 0 ? "Version Negotiation" : (v2 ? TYPE_V2 : TYPE_V1)[typeBits]!;
  const info = (): void => {
    if (!p.wantCols) return;
    p.info.clear().add(typeName);
    if (dcil) p.info.add(", DCID=").add(bytesToHex(dcid));
    if (scil) p.info.add(", SCID=").add(bytesToHex(scid));
  };

  if (version === 0) {
    info();
    for (let v = scidOff + scil; v + 4 <= t.rep; v += 4) {
      t.uint(hf.supported_version, v, 4, be32(d, v));
      if (t.full) t.label(`Supported Version: ${versionText(be32(d, v))}`);
    }
  } else if (type === RETRY) {
    info();
    const tagOff = Math.max(q, pktEnd - 16);
    t.bytes(hf.retry_token, q, tagOff - q);
    t.bytes(hf.retry_integrity_tag, tagOff, pktEnd - tagOff);
    if (!conn || conn.retried) t.expertUnder(t.lastItem(), p, ei.bad_retry, tagOff, pktEnd - tagOff, "Cannot verify Retry Packet due to unknown ODCID");
    else if (!retryTagValid(version, conn.originalDcid, d.subarray(o, pktEnd))) t.expertUnder(t.lastItem(), p, ei.bad_retry, tagOff, pktEnd - tagOff);
    else {
      if (t.full) t.label(`Retry Integrity Tag: ${bytesToHex(d.subarray(tagOff, pktEnd))} [verified]`);
      // The client starts over with the Retry's SCID as DCID, and Initial keys from it (RFC 9001 5.2).
      conn.retried = true;
      conn.originalDcid = scid;
      conn.clientKeys = conn.serverKeys = undefined;
    }
  } else {
    if (type === INITIAL) {
      t.uint(hf.token_length, tokenLenOff, tokenLenLen, tokenLen);
      if (tokenLen) t.bytes(hf.token, tokenOff, tokenLen);
    }
    t.uint(hf.length, lengthOff, lengthLen, length);
    // A client's Initial always has its connection (longConn starts one).
    if (type === INITIAL && conn) initial(p, t, conn, fromServer, o, q, pktEnd, bitsAt, info);
    else {
      info();
      noSecrets(p, t, st, conn, type, q);
      t.bytes(hf.remaining_payload, q, Math.max(0, Math.min(pktEnd, t.cap) - q));
    }
  }
  t.up();
  return { end: pktEnd, dcid };
}

/** A "QUIC IETF" item per packet; frame.protocols names QUIC once per datagram, as tshark does. */
function openPacket(p: Packet, t: Tree, o: number, len: number, first: boolean): void {
  t.proto(p, hf.proto, o, len);
  t.curProto = "QUIC";
  if (!first) p.layers.pop();
}

/**
 * A long header's connection: by its DCID (a CID either side chose, or a client's first DCID),
 * else by its SCID, else the one last seen between these endpoints; a client's Initial naming
 * none of them starts a new connection.
 */
function longConn(p: Packet, st: QuicState, type: number, version: number, dcid: Uint8Array, scid: Uint8Array): { conn: Conn | undefined; fromServer: boolean } {
  const found = st.cids.get(bytesToHex(dcid));
  if (found) return { conn: found.conn, fromServer: found.side === 0 };
  const initial = type === INITIAL || type === ZERO_RTT ? st.initialCids.get(bytesToHex(dcid)) : undefined;
  if (initial) return { conn: initial, fromServer: false };
  const known = (scid.length ? st.cids.get(bytesToHex(scid))?.conn : undefined) ?? (type === INITIAL ? undefined : st.byAddrs.get(addrsKey(p)));
  if (known) return { conn: known, fromServer: endpointText(p, true) !== known.client };
  // Only a client's first packets start a connection.
  if (type !== INITIAL && type !== ZERO_RTT) return { conn: undefined, fromServer: false };
  const conn = newConn(st, p, version, dcid);
  if (dcid.length) st.initialCids.set(bytesToHex(dcid), conn);
  return { conn, fromServer: false };
}

function connectionInfo(p: Packet, t: Tree, o: number, conn: Conn | undefined): void {
  if (t.full) {
    t.text("QUIC Connection information", o, 0);
    t.down();
  }
  if (conn) t.num(hf.connection_number, conn.number);
  else t.expert(p, ei.connection_unknown, o, 0);
  if (t.full) t.up();
}

/**
 * Why a Handshake, 0-RTT or 1-RTT packet stays closed, in tshark's words: without the Server Hello
 * the cipher is unknown (said on every packet); with it, the secrets are missing (said on every
 * long-header packet, and once per connection for short headers: the 1-RTT keys are looked for once).
 */
function noSecrets(p: Packet, t: Tree, st: QuicState, conn: Conn | undefined, type: number, at: number): void {
  const cipherKnown = (st.tls.get(addrsKey(p))?.suite ?? -1) !== -1;
  let text = NO_SECRETS;
  if (type === HANDSHAKE && !cipherKnown) text = NO_CIPHER;
  else if (type === SHORT) {
    if (!cipherKnown) text = NO_HANDSHAKE;
    else if (conn?.noShortSecrets) return;
    else if (conn) conn.noShortSecrets = true;
  }
  t.expert(p, ei.decryption_failed, at, 0, text);
}

/** An Initial packet: header protection removed, payload opened, frames dissected. */
function initial(p: Packet, t: Tree, conn: Conn, fromServer: boolean, o: number, pnOff: number, pktEnd: number, bitsAt: number, info: () => void): void {
  const d = t.d;
  const keys = fromServer ? (conn.serverKeys ??= initialKeys(conn.version, conn.originalDcid, true)) : (conn.clientKeys ??= initialKeys(conn.version, conn.originalDcid, false));

  const mask = headerMask(keys.hp, d.subarray(pnOff + 4, pnOff + 20));
  const firstByte = d[o]! ^ (mask[0]! & 0x0f);
  const pnLen = (firstByte & 3) + 1;
  let truncated = 0;
  for (let i = 0; i < pnLen; i++) truncated = truncated * 256 + (d[pnOff + i]! ^ mask[1 + i]!);
  const side = fromServer ? 1 : 0;
  const pn = fullPacketNumber(conn.largest[side], truncated, pnLen * 8);
  if (pn > conn.largest[side]) conn.largest[side] = pn;
  // The protected header bits, in their place after the packet type.
  t.uint(hf.long_reserved, o, 1, firstByte);
  t.moveLastChildTo(bitsAt);
  t.uint(hf.packet_number_length, o, 1, firstByte);
  t.moveLastChildTo(bitsAt + 1);
  t.uint(hf.packet_number, pnOff, pnLen, pn);
  const sealedOff = pnOff + pnLen;
  t.bytes(hf.payload, sealedOff, Math.min(pktEnd, t.cap) - sealedOff);
  info();
  if (p.wantCols) p.info.add(", PKN: ").dec(pn);
  const header = d.slice(o, sealedOff);
  header[0] = firstByte;
  for (let i = 0; i < pnLen; i++) header[pnOff - o + i] = d[pnOff + i]! ^ mask[1 + i]!;
  const plain = openPayload(keys, pn, header, d.subarray(sealedOff, Math.min(pktEnd, t.cap)));
  if (plain === null) {
    if (t.full) t.down();
    t.expert(p, ei.decryption_failed, sealedOff, 0, CHECKTAG_FAILED);
    if (t.full) t.up();
    return;
  }
  t.source(plain, () => dissectFrames(p, t, conn.frames[side]!, 0, plain.length), "Decrypted QUIC");
}

/** The connection of a short-header packet: by its DCID (trying the known CID lengths), else by its endpoints. */
function shortConn(p: Packet, t: Tree, st: QuicState, o: number): { conn: Conn | undefined; dcidLen: number } {
  const d = t.d;
  for (const len of st.cidLengths) {
    if (o + 1 + len > t.cap) continue;
    const hit = st.cids.get(bytesToHex(d.subarray(o + 1, o + 1 + len)));
    if (hit) return { conn: hit.conn, dcidLen: len };
  }
  return { conn: st.byAddrs.get(addrsKey(p)), dcidLen: 0 };
}

/** A short-header (1-RTT) packet: the DCID, whose length the connection tells, and the payload. */
function shortPacket(p: Packet, t: Tree, st: QuicState, o: number, first: boolean): { end: number; dcid: Uint8Array } {
  const d = t.d;
  const end = t.rep;
  const { conn, dcidLen } = shortConn(p, t, st, o);
  if (conn && dcidLen) st.byAddrs.set(addrsKey(p), conn);
  const dcid = d.slice(o + 1, o + 1 + dcidLen);
  openPacket(p, t, o, end - o, first);
  if (first && conn) connectionInfo(p, t, o, conn);
  t.num(hf.packet_length, end - o);
  t.none(hf.short, o, 1 + dcidLen);
  if (t.full) t.label(dcidLen ? `QUIC Short Header DCID=${bytesToHex(dcid)}` : "QUIC Short Header");
  t.down();
  t.uint(hf.header_form, o, 1, d[o]!);
  t.bool(hf.fixed_bit, o, 1, d[o]!);
  t.bool(hf.spin_bit, o, 1, d[o]!);
  if (dcidLen) t.bytes(hf.dcid, o + 1, dcidLen);
  t.up();
  if (conn) noSecrets(p, t, st, conn, SHORT, o + 1 + dcidLen);
  else t.expert(p, ei.connection_unknown, o, 0);
  t.bytes(hf.remaining_payload, o + 1 + dcidLen, Math.max(0, t.cap - (o + 1 + dcidLen)));
  if (p.wantCols) {
    p.info.clear().add("Protected Payload (KP0)");
    if (dcidLen) p.info.add(", DCID=").add(bytesToHex(dcid));
  }
  t.up();
  return { end, dcid };
}

/** Versions whose long header Wireshark takes for QUIC on any port. */
function heuristicVersion(v: number): boolean {
  return v === 1 || v === QUIC_V2 || v >>> 8 === 0xff0000 || forcesNegotiation(v) || (VERSION_NAMES.has(v) && v !== 0);
}

/**
 * What Wireshark takes for QUIC, on its port as on any other: anything between endpoints already
 * seen speaking QUIC, a long header with a QUIC version (a Version Negotiation only for a known
 * connection), a short header naming a known connection.
 */
function looksLikeQuic(p: Packet, t: Tree, off: number): boolean {
  if (off >= t.cap) return false;
  const d = t.d;
  const st = p.session.peek<QuicState>("quic");
  if (st !== undefined && st.byAddrs.has(addrsKey(p))) return true;
  if (d[off]! & 0x80) {
    if (off + 5 > t.cap) return false;
    const v = be32(d, off + 1);
    if (v !== 0) return heuristicVersion(v);
    return st !== undefined && off + 6 <= t.cap && off + 6 + d[off + 5]! <= t.cap && st.cids.has(bytesToHex(d.subarray(off + 6, off + 6 + d[off + 5]!)));
  }
  return st !== undefined && st.cids.size > 0 && shortConn(p, t, st, off).dcidLen > 0;
}

function heuristic(p: Packet, t: Tree, off: number): boolean {
  if (!looksLikeQuic(p, t, off)) return false;
  dissectQuic(p, t, off);
  return true;
}

udpPorts.add(443, (p, t, off) => {
  if (!heuristic(p, t, off)) callData(p, t, off);
});
udpHeuristics.push(heuristic);

// ---- building packets (the mirror of the dissector, for tests and generated captures) ----

export interface QuicLongRepr {
  type: "initial" | "0-rtt" | "handshake";
  version: number;
  dcid: Uint8Array;
  scid: Uint8Array;
  token?: Uint8Array;
  packetNumber: number;
  /** Bytes of the packet number on the wire (1-4). */
  pnLength: number;
  /** Frames to seal with `keys`, or protected bytes sent as they are when there are no keys. */
  payload: Uint8Array;
  keys?: PacketKeys;
  /** Pad the frames with PADDING so the packet is at least this long (clients' Initials: 1200). */
  minLength?: number;
}

/** A long-header packet, sealed and header-protected when `keys` are given. */
export function quicLongPacket(r: QuicLongRepr): Uint8Array {
  const typeBits = { initial: 0, "0-rtt": 1, handshake: 2 }[r.type];
  const bits = r.version === QUIC_V2 ? (typeBits + 1) & 3 : typeBits;
  const pn = new Uint8Array(r.pnLength);
  for (let i = 0, v = r.packetNumber; i < r.pnLength; i++, v = Math.floor(v / 256)) pn[r.pnLength - 1 - i] = v % 256;
  const version = Uint8Array.of(r.version >>> 24, (r.version >>> 16) & 0xff, (r.version >>> 8) & 0xff, r.version & 0xff);
  const pre = concatBytes([
    Uint8Array.of(0xc0 | (bits << 4) | (r.pnLength - 1)), version, Uint8Array.of(r.dcid.length), r.dcid, Uint8Array.of(r.scid.length), r.scid,
    ...(r.type === "initial" ? [encodeVarint(r.token?.length ?? 0), r.token ?? new Uint8Array(0)] : []),
  ]);
  const tag = r.keys ? 16 : 0;
  let payload = r.payload;
  const lengthBytes = 2;
  const short = (r.minLength ?? 0) - (pre.length + lengthBytes + r.pnLength + payload.length + tag);
  if (short > 0) payload = concatBytes([payload, new Uint8Array(short)]);
  const header = concatBytes([pre, encodeVarint(r.pnLength + payload.length + tag, lengthBytes), pn]);
  if (!r.keys) return concatBytes([header, payload]);
  const packet = concatBytes([header, sealPayload(r.keys, r.packetNumber, header, payload)]);
  const pnOff = header.length - r.pnLength;
  const mask = headerMask(r.keys.hp, packet.subarray(pnOff + 4, pnOff + 20));
  packet[0]! ^= mask[0]! & 0x0f;
  for (let i = 0; i < r.pnLength; i++) packet[pnOff + i]! ^= mask[1 + i]!;
  return packet;
}

/** A short-header packet whose payload (packet number included) stays protected. */
export function quicShortPacket(dcid: Uint8Array, protectedBytes: Uint8Array, spin = false): Uint8Array {
  return concatBytes([Uint8Array.of(0x40 | (spin ? 0x20 : 0)), dcid, protectedBytes]);
}

/** A CRYPTO frame. */
export function cryptoFrame(offset: number, data: Uint8Array): Uint8Array {
  return concatBytes([Uint8Array.of(0x06), encodeVarint(offset), encodeVarint(data.length), data]);
}
