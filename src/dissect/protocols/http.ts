// Hypertext Transfer Protocol/1.x over TCP, as tshark 4.0 shows it with its default preferences:
// headers and bodies are reassembled over TCP segments (tcp-reassembly.ts), a body without a
// length runs until the FIN in responses, chunked bodies are walked to their last chunk.
// What arrives without a request or status line is "Continuation".
//   message: start line CRLF *(header CRLF) CRLF [body]
// The fields are the http.* ones SSDP shares (http-fields.ts); the lines and headers are read by
// http-message.ts.
import { registerProtocol } from "../fields.js";
import { callData, tcpPorts } from "../dispatch.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { formatString } from "../format.js";
import { hf as http, HttpType, httpLineType } from "./http-fields.js";
import { asciiText, headerLines, lineEnd, lineEol, lineLabel, startLine, textLabel, wantsHeaders } from "./http-message.js";
import { markReassembling, ONE_MORE_SEGMENT, UNTIL_FIN } from "./tcp-reassembly.js";
import { TCP_CONV_CAP } from "./udp.js";
import { StreamRing } from "../session.js";

/** Wireshark 4.0's default TCP ports for HTTP. */
const PORTS = [80, 3128, 3132, 5985, 8080, 8088, 11371, 1900, 2869, 2710];

const textLines = registerProtocol("data-text-lines", "Line-based text data", {});
const media = registerProtocol("media", "Media Type", {});

const CR = 0x0d, LF = 0x0a;

// ---- requests and responses of a connection ----

/**
 * What HTTP remembers of a TCP connection (in a StreamRing): Wireshark's exchange list, of which
 * only the latest exchange (a request and the response matched to it) and the one before matter
 * in one pass.
 */
interface HttpConv {
  stream: number;
  /** Exchanges numbered so far (Wireshark's req_res_num); 0: none yet. */
  count: number;
  /** A request was seen: data that starts no message is then "Continuation". */
  seenRequest: boolean;
  /** The latest request's URI (what a response is shown as answering). */
  lastUri: string;
  /** The latest request was HEAD: its response has no body, whatever Content-Length says. */
  head: boolean;
  /** The latest exchange: its number, request frame and time, response frame (0: none). */
  number: number;
  req: number;
  reqSec: number;
  reqNsec: number;
  res: number;
  /** The exchange before it (frames; 0: none). */
  prevReq: number;
  prevRes: number;
}

function newConv(): HttpConv {
  return { stream: -1, count: 0, seenRequest: false, lastUri: "", head: false, number: 0, req: 0, reqSec: 0, reqNsec: 0, res: 0, prevReq: 0, prevRes: 0 };
}

function resetConv(c: HttpConv): void {
  c.count = 0;
  c.seenRequest = false;
  c.lastUri = "";
  c.head = false;
  c.number = c.req = c.reqSec = c.reqNsec = c.res = c.prevReq = c.prevRes = 0;
}

/** The connection's record, or null outside TCP. */
function convOf(p: Packet): HttpConv | null {
  if (p.tcpStream < 0) return null;
  return p.session.store("http", () => new StreamRing(TCP_CONV_CAP, newConv, resetConv)).get(p.tcpStream);
}

/** A new latest exchange; the current one becomes the previous. */
function nextExchange(c: HttpConv, req: number, sec: number, nsec: number): void {
  if (c.count > 0) {
    c.prevReq = c.req;
    c.prevRes = c.res;
  }
  c.number = ++c.count;
  c.req = req;
  c.reqSec = sec;
  c.reqNsec = nsec;
  c.res = 0;
}

/** The exchange items of a request ("[HTTP request 1/1]") or a response. */
function exchange(p: Packet, t: Tree, c: HttpConv | null, type: HttpType, uri: string): void {
  if (c === null || (type !== HttpType.REQUEST && type !== HttpType.RESPONSE)) return;
  if (type === HttpType.REQUEST) {
    const first = c.count === 0;
    nextExchange(c, p.num, p.tsSec, p.tsNsec);
    c.lastUri = uri;
    t.num(http.request_number, c.number);
    if (t.full) t.label(`[HTTP request ${c.number}/${c.count}]`);
    if (!first && c.prevReq !== 0) t.num(http.prev_request_in, c.prevReq);
    return;
  }
  // As Wireshark: the response answers the latest exchange if that has no response yet.
  if (c.count === 0 || c.res !== 0) nextExchange(c, 0, 0, 0);
  c.res = p.num;
  t.num(http.response_number, c.number);
  if (t.full) t.label(`[HTTP response ${c.number}/${c.count}]`);
  if (c.req !== 0) t.relTime(http.time, p.tsSec, p.tsNsec, c.reqSec, c.reqNsec);
  if (c.number > 1 && c.prevReq !== 0) t.num(http.prev_request_in, c.prevReq);
  if (c.number > 1 && c.prevRes !== 0) t.num(http.prev_response_in, c.prevRes);
  if (c.req !== 0) t.num(http.request_in, c.req);
  if (c.lastUri !== "" && t.wants(http.response_for_uri)) t.str(http.response_for_uri, 0, 0, c.lastUri);
}

