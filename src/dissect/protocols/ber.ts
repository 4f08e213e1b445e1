// ASN.1 BER (X.690) as Wireshark 4.0's packet-ber.c walks it, for the X.509 dissectors: a TLV
// reader over the frame's bytes, and the generic helpers asn2wrs-generated code calls (SEQUENCE
// and SEQUENCE OF tables, CHOICE, INTEGER, BOOLEAN, OBJECT IDENTIFIER, strings, BIT STRING, NULL,
// UTCTime and GeneralizedTime, and the OID-registered dissectors behind ANY).
//   identifier: class (2 bits) | constructed (1) | tag (5, or 0x1f then base-128 bytes)
//   length:     < 0x80 itself | 0x80 + n, then n bytes (definite) | 0x80 (indefinite, up to an EOC)
// Wireshark dissects each field of a constructed type in a sub-buffer cut to the field's declared
// length (never past its parent's): here that is the Tree's bounds (enter/leave), so a read past
// a field is malformed and a read past the captured bytes is short, exactly as tshark reports
// them. A type that does not match what the ASN.1 expects is not fatal: Wireshark adds a "BER
// Error: ..." item with a malformed-group expert and goes on after the element, as done here.
// Everything here runs only when a detail tree or an X.509 field is wanted (see x509.ts).
import { FT, registerExperts, registerProtocol, type Expert, type Field } from "../fields.js";
import { bytesPreview, formatString, formatText, utf8SequenceAt } from "../format.js";
import type { Packet } from "../packet.js";
import { MALFORMED, type Node, type Tree } from "../tree.js";
import { oidResolved } from "./x509-names.js";
import { wsStringEi } from "../ws.js";

export const UNI = 0, APP = 1, CON = 2, PRI = 3;
/** A table entry that accepts any class and tag (asn2wrs' BER_CLASS_ANY). */
export const ANY = 99;
export const OPTIONAL = 1, IMPLTAG = 2, NOOWNTAG = 4, NOTCHKTAG = 8;

export const enum Tag {
  EOC = 0, BOOLEAN = 1, INTEGER = 2, BITSTRING = 3, OCTETSTRING = 4, NULL = 5, OID = 6, RELATIVE_OID = 13, ENUMERATED = 10,
  UTF8String = 12, SEQUENCE = 16, SET = 17, NumericString = 18, PrintableString = 19, TeletexString = 20, VideotexString = 21,
  IA5String = 22, UTCTime = 23, GeneralizedTime = 24, GraphicString = 25, VisibleString = 26, GeneralString = 27,
  UniversalString = 28, CHARACTERSTRING = 29, BMPString = 30,
}

const CLASS_NAMES = ["UNIVERSAL", "APPLICATION", "CONTEXT", "PRIVATE"];
const UNI_TAG_NAMES: Record<number, string> = {
  0: "'end-of-content'", 1: "BOOLEAN", 2: "INTEGER", 3: "BIT STRING", 4: "OCTET STRING", 5: "NULL", 6: "OBJECT IDENTIFIER",
  7: "ObjectDescriptor", 8: "EXTERNAL", 9: "REAL", 10: "ENUMERATED", 11: "EMBEDDED PDV", 12: "UTF8String", 13: "RELATIVE-OID",
  16: "SEQUENCE", 17: "SET", 18: "NumericString", 19: "PrintableString", 20: "TeletexString, T61String", 21: "VideotexString",
  22: "IA5String", 23: "UTCTime", 24: "GeneralizedTime", 25: "GraphicString", 26: "VisibleString, ISO64String", 27: "GeneralString",
  28: "UniversalString", 29: "CHARACTER STRING", 30: "BMPString", 31: "Continued",
};
/** Wireshark's nesting limit for indefinite lengths. */
const MAX_NESTING = 500;
/** Lengths are clamped to a signed 32-bit value, as Wireshark does. */
const MAX_LEN = 0x7fffffff;

/** A type's dissector, as asn2wrs generates them: implicit tag?, offset, field → offset after the element. */
export type BerFn = (impl: boolean, o: number, f: Field | null) => number;

export interface SeqEntry {
  cls: number;
  tag: number;
  flags: number;
  f: Field | null;
  fn: BerFn;
}

export interface ChoiceEntry extends SeqEntry {
  value: number;
}

export const hf = registerProtocol("ber", "Basic Encoding Rules (ASN.1 X.690)", {
  bitstring_padding: { abbrev: "ber.bitstring.padding", name: "Padding", type: FT.UINT8, blurb: "Number of unused bits in the last octet of the bitstring" },
  bitstring_empty: { abbrev: "ber.bitstring.empty", name: "Empty", type: FT.UINT8, blurb: "This is an empty bitstring" },
  extra_data: { abbrev: "ber.extra_data", name: "Extra data", type: FT.BYTES },
  unknown_octetstring: { abbrev: "ber.unknown_octetstring", name: "Unknown OctetString", type: FT.BYTES },
  uint_as_bytes: { abbrev: "ber.64bit_uint_as_bytes", name: "64bits unsigned integer", type: FT.BYTES },
});

const warnMalformed = { group: "malformed", severity: "warn" } as const;
export const ei = registerExperts(hf.proto, {
  sequence_field_wrong: { abbrev: "ber.error.sequence.field_wrong", ...warnMalformed, summary: "BER Error: Wrong field in SEQUENCE" },
  expected_octet_string: { abbrev: "ber.error.expected.octet_string", ...warnMalformed, summary: "BER Error: OctetString expected" },
  expected_null: { abbrev: "ber.error.expected.null", ...warnMalformed, summary: "BER Error: NULL expected" },
  expected_null_zero_length: { abbrev: "ber.error.expected.null_zero_length", ...warnMalformed, summary: "BER Error: NULL type expects zero length data" },
  expected_sequence: { abbrev: "ber.error.expected.sequence", ...warnMalformed, summary: "BER Error: Sequence expected" },
  expected_set: { abbrev: "ber.error.expected.set", ...warnMalformed, summary: "BER Error: SET expected" },
  expected_string: { abbrev: "ber.error.expected.string", ...warnMalformed, summary: "BER Error: String expected" },
  expected_object_identifier: { abbrev: "ber.error.expected.object_identifier", ...warnMalformed, summary: "BER Error: Object Identifier expected" },
  expected_generalized_time: { abbrev: "ber.error.expected.generalized_time", ...warnMalformed, summary: "BER Error: GeneralizedTime expected" },
  expected_utc_time: { abbrev: "ber.error.expected.utc_time", ...warnMalformed, summary: "BER Error: UTCTime expected" },
  expected_bitstring: { abbrev: "ber.error.expected.bitstring", ...warnMalformed, summary: "BER Error: BitString expected" },
  error_length: { abbrev: "ber.error.length", ...warnMalformed, summary: "BER Error: length is not valid" },
  no_oid: { abbrev: "ber.error.no_oid", ...warnMalformed, summary: "BER Error: No OID supplied to call_ber_oid_callback" },
  oid_not_implemented: {
    abbrev: "ber.error.oid_not_implemented", group: "undecoded", severity: "warn",
    summary: "BER: Dissector for OID not implemented. Contact Wireshark developers if you want this supported",
  },
  unknown_field_sequence: { abbrev: "ber.error.unknown_field.sequence", ...warnMalformed, summary: "BER Error: Unknown field in Sequence" },
  empty_choice: { abbrev: "ber.error.empty_choice", ...warnMalformed, summary: "BER Error: Empty choice was found" },
  choice_not_found: { abbrev: "ber.error.choice_not_found", ...warnMalformed, summary: "BER Error: This choice field was not found" },
  bits_unknown: { abbrev: "ber.error.bits_unknown", group: "undecoded", severity: "warn", summary: "BER Error: Bits unknown" },
  bits_set_padded: { abbrev: "ber.error.bits_set_padded", group: "undecoded", severity: "warn", summary: "BER Error: Bits set in padded area" },
  illegal_padding: { abbrev: "ber.error.illegal_padding", group: "undecoded", severity: "warn", summary: "Illegal padding" },
  invalid_format_generalized_time: { abbrev: "ber.error.invalid_format.generalized_time", ...warnMalformed, summary: "BER Error: GeneralizedTime invalid format" },
  invalid_format_utctime: { abbrev: "ber.error.invalid_format.utctime", ...warnMalformed, summary: "BER Error: malformed UTCTime encoding" },
  constr_bitstr: { abbrev: "ber.error.constr_bitstr.len", ...warnMalformed, summary: "BER Error: malformed Bitstring encoding" },
});

