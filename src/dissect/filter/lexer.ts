// Display filter tokens, as Wireshark 4.0's scanner sees them. Unquoted text (field names, numbers,
// addresses, byte strings, value names) is one WORD token; what it means is decided later, once the
// type on the other side of the comparison is known.
import { FilterError } from "./errors.js";

export const enum Tk {
  WORD,
  STRING,
  CHAR,
  OP,
  LPAREN,
  RPAREN,
  LBRACE,
  RBRACE,
  COMMA,
  DOTDOT,
  /** `[...]`: the raw text between the brackets (slice ranges are parsed by the parser). */
  SLICE,
  EOF,
}

export interface Token {
  k: Tk;
  /** Source text of the token (for messages). */
  text: string;
  pos: number;
  len: number;
  /** OP: canonical operator ("==", "&&", "contains", ...). */
  op: string;
  /** STRING: the bytes the literal stands for (escapes applied, UTF-8 otherwise). */
  bytes: Uint8Array | null;
  /** STRING: those bytes as text. CHAR: unused. */
  str: string;
  /** CHAR: the character's value. */
  num: number;
  /** STRING: written as r"..." (backslashes kept). */
  raw: boolean;
}

/** English keywords and their symbol equivalents. Keywords are lower case only, as in Wireshark. */
const KEYWORDS: ReadonlyMap<string, string> = new Map([
  ["and", "&&"], ["or", "||"], ["xor", "^^"], ["not", "!"],
  ["eq", "=="], ["any_eq", "=="], ["ne", "!="], ["all_ne", "!="], ["all_eq", "==="], ["any_ne", "!=="],
  ["lt", "<"], ["le", "<="], ["gt", ">"], ["ge", ">="],
  ["contains", "contains"], ["matches", "matches"], ["bitwise_and", "&"],
  ["in", "in"], ["any", "any"], ["all", "all"],
]);

const OPS3 = ["===", "!=="];
const OPS2 = ["==", "!=", "<=", ">=", "&&", "||", "^^"];
const OPS1 = "<>!~&+-*/%#$@=|^";

function isWordStart(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f /* _ */ || c === 0x2e /* . */ || c === 0x3a /* : */;
}

function isWordChar(c: number): boolean {
  return isWordStart(c) || c === 0x2d /* - */;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;
}

const IPV4ISH = /^\d+\.\d+\.\d+\.\d+$/;

function tok(k: Tk, text: string, pos: number, op = ""): Token {
  return { k, text, pos, len: text.length, op, bytes: null, str: "", num: 0, raw: false };
}

function utf8(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}

const SIMPLE_ESCAPES: Record<string, number> = { "'": 0x27, '"': 0x22, "\\": 0x5c, a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 };

