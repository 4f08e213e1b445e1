// X.500 names as Wireshark 4.0 shows them inside certificates: the x509if Name / RDNSequence /
// RelativeDistinguishedName / AttributeTypeAndValue types, and the x509sat attribute syntaxes
// their values are dissected by (DirectoryString, CountryName, IA5String...), registered by OID.
//   Name ::= CHOICE { rdnSequence RDNSequence }
//   RDNSequence ::= SEQUENCE OF RelativeDistinguishedName
//   RelativeDistinguishedName ::= SET OF AttributeTypeAndDistinguishedValue
//   AttributeTypeAndDistinguishedValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY DEFINED BY type, ... }
// While it walks a name, Wireshark builds its text, RFC 2253 style (last RDN first, "type=value"
// joined by "," and multi-valued RDNs by "+"; the value is the element's bytes as text whatever
// its syntax; an RDN kept to 127 bytes, cut inside a character if need be) and appends it to the
// items: "(id-at-commonName=x)". A certificate's subject name also goes to the certificate's item.
import { FT, registerProtocol, vals, type Field } from "../fields.js";
import type { Node } from "../tree.js";
import {
  ANY, appendBytes, appendText, ber, bitString, boolean, choice, currentParent, generalizedTime, integer, MALFORMED_OID, NOOWNTAG,
  octetString, oid, oidCallback, oidValue, OPTIONAL, registerOid, restrictedString, sequence, sequenceOf, stringText, strlcat, Tag,
  timeLen, timeStart, toBytes, UNI, utcTime, timeEnd, type ChoiceEntry, type SeqEntry,
} from "./ber.js";
import { oidResolved } from "./x509-names.js";

const u32 = FT.UINT32, str = FT.STRING, none = FT.NONE;

export const ifHf = registerProtocol("x509if", "X.509 Information Framework", {
  oid: { abbrev: "x509if.oid", name: "Object Id", type: str, blurb: "Object identifier Id" },
  rdnSequence: { abbrev: "x509if.rdnSequence", name: "rdnSequence", type: u32 },
  RDNSequence_item: { abbrev: "x509if.RDNSequence_item", name: "RDNSequence item", type: u32 },
  RelativeDistinguishedName_item: { abbrev: "x509if.RelativeDistinguishedName_item_element", name: "RelativeDistinguishedName item", type: none },
  primaryDistinguished: { abbrev: "x509if.primaryDistinguished", name: "primaryDistinguished", type: FT.BOOLEAN },
  values: { abbrev: "x509if.values", name: "values", type: u32 },
  DistinguishedName: { abbrev: "x509if.DistinguishedName", name: "DistinguishedName", type: u32 },
});

const DIRECTORY_STRING = vals({ 0: "teletexString", 1: "printableString", 2: "universalString", 3: "bmpString", 4: "uTF8String" });

