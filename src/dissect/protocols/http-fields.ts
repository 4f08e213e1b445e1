// The http.* fields, as Wireshark 4.0 names them. Wireshark decodes SSDP (and other HTTP-over-UDP
// protocols) with its HTTP dissector, so their fields are http.* whatever protocol carries them;
// they live here so that an HTTP-over-TCP dissector can share them with ssdp.ts.
import { Base, FT, registerExperts, registerProtocol, vals } from "../fields.js";

export const STATUS_CODES = vals({
  100: "Continue", 101: "Switching Protocols", 102: "Processing", 103: "Early Hints",
  199: "Informational - Others",
  200: "OK", 201: "Created", 202: "Accepted", 203: "Non-authoritative Information", 204: "No Content",
  205: "Reset Content", 206: "Partial Content", 207: "Multi-Status", 208: "Already Reported", 226: "IM Used",
  299: "Success - Others",
  300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
  305: "Use Proxy", 307: "Temporary Redirect", 308: "Permanent Redirect",
  399: "Redirection - Others",
  400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
  405: "Method Not Allowed", 406: "Not Acceptable", 407: "Proxy Authentication Required", 408: "Request Time-out",
  409: "Conflict", 410: "Gone", 411: "Length Required", 412: "Precondition Failed", 413: "Request Entity Too Large",
  414: "Request-URI Too Long", 415: "Unsupported Media Type", 416: "Requested Range Not Satisfiable",
  417: "Expectation Failed", 418: "I'm a teapot", 421: "Misdirected Request", 422: "Unprocessable Entity",
  423: "Locked", 424: "Failed Dependency", 425: "Too Early", 426: "Upgrade Required", 428: "Precondition Required",
  429: "Too Many Requests", 431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
  499: "Client Error - Others",
  500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
  504: "Gateway Time-out", 505: "HTTP Version not supported", 506: "Variant Also Negotiates",
  507: "Insufficient Storage", 508: "Loop Detected", 510: "Not Extended", 511: "Network Authentication Required",
  599: "Server Error - Others",
});

const str = (abbrev: string, name: string) => ({ abbrev, name, type: FT.STRING });

export const hf = registerProtocol("http", "Hypertext Transfer Protocol", {
  notification: { abbrev: "http.notification", name: "Notification", type: FT.BOOLEAN, hidden: true, generated: true },
  response: { abbrev: "http.response", name: "Response", type: FT.BOOLEAN, hidden: true, generated: true },
  request: { abbrev: "http.request", name: "Request", type: FT.BOOLEAN, hidden: true, generated: true },
  response_line: { ...str("http.response.line", "Response line"), hidden: true },
  request_line: { ...str("http.request.line", "Request line"), hidden: true },
  request_method: str("http.request.method", "Request Method"),
  request_uri: str("http.request.uri", "Request URI"),
  request_uri_path: str("http.request.uri.path", "Request URI Path"),
  request_uri_query: str("http.request.uri.query", "Request URI Query"),
  request_uri_query_parameter: str("http.request.uri.query.parameter", "Request URI Query Parameter"),
  request_version: str("http.request.version", "Request Version"),
  response_version: str("http.response.version", "Response Version"),
  full_uri: { ...str("http.request.full_uri", "Full request URI"), generated: true },
  response_code: { abbrev: "http.response.code", name: "Status Code", type: FT.UINT16, base: Base.DEC },
  response_code_desc: { ...str("http.response.code.desc", "Status Code Description"), generated: true },
  response_phrase: str("http.response.phrase", "Response Phrase"),
  authorization: str("http.authorization", "Authorization"),
  proxy_authenticate: str("http.proxy_authenticate", "Proxy-Authenticate"),
  proxy_authorization: str("http.proxy_authorization", "Proxy-Authorization"),
  www_authenticate: str("http.www_authenticate", "WWW-Authenticate"),
  content_type: str("http.content_type", "Content-Type"),
  content_length_header: str("http.content_length_header", "Content-Length"),
  content_length: { abbrev: "http.content_length", name: "Content length", type: FT.UINT64, base: Base.DEC, generated: true },
  content_encoding: str("http.content_encoding", "Content-Encoding"),
  transfer_encoding: str("http.transfer_encoding", "Transfer-Encoding"),
  upgrade: str("http.upgrade", "Upgrade"),
  user_agent: str("http.user_agent", "User-Agent"),
  host: str("http.host", "Host"),
  connection: str("http.connection", "Connection"),
  cookie: str("http.cookie", "Cookie"),
  accept: str("http.accept", "Accept"),
  referer: str("http.referer", "Referer"),
  accept_language: str("http.accept_language", "Accept-Language"),
  accept_encoding: str("http.accept_encoding", "Accept Encoding"),
  date: str("http.date", "Date"),
  cache_control: str("http.cache_control", "Cache-Control"),
  server: str("http.server", "Server"),
  location: str("http.location", "Location"),
  sec_websocket_accept: str("http.sec_websocket_accept", "Sec-WebSocket-Accept"),
  sec_websocket_extensions: str("http.sec_websocket_extensions", "Sec-WebSocket-Extensions"),
  sec_websocket_key: str("http.sec_websocket_key", "Sec-WebSocket-Key"),
  sec_websocket_protocol: str("http.sec_websocket_protocol", "Sec-WebSocket-Protocol"),
  sec_websocket_version: str("http.sec_websocket_version", "Sec-WebSocket-Version"),
  set_cookie: str("http.set_cookie", "Set-Cookie"),
  last_modified: str("http.last_modified", "Last-Modified"),
  x_forwarded_for: str("http.x_forwarded_for", "X-Forwarded-For"),
  http2_settings: str("http.http2_settings", "HTTP2-Settings"),
  unknown_header: str("http.unknown_header", "Unknown header"),
  file_data: str("http.file_data", "File Data"),
  request_number: { abbrev: "http.request_number", name: "Request number", type: FT.UINT32, generated: true },
  response_number: { abbrev: "http.response_number", name: "Response number", type: FT.UINT32, generated: true },
  time: { abbrev: "http.time", name: "Time since request", type: FT.RELATIVE_TIME, generated: true, unit: " seconds" },
  prev_request_in: { abbrev: "http.prev_request_in", name: "Prev request in frame", type: FT.FRAMENUM, generated: true },
  prev_response_in: { abbrev: "http.prev_response_in", name: "Prev response in frame", type: FT.FRAMENUM, generated: true },
  request_in: { abbrev: "http.request_in", name: "Request in frame", type: FT.FRAMENUM, generated: true },
  response_for_uri: { ...str("http.response_for.uri", "Request URI"), generated: true },
});

