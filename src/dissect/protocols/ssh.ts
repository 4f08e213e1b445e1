// Secure Shell (RFC 4253), over TCP port 22, as tshark 4.0 shows it without TCP reassembly.
//   version exchange: "SSH-2.0-software comments\r\n"
//   binary packet:    packet_length 0..4 | padding_length 4..5 | payload 5..5+n (message code first)
//                     | padding | MAC (none before the first NEWKEYS)
// Per TCP conversation, like tshark: the protocol version once a side sent its version line, each
// side's KEXINIT name-lists (to name the negotiated key exchange and cipher), and the frame where
// each side sent NEWKEYS: its later packets are encrypted.
import { createHash } from "node:crypto";
import { Base, FT, registerExperts, registerProtocol, vals } from "../fields.js";
import { callData, tcpPorts } from "../dispatch.js";
import type { Packet } from "../packet.js";
import type { TextColumn } from "../column.js";
import type { Tree } from "../tree.js";
import { addrLen, ConvTable, type Conv } from "./udp.js";

const PORT = 22;
/** Offsets in a binary packet. */
const PLEN = 0, PADLEN = 4, MSG = 5;
/** Offsets in SSH_MSG_KEXINIT (from the message code). */
const KEX_COOKIE = 1, KEX_LISTS = 17;

const MSG_KEXINIT = 20, MSG_NEWKEYS = 21;

const KEX_DH = 0, KEX_DH_GEX = 1, KEX_ECDH = 2;

/** Message names common to every key exchange method (Wireshark's ssh2_msg_vals, transport part). */
const MSG_NAMES = vals({
  1: "Disconnect", 2: "Ignore", 3: "Unimplemented", 4: "Debug", 5: "Service Request", 6: "Service Accept",
  20: "Key Exchange Init", 21: "New Keys",
});
const DH_NAMES = vals({ 30: "Diffie-Hellman Key Exchange Init", 31: "Diffie-Hellman Key Exchange Reply" });
const GEX_NAMES = vals({
  30: "Diffie-Hellman Group Exchange Request (Old)", 31: "Diffie-Hellman Group Exchange Group",
  32: "Diffie-Hellman Group Exchange Init", 33: "Diffie-Hellman Group Exchange Reply", 34: "Diffie-Hellman Group Exchange Request",
});
const ECDH_NAMES = vals({ 30: "Elliptic Curve Diffie-Hellman Key Exchange Init", 31: "Elliptic Curve Diffie-Hellman Key Exchange Reply" });
const FAMILY_NAMES = [DH_NAMES, GEX_NAMES, ECDH_NAMES];

/** The ten name-lists of KEXINIT, in wire order, as Wireshark names their fields. */
const LIST_NAMES = [
  "kex_algorithms", "server_host_key_algorithms",
  "encryption_algorithms_client_to_server", "encryption_algorithms_server_to_client",
  "mac_algorithms_client_to_server", "mac_algorithms_server_to_client",
  "compression_algorithms_client_to_server", "compression_algorithms_server_to_client",
  "languages_client_to_server", "languages_server_to_client",
] as const;
const L_KEX = 0, L_ENC_C2S = 2, L_ENC_S2C = 3, L_MAC_C2S = 4, L_MAC_S2C = 5, L_COMP_C2S = 6, L_COMP_S2C = 7;

