// JavaScript Object Notation (RFC 8259), as Wireshark 4.0's JSON dissector shows it, for any
// protocol that carries JSON: `dissectJson` decodes a payload it is handed, `dissectJsonHeur` first
// asks, as Wireshark's heuristic does, whether the bytes pass its json_validate.
//
// Three steps, none allocating in the steady state:
//  - jsonValidate: Wireshark's check, jsmn in strict mode with room for 1024 tokens, over the
//    bytes read as ASCII (a byte from 0x80 on reads as the three bytes of U+FFFD, while the check
//    still stops after the payload's length in bytes, so such bytes push the end out of view).
//  - parse: Wireshark's tvbparse grammar (object / array at the top, as many as follow each
//    other), recording what it finds as small records (kind, start, end, next, key end). It runs
//    only when a tree or a field is wanted: the summary needs only the check.
//  - emit: the tree items from the records, once a top-level value has matched whole (tvbparse
//    runs its callbacks then); strings (keys, paths, values) are built only for wanted fields.
// Bytes after the last value that parsed go to "Line-based text data".
//
// tvbparse quirks kept: whitespace is skipped between any two parts of a value, inside a number
// ("1 2" is one number, "- 5" another) and an escape too; "NaN" is a value. String values and
// keys are unescaped as Wireshark does it (an invalid \u escape becomes U+FFFD, a code point that
// is not printable is dropped), then lose their quotes.
import "./http.js"; // registers data-text-lines, which the bytes JSON leaves over go to
import { FT, fieldByName, registerProtocol, type Field } from "../fields.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { formatString, utf8SequenceAt } from "../format.js";
import { lineEnd, lineLabel, textLabel } from "./http-message.js";

export const hf = registerProtocol("json", "JavaScript Object Notation", {
  array: { abbrev: "json.array", name: "Array", type: FT.NONE, blurb: "JSON array" },
  object: { abbrev: "json.object", name: "Object", type: FT.NONE, blurb: "JSON object" },
  member: { abbrev: "json.member", name: "Member", type: FT.STRING, blurb: "JSON object member" },
  key: { abbrev: "json.key", name: "Key", type: FT.STRING },
  path: { abbrev: "json.path", name: "Path", type: FT.STRING, generated: true },
  path_with_value: { abbrev: "json.path_with_value", name: "Path with value", type: FT.STRING, generated: true },
  member_with_value: { abbrev: "json.member_with_value", name: "Member with value", type: FT.STRING, generated: true },
  value_string: { abbrev: "json.value.string", name: "String value", type: FT.STRING, blurb: "JSON string value" },
  value_number: { abbrev: "json.value.number", name: "Number value", type: FT.STRING, blurb: "JSON number value" },
  value_false: { abbrev: "json.value.false", name: "False value", type: FT.NONE, blurb: "JSON false value" },
  value_null: { abbrev: "json.value.null", name: "Null value", type: FT.NONE, blurb: "JSON null value" },
  value_true: { abbrev: "json.value.true", name: "True value", type: FT.NONE, blurb: "JSON true value" },
  value_nan: { abbrev: "json.value.nan", name: "NaN value", type: FT.NONE, blurb: "JSON NaN value" },
  // Wireshark's compact form (a preference, off by default) and other items it registers.
  array_compact: { abbrev: "json.array_compact", name: "Array compact", type: FT.NONE, blurb: "JSON array compact" },
  object_compact: { abbrev: "json.object_compact", name: "Object compact", type: FT.NONE, blurb: "JSON object compact" },
  member_compact: { abbrev: "json.member_compact", name: "Member compact", type: FT.NONE, blurb: "JSON member compact" },
  array_item_compact: { abbrev: "json.array_item_compact", name: "Array item compact", type: FT.NONE, blurb: "JSON array item compact" },
  binary_data: { abbrev: "json.binary_data", name: "Binary data", type: FT.BYTES, blurb: "JSON binary data" },
  ignored_leading_bytes: { abbrev: "json.ignored_leading_bytes", name: "Ignored leading bytes", type: FT.STRING },
});

