// Relative times (FT_RELATIVE_TIME: frame.time_delta, tcp.time_relative, tcp.analysis.ack_rtt,
// dns.time...) are exact to the nanosecond whatever their size, as tshark's nstime_t (seconds and
// nanoseconds): field values, the detail tree, JSON and display filters, on frames with extreme
// timestamps (0, 2^32-1 s, out of order by 1 ns). Every expectation was checked with tshark 4.0.17;
// with tshark installed, the frames are written to a nanosecond pcap and compared with it again.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Engine } from "../../src/dissect/engine.js";
import { fieldByName } from "../../src/dissect/fields.js";
import { compileFilter } from "../../src/dissect/filter/index.js";
import { fieldValueText } from "../../src/dissect/format.js";
import { relTimeText, relTimeValue } from "../../src/dissect/session.js";
import { TreeMode } from "../../src/dissect/tree.js";
import { HAVE_SHARED, HAVE_TSHARK, runArpx, runTshark, SHARED_CAPTURES, skipReason } from "../helpers.js";
import { A4, ACK, B4, eth, icmp, ip4, PSH, SYN, tcp, udp, type Frame } from "./protocols/transport-build.js";

// ---------------------------------------------------------------- the value

describe("relTimeValue", () => {
  it("is a number of seconds below 2^22 s, printed exactly by toFixed(9)", () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const spans = [0, 1, 999, 86400, 2 ** 21, 2 ** 22 - 3];
    for (let k = 0; k < 20000; k++) {
      const bSec = 1_000_000_000 + rnd(1 << 30), bNsec = rnd(1e9);
      const aSec = bSec + (rnd(2) ? 1 : -1) * (spans[rnd(spans.length)]! + rnd(3)), aNsec = k % 7 === 0 ? 999_999_999 - rnd(2) : rnd(1e9);
      const v = relTimeValue(aSec, aNsec, bSec, bNsec);
      expect(typeof v).toBe("number");
      expect((v as number).toFixed(9), `${aSec}.${aNsec} - ${bSec}.${bNsec}`).toBe(relTimeText(aSec, aNsec, bSec, bNsec));
    }
  });

  it("is the exact text from 2^22 s on", () => {
    expect(relTimeValue(4294967295, 999999999, 0, 0)).toBe("4294967295.999999999");
    expect(relTimeValue(1, 1, 4294967295, 999999998)).toBe("-4294967294.999999997");
    expect(relTimeValue(4194304, 0, 0, 0)).toBe("4194304.000000000");
    expect(relTimeValue(4194303, 999999999, 0, 0)).toBe(4194303.999999999);
    expect(relTimeValue(0, 0, 4194304, 0)).toBe("-4194304.000000000");
  });

  it("signs the seconds and nanoseconds alike, as nstime_delta, and prints them as tshark", () => {
    expect(relTimeText(5, 0, 5, 1)).toBe("-0.000000001");
    expect(relTimeText(5, 1, 5, 0)).toBe("0.000000001");
    expect(relTimeText(4, 999999999, 5, 0)).toBe("-0.000000001");
    expect(relTimeText(3, 500000000, 5, 0)).toBe("-1.500000000");
    expect(relTimeText(5, 0, 3, 500000000)).toBe("1.500000000");
    expect(relTimeText(100, 500000000, 1234567889, 999999999)).toBe("-1234567789.499999999");
    expect(relTimeText(7, 0, 2, 0)).toBe("5.000000000");
    expect(relTimeText(2, 0, 7, 0)).toBe("-5.000000000");
    expect(relTimeText(0, 0, 0, 0)).toBe("0.000000000");
  });
});

// ---------------------------------------------------------------- frames at extreme times

const DNS_QUERY = [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0x61, 0, 0, 1, 0, 1];
const DNS_RESPONSE = [0x12, 0x34, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0x61, 0, 0, 1, 0, 1];
/** Echo data starting with a struct timeval (5 s, little-endian): icmp.data_time(_relative). */
const ECHO_DATA = [5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8];

