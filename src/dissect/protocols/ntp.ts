// Network Time Protocol (UDP port 123), as Wireshark 4.0 shows it: the 48-byte NTPv3/v4 header
// (RFC 5905) for modes 0-5, the 12-byte control header for mode 6 (RFC 1305 appendix B) with its
// data as ntp.ctrl.data, and only the flags for mode 7 (private, ntpdc).
//   flags 0 (LI 2 bits | VN 3 | mode 3) | stratum 1 | poll 2 | precision 3 | root delay 4..8 |
//   root dispersion 8..12 | reference ID 12..16 | reference 16..24 | origin 24..32 |
//   receive 32..40 | transmit 40..48
//   mode 6: flags 0 | R/E/M/opcode 1 | sequence 2..4 | status 4..6 | association 6..8 |
//   offset 8..10 | count 10..12 | data 12..
// Extension fields and the MAC after the 48 bytes are not decoded.
import { Base, FT, registerProtocol, vals } from "../fields.js";
import { udpPorts } from "../dispatch.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { putU16, putU32, type Layer } from "../build.js";

const FLAGS = 0, STRATUM = 1, POLL = 2, PRECISION = 3, ROOTDELAY = 4, ROOTDISP = 8, REFID = 12;
const REFTIME = 16, ORG = 24, REC = 32, XMT = 40, HDR_LEN = 48;
const C_FLAGS2 = 1, C_SEQ = 2, C_STATUS = 4, C_ASSOC = 6, C_OFFSET = 8, C_COUNT = 10, C_DATA = 12;
const MODE_CTRL = 6, MODE_PRIV = 7;

const LI_NAMES = vals({
  0: "no warning", 1: "last minute of the day has 61 seconds", 2: "last minute of the day has 59 seconds",
  3: "unknown (clock unsynchronized)",
});
const VN_NAMES = vals({
  0: "reserved", 1: "NTP Version 1", 2: "NTP Version 2", 3: "NTP Version 3", 4: "NTP Version 4",
  5: "reserved", 6: "reserved", 7: "reserved",
});
const MODE_NAMES = vals({
  0: "reserved", 1: "symmetric active", 2: "symmetric passive", 3: "client", 4: "server", 5: "broadcast",
  6: "reserved for NTP control message", 7: "reserved for private use",
});
/** The mode as the Info column and the protocol item name it. */
const MODE_INFO = ["reserved", "symmetric active", "symmetric passive", "client", "server", "broadcast", "control", "private"] as const;
const R_NAMES = vals({ 0: "Request", 1: "Response" });
const OPCODES = vals({
  0: "reserved", 1: "read status", 2: "read variables", 3: "write variables", 4: "read clock variables",
  5: "write clock variables", 6: "set trap address/port", 7: "trap response", 8: "runtime configuration",
  9: "export configuration to file", 10: "retrieve remote address stats", 11: "retrieve ordered list",
  12: "request client-specific nonce", 31: "unset trap address/port",
});

