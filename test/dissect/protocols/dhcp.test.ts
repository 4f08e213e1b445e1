import { describe, expect, it } from "vitest";
import { Engine } from "../../../src/dissect/engine.js";
import { fieldByName } from "../../../src/dissect/fields.js";
import { fieldValueText } from "../../../src/dissect/format.js";
import { treeText } from "../../../src/dissect/output/tree-text.js";
import { TreeMode } from "../../../src/dissect/tree.js";

const f = (name: string) => {
  const x = fieldByName(name);
  if (!x) throw new Error(`no field ${name}`);
  return x;
};

function vals(e: Engine, name: string): string[] {
  const fld = f(name);
  return e.tree.get(fld).map((v) => fieldValueText(fld, v));
}

function sum16(b: number[]): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i]! << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

/** Ethernet + IPv4 + UDP 68 -> 67 around `payload`; `cut` drops bytes as a snaplen would. */
function frame(payload: number[], opts: { cut?: number } = {}) {
  const ulen = 8 + payload.length;
  const udp = [0, 68, 0, 67, ulen >> 8, ulen & 255, 0, 0, ...payload];
  const tlen = 20 + udp.length;
  const ip = [0x45, 0, tlen >> 8, tlen & 255, 0, 1, 0, 0, 64, 17, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255];
  const ck = sum16(ip);
  ip[10] = ck >> 8;
  ip[11] = ck & 255;
  const bytes = [255, 255, 255, 255, 255, 255, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x08, 0x00, ...ip, ...udp];
  const data = Uint8Array.from(opts.cut ? bytes.slice(0, bytes.length - opts.cut) : bytes);
  return { data, wireLen: bytes.length, tsSec: 1, tsNsec: 0, linkType: 1, ifIndex: 0 };
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const opt = (code: number, data: number[]) => [code, data.length, ...data];
const MAC = [0x00, 0x0c, 0x29, 0x1f, 0x74, 0x06];

/** A BOOTP header (op 1, Ethernet) with optional sname/file contents, the magic cookie and options. */
function bootp(options: number[], o: { op?: number; secs?: number[]; sname?: number[]; file?: number[]; cookie?: boolean; hlen?: number } = {}) {
  const sname = [...(o.sname ?? []), ...Array(64).fill(0)].slice(0, 64);
  const file = [...(o.file ?? []), ...Array(128).fill(0)].slice(0, 128);
  return [o.op ?? 1, 1, o.hlen ?? 6, 0, 0x06, 0xe3, 0x28, 0x64, ...(o.secs ?? [0, 0]), 0x80, 0, ...Array(16).fill(0),
    ...MAC, ...Array(10).fill(0), ...sname, ...file, ...(o.cookie === false ? [] : [0x63, 0x82, 0x53, 0x63]), ...options];
}

const ALL = ["dhcp.type", "dhcp.hw.type", "dhcp.hw.len", "dhcp.id", "dhcp.secs", "dhcp.flags", "dhcp.flags.bc", "dhcp.ip.client",
  "dhcp.hw.mac_addr", "dhcp.hw.addr_padding", "dhcp.server", "dhcp.file", "dhcp.cookie", "dhcp.bootp", "dhcp.option.type",
  "dhcp.option.length", "dhcp.option.value", "dhcp.option.dhcp", "dhcp.option.requested_ip_address", "dhcp.option.hostname",
  "dhcp.option.request_list_item", "dhcp.option.end", "dhcp.option.padding", "dhcp.option.router", "dhcp.option.subnet_mask",
  "dhcp.option.ip_address_lease_time", "dhcp.option.domain_name", "dhcp.option.option_overload", "dhcp.client_id.duid_type",
  "dhcp.client_id.link_layer_address", "dhcp.option.user_class.data", "dhcp.option.classless_static_route",
  "dhcp.option.dhcp_dns_domain_search_list_fqdn", "frame.protocols"].map(f);

const engine = (mode = TreeMode.FIELDS) => new Engine({ mode, fields: ALL });

const DISCOVER = bootp([...opt(53, [1]), ...opt(50, [192, 168, 1, 4]), ...opt(55, [1, 28, 3, 15, 6, 12]), ...opt(12, ascii("host")), 255, 0, 0]);

describe("dhcp", () => {
  it("decodes a Discover: header, options, end and padding", () => {
    const e = engine();
    const p = e.dissect(frame(DISCOVER));
    expect(p.protocol).toBe("DHCP");
    expect(p.info.toString()).toBe("DHCP Discover - Transaction ID 0x6e32864");
    expect(vals(e, "frame.protocols")).toEqual(["eth:ethertype:ip:udp:dhcp"]);
    expect(vals(e, "dhcp.type")).toEqual(["1"]);
    expect(vals(e, "dhcp.hw.type")).toEqual(["0x01"]);
    expect(vals(e, "dhcp.id")).toEqual(["0x06e32864"]);
    expect(vals(e, "dhcp.flags.bc")).toEqual(["1"]);
    expect(vals(e, "dhcp.hw.mac_addr")).toEqual(["00:0c:29:1f:74:06"]);
    expect(e.tree.get(f("dhcp.hw.addr_padding"))).toEqual([new Uint8Array(10)]);
    expect(vals(e, "dhcp.server")).toEqual([""]);
    expect(vals(e, "dhcp.cookie")).toEqual(["99.130.83.99"]);
    // End is recorded with type 0, as Wireshark does
    expect(vals(e, "dhcp.option.type")).toEqual(["53", "50", "55", "12", "0"]);
    expect(vals(e, "dhcp.option.length")).toEqual(["1", "4", "6", "4"]);
    expect(vals(e, "dhcp.option.dhcp")).toEqual(["1"]);
    expect(vals(e, "dhcp.option.requested_ip_address")).toEqual(["192.168.1.4"]);
    expect(vals(e, "dhcp.option.request_list_item")).toEqual(["1", "28", "3", "15", "6", "12"]);
    expect(vals(e, "dhcp.option.hostname")).toEqual(["host"]);
    expect(vals(e, "dhcp.option.end")).toEqual(["255"]);
    expect(e.tree.get(f("dhcp.option.padding"))).toEqual([new Uint8Array(2)]);
    expect(vals(e, "dhcp.bootp")).toEqual([]);
  });

  it("shows plain BOOTP when there is no message type", () => {
    const e = engine();
    const p = e.dissect(frame(bootp([], { cookie: false, file: ascii("boot.img") }).concat(Array(64).fill(0))));
    expect(p.protocol).toBe("BOOTP");
    expect(p.info.toString()).toBe("Boot Request from 00:0c:29:1f:74:06 (00:0c:29:1f:74:06)");
    expect(vals(e, "dhcp.bootp")).toEqual(["1"]);
    expect(vals(e, "dhcp.file")).toEqual(["boot.img"]);
    expect(vals(e, "dhcp.cookie")).toEqual([]);
  });

  it("reads options overloaded into sname and file (option 52)", () => {
    const e = engine();
    e.dissect(frame(bootp([...opt(53, [2]), ...opt(52, [3]), 255], {
      sname: [...opt(1, [255, 255, 255, 0]), 255],
      file: [...opt(15, ascii("example.org")), 255],
    })));
    expect(vals(e, "dhcp.option.option_overload")).toEqual(["3"]);
    expect(vals(e, "dhcp.option.subnet_mask")).toEqual(["255.255.255.0"]);
    expect(vals(e, "dhcp.option.domain_name")).toEqual(["example.org"]);
    expect(vals(e, "dhcp.server")).toEqual([]);
    expect(vals(e, "dhcp.option.end")).toEqual(["255", "255", "255"]);
  });

  it("keeps unknown options as type, length and value", () => {
    const e = engine();
    e.dissect(frame(bootp([...opt(53, [1]), ...opt(200, [1, 2, 3]), 255])));
    expect(vals(e, "dhcp.option.type")).toEqual(["53", "200", "0"]);
    expect(e.tree.get(f("dhcp.option.value"))).toEqual([Uint8Array.from([1]), Uint8Array.from([1, 2, 3])]);
  });

  it("decodes client identifiers, user classes, classless routes and domain search lists", () => {
    const duid = [0xff, 1, 2, 3, 4, 0, 1, 0, 1, 0x1a, 0x2b, 0x3c, 0x4d, ...MAC];
    const e = engine();
    e.dissect(frame(bootp([...opt(53, [1]), ...opt(61, duid), ...opt(77, [3, ...ascii("abc")]),
      ...opt(121, [24, 192, 168, 1, 10, 0, 0, 1]), ...opt(119, [...[7, ...ascii("example"), 3, ...ascii("com"), 0], 3, ...ascii("foo"), 0xc0, 0]), 255])));
    expect(vals(e, "dhcp.client_id.duid_type")).toEqual(["1"]);
    expect(vals(e, "dhcp.client_id.link_layer_address")).toEqual(["00:0c:29:1f:74:06"]);
    expect(e.tree.get(f("dhcp.option.user_class.data"))).toEqual([Uint8Array.from(ascii("abc"))]);
    expect(e.tree.get(f("dhcp.option.classless_static_route"))).toEqual([Uint8Array.from([24, 192, 168, 1, 10, 0, 0, 1])]);
    expect(vals(e, "dhcp.option.dhcp_dns_domain_search_list_fqdn")).toEqual(["example.com", "foo.example.com"]);
  });

  it("reads a small little-endian 'secs' as Windows sends it", () => {
    const e = engine();
    e.dissect(frame(bootp([...opt(53, [1]), 255], { secs: [5, 0] })));
    expect(vals(e, "dhcp.secs")).toEqual(["5"]);
  });

  it("flags snaplen cuts as short and options running past the packet as malformed", () => {
    let e = engine();
    let p = e.dissect(frame(DISCOVER, { cut: 5 }));
    expect(p.short).toBe(true);
    // The message-type pass reads up to the claimed end, so a cut anywhere in the options stops it
    // before the packet is known to be DHCP, exactly as in tshark.
    expect(p.protocol).toBe("BOOTP");
    expect(p.info.toString()).toMatch(/^Boot Request from 00:0c:29:1f:74:06/);
    e = engine();
    p = e.dissect(frame(bootp([...opt(53, [1]), 12, 40, ...ascii("short")])));
    expect(p.malformed).toBe(true);
    expect(vals(e, "dhcp.option.type")).toEqual(["53", "12"]);
    expect(vals(e, "dhcp.option.length")).toEqual(["1", "40"]);
    expect(vals(e, "dhcp.option.hostname")).toEqual([]);
    e = engine();
    p = e.dissect(frame([1, 1, 6]));
    expect(p.malformed).toBe(true);
  });

  it("builds a tree like Wireshark's", () => {
    const e = engine(TreeMode.FULL);
    e.dissect(frame(DISCOVER));
    const text = treeText(e.tree.root);
    expect(text).toContain("Dynamic Host Configuration Protocol (Discover)");
    expect(text).toContain("Option: (53) DHCP Message Type (Discover)");
    expect(text).toContain("Option: (50) Requested IP Address (192.168.1.4)");
    expect(text).toContain("Parameter Request List Item: (28) Broadcast Address");
    expect(text).toContain("Bootp flags: 0x8000, Broadcast flag (Broadcast)");
  });

  it("never fails with anything but the Tree's signals on random options", () => {
    let seed = 99;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >>> 8) & 255;
    const e = new Engine({ mode: TreeMode.FULL });
    for (let n = 0; n < 2000; n++) {
      const options = Array.from({ length: rnd() }, () => (rnd() < 20 ? [0, 255, 52, 53, 119, 120][rnd() % 6]! : rnd()));
      const p = e.dissect(frame(bootp(options, { sname: Array.from({ length: 20 }, rnd) }), { cut: rnd() < 30 ? rnd() % 50 : 0 }));
      expect(p.info.toString()).not.toContain("arpx dissector error");
    }
  });
});
