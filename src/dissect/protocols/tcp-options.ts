// TCP options (RFC 9293 3.1 and the option registry): kind 0/1 are single bytes, every other
// kind is kind | length | data, the length covering kind and length. Each option is decoded
// into Wireshark's tcp.options.* fields; a bad length stops the walk with an expert item (as
// Wireshark's tcp_dissect_options does), so no input can loop.
import { Base, FT, registerFields, registerProtocol, vals, type Expert, type Field } from "../fields.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { putU16, putU32 } from "../build.js";

export const KIND_NAMES = vals({
  0: "End of Option List", 1: "No-Operation", 2: "Maximum Segment Size", 3: "Window Scale",
  4: "SACK Permitted", 5: "SACK", 6: "Echo", 7: "Echo Reply", 8: "Time Stamp Option",
  9: "Partial Order Connection Permitted", 10: "Partial Order Service Profile", 11: "CC", 12: "CC.NEW",
  13: "CC.ECHO", 14: "TCP Alternate Checksum Request", 15: "TCP Alternate Checksum Data", 16: "Skeeter",
  17: "Bubba", 18: "Trailer Checksum Option", 19: "MD5 Signature Option", 20: "SCPS Capabilities",
  21: "Selective Negative Acknowledgements", 22: "Record Boundaries", 23: "Corruption experienced",
  24: "SNAP", 25: "Unassigned", 26: "TCP Compression Filter", 27: "Quick-Start Response",
  28: "User Timeout Option", 29: "The TCP Authentication Option", 30: "Multipath TCP",
  34: "TCP Fast Open Cookie", 69: "Encryption Negotiation", 172: "Accurate ECN Order 0",
  174: "Accurate ECN Order 1", 253: "RFC3692-style Experiment 1", 254: "RFC3692-style Experiment 2",
});

const MPTCP_SUBTYPES = vals({
  0: "Multipath Capable", 1: "Join Connection", 2: "Data Sequence Signal", 3: "Add Address",
  4: "Remove Address", 5: "Change Subflow Priority", 6: "TCP Fallback", 7: "Fast Close", 8: "TCP Reset",
});