export const hf = registerProtocol("ntp", "Network Time Protocol", {
  flags: { abbrev: "ntp.flags", name: "Flags", type: FT.UINT8, base: Base.HEX, blurb: "Flags (Leap/Version/Mode)" },
  li: { abbrev: "ntp.flags.li", name: "Leap Indicator", type: FT.UINT8, mask: 0xc0, strings: LI_NAMES },
  vn: { abbrev: "ntp.flags.vn", name: "Version number", type: FT.UINT8, mask: 0x38, strings: VN_NAMES },
  mode: { abbrev: "ntp.flags.mode", name: "Mode", type: FT.UINT8, mask: 0x07, strings: MODE_NAMES },
  stratum: { abbrev: "ntp.stratum", name: "Peer Clock Stratum", type: FT.UINT8 },
  ppoll: { abbrev: "ntp.ppoll", name: "Peer Polling Interval", type: FT.UINT8 },
  precision: { abbrev: "ntp.precision", name: "Peer Clock Precision", type: FT.UINT8 },
  rootdelay: { abbrev: "ntp.rootdelay", name: "Root Delay", type: FT.UINT32 },
  rootdispersion: { abbrev: "ntp.rootdispersion", name: "Root Dispersion", type: FT.UINT32 },
  refid: { abbrev: "ntp.refid", name: "Reference ID", type: FT.BYTES },
  reftime: { abbrev: "ntp.reftime", name: "Reference Timestamp", type: FT.ABSOLUTE_TIME },
  org: { abbrev: "ntp.org", name: "Origin Timestamp", type: FT.ABSOLUTE_TIME },
  rec: { abbrev: "ntp.rec", name: "Receive Timestamp", type: FT.ABSOLUTE_TIME },
  xmt: { abbrev: "ntp.xmt", name: "Transmit Timestamp", type: FT.ABSOLUTE_TIME },
  ctrl_flags2: { abbrev: "ntp.ctrl.flags2", name: "Flags 2", type: FT.UINT8, base: Base.HEX, blurb: "Flags (Response/Error/More/Opcode)" },
  ctrl_r: { abbrev: "ntp.ctrl.flags2.r", name: "Response bit", type: FT.UINT8, mask: 0x80, strings: R_NAMES },
  ctrl_error: { abbrev: "ntp.ctrl.flags2.error", name: "Error bit", type: FT.UINT8, mask: 0x40 },
  ctrl_more: { abbrev: "ntp.ctrl.flags2.more", name: "More bit", type: FT.UINT8, mask: 0x20 },
  ctrl_opcode: { abbrev: "ntp.ctrl.flags2.opcode", name: "Opcode", type: FT.UINT8, mask: 0x1f, strings: OPCODES },
  ctrl_sequence: { abbrev: "ntp.ctrl.sequence", name: "Sequence", type: FT.UINT16 },
  ctrl_status: { abbrev: "ntp.ctrl.status", name: "Status", type: FT.UINT16, base: Base.HEX },
  ctrl_associd: { abbrev: "ntp.ctrl.associd", name: "AssociationID", type: FT.UINT16 },
  ctrl_offset: { abbrev: "ntp.ctrl.offset", name: "Offset", type: FT.UINT16 },
  ctrl_count: { abbrev: "ntp.ctrl.count", name: "Count", type: FT.UINT16 },
  ctrl_data: { abbrev: "ntp.ctrl.data", name: "Data", type: FT.NONE },
});

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
/** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
const NTP_UNIX_OFFSET = 2208988800;

/**
 * An NTP timestamp as Wireshark prints it: UTC, nanoseconds truncated, "NULL" when the seconds
 * are 0 (whatever the fraction).
 * Seconds with the top bit clear are taken to be in era 1 (from 2036), as RFC 4330 3 suggests.
 */
export function ntpTimeText(sec: number, frac: number): string {
  if (sec === 0) return "NULL";
  const unix = (sec & 0x80000000 ? sec : sec + 0x100000000) - NTP_UNIX_OFFSET;
  // frac * 1e9 / 2^32 == frac * 1953125 / 2^23, exact in a double (below 2^53).
  const nsec = Math.floor((frac * 1953125) / 8388608);
  const d = new Date(unix * 1000);
  const p2 = (n: number) => String(n).padStart(2, "0");
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")}, ${d.getUTCFullYear()} ` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(nsec).padStart(9, "0")} UTC`;
}

function u32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;
}

function timestamp(t: Tree, f: typeof hf.reftime, o: number, name: string): void {
  t.check(o, 8);
  if (!t.full && !t.wants(f)) return;
  const s = ntpTimeText(u32(t.d, o), u32(t.d, o + 4));
  t.str(f, o, 8, s);
  if (t.full) t.label(`${name}: ${s}`);
}

function stratumName(s: number): string {
  if (s === 0) return "unspecified or invalid";
  if (s === 1) return "primary reference";
  if (s <= 15) return "secondary reference";
  if (s === 16) return "unsynchronized";
  return "reserved";
}

