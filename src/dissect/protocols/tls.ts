// Transport Layer Security over TCP (port 443 and the others tshark 4.0 gives TLS), as tshark shows it without keys: the record
// layer, the handshake messages sent in the clear (their bodies, hellos with every extension and
// JA3, are tls-handshake.ts's), and what is encrypted by name only ("Application Data",
// "Encrypted Handshake Message", "Encrypted Alert"). Records are reassembled over TCP segments
// (tcp-reassembly.ts). Certificates are not decoded (X.509).
//   record: content type (1) | version (2) | length (2) | fragment
//   handshake message: type (1) | length (3) | body
import { Base, FT, registerProtocol, vals } from "../fields.js";
import { tcpPorts } from "../dispatch.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { markReassembling, ONE_MORE_SEGMENT } from "./tcp-reassembly.js";
import { anInfoPrefix } from "./tcp-analysis.js";
import { HttpType, httpLineType } from "./http-fields.js";
import { lineEnd, lineEol } from "./http-message.js";
import { dissectHttp } from "./http.js";
import { TCP_CONV_CAP } from "./udp.js";
import { StreamRing } from "../session.js";
import { handshakeBody, type HandshakeState, HS_SERVER_HELLO, isHelloRetryRequest, registerHandshakeFields } from "./tls-handshake.js";

const HDR = 5;
const CT_CCS = 20, CT_ALERT = 21, CT_HANDSHAKE = 22, CT_APPDATA = 23, CT_HEARTBEAT = 24;

const CONTENT_TYPES = vals({ 20: "Change Cipher Spec", 21: "Alert", 22: "Handshake", 23: "Application Data", 24: "Heartbeat" });
const VERSIONS = vals({ 0x0300: "SSL 3.0", 0x0301: "TLS 1.0", 0x0302: "TLS 1.1", 0x0303: "TLS 1.2", 0x0304: "TLS 1.3" });
/** The protocol column for a version. */
const COLUMN = new Map<number, string>([[0x0300, "SSLv3"], [0x0301, "TLSv1"], [0x0302, "TLSv1.1"], [0x0303, "TLSv1.2"], [0x0304, "TLSv1.3"]]);
const HANDSHAKE_TYPES = vals({
  0: "Hello Request", 1: "Client Hello", 2: "Server Hello", 3: "Hello Verify Request", 4: "New Session Ticket",
  5: "End of Early Data", 6: "Hello Retry Request", 8: "Encrypted Extensions", 11: "Certificate", 12: "Server Key Exchange",
  13: "Certificate Request", 14: "Server Hello Done", 15: "Certificate Verify", 16: "Client Key Exchange", 20: "Finished",
  21: "Certificate URL", 22: "Certificate Status", 23: "Supplemental Data", 24: "Key Update", 25: "Compressed Certificate",
  67: "Next Protocol", 254: "Message Hash",
});
const ALERT_LEVELS = vals({ 1: "Warning", 2: "Fatal" });
export const ALERT_DESCRIPTIONS = vals({
  0: "Close Notify", 10: "Unexpected Message", 20: "Bad Record MAC", 21: "Decryption Failed", 22: "Record Overflow",
  30: "Decompression Failure", 40: "Handshake Failure", 41: "No Certificate", 42: "Bad Certificate", 43: "Unsupported Certificate",
  44: "Certificate Revoked", 45: "Certificate Expired", 46: "Certificate Unknown", 47: "Illegal Parameter", 48: "Unknown CA",
  49: "Access Denied", 50: "Decode Error", 51: "Decrypt Error", 60: "Export Restriction", 70: "Protocol Version",
  71: "Insufficient Security", 80: "Internal Error", 86: "Inappropriate Fallback", 90: "User Canceled", 100: "No Renegotiation",
  109: "Missing Extension", 110: "Unsupported Extension", 112: "Unrecognized Name", 113: "Bad Certificate Status Response",
  115: "Unknown PSK Identity", 116: "Certificate Required", 120: "No Application Protocol",
});