/** The option fields, registered under the tcp protocol by tcp.ts (which owns the protocol). */
export function registerOptionFields(tcp: Field) {
  return registerFields(tcp, {
    options: { abbrev: "tcp.options", name: "TCP Options", type: FT.BYTES },
    option_kind: { abbrev: "tcp.option_kind", name: "Kind", type: FT.UINT8, strings: KIND_NAMES },
    option_len: { abbrev: "tcp.option_len", name: "Length", type: FT.UINT8 },
    // Wireshark registers each option as a (name-only) protocol; -T fields prints its bytes.
    opt_nop: { abbrev: "tcp.options.nop", name: "TCP Option - No-Operation (NOP)", type: FT.BYTES },
    opt_eol: { abbrev: "tcp.options.eol", name: "TCP Option - End of Option List (EOL)", type: FT.BYTES },
    opt_mss: { abbrev: "tcp.options.mss", name: "TCP Option - Maximum segment size", type: FT.BYTES },
    opt_wscale: { abbrev: "tcp.options.wscale", name: "TCP Option - Window scale", type: FT.BYTES },
    opt_sack_perm: { abbrev: "tcp.options.sack_perm", name: "TCP Option - SACK permitted", type: FT.BYTES },
    opt_sack: { abbrev: "tcp.options.sack", name: "TCP Option - SACK", type: FT.BYTES },
    opt_timestamp: { abbrev: "tcp.options.timestamp", name: "TCP Option - Timestamps", type: FT.BYTES },
    opt_echo: { abbrev: "tcp.options.echo", name: "TCP Option - Echo", type: FT.BYTES },
    opt_echoreply: { abbrev: "tcp.options.echoreply", name: "TCP Option - Echo reply", type: FT.BYTES },
    opt_md5: { abbrev: "tcp.options.md5", name: "TCP Option - TCP MD5 signature", type: FT.BYTES },
    opt_ao: { abbrev: "tcp.options.ao", name: "TCP Option - TCP AO", type: FT.BYTES },
    opt_user_to: { abbrev: "tcp.options.user_to", name: "TCP Option - User Timeout", type: FT.BYTES },
    opt_tfo: { abbrev: "tcp.options.tfo", name: "TCP Option - TCP Fast Open", type: FT.BYTES },
    opt_experimental: { abbrev: "tcp.options.experimental", name: "TCP Option - Experimental", type: FT.BYTES },
    opt_unknown: { abbrev: "tcp.options.unknown", name: "TCP Option - Unknown", type: FT.BYTES },
    mss_val: { abbrev: "tcp.options.mss_val", name: "MSS Value", type: FT.UINT16 },
    wscale_shift: { abbrev: "tcp.options.wscale.shift", name: "Shift count", type: FT.UINT8 },
    wscale_multiplier: { abbrev: "tcp.options.wscale.multiplier", name: "Multiplier", type: FT.UINT16, generated: true },
    sack_le: { abbrev: "tcp.options.sack_le", name: "TCP SACK Left Edge", type: FT.UINT32 },
    sack_re: { abbrev: "tcp.options.sack_re", name: "TCP SACK Right Edge", type: FT.UINT32 },
    sack_count: { abbrev: "tcp.options.sack.count", name: "TCP SACK Count", type: FT.UINT8, generated: true },
    dsack_le: { abbrev: "tcp.options.sack.dsack_le", name: "TCP D-SACK Left Edge", type: FT.UINT32, generated: true },
    dsack_re: { abbrev: "tcp.options.sack.dsack_re", name: "TCP D-SACK Right Edge", type: FT.UINT32, generated: true },
    echo_value: { abbrev: "tcp.options.echo_value", name: "TCP Echo Option", type: FT.UINT32 },
    tsval: { abbrev: "tcp.options.timestamp.tsval", name: "Timestamp value", type: FT.UINT32 },
    tsecr: { abbrev: "tcp.options.timestamp.tsecr", name: "Timestamp echo reply", type: FT.UINT32 },
    md5_digest: { abbrev: "tcp.options.md5.digest", name: "MD5 digest", type: FT.BYTES },
    ao_keyid: { abbrev: "tcp.options.ao.keyid", name: "AO KeyID", type: FT.UINT8 },
    ao_rnextkeyid: { abbrev: "tcp.options.ao.rnextkeyid", name: "AO RNextKeyID", type: FT.UINT8 },
    ao_mac: { abbrev: "tcp.options.ao.mac", name: "AO MAC", type: FT.BYTES },
    user_to_granularity: { abbrev: "tcp.options.user_to_granularity", name: "Granularity", type: FT.BOOLEAN, mask: 0x8000, bitWidth: 16, tfs: ["Minutes", "Seconds"] },
    user_to_val: { abbrev: "tcp.options.user_to_val", name: "User Timeout", type: FT.UINT16, mask: 0x7fff },
    tfo_request: { abbrev: "tcp.options.tfo.request", name: "Fast Open Cookie Request", type: FT.NONE },
    tfo_cookie: { abbrev: "tcp.options.tfo.cookie", name: "Fast Open Cookie", type: FT.BYTES },
    exp_exid: { abbrev: "tcp.options.experimental.exid", name: "Experiment Identifier", type: FT.UINT16, base: Base.HEX },
    exp_data: { abbrev: "tcp.options.experimental.data", name: "Data", type: FT.BYTES },
    unknown_payload: { abbrev: "tcp.options.unknown.payload", name: "Payload", type: FT.BYTES },
    mptcp_subtype: { abbrev: "tcp.options.mptcp.subtype", name: "Multipath TCP subtype", type: FT.UINT8, mask: 0xf0, strings: MPTCP_SUBTYPES },
    mptcp_version: { abbrev: "tcp.options.mptcp.version", name: "Multipath TCP version", type: FT.UINT8, mask: 0x0f },
  });
}

export const mptcp = registerProtocol("mptcp", "Multipath Transmission Control Protocol", {});

export type OptionFields = ReturnType<typeof registerOptionFields>;

export interface OptionExperts {
  opt_len_invalid: Expert;
  suboption_malformed: Expert;
  wscale_shift_invalid: Expert;
  mss_absent: Expert;
  mss_present: Expert;
  nop: Expert;
  dsack: Expert;
  non_zero_after_eol: Expert;
  tfo_syn: Expert;
}

/** What the option walk needs from the segment and gives back (one object, reused). */
export interface OptionContext {
  flags: number;
  /** Relative (or raw) acknowledgment number, for D-SACK detection. */
  ack: number;
  /** Base sequence of the reverse flow: SACK edges are shown relative to it. */
  sackBase: number;
  /** Set by a window scale option: the shift (capped at 14), or -1 when absent. */
  wscale: number;
  /** Set when an MPTCP option is present. */
  mptcp: boolean;
}

