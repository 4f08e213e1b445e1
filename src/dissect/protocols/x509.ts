// X.509 certificates (RFC 5280) as Wireshark 4.0's x509af dissector shows them: the TLS
// Certificate message's certificates and the RPKI Router Key's SubjectPublicKeyInfo call in here.
//   Certificate ::= SEQUENCE { signedCertificate TBSCertificate, algorithmIdentifier AlgorithmIdentifier,
//                              encrypted BIT STRING }
//   TBSCertificate ::= SEQUENCE { version [0] Version DEFAULT v1, serialNumber INTEGER, signature
//                      AlgorithmIdentifier, issuer Name, validity Validity, subject Name,
//                      subjectPublicKeyInfo SubjectPublicKeyInfo, issuerUniqueIdentifier [1] IMPLICIT
//                      BIT STRING OPTIONAL, subjectUniqueIdentifier [2] IMPLICIT ..., extensions [3] Extensions OPTIONAL }
//   AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY DEFINED BY algorithm OPTIONAL }
//   Extension ::= SEQUENCE { extnId OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
// The subject's name is appended to the certificate's item ("Certificate: 3082… (id-at-commonName=x)").
// An RSA key is decoded as PKCS#1's RSAPublicKey (under the subjectPublicKey item, without the BIT
// STRING's padding item, as 4.0 does); other keys are shown as the BIT STRING they are. Algorithm
// parameters and extension values go to what is registered for their OID (x509ce.ts, pkcs-1 here);
// without one, the extension shows "BER: Dissector for OID not implemented" as in tshark.
// All of it runs only when a detail tree or a field it provides is wanted: otherwise a certificate
// costs its TLV header (the item tls.handshake.certificate spans the DER SEQUENCE, as in tshark),
// so a summary flags a certificate malformed only when its outer length lies.
// Wireshark's FT_OID fields (x509af.algorithm.id, x509if.oid...) are FT_STRING fields here holding
// the dotted OID, which is what tshark exports for them; the label adds the name as tshark's does.
import { allFields, FT, registerProtocol, vals, type Field } from "../fields.js";
import type { Packet } from "../packet.js";
import type { Node, Tree } from "../tree.js";
import { ws } from "../ws.js";
import {
  ANY, appendBytes, appendText, ber, berBegin, bitString, boolean, choice, CON, generalizedTime, identifier, IMPLTAG, integer, length,
  MALFORMED_OID, NOOWNTAG, NOTCHKTAG, octetString, oid, oidCallback, oidValue, OPTIONAL, registerOid, sequence, sequenceOf, Tag,
  timeEnd, timeLen, timeStart, UNI, utcTime, type ChoiceEntry, type SeqEntry,
} from "./ber.js";
import { hf as frameHf } from "./frame.js";
import { name, nameWith, lastDn, resetLastDn, useridHf } from "./x509if.js";
import { oidResolved } from "./x509-names.js";
import "./x509ce.js";

const u32 = FT.UINT32, str = FT.STRING, none = FT.NONE, bytes = FT.BYTES;
const NAME_CHOICE = vals({ 0: "rdnSequence" });
const TIME_CHOICE = vals({ 0: "utcTime", 1: "generalizedTime" });

