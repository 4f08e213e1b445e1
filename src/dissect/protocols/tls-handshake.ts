// The bodies of TLS handshake messages sent in the clear, as tshark 4.0 shows them without keys:
// the Client and Server Hello (Hello Retry Request) with their cipher suites, compression methods
// and extensions, JA3 / JA3S; New Session Ticket, Certificate, Server Key Exchange (ECDHE, DHE),
// Certificate Request, Server Hello Done, Certificate Verify and Client Key Exchange (ECDHE, DHE,
// RSA). tls.ts frames the messages (type, length) and calls handshakeBody() for each.
// Certificates are decoded by x509.ts (X.509 as tshark's x509af); the Distinguished Names of a
// Certificate Request are not decoded.
//   Client Hello: version (2) | random (32) | session id <0..32> | cipher suites <2..2^16-2> |
//                 compression methods <1..2^8-1> | extensions <0..2^16-1>
//   Server Hello: version (2) | random (32) | session id <0..32> | cipher suite (2) |
//                 compression method (1) | extensions <0..2^16-1>
//   extension:    type (2) | length (2) | data
import { createHash } from "node:crypto";
import { Base, FT, registerFields, type Field, type FieldSpec } from "../fields.js";
import { bytesToHex } from "../format.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { absoluteTimeText } from "./frame.js";
import { EXT_QUIC_TRANSPORT_PARAMETERS, quicTransportParameters, registerQuicParameterFields } from "./tls-quic-params.js";
import { asciiText } from "./http-message.js";
import { x509Certificate } from "./x509.js";
import { registerSctFields } from "./x509ce.js";
import {
  CERT_COMPRESSION, CERT_TYPES, CIPHER_SUITES, COMPRESSION_METHODS, CURVE_TYPES, EC_POINT_FORMATS, EXTENSION_TYPES, GROUPS,
  HEARTBEAT_MODES, isGrease, Kex, kexOf, MAX_FRAGMENT_LENGTHS, PSK_KE_MODES, SERVER_NAME_TYPES, SIG_HASHES, SIG_SIGNATURES,
  signatureSchemeName, STATUS_TYPES,
} from "./tls-names.js";

export const HS_CLIENT_HELLO = 1, HS_SERVER_HELLO = 2;
const HS_NEW_SESSION_TICKET = 4, HS_CERTIFICATE = 11, HS_SERVER_KEY_EXCHANGE = 12, HS_CERTIFICATE_REQUEST = 13,
  HS_CERTIFICATE_VERIFY = 15, HS_CLIENT_KEY_EXCHANGE = 16;
const TLS12 = 0x0303, TLS13 = 0x0304;
const RANDOM = 32;

const EXT = {
  SERVER_NAME: 0, MAX_FRAGMENT_LENGTH: 1, STATUS_REQUEST: 5, SUPPORTED_GROUPS: 10, EC_POINT_FORMATS: 11, SIGNATURE_ALGORITHMS: 13,
  HEARTBEAT: 15, ALPN: 16, SCT: 18, PADDING: 21, ENCRYPT_THEN_MAC: 22, EXTENDED_MASTER_SECRET: 23, COMPRESS_CERTIFICATE: 27,
  RECORD_SIZE_LIMIT: 28, DELEGATED_CREDENTIALS: 34, SESSION_TICKET: 35, PRE_SHARED_KEY: 41, EARLY_DATA: 42, SUPPORTED_VERSIONS: 43,
  COOKIE: 44, PSK_KEY_EXCHANGE_MODES: 45, POST_HANDSHAKE_AUTH: 49, SIGNATURE_ALGORITHMS_CERT: 50, KEY_SHARE: 51,
  APPLICATION_SETTINGS: 17513, RENEGOTIATION_INFO: 65281,
} as const;

/** The random of a Hello Retry Request (RFC 8446 4.1.3: SHA-256 of "HelloRetryRequest"). */
const HRR_RANDOM = Uint8Array.from([
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
]);

const VERSIONS = new Map<number, string>([[0x0300, "SSL 3.0"], [0x0301, "TLS 1.0"], [0x0302, "TLS 1.1"], [0x0303, "TLS 1.2"], [0x0304, "TLS 1.3"]]);
const SUPPORTED_VERSIONS: ReadonlyMap<number, string> = (() => {
  const m = new Map(VERSIONS);
  for (let h = 0; h < 16; h++) m.set(((h << 4) | 0x0a) * 0x101, "Reserved (GREASE)");
  return m;
})();

const u8 = FT.UINT8, u16 = FT.UINT16, u24 = FT.UINT24, u32 = FT.UINT32, bytes = FT.BYTES, none = FT.NONE, str = FT.STRING;