const TH_SYN = 0x002;
const TH_ACK = 0x010;

const NAME: Record<number, string> = {
  0: "End of Option List (EOL)", 1: "No-Operation (NOP)", 2: "Maximum segment size", 3: "Window scale",
  4: "SACK permitted", 5: "SACK", 6: "Echo", 7: "Echo reply", 8: "Timestamps", 19: "TCP MD5 signature",
  28: "User Timeout", 29: "TCP AO", 30: "Multipath TCP", 34: "TCP Fast Open", 253: "Experimental", 254: "Experimental",
};

function optName(kind: number): string {
  return NAME[kind] ?? `Unknown (0x${kind.toString(16).padStart(2, "0")})`;
}

function u16(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}

function u32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;
}

/** True when the option's declared length is the fixed one; else adds Wireshark's expert. */
function lenCheck(p: Packet, t: Tree, ei: OptionExperts, o: number, len: number, want: number): boolean {
  if (len === want) return true;
  t.expert(p, ei.opt_len_invalid, o + 1, 1, `option length should be ${want}`);
  return false;
}

/**
 * Walks `optlen` bytes of options at `start` (the TCP header is at `hdr`). Adds to `p.info` what
 * Wireshark appends to the Info column. Names of decoded options are collected for the tree label.
 */
export function dissectOptions(
  p: Packet, t: Tree, hdr: number, start: number, optlen: number,
  f: OptionFields, ei: OptionExperts, ctx: OptionContext, names: string[] | null,
): void {
  const d = t.d;
  let o = start;
  let left = optlen;
  let nops = 0;
  let sawMss = false;
  while (left > 0) {
    t.check(o, 1);
    const kind = d[o]!;
    left--;
    if (kind === 0 || kind === 1) {
      if (kind === 1) {
        // Four NOPs inside one 32-bit word hint at a middlebox that blanked options.
        if (nops === 0 || (o - hdr) % 4 !== 0) {
          if (++nops === 4) t.expert(p, ei.nop, start, optlen);
        } else nops = 0;
      }
      t.bytes(kind === 0 ? f.opt_eol : f.opt_nop, o, 1);
      if (t.full) t.label(`TCP Option - ${optName(kind)}`);
      t.down();
      t.uint(f.option_kind, o, 1, kind);
      t.up();
      names?.push(optName(kind));
      o += 1;
      if (kind === 0 && left > 0 && t.avail(o, left)) {
        // After EOL only zero padding may follow; anything else ends the walk with an expert.
        let nonZero = false;
        for (let i = 0; i < left; i++) if (d[o + i] !== 0) nonZero = true;
        if (nonZero) {
          t.text("Non-zero header padding", o, left);
          t.down();
          t.expert(p, ei.non_zero_after_eol, o, left);
          t.up();
          return;
        }
      }
      continue;
    }
    if (left === 0) {
      t.expert(p, ei.opt_len_invalid, o, 1, `${optName(kind)} (length byte past end of options)`);
      return;
    }
    t.check(o + 1, 1);
    const len = d[o + 1]!;
    left--;
    if (len < 2) {
      t.expert(p, ei.opt_len_invalid, o, 2, `${optName(kind)} (with too-short option length = ${len} byte${len === 1 ? "" : "s"})`);
      return;
    }
    if (len - 2 > left) {
      t.expert(p, ei.opt_len_invalid, o, left, `${optName(kind)} (option length = ${len} byte${len === 1 ? "" : "s"} says option goes past end of options)`);
      return;
    }
    if (kind === 2) sawMss = true;
    t.enter(o + len);
    dissectOne(p, t, f, ei, ctx, kind, o, len);
    t.leave();
    names?.push(optName(kind));
    o += len;
    left -= len - 2;
  }
  if ((ctx.flags & TH_SYN) !== 0 && !sawMss) t.expert(p, ei.mss_absent, start, optlen);
}

function optionItem(t: Tree, f: Field, o: number, len: number, label: string | null): void {
  t.bytes(f, o, Math.min(len, Math.max(0, t.cap - o)));
  if (t.full && label !== null) t.label(label);
  t.down();
}

function kindLen(t: Tree, f: OptionFields, o: number, kind: number, len: number): void {
  t.uint(f.option_kind, o, 1, kind);
  t.uint(f.option_len, o + 1, 1, len);
}

