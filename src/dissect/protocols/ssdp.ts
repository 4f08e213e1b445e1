// Simple Service Discovery Protocol (UPnP, UDP port 1900): one HTTP-style message per datagram,
// a start line and header lines, each ended by CRLF (or a bare LF/CR), then an empty line. As in
// Wireshark, which decodes it with its HTTP dissector, the fields are the http.* ones
// (http-fields.ts); a datagram that does not start with a request or status line is shown as
// "Continuation" with its bytes as http.file_data and data.
//   start line: METHOD SP URI SP VERSION | VERSION SP CODE SP PHRASE
//   header line: Name ":" OWS value
import { registerProtocol } from "../fields.js";
import { callData, udpPorts } from "../dispatch.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { hf as http, HttpType, httpLineType } from "./http-fields.js";
import { asciiText, headerLines, lineEnd, lineEol, startLine } from "./http-message.js";

export const hf = registerProtocol("ssdp", "Simple Service Discovery Protocol", {});

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
  if (p.wantCols) p.info.clear().text(d, off, eol).char(0x20);
  const uri = startLine(p, t, off, eol, next, type);
  const host = headerLines(t, next, end, type, true).host;
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