export const hf = registerProtocol("tls", "Transport Layer Security", {
  record: { abbrev: "tls.record", name: "Record Layer", type: FT.NONE },
  content_type: { abbrev: "tls.record.content_type", name: "Content Type", type: FT.UINT8, strings: CONTENT_TYPES },
  opaque_type: { abbrev: "tls.record.opaque_type", name: "Opaque Type", type: FT.UINT8, strings: CONTENT_TYPES },
  record_version: { abbrev: "tls.record.version", name: "Version", type: FT.UINT16, base: Base.HEX, strings: VERSIONS },
  record_length: { abbrev: "tls.record.length", name: "Length", type: FT.UINT16 },
  app_data: { abbrev: "tls.app_data", name: "Encrypted Application Data", type: FT.BYTES },
  app_data_proto: { abbrev: "tls.app_data_proto", name: "Application Data Protocol", type: FT.STRING, generated: true },
  change_cipher_spec: { abbrev: "tls.change_cipher_spec", name: "Change Cipher Spec Message", type: FT.NONE },
  alert_message: { abbrev: "tls.alert_message", name: "Alert Message", type: FT.NONE },
  alert_level: { abbrev: "tls.alert_message.level", name: "Level", type: FT.UINT8, strings: ALERT_LEVELS },
  alert_desc: { abbrev: "tls.alert_message.desc", name: "Description", type: FT.UINT8, strings: ALERT_DESCRIPTIONS },
  handshake: { abbrev: "tls.handshake", name: "Handshake Protocol", type: FT.NONE },
  handshake_type: { abbrev: "tls.handshake.type", name: "Handshake Type", type: FT.UINT8, strings: HANDSHAKE_TYPES },
  handshake_length: { abbrev: "tls.handshake.length", name: "Length", type: FT.UINT24 },
  fragments: { abbrev: "tls.handshake.fragments", name: "Reassembled Handshake Fragments", type: FT.NONE, generated: true },
  fragment: { abbrev: "tls.handshake.fragment", name: "Handshake Fragment", type: FT.FRAMENUM, generated: true },
  fragment_count: { abbrev: "tls.handshake.fragment.count", name: "Handshake Fragment count", type: FT.UINT32, generated: true },
});
registerHandshakeFields(hf.proto);

// ---- per-connection state ----

/** What a connection's TLS session has shown so far (a ring by tcp.stream, as http.ts). */
interface TlsConv extends HandshakeState {
  stream: number;
  /** A Change Cipher Spec was seen from the client / the server: what follows is encrypted. */
  ccsClient: boolean;
  ccsServer: boolean;
  /** The server's port (its side of the connection). */
  serverPort: number;
  /** Plain HTTP was found on the port: the connection is HTTP's from then on. */
  http: boolean;
}

class TlsState {
  readonly convs = new StreamRing<TlsConv>(TCP_CONV_CAP, () => ({ stream: -1, version: 0, suite: -1, ccsClient: false, ccsServer: false, serverPort: 0, http: false }), (c) => {
    c.version = 0;
    c.suite = -1;
    c.ccsClient = c.ccsServer = false;
    c.http = false;
    c.serverPort = 0;
  });
  /** The frame whose Info has a record in it (the next record is appended after ", "). */
  infoFrame = 0;
}

/** Wireshark 4.0's TCP ports for TLS (`tshark -G decodes`): HTTPS, SMTPS, LDAPS, DNS over TLS, IMAPS, POP3S, SIPS, AMQPS, MQTT over TLS... */
const TLS_PORTS = [324, 443, 465, 636, 802, 853, 993, 995, 1300, 2221, 2443, 3249, 3250, 3251, 3252, 3496, 5061, 5671, 5684, 5868, 8883, 11207, 19999, 27017];
const IS_TLS_PORT = new Set(TLS_PORTS);

function convOf(p: Packet, st: TlsState): TlsConv {
  const c = st.convs.get(p.tcpStream < 0 ? 0 : p.tcpStream);
  if (c.serverPort === 0) {
    // The server is the side on a TLS port (the lower port when both are).
    const src = IS_TLS_PORT.has(p.srcPort), dst = IS_TLS_PORT.has(p.dstPort);
    c.serverPort = src && (!dst || p.srcPort < p.dstPort) ? p.srcPort : p.dstPort;
  }
  return c;
}

