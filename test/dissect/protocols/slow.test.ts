// Slow Protocols (ethertype 0x8809): LACP (and Avaya's vLACP, HP's IRF extension), Marker, Ethernet
// OAM (every OAMPDU code, every event, variable containers, CableLabs DPoE) and OSSP/ESMC frames
// built here, with wrong TLVs, trailers, cut and mutated frames, are read by arpx and by tshark,
// which must print the same -V tree, summary lines, frame.protocols and fields; tcpdump's
// slow-ossp.pcap too (-T json as well). Every prefix decodes safely.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allFields } from "../../../src/dissect/fields.js";
import { lacp, marker, oampdu, slow } from "../../../src/dissect/protocols/slow.js";
import { hf as ossp } from "../../../src/dissect/protocols/ossp.js";
import { HAVE_SHARED, HAVE_TSHARK, runArpx, runTshark, SHARED_CAPTURES, skipReason } from "../../helpers.js";
import { decode, everyPrefixIsSafe } from "./l3-helpers.js";
import { expectSameAsTshark, fieldLines, summaries, writePcap } from "./tshark-compare.js";

const HDR = [0x01, 0x80, 0xc2, 0x00, 0x00, 0x02, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x88, 0x09];
const u16 = (v: number) => [(v >> 8) & 0xff, v & 0xff];
const u32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const u64 = (hi: number, lo: number) => [...u32(hi), ...u32(lo)];
const zeros = (n: number) => Array(n).fill(0) as number[];
const pad = (f: number[], n = 60) => [...f, ...zeros(Math.max(0, n - f.length))];

// ---- LACP ----

interface LacpOpts { version?: number; actor?: [number, number]; partner?: [number, number]; collector?: [number, number]; tail?: number[]; actorState?: number; partnerState?: number }
function lacpdu(o: LacpOpts = {}): number[] {
  const [at, al] = o.actor ?? [1, 20];
  const [pt, pl] = o.partner ?? [2, 20];
  const [ct, cl] = o.collector ?? [3, 16];
  return [
    1, o.version ?? 1,
    at, al, ...u16(32768), 0x00, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, ...u16(13), ...u16(255), ...u16(7), o.actorState ?? 0x3d, 0, 0, 0,
    pt, pl, ...u16(100), 0x00, 0x11, 0x22, 0x33, 0x44, 0x66, ...u16(14), ...u16(128), ...u16(9), o.partnerState ?? 0x05, 0, 0, 0,
    ct, cl, ...u16(50), ...zeros(12),
    ...(o.tail ?? [0, 0, ...zeros(50)]),
  ];
}

// ---- Marker ----

function markerPdu(type = 1, len = 16, padValue = 0, termType = 0, termLen = 0): number[] {
  return [2, 1, type, len, ...u16(5), 0x00, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, ...u32(123456), ...u16(padValue), termType, termLen, ...zeros(90)];
}

// ---- OAM ----

const oam = (code: number, body: number[], flags = 0x0050) => [3, ...u16(flags), code, ...body];
const LOCAL_INFO = [1, 16, 1, ...u16(3), 0x05, 0x1f, ...u16(1500), 0x00, 0x19, 0xa7, 1, 2, 3, 4];
const REMOTE_INFO = [2, 16, 1, ...u16(4), 0x02, 0x01, ...u16(1518), 0x00, 0x00, 0x0c, 0x0a, 0x0b, 0x0c, 0x0d];
const ORG_INFO = [0xfe, 8, 0x00, 0x10, 0x00, 1, 2, 3];
const ESPE = [1, 40, ...u16(100), ...u64(0, 1), ...u64(0x10000000, 7), ...u64(0, 3), ...u64(0xffffffff, 0xffffffff), ...u32(9)];
const EFE = [2, 26, ...u16(200), ...u16(5), ...u32(6), ...u32(7), ...u64(0, 8), ...u32(9)];
const EFPE = [3, 28, ...u16(300), ...u32(5), ...u32(6), ...u32(7), ...u64(0, 8), ...u32(9)];
const EFSSE = [4, 18, ...u16(400), ...u16(5), ...u16(6), ...u16(7), ...u32(8), ...u32(9)];
const dpoe = (op: number, body: number[]) => oam(0xfe, [0x00, 0x10, 0x00, op, ...body]);
const D = (v: number) => [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];

// ---- OSSP / ESMC ----