/**
 * The state Wireshark keeps per dissection (its asn1_ctx_t and packet-ber.c's statics): the packet
 * and tree, the identifier and length read last (what an IMPLICIT type falls back on), the OID a
 * following ANY is dissected by, and the item added last.
 */
export const ber = {
  p: null as unknown as Packet,
  t: null as unknown as Tree,
  cls: 0,
  pc: false,
  tag: 0,
  len: 0,
  ind: false,
  /** actx->external.direct_reference: the OID of the ANY that follows. */
  ref: null as string | null,
  /** actx->created_item (full mode only). */
  created: null as Node | null,
  /** Items added so far (a registered dissector that added none is dropped from frame.protocols). */
  items: 0,
};

/** Short names of the protocols OID dissectors are registered with, as "[Malformed Packet: X]" shows them. */
const SHORT_NAMES: Record<string, string> = {
  x509af: "X509AF", x509ce: "X509CE", x509if: "X509IF", x509sat: "X509SAT", "pkcs-1": "PKCS-1", pkix1explicit: "PKIX1EXPLICIT",
  pkix1implicit: "PKIX1IMPLICIT", pkixqualified: "PKIXQUALIFIED", ns_cert_exts: "NS_CERT_EXTS", ocsp: "OCSP", tls: "TLS",
};

export function berBegin(p: Packet, t: Tree): void {
  ber.p = p;
  ber.t = t;
  parents.length = 0;
  depth = 0;
  ber.ref = null;
  ber.created = null;
}

// ---- identifiers and lengths ----

/** get_ber_identifier: class, constructed and tag at `o` (into ber.cls/pc/tag); the offset after. */
export function identifier(o: number): number {
  const t = ber.t, d = t.d;
  t.check(o, 1);
  const id = d[o++]!;
  let tag = id & 0x1f;
  if (tag === 0x1f) {
    tag = 0;
    while (t.rep - o > 0) {
      t.check(o, 1);
      const b = d[o++]!;
      tag = ((tag << 7) | (b & 0x7f)) | 0;
      if (!(b & 0x80)) break;
    }
  }
  ber.cls = id >> 6;
  ber.pc = (id & 0x20) !== 0;
  ber.tag = tag;
  return o;
}

/** get_ber_length: the length at `o` (into ber.len/ind); the offset after. */
export function length(o: number): number {
  const r = lengthAt(o, 1);
  ber.len = lenOut;
  ber.ind = indOut;
  return r;
}

let lenOut = 0, indOut = false;

function lengthAt(o: number, nest: number): number {
  const t = ber.t, d = t.d;
  if (nest > MAX_NESTING) throw malformed();
  t.check(o, 1);
  const oct = d[o++]!;
  let len = 0, ind = false;
  if (!(oct & 0x80)) len = oct;
  else if (oct & 0x7f) {
    for (let n = oct & 0x7f; n > 0; n--) {
      t.check(o, 1);
      len = (len * 256 + d[o++]!) % 0x100000000;
    }
  } else {
    // Indefinite: the length of the elements up to the end-of-contents, which counts too.
    let q = o;
    for (;;) {
      t.check(q, 2);
      if (d[q] === 0 && d[q + 1] === 0) break;
      const s = q;
      q = identifier(q);
      q = lengthAt(q, nest + 1);
      len += lenOut + (q - s);
      q += lenOut;
      if (q <= s) throw malformed();
    }
    len += 2;
    ind = true;
  }
  lenOut = Math.min(len, MAX_LEN);
  indOut = ind;
  return o;
}

/** Wireshark's ReportedBoundsError: the Tree's malformed signal. */
function malformed(): unknown {
  return MALFORMED;
}

// ---- tree helpers ----

const encoder = new TextEncoder();

/**
 * A label as Wireshark keeps it: at most `max` (239) bytes of UTF-8. Wireshark cuts inside a
 * character too, leaving a broken sequence that reads back as one U+FFFD: so does this.
 */
export function cutLabel(s: string, max = 239): string {
  if (s.length <= max / 3) return s;
  const b = encoder.encode(s);
  if (b.length <= max) return s;
  let n = max;
  while (n > 0 && (b[n]! & 0xc0) === 0x80) n--;
  return utf8Decoder.decode(b.subarray(0, n)) + (n < max ? "\ufffd" : "");
}

/** A field's label, "[truncated]" after its name when too long, as Wireshark's label_fill. */
export function fillLabel(name: string, value: string): string {
  const s = `${name}: ${value}`;
  return s.length <= 79 || encoder.encode(s).length <= 239 ? s : cutLabel(`${name} [truncated]: ${value}`, 238);
}

/** The items the helpers below opened, innermost last (what Wireshark's `tree` argument is the subtree of). */
const parents: (Node | null)[] = [];

/** The item whose subtree the element being dissected goes into (null at the top or without a tree). */
export function currentParent(): Node | null {
  return parents.length ? parents[parents.length - 1]! : null;
}

function open(n: Node | null): void {
  ber.t.down();
  parents.push(n);
}

function close(): void {
  ber.t.up();
  parents.pop();
}