function stateOf(p: Packet): TlsState {
  return p.session.store("tls", () => new TlsState());
}

function u16(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}

// ---- dissection ----

/** The records in d[off, t.rep); one cut by the segment's end is left to TCP's reassembly. */
export function dissectTls(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  const st = stateOf(p);
  const c = convOf(p, st);
  const fromServer = p.srcPort === c.serverPort;
  const end = t.rep;
  let o = off;
  let opened = false;
  let recordVersion = 0;
  // As tshark: plain HTTP on the TLS port goes to HTTP, and the connection with it.
  if (!c.http && o < t.cap && !(d[o]! >= CT_CCS && d[o]! <= CT_HEARTBEAT)) {
    lineEnd(d, o, t.cap);
    c.http = httpLineType(d, o, lineEol) !== HttpType.NONE;
  }
  if (c.http) {
    dissectHttp(p, t, o);
    return;
  }
  while (o < end) {
    const avail = t.cap - o;
    const type = d[o]!;
    if (avail >= HDR && !(type >= CT_CCS && type <= CT_HEARTBEAT)) {
      // Not the start of a record (the middle of one tshark could not reassemble, or not TLS).
      if (!opened) begin(p, t, off, end);
      info(p, st, "Continuation Data");
      column(p, c, 0);
      t.up();
      return;
    }
    if (avail < HDR || avail < HDR + u16(d, o + 3)) {
      if (p.canDesegment) {
        p.desegmentOffset = o - off;
        p.desegmentLen = avail < HDR ? ONE_MORE_SEGMENT : HDR + u16(d, o + 3) - avail;
        if (opened) {
          column(p, c, recordVersion);
          t.up();
        } else {
          // tshark adds its (empty) item before finding the record incomplete; the Protocol
          // column stays TCP's.
          t.proto(p, hf.proto, off, end - off);
          t.curProto = "TLS";
          t.up();
          if (p.wantCols && o === off) p.info.clear();
        }
        return;
      }
    }
    if (!opened) {
      begin(p, t, off, end);
      opened = true;
    }
    if (avail >= 3) recordVersion = u16(d, o + 1);
    // As tshark, the column names the version before the record is read (a malformed one keeps it).
    column(p, c, recordVersion);
    o = record(p, t, c, st, o, fromServer);
  }
  if (opened) {
    column(p, c, recordVersion);
    t.up();
  }
}

function begin(p: Packet, t: Tree, off: number, end: number): void {
  t.proto(p, hf.proto, off, end - off);
  t.curProto = "TLS";
  p.protocol = "TLS";
}

/** The protocol column: the session's version once the server chose it, else the last record's. */
function column(p: Packet, c: TlsConv, recordVersion: number): void {
  p.protocol = COLUMN.get(c.version || recordVersion) ?? "TLS";
}

/**
 * Appends a record's description to the Info column with ", " before it when the column has
 * text: the frame's earlier records, or TCP's analysis prefix (which Wireshark keeps in the
 * column behind a fence, so that the first record gets a ", " too).
 */
function info(p: Packet, st: TlsState, text: string): void {
  if (!p.wantCols) return;
  if (st.infoFrame !== p.num) {
    p.info.clear();
    st.infoFrame = p.num;
  }
  if (!p.info.empty || anInfoPrefix() !== "") p.info.add(", ");
  p.info.add(text);
}

