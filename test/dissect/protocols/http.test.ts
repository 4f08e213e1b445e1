// HTTP over TCP and TCP reassembly: generated connections (headers split over segments, bodies by
// Content-Length, chunked, until the FIN, pipelined messages, a lost segment) read by arpx and
// by tshark, which must print the same summary lines and fields; plus the public captures with
// HTTP and what needs no tshark (memory bound, reassembly state, bad input).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HAVE_SHARED, HAVE_TSHARK, runArpx, SHARED_CAPTURES, skipReason } from "../../helpers.js";
import { ACK, FIN, frames, handshake, pcap, PSH, run, type Seg } from "./tcp-scenarios.js";
import { expectSameAsTshark } from "./tshark-compare.js";

const enc = (s: string) => new TextEncoder().encode(s);

const HTTP_FIELDS = [
  "tcp.len", "tcp.segment", "tcp.segment.count", "tcp.reassembled.length", "tcp.segment_data",
  "http.request.method", "http.request.uri", "http.request.version", "http.response.code", "http.response.phrase",
  "http.host", "http.content_type", "http.content_length", "http.request.full_uri", "http.request_number",
  "http.response_number", "http.request_in", "http.prev_request_in", "http.prev_response_in", "http.time",
  "http.response_for.uri", "http.request.uri.query.parameter",
];

/** Client segments (from the client's seq `c`) and server segments, one after the other. */
function conn(exchanges: { from: "c" | "s"; bytes: string | Uint8Array; flags?: number }[]): Seg[] {
  const segs = handshake();
  let c = 1, s = 1, us = 30_000;
  for (const x of exchanges) {
    const payload = typeof x.bytes === "string" ? enc(x.bytes) : x.bytes;
    const flags = x.flags ?? ACK | PSH;
    if (x.from === "c") {
      segs.push({ us, from: "c", seq: c, ack: s, flags, payload });
      c += payload.length + (flags & FIN ? 1 : 0);
    } else {
      segs.push({ us, from: "s", seq: s, ack: c, flags, payload });
      s += payload.length + (flags & FIN ? 1 : 0);
    }
    us += 1_000;
  }
  return segs;
}

const REQ = "GET /search?q=arpx&lang=en HTTP/1.1\r\nHost: example.test\r\nUser-Agent: arpx-test\r\nAccept: */*\r\n\r\n";
const HEAD = "HTTP/1.1 200 OK\r\nServer: t\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 60\r\n\r\n";
const BODY = "<html>\n<body>\nhello from the reassembly test, 60 bytes</body>\n".slice(0, 60);