const at = (sec: number, nsec: number, bytes: number[]): Frame => ({ bytes, sec, nsec });
const tcp4 = (src: number[], dst: number[], seg: number[]) => eth(ip4(src, dst, 6, seg));
const udp4 = (src: number[], dst: number[], dgram: number[]) => eth(ip4(src, dst, 17, dgram));

const FRAMES: Frame[] = [
  // 1-5: a TCP connection whose clock jumps by 2^32 s, back 1 ns, then back 2^32 s.
  at(0, 0, tcp4(A4, B4, tcp(1000, 80, 100, 0, SYN))),
  at(4294967295, 999999999, tcp4(B4, A4, tcp(80, 1000, 500, 101, SYN | ACK))),
  at(4294967295, 999999998, tcp4(A4, B4, tcp(1000, 80, 101, 501, ACK))),
  at(1, 1, tcp4(A4, B4, tcp(1000, 80, 101, 501, PSH | ACK, { data: [1, 2, 3, 4] }))),
  at(1234567890, 1, tcp4(B4, A4, tcp(80, 1000, 501, 105, ACK))),
  // 6-7: UDP 1 ns back in time.
  at(1234567890, 0, udp4(A4, B4, udp(5000, 6000, [1, 2, 3]))),
  at(1234567889, 999999999, udp4(A4, B4, udp(5000, 6000, [1, 2, 3]))),
  // 8-9: a DNS response 2999999899.75 s after its query.
  at(100, 500000000, udp4(A4, B4, udp(5353, 53, DNS_QUERY))),
  at(3000000000, 250000000, udp4(B4, A4, udp(53, 5353, DNS_RESPONSE))),
  // 10-12: an echo reply 3999999995.123456789 s after its request; UDP after 2765432110 s.
  at(5, 0, eth(ip4(A4, B4, 1, icmp(8, 0, [0, 1, 0, 1], ECHO_DATA)))),
  at(4000000000, 123456789, eth(ip4(B4, A4, 1, icmp(0, 0, [0, 1, 0, 1], ECHO_DATA)))),
  at(4000000000, 123456789, udp4(A4, B4, udp(5000, 6000, [1, 2, 3]))),
  // 13-17: a TCP connection with an initial RTT of 3000000000.000000001 s and a retransmission
  // 1000000000.000000007 s after the segment it repeats.
  at(10, 0, tcp4(A4, B4, tcp(2000, 80, 100, 0, SYN))),
  at(10, 500, tcp4(B4, A4, tcp(80, 2000, 500, 101, SYN | ACK))),
  at(3000000010, 1, tcp4(A4, B4, tcp(2000, 80, 101, 501, ACK))),
  at(3000000010, 2, tcp4(A4, B4, tcp(2000, 80, 101, 501, PSH | ACK, { data: [1, 2, 3, 4] }))),
  at(4000000010, 9, tcp4(A4, B4, tcp(2000, 80, 101, 501, PSH | ACK, { data: [1, 2, 3, 4] }))),
];

const REL_FIELDS = [
  "frame.time_delta", "frame.time_delta_displayed", "frame.time_relative", "tcp.time_relative", "tcp.time_delta",
  "tcp.analysis.ack_rtt", "tcp.analysis.initial_rtt", "tcp.analysis.rto", "udp.time_relative", "udp.time_delta", "dns.time",
  "icmp.resptime", "icmp.data_time_relative",
];