/** One record at `o`; returns where the next one starts. */
function record(p: Packet, t: Tree, c: TlsConv, st: TlsState, o: number, fromServer: boolean): number {
  const d = t.d;
  t.check(o, HDR);
  const type = d[o]!;
  const version = u16(d, o + 1);
  const len = u16(d, o + 3);
  const body = o + HDR;
  const recEnd = body + len;
  const encrypted = fromServer ? c.ccsServer : c.ccsClient;
  const tls13 = c.version === 0x0304;
  const opaque = tls13 && type === CT_APPDATA;
  // A record the snaplen cut is shown by its header only, as tshark does ("Record Layer", no message).
  const cut = recEnd > t.cap && t.cap < t.rep;
  t.none(hf.record, o, HDR + len, null);
  if (t.full && !cut) t.label(`${COLUMN.get(c.version || version) ?? "TLS"} Record Layer: ${recordName(d, type, encrypted, body, Math.min(recEnd, t.cap), c.serverPort)}`);
  t.down();
  t.uint(opaque ? hf.opaque_type : hf.content_type, o, 1, type);
  t.uint(hf.record_version, o + 1, 2, version);
  t.uint(hf.record_length, o + 3, 2, len);
  if (cut) {
    column(p, c, version);
    if (p.wantCols && st.infoFrame !== p.num) {
      p.info.clear();
      st.infoFrame = p.num;
    }
    t.check(body, len);
  }
  t.enter(recEnd);
  switch (type) {
    case CT_CCS:
      t.none(hf.change_cipher_spec, body, len);
      info(p, st, "Change Cipher Spec");
      if (fromServer) c.ccsServer = true;
      else c.ccsClient = true;
      break;
    case CT_ALERT:
      if (encrypted || len !== 2) {
        t.none(hf.alert_message, body, len, "Alert Message: Encrypted Alert");
        info(p, st, "Encrypted Alert");
      } else {
        t.check(body, 2);
        const level = d[body]!, desc = d[body + 1]!;
        t.none(hf.alert_message, body, 2);
        t.down();
        t.uint(hf.alert_level, body, 1, level);
        t.uint(hf.alert_desc, body + 1, 1, desc);
        t.up();
        info(p, st, alertText(level, desc));
      }
      break;
    case CT_HANDSHAKE:
      if (encrypted) {
        t.none(hf.handshake, body, len);
        t.label(ENCRYPTED_LABEL);
        info(p, st, "Encrypted Handshake Message");
      } else handshakes(p, t, c, st, body, recEnd);
      break;
    case CT_APPDATA:
      t.bytes(hf.app_data, body, Math.min(len, Math.max(0, t.cap - body)));
      if (c.serverPort === 443 && t.wants(hf.app_data_proto)) t.str(hf.app_data_proto, body, 0, "Hypertext Transfer Protocol");
      info(p, st, "Application Data");
      break;
    default:
      info(p, st, "Heartbeat");
  }
  t.leave();
  t.up();
  return recEnd;
}

/** "Alert (Level: Fatal, Description: Handshake Failure)": Info and the record's label. */
function alertText(level: number, desc: number): string {
  return `Alert (Level: ${ALERT_LEVELS.get(level) ?? "Unknown"}, Description: ${ALERT_DESCRIPTIONS.get(desc) ?? "Unknown"})`;
}

/** The record's label: its content type, and for handshakes the message (or "Multiple Handshake Messages"). */
function recordName(d: Uint8Array, type: number, encrypted: boolean, body: number, end: number, port: number): string {
  if (type === CT_CCS) return "Change Cipher Spec Protocol: Change Cipher Spec";
  // The protocol inside is named by port, as tshark does without keys (HTTP on 443).
  if (type === CT_APPDATA) return `Application Data Protocol: ${port === 443 ? "Hypertext Transfer Protocol" : "Application Data"}`;
  if (type === CT_HANDSHAKE) {
    if (encrypted || body + 4 > end) return "Handshake Protocol: Encrypted Handshake Message";
    const name = messageName(d, d[body]!, body + 4, end);
    if (name === undefined) return "Handshake Protocol: Encrypted Handshake Message";
    const len = (d[body + 1]! << 16) | (d[body + 2]! << 8) | d[body + 3]!;
    return body + 4 + len < end ? "Handshake Protocol: Multiple Handshake Messages" : `Handshake Protocol: ${name}`;
  }
  // An alert in the clear is 2 bytes (level, description); anything else is encrypted.
  if (type === CT_ALERT) {
    if (encrypted || end - body !== 2) return "Encrypted Alert";
    return alertText(d[body]!, d[body + 1]!);
  }
  return CONTENT_TYPES.get(type) ?? "Unknown";
}