export const afHf = registerProtocol("x509af", "X.509 Authentication Framework", {
  algorithm_id: { abbrev: "x509af.algorithm.id", name: "Algorithm Id", type: str },
  extension_id: { abbrev: "x509af.extension.id", name: "Extension Id", type: str },
  signedCertificate: { abbrev: "x509af.signedCertificate_element", name: "signedCertificate", type: none },
  version: { abbrev: "x509af.version", name: "version", type: FT.INT32, strings: vals({ 0: "v1", 1: "v2", 2: "v3" }) },
  serialNumber: { abbrev: "x509af.serialNumber", name: "serialNumber", type: bytes, blurb: "CertificateSerialNumber" },
  signature: { abbrev: "x509af.signature_element", name: "signature", type: none, blurb: "AlgorithmIdentifier" },
  issuer: { abbrev: "x509af.issuer", name: "issuer", type: u32, strings: NAME_CHOICE, blurb: "Name" },
  validity: { abbrev: "x509af.validity_element", name: "validity", type: none },
  subject: { abbrev: "x509af.subject", name: "subject", type: u32, strings: NAME_CHOICE, blurb: "SubjectName" },
  subjectPublicKeyInfo: { abbrev: "x509af.subjectPublicKeyInfo_element", name: "subjectPublicKeyInfo", type: none },
  issuerUniqueIdentifier: { abbrev: "x509af.issuerUniqueIdentifier", name: "issuerUniqueIdentifier", type: bytes, blurb: "UniqueIdentifier" },
  subjectUniqueIdentifier: { abbrev: "x509af.subjectUniqueIdentifier", name: "subjectUniqueIdentifier", type: bytes, blurb: "UniqueIdentifier" },
  extensions: { abbrev: "x509af.extensions", name: "extensions", type: u32 },
  algorithmIdentifier: { abbrev: "x509af.algorithmIdentifier_element", name: "algorithmIdentifier", type: none },
  encrypted: { abbrev: "x509af.encrypted", name: "encrypted", type: bytes, blurb: "BIT_STRING" },
  rdnSequence: { abbrev: "x509af.rdnSequence", name: "rdnSequence", type: u32 },
  notBefore: { abbrev: "x509af.notBefore", name: "notBefore", type: u32, strings: TIME_CHOICE },
  notAfter: { abbrev: "x509af.notAfter", name: "notAfter", type: u32, strings: TIME_CHOICE },
  algorithm: { abbrev: "x509af.algorithm_element", name: "algorithm", type: none },
  subjectPublicKey: { abbrev: "x509af.subjectPublicKey", name: "subjectPublicKey", type: bytes },
  utcTime: { abbrev: "x509af.utcTime", name: "utcTime", type: str },
  generalizedTime: { abbrev: "x509af.generalizedTime", name: "generalizedTime", type: FT.ABSOLUTE_TIME },
  Extension: { abbrev: "x509af.Extension_element", name: "Extension", type: none },
  critical: { abbrev: "x509af.critical", name: "critical", type: FT.BOOLEAN },
  Userid: { abbrev: "x509af.Userid", name: "Userid", type: str },
  DSS_Params: { abbrev: "x509af.DSS_Params_element", name: "DSS-Params", type: none },
  p: { abbrev: "x509af.p", name: "p", type: bytes },
  q: { abbrev: "x509af.q", name: "q", type: bytes },
  g: { abbrev: "x509af.g", name: "g", type: bytes },
});
useridHf.field = afHf.Userid;

const EC_PARAMETERS = vals({ 0: "specifiedCurve", 1: "namedCurve" });