export const hf = registerProtocol("ssh", "SSH Protocol", {
  protocol: { abbrev: "ssh.protocol", name: "Protocol", type: FT.STRING },
  packet_length: { abbrev: "ssh.packet_length", name: "Packet Length", type: FT.UINT32 },
  packet_length_encrypted: { abbrev: "ssh.packet_length_encrypted", name: "Packet Length (encrypted)", type: FT.BYTES },
  padding_length: { abbrev: "ssh.padding_length", name: "Padding Length", type: FT.UINT8 },
  payload: { abbrev: "ssh.payload", name: "Payload", type: FT.BYTES },
  encrypted_packet: { abbrev: "ssh.encrypted_packet", name: "Encrypted Packet", type: FT.BYTES },
  padding_string: { abbrev: "ssh.padding_string", name: "Padding String", type: FT.BYTES },
  direction: { abbrev: "ssh.direction", name: "Direction", type: FT.BOOLEAN, tfs: ["server-to-client", "client-to-server"], generated: true, blurb: "Message direction" },
  message_code: { abbrev: "ssh.message_code", name: "Message Code", type: FT.UINT8, base: Base.DEC },
  cookie: { abbrev: "ssh.cookie", name: "Cookie", type: FT.BYTES },
  kex_algorithms: { abbrev: "ssh.kex_algorithms", name: "kex_algorithms string", type: FT.STRING },
  server_host_key_algorithms: { abbrev: "ssh.server_host_key_algorithms", name: "server_host_key_algorithms string", type: FT.STRING },
  encryption_algorithms_client_to_server: { abbrev: "ssh.encryption_algorithms_client_to_server", name: "encryption_algorithms_client_to_server string", type: FT.STRING },
  encryption_algorithms_server_to_client: { abbrev: "ssh.encryption_algorithms_server_to_client", name: "encryption_algorithms_server_to_client string", type: FT.STRING },
  mac_algorithms_client_to_server: { abbrev: "ssh.mac_algorithms_client_to_server", name: "mac_algorithms_client_to_server string", type: FT.STRING },
  mac_algorithms_server_to_client: { abbrev: "ssh.mac_algorithms_server_to_client", name: "mac_algorithms_server_to_client string", type: FT.STRING },
  compression_algorithms_client_to_server: { abbrev: "ssh.compression_algorithms_client_to_server", name: "compression_algorithms_client_to_server string", type: FT.STRING },
  compression_algorithms_server_to_client: { abbrev: "ssh.compression_algorithms_server_to_client", name: "compression_algorithms_server_to_client string", type: FT.STRING },
  languages_client_to_server: { abbrev: "ssh.languages_client_to_server", name: "languages_client_to_server string", type: FT.STRING },
  languages_server_to_client: { abbrev: "ssh.languages_server_to_client", name: "languages_server_to_client string", type: FT.STRING },
  kex_algorithms_length: { abbrev: "ssh.kex_algorithms_length", name: "kex_algorithms length", type: FT.UINT32 },
  server_host_key_algorithms_length: { abbrev: "ssh.server_host_key_algorithms_length", name: "server_host_key_algorithms length", type: FT.UINT32 },
  encryption_algorithms_client_to_server_length: { abbrev: "ssh.encryption_algorithms_client_to_server_length", name: "encryption_algorithms_client_to_server length", type: FT.UINT32 },
  encryption_algorithms_server_to_client_length: { abbrev: "ssh.encryption_algorithms_server_to_client_length", name: "encryption_algorithms_server_to_client length", type: FT.UINT32 },
  mac_algorithms_client_to_server_length: { abbrev: "ssh.mac_algorithms_client_to_server_length", name: "mac_algorithms_client_to_server length", type: FT.UINT32 },
  mac_algorithms_server_to_client_length: { abbrev: "ssh.mac_algorithms_server_to_client_length", name: "mac_algorithms_server_to_client length", type: FT.UINT32 },
  compression_algorithms_client_to_server_length: { abbrev: "ssh.compression_algorithms_client_to_server_length", name: "compression_algorithms_client_to_server length", type: FT.UINT32 },
  compression_algorithms_server_to_client_length: { abbrev: "ssh.compression_algorithms_server_to_client_length", name: "compression_algorithms_server_to_client length", type: FT.UINT32 },
  languages_client_to_server_length: { abbrev: "ssh.languages_client_to_server_length", name: "languages_client_to_server length", type: FT.UINT32 },
  languages_server_to_client_length: { abbrev: "ssh.languages_server_to_client_length", name: "languages_server_to_client length", type: FT.UINT32 },
  first_kex_packet_follows: { abbrev: "ssh.first_kex_packet_follows", name: "First KEX Packet Follows", type: FT.UINT8 },
  kex_reserved: { abbrev: "ssh.kex.reserved", name: "Reserved", type: FT.BYTES },
  hassh_algorithms: { abbrev: "ssh.kex.hassh_algorithms", name: "hasshAlgorithms", type: FT.STRING, generated: true },
  hassh: { abbrev: "ssh.kex.hassh", name: "hassh", type: FT.STRING, generated: true },
  hasshserver_algorithms: { abbrev: "ssh.kex.hasshserver_algorithms", name: "hasshServerAlgorithms", type: FT.STRING, generated: true },
  hasshserver: { abbrev: "ssh.kex.hasshserver", name: "hasshServer", type: FT.STRING, generated: true },
  host_key_length: { abbrev: "ssh.host_key.length", name: "Host key length", type: FT.UINT32 },
  host_key_type_length: { abbrev: "ssh.host_key.type_length", name: "Host key type length", type: FT.UINT32 },
  host_key_type: { abbrev: "ssh.host_key.type", name: "Host key type", type: FT.STRING },
  host_key_data: { abbrev: "ssh.host_key.data", name: "Host key data", type: FT.BYTES },
  ecdsa_id: { abbrev: "ssh.host_key.ecdsa.id", name: "ECDSA elliptic curve identifier", type: FT.STRING },
  ecdsa_id_length: { abbrev: "ssh.host_key.ecdsa.id_length", name: "ECDSA elliptic curve identifier length", type: FT.UINT32 },
  ecdsa_q: { abbrev: "ssh.host_key.ecdsa.q", name: "ECDSA public key (Q)", type: FT.BYTES },
  ecdsa_q_length: { abbrev: "ssh.host_key.ecdsa.q_length", name: "ECDSA public key length", type: FT.UINT32 },
  host_sig_length: { abbrev: "ssh.host_sig.length", name: "Host signature length", type: FT.UINT32 },
  host_sig_type_length: { abbrev: "ssh.host_sig.type_length", name: "Host signature type length", type: FT.UINT32 },
  host_sig_type: { abbrev: "ssh.host_sig.type", name: "Host signature type", type: FT.STRING },
  dh_e: { abbrev: "ssh.dh.e", name: "DH client e", type: FT.BYTES },
  dh_f: { abbrev: "ssh.dh.f", name: "DH server f", type: FT.BYTES },
  ecdh_q_c: { abbrev: "ssh.ecdh.q_c", name: "ECDH client's ephemeral public key (Q_C)", type: FT.BYTES },
  ecdh_q_c_length: { abbrev: "ssh.ecdh.q_c_length", name: "ECDH client's ephemeral public key length", type: FT.UINT32 },
  ecdh_q_s: { abbrev: "ssh.ecdh.q_s", name: "ECDH server's ephemeral public key (Q_S)", type: FT.BYTES },
  ecdh_q_s_length: { abbrev: "ssh.ecdh.q_s_length", name: "ECDH server's ephemeral public key length", type: FT.UINT32 },
  mpint_length: { abbrev: "ssh.mpint_length", name: "Multi Precision Integer Length", type: FT.UINT32 },
  rsa_n: { abbrev: "ssh.host_key.rsa.n", name: "RSA modulus (N)", type: FT.BYTES },
  rsa_e: { abbrev: "ssh.host_key.rsa.e", name: "RSA public exponent (e)", type: FT.BYTES },
  dsa_p: { abbrev: "ssh.host_key.dsa.p", name: "DSA prime modulus (p)", type: FT.BYTES },
  dsa_q: { abbrev: "ssh.host_key.dsa.q", name: "DSA prime divisor (q)", type: FT.BYTES },
  dsa_g: { abbrev: "ssh.host_key.dsa.g", name: "DSA subgroup generator (g)", type: FT.BYTES },
  dsa_y: { abbrev: "ssh.host_key.dsa.y", name: "DSA public key (y)", type: FT.BYTES },
  eddsa_key: { abbrev: "ssh.host_key.eddsa.key", name: "EdDSA public key", type: FT.BYTES },
  eddsa_key_length: { abbrev: "ssh.host_key.eddsa.key_length", name: "EdDSA public key length", type: FT.UINT32 },
  host_sig_data: { abbrev: "ssh.host_sig.data", name: "Host signature data", type: FT.BYTES },
  dh_gex_min: { abbrev: "ssh.dh_gex.min", name: "DH GEX Min", type: FT.UINT32, blurb: "Minimal acceptable group size" },
  dh_gex_nbits: { abbrev: "ssh.dh_gex.nbits", name: "DH GEX Number of Bits", type: FT.UINT32, blurb: "Preferred group size" },
  dh_gex_max: { abbrev: "ssh.dh_gex.max", name: "DH GEX Max", type: FT.UINT32, blurb: "Maximal acceptable group size" },
  dh_gex_p: { abbrev: "ssh.dh_gex.p", name: "DH GEX modulus (P)", type: FT.BYTES },
  dh_gex_g: { abbrev: "ssh.dh_gex.g", name: "DH GEX base (G)", type: FT.BYTES },
});

