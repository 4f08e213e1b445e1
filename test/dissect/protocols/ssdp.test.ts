import { describe, expect, it } from "vitest";
import { build, ipv4, payloadLayer } from "../../../src/dissect/build.js";
import { udpLayer } from "../../../src/dissect/protocols/udp.js";
import { HAVE_SHARED, HAVE_TSHARK, SHARED_CAPTURES } from "../../helpers.js";
import { IP_A, eth4, testIpv4 } from "./build-helpers.js";
import { decode, everyPrefixIsSafe } from "./l3-helpers.js";
import { expectSameAsTshark, expectSameOnFiltered, writePcap } from "./tshark-compare.js";

const F = ["http.request.method", "http.request.uri", "http.request.version", "http.response.version", "http.response.code",
  "http.response.code.desc", "http.response.phrase", "http.host", "http.request.line", "http.response.line", "http.user_agent",
  "http.server", "http.location", "http.cache_control", "http.date", "http.content_length_header", "http.content_length",
  "http.request", "http.response", "http.notification", "http.request.full_uri", "http.file_data", "http.chat",
  "http.unknown_header", "http.content_type", "http.connection"];

const enc = (s: string) => new TextEncoder().encode(s);

function datagram(src: string, dst: string, sport: number, dport: number, text: string): Uint8Array {
  return build([eth4(), testIpv4(ipv4(src), ipv4(dst), 17), udpLayer({ srcPort: sport, dstPort: dport }), payloadLayer(enc(text))]);
}

const M_SEARCH = "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n" +
  "ST: urn:dial-multiscreen-org:service:dial:1\r\nUSER-AGENT: Google Chrome/60.0 Windows\r\n\r\n";
const NOTIFY = "NOTIFY * HTTP/1.1\r\nHost: 239.255.255.250:1900\r\nCache-Control: max-age=1800\r\n" +
  "Location: http://10.0.0.3:80/desc.xml\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\nServer: Linux/3.0 UPnP/1.0 x/1\r\n" +
  "USN: uuid:abc::upnp:rootdevice\r\n\r\n";
const RESPONSE = "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=100\r\nDATE: Tue, 24 Nov 2026 20:00:00 GMT\r\nEXT:\r\n" +
  "LOCATION: http://10.0.0.3:49152/desc.xml\r\nSERVER: Linux UPnP/1.0\r\nST: upnp:rootdevice\r\n" +
  "USN: uuid:abc::upnp:rootdevice\r\nContent-Length: 0\r\n\r\n";

function frames(): Uint8Array[] {
  return [
    datagram("10.0.0.2", "239.255.255.250", 50000, 1900, M_SEARCH),
    datagram("10.0.0.3", "239.255.255.250", 1900, 1900, NOTIFY),
    datagram("10.0.0.3", "10.0.0.2", 1900, 50000, RESPONSE),
    datagram("10.0.0.2", "239.255.255.250", 50001, 1900, M_SEARCH.slice(0, 60)),
    datagram("10.0.0.2", "239.255.255.250", 50001, 1900, "garbage here\r\n"),
    datagram("10.0.0.3", "10.0.0.2", 1900, 50000, "HTTP/1.1 404 Not Found\nServer: x\n\n"),
    datagram("10.0.0.2", "239.255.255.250", 50002, 1900, "SUBSCRIBE /ev HTTP/1.1\r\nHOST: 10.0.0.3:1900\r\nCALLBACK: <http://x/>\r\n\r\n"),
    datagram("10.0.0.2", "239.255.255.250", 50003, 1900, "NOTIFY\r\n"),
    // A line that is not "name: value" ends the headers.
    datagram("10.0.0.2", "239.255.255.250", 50004, 1900, "GET /x HTTP/1.0\r\nHost: ab\r\nX\r\nServer: s\r\n\r\nbody"),
  ];
}