export const pkcs1Hf = registerProtocol("pkcs-1", "PKCS#1", {
  modulus: { abbrev: "pkcs1.modulus", name: "modulus", type: bytes, blurb: "INTEGER" },
  publicExponent: { abbrev: "pkcs1.publicExponent", name: "publicExponent", type: FT.INT32, blurb: "INTEGER" },
  ECParameters: { abbrev: "pkcs1.ECParameters", name: "ECParameters", type: u32, strings: EC_PARAMETERS },
  namedCurve: { abbrev: "pkcs1.namedCurve", name: "namedCurve", type: str, blurb: "OBJECT_IDENTIFIER" },
  RSASSA_PSS_params: { abbrev: "pkcs1.RSASSA_PSS_params_element", name: "RSASSA-PSS-params", type: none },
  hashAlgorithm: { abbrev: "pkcs1.hashAlgorithm_element", name: "hashAlgorithm", type: none },
  maskGenAlgorithm: { abbrev: "pkcs1.maskGenAlgorithm_element", name: "maskGenAlgorithm", type: none },
  saltLength: { abbrev: "pkcs1.saltLength", name: "saltLength", type: FT.INT32, blurb: "INTEGER" },
  trailerField: { abbrev: "pkcs1.trailerField", name: "trailerField", type: FT.INT32, blurb: "INTEGER" },
  HashAlgorithm: { abbrev: "pkcs1.HashAlgorithm_element", name: "HashAlgorithm", type: none },
  specifiedCurve: { abbrev: "pkcs1.specifiedCurve_element", name: "specifiedCurve", type: none, blurb: "SpecifiedECDomain" },
  version: { abbrev: "pkcs1.version", name: "version", type: FT.INT32, strings: vals({ 1: "ecpVer1" }), blurb: "ECPVer" },
  fieldID: { abbrev: "pkcs1.fieldID_element", name: "fieldID", type: none },
  fieldType: { abbrev: "pkcs1.fieldType", name: "fieldType", type: str },
  curve: { abbrev: "pkcs1.curve_element", name: "curve", type: none },
  a: { abbrev: "pkcs1.a", name: "a", type: bytes, blurb: "FieldElement" },
  b: { abbrev: "pkcs1.b", name: "b", type: bytes, blurb: "FieldElement" },
  seed: { abbrev: "pkcs1.seed", name: "seed", type: bytes, blurb: "BIT_STRING" },
  base: { abbrev: "pkcs1.base", name: "base", type: bytes, blurb: "ECPoint" },
  order: { abbrev: "pkcs1.order", name: "order", type: FT.INT32, blurb: "INTEGER" },
  cofactor: { abbrev: "pkcs1.cofactor", name: "cofactor", type: FT.INT32, blurb: "INTEGER" },
  Prime_p: { abbrev: "pkcs1.Prime_p", name: "Prime-p", type: FT.INT32 },
});

// ---- AlgorithmIdentifier ----

const RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
/** The OID of the AlgorithmIdentifier dissected last (x509af's algorithm_id: picks the key's decoding). */
let algorithmId: string | null = null;
/** The AlgorithmIdentifier being dissected: its algorithm's name is appended to it. */
let algItem: Node | null = null;

function algorithmOid(impl: boolean, o: number, f: Field | null): number {
  const r = oid(impl, o, f);
  ber.ref = oidValue;
  algorithmId = oidValue;
  if (oidValue !== null && ber.t.full) appendText(algItem, ` (${oidValue ? oidResolved(oidValue) : MALFORMED_OID})`);
  return r;
}

function algorithmParameters(impl: boolean, o: number, f: Field | null): number {
  void impl, f;
  return oidCallback(ber.ref, o);
}

const ALGORITHM_IDENTIFIER: SeqEntry[] = [
  { cls: UNI, tag: Tag.OID, flags: NOOWNTAG, f: afHf.algorithm_id, fn: algorithmOid },
  { cls: ANY, tag: 0, flags: OPTIONAL | NOOWNTAG, f: null, fn: algorithmParameters },
];

export function algorithmIdentifier(impl: boolean, o: number, f: Field | null): number {
  const saved = algItem;
  try {
    return sequence(impl, o, ALGORITHM_IDENTIFIER, f, (n) => (algItem = n));
  } finally {
    algItem = saved;
  }
}

