// QUIC packet protection for the packets anyone can open: Initial packets are encrypted with keys
// derived from the client's first Destination Connection ID and a salt published for each
// version (RFC 9001 section 5.2, RFC 9369 section 3.3.1). Both directions' keys come from the same
// DCID, so a dissector that saw the client's first Initial can read both sides' Initial packets
// (the CRYPTO frames carrying ClientHello and ServerHello), as Wireshark does without any key log.
// Node's crypto does the AES work; this runs once per Initial packet, never for other packets.
import { createCipheriv, createDecipheriv, createHmac } from "node:crypto";

export const QUIC_V1 = 0x00000001;
export const QUIC_V2 = 0x6b3343cf;

const SALT = {
  v1: "38762cf7f55934b34d179ae6a4c80cadccbb7f0a",
  v2: "0dede3def700a6db819381be6e269dcbf9bd2ed9",
  draft22: "7fbcdb0e7c66bbe9193a96cd21519ebd7a02644a",
  draft23: "c3eef712c72ebb5a11a7d2432bb46365bef9f502",
  draft29: "afbfec289993d24c9e9786f19c6111e04390a899",
  q050: "504574efd066fe2f9d945cfcdbd3a7f0d3b56b45",
  t050: "7ff579e5acd072915580304c43a2367c60488310",
  t051: "7a4edef4e7ccee5fa4506c19124fc8ccda6e033d",
};

/**
 * The Initial salt by version, as Wireshark 4.0 picks it (checked against tshark version by
 * version): v1 and v2, each draft range's, Google's and Facebook's; drafts past 34 get v2's, any
 * other version draft 29's.
 */
function saltFor(version: number): string {
  if (version === QUIC_V1) return SALT.v1;
  if (version === QUIC_V2) return SALT.v2;
  if (version === 0x51303530) return SALT.q050;
  if (version === 0x54303530) return SALT.t050;
  if (version === 0x54303531) return SALT.t051;
  if (version === 0xfaceb001) return SALT.draft22;
  if (version === 0xfaceb002 || version === 0xfaceb00e) return SALT.draft23;
  if (version >>> 8 === 0xff0000) {
    const draft = version & 0xff;
    return draft <= 22 ? SALT.draft22 : draft <= 28 ? SALT.draft23 : draft <= 32 ? SALT.draft29 : draft <= 34 ? SALT.v1 : SALT.v2;
  }
  return SALT.draft29;
}

export interface PacketKeys {
  /** AEAD_AES_128_GCM key, IV and header-protection key. */
  key: Uint8Array;
  iv: Uint8Array;
  hp: Uint8Array;
}

function hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return createHmac("sha256", salt).update(ikm).digest();
}

/** HKDF-Expand-Label (RFC 8446 section 7.1) with an empty context, for outputs up to 32 bytes. */
function expandLabel(secret: Uint8Array, label: string, len: number): Uint8Array {
  const full = "tls13 " + label;
  // HkdfLabel (length, label, empty context) followed by HKDF-Expand's block counter T(1)
  const info = new Uint8Array(3 + full.length + 2);
  info[0] = len >> 8;
  info[1] = len & 0xff;
  info[2] = full.length;
  for (let i = 0; i < full.length; i++) info[3 + i] = full.charCodeAt(i);
  info[3 + full.length] = 0;
  info[4 + full.length] = 1;
  return createHmac("sha256", secret).update(info).digest().subarray(0, len);
}

/** Keys of the Initial packets sent by the client (`server` false) or the server, for the client's first DCID. */
export function initialKeys(version: number, dcid: Uint8Array, server: boolean): PacketKeys {
  const salt = saltFor(version);
  const initial = hkdfExtract(Buffer.from(salt, "hex"), dcid);
  const secret = expandLabel(initial, server ? "server in" : "client in", 32);
  const v2 = version === QUIC_V2;
  return {
    key: expandLabel(secret, v2 ? "quicv2 key" : "quic key", 16),
    iv: expandLabel(secret, v2 ? "quicv2 iv" : "quic iv", 12),
    hp: expandLabel(secret, v2 ? "quicv2 hp" : "quic hp", 16),
  };
}

/** The 5-byte header-protection mask for a 16-byte ciphertext sample (AES-ECB of the sample). */
export function headerMask(hp: Uint8Array, sample: Uint8Array): Uint8Array {
  const c = createCipheriv("aes-128-ecb", hp, null);
  c.setAutoPadding(false);
  return c.update(sample).subarray(0, 5);
}

function nonce(iv: Uint8Array, pn: number): Uint8Array {
  const n = Uint8Array.from(iv);
  // Packet numbers are below 2^62; the low 53 bits are what a float holds exactly.
  let v = pn;
  for (let i = 11; i >= 4 && v > 0; i--) {
    n[i]! ^= v % 256;
    v = Math.floor(v / 256);
  }
  return n;
}

/** Opens an AEAD_AES_128_GCM payload (ciphertext then 16-byte tag); null if authentication fails. */
export function openPayload(k: PacketKeys, pn: number, header: Uint8Array, sealed: Uint8Array): Uint8Array | null {
  if (sealed.length < 16) return null;
  try {
    const d = createDecipheriv("aes-128-gcm", k.key, nonce(k.iv, pn));
    d.setAAD(header);
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    const a = d.update(sealed.subarray(0, sealed.length - 16));
    const b = d.final();
    return b.length ? Buffer.concat([a, b]) : a;
  } catch {
    return null;
  }
}

/** Seals a payload (the mirror of openPayload): ciphertext followed by the tag. */
export function sealPayload(k: PacketKeys, pn: number, header: Uint8Array, plain: Uint8Array): Uint8Array {
  const c = createCipheriv("aes-128-gcm", k.key, nonce(k.iv, pn));
  c.setAAD(header);
  return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
}

/** Retry Integrity Tag key and nonce (RFC 9001 section 5.8, RFC 9369 section 3.3.3). */
function retryKey(version: number): { key: string; nonce: string } {
  if (version === QUIC_V2) return { key: "8fb4b01b56ac48e260fbcbcead7ccc92", nonce: "d86969bc2d7c6d9990efb04a" };
  if (version >= 0xff00001d && version <= 0xff000020) return { key: "ccce187ed09a09d05728155a6cb96be1", nonce: "e54930f97f2136f0530a8c1c" };
  return { key: "be0c690b9f66575a1d766b54e368c84e", nonce: "461599d35d632bf2239825bb" };
}

/**
 * The tag a server computes over its Retry packet (all of it before the 16-byte tag), with the
 * client's original DCID in front: AES-128-GCM of nothing, with that pseudo-packet as data.
 */
export function retryTag(version: number, odcid: Uint8Array, retryWithoutTag: Uint8Array): Uint8Array {
  const k = retryKey(version);
  const c = createCipheriv("aes-128-gcm", Buffer.from(k.key, "hex"), Buffer.from(k.nonce, "hex"));
  c.setAAD(Buffer.concat([Uint8Array.of(odcid.length), odcid, retryWithoutTag]));
  c.final();
  return c.getAuthTag();
}

/** Whether a Retry packet (with its tag) carries the tag `retryTag` gives. */
export function retryTagValid(version: number, odcid: Uint8Array, retry: Uint8Array): boolean {
  if (retry.length < 16) return false;
  const want = retryTag(version, odcid, retry.subarray(0, retry.length - 16));
  const got = retry.subarray(retry.length - 16);
  for (let i = 0; i < 16; i++) if (want[i] !== got[i]) return false;
  return true;
}