describe("ssdp", () => {
  it("decodes requests, notifications and responses into http.* fields", () => {
    const [ms, nt, rs] = frames().map((f) => decode(Array.from(f)));
    expect(ms!.p.protocol).toBe("SSDP");
    expect(ms!.p.info.toString()).toBe("M-SEARCH * HTTP/1.1 ");
    expect(ms!.v("frame.protocols")).toEqual(["eth:ethertype:ip:udp:ssdp"]);
    expect(ms!.v("http.request.method")).toEqual(["M-SEARCH"]);
    expect(ms!.v("http.request.uri")).toEqual(["*"]);
    expect(ms!.v("http.host")).toEqual(["239.255.255.250:1900"]);
    expect(ms!.v("http.request.line")).toHaveLength(5);
    expect(ms!.v("http.request.full_uri")).toEqual(["http://239.255.255.250:1900*"]);
    expect(ms!.v("http.request")).toEqual(["1"]);
    expect(ms!.text).toContain("Simple Service Discovery Protocol\n    M-SEARCH * HTTP/1.1\\r\\n\n        [Expert Info (Chat/Sequence): M-SEARCH * HTTP/1.1\\r\\n]\n            [M-SEARCH * HTTP/1.1\\r\\n]\n            [Severity level: Chat]\n            [Group: Sequence]\n        Request Method: M-SEARCH\n");
    expect(ms!.text).toContain("    MAN: \"ssdp:discover\"\\r\\n\n");
    expect(nt!.p.info.toString()).toBe("NOTIFY * HTTP/1.1 ");
    expect(nt!.v("http.notification")).toEqual(["1"]);
    expect(nt!.v("http.request.line")).toEqual([]);
    expect(nt!.v("http.unknown_header")).toEqual(["NT: upnp:rootdevice\\r\\n", "NTS: ssdp:alive\\r\\n", "USN: uuid:abc::upnp:rootdevice\\r\\n"]);
    expect(rs!.p.info.toString()).toBe("HTTP/1.1 200 OK ");
    expect(rs!.v("http.response.code")).toEqual(["200"]);
    expect(rs!.v("http.response.phrase")).toEqual(["OK"]);
    expect(rs!.v("http.content_length")).toEqual(["0"]);
    expect(rs!.text).toContain("    Content-Length: 0\\r\\n\n        [Content length: 0]\n    \\r\\n\n");
  });

  it("takes a lone method as a request line, and stops at a line that is not a header", () => {
    const f = frames();
    const lone = decode(Array.from(f[7]!));
    expect(lone.p.info.toString()).toBe("NOTIFY ");
    expect([lone.v("http.request.method"), lone.v("http.request.uri"), lone.v("http.request.version")]).toEqual([["NOTIFY"], [""], [""]]);
    const stop = decode(Array.from(f[8]!));
    expect(stop.v("http.host")).toEqual(["ab"]);
    expect(stop.v("http.server")).toEqual([]);
    expect(stop.v("http.request.line")).toEqual(["Host: ab\\r\\n"]);
  });

  it("shows a datagram that is not a message as Continuation and data", () => {
    const d = decode(Array.from(frames()[4]!));
    expect(d.p.info.toString()).toBe("Continuation");
    expect(d.v("frame.protocols")).toEqual(["eth:ethertype:ip:udp:ssdp:data"]);
    expect(d.v("http.file_data")).toEqual(["garbage here\\r\\n"]);
  });

  it("never throws on truncated frames", () => {
    for (const f of frames().slice(0, 3)) everyPrefixIsSafe(Array.from(f));
    const cut = decode(Array.from(frames()[0]!.subarray(0, 80)), 1, frames()[0]!.length);
    expect(cut.p.short).toBe(true);
    expect(cut.p.info.toString()).toContain("M-SEARCH * HTTP/1.1 ");
  });

  describe.skipIf(!HAVE_TSHARK)("agrees with tshark", () => {
    it("on built frames: summary lines and http fields", () => {
      expectSameAsTshark(writePcap("ssdp.pcap", frames()), F, frames().length);
    });

    it.skipIf(!HAVE_SHARED)("on zeek-raw_packets.pcap", () => {
      const file = `${SHARED_CAPTURES}/zeek-raw_packets.pcap`;
      expectSameOnFiltered(file, "ssdp", F);
    });
  });
});