const SPECS = {
  handshake_version: { abbrev: "tls.handshake.version", name: "Version", type: u16, base: Base.HEX, strings: VERSIONS },
  random: { abbrev: "tls.handshake.random", name: "Random", type: bytes },
  random_time: { abbrev: "tls.handshake.random_time", name: "GMT Unix Time", type: FT.ABSOLUTE_TIME },
  random_bytes: { abbrev: "tls.handshake.random_bytes", name: "Random Bytes", type: bytes },
  // tshark 4.0 registers this name twice (SSLv2's is 16 bits); the TLS one is 8 bits.
  session_id_length: { abbrev: "tls.handshake.session_id_length", name: "Session ID Length", type: u8 },
  session_id: { abbrev: "tls.handshake.session_id", name: "Session ID", type: bytes },
  cipher_suites_length: { abbrev: "tls.handshake.cipher_suites_length", name: "Cipher Suites Length", type: u16 },
  ciphersuites: { abbrev: "tls.handshake.ciphersuites", name: "Cipher Suites", type: none },
  ciphersuite: { abbrev: "tls.handshake.ciphersuite", name: "Cipher Suite", type: u16, base: Base.HEX, strings: CIPHER_SUITES },
  comp_methods_length: { abbrev: "tls.handshake.comp_methods_length", name: "Compression Methods Length", type: u8 },
  comp_methods: { abbrev: "tls.handshake.comp_methods", name: "Compression Methods", type: none },
  comp_method: { abbrev: "tls.handshake.comp_method", name: "Compression Method", type: u8, strings: COMPRESSION_METHODS },
  extensions_length: { abbrev: "tls.handshake.extensions_length", name: "Extensions Length", type: u16 },
  extension_type: { abbrev: "tls.handshake.extension.type", name: "Type", type: u16, strings: EXTENSION_TYPES },
  extension_len: { abbrev: "tls.handshake.extension.len", name: "Length", type: u16 },
  extension_data: { abbrev: "tls.handshake.extension.data", name: "Data", type: bytes },
  // server_name
  server_name_list_len: { abbrev: "tls.handshake.extensions_server_name_list_len", name: "Server Name list length", type: u16 },
  server_name_type: { abbrev: "tls.handshake.extensions_server_name_type", name: "Server Name Type", type: u8, strings: SERVER_NAME_TYPES },
  server_name_len: { abbrev: "tls.handshake.extensions_server_name_len", name: "Server Name length", type: u16 },
  server_name: { abbrev: "tls.handshake.extensions_server_name", name: "Server Name", type: str },
  max_fragment_length: { abbrev: "tls.handshake.max_fragment_length", name: "Maximum Fragment Length", type: u8, strings: MAX_FRAGMENT_LENGTHS },
  // status_request
  status_request_type: { abbrev: "tls.handshake.extensions_status_request_type", name: "Certificate Status Type", type: u8, strings: STATUS_TYPES },
  status_request_responder_ids_len: { abbrev: "tls.handshake.extensions_status_request_responder_ids_len", name: "Responder ID list Length", type: u16 },
  status_request_exts_len: { abbrev: "tls.handshake.extensions_status_request_exts_len", name: "Request Extensions Length", type: u16 },
  // supported_groups, ec_point_formats
  supported_groups_length: { abbrev: "tls.handshake.extensions_supported_groups_length", name: "Supported Groups List Length", type: u16 },
  supported_groups: { abbrev: "tls.handshake.extensions_supported_groups", name: "Supported Groups List", type: none },
  supported_group: { abbrev: "tls.handshake.extensions_supported_group", name: "Supported Group", type: u16, base: Base.HEX, strings: GROUPS },
  ec_point_formats_length: { abbrev: "tls.handshake.extensions_ec_point_formats_length", name: "EC point formats Length", type: u8 },
  ec_point_formats: { abbrev: "tls.handshake.extensions_ec_point_formats", name: "EC point formats", type: none },
  ec_point_format: { abbrev: "tls.handshake.extensions_ec_point_format", name: "EC point format", type: u8, strings: EC_POINT_FORMATS },
  // signature algorithms
  sig_hash_alg_len: { abbrev: "tls.handshake.sig_hash_alg_len", name: "Signature Hash Algorithms Length", type: u16 },
  sig_hash_algs: { abbrev: "tls.handshake.sig_hash_algs", name: "Signature Algorithms", type: none },
  sig_hash_alg: { abbrev: "tls.handshake.sig_hash_alg", name: "Signature Algorithm", type: u16, base: Base.HEX },
  sig_hash_hash: { abbrev: "tls.handshake.sig_hash_hash", name: "Signature Hash Algorithm Hash", type: u8, strings: SIG_HASHES },
  sig_hash_sig: { abbrev: "tls.handshake.sig_hash_sig", name: "Signature Hash Algorithm Signature", type: u8, strings: SIG_SIGNATURES },
  heartbeat_mode: { abbrev: "tls.handshake.extension.heartbeat.mode", name: "Mode", type: u8, strings: HEARTBEAT_MODES },
  // ALPN, ALPS
  alpn_len: { abbrev: "tls.handshake.extensions_alpn_len", name: "ALPN Extension Length", type: u16 },
  alpn_list: { abbrev: "tls.handshake.extensions_alpn_list", name: "ALPN Protocol", type: none },
  alpn_str_len: { abbrev: "tls.handshake.extensions_alpn_str_len", name: "ALPN string length", type: u8 },
  alpn_str: { abbrev: "tls.handshake.extensions_alpn_str", name: "ALPN Next Protocol", type: str },
  alps_len: { abbrev: "tls.handshake.extensions_alps_len", name: "ALPS Extension Length", type: u16 },
  alps_alpn_list: { abbrev: "tls.handshake.extensions_alps_alpn_list", name: "Supported ALPN List", type: none },
  alps_alpn_str_len: { abbrev: "tls.handshake.extensions_alps_alpn_str_len", name: "Supported ALPN Length", type: u8 },
  alps_alpn_str: { abbrev: "tls.handshake.extensions_alps_alpn_str", name: "Supported ALPN", type: str },
  padding_data: { abbrev: "tls.handshake.extensions_padding_data", name: "Padding Data", type: bytes },
  compress_certificate_algorithms_length: { abbrev: "tls.compress_certificate.algorithms_length", name: "Algorithms Length", type: u8 },
  compress_certificate_algorithm: { abbrev: "tls.compress_certificate.algorithm", name: "Algorithm", type: u16, strings: CERT_COMPRESSION },
  record_size_limit: { abbrev: "tls.record_size_limit", name: "Record Size Limit", type: u16 },
  // pre_shared_key, psk_key_exchange_modes
  psk_identities_length: { abbrev: "tls.handshake.extensions.psk.identities.length", name: "Identities Length", type: u16 },
  psk_identity_length: { abbrev: "tls.handshake.extensions.psk.identity.identity_length", name: "Identity Length", type: u16 },
  psk_identity: { abbrev: "tls.handshake.extensions.psk.identity.identity", name: "Identity", type: bytes },
  psk_obfuscated_ticket_age: { abbrev: "tls.handshake.extensions.psk.identity.obfuscated_ticket_age", name: "Obfuscated Ticket Age", type: u32 },
  psk_binders_len: { abbrev: "tls.handshake.extensions.psk.binders_len", name: "PSK Binders length", type: u16 },
  psk_binders: { abbrev: "tls.handshake.extensions.psk.binders", name: "PSK Binders", type: none },
  psk_selected: { abbrev: "tls.handshake.extensions.psk.identity.selected", name: "Selected Identity", type: u16 },
  psk_ke_modes_length: { abbrev: "tls.extension.psk_ke_modes_length", name: "PSK Key Exchange Modes Length", type: u8 },
  psk_ke_mode: { abbrev: "tls.extension.psk_ke_mode", name: "PSK Key Exchange Mode", type: u8, strings: PSK_KE_MODES },
  // supported_versions, cookie, key_share, renegotiation_info
  supported_versions_len: { abbrev: "tls.handshake.extensions.supported_versions_len", name: "Supported Versions length", type: u8 },
  supported_version: { abbrev: "tls.handshake.extensions.supported_version", name: "Supported Version", type: u16, base: Base.HEX, strings: SUPPORTED_VERSIONS },
  cookie_len: { abbrev: "tls.handshake.extensions.cookie_len", name: "Cookie length", type: u16 },
  cookie: { abbrev: "tls.handshake.extensions.cookie", name: "Cookie", type: bytes },
  key_share_client_length: { abbrev: "tls.handshake.extensions_key_share_client_length", name: "Client Key Share Length", type: u16 },
  key_share_group: { abbrev: "tls.handshake.extensions_key_share_group", name: "Group", type: u16, strings: GROUPS },
  key_share_key_exchange_length: { abbrev: "tls.handshake.extensions_key_share_key_exchange_length", name: "Key Exchange Length", type: u16 },
  key_share_key_exchange: { abbrev: "tls.handshake.extensions_key_share_key_exchange", name: "Key Exchange", type: bytes },
  key_share_selected_group: { abbrev: "tls.handshake.extensions_key_share_selected_group", name: "Selected Group", type: u16, strings: GROUPS },
  reneg_info_len: { abbrev: "tls.handshake.extensions_reneg_info_len", name: "Renegotiation info extension length", type: u8 },
  reneg_info: { abbrev: "tls.handshake.extensions_reneg_info", name: "Renegotiation info", type: bytes },
  // JA3
  ja3_full: { abbrev: "tls.handshake.ja3_full", name: "JA3 Fullstring", type: str, generated: true },
  ja3: { abbrev: "tls.handshake.ja3", name: "JA3", type: str, generated: true },
  ja3s_full: { abbrev: "tls.handshake.ja3s_full", name: "JA3S Fullstring", type: str, generated: true },
  ja3s: { abbrev: "tls.handshake.ja3s", name: "JA3S", type: str, generated: true },
  // New Session Ticket
  session_ticket_lifetime_hint: { abbrev: "tls.handshake.session_ticket_lifetime_hint", name: "Session Ticket Lifetime Hint", type: u32 },
  session_ticket_length: { abbrev: "tls.handshake.session_ticket_length", name: "Session Ticket Length", type: u16 },
  session_ticket: { abbrev: "tls.handshake.session_ticket", name: "Session Ticket", type: bytes },
  // Certificate
  certificates_length: { abbrev: "tls.handshake.certificates_length", name: "Certificates Length", type: u24 },
  certificates: { abbrev: "tls.handshake.certificates", name: "Certificates", type: none },
  certificate_length: { abbrev: "tls.handshake.certificate_length", name: "Certificate Length", type: u24 },
  certificate: { abbrev: "tls.handshake.certificate", name: "Certificate", type: bytes },
  // Server / Client Key Exchange
  server_curve_type: { abbrev: "tls.handshake.server_curve_type", name: "Curve Type", type: u8, base: Base.HEX, strings: CURVE_TYPES },
  server_named_curve: { abbrev: "tls.handshake.server_named_curve", name: "Named Curve", type: u16, base: Base.HEX, strings: GROUPS },
  server_point_len: { abbrev: "tls.handshake.server_point_len", name: "Pubkey Length", type: u8 },
  server_point: { abbrev: "tls.handshake.server_point", name: "Pubkey", type: bytes },
  client_point_len: { abbrev: "tls.handshake.client_point_len", name: "Pubkey Length", type: u8 },
  client_point: { abbrev: "tls.handshake.client_point", name: "Pubkey", type: bytes },
  p_len: { abbrev: "tls.handshake.p_len", name: "p Length", type: u16 },
  p: { abbrev: "tls.handshake.p", name: "p", type: bytes },
  g_len: { abbrev: "tls.handshake.g_len", name: "g Length", type: u16 },
  g: { abbrev: "tls.handshake.g", name: "g", type: bytes },
  ys_len: { abbrev: "tls.handshake.ys_len", name: "Pubkey Length", type: u16 },
  ys: { abbrev: "tls.handshake.ys", name: "Pubkey", type: bytes },
  yc_len: { abbrev: "tls.handshake.yc_len", name: "Pubkey Length", type: u16 },
  yc: { abbrev: "tls.handshake.yc", name: "Pubkey", type: bytes },
  sig_len: { abbrev: "tls.handshake.sig_len", name: "Signature Length", type: u16 },
  sig: { abbrev: "tls.handshake.sig", name: "Signature", type: bytes },
  epms_len: { abbrev: "tls.handshake.epms_len", name: "Encrypted PreMaster length", type: u16 },
  epms: { abbrev: "tls.handshake.epms", name: "Encrypted PreMaster", type: bytes },
  // Certificate Request, Certificate Verify
  cert_types_count: { abbrev: "tls.handshake.cert_types_count", name: "Certificate types count", type: u8 },
  cert_types: { abbrev: "tls.handshake.cert_types", name: "Certificate types", type: none },
  // Registered by tshark 4.0 as "Certificate Type" (SSLv2's) while its TLS items read "Certificate type".
  cert_type: { abbrev: "tls.handshake.cert_type", name: "Certificate Type", type: u8, strings: CERT_TYPES },
  dnames_len: { abbrev: "tls.handshake.dnames_len", name: "Distinguished Names Length", type: u16 },
  dnames: { abbrev: "tls.handshake.dnames", name: "Distinguished Names", type: none },
  dname_len: { abbrev: "tls.handshake.dname_len", name: "Distinguished Name Length", type: u16 },
  cert_vrfy_sig_len: { abbrev: "tls.handshake.client_cert_vrfy.sig_len", name: "Signature length", type: u16 },
  cert_vrfy_sig: { abbrev: "tls.handshake.client_cert_vrfy.sig", name: "Signature", type: bytes },
} satisfies Record<string, FieldSpec>;