/**
 * Decodes the messages in d[off, t.rep). A message that goes on past the data is left to TCP's
 * reassembly through p.desegmentOffset / p.desegmentLen.
 */
export function dissectHttp(p: Packet, t: Tree, off: number): void {
  let o = off;
  while (o < t.rep) {
    const n = message(p, t, o, off);
    if (n <= 0) return;
    o += n;
  }
}

/**
 * One message at `o`. Returns its length, or 0 when it asked TCP for more bytes (or took the rest
 * of the data).
 */
function message(p: Packet, t: Tree, o: number, base: number): number {
  const first = o === base;
  const c = convOf(p);
  const d = t.d;
  const cap = t.cap;
  const next = lineEnd(d, o, cap);
  const eol = lineEol;
  const lineDone = eol < cap;
  const type = httpLineType(d, o, eol);
  if (type === HttpType.NONE) {
    // Wireshark claims such data for HTTP only once it saw a request on the connection.
    if (c === null || c.seenRequest) continuation(p, t, o, first);
    return 0;
  }
  if (!lineDone && p.canDesegment) return more(p, o - base, ONE_MORE_SEGMENT);
  if (lineDone) {
    p.protocol = "HTTP";
    if (p.wantCols) {
      if (first) p.info.clear();
      p.info.text(d, o, eol).char(0x20);
    }
  }

  // Framing: where the headers end and how long the body is.
  const h = headerLines(t, next, cap, type, false);
  const headersEnd = h.end;
  const complete = h.complete;
  const contentLength = h.contentLength;
  const chunked = h.chunked;
  let bodyLen = 0;
  // As Wireshark: the response to a HEAD request is not waited for past its headers.
  const afterHead = type === HttpType.RESPONSE && c !== null && c.head;
  if (afterHead) bodyLen = Math.max(0, Math.min(contentLength, cap - headersEnd));
  else if (complete) {
    if (contentLength >= 0) bodyLen = contentLength;
    else if (chunked) {
      const c = chunkedLength(d, headersEnd, cap);
      if (c < 0) {
        if (p.canDesegment) return more(p, o - base, ONE_MORE_SEGMENT);
        bodyLen = cap - headersEnd;
      } else bodyLen = c;
    } else if (type === HttpType.RESPONSE && hasBody(d, o, eol)) {
      if (p.canDesegment) return more(p, o - base, UNTIL_FIN);
      bodyLen = t.rep - headersEnd;
    }
  }
  if (p.canDesegment) {
    if (!complete) return more(p, o - base, ONE_MORE_SEGMENT);
    const have = cap - headersEnd;
    if (bodyLen > have) return more(p, o - base, bodyLen - have);
  }

  const end = Math.min(t.rep, headersEnd + bodyLen);
  t.proto(p, http.proto, o, end - o);
  if (!first) listedOnce(p);
  t.curProto = "HTTP";
  const uri = startLine(p, t, o, eol, next, type);
  // The framing pass above already read the host and content type; a second pass is for the items.
  const hv = wantsHeaders(t) ? headerLines(t, next, cap, type, true) : h;
  const host = hv.host;
  const contentType = hv.contentType;
  let shownUri = uri;
  if (type !== HttpType.RESPONSE && host !== null) {
    shownUri = /^https?:\/\//i.test(uri) ? uri : `http://${host}${uri}`;
    if (t.wants(http.full_uri)) t.str(http.full_uri, o, 0, shownUri);
    if (t.full) t.label(`[Full request URI: ${formatString(shownUri)}]`);
  }
  t.num(type === HttpType.REQUEST ? http.request : type === HttpType.RESPONSE ? http.response : http.notification, 1);
  if (type === HttpType.REQUEST && c !== null) {
    c.seenRequest = true;
    c.head = eol - o > 5 && d[o] === 0x48 && d[o + 1] === 0x45 && d[o + 2] === 0x41 && d[o + 3] === 0x44 && d[o + 4] === 0x20;
  }
  exchange(p, t, c, type, shownUri);
  // The headers may go on past the captured bytes (a snaplen): that is where decoding stops.
  if (!complete) t.check(o, t.rep - o);
  const bodyCap = Math.min(cap, end) - headersEnd;
  if (bodyLen > 0 && bodyCap > 0) {
    if (t.wants(http.file_data)) t.str(http.file_data, headersEnd, bodyCap, asciiText(d, headersEnd, headersEnd + bodyCap));
    if (t.full) t.label(`File Data: ${bodyLen} bytes`);
  }
  // A body without a content type is data inside the HTTP item; others are protocols of their own.
  if (bodyLen > 0 && bodyCap > 0 && contentType === null) {
    t.enter(end);
    callData(p, t, headersEnd);
    t.leave();
  }
  t.up();
  if (bodyLen > 0 && bodyCap > 0 && contentType !== null) {
    if (p.wantCols) p.info.add(` (${contentType})`);
    body(p, t, headersEnd, headersEnd + bodyCap, contentType);
  }
  if (end < t.rep && headersEnd + bodyLen > cap) t.check(o, end - o);
  return end > o ? end - o : 0;
}