export const ei = registerExperts(hf.proto, {
  packet_decode: { abbrev: "ssh.packet_decode.error", group: "protocol", severity: "warn", summary: "Packet decoded length not equal to packet length" },
});

const LIST_FIELDS = [
  hf.kex_algorithms, hf.server_host_key_algorithms, hf.encryption_algorithms_client_to_server, hf.encryption_algorithms_server_to_client,
  hf.mac_algorithms_client_to_server, hf.mac_algorithms_server_to_client, hf.compression_algorithms_client_to_server,
  hf.compression_algorithms_server_to_client, hf.languages_client_to_server, hf.languages_server_to_client,
];
const LIST_LENGTH_FIELDS = [
  hf.kex_algorithms_length, hf.server_host_key_algorithms_length, hf.encryption_algorithms_client_to_server_length,
  hf.encryption_algorithms_server_to_client_length, hf.mac_algorithms_client_to_server_length, hf.mac_algorithms_server_to_client_length,
  hf.compression_algorithms_client_to_server_length, hf.compression_algorithms_server_to_client_length,
  hf.languages_client_to_server_length, hf.languages_server_to_client_length,
];

// ---- per-conversation state ----

/** One side of the connection (0 client, 1 server), as Wireshark's ssh_peer_data. */
interface Peer {
  /** Frame of this side's version line (0: not seen). */
  versionFrame: number;
  /** Frame and record offset of this side's first NEWKEYS (0: not seen): what follows is encrypted. */
  keyEnd: number;
  keyEndOff: number;
  /** This side's KEXINIT name-lists that matter for the negotiation (null until seen). */
  lists: string[] | null;
  /** Negotiated algorithms for this side's packets, shown in the "SSH Version 2" title. */
  enc: string;
  mac: string;
  comp: string;
}