/** Wireshark 4.0's names for the reference IDs of primary servers (stratum 0 and 1), by their 4 bytes. */
const PRIMARY_SOURCES = new Map<string, string>([
  ["GOES", "Geostationary Orbit Environment Satellite"], ["GPS\0", "Global Position System"],
  ["GAL\0", "Galileo Positioning System"], ["PPS\0", "Generic pulse-per-second"],
  ["IRIG", "Inter-Range Instrumentation Group"], ["WWVB", "LF Radio WWVB Ft. Collins, CO 60 kHz"],
  ["DCF\0", "LF Radio DCF77 Mainflingen, DE 77.5 kHz"], ["HBG\0", "LF Radio HBG Prangins, HB 75 kHz"],
  ["MSF\0", "LF Radio MSF Anthorn, UK 60 kHz"], ["JJY\0", "LF Radio JJY Fukushima, JP 40 kHz, Saga, JP 60 kHz"],
  ["LORC", "MF Radio LORAN C station, 100 kHz"], ["TDF\0", "MF Radio Allouis, FR 162 kHz"],
  ["CHU\0", "HF Radio CHU Ottawa, Ontario"], ["WWV\0", "HF Radio WWV Ft. Collins, CO"],
  ["WWVH", "HF Radio WWVH Kauai, HI"], ["NIST", "NIST telephone modem"], ["ACTS", "NIST telephone modem"],
  ["USNO", "USNO telephone modem"], ["PTB\0", "European telephone modem"],
  ["LOCL", "uncalibrated local clock"], ["CESM", "calibrated Cesium clock"], ["RBDM", "calibrated Rubidium clock"],
  ["OMEG", "OMEGA radionavigation system"], ["DCN\0", "DCN routing protocol"], ["TSP\0", "TSP time protocol"],
  ["DTS\0", "Digital Time Service"], ["ATOM", "Atomic clock (calibrated)"], ["VLF\0", "VLF radio (OMEGA,, etc.)"],
  ["1PPS", "External 1 PPS input"], ["FREE", "(Internal clock)"], ["INIT", "(Initialization)"],
  ["\0\0\0\0", "NULL"],
]);

/**
 * The reference ID as Wireshark 4.0 labels it: a primary server's (stratum 0 or 1) source by its
 * name, else quoted as ASCII up to a NUL; any other server's as the IPv4 address it is.
 */
function refidText(d: Uint8Array, o: number, stratum: number): string {
  if (stratum > 1) return `${d[o]}.${d[o + 1]}.${d[o + 2]}.${d[o + 3]}`;
  const key = String.fromCharCode(d[o]!, d[o + 1]!, d[o + 2]!, d[o + 3]!);
  const name = PRIMARY_SOURCES.get(key);
  if (name !== undefined) return name;
  let s = "";
  for (let i = o; i < o + 4 && d[i] !== 0; i++) s += d[i]! < 0x80 ? String.fromCharCode(d[i]!) : "\ufffd";
  return `Unidentified reference source '${s}'`;
}

function flags(t: Tree, off: number, b: number, mode: number): void {
  t.uint(hf.flags, off + FLAGS, 1, b);
  const vn = (b >> 3) & 7;
  if (t.full) {
    if (mode === MODE_PRIV) {
      t.label(`Flags: 0x${b.toString(16).padStart(2, "0")}, Response bit: ${b & 0x80 ? "Response" : "Request"}, ` +
        `Version number: ${VN_NAMES.get(vn)}, Mode: ${MODE_NAMES.get(mode)}`);
    } else {
      t.label(`Flags: 0x${b.toString(16).padStart(2, "0")}, Leap Indicator: ${LI_NAMES.get(b >> 6)}, ` +
        `Version number: ${VN_NAMES.get(vn)}, Mode: ${MODE_NAMES.get(mode)}`);
    }
  }
  t.down();
  // Mode 7 uses the top bits as response/more bits, not as a leap indicator.
  if (mode !== MODE_PRIV) t.uint(hf.li, off + FLAGS, 1, b);
  t.uint(hf.vn, off + FLAGS, 1, b);
  t.uint(hf.mode, off + FLAGS, 1, b);
  t.up();
}

