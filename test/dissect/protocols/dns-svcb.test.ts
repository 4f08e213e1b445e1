// SVCB/HTTPS records (RFC 9460): every parameter key, labelled "SvcParam: key=value" as tshark
// does (ECH configs in base64, unknown keys as keyN with the value's text), in -V and JSON.
import { describe, expect, it } from "vitest";
import { HAVE_TSHARK, runArpx, runTshark, skipReason } from "../../helpers.js";
import { writePcap } from "./tshark-compare.js";

// A DNS response: example.com HTTPS 1 svc.example.com with mandatory=alpn,port alpn=h2,h3
// no-default-alpn port=8443 ipv4hint=192.0.2.1,192.0.2.2 echconfig ipv6hint key7 key99.
const FRAME = Buffer.from(
  "0200000000020200000000010800450000b0000100004011663a0a0000010a00000200359c40009c0000123481800001000100000000076578616d70" +
    "6c6503636f6d0000410001c00c004100010000012c006b000103737663076578616d706c6503636f6d00000000040001000300010006026832026833" +
    "000200000003000220fb00040008c0000201c00002020005000600046162636400060010000102030405060708090a0b0c0d0e0f000700082f717b3f" +
    "646e737d006300020102",
  "hex",
);

const skip = skipReason(HAVE_TSHARK, "tshark is not installed: SVCB parameters not compared with tshark");

describe.skipIf(skip)("DNS SVCB/HTTPS parameters", () => {
  const file = skip ? "" : writePcap("svcb.pcap", [Uint8Array.from(FRAME)]);

  it("labels each parameter as tshark -V does", () => {
    const ax = runArpx(["read", "-n", "-r", file, "-V"]).stdout;
    expect(ax).toBe(runTshark(["-n", "-r", file, "-V"]).stdout);
    for (const l of ["SvcParam: mandatory=alpn,port", "SvcParam: alpn=h2,h3", "SvcParam: no-default-alpn", "SvcParam: ipv4hint=192.0.2.1,192.0.2.2", "SvcParam: echconfig=AARhYmNk", "SvcParam: key99=\\001\\002"]) {
      expect(ax).toContain(`            ${l}\n`);
    }
  });

  it("writes the same JSON and fields as tshark", () => {
    const json = (s: string) => (JSON.parse(s) as { _source: { layers: unknown } }[]).map((p) => p._source.layers);
    expect(json(runArpx(["read", "-n", "-r", file, "-T", "json"]).stdout)).toEqual(json(runTshark(["-n", "-r", file, "-T", "json", "--no-duplicate-keys"]).stdout));
    const f = ["dns.svcb.svcparam.key", "dns.svcb.svcparam.alpn", "dns.svcb.svcparam.port", "dns.svcb.svcparam.echconfig", "dns.svcb.svcparam.value"].flatMap((x) => ["-e", x]);
    expect(runArpx(["read", "-n", "-r", file, "-T", "fields", ...f]).stdout).toBe(runTshark(["-n", "-r", file, "-T", "fields", ...f]).stdout);
  });
});