interface SshConv extends Conv {
  /** 0 unknown, 1 or 2. */
  version: number;
  readonly peers: [Peer, Peer];
  kexMethod: string;
  kexFamily: number;
}

/** SSH connections followed at most; beyond it the least recently seen one starts over. */
export const SSH_CONV_CAP = 4096;

class SshState {
  readonly convs = new ConvTable<SshConv>(SSH_CONV_CAP);
}
const newState = (): SshState => new SshState();

function newPeer(): Peer {
  return { versionFrame: 0, keyEnd: 0, keyEndOff: 0, lists: null, enc: "", mac: "", comp: "" };
}

function resetPeer(q: Peer): void {
  q.versionFrame = q.keyEnd = q.keyEndOff = 0;
  q.lists = null;
  q.enc = q.mac = q.comp = "";
}

function convFor(p: Packet, sport: number, dport: number): SshConv {
  const tbl = p.session.store("ssh", newState).convs;
  const found = tbl.find(p.ipData, p.ipSrcOff, p.ipDstOff, addrLen(p), sport, dport);
  if (found !== undefined) return found;
  const c = tbl.reusable() ?? { stream: 0, version: 0, peers: [newPeer(), newPeer()], kexMethod: "", kexFamily: KEX_DH };
  c.version = 0;
  resetPeer(c.peers[0]);
  resetPeer(c.peers[1]);
  c.kexMethod = "";
  c.kexFamily = KEX_DH;
  return tbl.add(c);
}

// ---- helpers ----

function u32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;
}

function ascii(d: Uint8Array, o: number, len: number): string {
  let s = "";
  for (let i = 0; i < len; i++) s += String.fromCharCode(d[o + i]!);
  return s;
}

/** tvb_format_text: printable ASCII as is, the rest escaped. */
function formatText(d: Uint8Array, o: number, len: number): string {
  let s = "";
  for (let i = 0; i < len; i++) {
    const c = d[o + i]!;
    if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else if (c === 0x0d) s += "\\r";
    else if (c === 0x0a) s += "\\n";
    else if (c === 0x09) s += "\\t";
    else s += "\\x" + c.toString(16).padStart(2, "0");
  }
  return s;
}

/** Wireshark cuts item labels at 240 bytes and marks them "[truncated]" after the name. */
function longLabel(name: string, value: string, generated: boolean): string {
  const plain = `${name}: ${value}`;
  const s = plain.length <= 239 ? plain : `${name} [truncated]: ${value}`.slice(0, 238);
  return generated ? `[${s}]` : s;
}

/** The first client algorithm the server also offers (Wireshark's ssh_choose_algo). */
function chooseAlgo(client: string, server: string): string {
  const srv = server.split(",");
  for (const a of client.split(",")) if (srv.includes(a)) return a;
  return "";
}

function kexFamily(method: string): number {
  if (method === "diffie-hellman-group-exchange-sha1" || method === "diffie-hellman-group-exchange-sha256") return KEX_DH_GEX;
  if (method.startsWith("ecdh-sha2-") || method === "curve25519-sha256@libssh.org" || method === "curve25519-sha256" || method === "curve448-sha512") return KEX_ECDH;
  return KEX_DH;
}

/**
 * Ciphers tshark 4.0 tries to decrypt (verified: chacha20-poly1305, aes128-ctr, aes256-cbc show
 * nothing). AES-GCM is among them, but there tshark "decrypts" with keys it does not have and
 * shows the garbage as messages; arpx shows nothing instead (see the report in the tests).
 */
function tsharkDecrypts(enc: string): boolean {
  return enc === "chacha20-poly1305@openssh.com" || enc === "aes128-gcm@openssh.com" || enc === "aes256-gcm@openssh.com" ||
    ((enc.startsWith("aes128-") || enc.startsWith("aes192-") || enc.startsWith("aes256-")) && (enc.endsWith("-ctr") || enc.endsWith("-cbc")));
}

/**
 * The MAC tshark 4.0 names in the title: seen for hmac-sha2-256 with aes128-ctr; not for hmac-sha1
 * (aes256-cbc) nor with ChaCha20-Poly1305 (which brings its own). hmac-sha2-512 is assumed alike.
 */
