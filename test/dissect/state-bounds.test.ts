// State kept across packets stays bounded over long captures: the real Engine reads hundreds of
// thousands of distinct echo requests, DNS queries and TCP SYNs, and the conversation and
// transaction tables never hold more than their caps, while a reply that follows its request
// still matches it. Also a model check of the KeyTable they are built on.
import { describe, expect, it } from "vitest";
import { build, payloadLayer, type Layer } from "../../src/dissect/build.js";
import { Engine } from "../../src/dissect/engine.js";
import { fieldByName } from "../../src/dissect/fields.js";
import { DNS_TX_CAP, dnsLayer, type DnsTransactions } from "../../src/dissect/protocols/dns.js";
import { ethLayer } from "../../src/dissect/protocols/eth.js";
import { ECHO_CAP, icmpLayer, type EchoTracker } from "../../src/dissect/protocols/icmp.js";
import { ipv4Layer } from "../../src/dissect/protocols/ipv4.js";
import { tcpLayer } from "../../src/dissect/protocols/tcp.js";
import { TCP_CONV_CAP, UDP_CONV_CAP, udpLayer, type UdpState } from "../../src/dissect/protocols/udp.js";
import { KeyTable } from "../../src/dissect/session.js";
import { TreeMode } from "../../src/dissect/tree.js";

const f = (name: string) => {
  const x = fieldByName(name);
  if (!x) throw new Error(`no field ${name}`);
  return x;
};

const CLIENT_MAC = 0x020000000001, SERVER_MAC = 0x020000000002;
const PINGED = 0xc0a80001, RESOLVER = 0x08080808, WEB = 0x01010101;
const toServer = ethLayer({ dst: SERVER_MAC, src: CLIENT_MAC, type: 0x0800 });
const toClient = ethLayer({ dst: CLIENT_MAC, src: SERVER_MAC, type: 0x0800 });
const PAYLOAD = payloadLayer(new Uint8Array(16));

/** Client i: its own address, echo ident/seq, source port, DNS id. */
const host = (i: number) => (0x0a000000 + i) >>> 0;
const sport = (i: number) => 1024 + (i % 60000);
const dnsId = (i: number) => (i * 7) & 0xffff;

function echo(i: number, reply: boolean): Layer[] {
  const [src, dst] = reply ? [PINGED, host(i)] : [host(i), PINGED];
  return [reply ? toClient : toServer, ipv4Layer({ src, dst, proto: 1 }), icmpLayer({ type: reply ? 0 : 8, ident: i & 0xffff, seq: (i >>> 16) & 0xffff }), PAYLOAD];
}

function dns(i: number, reply: boolean): Layer[] {
  const q = { id: dnsId(i), response: reply, questions: [{ name: "h.example.com", type: 1 }] };
  if (!reply) return [toServer, ipv4Layer({ src: host(i), dst: RESOLVER, proto: 17 }), udpLayer({ srcPort: sport(i), dstPort: 53 }), dnsLayer(q)];
  return [toClient, ipv4Layer({ src: RESOLVER, dst: host(i), proto: 17 }), udpLayer({ srcPort: 53, dstPort: sport(i) }),
    dnsLayer({ ...q, answers: [{ name: "h.example.com", type: 1, ttl: 60, data: Uint8Array.of(1, 2, 3, 4) }] })];
}

function tcp(i: number, reply: boolean): Layer[] {
  if (!reply) return [toServer, ipv4Layer({ src: host(i), dst: WEB, proto: 6 }), tcpLayer({ srcPort: sport(i), dstPort: 80, seq: (i * 2654435761) >>> 0, flags: 0x002 })];
  return [toClient, ipv4Layer({ src: WEB, dst: host(i), proto: 6 }), tcpLayer({ srcPort: 80, dstPort: sport(i), seq: 777, ack: ((i * 2654435761 + 1) >>> 0), flags: 0x012 })];
}

/** Feeds frames to an engine with increasing timestamps (7 µs apart); returns the frame number. */
function feeder(e: Engine) {
  let n = 0;
  return (layers: Layer[]) => {
    n++;
    const data = build(layers);
    e.dissect({ data, wireLen: data.length, tsSec: 1_700_000_000 + Math.floor(n / 100_000), tsNsec: (n % 100_000) * 7000, linkType: 1, ifIndex: 0 });
    return n;
  };
}

interface Sized {
  size: number;
  capacity: number;
}

