import { describe, expect, it } from "vitest";
import { Engine } from "../../../src/dissect/engine.js";
import { fieldByName } from "../../../src/dissect/fields.js";
import { fieldValueText } from "../../../src/dissect/format.js";
import { Packet } from "../../../src/dissect/packet.js";
import { formatText, walkName, nameText } from "../../../src/dissect/protocols/dns.js";
import { treeText } from "../../../src/dissect/output/tree-text.js";
import { MALFORMED, SHORT, Tree, TreeMode, isBoundsSignal } from "../../../src/dissect/tree.js";

const f = (name: string) => {
  const x = fieldByName(name);
  if (!x) throw new Error(`no field ${name}`);
  return x;
};

/** Values of a field as tshark -T fields would print them (one string per occurrence). */
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

/** Ethernet + IPv4 + UDP (or TCP) around `payload`, ports as given. */
function frame(payload: number[], opts: { sport?: number; dport?: number; tcp?: boolean; wire?: number; cut?: number; reply?: boolean } = {}) {
  const sport = opts.sport ?? 53, dport = opts.dport ?? 33333;
  let l4: number[];
  if (opts.tcp) {
    l4 = [sport >> 8, sport & 255, dport >> 8, dport & 255, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0, ...payload];
  } else {
    const ulen = 8 + payload.length;
    l4 = [sport >> 8, sport & 255, dport >> 8, dport & 255, ulen >> 8, ulen & 255, 0, 0, ...payload];
  }
  const tlen = 20 + l4.length;
  const [a, b] = opts.reply ? [2, 1] : [1, 2];
  const ip = [0x45, 0, tlen >> 8, tlen & 255, 0, 1, 0, 0, 64, opts.tcp ? 6 : 17, 0, 0, 10, 0, 0, a, 10, 0, 0, b];
  const ck = sum16(ip);
  ip[10] = ck >> 8;
  ip[11] = ck & 255;
  const bytes = [0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0x66, 0x77, 0x88, 0x99, 0xaa, 0x08, 0x00, ...ip, ...l4];
  const data = Uint8Array.from(opts.cut !== undefined ? bytes.slice(0, bytes.length - opts.cut) : bytes);
  return { data, wireLen: opts.wire ?? bytes.length, tsSec: 1000, tsNsec: 0, linkType: 1, ifIndex: 0 };
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const name = (...labels: string[]) => [...labels.flatMap((l) => [l.length, ...ascii(l)]), 0];
const u16 = (v: number) => [v >> 8, v & 255];
const u32 = (v: number) => [(v >>> 24) & 255, (v >> 16) & 255, (v >> 8) & 255, v & 255];
const header = (id: number, flags: number, qd: number, an: number, ns = 0, ar = 0) => [...u16(id), ...u16(flags), ...u16(qd), ...u16(an), ...u16(ns), ...u16(ar)];
const rr = (owner: number[], type: number, data: number[], cls = 1, ttl = 3600) => [...owner, ...u16(type), ...u16(cls), ...u32(ttl), ...u16(data.length), ...data];
const PTR = [0xc0, 0x0c]; // compression pointer to the question name

const QUERY = [...header(0x1234, 0x0100, 1, 0), ...name("www", "example", "com"), ...u16(1), ...u16(1)];

const ALL = ["dns.id", "dns.flags", "dns.flags.response", "dns.flags.opcode", "dns.flags.rcode", "dns.qry.name", "dns.qry.name.len",
  "dns.count.labels", "dns.qry.type", "dns.qry.class", "dns.resp.name", "dns.resp.type", "dns.resp.ttl", "dns.resp.len", "dns.a",
  "dns.aaaa", "dns.cname", "dns.mx.preference", "dns.mx.mail_exchange", "dns.txt", "dns.soa.mname", "dns.soa.rname",
  "dns.soa.serial_number", "dns.srv.service", "dns.srv.proto", "dns.srv.name", "dns.srv.port", "dns.srv.target",
  "dns.rr.udp_payload_size", "dns.resp.z.do", "dns.opt.code", "dns.opt.len", "dns.opt.client.addr4", "dns.opt.cookie.client",
  "dns.response_to", "dns.time", "dns.data", "dns.length", "dns.qry.qu", "dns.resp.cache_flush", "dns.extraneous.length",
  "frame.protocols"].map(f);

function engine(mode = TreeMode.FIELDS) {
  return new Engine({ mode, fields: ALL });
}

describe("dns", () => {
  it("decodes a standard query and its Info column", () => {
    const e = engine();
    const p = e.dissect(frame(QUERY, { sport: 33333, dport: 53 }));
    expect(p.protocol).toBe("DNS");
    expect(p.info.toString()).toBe("Standard query 0x1234 A www.example.com");
    expect(vals(e, "dns.id")).toEqual(["0x1234"]);
    expect(vals(e, "dns.flags")).toEqual(["0x0100"]);
    expect(vals(e, "dns.flags.response")).toEqual(["0"]);
    expect(vals(e, "dns.flags.rcode")).toEqual([]); // only in responses, as Wireshark
    expect(vals(e, "dns.qry.name")).toEqual(["www.example.com"]);
    expect(vals(e, "dns.qry.name.len")).toEqual(["15"]);
    expect(vals(e, "dns.count.labels")).toEqual(["3"]);
    expect(vals(e, "dns.qry.class")).toEqual(["0x0001"]);
    expect(vals(e, "frame.protocols")).toEqual(["eth:ethertype:ip:udp:dns"]);
  });

  it("follows compression pointers through answer records and builds the response Info", () => {
    const answers = [
      ...rr(PTR, 5, [3, ...ascii("foo"), 0xc0, 0x10]),
      ...rr(PTR, 1, [192, 0, 2, 1]),
      ...rr(PTR, 28, [0x20, 0x01, 0x0d, 0xb8, ...Array(11).fill(0), 1]),
      ...rr(PTR, 15, [0, 10, 4, ...ascii("mail"), 0xc0, 0x10]),
      ...rr(PTR, 16, [5, ...ascii("hello"), 2, ...ascii("ok")]),
      ...rr(PTR, 6, [3, ...ascii("ns1"), 0xc0, 0x10, 5, ...ascii("admin"), 0xc0, 0x10, ...u32(2024010101), ...u32(7200), ...u32(3600), ...u32(1209600), ...u32(300)]),
    ];
    const e = engine();
    const p = e.dissect(frame([...header(0x1234, 0x8180, 1, 6), ...QUERY.slice(12), ...answers]));
    expect(p.info.toString()).toBe("Standard query response 0x1234 A www.example.com CNAME foo.example.com A 192.0.2.1 AAAA 2001:db8::1 MX 10 mail.example.com TXT SOA ns1.example.com");
    expect(vals(e, "dns.resp.name")).toEqual(Array(6).fill("www.example.com"));
    expect(vals(e, "dns.resp.type")).toEqual(["5", "1", "28", "15", "16", "6"]);
    expect(vals(e, "dns.cname")).toEqual(["foo.example.com"]);
    expect(vals(e, "dns.a")).toEqual(["192.0.2.1"]);
    expect(vals(e, "dns.aaaa")).toEqual(["2001:db8::1"]);
    expect(vals(e, "dns.mx.mail_exchange")).toEqual(["mail.example.com"]);
    expect(vals(e, "dns.txt")).toEqual(["hello", "ok"]);
    expect(vals(e, "dns.soa.rname")).toEqual(["admin.example.com"]);
    expect(vals(e, "dns.soa.serial_number")).toEqual(["2024010101"]);
    expect(vals(e, "dns.flags.rcode")).toEqual(["0"]);
  });

  it("splits an SRV owner into service, protocol and name instead of dns.resp.name", () => {
    const q = [...header(7, 0x8180, 1, 1), ...name("_sip", "_tcp", "example", "com"), ...u16(33), ...u16(1)];
    const e = engine();
    const p = e.dissect(frame([...q, ...rr(PTR, 33, [...u16(10), ...u16(60), ...u16(5060), ...name("sip", "example", "com")])]));
    expect(vals(e, "dns.resp.name")).toEqual([]);
    expect(vals(e, "dns.srv.service")).toEqual(["_sip"]);
    expect(vals(e, "dns.srv.proto")).toEqual(["_tcp"]);
    expect(vals(e, "dns.srv.name")).toEqual(["example.com"]);
    expect(vals(e, "dns.srv.target")).toEqual(["sip.example.com"]);
    expect(p.info.toString()).toContain("SRV 10 60 5060 sip.example.com");
  });

  it("decodes EDNS(0) options, padding a client subnet prefix to a full address", () => {
    const rdata = [...u16(8), ...u16(7), 0, 1, 24, 0, 192, 0, 2, ...u16(10), ...u16(8), 1, 2, 3, 4, 5, 6, 7, 8];
    const opt = [0, ...u16(41), ...u16(4096), 0, 0, 0x80, 0, ...u16(rdata.length), ...rdata];
    const e = engine();
    const p = e.dissect(frame([...header(9, 0x0100, 1, 0, 0, 1), ...QUERY.slice(12), ...opt], { sport: 33333, dport: 53 }));
    expect(p.info.toString()).toBe("Standard query 0x0009 A www.example.com OPT");
    expect(vals(e, "dns.resp.name")).toEqual(["<Root>"]);
    expect(vals(e, "dns.rr.udp_payload_size")).toEqual(["4096"]);
    expect(vals(e, "dns.resp.z.do")).toEqual(["1"]);
    expect(vals(e, "dns.opt.code")).toEqual(["8", "10"]);
    expect(vals(e, "dns.opt.client.addr4")).toEqual(["192.0.2.0"]);
    expect(e.tree.get(f("dns.opt.cookie.client"))).toEqual([Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8])]);
  });

  it("keeps unknown record types as their number with the data as bytes", () => {
    const e = engine();
    e.dissect(frame([...header(1, 0x8180, 1, 1), ...QUERY.slice(12), ...rr(PTR, 999, [1, 2, 3])]));
    expect(vals(e, "dns.resp.type")).toEqual(["999"]);
    expect(e.tree.get(f("dns.data"))).toEqual([Uint8Array.from([1, 2, 3])]);
    expect(e.packet.info.toString()).toContain("Unknown (999)");
  });

  it("escapes odd characters in names as Wireshark's format_text does", () => {
    const b = Uint8Array.from([0x61, 0x01, 0x62, 0x2e, 0x5c, 0x09, 0xc3, 0xa9, 0xff, 0x7f, 0xe2, 0x80, 0x8b]);
    // \x01 -> \001, backslash kept, tab -> \t, UTF-8 kept, invalid byte -> U+FFFD, DEL -> \177, ZWSP -> \u200B
    expect(formatText(b, 0, b.length)).toBe("a\\001b.\\\\t\u00e9\ufffd\\177\\u200B");
    const e = engine();
    e.dissect(frame([...header(1, 0x0100, 1, 0), 3, 0x61, 0x01, 0x62, 3, ...ascii("c.d"), 0, ...u16(1), ...u16(1)], { sport: 33333, dport: 53 }));
    expect(vals(e, "dns.qry.name")).toEqual(["a\\001b.c.d"]);
    expect(vals(e, "dns.count.labels")).toEqual(["3"]); // a dot inside a label counts, as in Wireshark
  });

  it("names the root, stops pointer loops and long names without hanging", () => {
    let e = engine();
    e.dissect(frame([...header(1, 0x0100, 1, 0), 0, ...u16(2), ...u16(1)], { sport: 33333, dport: 53 }));
    expect(vals(e, "dns.qry.name")).toEqual(["<Root>"]);
    expect(vals(e, "dns.qry.name.len")).toEqual(["6"]);

    // question name at 12 points to 14, which points back to 12
    e = engine();
    const p = e.dissect(frame([...header(1, 0x0100, 2, 0), 0xc0, 0x0e, 0xc0, 0x0c, ...u16(1), ...u16(1)], { sport: 33333, dport: 53 }));
    expect(vals(e, "dns.qry.name")[0]).toBe("<Name contains a pointer that loops>");
    expect(p.malformed).toBe(true); // the second question runs off the end

    e = engine();
    const long = Array.from({ length: 5 }, (_, i) => [63, ...Array(63).fill(0x61 + i)]).flat();
    e.dissect(frame([...header(1, 0x0100, 1, 0), ...long, 0, ...u16(1), ...u16(1)], { sport: 33333, dport: 53 }));
    expect(vals(e, "dns.qry.name")).toEqual(["<Name too long>"]);
  });

  it("flags a reserved label type as malformed", () => {
    const e = engine();
    const p = e.dissect(frame([...header(1, 0x0100, 1, 0), 0x80, 1, 0, ...u16(1), ...u16(1)], { sport: 33333, dport: 53 }));
    expect(p.malformed).toBe(true);
    expect(p.info.toString()).toBe("Standard query 0x0001[Malformed Packet]");
  });

  it("tells a snaplen-cut record (short) from one that lies about its length (malformed)", () => {
    const msg = [...header(1, 0x8180, 1, 2), ...QUERY.slice(12), ...rr(PTR, 1, [1, 2, 3, 4]), ...rr(PTR, 28, Array(16).fill(0))];
    let e = engine();
    let p = e.dissect(frame(msg, { cut: 10, wire: msg.length + 42 }));
    expect(p.short).toBe(true);
    expect(vals(e, "dns.resp.type")).toEqual(["1"]); // the cut record's subtree is never opened, as in tshark
    e = engine();
    p = e.dissect(frame(msg.slice(0, -10)));
    expect(p.malformed).toBe(true);
    expect(p.info.toString()).toContain("A 1.2.3.4 AAAA");
  });

  it("decodes mDNS on 5353 with the QU and cache-flush bits split from the class", () => {
    const msg = [...header(0, 0x8400, 1, 1), ...name("printer", "local"), ...u16(12), 0x80, 0x01, ...rr(PTR, 1, [10, 0, 0, 7], 0x8001, 120)];
    const e = engine();
    const p = e.dissect(frame(msg, { sport: 5353, dport: 5353 }));
    expect(p.protocol).toBe("MDNS");
    expect(vals(e, "frame.protocols")).toEqual(["eth:ethertype:ip:udp:mdns"]);
    expect(vals(e, "dns.qry.class")).toEqual(["0x0001"]);
    expect(vals(e, "dns.qry.qu")).toEqual(["1"]);
    expect(vals(e, "dns.resp.cache_flush")).toEqual(["1"]);
    expect(p.info.toString()).toBe('Standard query response 0x0000 PTR printer.local, "QU" question A, cache flush 10.0.0.7');
  });

  it("reads DNS over TCP after its length prefix", () => {
    const e = engine();
    const p = e.dissect(frame([...u16(QUERY.length), ...QUERY], { tcp: true, sport: 40000, dport: 53 }));
    expect(p.info.toString()).toBe("Standard query 0x1234 A www.example.com");
    expect(vals(e, "dns.length")).toEqual([String(QUERY.length)]);
    expect(vals(e, "frame.protocols")).toEqual(["eth:ethertype:ip:tcp:dns"]);
  });

  it("matches a response to its request by id within the conversation", () => {
    const e = engine();
    const q = frame(QUERY, { sport: 33333, dport: 53 });
    e.dissect(q);
    const r = frame([...header(0x1234, 0x8180, 1, 0), ...QUERY.slice(12)], { sport: 53, dport: 33333, reply: true });
    e.dissect({ ...r, tsNsec: 21877000 });
    expect(vals(e, "dns.response_to")).toEqual(["1"]);
    expect(vals(e, "dns.time")).toEqual(["0.021877000"]);
  });

  it("shows trailing bytes as extraneous data", () => {
    const e = engine();
    e.dissect(frame([...QUERY, 1, 2, 3], { sport: 33333, dport: 53 }));
    expect(vals(e, "dns.extraneous.length")).toEqual(["3"]);
  });

  it("builds a tree like Wireshark's", () => {
    const e = engine(TreeMode.FULL);
    e.dissect(frame([...header(0x1234, 0x8180, 1, 1), ...QUERY.slice(12), ...rr(PTR, 1, [192, 0, 2, 1])]));
    const text = treeText(e.tree.root);
    expect(text).toContain("Domain Name System (response)");
    expect(text).toContain("Flags: 0x8180 Standard query response, No error");
    expect(text).toContain("www.example.com: type A, class IN, addr 192.0.2.1");
    expect(text).toContain("Time to live: 3600 (1 hour)");
  });

  it("never throws anything but the Tree's signals on random or cut input", () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >>> 8) & 255;
    const t = new Tree(TreeMode.FULL);
    const p = new Packet();
    for (let n = 0; n < 3000; n++) {
      const len = rnd() % 200;
      const bytes = Uint8Array.from({ length: len }, () => (rnd() < 40 ? 0xc0 | (rnd() & 1) : rnd()));
      p.reset(bytes, bytes.length + (rnd() & 1 ? 0 : 10));
      t.reset(p);
      try {
        walkName(t, 0, 0);
        nameText();
      } catch (err) {
        expect(isBoundsSignal(err)).toBe(true);
      }
    }
    const e = engine(TreeMode.FULL);
    for (let n = 0; n < 1500; n++) {
      const msg = [...QUERY.slice(0, 4), 0, rnd() % 3, 0, rnd() % 4, 0, rnd() % 3, 0, rnd() % 3, ...Array.from({ length: rnd() % 120 }, () => (rnd() < 30 ? 0xc0 : rnd()))];
      const fr = frame(msg, { sport: rnd() & 1 ? 53 : 5353 });
      const pk = e.dissect(fr);
      expect(pk.info).not.toContain("arpx dissector error");
    }
    expect([SHORT, MALFORMED].every(isBoundsSignal)).toBe(true);
  });
});
