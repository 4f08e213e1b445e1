// Generated TCP conversations for the sequence-analysis tests: each scenario is a list of
// segments between a client (10.0.0.1:40000) and a server (10.0.0.2:64000, no payload protocol), with sequence and
// acknowledgment numbers relative to each side's ISN, built with the real layer builders and
// written as a nanosecond pcap so tshark can read the same frames.
import { build, payloadLayer, type Layer } from "../../../src/dissect/build.js";
import { Engine } from "../../../src/dissect/engine.js";
import { fieldByName } from "../../../src/dissect/fields.js";
import { ethLayer } from "../../../src/dissect/protocols/eth.js";
import { ipv4Layer } from "../../../src/dissect/protocols/ipv4.js";
import { dnsLayer } from "../../../src/dissect/protocols/dns.js";
import { tcpLayer, type TcpOptionRepr } from "../../../src/dissect/protocols/tcp.js";
import { TreeMode } from "../../../src/dissect/tree.js";

/** The tcp.analysis.* fields, as Wireshark 4.0 names them (the one-pass analysis arpx does). */
export const TCP_ANALYSIS_FIELDS = [
  "tcp.analysis", "tcp.analysis.flags", "tcp.analysis.retransmission", "tcp.analysis.fast_retransmission",
  "tcp.analysis.spurious_retransmission", "tcp.analysis.out_of_order", "tcp.analysis.lost_segment", "tcp.analysis.ack_lost_segment",
  "tcp.analysis.duplicate_ack", "tcp.analysis.duplicate_ack_num", "tcp.analysis.duplicate_ack_frame", "tcp.analysis.zero_window",
  "tcp.analysis.zero_window_probe", "tcp.analysis.zero_window_probe_ack", "tcp.analysis.window_update", "tcp.analysis.window_full",
  "tcp.analysis.keep_alive", "tcp.analysis.keep_alive_ack", "tcp.analysis.reused_ports", "tcp.analysis.acks_frame",
  "tcp.analysis.ack_rtt", "tcp.analysis.initial_rtt", "tcp.analysis.bytes_in_flight", "tcp.analysis.push_bytes_sent",
  "tcp.analysis.rto", "tcp.analysis.rto_frame",
];

export const FIN = 0x001, SYN = 0x002, RST = 0x004, PSH = 0x008, ACK = 0x010;

export interface Seg {
  /** Time in microseconds from the start. */
  us: number;
  /** Sender: client or server. */
  from: "c" | "s";
  /** Sequence number relative to the sender's ISN (the SYN is 0). */
  seq: number;
  /** Acknowledgment number relative to the peer's ISN (used when ACK is set). */
  ack?: number;
  flags: number;
  /** Payload length (default 0), filled with "a"... */
  len?: number;
  /** Payload bytes (instead of `len`). */
  payload?: Uint8Array;
  /** Window field as sent (default 65535). */
  win?: number;
  options?: TcpOptionRepr[];
  /** SACK blocks, relative to the peer's ISN, written as a SACK option (with two NOPs). */
  sack?: [number, number][];
  /** Bytes captured (a snaplen shorter than the frame). */
  snap?: number;
}

export const ISN_C = 0x10000000, ISN_S = 0x80000000;
const MAC_C = 0x020000000001, MAC_S = 0x020000000002;
const IP_C = 0x0a000001, IP_S = 0x0a000002;

/** A placeholder option as long as `n` SACK blocks plus two NOPs, overwritten after building. */
function sackRoom(n: number): TcpOptionRepr[] {
  const room: TcpOptionRepr[] = [];
  for (let i = 0; i < 4 + 8 * n; i++) room.push({ kind: "nop" });
  return room;
}

export interface Frame {
  data: Uint8Array;
  wireLen: number;
  tsSec: number;
  tsNsec: number;
}