function dissectCtrl(t: Tree, off: number): void {
  const d = t.d;
  t.check(off + C_FLAGS2, 1);
  const f2 = d[off + C_FLAGS2]!;
  t.uint(hf.ctrl_flags2, off + C_FLAGS2, 1, f2);
  if (t.full) {
    t.label(`Flags 2: 0x${f2.toString(16).padStart(2, "0")}, Response bit: ${R_NAMES.get(f2 >> 7)}, ` +
      `Opcode: ${OPCODES.get(f2 & 0x1f) ?? "Unknown"}`);
  }
  t.down();
  t.uint(hf.ctrl_r, off + C_FLAGS2, 1, f2);
  t.uint(hf.ctrl_error, off + C_FLAGS2, 1, f2);
  t.uint(hf.ctrl_more, off + C_FLAGS2, 1, f2);
  t.uint(hf.ctrl_opcode, off + C_FLAGS2, 1, f2);
  t.up();
  t.check(off + C_SEQ, 2);
  t.uint(hf.ctrl_sequence, off + C_SEQ, 2, (d[off + C_SEQ]! << 8) | d[off + C_SEQ + 1]!);
  t.check(off + C_STATUS, 2);
  t.uint(hf.ctrl_status, off + C_STATUS, 2, (d[off + C_STATUS]! << 8) | d[off + C_STATUS + 1]!);
  t.check(off + C_ASSOC, 2);
  t.uint(hf.ctrl_associd, off + C_ASSOC, 2, (d[off + C_ASSOC]! << 8) | d[off + C_ASSOC + 1]!);
  t.check(off + C_OFFSET, 2);
  t.uint(hf.ctrl_offset, off + C_OFFSET, 2, (d[off + C_OFFSET]! << 8) | d[off + C_OFFSET + 1]!);
  t.check(off + C_COUNT, 2);
  const count = (d[off + C_COUNT]! << 8) | d[off + C_COUNT + 1]!;
  t.uint(hf.ctrl_count, off + C_COUNT, 2, count);
  if (count > 0) {
    t.check(off + C_DATA, count);
    t.none(hf.ctrl_data, off + C_DATA, count, "Data");
  }
}

function dissectHeader(t: Tree, off: number): void {
  const d = t.d;
  t.check(off + STRATUM, 1);
  const stratum = d[off + STRATUM]!;
  t.uint(hf.stratum, off + STRATUM, 1, stratum);
  if (t.full) t.label(`Peer Clock Stratum: ${stratumName(stratum)} (${stratum})`);
  t.check(off + POLL, 1);
  const poll = d[off + POLL]!;
  t.uint(hf.ppoll, off + POLL, 1, poll);
  if (t.full) t.label(`Peer Polling Interval: ${poll} (${2 ** poll} seconds)`);
  t.check(off + PRECISION, 1);
  const prec = d[off + PRECISION]!;
  t.uint(hf.precision, off + PRECISION, 1, prec);
  if (t.full) t.label(`Peer Clock Precision: ${(2 ** ((prec << 24) >> 24)).toFixed(6)} seconds`);
  t.check(off + ROOTDELAY, 4);
  const delay = u32(d, off + ROOTDELAY);
  t.uint(hf.rootdelay, off + ROOTDELAY, 4, delay);
  if (t.full) t.label(`Root Delay: ${(delay / 65536).toFixed(6)} seconds`);
  t.check(off + ROOTDISP, 4);
  const disp = u32(d, off + ROOTDISP);
  t.uint(hf.rootdispersion, off + ROOTDISP, 4, disp);
  if (t.full) t.label(`Root Dispersion: ${(disp / 65536).toFixed(6)} seconds`);
  t.bytes(hf.refid, off + REFID, 4);
  if (t.full) t.label(`Reference ID: ${refidText(d, off + REFID, stratum)}`);
  timestamp(t, hf.reftime, off + REFTIME, "Reference Timestamp");
  timestamp(t, hf.org, off + ORG, "Origin Timestamp");
  timestamp(t, hf.rec, off + REC, "Receive Timestamp");
  timestamp(t, hf.xmt, off + XMT, "Transmit Timestamp");
}