function esmc(vflags = 0x10, reserved = [0, 0, 0], tlvs = [1, 0, 4, 4]): number[] {
  return [10, 0x00, 0x19, 0xa7, 0x00, 0x01, vflags, ...reserved, ...tlvs];
}
const EXT_QL = (essm: number, flags = 0x03) => [2, 0x00, 0x14, essm, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, flags, 2, 5, ...zeros(5)];

const FRAMES: Record<string, number[]> = {
  "LACP": [...HDR, ...lacpdu()],
  "LACP version 2": [...HDR, ...lacpdu({ version: 2 })],
  "LACP with wrong TLV types and lengths": [...HDR, ...lacpdu({ actor: [5, 21], partner: [1, 0], collector: [9, 1] })],
  "LACP with a further TLV": [...HDR, ...lacpdu({ tail: [4, 6, 0x61, 0x62, 0x63, 0x64, 0, 0, ...zeros(44)] })],
  "LACP, TLV of a bad length instead of the Terminator": [...HDR, ...lacpdu({ tail: [4, 1, ...zeros(50)] })],
  "LACP, Terminator of a non-zero length": [...HDR, ...lacpdu({ tail: [0, 3, ...zeros(50)] })],
  "LACP and a 4-byte FCS": [...HDR, ...lacpdu(), ...zeros(4)],
  "LACP and a trailer": [...HDR, ...lacpdu(), 1, 2, 3],
  "LACP with HP's IRF extension": [...HDR, ...lacpdu(), 0x64, 24, ...zeros(2), ...u16(7), 0x00, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, ...zeros(8), ...u16(2), ...u16(3), ...zeros(2)],
  "LACP, HP's extension cut short": [...HDR, ...lacpdu(), 0x64, 22, ...zeros(22)],
  "LACP, all state flags and none": [...HDR, ...lacpdu({ actorState: 0xff, partnerState: 0 })],
  "Avaya vLACP": [...HDR, 1, 0x01, 0x01, 0x14, ...lacpdu().slice(3)],
  "LACP in a 60-byte frame": [...HDR, ...lacpdu()].slice(0, 60),
  "Marker Information": [...HDR, ...markerPdu()],
  "Marker Response": [...HDR, ...markerPdu(2)],
  "Marker with a wrong TLV, pad and Terminator": [...HDR, ...markerPdu(3, 15, 7, 1, 2)],
  "Marker, Terminator of a non-zero length, and more bytes": [...HDR, ...markerPdu(1, 16, 0, 0, 5), 9, 9, 9],
  "OAM Information: local, remote and organization TLVs": [...HDR, ...oam(0, [...LOCAL_INFO, ...REMOTE_INFO, ...ORG_INFO, 0]), ...zeros(20)],
  "OAM Information, all flags, an unknown TLV": [...HDR, ...oam(0, [5, 3, 0xaa, ...LOCAL_INFO, 0], 0x017f)],
  "OAM Event Notification: every event": [...HDR, ...oam(1, [...u16(77), ...ESPE, ...EFE, ...EFPE, ...EFSSE, 0xfe, 5, 1, 2, 3, 0xfe, 1, 0])],
  "OAM Event Notification, an unknown event": [...HDR, ...oam(1, [...u16(78), 9, 0, ...zeros(20)])],
  "OAM Variable Request": [...HDR, ...oam(2, [3, 0, 1, 4, 0, 2, 6, 0, 26, 7, 0, 1, 5, 0, 9, 7, 1, 0x50, 0, ...zeros(10)])],
  "OAM Variable Response": [...HDR, ...oam(3, [7, 0, 1, 6, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 3, 0, 1, 2, 0xaa, 0xbb, 0x81, 0xc0, 4, 0, 2, 0xe0, 7, 0, 2, 0xa1, 0])],
  "OAM Variable Response, a 128-byte value": [...HDR, ...oam(3, [6, 0, 26, 0, ...zeros(128), 0])],
  "OAM Loopback Control": [...HDR, ...oam(4, [1, ...zeros(20)])],
  "OAM Loopback Control, disable": [...HDR, ...oam(4, [2])],
  "OAM Loopback Control, no command": [...HDR, ...oam(4, [])],
  "OAM, unknown code": [...HDR, ...oam(9, zeros(10))],
  "DPoE Get Request, user port object": [...HDR, ...dpoe(1, [...D(0xd60003), 1, 5, ...D(0xd70002), ...D(0xd70007), ...D(0xd7000d), 0, 0])],
  "DPoE Get Request": [...HDR, ...dpoe(1, [...D(0xd70002), ...D(0xd70007), 0, 0])],
  "DPoE Get Response": [...HDR, ...dpoe(2, [
    ...D(0xd70002), 6, 0x00, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, ...D(0xd70007), 4, 0, 8, 0, 4, ...D(0xd70008), 2, 0, 1,
    ...D(0xd7000d), 2, 10, 20, ...D(0xd70001), 0x86, ...D(0xd70003), 3, 1, 2, 3, 0, 0])],
  "DPoE Set Request: auto-negotiation, user port, report thresholds": [...HDR, ...dpoe(3, [
    ...D(0xd70105), 2, 0x00, 0x5b, ...D(0xd60003), 1, 2, ...D(0xd7000b), 6, 1, 2, 0, 10, 0, 20, 0, 0])],
  "DPoE Set Request: port ingress rules": [...HDR, ...dpoe(3, [
    ...D(0xd70501), 7, 2, 1, 0, 0xff, 0xff, 1, 2, 0xab, 0xcd, ...D(0xd70501), 2, 1, 5, ...D(0xd70501), 5, 3, 3, 2, 1, 4,
    ...D(0xd70501), 3, 3, 4, 9, 8, ...D(0xd70501), 3, 3, 6, 7, 0, ...D(0xd70501), 1, 0, 0, 0])],
  "DPoE Set Request: empty match value, queue configuration": [...HDR, ...dpoe(3, [
    ...D(0xd70501), 8, 2, 1, 0, 0xff, 0xff, 1, 0, 0, ...D(0xd7010d), 7, 1, 2, 5, 6, 1, 1, 9, 0, 0])],
  "DPoE Set Response: IEEE 1904.1 attributes, 128-byte value": [...HDR, ...dpoe(4, [
    ...D(0x07001a), 1, 1, ...D(0x070047), 1, 3, ...D(0x07005a), 1, 2, ...D(0xd70003), 0, ...zeros(128), 0, 0])],
  "DPoE, other opcode": [...HDR, ...dpoe(5, zeros(10))],
  "OAM organization specific, another OUI": [...HDR, ...oam(0xfe, [0x00, 0x11, 0x22, ...zeros(10)])],
  "ESMC": pad([...HDR, ...esmc()]),
  "ESMC, time-critical, QL-DNU": pad([...HDR, ...esmc(0x18, [0, 0, 0], [1, 0, 4, 15])]),
  "ESMC, unknown QL, version 2, reserved bits": pad([...HDR, ...esmc(0x27, [0, 1, 0], [1, 0, 4, 3])]),
  "ESMC, QL TLV of the wrong type, length, unused bits": pad([...HDR, ...esmc(0x10, [0, 0, 0], [2, 0, 5, 0xf4])]),
  "ESMC with an Extended QL TLV": pad([...HDR, ...esmc(0x10, [0, 0, 0], [1, 0, 4, 2, ...EXT_QL(0xff)])]),
  "ESMC, Extended QL: enhanced codes, reserved flags": pad([...HDR, ...esmc(0x10, [0, 0, 0], [1, 0, 4, 11, ...EXT_QL(0x22, 0xfc)])]),
  "ESMC, not an Extended QL TLV": pad([...HDR, ...esmc(0x10, [0, 0, 0], [1, 0, 4, 11, 3, 0, 0x14, ...zeros(17)])]),
  "ESMC without padding": [...HDR, ...esmc()],
  "OSSP of another organization": pad([...HDR, 10, 0x00, 0x00, 0x0c, 0, 1, 0x10]),
  "OSSP, unknown ITU-T subtype": pad([...HDR, 10, 0x00, 0x19, 0xa7, 0, 2, 0x10]),
  "unknown slow protocol subtype": pad([...HDR, 4, 1, 2]),
};