const SP = 0x20, HT = 0x09, LF = 0x0a, CR = 0x0d, QUOTE = 0x22, BSLASH = 0x5c, COMMA = 0x2c, COLON = 0x3a;
const LBRACE = 0x7b, RBRACE = 0x7d, LBRACKET = 0x5b, RBRACKET = 0x5d, MINUS = 0x2d, PLUS = 0x2b, DOT = 0x2e;

// ---- json_validate: jsmn, strict mode, 1024 tokens ----

const MAX_TOKENS = 1024;
const J_OBJECT = 1, J_ARRAY = 2, J_STRING = 3, J_PRIMITIVE = 4;
const tokType = new Uint8Array(MAX_TOKENS);
const tokStart = new Int32Array(MAX_TOKENS);
const tokEnd = new Int32Array(MAX_TOKENS);
const tokSize = new Int32Array(MAX_TOKENS);
/** The bytes as jsmn sees them when the payload has bytes from 0x80 on (grown on demand). */
let asciiView = new Uint8Array(256);

/**
 * Wireshark's json_validate over d[a, b): the payload read as ASCII (see the file comment), then
 * jsmn in strict mode with 1024 tokens. False for an empty payload or one starting with a NUL.
 */
export function jsonValidate(d: Uint8Array, a: number, b: number): boolean {
  const len = b - a;
  if (len <= 0 || d[a] === 0) return false;
  let hi = a;
  while (hi < b && d[hi]! < 0x80) hi++;
  if (hi === b) return jsmnParse(d, a, b) >= 0;
  // From the first byte >= 0x80 on, each such byte is 3 bytes; the view keeps `len` bytes.
  if (asciiView.length < len) asciiView = new Uint8Array(Math.max(len, asciiView.length * 2));
  const v = asciiView;
  let q = 0;
  for (let i = a; i < b && q < len; i++) {
    const c = d[i]!;
    if (c < 0x80) v[q++] = c;
    else {
      v[q++] = 0xef;
      if (q < len) v[q++] = 0xbf;
      if (q < len) v[q++] = 0xbd;
    }
  }
  return jsmnParse(v, 0, len) >= 0;
}

/** Position jsmn has reached (its parser->pos), shared by the helpers below. */
let jpos = 0;
let toknext = 0;
let toksuper = -1;

const JSMN_NOMEM = -1, JSMN_INVAL = -2, JSMN_PART = -3;

function allocToken(): number {
  if (toknext >= MAX_TOKENS) return -1;
  const i = toknext++;
  tokStart[i] = -1;
  tokEnd[i] = -1;
  tokSize[i] = 0;
  tokType[i] = 0;
  return i;
}