/**
 * Wireshark lists a protocol once per call in frame.protocols, however many messages it decodes
 * (each is still an item of the tree, and counted in the protocol hierarchy).
 */
function listedOnce(p: Packet): void {
  p.layers.pop();
}

/** Asks TCP for `n` more bytes (or ONE_MORE_SEGMENT / UNTIL_FIN) for the message `at` bytes into what it was given. */
function more(p: Packet, at: number, n: number): number {
  p.desegmentOffset = at;
  p.desegmentLen = n;
  return 0;
}

/** Data that does not start a message: "Continuation", and its bytes as data. */
function continuation(p: Packet, t: Tree, o: number, first: boolean): void {
  p.protocol = "HTTP";
  if (p.wantCols) {
    if (first) p.info.set("Continuation");
    else p.info.add("Continuation");
  }
  t.proto(p, http.proto, o, t.rep - o);
  if (!first) listedOnce(p);
  t.curProto = "HTTP";
  callData(p, t, o);
  t.up();
}

/** Responses carry a body unless 1xx, 204 or 304 (RFC 9112 6.3). */
function hasBody(d: Uint8Array, o: number, eol: number): boolean {
  let i = o;
  while (i < eol && d[i] !== 0x20) i++;
  const c = i + 1;
  if (c + 3 > eol) return true;
  const code = (d[c]! - 0x30) * 100 + (d[c + 1]! - 0x30) * 10 + (d[c + 2]! - 0x30);
  return !(code >= 100 && code < 200) && code !== 204 && code !== 304;
}

/**
 * Length of a chunked body starting at `o` (through the last chunk and its trailer), or -1 when
 * it goes on past `end`.
 */
function chunkedLength(d: Uint8Array, o: number, end: number): number {
  let i = o;
  for (;;) {
    const next = lineEnd(d, i, end);
    const eol = lineEol;
    if (eol >= end) return -1;
    let size = 0, digits = 0;
    for (let k = i; k < eol; k++) {
      const c = d[k]!;
      const v = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
      if (v < 0) break;
      size = size * 16 + v;
      digits++;
    }
    if (digits === 0) return next - o;
    i = next;
    if (size === 0) {
      // Trailer lines up to an empty line.
      for (;;) {
        const n2 = lineEnd(d, i, end);
        if (lineEol >= end) return -1;
        const empty = lineEol === i;
        i = n2;
        if (empty) return i - o;
      }
    }
    i += size;
    if (i > end) return -1;
    if (i < end && d[i] === CR) i++;
    if (i < end && d[i] === LF) i++;
    if (i >= end) return -1;
  }
}

/** A typed body: text lines for text/*, the media dissector's bytes for other types. */
function body(p: Packet, t: Tree, a: number, b: number, contentType: string): void {
  const d = t.d;
  if (contentType.startsWith("text/")) {
    let lines = 0;
    for (let i = a; i < b; ) {
      const n = lineEnd(d, i, b);
      lines++;
      i = n;
    }
    t.proto(p, textLines.proto, a, b - a);
    if (t.full) {
      t.label(`Line-based text data: ${contentType} (${lines} lines)`);
      for (let i = a; i < b; ) {
        const n = lineEnd(d, i, b);
        t.line(textLabel(lineLabel(d, i, n)), i, n - i);
        i = n;
      }
    }
    t.up();
    return;
  }
  t.proto(p, media.proto, a, b - a);
  if (t.full) t.label(`Media Type`);
  t.up();
}

markReassembling(dissectHttp);
// TCP port 1900 is SSDP in Wireshark (its own protocol column); arpx decodes SSDP over UDP only.
for (const port of PORTS) if (port !== 1900) tcpPorts.add(port, dissectHttp);