/** proto_item_append_text on an item added earlier (full mode). */
export function appendText(n: Node | null, text: string): void {
  if (n === null) return;
  n.text = cutLabel((n.text ?? labelOf(n)) + text);
}

/**
 * Text kept as Wireshark keeps it, in bytes (one character per byte of UTF-8): its fixed-size
 * buffers cut inside characters, and what a label shows depends on those bytes.
 */
export function toBytes(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length && ascii; i++) if (s.charCodeAt(i) >= 0x80) ascii = false;
  if (ascii) return s;
  let r = "";
  for (const b of encoder.encode(s)) r += String.fromCharCode(b);
  return r;
}

/** The bytes of toBytes() as text again (a broken sequence reads as U+FFFD). */
export function fromBytes(b: string): string {
  let ascii = true;
  for (let i = 0; i < b.length && ascii; i++) if (b.charCodeAt(i) >= 0x80) ascii = false;
  return ascii ? b : utf8Decoder.decode(Uint8Array.from(b, (c) => c.charCodeAt(0)));
}

/** g_strlcat into a buffer of `max` bytes: `a` and `b` in bytes (toBytes). */
export function strlcat(a: string, b: string, max: number): string {
  return a.length >= max ? a : (a + b).slice(0, max);
}

/** appendText with text in bytes: the label is cut at 239 bytes, characters included. */
export function appendBytes(n: Node | null, bytes: string): void {
  if (n === null) return;
  const label = (toBytes(n.text ?? labelOf(n)) + bytes).slice(0, 239);
  n.text = fromBytes(label);
}

function labelOf(n: Node): string {
  const f = n.f;
  if (f === null) return "";
  if (f.type === FT.NONE || f.type === FT.PROTOCOL) return f.name;
  if (typeof n.v === "number" && f.strings) return `${f.name}: ${f.strings.get(n.v) ?? "Unknown"} (${n.v})`;
  if (typeof n.v === "number") return `${f.name}: ${n.v}`;
  if (n.v instanceof Uint8Array) return `${f.name}: ${n.v.length ? bytesPreview(n.v) : "<MISSING>"}`;
  return `${f.name}: ${String(n.v ?? "")}`;
}

/**
 * An FT_UINT32 item whose value is not read from the data (a CHOICE's alternative, a SEQUENCE OF's
 * count): Wireshark adds those without checking their span against the data.
 */
function uintItem(f: Field, off: number, len: number, v: number): void {
  const t = ber.t;
  if (t.avail(off, len)) t.uint(f, off, len, v);
  else t.num(f, v);
}

/** The last item, when a tree is built (and one more item counted). */
function last(): Node | null {
  ber.items++;
  return ber.t.lastItem();
}

/** proto_tree_add_expert_format: a text item with the expert under it. */
export function expertItem(e: Expert, off: number, len: number, text: string = e.summary): void {
  ber.t.expertItem(ber.p, e, off, len, text);
  ber.created = last();
}

function classText(cls: number, pc: boolean, tag: number): string {
  return `class:${CLASS_NAMES[cls]}(${cls}) ${pc ? "Constructed" : "Primitive"} tag:${tag}`;
}

/** "class:UNIVERSAL(0) tag:4(OCTET STRING)": what a table entry expects, for "Wrong field" errors. */
function wanted(e: SeqEntry): string {
  const head = `class:${CLASS_NAMES[e.cls] ?? "Unknown"}(${e.cls}) tag:${e.tag}`;
  return e.cls === UNI ? `${head}(${UNI_TAG_NAMES[e.tag] ?? "Unknown"})` : head;
}

/**
 * An FT_NONE item over [off, off+len): Wireshark adds those even past the end of the data (a
 * SEQUENCE whose length lies fails only when something inside it is read).
 */
function noneItem(f: Field, off: number, len: number): void {
  const t = ber.t;
  t.none(f, off, Math.max(0, Math.min(len, t.cap - off)));
}

/**
 * Runs `fn` with the bounds cut to `end` (a sub-buffer Wireshark creates for a field: never past
 * its parent's end); the bounds come back afterwards.
 */
function inSub(end: number, fn: BerFn, impl: boolean, o: number, f: Field | null): number {
  const t = ber.t;
  // Elements nested deeper than any real certificate's (a crafted chain of names within names)
  // are malformed rather than a stack overflow.
  if (++depth > MAX_DEPTH) {
    depth = 0;
    throw MALFORMED;
  }
  t.enter(end);
  try {
    return fn(impl, o, f);
  } finally {
    t.leave();
    depth--;
  }
}

const MAX_DEPTH = 300;
let depth = 0;

// ---- constructed types ----

/**
 * dissect_ber_sequence: the SEQUENCE at `o` with an FT_NONE item `f` (when given) over its TLV
 * and the table's fields below it. Returns the offset after the SEQUENCE.
 */
export function sequence(impl: boolean, o: number, seq: readonly SeqEntry[], f: Field | null, made?: (n: Node | null) => void): number {
  const t = ber.t, d = t.d;
  let hoff = o, lenx: number, end: number, ind = false;
  let cls = UNI, pc = true, tag = Tag.SEQUENCE;
  if (!impl) {
    o = identifier(o);
    cls = ber.cls;
    pc = ber.pc;
    tag = ber.tag;
    o = length(o);
    lenx = ber.len;
    ind = ber.ind;
    end = ind ? o + lenx - 2 : o + lenx;
  } else {
    lenx = Math.max(0, t.rep - o);
    end = o + lenx;
    hoff = o;
  }
  // The item comes first; a type that is no SEQUENCE is reported below it. (Its span is an int in
  // Wireshark: a length that makes it negative fails.)
  let opened = false;
  if (f !== null) {
    if (lenx + o - hoff > 0x7fffffff) throw MALFORMED;
    if (f.type === FT.NONE) noneItem(f, hoff, lenx + o - hoff);
    else t.bytes(f, hoff, lenx + o - hoff);
    ber.created = last();
    if (made) made(ber.created);
    open(ber.created);
    opened = true;
  }
  const item = ber.created;
  if (!impl && cls !== APP && cls !== PRI && (!pc || cls !== UNI || tag !== Tag.SEQUENCE)) {
    t.check(hoff, 2);
    expertItem(ei.expected_sequence, o, lenx, `BER Error: Sequence expected but ${classText(cls, pc, tag)} was unexpected`);
    if (opened) close();
    return end;
  }
  if (opened && lenx === 0) appendText(item, " [0 length]");
  let i = 0;
  while (o < end) {
    t.check(o, 2);
    if (d[o] === 0 && d[o + 1] === 0) break;
    const h = o;
    let q = identifier(o);
    const cls = ber.cls, tag = ber.tag;
    q = length(q);
    const len = ber.len, indField = ber.ind;
    const eoff = q + len;
    if (eoff <= h) throw malformed();
    for (;;) {
      const e = seq[i];
      if (e === undefined) {
        expertItem(ei.unknown_field_sequence, q, len, "BER Error: This field lies beyond the end of the known sequence definition.");
        break;
      }
      const tagged = e.cls === CON || e.cls === APP || e.cls === PRI;
      const checkTag = tagged ? !(e.flags & NOOWNTAG) : !(e.flags & NOTCHKTAG);
      if (checkTag && e.cls !== ANY && e.tag !== -1 && (e.cls !== cls || e.tag !== tag)) {
        if (e.flags & OPTIONAL) {
          i++;
          continue;
        }
        expertItem(ei.sequence_field_wrong, q, len, `BER Error: Wrong field in SEQUENCE: expected ${wanted(e)} but found class:${CLASS_NAMES[cls]}(${cls}) tag:${tag}`);
        i++;
        break;
      }
      let start: number, subEnd: number;
      if (!(e.flags & NOOWNTAG)) {
        if (indField && len === 2) {
          start = q;
          subEnd = q;
        } else {
          start = q;
          subEnd = Math.min(t.rep, eoff - (indField ? 2 : 0));
        }
      } else {
        start = h;
        subEnd = Math.min(t.rep, eoff);
      }
      const r = inSub(subEnd, e.fn, (e.flags & IMPLTAG) !== 0, start, e.f);
      if (len !== 0 && r === start && e.flags & OPTIONAL) {
        i++;
        continue;
      }
      i++;
      break;
    }
    o = eoff;
  }
  if (o > end) {
    // An element ran past the declared end.
    t.check(o - 2, 2);
    expertItem(ei.error_length, o - 2, 2, `BER Error: SEQUENCE is ${o - end} too many bytes long`);
  }
  if (opened) close();
  return end;
}