/** jsmn_parse over js[a, b) with tokens: the token count, or a negative error. */
function jsmnParse(js: Uint8Array, a: number, b: number): number {
  jpos = a;
  toknext = 0;
  toksuper = -1;
  let count = 0;
  for (; jpos < b && js[jpos] !== 0; jpos++) {
    const c = js[jpos]!;
    switch (c) {
      case LBRACE: case LBRACKET: {
        count++;
        const tk = allocToken();
        if (tk < 0) return JSMN_NOMEM;
        if (toksuper !== -1) tokSize[toksuper]!++;
        tokType[tk] = c === LBRACE ? J_OBJECT : J_ARRAY;
        tokStart[tk] = jpos;
        toksuper = toknext - 1;
        break;
      }
      case RBRACE: case RBRACKET: {
        const type = c === RBRACE ? J_OBJECT : J_ARRAY;
        let i = toknext - 1;
        for (; i >= 0; i--) {
          if (tokStart[i] !== -1 && tokEnd[i] === -1) {
            if (tokType[i] !== type) return JSMN_INVAL;
            toksuper = -1;
            tokEnd[i] = jpos + 1;
            break;
          }
        }
        if (i === -1) return JSMN_INVAL;
        for (; i >= 0; i--) {
          if (tokStart[i] !== -1 && tokEnd[i] === -1) {
            toksuper = i;
            break;
          }
        }
        break;
      }
      case QUOTE: {
        const r = jsmnString(js, b);
        if (r < 0) return r;
        count++;
        if (toksuper !== -1) tokSize[toksuper]!++;
        break;
      }
      case HT: case CR: case LF: case SP:
        break;
      case COLON:
        toksuper = toknext - 1;
        break;
      case COMMA:
        if (toksuper !== -1 && tokType[toksuper] !== J_ARRAY && tokType[toksuper] !== J_OBJECT) {
          for (let i = toknext - 1; i >= 0; i--) {
            if ((tokType[i] === J_ARRAY || tokType[i] === J_OBJECT) && tokStart[i] !== -1 && tokEnd[i] === -1) {
              toksuper = i;
              break;
            }
          }
        }
        break;
      case MINUS: case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35: case 0x36: case 0x37: case 0x38: case 0x39:
      case 0x74: case 0x66: case 0x6e: { // t f n
        // A primitive may not be an object's key.
        if (toksuper !== -1) {
          const ty = tokType[toksuper];
          if (ty === J_OBJECT || (ty === J_STRING && tokSize[toksuper] !== 0)) return JSMN_INVAL;
        }
        const r = jsmnPrimitive(js, b);
        if (r < 0) return r;
        count++;
        if (toksuper !== -1) tokSize[toksuper]!++;
        break;
      }
      default:
        return JSMN_INVAL;
    }
  }
  for (let i = toknext - 1; i >= 0; i--) if (tokStart[i] !== -1 && tokEnd[i] === -1) return JSMN_PART;
  return count;
}