describe("state kept across packets is bounded", () => {
  it("500k distinct pings, DNS queries and TCP SYNs leave every table at its cap", () => {
    const e = new Engine({ mode: TreeMode.SUMMARY });
    const feed = feeder(e);
    const N = 500_000;
    for (let i = 0; i < N; i++) {
      feed(echo(i, false));
      feed(dns(i, false));
      feed(tcp(i, false));
    }
    const tcpConvs = e.session.peek<{ convs: Sized }>("tcp")!.convs;
    const udpConvs = e.session.peek<UdpState>("udp")!.convs;
    const echoes = e.session.peek<EchoTracker>("icmp.echo")!;
    expect(tcpConvs.capacity).toBe(TCP_CONV_CAP);
    expect(tcpConvs.size).toBe(TCP_CONV_CAP);
    expect(udpConvs.capacity).toBe(UDP_CONV_CAP);
    expect(udpConvs.size).toBe(UDP_CONV_CAP);
    expect(echoes.capacity).toBe(ECHO_CAP);
    expect(echoes.size).toBe(ECHO_CAP);
    expect(N).toBeGreaterThan(Math.max(TCP_CONV_CAP, UDP_CONV_CAP, ECHO_CAP));
    // The summary run keeps no DNS transactions (no matching field is asked for).
    expect(e.session.peek("dns.transactions")).toBeUndefined();
  }, 180_000);

  it("a reply right after its request still matches, however many requests came before", () => {
    const fields = ["icmp.resp_to", "dns.response_to", "tcp.stream", "udp.stream"].map(f);
    const [respTo, dnsRespTo, tcpStream, udpStream] = fields as [ReturnType<typeof f>, ReturnType<typeof f>, ReturnType<typeof f>, ReturnType<typeof f>];
    const e = new Engine({ mode: TreeMode.FIELDS, fields, columns: false });
    const feed = feeder(e);
    const N = 200_000;
    expect(N).toBeGreaterThan(Math.max(DNS_TX_CAP, ECHO_CAP, TCP_CONV_CAP));
    let matched = 0;
    for (let i = 0; i < N; i++) {
      const ping = feed(echo(i, false));
      const query = feed(dns(i, false));
      const queryStream = e.tree.get(udpStream)[0];
      const syn = feed(tcp(i, false));
      const synStream = e.tree.get(tcpStream)[0];
      if (i % 997 !== 0) continue;
      feed(echo(i, true));
      expect(e.tree.get(respTo)).toEqual([ping]);
      feed(dns(i, true));
      expect(e.tree.get(dnsRespTo)).toEqual([query]);
      expect(e.tree.get(udpStream)).toEqual([queryStream]);
      feed(tcp(i, true));
      expect(e.tree.get(tcpStream)).toEqual([synStream]);
      matched++;
    }
    expect(matched).toBe(Math.ceil(N / 997));
    const dnsTx = e.session.peek<DnsTransactions>("dns.transactions")!;
    expect(dnsTx.size).toBe(DNS_TX_CAP);
    expect(e.session.peek<EchoTracker>("icmp.echo")!.size).toBe(ECHO_CAP);

    // The documented bound: the first requests were evicted long ago, so their late replies match
    // nothing, and the first TCP conversation comes back as a new stream.
    feed(echo(1, true));
    expect(e.tree.get(respTo)).toEqual([]);
    feed(dns(1, true));
    expect(e.tree.get(dnsRespTo)).toEqual([]);
    feed(tcp(1, true));
    expect(e.tree.get(tcpStream)).toEqual([N]);
  }, 180_000);

  it("a conversation in use is never the one evicted (least recently seen goes first)", () => {
    const stream = f("tcp.stream");
    const e = new Engine({ mode: TreeMode.FIELDS, fields: [stream], columns: false });
    const feed = feeder(e);
    feed(tcp(0, false));
    expect(e.tree.get(stream)).toEqual([0]);
    for (let i = 1; i < 3 * TCP_CONV_CAP; i++) {
      feed(tcp(i, false));
      // Conversation 0 sends a segment now and then, well within the cap.
      if (i % (TCP_CONV_CAP >> 2) === 0) {
        feed(tcp(0, true));
        expect(e.tree.get(stream)).toEqual([0]);
      }
    }
  }, 120_000);
});

describe("KeyTable", () => {
  it("matches a Map with least-recently-used eviction under random use", () => {
    const CAP = 97;
    const t = new KeyTable(2, CAP, 1);
    // Model: key -> value, in recency order (Map iteration order, oldest first).
    const model = new Map<number, number>();
    let seed = 12345;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const setKey = (k: number) => {
      t.key[0] = k >>> 3;
      t.key[1] = k & 7;
    };
    for (let step = 0; step < 50_000; step++) {
      const k = rand(400);
      setKey(k);
      const s = t.find();
      expect(s >= 0).toBe(model.has(k));
      if (s >= 0) expect(t.vals[s]).toBe(model.get(k));
      const op = rand(3);
      if (op === 0 && s >= 0) {
        t.remove(s);
        model.delete(k);
      } else if (op === 1) {
        if (s >= 0) {
          t.touch(s);
          t.vals[s] = step;
          model.delete(k);
        } else {
          if (model.size === CAP) model.delete(model.keys().next().value as number);
          t.vals[t.insert()] = step;
        }
        model.set(k, step);
      }
      expect(t.size).toBe(model.size);
    }
    for (const [k, v] of model) {
      setKey(k);
      const s = t.find();
      expect(s).toBeGreaterThanOrEqual(0);
      expect(t.vals[s]).toBe(v);
    }
    expect(t.evictions).toBeGreaterThan(0);
  });

  it("grows its index from a small start up to the capacity", () => {
    const t = new KeyTable(1, 5000);
    for (let k = 0; k < 5000; k++) {
      t.key[0] = k * 2654435761;
      expect(t.find()).toBe(-1);
      expect(t.insert()).toBe(k);
    }
    for (let k = 0; k < 5000; k++) {
      t.key[0] = k * 2654435761;
      expect(t.find()).toBe(k);
    }
    t.key[0] = 1;
    expect(t.find()).toBe(-1);
    // Full: the next insert evicts the oldest (slot 0) and reuses its slot.
    expect(t.insert()).toBe(0);
    t.key[0] = 0;
    expect(t.find()).toBe(-1);
    expect(t.size).toBe(5000);
  });
});