/**
 * dissect_ber_sq_of: a SEQUENCE OF (SET OF when `set`), its FT_UINT32 item `f` counting the items
 * ("N items"), each item dissected by `item`. Returns the offset after it.
 */
export function sequenceOf(impl: boolean, o: number, set: boolean, item: SeqEntry, f: Field | null, what = set ? Tag.SET : Tag.SEQUENCE, made?: (n: Node | null) => void): number {
  const t = ber.t, d = t.d;
  let lenx: number, end: number;
  if (!impl) {
    const hoff = o;
    o = identifier(o);
    const cls = ber.cls, pc = ber.pc, tag = ber.tag;
    o = length(o);
    lenx = ber.len;
    end = o + lenx;
    if (cls !== APP && cls !== PRI && (!pc || cls !== UNI || tag !== what)) {
      t.check(hoff, 2);
      // Wireshark 4.0 names the other kind in this message.
      expertItem(what === Tag.SEQUENCE ? ei.expected_set : ei.expected_sequence, o, lenx,
        `BER Error: ${what === Tag.SEQUENCE ? "SET" : "SEQUENCE"} OF expected but ${classText(cls, pc, tag)} was unexpected`);
      return end;
    }
  } else {
    lenx = Math.max(0, t.rep - o);
    end = o + lenx;
  }
  // The items are counted only when all of them were captured.
  let cnt = 0;
  if (t.cap === t.rep || t.cap - o === t.rep - o) {
    let q = o;
    while (q < end) {
      const s = q;
      t.check(q, 2);
      if (d[q] === 0 && d[q + 1] === 0) break;
      q = identifier(q);
      q = length(q);
      q += ber.len;
      cnt++;
      if (q <= s) throw malformed();
    }
  }
  let opened = false;
  if (f !== null) {
    if (f.type === FT.NONE) {
      noneItem(f, o, lenx);
      ber.created = last();
      appendText(ber.created, ":");
    } else {
      uintItem(f, o, lenx, cnt);
      ber.created = last();
      if (t.full) appendText(ber.created, cnt === 1 ? " item" : " items");
    }
    if (made) made(ber.created);
    open(ber.created);
    opened = true;
  }
  while (o < end) {
    const h = o;
    t.check(o, 2);
    if (d[o] === 0 && d[o + 1] === 0) {
      if (opened) close();
      return o + 2;
    }
    let q = identifier(o);
    const cls = ber.cls, tag = ber.tag;
    q = length(q);
    const len = ber.len;
    const eoff = q + len;
    if (eoff <= h) throw malformed();
    if (cls === UNI && tag === Tag.EOC) {
      if (opened) close();
      return eoff;
    }
    if (item.cls !== ANY && (item.cls !== cls || item.tag !== tag) && !(item.flags & NOTCHKTAG)) {
      expertItem(ei.sequence_field_wrong, q, len, `BER Error: Wrong field in SEQUENCE OF: expected ${wanted(item)} but found class:${CLASS_NAMES[cls]}(${cls}) tag:${tag}`);
      o = eoff;
      continue;
    }
    const start = item.flags & NOOWNTAG ? h : q;
    inSub(Math.min(t.rep, eoff), item.fn, item.flags === IMPLTAG, start, item.f);
    o = eoff;
  }
  if (o > end) {
    t.check(o - 2, 2);
    expertItem(ei.error_length, o - 2, 2, `BER Error: ${what === Tag.SEQUENCE ? "SEQUENCE" : "SET"} OF contained ${o - end} too many bytes`);
  }
  if (opened) close();
  return end;
}

/**
 * dissect_ber_choice: the alternative of `choices` whose class and tag match the element at `o`,
 * under an FT_UINT32 item `f` valued with the alternative's number. Returns the offset after the
 * element, or `o` when no alternative matched.
 */
export function choice(o: number, choices: readonly ChoiceEntry[], f: Field | null): number {
  const t = ber.t;
  const start = o;
  if (t.rep - o <= 0) {
    expertItem(ei.empty_choice, o, 0, `BER Error: Empty choice was found`);
    return o;
  }
  let q = identifier(o);
  const cls = ber.cls, tag = ber.tag;
  q = length(q);
  const len = ber.len, ind = ber.ind;
  const end = q + len;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < choices.length; i++) {
      const c = choices[i]!;
      const hit = pass === 0
        ? (c.cls === cls && c.tag === tag) || (c.cls === cls && c.tag === -1 && (c.flags & NOOWNTAG) !== 0)
        : c.cls === ANY && c.tag === -1;
      if (!hit) continue;
      let hoff = start, clen = end - start;
      if (!(c.flags & NOOWNTAG)) {
        hoff = length(identifier(start));
        clen = ind ? len - 2 : len;
      }
      let opened = false;
      if (f !== null) {
        uintItem(f, hoff, end - hoff, c.value);
        ber.created = last();
        open(ber.created);
        opened = true;
      }
      const subEnd = Math.min(t.rep, hoff + clen);
      let r: number;
      try {
        r = inSub(subEnd, c.fn, (c.flags & IMPLTAG) !== 0, hoff, c.f);
      } finally {
        if (opened) close();
      }
      // An alternative that consumed nothing makes way for the next (its item stays, as in Wireshark).
      if (r === hoff && ((c.cls === cls && c.tag === -1 && c.flags & NOOWNTAG) || pass === 1)) continue;
      return end;
    }
  }
  // Wireshark 4.0 reports nothing here (its "choice field was not found" item is compiled out).
  return start;
}