function titleMac(enc: string, mac: string): string {
  if (enc === "chacha20-poly1305@openssh.com" || enc.endsWith("-gcm@openssh.com")) return "";
  return mac === "hmac-sha2-256" || mac === "hmac-sha2-512" ? mac : "";
}

function msgName(c: SshConv, code: number): string {
  const s = code >= 30 && code <= 49 ? FAMILY_NAMES[c.kexFamily]!.get(code) : MSG_NAMES.get(code);
  return s ?? `Unknown (${code})`;
}

/** Info column as Wireshark builds it: the text TCP's fence keeps, then appended items. */
function appendInfo(p: Packet, sep: boolean, s: string): void {
  if (sep && !p.info.empty) p.info.add(", ");
  p.info.add(s);
}

/** Keeps only the "[TCP ...] " analysis prefixes TCP put in front of its Info text (Wireshark's column fence). */
function keepFencePrefix(c: TextColumn): void {
  let i = 0;
  while (c.startsWith("[TCP ", i)) {
    const j = c.indexOf("] ", i);
    if (j < 0) break;
    i = j + 2;
  }
  c.truncate(i);
}

// ---- dissection ----

export function dissectSsh(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  const sport = p.srcPort, dport = p.dstPort;
  const server = sport === PORT ? 1 : 0;
  const conv = convFor(p, sport, dport);
  const end = t.rep;

  // A segment that starts in the middle of a record tshark would reassemble: nothing to show.
  if (!startsRecord(conv, d, off, end, t.cap, server, p.num)) {
    callData(p, t, off);
    return;
  }

  t.proto(p, hf.proto, off, end - off);
  p.protocol = conv.version === 2 ? "SSHv2" : conv.version === 1 ? "SSHv1" : "SSH";
  if (p.wantCols) keepFencePrefix(p.info);
  const peer = conv.peers[server]!;

  let o = off;
  while (o < end) {
    const last = o;
    if (peer.versionFrame === 0 || peer.versionFrame === p.num) {
      if (end - o >= 4 && t.cap - o >= 4 && sshDash(d, o)) {
        const next = versionLine(p, t, conv, o, end);
        if (next < 0) break;
        peer.versionFrame = p.num;
        o = next;
        continue;
      }
    }
    if (conv.version === 0) o = encrypted(p, t, o, end);
    else if (conv.version === 2) o = ssh2(p, t, conv, server, o, end);
    else o = encrypted(p, t, o, end);
    if (o <= last) break;
  }

  t.num(hf.direction, server);
  if (t.full) t.label(`[Direction: ${server ? "server-to-client" : "client-to-server"}]`);
  t.up();
  if (p.wantCols) p.info.prepend(server ? "Server: " : "Client: ");
}

/** Whether tshark would show a record at `off` rather than wait for more bytes. */
function startsRecord(conv: SshConv, d: Uint8Array, off: number, end: number, cap: number, server: number, num: number): boolean {
  const peer = conv.peers[server]!;
  const canVersion = peer.versionFrame === 0 || peer.versionFrame === num;
  if (canVersion && end - off >= 4 && cap - off >= 4 && sshDash(d, off)) {
    return lineEnd(d, off, Math.min(end, cap)) >= 0 || cap < end;
  }
  if (conv.version !== 2 || isEncrypted(peer, num, off)) return true;
  if (end - off < 4) return false;
  if (cap - off < 4) return true;
  return u32(d, off) + 4 <= end - off;
}

function isEncrypted(peer: Peer, num: number, off: number): boolean {
  return peer.keyEnd !== 0 && (num > peer.keyEnd || (num === peer.keyEnd && off >= peer.keyEndOff));
}

/** "SSH-", any case (tshark compares case-insensitively). */
function sshDash(d: Uint8Array, o: number): boolean {
  return (d[o]! | 0x20) === 0x73 && (d[o + 1]! | 0x20) === 0x73 && (d[o + 2]! | 0x20) === 0x68 && d[o + 3] === 0x2d;
}

/** Offset of the first CR or LF from `o`, or -1. */
function lineEnd(d: Uint8Array, o: number, end: number): number {
  for (let i = o; i < end; i++) if (d[i] === 0x0d || d[i] === 0x0a) return i;
  return -1;
}