function dissectOne(p: Packet, t: Tree, f: OptionFields, ei: OptionExperts, ctx: OptionContext, kind: number, o: number, len: number): void {
  const d = t.d;
  // Labels that carry a value are built before the item is added (the tree labels the last item).
  const has = (n: number) => t.avail(o + 2, n);
  switch (kind) {
    case 2: { // MSS
      optionItem(t, f.opt_mss, o, len, t.full && len === 4 && has(2) ? `TCP Option - Maximum segment size: ${u16(d, o + 2)} bytes` : "TCP Option - Maximum segment size");
      if ((ctx.flags & TH_SYN) === 0) t.expert(p, ei.mss_present, o, len);
      kindLen(t, f, o, kind, len);
      if (lenCheck(p, t, ei, o, len, 4)) {
        t.check(o + 2, 2);
        const mss = u16(d, o + 2);
        t.uint(f.mss_val, o + 2, 2, mss);
        if (p.wantCols) p.info.add(" MSS=").dec(mss);
      }
      break;
    }
    case 3: { // window scale
      let label = "TCP Option - Window scale";
      if (t.full && len === 3 && has(1)) label += `: ${d[o + 2]} (multiply by ${1 << Math.min(14, d[o + 2]!)})`;
      optionItem(t, f.opt_wscale, o, len, label);
      kindLen(t, f, o, kind, len);
      if (lenCheck(p, t, ei, o, len, 3)) {
        t.check(o + 2, 1);
        const raw = d[o + 2]!;
        t.uint(f.wscale_shift, o + 2, 1, raw);
        let shift = raw;
        if (shift > 14) {
          shift = 14;
          t.expert(p, ei.wscale_shift_invalid, o + 2, 1);
        }
        t.num(f.wscale_multiplier, 1 << shift);
        if (t.full) t.label(`[Multiplier: ${1 << shift}]`);
        if (p.wantCols) p.info.add(" WS=").dec(1 << shift);
        ctx.wscale = shift;
      }
      break;
    }
    case 4: // SACK permitted
      optionItem(t, f.opt_sack_perm, o, len, "TCP Option - SACK permitted");
      kindLen(t, f, o, kind, len);
      if (p.wantCols) p.info.add(" SACK_PERM");
      lenCheck(p, t, ei, o, len, 2);
      break;
    case 5: { // SACK
      const base = ctx.sackBase;
      let label = "TCP Option - SACK";
      if (t.full) for (let q = o + 2; q + 8 <= o + len && t.avail(q, 8); q += 8) label += ` ${(u32(d, q) - base) >>> 0}-${(u32(d, q + 4) - base) >>> 0}`;
      optionItem(t, f.opt_sack, o, len, label);
      kindLen(t, f, o, kind, len);
      let q = o + 2;
      let rem = len - 2;
      let count = 0;
      let re0 = 0, le1 = 0, re1 = 0;
      while (rem > 0) {
        if (rem < 4) {
          t.expert(p, ei.suboption_malformed, q, rem);
          break;
        }
        t.check(q, 4);
        const le = (u32(d, q) - base) >>> 0;
        t.uint(f.sack_le, q, 4, le);
        if (t.full) t.label(`left edge = ${le} (relative)`);
        rem -= 4;
        if (rem < 4) {
          t.expert(p, ei.suboption_malformed, q, rem);
          break;
        }
        t.check(q + 4, 4);
        const re = (u32(d, q + 4) - base) >>> 0;
        t.uint(f.sack_re, q + 4, 4, re);
        if (t.full) t.label(`right edge = ${re} (relative)`);
        rem -= 4;
        if (p.wantCols) p.info.add(" SLE=").dec(le).add(" SRE=").dec(re);
        if (count === 0) re0 = re;
        else if (count === 1) { le1 = le; re1 = re; }
        count++;
        q += 8;
      }
      t.num(f.sack_count, count);
      if (t.full) t.label(`[TCP SACK Count: ${count}]`);
      // RFC 2883 D-SACK: the first block lies below the ACK, or inside the second block.
      const dsack = ((re0 - ctx.ack) | 0) <= 0 || (count > 1 && ((le1 - re0) | 0) < 0 && ((re1 - re0) | 0) >= 0);
      if (dsack) {
        t.check(o + 2, 8);
        const dle = (u32(d, o + 2) - base) >>> 0;
        const dre = (u32(d, o + 6) - base) >>> 0;
        t.num(f.dsack_le, dle);
        if (t.full) t.label(`[D-SACK Left Edge = ${dle} (relative)]`);
        t.num(f.dsack_re, dre);
        if (t.full) t.label(`[D-SACK Right Edge = ${dre} (relative)]`);
        t.expertItem(p, ei.dsack, o + 2, 8);
      }
      break;
    }
    case 6: case 7: { // echo, echo reply (RFC 1072)
      optionItem(t, kind === 6 ? f.opt_echo : f.opt_echoreply, o, len, kind === 6 ? "TCP Option - Echo" : "TCP Option - Echo reply");
      kindLen(t, f, o, kind, len);
      if (lenCheck(p, t, ei, o, len, 6)) {
        t.check(o + 2, 4);
        const v = u32(d, o + 2);
        t.uint(f.echo_value, o + 2, 4, v);
        if (p.wantCols) p.info.add(" ECHO=").dec(v);
      }
      break;
    }
    case 8: { // timestamps
      optionItem(t, f.opt_timestamp, o, len, t.full && len === 10 && has(8) ? `TCP Option - Timestamps: TSval ${u32(d, o + 2)}, TSecr ${u32(d, o + 6)}` : "TCP Option - Timestamps");
      kindLen(t, f, o, kind, len);
      if (lenCheck(p, t, ei, o, len, 10)) {
        t.check(o + 2, 8);
        const tsval = u32(d, o + 2);
        const tsecr = u32(d, o + 6);
        t.uint(f.tsval, o + 2, 4, tsval);
        t.uint(f.tsecr, o + 6, 4, tsecr);
        if (p.wantCols) p.info.add(" TSval=").dec(tsval).add(" TSecr=").dec(tsecr);
      }
      break;
    }
    case 19: // MD5 signature (RFC 2385)
      optionItem(t, f.opt_md5, o, len, "TCP Option - TCP MD5 signature");
      kindLen(t, f, o, kind, len);
      if (lenCheck(p, t, ei, o, len, 18)) t.bytes(f.md5_digest, o + 2, 16);
      break;
    case 28: { // user timeout (RFC 5482)
      optionItem(t, f.opt_user_to, o, len, "TCP Option - User Timeout");
      kindLen(t, f, o, kind, len);
      if (lenCheck(p, t, ei, o, len, 4)) {
        t.check(o + 2, 2);
        const v = u16(d, o + 2);
        t.bool(f.user_to_granularity, o + 2, 2, v);
        t.uint(f.user_to_val, o + 2, 2, v);
        if (p.wantCols) p.info.add(` USER_TO=${v & 0x7fff}${v & 0x8000 ? "m" : "s"}`);
      }
      break;
    }
    case 29: // TCP-AO (RFC 5925)
      optionItem(t, f.opt_ao, o, len, "TCP Option - TCP AO");
      kindLen(t, f, o, kind, len);
      if (len < 4) {
        t.expert(p, ei.opt_len_invalid, o + 1, 1, "option length should be >= 4");
        break;
      }
      t.check(o + 2, 2);
      t.uint(f.ao_keyid, o + 2, 1, d[o + 2]!);
      t.uint(f.ao_rnextkeyid, o + 3, 1, d[o + 3]!);
      // Wireshark 4.0 appends this without a separator.
      if (p.wantCols) p.info.add("TCP AO");
      if (len > 4) t.bytes(f.ao_mac, o + 4, len - 4);
      break;
    case 30: { // MPTCP: shown as its own protocol with the subtype; the rest is not decoded
      const saved = t.curProto;
      p.protocol = "MPTCP";
      t.proto(p, mptcp.proto, o, len);
      if (t.full) t.label(has(1) ? `Multipath Transmission Control Protocol: ${MPTCP_SUBTYPES.get(d[o + 2]! >> 4) ?? `Unknown (${d[o + 2]! >> 4})`}` : "Multipath Transmission Control Protocol");
      t.curProto = saved;
      kindLen(t, f, o, kind, len);
      ctx.mptcp = true;
      t.check(o + 2, 1);
      const sub = d[o + 2]!;
      t.uint(f.mptcp_subtype, o + 2, 1, sub);
      if ((sub >> 4) === 0) t.uint(f.mptcp_version, o + 2, 1, sub);
      break;
    }
    case 34: // TCP Fast Open (RFC 7413)
      optionItem(t, f.opt_tfo, o, len, "TCP Option - TCP Fast Open");
      kindLen(t, f, o, kind, len);
      tfoPayload(p, t, f, ei, ctx, o, len);
      break;
    case 253: case 254: { // RFC 6994 experimental, with an experiment identifier
      optionItem(t, f.opt_experimental, o, len, t.full && len > 2 && has(2) ? `TCP Option - Experimental: ${u16(d, o + 2) === 0xf989 ? "Fast Open" : "Unknown"}` : "TCP Option - Experimental");
      kindLen(t, f, o, kind, len);
      if (len - 2 > 0) {
        t.check(o + 2, 2);
        const exid = u16(d, o + 2);
        t.uint(f.exp_exid, o + 2, 2, exid);
        if (t.full) t.label(`Experiment Identifier: ${exid === 0xf989 ? "Fast Open" : "Unknown"} (0x${exid.toString(16).padStart(4, "0")})`);
        if (exid === 0xf989) tfoPayload(p, t, f, ei, ctx, o + 2, len - 2);
        else if (len > 4) t.bytes(f.exp_data, o + 4, len - 4);
      }
      break;
    }
    default:
      optionItem(t, f.opt_unknown, o, len, "TCP Option - Unknown");
      kindLen(t, f, o, kind, len);
      if (len > 2) t.bytes(f.unknown_payload, o + 2, len - 2);
      break;
  }
  t.up();
}