export const satHf = registerProtocol("x509sat", "X.509 Selected Attribute Types", {
  DirectoryString: { abbrev: "x509sat.DirectoryString", name: "DirectoryString", type: u32, strings: DIRECTORY_STRING },
  teletexString: { abbrev: "x509sat.teletexString", name: "teletexString", type: str },
  printableString: { abbrev: "x509sat.printableString", name: "printableString", type: str },
  universalString: { abbrev: "x509sat.universalString", name: "universalString", type: str },
  bmpString: { abbrev: "x509sat.bmpString", name: "bmpString", type: str },
  uTF8String: { abbrev: "x509sat.uTF8String", name: "uTF8String", type: str },
  CountryName: { abbrev: "x509sat.CountryName", name: "CountryName", type: str },
  PrintableString: { abbrev: "x509sat.PrintableString", name: "PrintableString", type: str },
  IA5String: { abbrev: "x509sat.IA5String", name: "IA5String", type: str },
  UTF8String: { abbrev: "x509sat.UTF8String", name: "UTF8String", type: str },
  BMPString: { abbrev: "x509sat.BMPString", name: "BMPString", type: str },
  NumericString: { abbrev: "x509sat.NumericString", name: "NumericString", type: str },
  TelephoneNumber: { abbrev: "x509sat.TelephoneNumber", name: "TelephoneNumber", type: str },
  X121Address: { abbrev: "x509sat.X121Address", name: "X121Address", type: str },
  InternationalISDNNumber: { abbrev: "x509sat.InternationalISDNNumber", name: "InternationalISDNNumber", type: str },
  DestinationIndicator: { abbrev: "x509sat.DestinationIndicator", name: "DestinationIndicator", type: str },
  GraphicString: { abbrev: "x509sat.GraphicString", name: "GraphicString", type: str },
  ObjectIdentifier: { abbrev: "x509sat.ObjectIdentifier", name: "ObjectIdentifier", type: str },
  OctetString: { abbrev: "x509sat.OctetString", name: "OctetString", type: FT.BYTES },
  BitString: { abbrev: "x509sat.BitString", name: "BitString", type: FT.BYTES },
  Integer: { abbrev: "x509sat.Integer", name: "Integer", type: FT.INT32 },
  Boolean: { abbrev: "x509sat.Boolean", name: "Boolean", type: FT.BOOLEAN },
  GeneralizedTime: { abbrev: "x509sat.GeneralizedTime", name: "GeneralizedTime", type: FT.ABSOLUTE_TIME },
  UTCTime: { abbrev: "x509sat.UTCTime", name: "UTCTime", type: str },
  UniqueIdentifier: { abbrev: "x509sat.UniqueIdentifier", name: "UniqueIdentifier", type: FT.BYTES },
});

/** x509af's own string type for the userid attribute (registered by x509af in Wireshark). */
export const useridHf = { field: null as Field | null };

// ---- the text of a name ----

/** Wireshark keeps the texts in fixed buffers: an RDN's to 127 bytes, a name's to 2559. */
const MAX_RDN = 127;
const MAX_DN = 2559;

/** The name dissected last, as text in bytes (x509if_get_last_dn; see toBytes). */
export let lastDn = "";

export function resetLastDn(): void {
  lastDn = "";
}

let lastRdn: string | null = null;
let dnOneRdn = false;
/** The item a name's text goes to: its rdnSequence item, once an RDN was met (Wireshark's top_of_dn). */
let topOfDn: Node | null = null;
let rdnOneValue = false;
let topOfRdn: Node | null = null;
let avaItem: Node | null = null;

/** Adds to the RDN's text (`s` in bytes). */
function catRdn(s: string): void {
  if (lastRdn !== null) lastRdn = strlcat(lastRdn, s, MAX_RDN);
}

// ---- x509sat syntaxes (each the dissector registered for attribute types by OID) ----

const stringChoice = (value: number, tag: number, f: Field): ChoiceEntry => ({
  value, cls: UNI, tag, flags: NOOWNTAG, f, fn: (impl, o, fl) => restrictedString(impl, tag, o, fl),
});

const DIRECTORY_STRING_CHOICES: ChoiceEntry[] = [
  stringChoice(0, Tag.TeletexString, satHf.teletexString),
  stringChoice(1, Tag.PrintableString, satHf.printableString),
  stringChoice(2, Tag.UniversalString, satHf.universalString),
  stringChoice(3, Tag.BMPString, satHf.bmpString),
  stringChoice(4, Tag.UTF8String, satHf.uTF8String),
];

export function directoryString(o: number, f: Field | null): number {
  return choice(o, DIRECTORY_STRING_CHOICES, f);
}

const str$ = (tag: number, f: Field) => (o: number) => restrictedString(false, tag, o, f);