export const ei = registerExperts(hf.proto, {
  chat: { abbrev: "http.chat", group: "sequence", severity: "chat", summary: "Formatted text" },
});

/** Headers with a field of their own (matched case-insensitively), keyed by lower-case name. */
export const HEADER_FIELDS: ReadonlyMap<string, typeof hf.host> = new Map([
  ["authorization", hf.authorization], ["proxy-authorization", hf.proxy_authorization],
  ["proxy-authenticate", hf.proxy_authenticate], ["www-authenticate", hf.www_authenticate],
  ["content-type", hf.content_type], ["content-length", hf.content_length_header],
  ["content-encoding", hf.content_encoding], ["transfer-encoding", hf.transfer_encoding], ["upgrade", hf.upgrade],
  ["user-agent", hf.user_agent], ["host", hf.host], ["connection", hf.connection], ["cookie", hf.cookie],
  ["accept", hf.accept], ["referer", hf.referer], ["accept-language", hf.accept_language],
  ["accept-encoding", hf.accept_encoding], ["date", hf.date], ["cache-control", hf.cache_control],
  ["server", hf.server], ["location", hf.location], ["sec-websocket-accept", hf.sec_websocket_accept],
  ["sec-websocket-extensions", hf.sec_websocket_extensions], ["sec-websocket-key", hf.sec_websocket_key],
  ["sec-websocket-protocol", hf.sec_websocket_protocol], ["sec-websocket-version", hf.sec_websocket_version],
  ["set-cookie", hf.set_cookie], ["last-modified", hf.last_modified], ["x-forwarded-for", hf.x_forwarded_for],
  ["http2-settings", hf.http2_settings],
]);

export const enum HttpType {
  NONE,
  REQUEST,
  RESPONSE,
  NOTIFICATION,
}

/** Request methods Wireshark recognises at the start of a message; NOTIFY and (UN)SUBSCRIBE are notifications. */
const METHODS: ReadonlyMap<string, HttpType> = new Map([
  ...["GET", "PUT", "COPY", "HEAD", "LOCK", "MOVE", "POLL", "POST", "BCOPY", "BMOVE", "MKCOL", "TRACE", "PATCH",
    "LABEL", "MERGE", "DELETE", "SEARCH", "UNLOCK", "REPORT", "UPDATE", "BDELETE", "CONNECT", "OPTIONS", "CHECKIN",
    "PROPFIND", "CHECKOUT", "CCM_POST", "M-SEARCH", "PROPPATCH", "BPROPFIND", "BPROPPATCH", "UNCHECKOUT",
    "MKACTIVITY", "MKWORKSPACE", "RPC_CONNECT", "RPC_IN_DATA", "RPC_OUT_DATA", "VERSION-CONTROL", "BASELINE-CONTROL",
  ].map((m) => [m, HttpType.REQUEST] as const),
  ...["NOTIFY", "SUBSCRIBE", "UNSUBSCRIBE"].map((m) => [m, HttpType.NOTIFICATION] as const),
]);

/** The methods by length, compared byte by byte (no string made per packet). */
const METHODS_BY_LENGTH: [string, HttpType][][] = [];
for (const [m, type] of METHODS) (METHODS_BY_LENGTH[m.length] ??= []).push([m, type]);

/** Headers with a field of their own by name length, for matching the bytes of a header name. */
export const HEADERS_BY_LENGTH: [string, typeof hf.host][][] = [];
for (const [name, f] of HEADER_FIELDS) (HEADERS_BY_LENGTH[name.length] ??= []).push([name, f]);

/**
 * What kind of message a first line d[o, end) starts: a status line ("HTTP/..."), or a request
 * line whose first word (up to a space or the end of the line) is a known method.
 */
export function httpLineType(d: Uint8Array, o: number, end: number): HttpType {
  if (end - o >= 5 && d[o] === 0x48 && d[o + 1] === 0x54 && d[o + 2] === 0x54 && d[o + 3] === 0x50 && d[o + 4] === 0x2f) return HttpType.RESPONSE;
  let i = o;
  while (i < end && i - o < 17 && d[i] !== 0x20) i++;
  if (i === o || (i < end && d[i] !== 0x20)) return HttpType.NONE;
  const candidates = METHODS_BY_LENGTH[i - o];
  if (candidates === undefined) return HttpType.NONE;
  outer: for (const [m, type] of candidates) {
    for (let k = 0; k < m.length; k++) if (d[o + k] !== m.charCodeAt(k)) continue outer;
    return type;
  }
  return HttpType.NONE;
}