let hf: Record<keyof typeof SPECS, Field>;

/** Registers the handshake fields under the TLS protocol (tls.ts calls this once). */
export function registerHandshakeFields(proto: Field): void {
  hf = registerFields(proto, SPECS);
  registerQuicParameterFields(proto);
  registerSctFields(proto);
}

/** What the connection knows that the bodies depend on. */
export interface HandshakeState {
  /** Version the server chose (0 until its Server Hello). */
  version: number;
  /** Cipher suite the server chose (-1 until its Server Hello). */
  suite: number;
  /** Carried by QUIC: TLS 1.3 from the first message, so the Client Hello's random has no time. */
  quic?: boolean;
}

function be16(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}

function be24(d: Uint8Array, o: number): number {
  return (d[o]! << 16) | (d[o + 1]! << 8) | d[o + 2]!;
}

function be32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) >>> 0) + (d[o + 1]! << 16) + (d[o + 2]! << 8) + d[o + 3]!;
}

/** Is the Server Hello body at `o` (its version first) a Hello Retry Request? Needs o + 34 <= end. */
export function isHelloRetryRequest(d: Uint8Array, o: number, end: number): boolean {
  if (o + 2 + RANDOM > end) return false;
  for (let i = 0; i < RANDOM; i++) if (d[o + 2 + i] !== HRR_RANDOM[i]) return false;
  return true;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The body of one handshake message, d[o, end) (its type and length already shown). */
export function handshakeBody(t: Tree, c: HandshakeState, type: number, o: number, end: number, p: Packet): void {
  switch (type) {
    case HS_CLIENT_HELLO: hello(t, c, o, end, true); break;
    case HS_SERVER_HELLO: hello(t, c, o, end, false); break;
    case HS_NEW_SESSION_TICKET: if (c.version !== TLS13) newSessionTicket(t, o); break;
    case HS_CERTIFICATE: if (c.version !== TLS13) certificates(p, t, o); break;
    case HS_SERVER_KEY_EXCHANGE: serverKeyExchange(t, c, o); break;
    case HS_CERTIFICATE_REQUEST: if (c.version !== TLS13) certificateRequest(t, c, o); break;
    case HS_CERTIFICATE_VERIFY: if (c.version !== TLS13) certificateVerify(t, c, o); break;
    case HS_CLIENT_KEY_EXCHANGE: clientKeyExchange(t, c, o, end); break;
  }
}

// ---- hellos ----

/** A Client or Server Hello (or Hello Retry Request): versions, session, cipher suites, extensions, JA3(S). */
function hello(t: Tree, c: HandshakeState, o: number, end: number, client: boolean): void {
  const d = t.d;
  t.check(o, 2 + RANDOM + 1);
  const version = be16(d, o);
  t.uint(hf.handshake_version, o, 2, version);
  const hrr = !client && isHelloRetryRequest(d, o, end);
  t.bytes(hf.random, o + 2, RANDOM);
  // A TLS 1.3 server's random is all random; the others start with the time (RFC 5246 7.4.1.2).
  if (hrr) {
    if (t.full) t.label(`Random: ${bytesToHex(d.subarray(o + 2, o + 2 + RANDOM))} (HelloRetryRequest magic)`);
  } else if (client ? c.quic !== true : serverVersion(d, o, end) !== TLS13) {
    t.down();
    if (t.wants(hf.random_time)) t.str(hf.random_time, o + 2, 4, absoluteTimeText(be32(d, o + 2), 0));
    t.bytes(hf.random_bytes, o + 6, RANDOM - 4);
    t.up();
  }
  let q = o + 2 + RANDOM;
  const sidLen = d[q]!;
  t.uint(hf.session_id_length, q, 1, sidLen);
  if (sidLen > 0) t.bytes(hf.session_id, q + 1, sidLen);
  q += 1 + sidLen;
  if (client) {
    t.check(q, 2);
    const n = be16(d, q);
    t.uint(hf.cipher_suites_length, q, 2, n);
    t.check(q + 2, n);
    t.none(hf.ciphersuites, q + 2, n);
    if (t.full) t.label(`Cipher Suites (${plural(n >> 1, "suite", "suites")})`);
    t.down();
    for (let i = 0; i + 1 < n; i += 2) t.uint(hf.ciphersuite, q + 2 + i, 2, be16(d, q + 2 + i));
    t.up();
    q += 2 + n;
    t.check(q, 1);
    const m = d[q]!;
    t.uint(hf.comp_methods_length, q, 1, m);
    t.check(q + 1, m);
    t.none(hf.comp_methods, q + 1, m);
    if (t.full) t.label(`Compression Methods (${plural(m, "method", "methods")})`);
    t.down();
    for (let i = 0; i < m; i++) t.uint(hf.comp_method, q + 1 + i, 1, d[q + 1 + i]!);
    t.up();
    q += 1 + m;
  } else {
    t.check(q, 3);
    c.version = version;
    c.suite = be16(d, q);
    t.uint(hf.ciphersuite, q, 2, c.suite);
    t.uint(hf.comp_method, q + 2, 1, d[q + 2]!);
    q += 3;
  }
  if (q + 2 <= end) {
    const extLen = be16(d, q);
    t.uint(hf.extensions_length, q, 2, extLen);
    q += 2;
    const extEnd = Math.min(end, q + extLen);
    while (q + 4 <= extEnd) q = extension(t, c, q, client, hrr);
  }
  if (client) {
    if (t.wants(hf.ja3_full) || t.wants(hf.ja3)) {
      const s = ja3(d, o, end, true);
      t.str(hf.ja3_full, o, 0, s);
      if (t.wants(hf.ja3)) t.str(hf.ja3, o, 0, md5(s));
    }
  } else if (t.wants(hf.ja3s_full) || t.wants(hf.ja3s)) {
    const s = ja3(d, o, end, false);
    t.str(hf.ja3s_full, o, 0, s);
    if (t.wants(hf.ja3s)) t.str(hf.ja3s, o, 0, md5(s));
  }
}

/** The version a Server Hello chooses: its supported_versions extension, else its version field. */
function serverVersion(d: Uint8Array, o: number, end: number): number {
  let q = o + 2 + RANDOM;
  if (q >= end) return 0;
  q += 1 + d[q]! + 3;
  if (q + 2 > end) return be16(d, o);
  const extEnd = Math.min(end, q + 2 + be16(d, q));
  q += 2;
  while (q + 4 <= extEnd) {
    const len = be16(d, q + 2);
    if (be16(d, q) === EXT.SUPPORTED_VERSIONS && len >= 2 && q + 6 <= extEnd) return be16(d, q + 4);
    q += 4 + len;
  }
  return be16(d, o);
}

/** One extension at `q`; returns where the next starts. */
function extension(t: Tree, c: HandshakeState, q: number, client: boolean, hrr: boolean): number {
  const d = t.d;
  const type = be16(d, q);
  const len = be16(d, q + 2);
  const body = q + 4;
  const end = body + len;
  if (t.full) t.text(`Extension: ${EXTENSION_TYPES.get(type) ?? `Unknown type ${type}`} (len=${len})`, q, 4 + len);
  t.down();
  t.uint(hf.extension_type, q, 2, type);
  t.uint(hf.extension_len, q + 2, 2, len);
  t.check(body, len);
  switch (type) {
    case EXT.SERVER_NAME:
      if (len > 0) serverName(t, body, end);
      break;
    case EXT.MAX_FRAGMENT_LENGTH:
      if (len > 0) t.uint(hf.max_fragment_length, body, 1, d[body]!);
      break;
    case EXT.STATUS_REQUEST:
      if (len > 0) {
        const st = d[body]!;
        t.uint(hf.status_request_type, body, 1, st);
        if (st === 1 || st === 2) {
          t.check(body + 1, 2);
          const ids = be16(d, body + 1);
          t.uint(hf.status_request_responder_ids_len, body + 1, 2, ids);
          t.check(body + 3 + ids, 2);
          t.uint(hf.status_request_exts_len, body + 3 + ids, 2, be16(d, body + 3 + ids));
        }
      }
      break;
    case EXT.SUPPORTED_GROUPS: {
      t.check(body, 2);
      const n = be16(d, body);
      t.uint(hf.supported_groups_length, body, 2, n);
      t.check(body + 2, n);
      t.none(hf.supported_groups, body + 2, n);
      if (t.full) t.label(`Supported Groups (${plural(n >> 1, "group", "groups")})`);
      t.down();
      for (let i = 0; i + 1 < n; i += 2) t.uint(hf.supported_group, body + 2 + i, 2, be16(d, body + 2 + i));
      t.up();
      break;
    }
    case EXT.EC_POINT_FORMATS: {
      t.check(body, 1);
      const n = d[body]!;
      t.uint(hf.ec_point_formats_length, body, 1, n);
      t.check(body + 1, n);
      t.none(hf.ec_point_formats, body + 1, n);
      if (t.full) t.label(`Elliptic curves point formats (${n})`);
      t.down();
      for (let i = 0; i < n; i++) t.uint(hf.ec_point_format, body + 1 + i, 1, d[body + 1 + i]!);
      t.up();
      break;
    }
    case EXT.SIGNATURE_ALGORITHMS: case EXT.SIGNATURE_ALGORITHMS_CERT: case EXT.DELEGATED_CREDENTIALS:
      signatureAlgorithms(t, body);
      break;
    case EXT.HEARTBEAT:
      if (len > 0) t.uint(hf.heartbeat_mode, body, 1, d[body]!);
      break;
    case EXT.ALPN:
      protocolList(t, body, hf.alpn_len, hf.alpn_list, hf.alpn_str_len, hf.alpn_str);
      break;
    case EXT.APPLICATION_SETTINGS:
      if (client) protocolList(t, body, hf.alps_len, hf.alps_alpn_list, hf.alps_alpn_str_len, hf.alps_alpn_str);
      else t.bytes(hf.extension_data, body, len);
      break;
    case EXT.PADDING:
      if (len > 0) t.bytes(hf.padding_data, body, len);
      break;
    case EXT.COMPRESS_CERTIFICATE: {
      t.check(body, 1);
      const n = d[body]!;
      t.uint(hf.compress_certificate_algorithms_length, body, 1, n);
      for (let i = 0; i + 1 < n; i += 2) t.uint(hf.compress_certificate_algorithm, body + 1 + i, 2, be16(d, body + 1 + i));
      break;
    }
    case EXT.RECORD_SIZE_LIMIT:
      if (len > 0) t.uint(hf.record_size_limit, body, 2, be16(d, body));
      break;
    case EXT.SESSION_TICKET:
      t.bytes(hf.extension_data, body, len);
      if (t.full) t.label(`Data (${len} bytes)`);
      break;
    case EXT.PRE_SHARED_KEY:
      if (len > 0) preSharedKey(t, body, client);
      break;
    case EXT.SUPPORTED_VERSIONS:
      if (client) {
        t.check(body, 1);
        const n = d[body]!;
        t.uint(hf.supported_versions_len, body, 1, n);
        for (let i = 0; i + 1 < n; i += 2) t.uint(hf.supported_version, body + 1 + i, 2, be16(d, body + 1 + i));
      } else if (len >= 2) {
        const v = be16(d, body);
        t.uint(hf.supported_version, body, 2, v);
        c.version = v;
      }
      break;
    case EXT.COOKIE: {
      t.check(body, 2);
      const n = be16(d, body);
      t.uint(hf.cookie_len, body, 2, n);
      if (n > 0) t.bytes(hf.cookie, body + 2, n);
      break;
    }
    case EXT.PSK_KEY_EXCHANGE_MODES: {
      t.check(body, 1);
      const n = d[body]!;
      t.uint(hf.psk_ke_modes_length, body, 1, n);
      for (let i = 0; i < n; i++) t.uint(hf.psk_ke_mode, body + 1 + i, 1, d[body + 1 + i]!);
      break;
    }
    case EXT.KEY_SHARE:
      if (len > 0) keyShare(t, body, end, client, hrr);
      break;
    case EXT_QUIC_TRANSPORT_PARAMETERS:
      quicTransportParameters(t, body, end);
      break;
    case EXT.RENEGOTIATION_INFO: {
      t.text("Renegotiation Info extension", body, len);
      t.down();
      t.check(body, 1);
      const n = d[body]!;
      t.uint(hf.reneg_info_len, body, 1, n);
      if (n > 0) t.bytes(hf.reneg_info, body + 1, n);
      t.up();
      break;
    }
    case EXT.SCT: case EXT.ENCRYPT_THEN_MAC: case EXT.EXTENDED_MASTER_SECRET: case EXT.EARLY_DATA: case EXT.POST_HANDSHAKE_AUTH:
      // Empty in hellos.
      break;
    default:
      t.bytes(hf.extension_data, body, len);
  }
  t.up();
  return end;
}

/** server_name: list length (2), then per name type (1), length (2), name. */
function serverName(t: Tree, o: number, end: number): void {
  const d = t.d;
  t.text("Server Name Indication extension", o, end - o);
  t.down();
  t.check(o, 2);
  const listLen = be16(d, o);
  t.uint(hf.server_name_list_len, o, 2, listLen);
  let q = o + 2;
  const listEnd = Math.min(end, q + listLen);
  while (q + 3 <= listEnd) {
    t.uint(hf.server_name_type, q, 1, d[q]!);
    const n = be16(d, q + 1);
    t.uint(hf.server_name_len, q + 1, 2, n);
    if (t.wants(hf.server_name)) t.str(hf.server_name, q + 3, n, asciiText(d, q + 3, Math.min(q + 3 + n, t.cap)));
    else t.check(q + 3, n);
    q += 3 + n;
  }
  t.up();
}

/** signature_algorithms and the lists like it: length (2), then 2-byte schemes. */
function signatureAlgorithms(t: Tree, o: number): number {
  const d = t.d;
  t.check(o, 2);
  const n = be16(d, o);
  t.uint(hf.sig_hash_alg_len, o, 2, n);
  t.check(o + 2, n);
  t.none(hf.sig_hash_algs, o + 2, n);
  if (t.full) t.label(`Signature Hash Algorithms (${plural(n >> 1, "algorithm", "algorithms")})`);
  t.down();
  for (let i = 0; i + 1 < n; i += 2) signatureAlgorithm(t, o + 2 + i);
  t.up();
  return o + 2 + n;
}

/** One signature scheme, with its hash and signature bytes below it. */
function signatureAlgorithm(t: Tree, o: number): void {
  const d = t.d;
  t.check(o, 2);
  const v = be16(d, o);
  t.uint(hf.sig_hash_alg, o, 2, v);
  if (t.full) t.label(`Signature Algorithm: ${signatureSchemeName(v)} (0x${v.toString(16).padStart(4, "0")})`);
  t.down();
  t.uint(hf.sig_hash_hash, o, 1, d[o]!);
  t.uint(hf.sig_hash_sig, o + 1, 1, d[o + 1]!);
  t.up();
}

/** ALPN and ALPS: list length (2), then length-prefixed (1) protocol names. */
function protocolList(t: Tree, o: number, lenF: Field, listF: Field, strLenF: Field, strF: Field): void {
  const d = t.d;
  t.check(o, 2);
  const n = be16(d, o);
  t.uint(lenF, o, 2, n);
  t.none(listF, o + 2, n);
  t.down();
  let q = o + 2;
  const listEnd = q + n;
  while (q < listEnd) {
    t.check(q, 1);
    const m = d[q]!;
    t.uint(strLenF, q, 1, m);
    if (t.wants(strF)) t.str(strF, q + 1, m, asciiText(d, q + 1, Math.min(q + 1 + m, t.cap)));
    else t.check(q + 1, m);
    q += 1 + m;
  }
  t.up();
}

/** pre_shared_key: the client's identities and binders, or the identity the server selected. */
function preSharedKey(t: Tree, o: number, client: boolean): void {
  const d = t.d;
  t.text("Pre-Shared Key extension", o, 0);
  t.down();
  if (!client) {
    t.check(o, 2);
    t.uint(hf.psk_selected, o, 2, be16(d, o));
    t.up();
    return;
  }
  t.check(o, 2);
  const n = be16(d, o);
  t.uint(hf.psk_identities_length, o, 2, n);
  let q = o + 2;
  const idsEnd = q + n;
  while (q < idsEnd) {
    t.check(q, 2);
    const m = be16(d, q);
    if (t.full) t.text(`PSK Identity (length: ${m})`, q, 2 + m + 4);
    t.down();
    t.uint(hf.psk_identity_length, q, 2, m);
    t.bytes(hf.psk_identity, q + 2, m);
    t.check(q + 2 + m, 4);
    t.uint(hf.psk_obfuscated_ticket_age, q + 2 + m, 4, be32(d, q + 2 + m));
    t.up();
    q += 2 + m + 4;
  }
  t.check(q, 2);
  const b = be16(d, q);
  t.uint(hf.psk_binders_len, q, 2, b);
  t.none(hf.psk_binders, q + 2, b);
  t.up();
}

/** key_share: the client's entries, the server's entry, or the group a Hello Retry Request selects. */
function keyShare(t: Tree, o: number, end: number, client: boolean, hrr: boolean): void {
  const d = t.d;
  t.text("Key Share extension", o, end - o);
  t.down();
  if (hrr) {
    t.check(o, 2);
    t.uint(hf.key_share_selected_group, o, 2, be16(d, o));
  } else if (client) {
    t.check(o, 2);
    const n = be16(d, o);
    t.uint(hf.key_share_client_length, o, 2, n);
    let q = o + 2;
    const listEnd = Math.min(end, q + n);
    while (q + 4 <= listEnd) q = keyShareEntry(t, q);
  } else keyShareEntry(t, o);
  t.up();
}

/** group (2) | key exchange length (2) | key exchange. */
function keyShareEntry(t: Tree, q: number): number {
  const d = t.d;
  t.check(q, 4);
  const group = be16(d, q);
  const n = be16(d, q + 2);
  if (t.full) t.text(`Key Share Entry: Group: ${GROUPS.get(group) ?? "Unknown"}, Key Exchange length: ${n}`, q, 4 + n);
  t.down();
  t.uint(hf.key_share_group, q, 2, group);
  t.uint(hf.key_share_key_exchange_length, q + 2, 2, n);
  t.bytes(hf.key_share_key_exchange, q + 4, n);
  t.up();
  return q + 4 + n;
}

// ---- JA3 ----

/**
 * JA3 (client: "version,suites,extensions,groups,point formats") or JA3S (server:
 * "version,suite,extensions") of the hello at `o`, decimal values joined by "-", GREASE left out.
 * Called once the hello was dissected, so its lengths were checked; reads stay below `end`.
 */
function ja3(d: Uint8Array, o: number, end: number, client: boolean): string {
  let s = String(be16(d, o)) + ",";
  let q = o + 2 + RANDOM;
  q += 1 + d[q]!;
  if (client) {
    const n = be16(d, q);
    s += joined(d, q + 2, q + 2 + n, 2);
    q += 2 + n;
    q += 1 + d[q]!;
  } else {
    s += String(be16(d, q));
    q += 3;
  }
  let exts = "", groups = "", formats = "";
  if (q + 2 <= end) {
    const extEnd = Math.min(end, q + 2 + be16(d, q));
    q += 2;
    while (q + 4 <= extEnd) {
      const type = be16(d, q);
      const len = be16(d, q + 2);
      const body = q + 4;
      if (!isGrease(type)) {
        exts += (exts === "" ? "" : "-") + type;
        if (type === EXT.SUPPORTED_GROUPS && len >= 2) groups = joined(d, body + 2, Math.min(body + 2 + be16(d, body), body + len), 2);
        else if (type === EXT.EC_POINT_FORMATS && len >= 1) formats = joined(d, body + 1, Math.min(body + 1 + d[body]!, body + len), 1);
      }
      q = body + len;
    }
  }
  return client ? `${s},${exts},${groups},${formats}` : `${s},${exts}`;
}

/** The 1- or 2-byte values in d[a, b) in decimal, joined by "-", GREASE left out. */
function joined(d: Uint8Array, a: number, b: number, width: 1 | 2): string {
  let s = "";
  for (let i = a; i + width <= b; i += width) {
    const v = width === 2 ? be16(d, i) : d[i]!;
    if (width === 2 && isGrease(v)) continue;
    s += (s === "" ? "" : "-") + v;
  }
  return s;
}

function md5(s: string): string {
  return createHash("md5").update(s).digest("hex");
}

// ---- the other messages ----

/** "2 hours", "1 day, 3 minutes, 1 second": a duration as Wireshark writes seconds. */
function durationText(secs: number): string {
  if (secs === 0) return "0 seconds";
  const parts: string[] = [];
  const units: [number, string][] = [[86400, "day"], [3600, "hour"], [60, "minute"], [1, "second"]];
  for (const [size, name] of units) {
    const n = Math.floor(secs / size);
    secs -= n * size;
    if (n > 0) parts.push(plural(n, name, name + "s"));
  }
  return parts.join(", ");
}

/** TLS 1.2 New Session Ticket: lifetime hint (4), ticket <0..2^16-1>. */
function newSessionTicket(t: Tree, o: number): void {
  const d = t.d;
  t.text("TLS Session Ticket", o, 0);
  t.down();
  t.check(o, 6);
  const hint = be32(d, o);
  t.uint(hf.session_ticket_lifetime_hint, o, 4, hint);
  if (t.full) t.label(`Session Ticket Lifetime Hint: ${hint} ${hint === 1 ? "second" : "seconds"} (${durationText(hint)})`);
  const n = be16(d, o + 4);
  t.uint(hf.session_ticket_length, o + 4, 2, n);
  if (n > 0) t.bytes(hf.session_ticket, o + 6, n);
  t.up();
}

/** Certificate (TLS 1.2): the chain's length (3), then each certificate's length (3) and DER (X.509, see x509.ts). */
function certificates(p: Packet, t: Tree, o: number): void {
  const d = t.d;
  t.check(o, 3);
  const n = be24(d, o);
  t.uint(hf.certificates_length, o, 3, n);
  if (n === 0) return;
  t.none(hf.certificates, o + 3, n);
  if (t.full) t.label(`Certificates (${n} bytes)`);
  t.down();
  let q = o + 3;
  const chainEnd = q + n;
  while (q < chainEnd) {
    t.check(q, 3);
    const m = be24(d, q);
    t.uint(hf.certificate_length, q, 3, m);
    // tshark stops at an empty certificate (a vector shorter than its minimum of 1).
    if (m === 0) break;
    // The certificate's item spans its DER SEQUENCE (as tshark's), not the length above.
    x509Certificate(p, t, q + 3, hf.certificate);
    q += 3 + m;
  }
  t.up();
}

/** The signature ending a Server Key Exchange: its scheme (TLS 1.2), length (2) and bytes. */
function signature(t: Tree, c: HandshakeState, q: number): void {
  const d = t.d;
  if (c.version >= TLS12) {
    signatureAlgorithm(t, q);
    q += 2;
  }
  t.check(q, 2);
  const n = be16(d, q);
  t.uint(hf.sig_len, q, 2, n);
  t.bytes(hf.sig, q + 2, n);
}

/** Server Key Exchange: the ECDHE or DHE parameters of the suite the server chose, and their signature. */
function serverKeyExchange(t: Tree, c: HandshakeState, o: number): void {
  const d = t.d;
  const kex = c.suite < 0 ? Kex.UNKNOWN : kexOf(c.suite);
  if (kex === Kex.ECDHE) {
    t.text("EC Diffie-Hellman Server Params", o, 0);
    t.down();
    t.check(o, 1);
    const curveType = d[o]!;
    t.uint(hf.server_curve_type, o, 1, curveType);
    if (curveType === 3) {
      t.check(o + 1, 3);
      t.uint(hf.server_named_curve, o + 1, 2, be16(d, o + 1));
      const n = d[o + 3]!;
      t.uint(hf.server_point_len, o + 3, 1, n);
      t.bytes(hf.server_point, o + 4, n);
      signature(t, c, o + 4 + n);
    }
    t.up();
  } else if (kex === Kex.DHE) {
    t.text("Diffie-Hellman Server Params", o, 0);
    t.down();
    let q = o;
    for (const [lenF, valF] of [[hf.p_len, hf.p], [hf.g_len, hf.g], [hf.ys_len, hf.ys]] as const) {
      t.check(q, 2);
      const n = be16(d, q);
      t.uint(lenF, q, 2, n);
      t.bytes(valF, q + 2, n);
      q += 2 + n;
    }
    signature(t, c, q);
    t.up();
  }
}

/** Client Key Exchange: the client's ECDHE or DHE public value, or the RSA-encrypted premaster secret. */
function clientKeyExchange(t: Tree, c: HandshakeState, o: number, end: number): void {
  const d = t.d;
  const kex = c.suite < 0 ? Kex.UNKNOWN : kexOf(c.suite);
  if (kex === Kex.UNKNOWN) return;
  t.text(kex === Kex.ECDHE ? "EC Diffie-Hellman Client Params" : kex === Kex.DHE ? "Diffie-Hellman Client Params" : "RSA Encrypted PreMaster Secret", o, end - o);
  t.down();
  if (kex === Kex.ECDHE) {
    t.check(o, 1);
    const n = d[o]!;
    t.uint(hf.client_point_len, o, 1, n);
    t.bytes(hf.client_point, o + 1, n);
  } else {
    t.check(o, 2);
    const n = be16(d, o);
    t.uint(kex === Kex.DHE ? hf.yc_len : hf.epms_len, o, 2, n);
    t.bytes(kex === Kex.DHE ? hf.yc : hf.epms, o + 2, n);
  }
  t.up();
}

/** Certificate Request (TLS 1.0-1.2): certificate types, signature schemes (1.2), CA names (not decoded). */
function certificateRequest(t: Tree, c: HandshakeState, o: number): void {
  const d = t.d;
  t.check(o, 1);
  const n = d[o]!;
  t.uint(hf.cert_types_count, o, 1, n);
  t.check(o + 1, n);
  t.none(hf.cert_types, o + 1, n);
  if (t.full) t.label(`Certificate types (${plural(n, "type", "types")})`);
  t.down();
  for (let i = 0; i < n; i++) {
    const v = d[o + 1 + i]!;
    t.uint(hf.cert_type, o + 1 + i, 1, v);
    if (t.full) t.label(`Certificate type: ${CERT_TYPES.get(v) ?? "Unknown"} (${v})`);
  }
  t.up();
  let q = o + 1 + n;
  if (c.version >= TLS12) q = signatureAlgorithms(t, q);
  t.check(q, 2);
  const m = be16(d, q);
  t.uint(hf.dnames_len, q, 2, m);
  if (m === 0) return;
  t.none(hf.dnames, q + 2, m);
  if (t.full) t.label(`Distinguished Names (${m} bytes)`);
  t.down();
  let r = q + 2;
  const namesEnd = r + m;
  while (r < namesEnd) {
    t.check(r, 2);
    const k = be16(d, r);
    t.uint(hf.dname_len, r, 2, k);
    t.check(r + 2, k);
    r += 2 + k;
  }
  t.up();
}

/** Certificate Verify (TLS 1.0-1.2): signature scheme (1.2), length (2), signature. */
function certificateVerify(t: Tree, c: HandshakeState, o: number): void {
  const d = t.d;
  let q = o;
  if (c.version >= TLS12) {
    signatureAlgorithm(t, q);
    q += 2;
  }
  t.check(q, 2);
  const n = be16(d, q);
  t.uint(hf.cert_vrfy_sig_len, q, 2, n);
  t.bytes(hf.cert_vrfy_sig, q + 2, n);
}