export function frames(segs: Seg[], t0Sec = 1_700_000_000, server = 64000): Frame[] {
  return segs.map((s) => {
    const c = s.from === "c";
    const isnMe = c ? ISN_C : ISN_S, isnPeer = c ? ISN_S : ISN_C;
    const opts = [...(s.options ?? []), ...(s.sack ? sackRoom(s.sack.length) : [])];
    const tcp = tcpLayer({
      srcPort: c ? 40000 : server, dstPort: c ? server : 40000,
      seq: (isnMe + s.seq) >>> 0, ack: s.flags & ACK ? (isnPeer + (s.ack ?? 0)) >>> 0 : 0,
      flags: s.flags, window: s.win ?? 65535, options: opts,
    });
    const layers: Layer[] = [
      ethLayer({ dst: c ? MAC_S : MAC_C, src: c ? MAC_C : MAC_S, type: 0x0800 }),
      ipv4Layer({ src: c ? IP_C : IP_S, dst: c ? IP_S : IP_C, proto: 6 }),
      tcp,
      payloadLayer(s.payload ?? new Uint8Array(s.len ?? 0).fill(0x61)),
    ];
    const data = build(layers);
    if (s.sack) {
      // Overwrite the placeholder NOPs at the end of the options with NOP NOP SACK(blocks).
      const o = 14 + 20 + tcp.headerLen - (4 + 8 * s.sack.length);
      data[o] = 1;
      data[o + 1] = 1;
      data[o + 2] = 5;
      data[o + 3] = 2 + 8 * s.sack.length;
      s.sack.forEach(([l, r], i) => {
        const q = o + 4 + 8 * i;
        for (const [k, v] of [[0, (isnPeer + l) >>> 0], [4, (isnPeer + r) >>> 0]] as const) {
          data[q + k] = v >>> 24;
          data[q + k + 1] = (v >>> 16) & 0xff;
          data[q + k + 2] = (v >>> 8) & 0xff;
          data[q + k + 3] = v & 0xff;
        }
      });
    }
    return {
      data: s.snap === undefined ? data : data.subarray(0, s.snap), wireLen: data.length,
      tsSec: t0Sec + Math.floor(s.us / 1e6), tsNsec: (s.us % 1e6) * 1000,
    };
  });
}

/** A classic pcap file with nanosecond timestamps (magic a1b23c4d), Ethernet. */
export function pcap(fr: Frame[]): Uint8Array {
  const size = 24 + fr.reduce((n, f) => n + 16 + f.data.length, 0);
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 0xa1b23c4d, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, 65535, true);
  dv.setUint32(20, 1, true);
  let o = 24;
  for (const f of fr) {
    dv.setUint32(o, f.tsSec, true);
    dv.setUint32(o + 4, f.tsNsec, true);
    dv.setUint32(o + 8, f.data.length, true);
    dv.setUint32(o + 12, f.wireLen, true);
    b.set(f.data, o + 16);
    o += 16 + f.data.length;
  }
  return b;
}

export interface Dissected {
  info: string[];
  /** Per frame, per field: values as `-T fields` prints them, joined by ",". */
  v: Record<string, string>[];
}

/** Dissects the frames in order with one engine (so conversation state carries over). */
export function run(fr: Frame[], names: string[], mode = TreeMode.FIELDS): Dissected {
  const fields = names.map((n) => {
    const f = fieldByName(n);
    if (!f) throw new Error(`no field ${n}`);
    return f;
  });
  const e = new Engine({ mode, fields });
  const out: Dissected = { info: [], v: [] };
  for (const f of fr) {
    const p = e.dissect({ data: f.data, wireLen: f.wireLen, tsSec: f.tsSec, tsNsec: f.tsNsec, linkType: 1, ifIndex: 0 });
    out.info.push(p.info.toString());
    const row: Record<string, string> = {};
    fields.forEach((fl, k) => {
      row[names[k]!] = e.tree.get(fl).map((x) => (fl.type === 16 /* FT.RELATIVE_TIME */ ? (x as number).toFixed(9) : fl.type === 1 /* FT.NONE */ ? "1" : String(x))).join(",");
    });
    out.v.push(row);
  }
  return out;
}

