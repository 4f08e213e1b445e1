import { describe, expect, it } from "vitest";
import { build, ipv4, payloadLayer } from "../../../src/dissect/build.js";
import { dhcpLayer, dhcpOption } from "../../../src/dissect/protocols/dhcp.js";
import { udpLayer } from "../../../src/dissect/protocols/udp.js";
import { TreeMode } from "../../../src/dissect/tree.js";
import { ETH, IP4, MAC_A, dissect, eth4, pseudoChecksumOk, testIpv4 } from "./build-helpers.js";

const F = ["dhcp.type", "dhcp.hw.type", "dhcp.hw.len", "dhcp.hops", "dhcp.id", "dhcp.secs", "dhcp.flags", "dhcp.flags.bc",
  "dhcp.ip.client", "dhcp.ip.your", "dhcp.ip.server", "dhcp.ip.relay", "dhcp.hw.mac_addr", "dhcp.cookie",
  "dhcp.option.type", "dhcp.option.length", "dhcp.option.dhcp", "dhcp.option.request_list_item", "dhcp.option.hostname",
  "dhcp.option.requested_ip_address", "dhcp.option.dhcp_server_id", "dhcp.option.ip_address_lease_time",
  "dhcp.option.subnet_mask", "dhcp.option.router", "dhcp.option.end", "dhcp.option.padding", "dhcp.end_option_missing",
  "udp.length"];

const XID = 0x3903f326;
const zeros = (n: number) => new Array<number>(n).fill(0);
// DHCPDISCOVER from 02:00:00:00:00:01, broadcast flag, options 53 (Discover), 55 (1, 3, 6),
// 12 ("host"), End, padded to 300 bytes.
const FIXTURE = Uint8Array.from([
  1, 1, 6, 0, 0x39, 0x03, 0xf3, 0x26, 0, 0, 0x80, 0, ...zeros(16),
  0x02, 0, 0, 0, 0, 0x01, ...zeros(10), ...zeros(64), ...zeros(128),
  0x63, 0x82, 0x53, 0x63,
  53, 1, 1, 55, 3, 1, 3, 6, 12, 4, 0x68, 0x6f, 0x73, 0x74, 255, ...zeros(45),
]);

const DISCOVER = dhcpLayer({
  op: 1, xid: XID, chaddr: MAC_A, broadcast: true,
  // the message type is given last: the layer puts it first
  options: [dhcpOption.paramRequestList([1, 3, 6]), dhcpOption.hostname("host"), dhcpOption.messageType(1)],
});

function frame(...layers: Parameters<typeof build>[0]) {
  return build([eth4(), testIpv4(0, 0xffffffff, 17), udpLayer({ srcPort: 68, dstPort: 67 }), ...layers]);
}