const DIRECTORY_STRING_OIDS = [
  "2.5.4.2", "2.5.4.3", "2.5.4.4", "2.5.4.7", "2.5.4.7.1", "2.5.4.8", "2.5.4.8.1", "2.5.4.9", "2.5.4.9.1", "2.5.4.10.1", "2.5.4.10",
  "2.5.4.11", "2.5.4.11.1", "2.5.4.12", "2.5.4.13", "2.5.4.15", "2.5.4.17", "2.5.4.17.1", "2.5.4.18", "2.5.4.18.1", "2.5.4.19",
  "2.5.4.19.1", "2.5.4.41", "2.5.4.42", "2.5.4.43", "2.5.4.44", "2.5.4.51", "2.5.4.54", "2.5.4.65",
  "1.2.840.113549.1.9.7", "1.2.840.113549.1.9.8", "1.2.840.113549.1.9.13", "1.3.6.1.5.5.7.9.2",
  "2.16.840.1.113730.3.1.1", "2.16.840.1.113730.3.1.2", "2.16.840.1.113730.3.1.3", "2.16.840.1.113730.3.1.4",
  "2.16.840.1.113730.3.1.39", "2.16.840.1.113730.3.1.241", "1.3.6.1.4.1.311.60.2.1.1", "1.3.6.1.4.1.311.60.2.1.2",
];
const PRINTABLE_OIDS = ["2.5.4.5", "2.5.4.46", "1.3.6.1.5.5.7.9.3", "1.3.6.1.5.5.7.9.4", "1.3.6.1.5.5.7.9.5"];

for (const o of DIRECTORY_STRING_OIDS) registerOid(o, "x509sat", (at) => directoryString(at, satHf.DirectoryString));
for (const o of ["2.5.4.6", "1.3.6.1.4.1.311.60.2.1.3"]) registerOid(o, "x509sat", str$(Tag.PrintableString, satHf.CountryName));
for (const o of PRINTABLE_OIDS) registerOid(o, "x509sat", str$(Tag.PrintableString, satHf.PrintableString));
for (const o of ["2.5.4.20", "2.5.4.20.1"]) registerOid(o, "x509sat", str$(Tag.PrintableString, satHf.TelephoneNumber));
registerOid("2.5.4.24", "x509sat", str$(Tag.NumericString, satHf.X121Address));
for (const o of ["2.5.4.25", "2.5.4.25.1"]) registerOid(o, "x509sat", str$(Tag.NumericString, satHf.InternationalISDNNumber));
registerOid("2.5.4.27", "x509sat", str$(Tag.PrintableString, satHf.DestinationIndicator));
for (const o of ["1.2.840.113549.1.9.1", "0.9.2342.19200300.100.1.25"]) registerOid(o, "x509sat", str$(Tag.IA5String, satHf.IA5String));
for (const o of ["1.2.840.113549.1.9.20", "1.3.6.1.4.1.311.20.2", "1.3.6.1.4.1.311.17.1"]) registerOid(o, "x509sat", str$(Tag.BMPString, satHf.BMPString));
registerOid("1.3.6.1.4.1.311.20.2.3", "x509sat", str$(Tag.UTF8String, satHf.UTF8String));
for (const o of ["2.5.4.0", "2.5.4.30", "2.5.4.52", "2.5.4.56", "2.5.4.66", "2.5.4.67"]) registerOid(o, "x509sat", (at) => oid(false, at, satHf.ObjectIdentifier));
for (const o of ["2.5.4.35", "1.2.840.113549.1.9.21", "1.3.6.1.4.1.311.21.2"]) registerOid(o, "x509sat", (at) => octetString(false, at, satHf.OctetString));
for (const o of ["1.3.6.1.4.1.311.21.1", "1.3.6.1.4.1.311.21.3"]) registerOid(o, "x509sat", (at) => integer(false, at, satHf.Integer));
registerOid("2.5.4.45", "x509sat", (at) => bitString(false, at, satHf.UniqueIdentifier));
for (const o of ["1.3.6.1.5.5.7.9.1"]) registerOid(o, "x509sat", (at) => generalizedTime(false, at, satHf.GeneralizedTime));
registerOid("1.3.6.1.4.1.311.21.4", "x509sat", (at) => {
  const s = utcTime(false, at, null);
  if (s !== null) {
    ber.t.str(satHf.UTCTime, timeStart, timeLen, (s.charCodeAt(0) < 0x35 ? "20" : "19") + s);
    ber.items++;
  }
  return timeEnd;
});
// RFC 1274's userid: x509af registers it, as a UTF8String.
registerOid("0.9.2342.19200300.100.1.1", "x509af", (at) => restrictedString(false, Tag.UTF8String, at, useridHf.field));