function jsmnPrimitive(js: Uint8Array, b: number): number {
  const start = jpos;
  for (; jpos < b && js[jpos] !== 0; jpos++) {
    const c = js[jpos]!;
    if (c === HT || c === CR || c === LF || c === SP || c === COMMA || c === RBRACKET || c === RBRACE) {
      const tk = allocToken();
      if (tk < 0) {
        jpos = start;
        return JSMN_NOMEM;
      }
      tokType[tk] = J_PRIMITIVE;
      tokStart[tk] = start;
      tokEnd[tk] = jpos;
      jpos--;
      return 0;
    }
    // (signed char: bytes from 0x80 on are below 32 too)
    if (c < 32 || c >= 127) {
      jpos = start;
      return JSMN_INVAL;
    }
  }
  // Strict mode: a primitive must be followed by a delimiter.
  jpos = start;
  return JSMN_PART;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function jsmnString(js: Uint8Array, b: number): number {
  const start = jpos;
  jpos++;
  for (; jpos < b && js[jpos] !== 0; jpos++) {
    const c = js[jpos]!;
    if (c === QUOTE) {
      const tk = allocToken();
      if (tk < 0) {
        jpos = start;
        return JSMN_NOMEM;
      }
      tokType[tk] = J_STRING;
      tokStart[tk] = start + 1;
      tokEnd[tk] = jpos;
      return 0;
    }
    if (c === BSLASH && jpos + 1 < b) {
      jpos++;
      switch (js[jpos]) {
        case QUOTE: case 0x2f: case BSLASH: case 0x62: case 0x66: case 0x72: case 0x6e: case 0x74:
          break;
        case 0x75: // u
          jpos++;
          for (let i = 0; i < 4 && jpos < b && js[jpos] !== 0; i++) {
            if (!isHex(js[jpos]!)) {
              jpos = start;
              return JSMN_INVAL;
            }
            jpos++;
          }
          jpos--;
          break;
        default:
          jpos = start;
          return JSMN_INVAL;
      }
    }
  }
  jpos = start;
  return JSMN_PART;
}

// ---- the parse: Wireshark's tvbparse grammar, recorded ----

const K_OBJ = 1, K_ARR = 2, K_MEMBER = 3, K_STR = 4, K_NUM = 5, K_TRUE = 6, K_FALSE = 7, K_NULL = 8, K_NAN = 9;
/** Record fields: kind, start, end (of the token), next (record after its subtree), key end (members). */
const R_KIND = 0, R_START = 1, R_END = 2, R_NEXT = 3, R_KEYEND = 4, STRIDE = 5;
let recs = new Int32Array(STRIDE * 128);
let nrec = 0;
/** Open containers while parsing: their record, and the member record they are the value of (-1: none). */
let cStack = new Int32Array(64);
let mStack = new Int32Array(64);

function addRec(kind: number, start: number, end: number): number {
  if ((nrec + 1) * STRIDE > recs.length) {
    const n = new Int32Array(recs.length * 2);
    n.set(recs);
    recs = n;
  }
  const r = nrec++;
  const o = r * STRIDE;
  recs[o + R_KIND] = kind;
  recs[o + R_START] = start;
  recs[o + R_END] = end;
  recs[o + R_NEXT] = r + 1;
  recs[o + R_KEYEND] = 0;
  return r;
}

function ws(d: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = d[i]!;
    if (c !== SP && c !== HT && c !== LF && c !== CR) break;
    i++;
  }
  return i;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

/** End of the string token at d[i] (a quote), or -1. Whitespace after the opening quote and inside escapes is skipped, as tvbparse does. */
function scanString(d: Uint8Array, i: number, end: number): number {
  if (i >= end || d[i] !== QUOTE) return -1;
  let j = ws(d, i + 1, end);
  while (j < end) {
    const c = d[j]!;
    if (c === QUOTE) return j + 1;
    if (c !== BSLASH) {
      j++;
      continue;
    }
    j = ws(d, j + 1, end);
    if (j >= end) return -1;
    const e = d[j]!;
    if (e === QUOTE || e === BSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) j++;
    else if (e === 0x75) {
      j = ws(d, j + 1, end);
      if (j + 4 > end || !isHex(d[j]!) || !isHex(d[j + 1]!) || !isHex(d[j + 2]!) || !isHex(d[j + 3]!)) return -1;
      j += 4;
    } else return -1;
  }
  return -1;
}

/** End of the number token at d[i], or -1 (tvbparse: [-] int [frac] [exp], whitespace between the parts). */
function scanNumber(d: Uint8Array, i: number, end: number): number {
  let tok = i;
  if (i < end && d[i] === MINUS) {
    i++;
    tok = i;
  }
  i = ws(d, i, end);
  if (i >= end) return -1;
  const c = d[i]!;
  if (c === 0x30) {
    i++;
    tok = i;
  } else if (c >= 0x31 && c <= 0x39) {
    i++;
    tok = i;
    i = ws(d, i, end);
    if (i < end && isDigit(d[i])) {
      while (i < end && isDigit(d[i])) i++;
      tok = i;
    }
  } else return -1;
  i = ws(d, i, end);
  if (i < end && d[i] === DOT) {
    let j = ws(d, i + 1, end);
    if (j < end && isDigit(d[j])) {
      while (j < end && isDigit(d[j])) j++;
      tok = j;
      i = ws(d, j, end);
    }
  }
  if (i < end && (d[i] === 0x65 || d[i] === 0x45)) {
    let j = ws(d, i + 1, end);
    if (j < end && (d[j] === MINUS || d[j] === PLUS)) j = ws(d, j + 1, end);
    if (j < end && isDigit(d[j])) {
      while (j < end && isDigit(d[j])) j++;
      tok = j;
    }
  }
  return tok;
}

function keyword(d: Uint8Array, i: number, end: number, w: string): boolean {
  if (i + w.length > end) return false;
  for (let k = 0; k < w.length; k++) if (d[i + k] !== w.charCodeAt(k)) return false;
  return true;
}

/** A primitive value at d[i]: records it, returns its token end or -1. */
function scanPrimitive(d: Uint8Array, i: number, end: number): number {
  const c = d[i];
  let kind: number, e: number;
  if (c === 0x66 && keyword(d, i, end, "false")) (kind = K_FALSE), (e = i + 5);
  else if (c === 0x6e && keyword(d, i, end, "null")) (kind = K_NULL), (e = i + 4);
  else if (c === 0x74 && keyword(d, i, end, "true")) (kind = K_TRUE), (e = i + 4);
  else if (c === 0x4e && keyword(d, i, end, "NaN")) (kind = K_NAN), (e = i + 3);
  else if (c === QUOTE) (kind = K_STR), (e = scanString(d, i, end));
  else (kind = K_NUM), (e = scanNumber(d, i, end));
  if (e < 0) return -1;
  addRec(kind, i, e);
  return e;
}

function closeMember(m: number, end: number): void {
  if (m < 0) return;
  recs[m * STRIDE + R_END] = end;
  recs[m * STRIDE + R_NEXT] = nrec;
}

const S_VALUE = 0, S_ITEM = 1, S_AFTER = 2;

/**
 * One top-level object or array at d[o] ('{' or '['): records it and returns the offset after it
 * and the whitespace that follows, or -1 when it does not match whole (records past the caller's
 * mark are then to be dropped). Iterative: nesting depth is bounded only by the payload.
 */
function parseTop(d: Uint8Array, o: number, end: number): number {
  let sp = 0;
  let i = o;
  let member = -1;
  let state = S_VALUE;
  for (;;) {
    if (state === S_VALUE) {
      if (i >= end) return -1;
      const c = d[i]!;
      if (c !== LBRACE && c !== LBRACKET) {
        const e = scanPrimitive(d, i, end);
        if (e < 0) return -1;
        closeMember(member, e);
        i = ws(d, e, end);
        state = S_AFTER;
        continue;
      }
      if (sp === cStack.length) {
        const a = new Int32Array(sp * 2), m = new Int32Array(sp * 2);
        a.set(cStack);
        m.set(mStack);
        cStack = a;
        mStack = m;
      }
      cStack[sp] = addRec(c === LBRACE ? K_OBJ : K_ARR, i, i + 1);
      mStack[sp++] = member;
      i = ws(d, i + 1, end);
      if (i >= end || d[i] !== (c === LBRACE ? RBRACE : RBRACKET)) {
        state = S_ITEM;
        continue;
      }
      // An empty object or array: closed below.
    } else if (state === S_ITEM) {
      if (recs[cStack[sp - 1]! * STRIDE + R_KIND] === K_OBJ) {
        const ke = scanString(d, i, end);
        if (ke < 0) return -1;
        member = addRec(K_MEMBER, i, ke);
        recs[member * STRIDE + R_KEYEND] = ke;
        i = ws(d, ke, end);
        if (i >= end || d[i] !== COLON) return -1;
        i = ws(d, i + 1, end);
      } else member = -1;
      state = S_VALUE;
      continue;
    } else {
      // After an item: a comma and the next item, or the container's end.
      if (i < end && d[i] === COMMA) {
        i = ws(d, i + 1, end);
        state = S_ITEM;
        continue;
      }
      const close = recs[cStack[sp - 1]! * STRIDE + R_KIND] === K_OBJ ? RBRACE : RBRACKET;
      if (i >= end || d[i] !== close) return -1;
    }
    // Close the container on top (d[i] is its closing character).
    const r = cStack[--sp]!;
    recs[r * STRIDE + R_END] = i + 1;
    recs[r * STRIDE + R_NEXT] = nrec;
    closeMember(mStack[sp]!, i + 1);
    i = ws(d, i + 1, end);
    if (sp === 0) return i;
    state = S_AFTER;
  }
}

// ---- strings as Wireshark shows them ----

const utf8 = new TextDecoder();
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cn}\p{Cs}]/u;

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Wireshark's ws_utf8_char_len: the length a lead byte announces (1 for a stray continuation byte), -1 for 0xfe/0xff. */
function utf8CharLen(c: number): number {
  if (c >= 0xfe) return -1;
  if (c >= 0xfc) return 6;
  if (c >= 0xf8) return 5;
  if (c >= 0xf0) return 4;
  if (c >= 0xe0) return 3;
  if (c >= 0xc0) return 2;
  return 1;
}