// ---- primitive types ----

/**
 * dissect_ber_integer for a field up to 64 bits, or the bytes of a longer one (FT_BYTES fields
 * show "0x" and the hex). Returns the offset after the element.
 */
export function integer(impl: boolean, o: number, f: Field | null): number {
  const t = ber.t, d = t.d;
  let len: number;
  if (!impl) {
    o = identifier(o);
    o = length(o);
    len = ber.len;
  } else len = Math.max(0, t.rep - o);
  ber.created = null;
  let first = 0;
  if (len > 0) {
    t.check(o, 1);
    first = d[o]!;
  }
  if (len > 9 || (len === 9 && first !== 0)) {
    if (f !== null) {
      t.bytes(f.type === FT.BYTES ? f : hf.uint_as_bytes, o, len);
      ber.created = last();
      if (t.full && ber.created) ber.created.text = fillLabel(f.name, `0x${bytesPreview(d.subarray(o, o + len))}`);
    }
    return o + len;
  }
  let val = 0n;
  const signed = f === null || f.type === FT.INT32;
  if (len > 0) {
    t.check(o, len);
    if (first & 0x80 && signed) val = -1n;
    for (let i = 0; i < len; i++) val = BigInt.asIntN(64, (val << 8n) | BigInt(d[o + i]!));
  }
  o += len;
  if (f !== null) {
    if (len < 1 || len > 9 || (len === 9 && first !== 0)) {
      expertItem(ei.error_length, o - len, len, `BER Error: ${f.name}: length of item (${len}) is not valid`);
    } else {
      switch (f.type) {
        case FT.BYTES:
          t.bytes(f, o - len, len);
          ber.created = last();
          if (t.full && ber.created) ber.created.text = fillLabel(f.name, `0x${bytesPreview(d.subarray(o - len, o))}`);
          break;
        case FT.INT32:
          t.value(f, o - len, len, Number(BigInt.asIntN(32, val)));
          ber.created = last();
          break;
        case FT.UINT64:
          t.value(f, o - len, len, Number(BigInt.asUintN(64, val)));
          ber.created = last();
          break;
        default:
          t.uint(f, o - len, len, Number(BigInt.asUintN(32, val)));
          ber.created = last();
      }
    }
  }
  return o;
}

/** dissect_ber_boolean: one byte read whatever the length says. */
export function boolean(impl: boolean, o: number, f: Field | null): number {
  const t = ber.t;
  if (!impl) {
    o = identifier(o);
    o = length(o);
    const len = ber.len;
    if (len !== 1) {
      expertItem(ei.error_length, o, len, `BER Error: ${f?.name ?? "BOOLEAN"}: length of item (${len}) is not valid`);
      return o + len;
    }
  }
  t.check(o, 1);
  const v = t.d[o]!;
  if (f !== null) {
    if (f.type === FT.BOOLEAN) t.bool(f, o, 1, v);
    else t.uint(f, o, 1, v ? 1 : 0);
    ber.created = last();
  }
  return o + 1;
}

/** The dotted form of the OID encoded in d[o, o+len), as Wireshark's oid_encoded2string. */
export function oidText(d: Uint8Array, o: number, len: number): string | null {
  if (len === 0) return "0";
  // An arc past 32 bits is malformed; an encoding ending inside an arc loses that arc.
  let s = "";
  let v = 0;
  let first = true;
  for (let i = 0; i < len; i++) {
    const b = d[o + i]!;
    v = v * 128 + (b & 0x7f);
    if (v > 0xffffffff) return null;
    if (b & 0x80) continue;
    if (first) {
      const a = v < 40 ? 0 : v < 80 ? 1 : 2;
      s = `${a}.${v - a * 40}`;
      first = false;
    } else s += "." + v;
    v = 0;
  }
  return s;
}

/** How Wireshark names an OID it cannot decode. */
export const MALFORMED_OID = "*** Malformed OID ***";

/** The OID read last by oid() (null when the element was not an OID). */
export let oidValue: string | null = null;

/**
 * dissect_ber_object_identifier_str: the OID at `o`, its item "Name: 1.2.3 (resolved)" (an
 * FT_OID field, kept as its dotted string). Returns the offset after it; the OID in `oidValue`.
 */
export function oid(impl: boolean, o: number, f: Field | null): number {
  const t = ber.t, d = t.d;
  let len: number, end: number;
  oidValue = null;
  if (!impl) {
    const hoff = o;
    o = identifier(o);
    const cls = ber.cls, pc = ber.pc, tag = ber.tag;
    o = length(o);
    len = ber.len;
    end = o + len;
    if (cls !== UNI || tag !== Tag.OID) {
      t.check(hoff, 2);
      expertItem(ei.expected_object_identifier, o, len, `BER Error: Object Identifier expected but ${classText(cls, pc, tag)} was unexpected`);
      return end;
    }
  } else {
    len = Math.max(0, t.rep - o);
    end = o + len;
  }
  t.check(o, len);
  const s = oidText(d, o, len);
  oidValue = s ?? "";
  if (f !== null) {
    t.str(f, o, len, s ?? "");
    ber.created = last();
    if (t.full && ber.created) ber.created.text = fillLabel(f.name, s === null ? ` (${MALFORMED_OID})` : `${s} (${oidResolved(s)})`);
  }
  return end;
}

/** How a string type's bytes become text. */
const enum Enc {
  ASCII,
  UTF8,
  T61,
  UCS2,
  UCS4,
}

function encodingOf(tag: number): Enc {
  switch (tag) {
    case Tag.UTF8String: return Enc.UTF8;
    case Tag.TeletexString: return Enc.T61;
    case Tag.UniversalString: return Enc.UCS4;
    case Tag.BMPString: return Enc.UCS2;
    default: return Enc.ASCII;
  }
}