export function dissectNtp(p: Packet, t: Tree, off: number): void {
  t.check(off, 1);
  const b = t.d[off + FLAGS]!;
  const mode = b & 7;
  // Columns and the protocol item before any further read, so a short message still shows what it is.
  p.protocol = "NTP";
  // Versions 0 and 5 to 7 are named "reserved".
  const head = `${VN_NAMES.get((b >> 3) & 7)}, ${MODE_INFO[mode]}`;
  if (p.wantCols) p.info.set(head);
  t.proto(p, hf.proto, off, Math.max(0, t.cap - off));
  t.curProto = "NTP";
  if (t.full) t.label(`Network Time Protocol (${head})`);
  flags(t, off, b, mode);
  if (mode === MODE_CTRL) dissectCtrl(t, off);
  else if (mode !== MODE_PRIV) dissectHeader(t, off);
  t.up();
}

udpPorts.add(123, dissectNtp);

// ---- building ----

/** An NTP timestamp: seconds since 1900 (mod 2^32) and a 32-bit binary fraction. */
export type NtpTime = readonly [sec: number, frac: number];

export interface NtpRepr {
  li?: number;
  vn?: number;
  mode: number;
  stratum?: number;
  poll?: number;
  /** Signed log2 seconds (e.g. -23). */
  precision?: number;
  /** 16.16 fixed-point seconds, as on the wire. */
  rootDelay?: number;
  rootDispersion?: number;
  refId?: Uint8Array;
  reftime?: NtpTime;
  org?: NtpTime;
  rec?: NtpTime;
  xmt?: NtpTime;
  /** Mode 6 only: the control header and data (the 48-byte fields above are then ignored). */
  ctrl?: { response?: boolean; error?: boolean; more?: boolean; opcode: number; sequence?: number; status?: number; associd?: number; offset?: number; data?: Uint8Array };
}

/**
 * An NTP message as a build layer, the mirror of dissectNtp: the 48-byte header, or for mode 6 the
 * 12-byte control header followed by its data (padded to 4 bytes as RFC 1305 asks).
 */
export function ntpLayer(r: NtpRepr): Layer {
  const c = r.mode === MODE_CTRL ? (r.ctrl ?? { opcode: 0 }) : undefined;
  const dataLen = c?.data?.length ?? 0;
  const len = c ? C_DATA + ((dataLen + 3) & ~3) : HDR_LEN;
  return {
    headerLen: len,
    emit(b, off) {
      b.fill(0, off, off + len);
      b[off + FLAGS] = ((r.li ?? 0) << 6) | ((r.vn ?? 4) << 3) | (r.mode & 7);
      if (c) {
        b[off + C_FLAGS2] = (c.response ? 0x80 : 0) | (c.error ? 0x40 : 0) | (c.more ? 0x20 : 0) | (c.opcode & 0x1f);
        putU16(b, off + C_SEQ, c.sequence ?? 0);
        putU16(b, off + C_STATUS, c.status ?? 0);
        putU16(b, off + C_ASSOC, c.associd ?? 0);
        putU16(b, off + C_OFFSET, c.offset ?? 0);
        putU16(b, off + C_COUNT, dataLen);
        if (c.data) b.set(c.data, off + C_DATA);
        return;
      }
      b[off + STRATUM] = r.stratum ?? 0;
      b[off + POLL] = r.poll ?? 0;
      b[off + PRECISION] = (r.precision ?? 0) & 0xff;
      putU32(b, off + ROOTDELAY, r.rootDelay ?? 0);
      putU32(b, off + ROOTDISP, r.rootDispersion ?? 0);
      if (r.refId) b.set(r.refId.subarray(0, 4), off + REFID);
      const ts: [NtpTime | undefined, number][] = [[r.reftime, REFTIME], [r.org, ORG], [r.rec, REC], [r.xmt, XMT]];
      for (const [v, o] of ts) {
        if (!v) continue;
        putU32(b, off + o, v[0]);
        putU32(b, off + o + 4, v[1]);
      }
    },
  };
}