// The parameters tshark knows by algorithm: none for the signature algorithms (a callback that
// swallows them), a named curve for EC keys, RSASSA-PSS parameters, DSA domain parameters.
for (const o of [
  "1.2.840.10045.4.1", "1.2.840.10045.4.3.1", "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4", RSA_ENCRYPTION,
  "1.2.840.113549.1.1.2", "1.2.840.113549.1.1.3", "1.2.840.113549.1.1.4", "1.2.840.113549.1.1.5", "1.2.840.113549.1.1.6",
  "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13", "1.2.840.113549.1.1.14", "1.2.840.113549.1.9.16.3.6",
  "1.2.840.113549.2.2", "1.2.840.113549.2.4", "1.2.840.113549.2.5", "1.3.14.3.2.2", "1.3.14.3.2.3", "1.3.14.3.2.4", "1.3.14.3.2.6",
  "1.3.14.3.2.11", "1.3.14.3.2.14", "1.3.14.3.2.15", "1.3.14.3.2.16", "1.3.14.3.2.17", "1.3.14.3.2.18", "1.3.14.3.2.19", "1.3.14.3.2.20",
  "1.3.14.3.2.21", "1.3.14.3.2.22", "1.3.14.3.2.23", "1.3.14.3.2.24", "1.3.14.3.2.25", "1.3.14.3.2.26", "1.3.14.3.2.27", "1.3.14.3.2.28",
  "1.3.14.3.2.29", "2.16.840.1.101.3.4.3.1", "2.16.840.1.101.3.4.3.2",
]) registerOid(o, null, (at) => ber.t.cap);

// SpecifiedECDomain (RFC 3279): explicit curve parameters.
function fieldType(impl: boolean, o: number, f: Field | null): number {
  const r = oid(impl, o, f);
  ber.ref = oidValue;
  return r;
}
const FIELD_ID: SeqEntry[] = [
  { cls: UNI, tag: Tag.OID, flags: NOOWNTAG, f: pkcs1Hf.fieldType, fn: fieldType },
  { cls: ANY, tag: 0, flags: NOOWNTAG, f: null, fn: (impl, o) => (void impl, oidCallback(ber.ref, o)) },
];
const CURVE: SeqEntry[] = [
  { cls: UNI, tag: Tag.OCTETSTRING, flags: NOOWNTAG, f: pkcs1Hf.a, fn: octetString },
  { cls: UNI, tag: Tag.OCTETSTRING, flags: NOOWNTAG, f: pkcs1Hf.b, fn: octetString },
  { cls: UNI, tag: Tag.BITSTRING, flags: OPTIONAL | NOOWNTAG, f: pkcs1Hf.seed, fn: bitString },
];
const SPECIFIED_EC_DOMAIN: SeqEntry[] = [
  { cls: UNI, tag: Tag.INTEGER, flags: NOOWNTAG, f: pkcs1Hf.version, fn: integer },
  { cls: UNI, tag: Tag.SEQUENCE, flags: NOOWNTAG, f: pkcs1Hf.fieldID, fn: (impl, o, f) => sequence(impl, o, FIELD_ID, f) },
  { cls: UNI, tag: Tag.SEQUENCE, flags: NOOWNTAG, f: pkcs1Hf.curve, fn: (impl, o, f) => sequence(impl, o, CURVE, f) },
  { cls: UNI, tag: Tag.OCTETSTRING, flags: NOOWNTAG, f: pkcs1Hf.base, fn: octetString },
  { cls: UNI, tag: Tag.INTEGER, flags: NOOWNTAG, f: pkcs1Hf.order, fn: integer },
  { cls: UNI, tag: Tag.INTEGER, flags: OPTIONAL | NOOWNTAG, f: pkcs1Hf.cofactor, fn: integer },
];
registerOid("1.2.840.10045.1.1", "pkcs-1", (at) => integer(false, at, pkcs1Hf.Prime_p));

const EC_CHOICES: ChoiceEntry[] = [
  { value: 0, cls: UNI, tag: Tag.SEQUENCE, flags: NOOWNTAG, f: pkcs1Hf.specifiedCurve, fn: (impl, o, f) => sequence(impl, o, SPECIFIED_EC_DOMAIN, f) },
  { value: 1, cls: UNI, tag: Tag.OID, flags: NOOWNTAG, f: pkcs1Hf.namedCurve, fn: oid },
];
registerOid("1.2.840.10045.2.1", "pkcs-1", (at) => choice(at, EC_CHOICES, pkcs1Hf.ECParameters));