describe("dhcpLayer", () => {
  it("emits the fixture (cookie, message type first, End, padding to 300)", () => {
    expect(FIXTURE.length).toBe(300);
    expect(DISCOVER.headerLen).toBe(300);
    const b = frame(DISCOVER);
    expect(Array.from(b.subarray(ETH + IP4 + 8))).toEqual(Array.from(FIXTURE));
    expect(pseudoChecksumOk(b, ETH, ETH + IP4, 308, 17)).toBe(true);
  });

  it("the fixture dissects back to the repr", () => {
    const r = dissect(frame(payloadLayer(FIXTURE)), F, TreeMode.FULL);
    expect(r.layers).toBe("eth:ethertype:ip:udp:dhcp");
    expect(r.info).toBe(`DHCP Discover - Transaction ID 0x${XID.toString(16)}`);
    expect(r.v["dhcp.type"]).toEqual([1]);
    expect(r.v["dhcp.hw.type"]).toEqual([1]);
    expect(r.v["dhcp.hw.len"]).toEqual([6]);
    expect(r.v["dhcp.hops"]).toEqual([0]);
    expect(r.v["dhcp.id"]).toEqual([XID]);
    expect(r.v["dhcp.secs"]).toEqual([0]);
    expect(r.v["dhcp.flags"]).toEqual([0x8000]);
    expect(r.v["dhcp.flags.bc"]).toEqual([1]);
    expect(r.v["dhcp.ip.client"]).toEqual([0]);
    expect(r.v["dhcp.hw.mac_addr"]).toEqual([MAC_A]);
    expect(r.v["dhcp.option.type"]).toEqual([53, 55, 12, 0]); // tshark records End's type item as 0
    expect(r.v["dhcp.option.length"]).toEqual([1, 3, 4]);
    expect(r.v["dhcp.option.dhcp"]).toEqual([1]);
    expect(r.v["dhcp.option.request_list_item"]).toEqual([1, 3, 6]);
    expect(r.v["dhcp.option.hostname"]).toEqual(["host"]);
    expect(r.v["dhcp.option.end"]).toEqual([255]);
    expect(r.v["dhcp.option.padding"]).toEqual([zeros(45)]);
    expect(r.v["dhcp.end_option_missing"]).toEqual([]);
    expect(r.v["udp.length"]).toEqual([308]);
    expect(r.malformed).toBe(false);
  });

  it("round-trips an offer: addresses and the address options", () => {
    const offer = dhcpLayer({
      op: 2, xid: 0xdeadbeef, chaddr: MAC_A, yiaddr: ipv4("192.168.1.100"), siaddr: ipv4("192.168.1.1"),
      ciaddr: ipv4("0.0.0.7"), giaddr: ipv4("10.9.8.7"), secs: 3,
      options: [
        dhcpOption.messageType(2), dhcpOption.serverId(ipv4("192.168.1.1")), dhcpOption.leaseTime(86400),
        dhcpOption.subnetMask(ipv4("255.255.255.0")), dhcpOption.router([ipv4("192.168.1.1"), ipv4("192.168.1.2")]),
        dhcpOption.requestedIp(ipv4("192.168.1.100")),
      ],
    });
    const b = build([eth4(), testIpv4(ipv4("192.168.1.1"), ipv4("192.168.1.100"), 17), udpLayer({ srcPort: 67, dstPort: 68 }), offer]);
    const r = dissect(b, F);
    expect(r.info).toBe("DHCP Offer    - Transaction ID 0xdeadbeef");
    expect(r.v["dhcp.type"]).toEqual([2]);
    expect(r.v["dhcp.flags.bc"]).toEqual([0]);
    expect(r.v["dhcp.secs"]).toEqual([3]);
    expect(r.v["dhcp.ip.client"]).toEqual([7]);
    expect(r.v["dhcp.ip.your"]).toEqual([ipv4("192.168.1.100")]);
    expect(r.v["dhcp.ip.server"]).toEqual([ipv4("192.168.1.1")]);
    expect(r.v["dhcp.ip.relay"]).toEqual([ipv4("10.9.8.7")]);
    expect(r.v["dhcp.option.dhcp"]).toEqual([2]);
    expect(r.v["dhcp.option.dhcp_server_id"]).toEqual([ipv4("192.168.1.1")]);
    expect(r.v["dhcp.option.ip_address_lease_time"]).toEqual([86400]);
    expect(r.v["dhcp.option.subnet_mask"]).toEqual([ipv4("255.255.255.0")]);
    expect(r.v["dhcp.option.router"]).toEqual([ipv4("192.168.1.1"), ipv4("192.168.1.2")]);
    expect(r.v["dhcp.option.requested_ip_address"]).toEqual([ipv4("192.168.1.100")]);
    expect(r.v["dhcp.option.type"]).toEqual([53, 54, 51, 1, 3, 50, 0]);
    expect(pseudoChecksumOk(b, ETH, ETH + IP4, 308, 17)).toBe(true);
  });

  it("grows past 300 bytes with long options and rejects what it writes itself", () => {
    const long = dhcpLayer({ op: 1, xid: 1, chaddr: MAC_A, options: [dhcpOption.hostname("h".repeat(200)), dhcpOption.messageType(3)] });
    expect(long.headerLen).toBe(240 + 3 + 202 + 1);
    const r = dissect(frame(long), F);
    expect(r.v["dhcp.option.hostname"]).toEqual(["h".repeat(200)]);
    expect(r.v["dhcp.option.padding"]).toEqual([]);
    expect(() => dhcpLayer({ op: 1, xid: 1, chaddr: MAC_A, options: [{ code: 255, data: new Uint8Array(0) }] })).toThrow(RangeError);
    expect(() => dhcpLayer({ op: 1, xid: 1, chaddr: MAC_A, options: [{ code: 43, data: new Uint8Array(256) }] })).toThrow(RangeError);
  });
});