/** The string a field shows for d[a, b) in encoding `enc`, as Wireshark 4.0 decodes them. */
export function decodeString(d: Uint8Array, a: number, b: number, enc: Enc, forLabel = false): string {
  let s = "";
  const bad3 = forLabel ? "\ufffd" : "\ufffd\ufffd\ufffd";
  switch (enc) {
    case Enc.UTF8:
      for (let i = a; i < b; ) {
        const c = d[i]!;
        if (c < 0x80) {
          s += String.fromCharCode(c);
          i++;
          continue;
        }
        const n = utf8SequenceAt(d, i, b);
        if (n === 0) {
          s += "\ufffd";
          i++;
        } else {
          s += utf8Decoder.decode(d.subarray(i, i + n));
          i += n;
        }
      }
      return s;
    // A code point UTF-8 cannot hold becomes one U+FFFD per byte of GLib's encoding of it.
    case Enc.UCS2:
      for (let i = a; i + 1 < b; i += 2) {
        const c = (d[i]! << 8) | d[i + 1]!;
        s += c >= 0xd800 && c <= 0xdfff ? bad3 : String.fromCharCode(c);
      }
      if ((b - a) & 1) s += "\ufffd";
      return s;
    case Enc.UCS4:
      for (let i = a; i + 3 < b; i += 4) {
        const c = ((d[i]! << 24) >>> 0) + (d[i + 1]! << 16) + (d[i + 2]! << 8) + d[i + 3]!;
        if (c >= 0xd800 && c <= 0xdfff) s += bad3;
        else if (c <= 0x10ffff) s += String.fromCodePoint(c);
        else s += forLabel ? "\ufffd" : "\ufffd".repeat(c < 0x200000 ? 4 : c < 0x4000000 ? 5 : 6);
      }
      if ((b - a) & 3) s += "\ufffd";
      return s;
    default:
      for (let i = a; i < b; i++) {
        const c = d[i]!;
        s += c < 0x80 ? String.fromCharCode(c) : "\ufffd";
      }
      return s;
  }
}

const utf8Decoder = new TextDecoder();

/**
 * dissect_ber_constrained_restricted_string: a string of universal type `type` (its tag checked
 * unless implicit), as field `f`. Returns the offset after the element.
 */
export function restrictedString(impl: boolean, type: number, o: number, f: Field | null): number {
  const t = ber.t;
  const hoff = o;
  if (!impl) {
    o = identifier(o);
    const cls = ber.cls, pc = ber.pc, tag = ber.tag;
    o = length(o);
    const len = ber.len;
    if (cls !== UNI || tag !== type) {
      t.check(hoff, 2);
      expertItem(ei.expected_string, o, len, `BER Error: String with tag=${type} expected but ${classText(cls, pc, tag)} was unexpected`);
      return o + len;
    }
  }
  return octetString(impl, hoff, f);
}

/**
 * dissect_ber_octet_string: an OCTET STRING or any string type (bytes or text by the field's type
 * and the tag read). Only what was captured is shown; the offset after the element is returned.
 */
export function octetString(impl: boolean, o: number, f: Field | null): number {
  const t = ber.t, d = t.d;
  let len: number, end: number, tag: number, pc: boolean;
  if (!impl) {
    const hoff = o;
    o = identifier(o);
    const cls = ber.cls;
    pc = ber.pc;
    tag = ber.tag;
    o = length(o);
    len = ber.len;
    end = o + len;
    if (cls !== APP && cls !== PRI && (cls !== UNI || (tag < Tag.NumericString && tag !== Tag.OCTETSTRING && tag !== Tag.UTF8String))) {
      t.check(hoff, 2);
      expertItem(ei.expected_octet_string, o, len, `BER Error: OctetString expected but ${classText(cls, pc, tag)} was unexpected`);
      return end;
    }
  } else {
    // The identifier and length read last (the implicit tag's) stand for this string's.
    tag = ber.tag;
    pc = ber.pc;
    len = ber.len;
    end = o + len;
    const remain = t.rep - o;
    if (ber.ind && remain === len - 2) {
      len -= 2;
      end -= 2;
    } else if (remain < len) {
      expertItem(ei.error_length, o, len, `BER Error: length ${len} longer than tvb_reported_length_remaining: ${remain}`);
      return end;
    }
  }
  ber.created = null;
  if (pc) {
    // Constructed strings (BER's segmented form) are not reassembled: shown as their bytes.
    if (f !== null) {
      const n = Math.max(0, Math.min(len, t.cap - o));
      t.bytes(f.type === FT.BYTES ? f : hf.unknown_octetstring, o, n);
      ber.created = last();
    }
    return end;
  }
  const n = Math.max(0, Math.min(len, t.cap - o));
  if (f !== null) {
    if (f.type === FT.STRING) {
      t.check(o, n);
      const enc = encodingOf(tag);
      const v = t.buildsTree || t.wants(f) ? decodeString(d, o, o + n, enc) : "";
      // The value is a C string: it ends at a NUL.
      const nul = v.indexOf("\0");
      t.str(f, o, n, nul < 0 ? v : v.slice(0, nul));
      ber.created = last();
      // The label shows one U+FFFD for a code point the value holds as several (UCS-2/UCS-4).
      if (t.full && ber.created && (enc === Enc.UCS2 || enc === Enc.UCS4) && v.includes("\ufffd")) {
        ber.created.text = fillLabel(f.name, formatString(decodeString(d, o, o + n, enc, true)));
      }
      if ((enc === Enc.ASCII || enc === Enc.UTF8) && strayAfterNul(v, n)) t.expertUnder(ber.created, ber.p, wsStringEi.trailing_stray, o, n);
    } else {
      t.bytes(f, o, n);
      ber.created = last();
    }
  }
  return end;
}

/**
 * Wireshark's check for characters after a NUL: in the string's UTF-8, anything but NULs between
 * the first NUL and the field's length in bytes.
 */
function strayAfterNul(v: string, n: number): boolean {
  const nul = v.indexOf("\0");
  if (nul < 0) return false;
  const b = encoder.encode(v);
  for (let i = b.indexOf(0); i < n && i < b.length; i++) if (b[i] !== 0) return true;
  return false;
}

/** The DN text of a string value: its bytes as Wireshark's tvb_format_text shows them. */
export function stringText(a: number, b: number): string {
  return formatText(ber.t.d, a, b);
}

/**
 * dissect_ber_bitstring: the padding item, then the field over the bytes after it, with the named
 * bits (FT_BOOLEAN fields masking 8-bit groups) below. Returns the offset after the element.
 */
