// The parts of an HTTP message that HTTP over TCP (http.ts) and SSDP over UDP (ssdp.ts) share:
// lines, the start line, and the header lines with the fields Wireshark gives them.
import { formatText } from "../format.js";
import type { Field } from "../fields.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { ei as httpEi, hf as http, HEADER_FIELDS, HEADERS_BY_LENGTH, HttpType, STATUS_CODES } from "./http-fields.js";

const SP = 0x20, HT = 0x09, CR = 0x0d, LF = 0x0a, COLON = 0x3a;

/** Where the line starting at `o` ends: its end-of-line bytes start at `lineEol`, the next line at the return value. */
export function lineEnd(d: Uint8Array, o: number, end: number): number {
  for (let i = o; i < end; i++) {
    const c = d[i]!;
    if (c === LF) {
      lineEol = i;
      return i + 1;
    }
    if (c === CR) {
      lineEol = i;
      return i + 1 < end && d[i + 1] === LF ? i + 2 : i + 1;
    }
  }
  lineEol = end;
  return end;
}
export let lineEol = 0;

/** ASCII text of d[a, b): bytes from 0x80 on become U+FFFD, as Wireshark's ASCII decoding. */
export function asciiText(d: Uint8Array, a: number, b: number): string {
  let s = "";
  for (let i = a; i < b; i++) {
    const c = d[i]!;
    s += c < 0x80 ? String.fromCharCode(c) : "\ufffd";
  }
  return s;
}

/** A line as Wireshark's format_text shows it in the tree. */
export const lineLabel = formatText;

/** Fields read from header lines: when none is wanted (and no tree), the header loop only checks bounds. */
const HEADER_RELATED: readonly Field[] = [http.request_line, http.response_line, http.unknown_header, http.full_uri, http.content_length, ...HEADER_FIELDS.values()];

export function wantsHeaders(t: Tree): boolean {
  if (t.full) return true;
  for (let i = 0; i < HEADER_RELATED.length; i++) if (t.wants(HEADER_RELATED[i]!)) return true;
  return false;
}

/** The field of the header named d[a, b) (any case), compared byte by byte. */
export function headerField(d: Uint8Array, a: number, b: number): Field | undefined {
  const candidates = HEADERS_BY_LENGTH[b - a];
  if (candidates === undefined) return undefined;
  outer: for (const [name, f] of candidates) {
    for (let k = 0; k < name.length; k++) {
      const c = d[a + k]!;
      if ((c >= 0x41 && c <= 0x5a ? c + 32 : c) !== name.charCodeAt(k)) continue outer;
    }
    return f;
  }
  return undefined;
}

/** The start line: its item, the chat expert and the parts below it. Returns the URI (requests), else "". */
export function startLine(p: Packet, t: Tree, o: number, eol: number, next: number, type: HttpType): string {
  const d = t.d;
  // The line's text is for the tree and the expert's text; a summary needs neither.
  const tree = t.buildsTree;
  const label = tree ? lineLabel(d, o, next) : "";
  t.line(label, o, next - o);
  t.down();
  if (tree) t.expert(p, httpEi.chat, o, next - o, label);
  else t.expert(p, httpEi.chat, o, next - o);
  // The parts are split at spaces; a part that is missing ends at the end of the line.
  let a = o;
  while (a < eol && d[a] !== SP) a++;
  let b = a < eol ? a + 1 : eol;
  while (b < eol && d[b] !== SP) b++;
  const c = b < eol ? b + 1 : eol;
  let uri = "";
  if (type === HttpType.RESPONSE) {
    if (t.wants(http.response_version)) t.str(http.response_version, o, a - o, asciiText(d, o, a));
    const cs = a < eol ? a + 1 : eol;
    let code = 0, digits = 0;
    for (let i = cs; i < b && digits < 3; i++, digits++) {
      const ch = d[i]!;
      if (ch < 0x30 || ch > 0x39) break;
      code = code * 10 + ch - 0x30;
    }
    if (digits === 3) {
      t.uint(http.response_code, cs, 3, code);
      const desc = STATUS_CODES.get(code) ?? "Unknown";
      if (t.wants(http.response_code_desc)) t.str(http.response_code_desc, cs, 3, desc);
      if (t.full) t.label(`[Status Code Description: ${desc}]`);
    }
    if (t.wants(http.response_phrase)) t.str(http.response_phrase, c, eol - c, asciiText(d, c, eol));
  } else {
    if (t.wants(http.request_method)) t.str(http.request_method, o, a - o, asciiText(d, o, a));
    const us = a < eol ? a + 1 : eol;
    if (tree) uri = asciiText(d, us, b);
    if (t.wants(http.request_uri)) t.str(http.request_uri, us, b - us, uri);
    const q = uri.indexOf("?");
    if (q >= 0) uriParts(t, us, uri, q);
    if (t.wants(http.request_version)) t.str(http.request_version, c, eol - c, asciiText(d, c, eol));
  }
  t.up();
  return uri;
}


