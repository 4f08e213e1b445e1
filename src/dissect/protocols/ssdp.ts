// Simple Service Discovery Protocol (UPnP, UDP port 1900): one HTTP-style message per datagram,
// a start line and header lines, each ended by CRLF (or a bare LF/CR), then an empty line. As in
// Wireshark, which decodes it with its HTTP dissector, the fields are the http.* ones
// (http-fields.ts); a datagram that does not start with a request or status line is shown as
// "Continuation" with its bytes as http.file_data and data.
//   start line: METHOD SP URI SP VERSION | VERSION SP CODE SP PHRASE
//   header line: Name ":" OWS value
import { registerProtocol, type Field } from "../fields.js";
import { callData, udpPorts } from "../dispatch.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { ei as httpEi, hf as http, HEADER_FIELDS, HttpType, httpLineType, STATUS_CODES } from "./http-fields.js";

export const hf = registerProtocol("ssdp", "Simple Service Discovery Protocol", {});

const SP = 0x20, HT = 0x09, CR = 0x0d, LF = 0x0a, COLON = 0x3a;

/** Where the line starting at `o` ends: its end-of-line bytes start at `lineEol`, the next line at the return value. */
function lineEnd(d: Uint8Array, o: number, end: number): number {
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
let lineEol = 0;

/** ASCII text of d[a, b): bytes from 0x80 on become U+FFFD, as Wireshark's ASCII decoding. */
export function asciiText(d: Uint8Array, a: number, b: number): string {
  let s = "";
  for (let i = a; i < b; i++) {
    const c = d[i]!;
    s += c < 0x80 ? String.fromCharCode(c) : "\ufffd";
  }
  return s;
}

const ESCAPES: Record<number, string> = { 0x07: "\\a", 0x08: "\\b", 0x09: "\\t", 0x0a: "\\n", 0x0b: "\\v", 0x0c: "\\f", 0x0d: "\\r", 0x5c: "\\\\" };

/** A line as Wireshark's format_text shows it in the tree: control characters escaped. */
export function lineLabel(d: Uint8Array, a: number, b: number): string {
  let s = "";
  for (let i = a; i < b; i++) {
    const c = d[i]!;
    if (c >= 0x20 && c < 0x7f && c !== 0x5c) s += String.fromCharCode(c);
    else if (ESCAPES[c] !== undefined) s += ESCAPES[c];
    else if (c < 0x80) s += "\\" + c.toString(8).padStart(3, "0");
    else s += "\ufffd";
  }
  return s;
}

/** Fields read from header lines: when none is wanted (and no tree), the header loop only checks bounds. */
const HEADER_RELATED: readonly Field[] = [http.request_line, http.response_line, http.unknown_header, http.full_uri, http.content_length, ...HEADER_FIELDS.values()];

function wantsHeaders(t: Tree): boolean {
  if (t.full) return true;
  for (let i = 0; i < HEADER_RELATED.length; i++) if (t.wants(HEADER_RELATED[i]!)) return true;
  return false;
}

function lowerName(d: Uint8Array, a: number, b: number): string {
  let s = "";
  for (let i = a; i < b; i++) {
    const c = d[i]!;
    s += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c + 32 : c);
  }
  return s;
}

/** The start line: its item, the chat expert and the parts below it. Returns the URI (requests), else "". */
function startLine(p: Packet, t: Tree, o: number, eol: number, next: number, type: HttpType): string {
  const d = t.d;
  const label = lineLabel(d, o, next);
  t.text(label, o, next - o);
  t.down();
  t.expert(p, httpEi.chat, o, next - o, label);
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
    uri = asciiText(d, us, b);
    if (t.wants(http.request_uri)) t.str(http.request_uri, us, b - us, uri);
    if (t.wants(http.request_version)) t.str(http.request_version, c, eol - c, asciiText(d, c, eol));
  }
  t.up();
  return uri;
}

export function dissectSsdp(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  const end = t.cap;
  p.protocol = "SSDP";
  if (p.wantCols) p.info.clear();
  t.proto(p, hf.proto, off, Math.max(0, end - off));
  t.curProto = "SSDP";
  let next = lineEnd(d, off, end);
  let eol = lineEol;
  const type = httpLineType(d, off, eol);
  if (type === HttpType.NONE) {
    if (p.wantCols) p.info.set("Continuation");
    if (off < end) {
      if (t.wants(http.file_data)) t.str(http.file_data, off, end - off, asciiText(d, off, end));
      if (t.full) t.label(`File Data: ${end - off} bytes`);
    }
    t.up();
    callData(p, t, off);
    return;
  }
  if (p.wantCols) p.info.set(asciiText(d, off, eol) + " ");
  const uri = startLine(p, t, off, eol, next, type);
  const lineField = type === HttpType.REQUEST ? http.request_line : type === HttpType.RESPONSE ? http.response_line : null;
  const need = wantsHeaders(t);
  let host: string | null = null;
  let o = next;
  // Each round consumes at least one byte, so the loop ends at `end`.
  while (o < end) {
    next = lineEnd(d, o, end);
    eol = lineEol;
    if (eol === o) {
      // The empty line ending the headers.
      t.text(lineLabel(d, o, next), o, next - o);
      o = next;
      break;
    }
    let colon = o;
    while (colon < eol && d[colon] !== COLON) colon++;
    // As Wireshark, a line that is not "name: value" ends the headers (and what follows is not shown).
    if (colon === eol) break;
    if (need) {
      const f = HEADER_FIELDS.get(lowerName(d, o, colon));
      if (lineField !== null && t.wants(lineField)) t.str(lineField, o, next - o, asciiText(d, o, next));
      if (f !== undefined) {
        let v = colon + 1;
        while (v < eol && (d[v] === SP || d[v] === HT)) v++;
        const value = asciiText(d, v, eol);
        if (f === http.host) host = value;
        t.str(f, o, next - o, value);
        if (t.full) t.label(lineLabel(d, o, next));
        if (f === http.content_length_header && /^[0-9]+$/.test(value)) {
          t.down();
          t.value(http.content_length, v, eol - v, Number(value));
          if (t.full) t.label(`[Content length: ${value}]`);
          t.up();
        }
      } else if (lineField === null) {
        if (t.wants(http.unknown_header)) t.str(http.unknown_header, o, next - o, asciiText(d, o, next));
        if (t.full) t.label(lineLabel(d, o, next));
      } else if (t.full) t.text(lineLabel(d, o, next), o, next - o);
    }
    o = next;
  }
  if (type !== HttpType.RESPONSE && host !== null) {
    const full = `http://${host}${uri}`;
    if (t.wants(http.full_uri)) t.str(http.full_uri, off, 0, full);
    if (t.full) t.label(`[Full request URI: ${full}]`);
  }
  t.num(type === HttpType.REQUEST ? http.request : type === HttpType.RESPONSE ? http.response : http.notification, 1);
  t.up();
  // A datagram cut by the snaplen: the headers may go on past what was captured.
  if (end < t.rep) t.check(off, t.rep - off);
}

udpPorts.add(1900, dissectSsdp);