function tfoPayload(p: Packet, t: Tree, f: OptionFields, ei: OptionExperts, ctx: OptionContext, o: number, len: number): void {
  if (len === 2) {
    t.none(f.tfo_request, o, 2);
    if (p.wantCols) p.info.add(" TFO=R");
  } else if (len > 2) {
    t.bytes(f.tfo_cookie, o + 2, len - 2);
    if ((ctx.flags & (TH_SYN | TH_ACK)) === TH_SYN) {
      t.down();
      t.expert(p, ei.tfo_syn, o + 2, len - 2);
      t.up();
    }
    if (p.wantCols) p.info.add(" TFO=C");
  }
}


// ---- building ----

/** One option to emit (the mirror of the option walk above, for the kinds generation needs). */
export type TcpOptionRepr =
  | { kind: "mss"; value: number }
  | { kind: "wscale"; shift: number }
  | { kind: "sack_perm" }
  | { kind: "timestamp"; tsval: number; tsecr: number }
  | { kind: "nop" }
  | { kind: "eol" };

const KIND_EOL = 0, KIND_NOP = 1, KIND_MSS = 2, KIND_WSCALE = 3, KIND_SACK_PERM = 4, KIND_TIMESTAMP = 8;
/** The data offset field counts 4-byte words, at most 15: 40 bytes of options. */
export const MAX_OPTIONS_LEN = 40;