const PSS_PARAMS: SeqEntry[] = [
  { cls: CON, tag: 0, flags: OPTIONAL, f: pkcs1Hf.hashAlgorithm, fn: algorithmIdentifier },
  { cls: CON, tag: 1, flags: OPTIONAL, f: pkcs1Hf.maskGenAlgorithm, fn: algorithmIdentifier },
  { cls: CON, tag: 2, flags: OPTIONAL, f: pkcs1Hf.saltLength, fn: integer },
  { cls: CON, tag: 3, flags: OPTIONAL, f: pkcs1Hf.trailerField, fn: integer },
];
registerOid("1.2.840.113549.1.1.10", "pkcs-1", (at) => sequence(false, at, PSS_PARAMS, pkcs1Hf.RSASSA_PSS_params));
registerOid("1.2.840.113549.1.1.8", "pkcs-1", (at) => algorithmIdentifier(false, at, pkcs1Hf.HashAlgorithm));

const DSS_PARAMS: SeqEntry[] = [
  { cls: UNI, tag: Tag.INTEGER, flags: NOOWNTAG, f: afHf.p, fn: integer },
  { cls: UNI, tag: Tag.INTEGER, flags: NOOWNTAG, f: afHf.q, fn: integer },
  { cls: UNI, tag: Tag.INTEGER, flags: NOOWNTAG, f: afHf.g, fn: integer },
];
registerOid("1.2.840.10040.4.1", "x509af", (at) => sequence(false, at, DSS_PARAMS, afHf.DSS_Params));

// ---- SubjectPublicKeyInfo ----

const RSA_PUBLIC_KEY: SeqEntry[] = [
  { cls: UNI, tag: Tag.INTEGER, flags: NOOWNTAG, f: pkcs1Hf.modulus, fn: integer },
  { cls: UNI, tag: Tag.INTEGER, flags: NOOWNTAG, f: pkcs1Hf.publicExponent, fn: integer },
];

/**
 * The key: an RSA key as its RSAPublicKey (the item spans that SEQUENCE), any other as a BIT
 * STRING. As Wireshark, the BIT STRING is first read without a tree for its bytes, so bits that
 * run past the data fail before anything is shown.
 */
function subjectPublicKey(impl: boolean, o: number, f: Field | null): number {
  const t = ber.t, d = t.d;
  const q = length(identifier(o));
  const cls = ber.cls, tag = ber.tag, pc = ber.pc, len = ber.len;
  let bits = -1, bitsLen = 0;
  if ((cls === 1 || (cls === UNI && tag === Tag.BITSTRING)) && len > 0 && !pc) {
    t.check(q, 1);
    if (d[q] === 0 && len === 1) {
      bits = q;
      bitsLen = 1;
    } else {
      bits = q + 1;
      bitsLen = len - 1;
    }
    t.check(bits, bitsLen);
  }
  if (bits >= 0 && algorithmId === RSA_ENCRYPTION) {
    t.enter(Math.min(t.rep, bits + bitsLen));
    try {
      sequence(false, bits, RSA_PUBLIC_KEY, f);
    } finally {
      t.leave();
    }
    return q + len;
  }
  return bitString(impl, o, f);
}

const SUBJECT_PUBLIC_KEY_INFO: SeqEntry[] = [
  { cls: UNI, tag: Tag.SEQUENCE, flags: NOOWNTAG, f: afHf.algorithm, fn: algorithmIdentifier },
  { cls: UNI, tag: Tag.BITSTRING, flags: NOOWNTAG, f: afHf.subjectPublicKey, fn: subjectPublicKey },
];

function subjectPublicKeyInfoSeq(impl: boolean, o: number, f: Field | null): number {
  return sequence(impl, o, SUBJECT_PUBLIC_KEY_INFO, f);
}

// ---- Validity ----

function utcTimeField(impl: boolean, o: number, f: Field | null): number {
  const s = utcTime(impl, o, f);
  // The two-digit year is 1950..2049 (RFC 5280 4.1.2.5.1).
  if (s !== null && f !== null) ber.t.str(f, timeStart, timeLen, (s.charCodeAt(0) < 0x35 ? "20" : "19") + s);
  return timeEnd;
}