/** Unescaped bytes (grown on demand). */
let ob = new Uint8Array(256);
let obLen = 0;

function put(c: number): void {
  ob[obLen++] = c;
}

function putCodePoint(cp: number): void {
  if (cp < 0x80) put(cp);
  else if (cp < 0x800) {
    put(0xc0 | (cp >> 6));
    put(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    put(0xe0 | (cp >> 12));
    put(0x80 | ((cp >> 6) & 0x3f));
    put(0x80 | (cp & 0x3f));
  } else {
    put(0xf0 | (cp >> 18));
    put(0x80 | ((cp >> 12) & 0x3f));
    put(0x80 | ((cp >> 6) & 0x3f));
    put(0x80 | (cp & 0x3f));
  }
}

/** Four hex digits at d[i] (before n): the value, or -1 when one is missing or bad; `hexEnd` is past what was read. */
let hexEnd = 0;
function read4(d: Uint8Array, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < 4; k++) {
    if (i >= n) {
      hexEnd = i;
      return -1;
    }
    const x = hexVal(d[i++]!);
    if (x < 0) {
      hexEnd = i;
      return -1;
    }
    v = (v << 4) | x;
  }
  hexEnd = i;
  return v;
}

/**
 * Wireshark 4.0's json_string_unescape over the bytes d[a, n) into `ob`: characters are copied by
 * the length their lead byte announces (a 0xfe/0xff byte ends the string), escapes replaced. A \u
 * escape that is not a valid character (a lone or broken surrogate, a bad digit) becomes U+FFFD;
 * a valid one is kept only when printable and when something follows it in the string (4.0 checks
 * the input position before copying it out); whatever follows a lead surrogate is consumed, and a
 * lead surrogate at the end ends the string.
 */