/** The fields of the protocols slow.ts and ossp.ts register (SEP_SPACE bytes aside: see below). */
const PROTOS = new Set([slow.proto, lacp.proto, marker.proto, oampdu.proto, ossp.proto]);
// tshark's -T fields prints the DPoE Match Value (FT_BYTES, SEP_SPACE) space-separated; arpx keeps
// bytes as -T json prints them (colon-separated) and so exports it unseparated.
const FIELDS = allFields().filter((f) => f.proto !== null && PROTOS.has(f.proto) && f.abbrev !== "oampdu.user.port.object.clause.mv").map((f) => f.abbrev);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function mutations(seed: number, n: number): (Uint8Array | readonly [Uint8Array, number])[] {
  const r = rng(seed);
  const base = Object.values(FRAMES);
  const out: (Uint8Array | readonly [Uint8Array, number])[] = [];
  for (let i = 0; i < n; i++) {
    let f = [...base[Math.floor(r() * base.length)]!];
    const k = r();
    if (k < 0.5) for (let j = 0; j < 1 + Math.floor(r() * 4); j++) f[14 + Math.floor(r() * (f.length - 14))] = Math.floor(r() * 256);
    else if (k < 0.7) f = f.slice(0, 15 + Math.floor(r() * (f.length - 15)));
    else f.push(...Array.from({ length: 1 + Math.floor(r() * 20) }, () => Math.floor(r() * 256)));
    out.push(r() < 0.1 ? [Uint8Array.from(f), f.length + 1 + Math.floor(r() * 30)] : Uint8Array.from(f));
  }
  return out;
}