function optionLen(o: TcpOptionRepr): number {
  switch (o.kind) {
    case "mss": return 4;
    case "wscale": return 3;
    case "sack_perm": return 2;
    case "timestamp": return 10;
    case "nop": case "eol": return 1;
  }
}

/** Bytes the options take on the wire, padded to a multiple of 4. */
export function tcpOptionsLen(opts: readonly TcpOptionRepr[]): number {
  let n = 0;
  for (const o of opts) n += optionLen(o);
  const padded = (n + 3) & ~3;
  if (padded > MAX_OPTIONS_LEN) throw new RangeError(`TCP options take ${padded} bytes, more than ${MAX_OPTIONS_LEN}`);
  return padded;
}

/**
 * Writes the options at `off` and pads them to a multiple of 4: with NOPs, or with zeros (EOL)
 * once an End of Option List has been written (RFC 9293: only zeros may follow it).
 * Returns the offset after the padding.
 */
export function emitTcpOptions(opts: readonly TcpOptionRepr[], b: Uint8Array, off: number): number {
  let o = off;
  let ended = false;
  for (const opt of opts) {
    switch (opt.kind) {
      case "mss":
        b[o] = KIND_MSS;
        b[o + 1] = 4;
        putU16(b, o + 2, opt.value);
        break;
      case "wscale":
        b[o] = KIND_WSCALE;
        b[o + 1] = 3;
        b[o + 2] = opt.shift;
        break;
      case "sack_perm":
        b[o] = KIND_SACK_PERM;
        b[o + 1] = 2;
        break;
      case "timestamp":
        b[o] = KIND_TIMESTAMP;
        b[o + 1] = 10;
        putU32(b, o + 2, opt.tsval);
        putU32(b, o + 6, opt.tsecr);
        break;
      case "nop":
        b[o] = KIND_NOP;
        break;
      case "eol":
        b[o] = KIND_EOL;
        ended = true;
        break;
    }
    o += optionLen(opt);
  }
  for (; (o - off) % 4 !== 0; o++) b[o] = ended ? KIND_EOL : KIND_NOP;
  return o;
}