/** The version line; returns the offset after it, or -1 when it is not whole (tshark waits). */
function versionLine(p: Packet, t: Tree, conv: SshConv, o: number, end: number): number {
  const d = t.d;
  const lim = Math.min(end, t.cap);
  const eol = lineEnd(d, o, lim);
  if (eol < 0 && lim === end) return -1;
  const protolen = (eol < 0 ? lim : eol) - o;
  let next = eol < 0 ? lim : eol + 1;
  if (eol >= 0 && d[eol] === 0x0d && eol + 1 < lim && d[eol + 1] === 0x0a) next = eol + 2;
  if (t.wants(hf.protocol) || p.wantCols) {
    const s = ascii(d, o, protolen);
    t.str(hf.protocol, o, protolen, s);
    if (p.wantCols) appendInfo(p, false, `Protocol (${formatText(d, o, protolen)})`);
  } else t.check(o, protolen);
  // "SSH-2.x" and "SSH-1.99-" speak version 2; other "SSH-1.x" version 1.
  if (protolen >= 6 && d[o + 4] === 0x32 && d[o + 5] === 0x2e) conv.version = 2;
  else if (protolen >= 9 && ascii(d, o + 4, 5) === "1.99-") conv.version = 2;
  else if (protolen >= 6 && d[o + 4] === 0x31 && d[o + 5] === 0x2e) conv.version = 1;
  if (eol < 0) t.check(o, end - o);
  return next;
}

/** A record tshark cannot decrypt (or an SSH version it does not follow): its bytes only. */
function encrypted(p: Packet, t: Tree, o: number, end: number): number {
  const len = end - o;
  if (p.wantCols) appendInfo(p, true, `Encrypted packet (len=${len})`);
  if (len > 4) {
    t.bytes(hf.packet_length_encrypted, o, 4);
    bytesItem(t, hf.encrypted_packet, o + 4, len - 4);
  } else t.bytes(hf.encrypted_packet, o + 4, len); // past the end, as in tshark: malformed
  return end;
}

function ssh2(p: Packet, t: Tree, conv: SshConv, server: number, o: number, end: number): number {
  const d = t.d;
  const peer = conv.peers[server]!;
  t.text(t.full ? ssh2Title(peer) : "", o, end - o);
  t.down();
  if (isEncrypted(peer, p.num, o)) {
    // For the ciphers it can decrypt, tshark 4.0 sets the cipher up at NEWKEYS and tries to
    // decrypt without the keys: it shows nothing for the rest of the segment. Others: the bytes.
    if (!tsharkDecrypts(peer.enc)) encrypted(p, t, o, end);
    t.up();
    return end;
  }
  t.check(o, 4);
  const plen = u32(d, o);
  if (plen + 4 > end - o) {
    // The rest is the start of a record tshark would reassemble with the next segment.
    t.up();
    return end;
  }
  const recEnd = o + 4 + plen;
  t.enter(recEnd);
  t.uint(hf.packet_length, o + PLEN, 4, plen);
  t.check(o + PADLEN, 1);
  const padlen = d[o + PADLEN]!;
  t.uint(hf.padding_length, o + PADLEN, 1, padlen);
  t.check(o + MSG, 1);
  const code = d[o + MSG]!;
  const m = o + MSG;
  t.text(t.full ? (conv.kexMethod ? `Key Exchange (method:${conv.kexMethod})` : "Key Exchange") : "", m, plen - padlen - 1);
  t.down();
  t.uint(hf.message_code, m, 1, code);
  if (t.full) t.label(`Message Code: ${msgName(conv, code)} (${code})`);
  if (p.wantCols) appendInfo(p, true, msgName(conv, code));
  if (code === MSG_KEXINIT) kexInit(t, conv, server, m, recEnd);
  else if (code === MSG_NEWKEYS) {
    if (peer.keyEnd === 0) {
      peer.keyEnd = p.num;
      peer.keyEndOff = recEnd;
    }
  } else if (code >= 30 && code <= 49) kexSpecific(p, t, conv, code, m + 1);
  t.up();
  const padOff = recEnd - padlen;
  if (padOff >= m + 1) t.bytes(hf.padding_string, padOff, padlen);
  t.leave();
  t.up();
  return recEnd;
}

function ssh2Title(peer: Peer): string {
  if (!peer.enc && !peer.mac && !peer.comp) return "SSH Version 2";
  const parts: string[] = [];
  if (peer.enc) parts.push(`encryption:${peer.enc}`);
  if (peer.mac) parts.push(`mac:${peer.mac}`);
  if (peer.comp) parts.push(`compression:${peer.comp}`);
  return `SSH Version 2 (${parts.join(" ")})`;
}