const lines = (s: string) => s.split("\n");

describe("Slow Protocols decoding", () => {
  it("reads a LACPDU and leaves what follows its pad to Ethernet", () => {
    const { p, v, text } = decode(FRAMES["LACP and a trailer"]!);
    expect(p.protocol).toBe("LACP");
    expect(p.info.toString()).toBe("v1 ACTOR 00:aa:bb:cc:dd:ee P: 7 K: 13 **DCSG*A PARTNER 00:11:22:33:44:66 P: 9 K: 14 *****G*A");
    expect(v("lacp.actor.state_str")).toEqual(["**DCSG*A"]);
    expect(v("eth.trailer")).toEqual(["010203"]);
    expect(text).toContain("    Actor State: 0x3d, LACP Activity, Aggregation, Synchronization, Collecting, Distributing\n");
  });

  it("reads ESMC's quality level from the SSM and enhanced SSM codes", () => {
    const { p, v } = decode(FRAMES["ESMC, Extended QL: enhanced codes, reserved flags"]!);
    expect(p.protocol).toBe("ESMC");
    expect(p.info.toString()).toBe("Event:Information, QL-eEEC");
    expect(v("ossp.esmc.ql")).toEqual(["0x220b"]);
    expect(v("ossp.esmc.tlv_ext_ql_clockid")).toEqual(["0x0011223344556677"]);
  });

  it("keeps 64-bit OAM counters exact", () => {
    const { v } = decode(FRAMES["OAM Event Notification: every event"]!);
    expect(v("oampdu.event.espeThreshold")).toEqual(["1152921504606846983"]);
    expect(v("oampdu.event.espeTotalErrors")).toEqual(["18446744073709551615"]);
  });

  it("decodes every prefix of every frame without an exception escaping", () => {
    for (const f of Object.values(FRAMES)) everyPrefixIsSafe(f);
  });
});

const skip = skipReason(HAVE_TSHARK, "tshark is not installed: Slow Protocols not compared with tshark");

describe.skipIf(skip)("Slow Protocols as tshark shows them", () => {
  it("the built frames, frames cut by the snaplen and mutated frames: summaries, fields and -V", () => {
    const cut = Object.values(FRAMES).flatMap((f) => [15, 18, 20, 40, 80].filter((n) => n < f.length).map((n) => [Uint8Array.from(f.slice(0, n)), f.length] as const));
    const frames = [...Object.values(FRAMES).map((f) => Uint8Array.from(f)), ...cut, ...mutations(8809, 150)];
    const file = writePcap("slow.pcap", frames);
    expectSameAsTshark(file, FIELDS, frames.length);
    expect(lines(runArpx(["read", "-n", "-V", "-r", file]).stdout)).toEqual(lines(runTshark(["-n", "-V", "-r", file]).stdout));
  });

  it.skipIf(!HAVE_SHARED)("tcpdump's slow-ossp.pcap: -V, -T json, summaries and fields", () => {
    const file = join(SHARED_CAPTURES, "tcpdump-slow-ossp.pcap");
    expect(lines(runArpx(["read", "-n", "-V", "-r", file]).stdout)).toEqual(lines(runTshark(["-n", "-V", "-r", file]).stdout));
    expect(runArpx(["read", "-n", "-T", "json", "-r", file]).stdout).toBe(runTshark(["-n", "-T", "json", "--no-duplicate-keys", "-r", file]).stdout);
    const s = summaries(file);
    expect(s.ax).toEqual(s.ts);
    const v = fieldLines(file, ["frame.protocols", ...FIELDS]);
    expect(v.ax).toEqual(v.ts);
  });
});