const decoder = new TextDecoder("utf-8");

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  const n = src.length;
  let i = 0;
  const fail = (msg: string, pos: number, len: number): never => {
    throw new FilterError(msg, src, pos, len);
  };

  /** One escape sequence starting at the backslash at `at`; appends bytes, returns the index after it. */
  const escape = (at: number, bytes: number[]): number => {
    const c = src[at + 1];
    if (c === undefined) return fail("The final quote was missing from a quoted string.", at, 1);
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) {
      bytes.push(simple);
      return at + 2;
    }
    if (c >= "0" && c <= "7") {
      let j = at + 1, v = 0;
      while (j < at + 4 && j < n && src[j]! >= "0" && src[j]! <= "7") v = v * 8 + (src.charCodeAt(j++) - 48);
      if (v > 255) fail(`${src.slice(at, j)} is not a valid octal escape sequence`, at, j - at);
      bytes.push(v);
      return j;
    }
    if (c === "x") {
      const m = /^[0-9a-fA-F]{1,2}/.exec(src.slice(at + 2, at + 4));
      if (!m) return fail(`${src.slice(at, at + 2)} is not a valid hexadecimal escape sequence`, at, 2);
      bytes.push(parseInt(m[0], 16));
      return at + 2 + m[0].length;
    }
    if (c === "u" || c === "U") {
      const w = c === "u" ? 4 : 8;
      const h = src.slice(at + 2, at + 2 + w);
      const cp = /^[0-9a-fA-F]+$/.test(h) && h.length === w ? parseInt(h, 16) : -1;
      if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return fail(`${src.slice(at, at + 2 + h.length)} is not a valid universal character name`, at, 2 + h.length);
      }
      utf8(bytes, cp);
      return at + 2 + w;
    }
    return fail(`\\${c} is not a valid character escape sequence`, at, 2);
  };

  while (i < n) {
    const c = src.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    const ch = src[i]!;
    // Strings: "..." and raw r"...".
    if (ch === '"' || ((ch === "r" || ch === "R") && src[i + 1] === '"')) {
      const raw = ch !== '"';
      const q = raw ? i + 1 : i;
      const bytes: number[] = [];
      let j = q + 1;
      for (;;) {
        if (j >= n) fail("The final quote was missing from a quoted string.", q, 1);
        const cj = src.charCodeAt(j);
        if (cj === 0x22) break;
        if (cj === 0x5c) {
          if (raw) {
            // Raw strings keep the backslash; an escaped quote does not end the string.
            bytes.push(0x5c);
            if (j + 1 < n) {
              utf8(bytes, src.codePointAt(j + 1)!);
              j += src.codePointAt(j + 1)! > 0xffff ? 3 : 2;
            } else j++;
            continue;
          }
          j = escape(j, bytes);
          continue;
        }
        const cp = src.codePointAt(j)!;
        utf8(bytes, cp);
        j += cp > 0xffff ? 2 : 1;
      }
      const t = tok(Tk.STRING, src.slice(start, j + 1), start);
      t.bytes = Uint8Array.from(bytes);
      t.str = decoder.decode(t.bytes);
      t.raw = raw;
      out.push(t);
      i = j + 1;
      continue;
    }
    // Character constants: 'a', '\n', '\x0a', '\012', '\u00e9'.
    if (ch === "'") {
      if (src[i + 1] === "'") fail("'' is not a valid character constant.", i, 2);
      const end = src.indexOf("'", src[i + 1] === "\\" ? i + 3 : i + 2);
      if (end < 0) fail("The final quote was missing from a character constant.", i, 1);
      const text = src.slice(i, end + 1);
      let j = i + 1;
      let v = -1;
      if (src[j] === "\\") {
        const bytes: number[] = [];
        const u = src[j + 1] === "u" || src[j + 1] === "U";
        j = escape(j, bytes);
        v = u ? parseInt(src.slice(i + 3, j), 16) : bytes[0]!;
      } else if (j < end) {
        v = src.codePointAt(j)!;
        j += v > 0xffff ? 2 : 1;
      }
      if (v < 0) fail(`${text} is not a valid character constant.`, i, text.length);
      if (j !== end) fail(`${text} is too long to be a valid character constant.`, i, text.length);
      const t = tok(Tk.CHAR, text, i);
      t.num = v;
      out.push(t);
      i = end + 1;
      continue;
    }
    if (ch === "[") {
      const end = src.indexOf("]", i + 1);
      if (end < 0) fail("Unexpected end of filter expression.", n, 1);
      const t = tok(Tk.SLICE, src.slice(i, end + 1), i);
      t.str = src.slice(i + 1, end);
      out.push(t);
      i = end + 1;
      continue;
    }
    if (ch === "." && src[i + 1] === ".") {
      out.push(tok(Tk.DOTDOT, "..", i));
      i += 2;
      continue;
    }
    if (isWordStart(c)) {
      let j = i + 1;
      while (j < n && isWordChar(src.charCodeAt(j)) && !(src[j] === "." && src[j + 1] === ".")) j++;
      let text = src.slice(i, j);
      // CIDR suffix on an address ("10.0.0.0/8", "fe80::/10"); elsewhere "/" is division.
      if (src[j] === "/" && /[0-9]/.test(src[j + 1] ?? "") && (IPV4ISH.test(text) || text.includes(":"))) {
        let k = j + 1;
        while (k < n && /[0-9]/.test(src[k]!)) k++;
        text = src.slice(i, k);
        j = k;
      }
      const kw = KEYWORDS.get(text);
      out.push(kw !== undefined ? tok(Tk.OP, text, i, kw) : tok(Tk.WORD, text, i));
      i = j;
      continue;
    }
    switch (ch) {
      case "(": out.push(tok(Tk.LPAREN, ch, i)); i++; continue;
      case ")": out.push(tok(Tk.RPAREN, ch, i)); i++; continue;
      case "{": out.push(tok(Tk.LBRACE, ch, i)); i++; continue;
      case "}": out.push(tok(Tk.RBRACE, ch, i)); i++; continue;
      case ",": out.push(tok(Tk.COMMA, ch, i)); i++; continue;
    }
    const three = src.slice(i, i + 3);
    if (OPS3.includes(three)) {
      out.push(tok(Tk.OP, three, i, three));
      i += 3;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (OPS2.includes(two)) {
      out.push(tok(Tk.OP, two, i, two));
      i += 2;
      continue;
    }
    if (OPS1.includes(ch)) {
      out.push(tok(Tk.OP, ch, i, ch === "~" ? "matches" : ch));
      i++;
      continue;
    }
    const cp = src.codePointAt(i)!;
    const bad = String.fromCodePoint(cp);
    fail(`"${bad}" was unexpected in this context.`, i, bad.length);
  }
  out.push(tok(Tk.EOF, "", n));
  return out;
}
