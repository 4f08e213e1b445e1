import { describe, expect, it } from "vitest";
import { TreeMode } from "../../../src/dissect/tree.js";
import { A4, B4, C4, eth, icmp, ip4, run, u16, u32, udp } from "./transport-build.js";

const F = ["icmp.type", "icmp.code", "icmp.checksum", "icmp.checksum.status", "icmp.ident", "icmp.ident_le", "icmp.seq",
  "icmp.seq_le", "icmp.resp_to", "icmp.resptime", "icmp.data_time", "icmp.data_time_relative", "icmp.mtu", "icmp.unused",
  "icmp.redir_gw", "icmp.pointer", "icmp.length", "icmp.length.original_datagram", "data.len", "ip.src", "udp.srcport",
  "udp.stream", "icmp.originate_timestamp", "icmp.address_mask"];

const echoBody = (sec: number) => [...u32(sec), ...u32(250000), ...new Array(40).fill(0x78)];

describe("icmp", () => {
  it("decodes echo request/reply, links the reply and reads the data timestamp", () => {
    const rs = run([
      { bytes: eth(ip4(A4, B4, 1, icmp(8, 0, [...u16(0x04ca), ...u16(1)], echoBody(1000)), { ttl: 64 })), sec: 1000, nsec: 500_000_000 },
      { bytes: eth(ip4(B4, A4, 1, icmp(0, 0, [...u16(0x04ca), ...u16(1)], echoBody(1000)), { ttl: 113 })), sec: 1000, nsec: 526_299_000 },
      { bytes: eth(ip4(B4, A4, 1, icmp(0, 0, [...u16(0x04ca), ...u16(1)], echoBody(1000)), { ttl: 113 })), sec: 1001, nsec: 0 },
    ], F);
    const [req, rep, dup] = rs;
    expect(req!.protocol).toBe("ICMP");
    expect(req!.info).toBe("Echo (ping) request  id=0x04ca, seq=1/256, ttl=64");
    expect(req!.f["icmp.checksum.status"]).toBe("1");
    expect(req!.f["icmp.ident"]).toBe("1226");
    expect(req!.f["icmp.ident_le"]).toBe("51716");
    expect(req!.f["icmp.seq_le"]).toBe("256");
    expect(req!.f["icmp.data_time"]).toBe("Jan  1, 1970 00:16:40.250000000 UTC");
    expect(req!.raw["icmp.data_time_relative"]).toEqual([0.25]);
    expect(req!.f["data.len"]).toBe("40");
    expect(rep!.info).toBe("Echo (ping) reply    id=0x04ca, seq=1/256, ttl=113 (request in 1)");
    expect(rep!.f["icmp.resp_to"]).toBe("1");
    expect(rep!.raw["icmp.resptime"]).toEqual([26.299]);
    expect(dup!.f["icmp.resp_to"]).toBe("");
  });

  it("flags a bad checksum with the value it should have", () => {
    const m = icmp(8, 0, [0, 1, 0, 2], [0x61, 0x62, 0x63]);
    const good = (m[2]! << 8) | m[3]!;
    m[2] ^= 0xff;
    const [r] = run([{ bytes: eth(ip4(A4, B4, 1, m)) }], F);
    expect(r!.f["icmp.checksum.status"]).toBe("0");
    expect(r!.experts).toContain(`Bad checksum [should be 0x${good.toString(16).padStart(4, "0")}]`);
  });

  it("dissects the quoted datagram of an error, keeping the columns", () => {
    const inner = ip4(B4, A4, 17, udp(30000, 13000, [0x58, 0x58, 0x58, 0x58]));
    const rs = run([
      { bytes: eth(ip4(C4, B4, 1, icmp(11, 0, [0, 0, 0, 0], inner))) },
      { bytes: eth(ip4(B4, A4, 17, udp(30000, 13000, [1]))) },
    ], F);
    const [err, real] = rs;
    expect(err!.protocol).toBe("ICMP");
    expect(err!.info).toBe("Time-to-live exceeded (Time to live exceeded in transit)");
    expect(err!.f["ip.src"]).toBe("10.0.0.3,10.0.0.2");
    expect(err!.f["udp.srcport"]).toBe("30000");
    expect(err!.f["udp.stream"]).toBe("0");
    expect(err!.layers).toBe("eth:ethertype:ip:icmp:ip:udp:data");
    // The quoted UDP header opened the conversation the real datagram then joins.
    expect(real!.f["udp.stream"]).toBe("0");
  });

  it("reads MTU, pointer, gateway and RFC 4884 lengths", () => {
    const inner = ip4(A4, C4, 17, udp(1, 2, new Array(40).fill(0x7a)));
    const rs = run([
      { bytes: eth(ip4(C4, A4, 1, icmp(3, 4, [0, 0, 0x05, 0xdc], inner))) },
      { bytes: eth(ip4(C4, A4, 1, icmp(12, 0, [5, 0, 0, 0], inner))) },
      { bytes: eth(ip4(C4, A4, 1, icmp(5, 1, C4, inner))) },
      { bytes: eth(ip4(C4, A4, 1, icmp(3, 1, [0, 7, 0, 0], [...inner, ...new Array(8).fill(0)]))) },
      { bytes: eth(ip4(C4, A4, 1, icmp(13, 0, [0, 1, 0, 1], [...u32(1), ...u32(2), ...u32(3)]))) },
      { bytes: eth(ip4(C4, A4, 1, icmp(17, 0, [0, 1, 0, 1], [255, 255, 255, 0]))) },
    ], F);
    expect(rs[0]!.f["icmp.mtu"]).toBe("1500");
    expect(rs[0]!.info).toBe("Destination unreachable (Fragmentation needed)");
    expect(rs[1]!.f["icmp.pointer"]).toBe("5");
    expect(rs[2]!.f["icmp.redir_gw"]).toBe("10.0.0.3");
    expect(rs[3]!.f["icmp.length"]).toBe("7");
    expect(rs[3]!.f["icmp.length.original_datagram"]).toBe("28");
    expect(rs[4]!.f["icmp.originate_timestamp"]).toBe("1");
    expect(rs[5]!.f["icmp.address_mask"]).toBe("255.255.255.0");
  });

  it("is malformed when the IP length leaves less than the fixed header", () => {
    const m = icmp(8, 0, [0, 1, 0, 2], []);
    const [r] = run([{ bytes: eth(ip4(A4, B4, 1, m.slice(0, 3))) }], F);
    expect(r!.malformed).toBe(true);
    expect(r!.f["icmp.type"]).toBe("");
    expect(r!.protocol).toBe("ICMP");
  });

  it("swallows bounds errors inside the quoted packet, as Wireshark does", () => {
    const inner = ip4(A4, C4, 17, udp(1, 53, [0x12]));
    const [r] = run([{ bytes: eth(ip4(C4, A4, 1, icmp(3, 3, [0, 0, 0, 0], inner))) }], ["dns.id", "udp.srcport"]);
    expect(r!.malformed).toBe(false);
    expect(r!.f["udp.srcport"]).toBe("1");
    expect(r!.info).toBe("Destination unreachable (Port unreachable)");
  });

  it("builds a detail tree with the quoted datagram nested", () => {
    const inner = ip4(B4, A4, 17, udp(30000, 13000, [1, 2, 3, 4]));
    const rs = run([{ bytes: eth(ip4(C4, B4, 1, icmp(11, 0, [0, 0, 0, 0], inner))) }], [], TreeMode.FULL);
    expect(rs[0]!.malformed).toBe(false);
  });
});