/** tshark 4.0.17's -T fields output for FRAMES (frame.number, then REL_FIELDS, "|"-separated). */
const EXPECTED = [
  "1|0.000000000|0.000000000|0.000000000|0.000000000|0.000000000||||||||",
  "2|4294967295.999999999|4294967295.999999999|4294967295.999999999|4294967295.999999999|4294967295.999999999|4294967295.999999999|||||||",
  "3|-0.000000001|-0.000000001|4294967295.999999998|4294967295.999999998|-0.000000001|-0.000000001|||||||",
  "4|-4294967294.999999997|-4294967294.999999997|1.000000001|1.000000001|-4294967294.999999997||||||||",
  "5|1234567889.000000000|1234567889.000000000|1234567890.000000001|1234567890.000000001|1234567889.000000000|1234567889.000000000|||||||",
  "6|-0.000000001|-0.000000001|1234567890.000000000||||||0.000000000|0.000000000|||",
  "7|-0.000000001|-0.000000001|1234567889.999999999||||||-0.000000001|-0.000000001|||",
  "8|-1234567789.499999999|-1234567789.499999999|100.500000000||||||0.000000000|0.000000000|||",
  "9|2999999899.750000000|2999999899.750000000|3000000000.250000000||||||2999999899.750000000|2999999899.750000000|2999999899.750000000||",
  "10|-2999999995.250000000|-2999999995.250000000|5.000000000||||||||||0.000000000",
  "11|3999999995.123456789|3999999995.123456789|4000000000.123456789|||||||||3999999995123.46|",
  "12|0.000000000|0.000000000|4000000000.123456789||||||2765432110.123456789|2765432110.123456790|||",
  "13|-3999999990.123456789|-3999999990.123456789|10.000000000|0.000000000|0.000000000||||||||",
  "14|0.000000500|0.000000500|10.000000500|0.000000500|0.000000500|0.000000500|||||||",
  "15|2999999999.999999501|2999999999.999999501|3000000010.000000001|3000000000.000000001|2999999999.999999501|2999999999.999999501|3000000000.000000001||||||",
  "16|0.000000001|0.000000001|3000000010.000000002|3000000000.000000002|0.000000001||3000000000.000000001||||||",
  "17|1000000000.000000007|1000000000.000000007|4000000010.000000009|4000000000.000000009|1000000000.000000007||3000000000.000000001|1000000000.000000007|||||",
];

function fieldsOf(names: readonly string[]) {
  return names.map((n) => {
    const f = fieldByName(n);
    if (!f) throw new Error(`no field ${n}`);
    return f;
  });
}

const input = (fr: Frame) => ({ data: Uint8Array.from(fr.bytes), wireLen: fr.bytes.length, tsSec: fr.sec!, tsNsec: fr.nsec!, linkType: 1, ifIndex: 0 });

/** One engine over FRAMES; per frame, the raw values of `names`. */
function dissectAll(names: readonly string[], mode: TreeMode) {
  const fields = fieldsOf(names);
  const e = new Engine({ mode, fields });
  return FRAMES.map((fr) => {
    e.displayed(e.dissect(input(fr)));
    return fields.map((f) => e.tree.get(f).map((v) => ({ v, text: fieldValueText(f, v) })));
  });
}