/** A URI with a query: its path, its query and the query's parameters, below the URI item. */
function uriParts(t: Tree, at: number, uri: string, q: number): void {
  t.down();
  t.str(http.request_uri_path, at, q, uri.slice(0, q));
  const query = uri.slice(q + 1);
  t.str(http.request_uri_query, at + q + 1, query.length, query);
  t.down();
  let o = at + q + 1;
  for (const param of query.split("&")) {
    t.str(http.request_uri_query_parameter, o, param.length, param);
    o += param.length + 1;
  }
  t.up();
  t.up();
}

/**
 * A text item's label as Wireshark shows it: cut to fit its 240-byte label buffer, with
 * " [truncated]" in front.
 */
export function textLabel(s: string): string {
  return s.length <= 239 ? s : (" [truncated]" + s).slice(0, 238);
}

/** What the header lines said that the message's framing and columns need. */
export interface Headers {
  /** Offset after the blank line ending the headers, or where they stopped. */
  end: number;
  /** The blank line was found. */
  complete: boolean;
  host: string | null;
  /** Content-Length (-1 when absent or not a number). */
  contentLength: number;
  chunked: boolean;
  contentType: string | null;
}

const headers: Headers = { end: 0, complete: false, host: null, contentLength: -1, chunked: false, contentType: null };

/**
 * Walks the header lines from `o` to `end`, adding their items (`show`: with the field items, else
 * only reading what `Headers` reports). As Wireshark, a line that is not "name: value" ends the
 * headers. The result is one object, reused.
 */
export function headerLines(t: Tree, o: number, end: number, type: HttpType, show: boolean): Headers {
  const d = t.d;
  const h = headers;
  h.complete = false;
  h.host = null;
  h.contentLength = -1;
  h.chunked = false;
  h.contentType = null;
  const lineField = type === HttpType.REQUEST ? http.request_line : type === HttpType.RESPONSE ? http.response_line : null;
  const need = show && wantsHeaders(t);
  while (o < end) {
    const next = lineEnd(d, o, end);
    const eol = lineEol;
    if (eol === o) {
      if (next === o) break; // no line end yet
      // The empty line ending the headers.
      if (show) t.line(lineLabel(d, o, next), o, next - o);
      o = next;
      h.complete = true;
      break;
    }
    let colon = o;
    while (colon < eol && d[colon] !== COLON) colon++;
    if (colon === eol) break;
    const f = headerField(d, o, colon);
    let v = colon + 1;
    while (v < eol && (d[v] === SP || d[v] === HT)) v++;
    if (f === http.content_length_header) {
      const value = asciiText(d, v, eol);
      h.contentLength = /^[0-9]+$/.test(value) ? Number(value) : -1;
    } else if (f === http.transfer_encoding) {
      h.chunked = asciiText(d, v, eol).toLowerCase().includes("chunked");
    } else if (f === http.content_type) {
      const value = asciiText(d, v, eol);
      const semi = value.indexOf(";");
      h.contentType = (semi >= 0 ? value.slice(0, semi) : value).trim().toLowerCase();
    }
    if (need) {
      if (f !== undefined) {
        const value = asciiText(d, v, eol);
        if (f === http.host) h.host = value;
        t.str(f, o, next - o, value);
        if (t.full) t.label(lineLabel(d, o, next));
        if (f === http.content_length_header && /^[0-9]+$/.test(value)) {
          t.down();
          t.value(http.content_length, v, eol - v, Number(value));
          if (t.full) t.label(`[Content length: ${value}]`);
          t.up();
        }
      } else if (lineField === null) {
        // Wireshark's value for an unknown header is the line as its tree shows it (escaped).
        if (t.wants(http.unknown_header)) t.str(http.unknown_header, o, next - o, lineLabel(d, o, next));
        if (t.full) t.label(lineLabel(d, o, next));
      } else if (t.full) t.line(lineLabel(d, o, next), o, next - o);
      // The hidden request/response line item comes after the header's own (-T json shows the order).
      if (lineField !== null && t.wants(lineField)) t.str(lineField, o, next - o, asciiText(d, o, next));
    } else if (f === http.host) h.host = asciiText(d, v, eol);
    if (next === end && d[eol] !== LF && d[eol] !== CR) {
      // The last line has no end yet: the headers go on in bytes not given.
      o = eol;
      break;
    }
    o = next;
  }
  h.end = o;
  return h;
}