// ---- x509if ----

function attributeType(impl: boolean, o: number, f: Field | null): number {
  const r = oid(impl, o, f);
  ber.ref = oidValue;
  if (oidValue !== null && lastRdn !== null) {
    const name = oidValue ? oidResolved(oidValue) : MALFORMED_OID;
    catRdn(name);
    catRdn("=");
    appendText(avaItem, ` (${name}=`);
  }
  return r;
}

function attributeValue(impl: boolean, o: number, f: Field | null): number {
  void impl, f;
  const ref = ber.ref;
  const r = oidCallback(ref, o);
  ber.ref = ref;
  // The value's bytes as text, whatever its syntax, when it is any kind of string.
  const t = ber.t;
  if (lastRdn !== null && inspectString(o)) {
    const value = stringText(sA, sB);
    catRdn(toBytes(value));
    if (t.full) appendText(avaItem, `${value})`);
  }
  return r;
}

/** Where the bytes of the string inspectString() found start and end (captured bytes only). */
let sA = -1, sB = -1;

/**
 * Whether the element at `o` is a primitive string Wireshark would read as an OCTET STRING (its
 * bytes then in sA/sB), found without adding anything to the tree.
 */
function inspectString(o: number): boolean {
  const t = ber.t, d = t.d;
  if (!t.avail(o, 2)) return false;
  let q = o;
  const id = d[q++]!;
  const cls = id >> 6, pc = (id & 0x20) !== 0;
  let tag = id & 0x1f;
  if (tag === 0x1f) {
    tag = 0;
    while (q < t.cap) {
      const b = d[q++]!;
      tag = ((tag << 7) | (b & 0x7f)) | 0;
      if (!(b & 0x80)) break;
    }
  }
  if (cls !== 1 && cls !== 3 && (cls !== 0 || (tag < Tag.NumericString && tag !== Tag.OCTETSTRING && tag !== Tag.UTF8String))) return false;
  if (pc || q >= t.cap) return false;
  let len = d[q++]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) return false;
    len = 0;
    for (let i = 0; i < n; i++) {
      if (q >= t.cap) return false;
      len = (len * 256 + d[q++]!) % 0x100000000;
    }
  }
  sA = q;
  sB = q + Math.max(0, Math.min(len, t.cap - q));
  return true;
}

const AVA: SeqEntry[] = [
  { cls: UNI, tag: Tag.OID, flags: NOOWNTAG, f: ifHf.oid, fn: attributeType },
  { cls: ANY, tag: -1, flags: NOOWNTAG, f: null, fn: attributeValue },
  { cls: UNI, tag: Tag.BOOLEAN, flags: OPTIONAL | NOOWNTAG, f: ifHf.primaryDistinguished, fn: boolean },
];

function ava(impl: boolean, o: number, f: Field | null): number {
  // The first value's RDN item gets the text (until then the item around the RDN would).
  if (!rdnOneValue) topOfRdn = currentParent();
  else catRdn("+");
  const r = sequence(impl, o, AVA, f, (n) => (avaItem = n));
  rdnOneValue = true;
  return r;
}