describe("relative-time fields at extreme timestamps", () => {
  it("print tshark's values, in field and full mode", () => {
    for (const mode of [TreeMode.FIELDS, TreeMode.FULL]) {
      const rows = dissectAll(REL_FIELDS, mode).map((r, i) => [String(i + 1), ...r.map((vals) => vals.map((x) => x.text).join(","))].join("|"));
      expect(rows).toEqual(EXPECTED);
    }
  });

  it("record a number below 2^22 s and the exact text past it", () => {
    const rows = dissectAll(["frame.time_delta", "frame.time_relative"], TreeMode.FIELDS);
    expect(rows[2]![0]![0]!.v).toBe(-1e-9);
    expect(rows[13]![0]![0]!.v).toBe(0.0000005);
    expect(rows[1]![0]![0]!.v).toBe("4294967295.999999999");
    expect(rows[0]![1]![0]!.v).toBe(0);
  });

  it("are not computed when nobody asks for them", () => {
    const e = new Engine({ mode: TreeMode.SUMMARY, fields: [] });
    const f = fieldsOf(REL_FIELDS);
    for (const fr of FRAMES) {
      e.dissect(input(fr));
      for (const x of f) expect(e.tree.get(x)).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------- display filters

/**
 * Filters on FRAMES and the frames they match. tshark 4.0 agrees where no two times compared are
 * 2^31 s or more apart; the cases marked WRAP are the others, where tshark's nstime_cmp truncates
 * the seconds difference to 32 bits ("frame.time_delta > 1" misses a 4294967295 s delta) and arpx
 * compares exactly.
 */
const WRAP = true;
const FILTERS: [string, number[], boolean?][] = [
  ["frame.time_relative == 1234567890.000000001", [5]],
  ["frame.time_relative == 1234567890", [6]],
  ["frame.time_relative == 4000000000.123456789", [11, 12]],
  ["frame.time_relative == 4000000000.12345679", []],
  ["udp.time_delta == 2765432110.12345679", [12]],
  ["frame.time_relative == 1.0000000010", [4]],
  ["frame.time_delta == -0.000000001", [3, 6, 7]],
  ["frame.time_delta == -4294967294.999999997", [4]],
  ["tcp.time_delta == -4294967294.999999997", [4]],
  ["frame.time_relative - 1234567890 == 0.000000001", [5]],
  ["-frame.time_delta == 0.000000001", [3, 6, 7]],
  ["abs(frame.time_delta) == 4294967294.999999997", [4]],
  ["frame.time_delta + 0 == -0.000000001", [3, 6, 7]],
  ["frame.time_relative in {1.000000001 .. 100.5}", [4, 8, 10, 13, 14]],
  ["frame.time_relative > 2147483648", [2, 3, 9, 11, 12, 15, 16, 17]],
  ["frame.time_relative < 2147483648", [1, 4, 5, 6, 7, 8, 10, 13, 14]],
  ["dns.time == 2999999899.75", [9]],
  ["dns.time > 2999999899.7", [9]],
  ["tcp.analysis.initial_rtt == 3000000000.000000001", [15, 16, 17]],
  ["tcp.analysis.ack_rtt == 2999999999.999999501", [15]],
  ["tcp.analysis.rto == 1000000000.000000007", [17]],
  ["frame.time_delta == frame.time_delta_displayed", FRAMES.map((_, i) => i + 1)],
  ["frame.time_relative == tcp.time_relative", [1, 2, 3, 4, 5]],
  ["frame.time_delta == 0", [1, 12]],
  ["frame.time_delta", FRAMES.map((_, i) => i + 1)],
  ["frame.time_delta > 1", [2, 5, 9, 11, 15, 17], WRAP],
  ["frame.time_delta < 0", [3, 4, 6, 7, 8, 10, 13], WRAP],
  ["frame.time_relative > 4294967295.999999998", [2], WRAP],
  ["frame.time_relative == 4294967296", [], WRAP],
  ["frame.time_relative == -1", [], WRAP],
  ["frame.time_relative > 1 + 2", [2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17], WRAP],
  ["max(frame.time_relative, 5) > 4294967295", [2, 3], WRAP],
  ["min(frame.time_delta, -1) == -1", [1, 2, 3, 5, 6, 7, 9, 11, 12, 14, 15, 16, 17], WRAP],
];

function matching(filter: string): number[] {
  const cf = compileFilter(filter);
  const e = new Engine({ mode: TreeMode.FIELDS, fields: cf.fields, columns: false });
  const hits: number[] = [];
  FRAMES.forEach((fr, i) => {
    const p = e.dissect(input(fr));
    if (cf.test(e.tree)) hits.push(i + 1);
    e.displayed(p);
  });
  return hits;
}

describe("display filters compare relative times exactly", () => {
  it.each(FILTERS)("%s", (filter, frames) => {
    expect(matching(filter)).toEqual(frames);
  });

  it("refuse what tshark refuses", () => {
    const error = (f: string) => {
      try {
        compileFilter(f);
        return "";
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(error("frame.time_relative == 1.0000000011")).toContain('"1.0000000011" is not a valid time.');
    expect(error("frame.time_relative > 2 * 3")).toContain("FT_RELATIVE_TIME cannot *.");
    expect(error("frame.time_relative * 2 > 1")).toContain("FT_RELATIVE_TIME cannot *.");
    expect(error("frame.time_relative == frame.time")).toContain("not of compatible types");
    expect(error("max(frame.len, frame.time_relative) == 1")).toContain("must have the same type");
  });
});

// ---------------------------------------------------------------- against tshark

/** FRAMES as a nanosecond-resolution pcap (link type Ethernet). */
function writeNsPcap(): string {
  const b = Buffer.alloc(24 + FRAMES.reduce((n, f) => n + 16 + f.bytes.length, 0));
  b.writeUInt32LE(0xa1b23c4d, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeUInt32LE(65535, 16);
  b.writeUInt32LE(1, 20);
  let o = 24;
  for (const f of FRAMES) {
    b.writeUInt32LE(f.sec!, o);
    b.writeUInt32LE(f.nsec!, o + 4);
    b.writeUInt32LE(f.bytes.length, o + 8);
    b.writeUInt32LE(f.bytes.length, o + 12);
    b.set(f.bytes, o + 16);
    o += 16 + f.bytes.length;
  }
  const path = join(mkdtempSync(join(tmpdir(), "arpx-reltime-")), "extreme-times.pcap");
  writeFileSync(path, b);
  return path;
}

const both = (args: string[]) => ({ ts: runTshark(args).stdout, ax: runArpx(["read", ...args]).stdout });
const lines = (s: string) => s.split("\n").filter((l) => l !== "");

describe.skipIf(skipReason(HAVE_TSHARK, "tshark not installed"))("agrees with tshark on extreme timestamps", () => {
  const file = HAVE_TSHARK ? writeNsPcap() : "";
  const fieldArgs = ["-n", "-r", file, "-T", "fields", "-E", "separator=|", "-e", "frame.number", ...REL_FIELDS.flatMap((f) => ["-e", f])];

  it("-T fields", () => {
    const r = both(fieldArgs);
    expect(lines(r.ts)).toEqual(EXPECTED);
    expect(lines(r.ax)).toEqual(EXPECTED);
  });

  it("-V and -T json", () => {
    const v = both(["-n", "-V", "-r", file]);
    expect(v.ax).toBe(v.ts);
    const j = { ts: runTshark(["-n", "-T", "json", "--no-duplicate-keys", "-r", file]).stdout, ax: runArpx(["read", "-n", "-T", "json", "-r", file]).stdout };
    expect(JSON.parse(j.ax)).toEqual(JSON.parse(j.ts));
  });

  it("the summary's time column (-t r, d, dd)", () => {
    for (const t of ["r", "d", "dd"]) {
      const r = both(["-n", "-t", t, "-r", file]);
      expect(r.ax, `-t ${t}`).toBe(r.ts);
    }
  });

  // arpx's own answers are checked in-process above; here tshark's, and one run of arpx's CLI.
  it.each(FILTERS.filter((c) => !c[2]))("filter %s", (filter, frames) => {
    expect(lines(runTshark(["-n", "-r", file, "-Y", filter, "-T", "fields", "-e", "frame.number"]).stdout).map(Number)).toEqual(frames);
  });

  it("filters through the CLI", () => {
    const filter = "frame.time_relative == 1234567890.000000001 or tcp.analysis.rto == 1000000000.000000007";
    const r = both(["-n", "-r", file, "-Y", filter, "-T", "fields", "-e", "frame.number"]);
    expect(lines(r.ts).map(Number)).toEqual([5, 17]);
    expect(lines(r.ax).map(Number)).toEqual([5, 17]);
  });
});

// pcapng test files whose timestamp-less Simple Packet Blocks put frames ~1.34e9 s after time 0,
// then back.
const PCAPNG = ["be-advanced-test100", "le-advanced-test100", "be-difficult-test201", "le-difficult-test201", "be-basic-test010", "be-basic-test012"]
  .map((n) => `pcapngtg-${n}.pcapng`);

describe.skipIf(skipReason(HAVE_TSHARK && HAVE_SHARED, "tshark or the shared captures missing"))("agrees with tshark on pcapng files ~1e9 s apart", () => {
  it.each(PCAPNG)("%s", (name) => {
    const file = join(SHARED_CAPTURES, name);
    const f = both(["-n", "-r", file, "-T", "fields", "-E", "separator=|", "-e", "frame.number", ...REL_FIELDS.flatMap((x) => ["-e", x])]);
    expect(lines(f.ax)).toEqual(lines(f.ts));
    // The detail tree's time lines (tshark names a later section's interfaces differently, so not
    // every line of test201 agrees).
    const times = (s: string) => lines(s).filter((l) => / seconds\]$/.test(l));
    const v = both(["-n", "-V", "-r", file]);
    expect(times(v.ax)).toEqual(times(v.ts));
    expect(times(v.ts).length).toBeGreaterThan(0);
  });
});