export function bitString(impl: boolean, o: number, f: Field | null, named: readonly Field[] | null = null): number {
  const t = ber.t, d = t.d;
  let len: number, end: number, pc: boolean;
  if (!impl) {
    const hoff = o;
    o = identifier(o);
    const cls = ber.cls, tag = ber.tag;
    pc = ber.pc;
    o = length(o);
    len = ber.len;
    end = o + len;
    if (cls !== APP && (cls !== UNI || tag !== Tag.BITSTRING)) {
      t.check(hoff, 2);
      expertItem(ei.expected_bitstring, o, 0, `BER Error: BitString expected but ${classText(cls, pc, tag)} was unexpected`);
      return end;
    }
  } else {
    pc = false;
    len = Math.max(0, t.rep - o);
    end = o + len;
  }
  if (len <= 0) {
    expertItem(ei.constr_bitstr, o, len, `BER Error: malformed Bitstring encoding, length: ${len}`);
    return end;
  }
  ber.created = null;
  if (pc) return end;
  t.check(o, 1);
  const pad = d[o]!;
  if (pad === 0 && len === 1) {
    if (f !== null) {
      t.bytes(f, o, 1);
      ber.created = last();
    }
    t.uint(hf.bitstring_empty, o, 1, pad);
    ber.items++;
    return end;
  }
  t.uint(hf.bitstring_padding, o, 1, pad);
  const padItem = last();
  if (pad > 7 || (len === 1 && pad)) t.expertUnder(padItem, ber.p, ei.illegal_padding, o, 1, `Illegal padding (0 .. 7): ${pad}`);
  o++;
  len--;
  // Unlike an OCTET STRING's, the bits' item spans the declared length: past the data it fails.
  const n = len;
  if (f !== null) {
    t.bytes(f, o, n);
    ber.created = last();
  }
  if (named !== null && f !== null) {
    const item = ber.created;
    t.down();
    for (let i = 0; i < named.length; i += 8) {
      const byte = i >> 3;
      const at = o + Math.min(byte, Math.max(0, n - 1));
      const v = byte < n ? d[o + byte]! : 0;
      for (let k = i; k < Math.min(i + 8, named.length); k++) t.bool(named[k]!, at, 1, v);
    }
    // Bits set where no name is defined.
    let unknown = "", any = false;
    for (let i = 0; i < n; i++) {
      let mask = 0;
      for (let k = i * 8; k < Math.min(i * 8 + 8, named.length); k++) mask |= named[k]!.mask;
      const u = d[o + i]! & ~mask & 0xff;
      if (u) any = true;
      unknown += (u < 16 ? "0" : "") + u.toString(16);
    }
    if (any) t.expertUnder(item, ber.p, ei.bits_unknown, o, n, `Unknown bit(s): 0x${unknown}`);
    t.up();
  }
  if (f !== null && pad > 0 && pad < 8 && n > 0) {
    const inPad = d[o + n - 1]! & (0xff >> (8 - pad));
    if (inPad) t.expertUnder(ber.created, ber.p, ei.bits_set_padded, o + n - 1, 1, `Bits set in padded area: 0x${inPad.toString(16).padStart(2, "0")}`);
  }
  return end;
}