/** A handshake: client SYN at 0, server SYN+ACK at `rtt` µs, client ACK at 2*rtt. */
export function handshake(rtt = 10_000, opts: { c?: TcpOptionRepr[]; s?: TcpOptionRepr[]; win?: number } = {}): Seg[] {
  return [
    { us: 0, from: "c", seq: 0, flags: SYN, options: opts.c, win: opts.win },
    { us: rtt, from: "s", seq: 0, ack: 1, flags: SYN | ACK, options: opts.s, win: opts.win },
    { us: 2 * rtt, from: "c", seq: 1, ack: 1, flags: ACK, win: opts.win },
  ];
}

// ---- scenarios, each meant to raise some analysis flags ----

const MSS = 1000;

export const SCENARIOS: Record<string, Seg[]> = {
  // A segment goes missing, the next one shows the hole, the receiver sends duplicate ACKs, the
  // sender fast-retransmits, then a late timeout retransmission.
  "lost-dupack-fast-retransmit": [
    ...handshake(),
    { us: 30_000, from: "c", seq: 1, ack: 1, flags: ACK, len: MSS },
    { us: 30_100, from: "c", seq: 1 + 2 * MSS, ack: 1, flags: ACK, len: MSS }, // seq 1+MSS lost
    { us: 30_200, from: "c", seq: 1 + 3 * MSS, ack: 1, flags: ACK, len: MSS },
    { us: 30_300, from: "c", seq: 1 + 4 * MSS, ack: 1, flags: PSH | ACK, len: MSS },
    { us: 40_000, from: "s", seq: 1, ack: 1 + MSS, flags: ACK },
    { us: 40_100, from: "s", seq: 1, ack: 1 + MSS, flags: ACK },
    { us: 40_200, from: "s", seq: 1, ack: 1 + MSS, flags: ACK },
    { us: 40_300, from: "s", seq: 1, ack: 1 + MSS, flags: ACK },
    { us: 40_400, from: "c", seq: 1 + MSS, ack: 1, flags: ACK, len: MSS }, // fast retransmission
    { us: 50_000, from: "s", seq: 1, ack: 1 + 5 * MSS, flags: ACK },
    { us: 300_000, from: "c", seq: 1 + 4 * MSS, ack: 1, flags: PSH | ACK, len: MSS }, // retransmission (spurious: acked)
    { us: 500_000, from: "c", seq: 1 + 5 * MSS, ack: 1, flags: PSH | ACK, len: 100 },
    { us: 800_000, from: "c", seq: 1 + 5 * MSS, ack: 1, flags: PSH | ACK, len: 100 }, // RTO retransmission
    { us: 810_000, from: "s", seq: 1, ack: 1 + 5 * MSS + 100, flags: ACK },
  ],
  // Segments reordered within a millisecond.
  "out-of-order": [
    ...handshake(100),
    { us: 1_000, from: "c", seq: 1, ack: 1, flags: ACK, len: MSS },
    { us: 1_100, from: "c", seq: 1 + 2 * MSS, ack: 1, flags: ACK, len: MSS },
    { us: 1_150, from: "c", seq: 1 + MSS, ack: 1, flags: ACK, len: MSS },
    { us: 1_300, from: "s", seq: 1, ack: 1 + 3 * MSS, flags: ACK },
  ],
  // The receiver's window closes; the sender probes it; the window reopens.
  "zero-window": [
    ...handshake(),
    { us: 30_000, from: "c", seq: 1, ack: 1, flags: PSH | ACK, len: 500 },
    { us: 31_000, from: "s", seq: 1, ack: 501, flags: ACK, win: 0 },
    { us: 231_000, from: "c", seq: 501, ack: 1, flags: ACK, len: 1 },
    { us: 232_000, from: "s", seq: 1, ack: 501, flags: ACK, win: 0 },
    { us: 632_000, from: "c", seq: 501, ack: 1, flags: ACK, len: 1 },
    { us: 633_000, from: "s", seq: 1, ack: 501, flags: ACK, win: 0 },
    { us: 900_000, from: "s", seq: 1, ack: 501, flags: ACK, win: 8192 },
    { us: 901_000, from: "c", seq: 501, ack: 1, flags: PSH | ACK, len: 300 },
    { us: 902_000, from: "s", seq: 1, ack: 801, flags: ACK, win: 8192 },
  ],
  // Idle connection kept alive from both sides, with and without the garbage byte.
  "keep-alive": [
    ...handshake(),
    { us: 30_000, from: "c", seq: 1, ack: 1, flags: PSH | ACK, len: 10 },
    { us: 31_000, from: "s", seq: 1, ack: 11, flags: PSH | ACK, len: 20 },
    { us: 32_000, from: "c", seq: 11, ack: 21, flags: ACK },
    { us: 45_032_000, from: "c", seq: 10, ack: 21, flags: ACK },
    { us: 45_033_000, from: "s", seq: 21, ack: 11, flags: ACK },
    { us: 90_033_000, from: "s", seq: 20, ack: 11, flags: ACK, len: 1 },
    { us: 90_034_000, from: "c", seq: 11, ack: 21, flags: ACK },
  ],
  // Window scaling negotiated; the sender fills the receiver's window exactly; window updates.
  "window-full": [
    { us: 0, from: "c", seq: 0, flags: SYN, options: [{ kind: "mss", value: 1460 }, { kind: "nop" }, { kind: "wscale", shift: 2 }] },
    { us: 10_000, from: "s", seq: 0, ack: 1, flags: SYN | ACK, win: 1000, options: [{ kind: "mss", value: 1460 }, { kind: "nop" }, { kind: "wscale", shift: 1 }] },
    { us: 20_000, from: "c", seq: 1, ack: 1, flags: ACK, win: 1000 },
    { us: 21_000, from: "s", seq: 1, ack: 1, flags: ACK, win: 1000 },
    { us: 30_000, from: "c", seq: 1, ack: 1, flags: ACK, len: 1000, win: 1000 },
    { us: 30_100, from: "c", seq: 1001, ack: 1, flags: PSH | ACK, len: 1000, win: 1000 },
    { us: 40_000, from: "s", seq: 1, ack: 2001, flags: ACK, win: 500 },
    { us: 40_100, from: "s", seq: 1, ack: 2001, flags: ACK, win: 1000 },
    { us: 50_000, from: "c", seq: 2001, ack: 1, flags: PSH | ACK, len: 2000, win: 1000 },
    { us: 60_000, from: "s", seq: 1, ack: 4001, flags: ACK, win: 1000 },
  ],
  // A second connection on the same ports with a new ISN.
  "port-reuse": [
    ...handshake(),
    { us: 30_000, from: "c", seq: 1, ack: 1, flags: FIN | ACK },
    { us: 31_000, from: "s", seq: 1, ack: 2, flags: FIN | ACK },
    { us: 32_000, from: "c", seq: 2, ack: 2, flags: ACK },
    { us: 2_000_000, from: "c", seq: 100_000, flags: SYN },
    { us: 2_010_000, from: "s", seq: 200_000, ack: 100_001, flags: SYN | ACK },
    { us: 2_020_000, from: "c", seq: 100_001, ack: 200_001, flags: ACK },
  ],
  // SACKed data leaves the bytes in flight; the ACK of unseen data.
  "sack-unseen": [
    ...handshake(1000, { c: [{ kind: "sack_perm" }], s: [{ kind: "sack_perm" }] }),
    { us: 3_000, from: "c", seq: 1, ack: 1, flags: ACK, len: MSS },
    { us: 3_100, from: "c", seq: 1 + MSS, ack: 1, flags: ACK, len: MSS },
    { us: 3_200, from: "c", seq: 1 + 2 * MSS, ack: 1, flags: ACK, len: MSS },
    { us: 5_000, from: "s", seq: 1, ack: 1 + MSS, flags: ACK, sack: [[1 + 2 * MSS, 1 + 3 * MSS]] },
    { us: 5_100, from: "c", seq: 1 + 3 * MSS, ack: 1, flags: ACK, len: MSS },
    { us: 6_000, from: "s", seq: 1, ack: 1 + 6 * MSS, flags: ACK },
    { us: 7_000, from: "s", seq: 1, ack: 1 + 6 * MSS, flags: ACK },
    { us: 8_000, from: "c", seq: 1 + 6 * MSS, ack: 1, flags: ACK, len: MSS },
    { us: 9_000, from: "s", seq: 1, ack: 1 + 7 * MSS, flags: ACK },
  ],
  // A RST, then the client repeats its SYN with the same ISN.
  "syn-again": [
    { us: 0, from: "c", seq: 0, flags: SYN },
    { us: 1_000_000, from: "c", seq: 0, flags: SYN },
    { us: 1_010_000, from: "s", seq: 0, ack: 1, flags: SYN | ACK },
    { us: 1_020_000, from: "c", seq: 1, ack: 1, flags: ACK },
    { us: 1_030_000, from: "c", seq: 1, ack: 1, flags: RST | ACK },
    { us: 3_000_000, from: "c", seq: 0, flags: SYN },
  ],
  // The probe byte is followed by new data starting with it; a FIN is retransmitted.
  "probe-then-data-fin": [
    ...handshake(),
    { us: 30_000, from: "c", seq: 1, ack: 1, flags: PSH | ACK, len: 100 },
    { us: 31_000, from: "s", seq: 1, ack: 101, flags: ACK, win: 0 },
    { us: 300_000, from: "c", seq: 101, ack: 1, flags: ACK, len: 1 },
    { us: 301_000, from: "s", seq: 1, ack: 101, flags: ACK, win: 4000 },
    { us: 302_000, from: "c", seq: 101, ack: 1, flags: PSH | ACK, len: 500 },
    { us: 303_000, from: "s", seq: 1, ack: 601, flags: ACK, win: 4000 },
    { us: 400_000, from: "c", seq: 601, ack: 1, flags: FIN | ACK },
    { us: 700_000, from: "c", seq: 601, ack: 1, flags: FIN | ACK },
    { us: 701_000, from: "s", seq: 1, ack: 602, flags: FIN | ACK, win: 4000 },
    { us: 702_000, from: "c", seq: 602, ack: 2, flags: ACK },
  ],
  // Reordering judged against the initial RTT (40 ms): a 10 ms late segment is out of order,
  // a 60 ms late one a retransmission; duplicate ACKs followed by a late resend.
  "irtt-threshold": [
    ...handshake(20_000),
    { us: 50_000, from: "c", seq: 1, ack: 1, flags: ACK, len: MSS },
    { us: 50_100, from: "c", seq: 1 + 2 * MSS, ack: 1, flags: ACK, len: MSS },
    { us: 60_000, from: "c", seq: 1 + MSS, ack: 1, flags: ACK, len: MSS },
    { us: 70_000, from: "c", seq: 1 + 4 * MSS, ack: 1, flags: ACK, len: MSS },
    { us: 130_000, from: "c", seq: 1 + 3 * MSS, ack: 1, flags: ACK, len: MSS },
    { us: 140_000, from: "s", seq: 1, ack: 1 + 5 * MSS, flags: ACK },
    { us: 150_000, from: "c", seq: 1 + 5 * MSS, ack: 1, flags: ACK, len: MSS },
    { us: 160_000, from: "s", seq: 1, ack: 1 + 5 * MSS, flags: ACK },
    { us: 160_100, from: "s", seq: 1, ack: 1 + 5 * MSS, flags: ACK },
    { us: 160_200, from: "s", seq: 1, ack: 1 + 5 * MSS, flags: ACK },
    { us: 250_000, from: "c", seq: 1 + 5 * MSS, ack: 1, flags: ACK, len: MSS },
    { us: 260_000, from: "s", seq: 1, ack: 1 + 6 * MSS, flags: ACK, win: 30000 },
    { us: 260_000, from: "s", seq: 1, ack: 1 + 6 * MSS, flags: ACK, win: 30000 },
  ],
  // Timestamps that go backwards, a RST carrying the ACK as its sequence number, data after it.
  "backwards-rst": [
    ...handshake(),
    { us: 30_000, from: "c", seq: 1, ack: 1, flags: PSH | ACK, len: 50 },
    { us: 29_000, from: "c", seq: 1, ack: 1, flags: PSH | ACK, len: 50 },
    { us: 31_000, from: "s", seq: 1, ack: 51, flags: PSH | ACK, len: 70 },
    { us: 32_000, from: "c", seq: 51, ack: 71, flags: RST | ACK },
    { us: 33_000, from: "s", seq: 71, ack: 51, flags: RST },
    { us: 34_000, from: "s", seq: 71, ack: 51, flags: PSH | ACK, len: 10 },
  ],
  // Segments cut by the snaplen: a retransmission, a spurious one, a keep-alive.
  "snaplen": [
    ...handshake(),
    { us: 30_000, from: "c", seq: 1, ack: 1, flags: PSH | ACK, len: 200, snap: 80 },
    { us: 31_000, from: "c", seq: 201, ack: 1, flags: PSH | ACK, len: 200, snap: 80 },
    { us: 32_000, from: "s", seq: 1, ack: 201, flags: ACK },
    { us: 300_000, from: "c", seq: 201, ack: 1, flags: PSH | ACK, len: 200, snap: 80 },
    { us: 310_000, from: "c", seq: 1, ack: 1, flags: PSH | ACK, len: 200, snap: 80 },
    { us: 320_000, from: "s", seq: 1, ack: 401, flags: ACK },
    { us: 50_320_000, from: "c", seq: 400, ack: 1, flags: ACK, len: 1, snap: 54 },
    { us: 50_321_000, from: "s", seq: 1, ack: 401, flags: ACK },
  ],
  // More unacknowledged segments than arpx remembers (SEG_CAP): ACKed at the 40th (kept apart)
  // and at the 80th (the end of the merged span), which arpx still matches exactly.
  "many-unacked": [
    ...handshake(),
    ...Array.from({ length: 80 }, (_, i): Seg => ({ us: 30_000 + i * 10, from: "c", seq: 1 + i * 100, ack: 1, flags: ACK, len: 100 })),
    { us: 40_000, from: "s", seq: 1, ack: 1 + 40 * 100, flags: ACK },
    { us: 40_100, from: "s", seq: 1, ack: 1 + 80 * 100, flags: ACK },
  ],
};