function kexInit(t: Tree, conv: SshConv, server: number, m: number, recEnd: number): void {
  const d = t.d;
  t.text("Algorithms", m + KEX_COOKIE, recEnd - m - KEX_COOKIE);
  t.down();
  t.bytes(hf.cookie, m + KEX_COOKIE, 16);
  const peer = conv.peers[server]!;
  // The lists are kept (once per connection) to name the negotiated algorithms.
  const keep = peer.lists === null;
  const lists: string[] | null = keep || t.full || t.wants(hf.hassh_algorithms) || t.wants(hf.hassh) ||
    t.wants(hf.hasshserver_algorithms) || t.wants(hf.hasshserver) ? [] : null;
  let o = m + KEX_LISTS;
  for (let i = 0; i < LIST_NAMES.length; i++) {
    t.check(o, 4);
    const len = u32(d, o);
    t.uint(LIST_LENGTH_FIELDS[i]!, o, 4, len);
    t.check(o + 4, len);
    const f = LIST_FIELDS[i]!;
    if (lists !== null || t.wants(f)) {
      const s = ascii(d, o + 4, len);
      if (lists !== null) lists.push(s);
      t.str(f, o + 4, len, s);
      if (t.full) t.label(longLabel(f.name, s, false));
    }
    o += 4 + len;
  }
  t.check(o, 5);
  t.uint(hf.first_kex_packet_follows, o, 1, d[o]!);
  t.bytes(hf.kex_reserved, o + 1, 4);
  if (lists !== null) {
    const c2s = server === 0;
    const algs = `${lists[L_KEX]};${lists[c2s ? L_ENC_C2S : L_ENC_S2C]};${lists[c2s ? L_MAC_C2S : L_MAC_S2C]};${lists[c2s ? L_COMP_C2S : L_COMP_S2C]}`;
    const fa = c2s ? hf.hassh_algorithms : hf.hasshserver_algorithms;
    const fh = c2s ? hf.hassh : hf.hasshserver;
    if (t.wants(fa)) {
      t.str(fa, m, 0, algs);
      if (t.full) t.label(longLabel(fa.name, algs, true));
    }
    if (t.wants(fh)) t.str(fh, m, 0, createHash("md5").update(algs, "latin1").digest("hex"));
    if (keep) {
      peer.lists = lists;
      negotiate(conv);
    }
  }
  t.up();
}

/** Both KEXINITs seen: the key exchange method decides the names of messages 30..49. */
function negotiate(conv: SshConv): void {
  const c = conv.peers[0].lists, s = conv.peers[1].lists;
  if (c === null || s === null) return;
  conv.kexMethod = chooseAlgo(c[L_KEX]!, s[L_KEX]!);
  conv.kexFamily = kexFamily(conv.kexMethod);
}

/** The server's key exchange reply: tshark then names each side's negotiated algorithms. */
function setAlgorithms(conv: SshConv): void {
  const c = conv.peers[0].lists, s = conv.peers[1].lists;
  if (c === null || s === null) return;
  for (let side = 0; side < 2; side++) {
    const q = conv.peers[side]!;
    q.enc = chooseAlgo(c[side ? L_ENC_S2C : L_ENC_C2S]!, s[side ? L_ENC_S2C : L_ENC_C2S]!);
    q.mac = titleMac(q.enc, chooseAlgo(c[side ? L_MAC_S2C : L_MAC_C2S]!, s[side ? L_MAC_S2C : L_MAC_C2S]!));
    q.comp = chooseAlgo(c[side ? L_COMP_S2C : L_COMP_C2S]!, s[side ? L_COMP_S2C : L_COMP_C2S]!);
  }
}

/** A length-prefixed string or blob: returns the offset after it. */
function lenItem(t: Tree, lenField: typeof hf.proto, field: typeof hf.proto, o: number, isString: boolean): number {
  t.check(o, 4);
  const len = u32(t.d, o);
  t.uint(lenField, o, 4, len);
  if (isString) {
    t.check(o + 4, len);
    if (t.wants(field)) t.str(field, o + 4, len, ascii(t.d, o + 4, len));
  } else bytesItem(t, field, o + 4, len);
  return o + 4 + len;
}

/** A bytes item; tshark shows at most 36 bytes of it in the tree, then "…". */
function bytesItem(t: Tree, f: typeof hf.proto, o: number, len: number): void {
  t.bytes(f, o, len);
  if (t.full && len > 36) t.label(`${f.name}: ${hexOf(t.d, o, 36)}\u2026`);
}

function hexOf(d: Uint8Array, o: number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += d[o + i]!.toString(16).padStart(2, "0");
  return s;
}

function kexSpecific(p: Packet, t: Tree, conv: SshConv, code: number, o: number): void {
  const fam = conv.kexFamily;
  if (fam === KEX_ECDH) {
    if (code === 30) lenItem(t, hf.ecdh_q_c_length, hf.ecdh_q_c, o, false);
    else if (code === 31) {
      o = hostKey(t, o);
      o = lenItem(t, hf.ecdh_q_s_length, hf.ecdh_q_s, o, false);
      hostSig(p, t, o);
      setAlgorithms(conv);
    }
  } else if (fam === KEX_DH) {
    if (code === 30) lenItem(t, hf.mpint_length, hf.dh_e, o, false);
    else if (code === 31) {
      o = hostKey(t, o);
      o = lenItem(t, hf.mpint_length, hf.dh_f, o, false);
      hostSig(p, t, o);
      setAlgorithms(conv);
    }
  } else if (code === 34) {
    gexUint(t, hf.dh_gex_min, o);
    gexUint(t, hf.dh_gex_nbits, o + 4);
    gexUint(t, hf.dh_gex_max, o + 8);
  } else if (code === 30) gexUint(t, hf.dh_gex_nbits, o);
  else if (code === 31) {
    o = lenItem(t, hf.mpint_length, hf.dh_gex_p, o, false);
    lenItem(t, hf.mpint_length, hf.dh_gex_g, o, false);
  } else if (code === 32) lenItem(t, hf.mpint_length, hf.dh_e, o, false);
  else if (code === 33) {
    o = hostKey(t, o);
    o = lenItem(t, hf.mpint_length, hf.dh_f, o, false);
    hostSig(p, t, o);
    setAlgorithms(conv);
  }
}