function unescapeBytes(d: Uint8Array, a: number, n: number): void {
  obLen = 0;
  let i = a;
  while (i < n) {
    const c = d[i]!;
    if (c !== BSLASH) {
      const len = utf8CharLen(c);
      if (len <= 0) return;
      for (let k = 0; k < len && i < n; k++) put(d[i++]!);
      continue;
    }
    i++;
    if (i >= n) return;
    const e = d[i++]!;
    switch (e) {
      case 0x62: put(0x08); continue; // b
      case 0x66: put(0x0c); continue; // f
      case 0x6e: put(0x0a); continue; // n
      case 0x72: put(0x0d); continue; // r
      case 0x74: put(0x09); continue; // t
      case 0x75: break; // u
      default: put(e); continue; // " \\ / (tvbparse lets no other escape through)
    }
    let cp = read4(d, i, n);
    i = hexEnd;
    let valid = cp >= 0;
    if (cp >= 0xd800 && cp <= 0xdbff) {
      if (i >= n) return;
      if (d[i] === BSLASH) {
        i++;
        if (i >= n) return;
        if (d[i] === 0x75) {
          const trail = read4(d, i + 1, n);
          i = hexEnd;
          if (trail >= 0xdc00 && trail <= 0xdfff && valid) cp = 0x10000 + ((cp - 0xd800) << 10) + (trail - 0xdc00);
          else valid = false;
        } else {
          i++;
          valid = false;
        }
      } else {
        i++;
        valid = false;
      }
    } else if (cp >= 0xdc00 && cp <= 0xdfff) valid = false;
    if (!valid) putCodePoint(0xfffd);
    else if (i < n && !NOT_PRINTABLE.test(String.fromCodePoint(cp))) putCodePoint(cp);
  }
}