export const HTTP_SCENARIOS: Record<string, Seg[]> = {
  "request and response in one segment each": conn([{ from: "c", bytes: REQ }, { from: "s", bytes: HEAD + BODY }]),
  "headers split over three segments": conn([
    { from: "c", bytes: REQ.slice(0, 10) }, { from: "c", bytes: REQ.slice(10, 50) }, { from: "c", bytes: REQ.slice(50) },
    { from: "s", bytes: HEAD + BODY },
  ]),
  "body by Content-Length over segments": conn([
    { from: "c", bytes: REQ }, { from: "s", bytes: HEAD + BODY.slice(0, 10) }, { from: "s", bytes: BODY.slice(10, 40) },
    { from: "s", bytes: BODY.slice(40) },
  ]),
  "chunked body": conn([
    { from: "c", bytes: REQ },
    { from: "s", bytes: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n" },
    { from: "s", bytes: "6\r\n world\r\n0\r\n\r\n" },
  ]),
  "body until the FIN": conn([
    { from: "c", bytes: "GET / HTTP/1.0\r\n\r\n" },
    { from: "s", bytes: "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nline one\n" },
    { from: "s", bytes: "line two\n" },
    { from: "s", bytes: "", flags: ACK | FIN },
  ]),
  "no body for 304 and 204": conn([
    { from: "c", bytes: REQ }, { from: "s", bytes: "HTTP/1.1 304 Not Modified\r\nServer: t\r\n\r\n" },
    { from: "c", bytes: REQ }, { from: "s", bytes: "HTTP/1.1 204 No Content\r\n\r\n" },
  ]),
  "pipelined requests and responses": conn([
    { from: "c", bytes: REQ + REQ },
    { from: "s", bytes: HEAD + BODY + HEAD },
    { from: "s", bytes: BODY },
  ]),
  "POST with a body and no content type": conn([
    { from: "c", bytes: "POST /form HTTP/1.1\r\nHost: example.test\r\nContent-Length: 7\r\n\r\na=1&b=2" },
    { from: "s", bytes: "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n" },
  ]),
  "HEAD: the response's Content-Length announces no body": conn([
    { from: "c", bytes: "HEAD /big HTTP/1.1\r\nHost: example.test\r\n\r\n" },
    { from: "s", bytes: "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n" },
    { from: "c", bytes: REQ }, { from: "s", bytes: HEAD + BODY },
  ]),
  "data before any request is not HTTP": conn([{ from: "s", bytes: "hello, not a response\r\n" }, { from: "c", bytes: REQ }]),
};

// The "lost segment" case: the second part of a response is never captured.
HTTP_SCENARIOS["a gap abandons the PDU"] = (() => {
  const segs = conn([{ from: "c", bytes: REQ }, { from: "s", bytes: HEAD + BODY.slice(0, 10) }]);
  const last = segs[segs.length - 1]!;
  segs.push({ us: last.us + 1_000, from: "s", seq: last.seq + last.payload!.length + 20, ack: last.ack, flags: ACK | PSH, payload: enc(BODY.slice(30)) });
  return segs;
})();

function writeFile(name: string, segs: Seg[]): string {
  const path = join(mkdtempSync(join(tmpdir(), "arpx-http-")), name.replace(/\W+/g, "-") + ".pcap");
  writeFileSync(path, pcap(frames(segs, 1_700_000_000, 80)));
  return path;
}

const noTshark = skipReason(HAVE_TSHARK, "tshark is not installed: HTTP scenarios not compared with tshark");

describe.skipIf(noTshark)("HTTP and TCP reassembly agree with tshark", () => {
  it.each(Object.entries(HTTP_SCENARIOS))("%s", (name, segs) => {
    expectSameAsTshark(writeFile(name, segs), HTTP_FIELDS, segs.length);
  });
});

const HTTP_CAPTURES = ["zeek-chksums-localhost-bad-chksum.pcap", "zeek-communityid-tcp.pcap", "zeek-tcp-missing-syn.pcap",
  "zeek-tcp-payload-syn.pcap", "zeek-tcp-tcp-fast-open.pcap"];
const noShared = noTshark || skipReason(HAVE_SHARED, "../shared/captures/public absent: HTTP captures not compared with tshark");

describe.skipIf(noShared)("HTTP in public captures agrees with tshark", () => {
  it.each(HTTP_CAPTURES)("%s", (file) => {
    const path = join(SHARED_CAPTURES, file);
    const count = runArpx(["read", "-r", path]).stdout.split("\n").filter((l) => l !== "").length;
    expectSameAsTshark(path, HTTP_FIELDS, count);
  });
});

describe("TCP reassembly without tshark", () => {
  it("holds a response's segments and shows the response in the last one", () => {
    const r = run(frames(HTTP_SCENARIOS["body by Content-Length over segments"]!, 1_700_000_000, 80), ["tcp.reassembled.length", "tcp.segment", "http.response.code"]);
    const n = r.info.length;
    expect(r.info[n - 3]).toBe("HTTP/1.1 200 OK  [TCP segment of a reassembled PDU]");
    expect(r.info[n - 2]).toMatch(/\[TCP segment of a reassembled PDU\]$/);
    expect(r.info[n - 1]).toBe("HTTP/1.1 200 OK  (text/html)");
    expect(r.v[n - 1]!["tcp.reassembled.length"]).toBe(String(HEAD.length + BODY.length));
    expect(r.v[n - 1]!["tcp.segment"]).toBe(`${n - 2},${n - 1},${n}`);
    expect(r.v[n - 1]!["http.response.code"]).toBe("200");
  });

  it("gives up a PDU larger than its bound and goes on decoding", () => {
    // A response announcing 100 MB is more than a PDU may hold (16 MiB): it is decoded as it
    // stands, as without reassembly, and the next request is HTTP again.
    const big = "HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n";
    const r = run(frames(conn([{ from: "c", bytes: REQ }, { from: "s", bytes: big }, { from: "c", bytes: REQ }]), 1_700_000_000, 80), ["http.request.method"]);
    const n = r.info.length;
    expect(r.info[n - 2]).toBe("HTTP/1.1 200 OK ");
    expect(r.info[n - 1]).toBe("GET /search?q=arpx&lang=en HTTP/1.1 ");
  });

  it("survives truncated and random payloads on port 80", () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let k = 0; k < 200; k++) {
      const cut = Math.floor(rnd() * REQ.length);
      const junk = Uint8Array.from({ length: Math.floor(rnd() * 80) }, () => Math.floor(rnd() * 256));
      const segs = conn([{ from: "c", bytes: REQ.slice(0, cut) }, { from: "c", bytes: junk }, { from: "s", bytes: HEAD.slice(0, cut % HEAD.length) }, { from: "s", bytes: junk }]);
      expect(() => run(frames(segs, 1_700_000_000, 80), ["http.request.method", "tcp.segment"])).not.toThrow();
    }
  });
});