/**
 * Known deviation (tcp-analysis.ts, SEG_CAP): an ACK ending inside the span where segments past
 * the 64th were merged has no acks_frame/ack_rtt in arpx (tshark names the 70th segment's frame).
 */
export const ACK_INSIDE_MERGED_SPAN: Seg[] = [
  ...handshake(),
  ...Array.from({ length: 80 }, (_, i): Seg => ({ us: 30_000 + i * 10, from: "c", seq: 1 + i * 100, ack: 1, flags: ACK, len: 100 })),
  { us: 40_000, from: "s", seq: 1, ack: 1 + 70 * 100, flags: ACK },
  { us: 40_100, from: "c", seq: 1 + 80 * 100, ack: 1, flags: ACK, len: 100 },
  { us: 40_200, from: "s", seq: 1, ack: 1 + 81 * 100, flags: ACK },
];

/** A DNS query over TCP (RFC 1035 4.2.2: two length bytes, then the message). */
export function dnsOverTcp(): Uint8Array {
  const q = build([dnsLayer({ id: 0x1234, response: false, questions: [{ name: "example.com", type: 1 }] })], 0);
  const m = new Uint8Array(q.length + 2);
  m[0] = q.length >> 8;
  m[1] = q.length & 0xff;
  m.set(q, 2);
  return m;
}

/**
 * DNS over TCP (server port 53): a query after a hole keeps the analysis prefix in front of the
 * DNS Info text (Wireshark's column fence); its retransmission is not decoded as DNS again.
 */
export function dnsScenario(): Seg[] {
  const q = dnsOverTcp(), n = q.length;
  return [
    ...handshake(1000),
    { us: 3_000, from: "c", seq: 1, ack: 1, flags: PSH | ACK, payload: q },
    { us: 4_000, from: "c", seq: 1 + 2 * n, ack: 1, flags: PSH | ACK, payload: q },
    { us: 5_000, from: "c", seq: 1 + 2 * n, ack: 1, flags: PSH | ACK, payload: q },
    { us: 6_000, from: "s", seq: 1, ack: 1 + 3 * n, flags: ACK },
    { us: 7_000, from: "s", seq: 1, ack: 1 + 3 * n, flags: ACK },
  ];
}