/** ob[a, b) as text: well-formed UTF-8 decoded, any other byte a U+FFFD (as Wireshark's labels show it). */
function decodeLossy(a: number, b: number): string {
  let s = "";
  let run = a;
  for (let i = a; i < b; ) {
    const c = ob[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = utf8SequenceAt(ob, i, b);
    if (n > 0) {
      i += n;
      continue;
    }
    s += utf8.decode(ob.subarray(run, i)) + "\ufffd";
    i++;
    run = i;
  }
  return run === a ? utf8.decode(ob.subarray(a, b)) : s + utf8.decode(ob.subarray(run, b));
}

/**
 * The bytes d[a, b) as Wireshark 4.0 takes a JSON string's value or a key (the caller leaves the
 * quotes out), a number's or a keyword's text: unescaped, up to a NUL.
 */
export function jsonString(d: Uint8Array, a: number, b: number): string {
  let plain = true;
  for (let i = a; i < b; i++) {
    const c = d[i]!;
    if (c === BSLASH || c >= 0x80 || c === 0) {
      plain = false;
      break;
    }
  }
  if (plain) return utf8.decode(d.subarray(a, b));
  if (ob.length < 2 * (b - a) + 8) ob = new Uint8Array(2 * (b - a) + 8);
  unescapeBytes(d, a, b);
  let e = 0;
  while (e < obLen && ob[e] !== 0) e++;
  return decodeLossy(0, e);
}

// ---- the tree ----

/** The longest prefix of `s` that fits in `max` bytes of UTF-8 (whole characters only). */
function cutUtf8(s: string, max: number): string {
  let bytes = 0;
  let i = 0;
  while (i < s.length) {
    const c = s.codePointAt(i)!;
    const n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (bytes + n > max) break;
    bytes += n;
    i += c >= 0x10000 ? 2 : 1;
  }
  return s.slice(0, i);
}

/**
 * The label of a string item when Wireshark would cut it: its labels hold 239 bytes of UTF-8, a
 * longer one becomes "Name [truncated]: value" cut to 238 bytes at a character boundary. Null
 * when the label fits (the tree's default label is then the same).
 */
export function stringLabel(f: Field, v: string): string | null {
  if (f.name.length + 2 + v.length * 4 <= 239) return null;
  const fv = formatString(v);
  const s = `${f.name}: ${fv}`;
  if (Buffer.byteLength(s) <= 239) return null;
  const cut = cutUtf8(`${f.name} [truncated]: ${fv}`, 238);
  return f.generated ? `[${cut}]` : cut;
}

/** A string item, its label cut as Wireshark cuts it. */
function strItem(t: Tree, f: Field, o: number, len: number, v: string): void {
  t.str(f, o, len, v);
  if (t.full) {
    const l = stringLabel(f, v);
    if (l !== null) t.label(l);
  }
}

/** Slot of the value being emitted: its path and key (Wireshark's path stack), by depth. */
const slotPath: string[] = [""];
const slotKey: string[] = [""];
/** Records opened and not yet closed while emitting. */
let openStack = new Int32Array(64);

function emit(t: Tree, r1: number): void {
  const d = t.d;
  const wantPath = t.wants(hf.path) || t.wants(hf.path_with_value);
  const wantPwv = t.wants(hf.path_with_value), wantMwv = t.wants(hf.member_with_value);
  const wantKeys = wantPath || wantMwv || t.wants(hf.member) || t.wants(hf.key);
  const wantValue = wantPwv || wantMwv;
  let depth = 0; // slot depth (0: top)
  slotPath[0] = "";
  slotKey[0] = "";
  let sp = 0;
  for (let r = 0; r < r1; r++) {
    const o = r * STRIDE;
    const kind = recs[o + R_KIND]!, s = recs[o + R_START]!, e = recs[o + R_END]!;
    if (kind === K_OBJ || kind === K_ARR || kind === K_MEMBER) {
      if (kind === K_MEMBER) {
        const key = wantKeys ? jsonString(d, s + 1, recs[o + R_KEYEND]! - 1) : "";
        strItem(t, hf.member, s, e - s, key);
        slotPath[depth + 1] = wantPath ? slotPath[depth] + "/" + key : "";
        slotKey[depth + 1] = key;
        depth++;
      } else if (kind === K_ARR) {
        t.none(hf.array, s, e - s);
        slotPath[depth + 1] = wantPath ? slotPath[depth] + "/[]" : "";
        slotKey[depth + 1] = "[]";
        depth++;
      } else t.none(hf.object, s, e - s);
      t.down();
      if (sp === openStack.length) {
        const a = new Int32Array(sp * 2);
        a.set(openStack);
        openStack = a;
      }
      openStack[sp++] = r;
    } else {
      let v = "";
      if (wantValue || (kind === K_STR && t.wants(hf.value_string)) || (kind === K_NUM && t.wants(hf.value_number))) v = kind === K_STR ? jsonString(d, s + 1, e - 1) : jsonString(d, s, e);
      if (wantPwv) strItem(t, hf.path_with_value, s, e - s, slotPath[depth] + ":" + v);
      if (wantMwv) strItem(t, hf.member_with_value, s, e - s, slotKey[depth] + ":" + v);
      switch (kind) {
        case K_STR: strItem(t, hf.value_string, s, e - s, v); break;
        case K_NUM: strItem(t, hf.value_number, s, e - s, v); break;
        case K_TRUE: t.none(hf.value_true, s, e - s); break;
        case K_FALSE: t.none(hf.value_false, s, e - s); break;
        case K_NULL: t.none(hf.value_null, s, e - s); break;
        default: t.none(hf.value_nan, s, e - s);
      }
    }
    // Close what ends here.
    while (sp > 0 && recs[openStack[sp - 1]! * STRIDE + R_NEXT] === r + 1) {
      const c = openStack[--sp]! * STRIDE;
      const ck = recs[c + R_KIND]!;
      if (ck === K_MEMBER) {
        const cs = recs[c + R_START]!, ke = recs[c + R_KEYEND]!;
        strItem(t, hf.key, cs, ke - cs, slotKey[depth]!);
        strItem(t, hf.path, cs, recs[c + R_END]! - cs, slotPath[depth]!);
      }
      t.up();
      if (ck !== K_OBJ) depth--;
    }
  }
}

let textLinesField: Field | undefined;

/** Wireshark's "data-text-lines" over d[a, b): one text item per line, each with its line end. */
export function dissectTextLines(p: Packet, t: Tree, a: number, b: number): void {
  textLinesField ??= fieldByName("data-text-lines")!;
  t.proto(p, textLinesField, a, b - a);
  // With none of its bytes captured, Wireshark shows the item but leaves it out of frame.protocols.
  if (a >= b) p.layers.pop();
  if (t.full) {
    let lines = 0;
    for (let i = a; i < b; i = lineEnd(t.d, i, b)) lines++;
    t.label(`Line-based text data (${lines} lines)`);
    for (let i = a; i < b; ) {
      const n = lineEnd(t.d, i, b);
      t.line(textLabel(lineLabel(t.d, i, n)), i, n - i);
      i = n;
    }
  }
  t.up();
}

let lastProtocol = "";
let lastJoined = "JSON";

/**
 * Decodes d[off, t.cap) as JSON: the "json" item with its values, the Protocol column gets
 * "/JSON", the Info column ", JavaScript Object Notation". Whatever does not parse is shown as
 * text lines after it.
 */
export function dissectJson(p: Packet, t: Tree, off: number): void {
  if (p.protocol !== lastProtocol) {
    lastProtocol = p.protocol;
    lastJoined = p.protocol === "" ? "JSON" : p.protocol + "/JSON";
  }
  p.protocol = lastJoined;
  if (p.wantCols) {
    if (!p.info.empty) p.info.add(", ");
    p.info.add("JavaScript Object Notation");
  }
  const end = t.cap;
  if (!t.buildsTree) {
    // Nothing but the columns: no parse (the text lines after the values are not looked for).
    t.proto(p, hf.proto, off, Math.max(0, end - off));
    t.up();
    return;
  }
  const d = t.d;
  nrec = 0;
  let o = off;
  for (;;) {
    const s = ws(d, o, end);
    if (s >= end || (d[s] !== LBRACE && d[s] !== LBRACKET)) break;
    const mark = nrec;
    const r = parseTop(d, s, end);
    if (r < 0) {
      nrec = mark;
      break;
    }
    o = r;
  }
  t.proto(p, hf.proto, off, o - off);
  t.curProto = "JSON";
  emit(t, nrec);
  t.up();
  if (o < t.rep) dissectTextLines(p, t, o, Math.max(o, end));
}

/** Wireshark's JSON heuristic: dissects d[off, t.cap) as JSON when it passes json_validate. */
export function dissectJsonHeur(p: Packet, t: Tree, off: number): boolean {
  if (!jsonValidate(t.d, off, t.cap)) return false;
  dissectJson(p, t, off);
  return true;
}