/** dissect_ber_null: the NULL at `o` (errors for another type or a length), item `f` when given. */
export function nullType(impl: boolean, o: number, f: Field | null): number {
  const t = ber.t;
  if (!impl) {
    const h = o;
    o = identifier(o);
    const cls = ber.cls, pc = ber.pc, tag = ber.tag;
    if (pc || cls !== UNI || tag !== Tag.NULL) {
      expertItem(ei.expected_null, h, o - h, `BER Error: NULL expected but ${classText(cls, pc, tag)} was unexpected`);
    }
    const l = o;
    o = length(o);
    const len = ber.len;
    if (len) {
      expertItem(ei.expected_null_zero_length, l, o - l, `BER Error: NULL type expects zero length data but Length=${len}`);
      t.bytes(hf.extra_data, o, len);
      o += len;
    }
  }
  if (f !== null) {
    t.none(f, o, 0);
    ber.created = last();
  }
  return o;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** An FT_ABSOLUTE_TIME value shown in UTC: "Jul 17, 2051 10:25:07.000000000 UTC". */
export function utcTimeText(ms: number, nsec: number): string {
  const dt = new Date(ms);
  if (Number.isNaN(dt.getTime())) return "Not representable";
  const p2 = (n: number) => String(n).padStart(2, "0");
  return `${MONTHS[dt.getUTCMonth()]} ${String(dt.getUTCDate()).padStart(2, " ")}, ${dt.getUTCFullYear()} ${p2(dt.getUTCHours())}:${p2(dt.getUTCMinutes())}:${p2(dt.getUTCSeconds())}.${String(nsec).padStart(9, "0")} UTC`;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * dissect_ber_UTCTime: "YYMMDDhhmm[ss](Z|±hhmm)" as "YY-MM-DD hh:mm[:ss] (UTC[±hhmm])"; returns
 * that text (null when malformed: the raw text and an expert are added instead) and sets
 * `timeEnd` to the offset after the element.
 */
export let timeEnd = 0, timeStart = 0, timeLen = 0;

export function utcTime(impl: boolean, o: number, f: Field | null): string | null {
  const t = ber.t, d = t.d;
  let len: number;
  if (!impl) {
    const hoff = o;
    o = identifier(o);
    const cls = ber.cls, pc = ber.pc, tag = ber.tag;
    o = length(o);
    len = ber.len;
    if (cls !== UNI || tag !== Tag.UTCTime) {
      t.check(hoff, 2);
      expertItem(ei.expected_utc_time, o, len, `BER Error: UTCTime expected but ${classText(cls, pc, tag)} was unexpected`);
      timeEnd = o + len;
      return null;
    }
  } else len = Math.max(0, t.rep - o);
  timeStart = o;
  timeLen = len;
  timeEnd = o + len;
  let err: string | null = null;
  let s = "";
  const n = len > 19 ? 19 : len;
  t.check(o, n);
  if (len < 10 || len > 19) err = `BER Error: UTCTime invalid length: ${len}`;
  else {
    let i = 0;
    for (; i < 10; i++) if (!isDigit(d[o + i]!)) break;
    if (i < 10) err = "BER Error: malformed UTCTime encoding, first 10 octets have to contain YYMMDDhhmm in digits";
    else {
      const ch = (k: number) => String.fromCharCode(d[o + k]!);
      const two = (k: number) => ch(k) + ch(k + 1);
      s = `${two(0)}-${two(2)}-${two(4)} ${two(6)}:${two(8)}`;
      if (len >= 12 && isDigit(d[o + i]!)) {
        i++;
        if (isDigit(d[o + i]!)) {
          i++;
          s += `:${two(10)}`;
        } else err = "BER Error: malformed UTCTime encoding, if 11th octet is a digit for seconds, the 12th octet has to be a digit, too";
      }
      if (err === null) {
        const c = i < len ? d[o + i]! : 0;
        if (c === 0x5a) {
          if (len !== i + 1) err = "BER Error: malformed UTCTime encoding, there must be no further octets after 'Z'";
          else s += " (UTC)";
        } else if (c === 0x2b || c === 0x2d) {
          let ok = len === i + 5;
          for (let k = i + 1; ok && k < i + 5; k++) if (!isDigit(d[o + k]!)) ok = false;
          if (!ok) err = "BER Error: malformed UTCTime encoding, 4 digits must follow on '+' resp. '-'";
          else s += ` (UTC${ch(i)}${two(i + 1)}${two(i + 3)})`;
        } else err = `BER Error: malformed UTCTime encoding, unexpected character in ${i + 1}th octet, must be 'Z', '+' or '-'`;
      }
    }
  }
  if (err !== null) {
    if (f !== null) {
      t.check(o, len);
      t.str(f, o, len, decodeString(d, o, o + n, Enc.ASCII));
      ber.created = last();
      t.down();
      expertItem(ei.invalid_format_utctime, o, len, err);
      t.up();
    } else expertItem(ei.invalid_format_utctime, o, len, err);
    return null;
  }
  return s;
}

/**
 * dissect_ber_GeneralizedTime: "YYYYMMDDhhmmss[.f...][Z|±hhmm]" as an absolute time in UTC.
 * Returns the offset after the element.
 */
export function generalizedTime(impl: boolean, o: number, f: Field | null): number {
  const t = ber.t, d = t.d;
  let len: number;
  if (!impl) {
    const hoff = o;
    o = identifier(o);
    const cls = ber.cls, pc = ber.pc, tag = ber.tag;
    o = length(o);
    len = ber.len;
    if (cls !== UNI || tag !== Tag.GeneralizedTime) {
      t.check(hoff, 2);
      expertItem(ei.expected_generalized_time, o, len, `BER Error: GeneralizedTime expected but ${classText(cls, pc, tag)} was unexpected`);
      return o + len;
    }
  } else len = Math.max(0, t.rep - o);
  const end = o + len;
  if (len < 14 || len > 23) {
    expertItem(ei.error_length, o, len, `BER Error: GeneralizedTime invalid length: ${len}`);
    return end;
  }
  t.check(o, len);
  const text = decodeString(d, o, end, Enc.ASCII);
  const r = scanGeneralizedTime(text);
  if (r === null) {
    expertItem(ei.invalid_format_generalized_time, o, len, `BER Error: GeneralizedTime invalid format: ${text}`);
    return end;
  }
  if (f !== null) {
    t.str(f, o, len, t.wants(f) ? utcTimeText(r.ms, r.nsec) : "");
    ber.items++;
    ber.created = t.lastItem();
  }
  return end;
}

/**
 * The time in a GeneralizedTime's text as Wireshark 4.0 reads it (its iso8601_to_nstime, basic
 * format): four digits of year, sscanf's "%2d%2d" for month and day, an optional "T" or blank,
 * "%2d:%2d" or "%2d%2d" for hours and minutes, optional seconds, fraction and zone, then the
 * fields checked for range. Null when invalid. (Without a zone tshark takes local time; UTC here.)
 */
function scanGeneralizedTime(s: string): { ms: number; nsec: number } | null {
  let i = 0;
  const at = (k: number) => s.charCodeAt(k);
  const isDigitAt = (k: number) => k < s.length && at(k) >= 48 && at(k) <= 57;
  /** sscanf's %Nd at i (blanks skipped, a sign counted in the width); null when nothing converts. */
  const int = (width: number): number | null => {
    let k = i;
    while (k < s.length && " \t\n\v\f\r".includes(s[k]!)) k++;
    let neg = false, n = 0, digits = 0, w = width;
    if (k < s.length && (s[k] === "+" || s[k] === "-")) {
      if (w < 2) return null;
      neg = s[k] === "-";
      k++;
      w--;
    }
    while (digits < w && isDigitAt(k)) {
      n = n * 10 + at(k) - 48;
      k++;
      digits++;
    }
    if (!digits) return null;
    i = k;
    scanned = digits;
    return neg ? -n : n;
  };
  let scanned = 0;
  if (s.length < 5) return null;
  let year = 0;
  for (; i < 4; i++) {
    if (!isDigitAt(i)) return null;
    year = year * 10 + at(i) - 48;
  }
  if (!isDigitAt(4)) return null;
  const month = int(2), day = month === null ? null : int(2);
  if (month === null || day === null) return null;
  if (s[i] === "T" || s[i] === " ") i++;
  const save = i;
  let hour = int(2), min: number | null = null;
  if (hour !== null && s[i] === ":") {
    i++;
    min = int(2);
  }
  if (hour === null || min === null) {
    i = save;
    hour = int(2);
    min = hour === null ? null : int(2);
    if (hour === null || min === null) return null;
  }
  if (s[i] === ":") i++;
  const sec = int(2) ?? 0;
  let nsec = 0;
  if (s[i] === "." || s[i] === ",") {
    i++;
    const f = int(10);
    if (f !== null && f >= 0) nsec = scanned >= 9 ? Math.trunc(f / 10 ** (scanned - 9)) : f * 10 ** (9 - scanned);
  }
  let offsetMin = 0;
  if (s[i] === "+" || s[i] === "-") {
    const sign = s[i] === "+" ? 1 : -1;
    i++;
    const save2 = i;
    let hh = int(2), mm = hh === null ? null : int(2);
    if (hh === null || mm === null) {
      i = save2;
      hh = int(2);
      if (hh !== null && s[i] === ":") {
        i++;
        mm = int(2);
      } else mm = 0;
    }
    if (hh !== null && mm !== null) offsetMin = sign * (hh * 60 + mm);
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || min < 0 || min > 59 || sec < 0 || sec > 60) return null;
  return { ms: Date.UTC(year, month - 1, day, hour, min, sec) - offsetMin * 60000, nsec };
}

// ---- ANY DEFINED BY an OID ----

/**
 * A dissector registered for an OID (Wireshark's "ber.oid" table): it dissects the value at `o`
 * and returns the offset after what it consumed (`o` itself when it did not recognise the value).
 * `proto` is the protocol it is registered with (listed in frame.protocols), null for the
 * callbacks registered without one (the NULL parameters of signature algorithms).
 */
export interface OidDissector {
  proto: string | null;
  fn: (o: number) => number;
}

const oidTable = new Map<string, OidDissector>();

export function registerOid(oid: string, proto: string | null, fn: (o: number) => number): void {
  oidTable.set(oid, { proto, fn });
}

/**
 * call_ber_oid_callback: the value at `o` (up to the current end) dissected by what is registered
 * for `oid`; without a dissector, an "OID not implemented" item unless the value is a NULL.
 * Returns the offset after the value.
 */
export function oidCallback(oid: string | null, o: number): number {
  const t = ber.t, d = t.d;
  const h = oid === null ? undefined : oidTable.get(oid);
  if (h !== undefined) {
    const p = ber.p;
    const layers = p.layers.length;
    const saved = ber.ref, proto = t.curProto, items = ber.items;
    if (h.proto !== null) {
      p.layers.push(h.proto);
      t.curProto = SHORT_NAMES[h.proto] ?? h.proto;
    }
    // Each registered dissector starts with a context of its own: no OID from the caller's.
    ber.ref = null;
    const r = h.fn(o);
    ber.ref = saved;
    t.curProto = proto;
    // A dissector that took nothing, or added nothing to the tree, is no layer of the frame.
    if (r === o || ber.items === items) p.layers.length = layers;
    if (r !== o) return r;
  }
  const remain = t.rep - o;
  if (oid === null) expertItem(ei.no_oid, o, remain);
  else {
    t.check(o, 2);
    if (((d[o]! << 8) | d[o + 1]!) !== 0x0500) expertItem(ei.oid_not_implemented, o, remain);
  }
  return o + remain;
}