const TIME: ChoiceEntry[] = [
  { value: 0, cls: UNI, tag: Tag.UTCTime, flags: NOOWNTAG, f: afHf.utcTime, fn: utcTimeField },
  { value: 1, cls: UNI, tag: Tag.GeneralizedTime, flags: NOOWNTAG, f: afHf.generalizedTime, fn: generalizedTime },
];

const time = (impl: boolean, o: number, f: Field | null) => (void impl, choice(o, TIME, f));

const VALIDITY: SeqEntry[] = [
  { cls: ANY, tag: -1, flags: NOOWNTAG | NOTCHKTAG, f: afHf.notBefore, fn: time },
  { cls: ANY, tag: -1, flags: NOOWNTAG | NOTCHKTAG, f: afHf.notAfter, fn: time },
];

// ---- Extensions ----

function extnId(impl: boolean, o: number, f: Field | null): number {
  const r = oid(impl, o, f);
  ber.ref = oidValue;
  if (oidValue !== null && ber.t.full) appendText(extItem, ` (${oidValue ? oidResolved(oidValue) : MALFORMED_OID})`);
  return r;
}

/** extnValue: past the OCTET STRING's tag and length, the value by the extension's OID. */
function extnValue(impl: boolean, o: number, f: Field | null): number {
  void impl, f;
  const q = length(identifier(o));
  return oidCallback(ber.ref, q);
}

let extItem: Node | null = null;

const EXTENSION: SeqEntry[] = [
  { cls: UNI, tag: Tag.OID, flags: NOOWNTAG, f: afHf.extension_id, fn: extnId },
  { cls: UNI, tag: Tag.BOOLEAN, flags: OPTIONAL | NOOWNTAG, f: afHf.critical, fn: boolean },
  { cls: UNI, tag: Tag.OCTETSTRING, flags: NOOWNTAG, f: null, fn: extnValue },
];

function extension(impl: boolean, o: number, f: Field | null): number {
  return sequence(impl, o, EXTENSION, f, (n) => (extItem = n));
}

const EXTENSION_ITEM: SeqEntry = { cls: UNI, tag: Tag.SEQUENCE, flags: NOOWNTAG, f: afHf.Extension, fn: extension };

function extensions(impl: boolean, o: number, f: Field | null): number {
  return sequenceOf(impl, o, false, EXTENSION_ITEM, f);
}

// ---- Certificate ----

let dnSerial = -1;

/** The certificate's own item (the subject's name is appended to it). */
let certItem: Node | null = null;

const subjectChoice = nameWith(afHf.rdnSequence);

function subjectName(impl: boolean, o: number, f: Field | null): number {
  void impl;
  const r = subjectChoice(o, f);
  appendBytes(certItem, ` (${lastDn})`);
  return r;
}

const issuerName = (impl: boolean, o: number, f: Field | null) => name(impl, o, f);

const TBS_CERTIFICATE: SeqEntry[] = [
  { cls: CON, tag: 0, flags: OPTIONAL, f: afHf.version, fn: integer },
  { cls: UNI, tag: Tag.INTEGER, flags: NOOWNTAG, f: afHf.serialNumber, fn: integer },
  { cls: UNI, tag: Tag.SEQUENCE, flags: NOOWNTAG, f: afHf.signature, fn: algorithmIdentifier },
  { cls: ANY, tag: -1, flags: NOOWNTAG | NOTCHKTAG, f: afHf.issuer, fn: issuerName },
  { cls: UNI, tag: Tag.SEQUENCE, flags: NOOWNTAG, f: afHf.validity, fn: (impl, o, f) => sequence(impl, o, VALIDITY, f) },
  { cls: ANY, tag: -1, flags: NOOWNTAG | NOTCHKTAG, f: afHf.subject, fn: subjectName },
  { cls: UNI, tag: Tag.SEQUENCE, flags: NOOWNTAG, f: afHf.subjectPublicKeyInfo, fn: subjectPublicKeyInfoSeq },
  { cls: CON, tag: 1, flags: OPTIONAL | IMPLTAG, f: afHf.issuerUniqueIdentifier, fn: bitString },
  { cls: CON, tag: 2, flags: OPTIONAL | IMPLTAG, f: afHf.subjectUniqueIdentifier, fn: bitString },
  { cls: CON, tag: 3, flags: OPTIONAL, f: afHf.extensions, fn: extensions },
];