/** The handshake messages of a record in the clear. */
function handshakes(p: Packet, t: Tree, c: TlsConv, st: TlsState, o: number, end: number): void {
  const d = t.d;
  while (o < end) {
    t.check(o, 4);
    const type = d[o]!;
    const len = (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!;
    const name = messageName(d, type, o + 4, Math.min(o + 4 + len, t.cap));
    if (name === undefined || o + 4 + len > end) {
      // Not a message in the clear after all (a Finished sent encrypted).
      t.none(hf.handshake, o, end - o);
      t.label(ENCRYPTED_LABEL);
      info(p, st, "Encrypted Handshake Message");
      return;
    }
    t.none(hf.handshake, o, 4 + len, null);
    if (t.full) t.label(`Handshake Protocol: ${name}`);
    t.down();
    t.uint(hf.handshake_type, o, 1, type);
    t.uint(hf.handshake_length, o + 1, 3, len);
    info(p, st, name);
    handshakeBody(t, c, type, o + 4, o + 4 + len, p);
    t.up();
    o += 4 + len;
  }
}

/** A message's name; a Server Hello with the Hello Retry Request random is one (RFC 8446 4.1.3). */
function messageName(d: Uint8Array, type: number, body: number, end: number): string | undefined {
  return type === HS_SERVER_HELLO && isHelloRetryRequest(d, body, end) ? "Hello Retry Request" : HANDSHAKE_TYPES.get(type);
}

const ENCRYPTED_LABEL = "Handshake Protocol: Encrypted Handshake Message";

// ---- TLS 1.3 handshake messages without records (QUIC CRYPTO frames) ----

/** The name of the handshake message at d[o] (its body up to `end`), as labels show it. */
export function tlsHandshakeName(d: Uint8Array, o: number, end: number): string {
  return messageName(d, d[o]!, o + 4, end) ?? `Unknown (${d[o]})`;
}

/**
 * The "tls" item Wireshark's tls13-handshake dissector adds over CRYPTO data, labelled like a
 * record ("TLSv1.3 Record Layer: Handshake Protocol: Client Hello"); `fn` adds what is inside.
 * The Protocol column stays the carrier's.
 */
export function tls13Item(p: Packet, t: Tree, o: number, len: number, what: string, fn: () => void): void {
  const protocol = p.protocol;
  t.proto(p, hf.proto, o, len);
  t.curProto = "TLS";
  if (t.full) t.label(`TLSv1.3 Record Layer: ${what}`);
  fn();
  t.up();
  p.protocol = protocol;
}

/** Complete handshake messages in d[o, end), one item each. */
export function tlsHandshakeMessages(p: Packet, t: Tree, c: HandshakeState, o: number, end: number): void {
  const d = t.d;
  while (o + 4 <= end) {
    const type = d[o]!;
    const len = (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!;
    t.none(hf.handshake, o, 4 + len, null);
    if (t.full) t.label(`Handshake Protocol: ${tlsHandshakeName(d, o, Math.min(o + 4 + len, end))}`);
    t.down();
    t.uint(hf.handshake_type, o, 1, type);
    t.uint(hf.handshake_length, o + 1, 3, len);
    t.enter(Math.min(o + 4 + len, end));
    handshakeBody(t, c, type, o + 4, o + 4 + len, p);
    t.leave();
    t.up();
    o += 4 + len;
  }
  void p;
}

/** A piece of a handshake message that continues in a later frame (or ends one). */
export function tlsHandshakeFragment(t: Tree, o: number, len: number, label: string): void {
  t.none(hf.handshake, o, len, label);
}

/** "[2 Reassembled Handshake Fragments (512 bytes): #13(300), #14(212)]" with a line per fragment. */
export function tlsReassembledFragments(t: Tree, o: number, len: number, parts: readonly [number, number][], total: number): void {
  t.none(hf.fragments, o, len);
  if (t.full) t.label(`[${parts.length} Reassembled Handshake Fragments (${total} bytes): ${parts.map(([f, n]) => `#${f}(${n})`).join(", ")}]`);
  t.down();
  let at = 0;
  for (const [frame, n] of parts) {
    t.uint(hf.fragment, o, len, frame);
    if (t.full) t.label(`[Frame: ${frame}, payload: ${at}-${at + n - 1} (${n} bytes)]`);
    at += n;
  }
  t.num(hf.fragment_count, parts.length);
  t.up();
}

markReassembling(dissectTls);
for (const port of TLS_PORTS) tcpPorts.add(port, dissectTls);