// x509if Attribute: SEQUENCE { type, values SET OF AttributeValue } (the values by the type's OID).
function plainAttributeType(impl: boolean, o: number, f: Field | null): number {
  const r = oid(impl, o, f);
  ber.ref = oidValue;
  return r;
}
function plainAttributeValue(impl: boolean, o: number, f: Field | null): number {
  void impl, f;
  const ref = ber.ref;
  const r = oidCallback(ref, o);
  ber.ref = ref;
  return r;
}
const ATTRIBUTE_VALUE_ITEM: SeqEntry = { cls: ANY, tag: -1, flags: NOOWNTAG, f: null, fn: plainAttributeValue };
const ATTRIBUTE: SeqEntry[] = [
  { cls: UNI, tag: Tag.OID, flags: NOOWNTAG, f: ifHf.oid, fn: plainAttributeType },
  { cls: UNI, tag: Tag.SET, flags: NOOWNTAG, f: ifHf.values, fn: (impl, o, f) => sequenceOf(impl, o, true, ATTRIBUTE_VALUE_ITEM, f) },
];

export function attribute(impl: boolean, o: number, f: Field | null): number {
  return sequence(impl, o, ATTRIBUTE, f);
}

const RDN_ITEM: SeqEntry = { cls: UNI, tag: Tag.SEQUENCE, flags: NOOWNTAG, f: ifHf.RelativeDistinguishedName_item, fn: ava };

/** RelativeDistinguishedName: a SET OF attribute values, labelled with its text. */
export function relativeDistinguishedName(impl: boolean, o: number, f: Field | null): number {
  rdnOneValue = false;
  topOfRdn = currentParent();
  lastRdn = "";
  const r = sequenceOf(impl, o, true, RDN_ITEM, f);
  const rdn = lastRdn ?? "";
  appendBytes(topOfRdn, ` (${rdn})`);
  lastDn = lastDn ? strlcat("", `${rdn},${lastDn}`, MAX_DN) : strlcat(lastDn, rdn, MAX_DN);
  lastRdn = null;
  return r;
}

/** An RDN of an RDNSequence: the first records where the name's text goes. */
function rdnSequenceItem(impl: boolean, o: number, f: Field | null): number {
  if (!dnOneRdn) {
    topOfDn = currentParent();
    dnOneRdn = true;
  }
  return relativeDistinguishedName(impl, o, f);
}

const RDN_SEQUENCE_ITEM: SeqEntry = { cls: UNI, tag: Tag.SET, flags: NOOWNTAG, f: ifHf.RDNSequence_item, fn: rdnSequenceItem };

/**
 * RDNSequence: the RDNs under a "N items (text)" item. As in Wireshark the text's state is shared:
 * a name inside a name's value takes the outer one's place.
 */
export function rdnSequence(impl: boolean, o: number, f: Field | null): number {
  lastDn = "";
  dnOneRdn = false;
  topOfDn = null;
  const r = sequenceOf(impl, o, false, RDN_SEQUENCE_ITEM, f);
  appendBytes(topOfDn, ` (${lastDn})`);
  return r;
}

// Attribute types whose values are names (x509if registers them as DistinguishedName).
for (const id of ["2.5.4.1", "2.5.4.31", "2.5.4.32", "2.5.4.33", "2.5.4.34", "2.5.4.49", "2.5.18.3", "2.5.18.4", "2.5.18.10", "2.5.18.11", "2.5.18.12", "2.5.18.13"]) {
  registerOid(id, "x509if", (at) => rdnSequence(false, at, ifHf.DistinguishedName));
}

const NAME_CHOICES = (f: Field): ChoiceEntry[] => [{ value: 0, cls: UNI, tag: Tag.SEQUENCE, flags: NOOWNTAG, f, fn: rdnSequence }];
const NAME_IF = NAME_CHOICES(ifHf.rdnSequence);

/** x509if Name: CHOICE { rdnSequence }, as field `f` (issuer, directoryName...). */
export function name(impl: boolean, o: number, f: Field | null): number {
  void impl;
  return choice(o, NAME_IF, f);
}

/** A Name whose rdnSequence is another field (x509af's SubjectName). */
export function nameWith(rdnField: Field): (o: number, f: Field | null) => number {
  const choices = NAME_CHOICES(rdnField);
  return (o, f) => choice(o, choices, f);
}