const CERTIFICATE: SeqEntry[] = [
  { cls: UNI, tag: Tag.SEQUENCE, flags: NOOWNTAG, f: afHf.signedCertificate, fn: (impl, o, f) => sequence(impl, o, TBS_CERTIFICATE, f) },
  { cls: UNI, tag: Tag.SEQUENCE, flags: NOOWNTAG, f: afHf.algorithmIdentifier, fn: algorithmIdentifier },
  { cls: UNI, tag: Tag.BITSTRING, flags: NOOWNTAG, f: afHf.encrypted, fn: bitString },
];

// ---- when to decode ----

const PROTOCOLS = new Set(["ber", "x509af", "x509if", "x509sat", "x509ce", "pkix1explicit", "pkix1implicit", "pkcs-1", "ns_cert_exts", "ocsp"]);
let watched: Field[] | null = null;
const active = new WeakMap<Tree, boolean>();

/**
 * Whether certificates are decoded in this run: a detail tree, or any field they provide (or
 * frame.protocols, which lists x509sat, x509ce...; or the expert infos) asked for.
 */
export function x509Active(t: Tree): boolean {
  let a = active.get(t);
  if (a === undefined) {
    watched ??= allFields().filter((f) => {
      const p = f.proto?.abbrev ?? f.abbrev;
      return PROTOCOLS.has(p) || p === "_ws.string" || f.abbrev.startsWith("tls.sct.") || f.abbrev.startsWith("tls.malformed.") ||
        f.abbrev.startsWith("tls.handshake.sig_hash_") || f.abbrev.startsWith("_ws.expert") || f === frameHf.protocols || f === ws.malformed;
    });
    a = t.full || watched.some((f) => t.wants(f));
    active.set(t, a);
  }
  return a;
}

/**
 * Without decoding: the TLV at `o` as item `f` over its bytes, added as the decoding adds it
 * (an FT_NONE item whatever its length, bytes only when there); returns the offset after it.
 */
function outerOnly(p: Packet, t: Tree, o: number, f: Field): number {
  berBegin(p, t);
  const q = length(identifier(o));
  const len = ber.len;
  if (f.type === FT.NONE) {
    // The decoding would fail reading past the data; a summary fails here instead.
    t.check(o, q + len - o);
    t.none(f, o, q + len - o);
  } else t.bytes(f, o, q + len - o);
  return q + len;
}

/**
 * An X.509 certificate at `o` as item `f` (tls.handshake.certificate): the whole x509af tree under
 * it when decoding is on. Returns the offset after the certificate's SEQUENCE.
 */
export function x509Certificate(p: Packet, t: Tree, o: number, f: Field): number {
  if (!x509Active(t)) return outerOnly(p, t, o, f);
  berBegin(p, t);
  // The last name's text lives as long as the packet (a later certificate without a subject shows it).
  if (dnSerial !== t.serial) {
    dnSerial = t.serial;
    resetLastDn();
  }
  algorithmId = null;
  certItem = null;
  try {
    return sequence(false, o, CERTIFICATE, f, (n) => (certItem = n));
  } finally {
    certItem = null;
  }
}

/** A SubjectPublicKeyInfo at `o` as item `f` (the RPKI Router Key's). Returns the offset after it. */
export function x509SubjectPublicKeyInfo(p: Packet, t: Tree, o: number, f: Field): number {
  if (!x509Active(t)) return outerOnly(p, t, o, f);
  berBegin(p, t);
  algorithmId = null;
  certItem = null;
  return subjectPublicKeyInfoSeq(false, o, f);
}