function gexUint(t: Tree, f: typeof hf.proto, o: number): void {
  t.check(o, 4);
  t.uint(f, o, 4, u32(t.d, o));
}

function hostKey(t: Tree, o: number): number {
  const d = t.d;
  t.check(o, 4);
  const len = u32(d, o);
  t.check(o + 4, len);
  const end = o + 4 + len;
  t.check(o + 4, 4);
  const tlen = u32(d, o + 4);
  t.check(o + 8, tlen);
  const type = t.full || t.wants(hf.host_key_type) ? ascii(d, o + 8, tlen) : "";
  t.text(t.full ? `KEX host key (type: ${type})` : "", o, len + 4);
  t.down();
  t.uint(hf.host_key_length, o, 4, len);
  t.uint(hf.host_key_type_length, o + 4, 4, tlen);
  t.str(hf.host_key_type, o + 8, tlen, type);
  let k = o + 8 + tlen;
  const kind = keyKind(d, o + 8, tlen);
  if (kind === K_ECDSA) {
    k = lenItem(t, hf.ecdsa_id_length, hf.ecdsa_id, k, true);
    lenItem(t, hf.ecdsa_q_length, hf.ecdsa_q, k, false);
  } else if (kind === K_RSA) {
    k = lenItem(t, hf.mpint_length, hf.rsa_e, k, false);
    lenItem(t, hf.mpint_length, hf.rsa_n, k, false);
  } else if (kind === K_DSS) {
    k = lenItem(t, hf.mpint_length, hf.dsa_p, k, false);
    k = lenItem(t, hf.mpint_length, hf.dsa_q, k, false);
    k = lenItem(t, hf.mpint_length, hf.dsa_g, k, false);
    lenItem(t, hf.mpint_length, hf.dsa_y, k, false);
  } else if (kind === K_EDDSA) lenItem(t, hf.eddsa_key_length, hf.eddsa_key, k, false);
  else if (end > k) bytesItem(t, hf.host_key_data, k, end - k);
  t.up();
  return end;
}

const K_OTHER = 0, K_RSA = 1, K_DSS = 2, K_ECDSA = 3, K_EDDSA = 4;

/** Host key types tshark 4.0 decodes field by field. */
function keyKind(d: Uint8Array, o: number, len: number): number {
  if (len > 40) return K_OTHER;
  const s = ascii(d, o, len);
  if (s === "ssh-rsa") return K_RSA;
  if (s === "ssh-dss") return K_DSS;
  if (s === "ssh-ed25519") return K_EDDSA;
  if (s.startsWith("ecdsa-sha2-")) return K_ECDSA;
  return K_OTHER;
}

function hostSig(p: Packet, t: Tree, o: number): void {
  const d = t.d;
  t.check(o, 4);
  const len = u32(d, o);
  t.check(o + 4, 4);
  const tlen = u32(d, o + 4);
  t.check(o + 8, tlen);
  const ecdsa = tlen > 11 && ascii(d, o + 8, 11) === "ecdsa-sha2-";
  const type = t.full || t.wants(hf.host_sig_type) ? ascii(d, o + 8, tlen) : "";
  t.text(t.full ? `KEX host signature (type: ${type})` : "", o, len + 4);
  t.down();
  t.uint(hf.host_sig_length, o, 4, len);
  // tshark 4.0 compares the type's bytes alone with the signature length (and spells it so).
  if (8 + tlen !== len) {
    t.down();
    t.expert(p, ei.packet_decode, o, 4, `Decoded ${8 + tlen} bytes, but packet legnth is ${len} bytes`);
    t.up();
  }
  t.uint(hf.host_sig_type_length, o + 4, 4, tlen);
  t.str(hf.host_sig_type, o + 8, tlen, type);
  const rest = len - 4 - tlen;
  if (!ecdsa && rest > 0) bytesItem(t, hf.host_sig_data, o + 8 + tlen, rest);
  t.up();
}

tcpPorts.add(PORT, dissectSsh);
