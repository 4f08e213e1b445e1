// IP Encapsulating Security Payload (IP protocol 50, RFC 4303), as Wireshark 4.0 shows it with
// its default preferences and no security associations: the clear header only, then per-SPI
// sequence number analysis (on by default in Wireshark).
//   SPI 0..4 | sequence number 4..8 | (IV,) encrypted payload, padding, pad length, next header,
//   ICV 8..  — all opaque without keys: Wireshark adds no item for them (nor a Data item).
// Sequence analysis, as Wireshark's: the state is keyed by the SPI alone (not the addresses);
// a frame whose sequence number is not the previous one + 1 (mod 2^32) for its SPI gets the
// expected number, the previous frame of that SPI and a warning; the SPI's state then takes this
// frame's number whatever it was.
import { Base, FT, registerExperts, registerProtocol } from "../fields.js";
import { ipProtos } from "../dispatch.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { KeyTable } from "../session.js";

const SPI = 0, SEQ = 4;
const PROTO_ESP = 50;
/** SPIs whose sequence state is kept; the least recently seen one makes room for a new one. */
const MAX_SPIS = 65536;
/** Per-SPI values in the table: previous sequence number, previous frame. */
const V_SEQ = 0, V_FRAME = 1, V_WIDTH = 2;

export const hf = registerProtocol("esp", "Encapsulating Security Payload", {
  spi: { abbrev: "esp.spi", name: "ESP SPI", type: FT.UINT32, base: Base.HEX_DEC, blurb: "IP Encapsulating Security Payload Security Parameters Index" },
  sequence: { abbrev: "esp.sequence", name: "ESP Sequence", type: FT.UINT32, blurb: "IP Encapsulating Security Payload Sequence Number" },
  // Only with a security association (or the ESP-NULL heuristic, off by default): registered so
  // filters naming them are valid; arpx never fills them.
  pad: { abbrev: "esp.pad", name: "Pad", type: FT.BYTES },
  pad_len: { abbrev: "esp.pad_len", name: "ESP Pad Length", type: FT.UINT8, blurb: "IP Encapsulating Security Payload Pad Length" },
  protocol: { abbrev: "esp.protocol", name: "ESP Next Header", type: FT.UINT8, base: Base.HEX, blurb: "IP Encapsulating Security Payload Next Header" },
  iv: { abbrev: "esp.iv", name: "ESP IV", type: FT.BYTES, blurb: "IP Encapsulating Security Payload Initialization Vector" },
  encrypted_data: { abbrev: "esp.encrypted_data", name: "ESP Encrypted Data", type: FT.BYTES, blurb: "IP Encapsulating Security Payload Encrypted Data" },
  decrypted_data: { abbrev: "esp.decrypted_data", name: "ESP Decrypted Data", type: FT.BYTES, blurb: "IP Encapsulating Security Payload Decrypted Data" },
  contained_data: { abbrev: "esp.contained_data", name: "ESP Contained Data", type: FT.BYTES, blurb: "IP Encapsulating Security Payload Contained Data" },
  icv: { abbrev: "esp.icv", name: "ESP ICV", type: FT.BYTES, blurb: "IP Encapsulating Security Payload Integrity Check Value" },
  icv_good: { abbrev: "esp.icv_good", name: "Good", type: FT.BOOLEAN, blurb: "True: ICV matches packet content; False: doesn't match content or not checked" },
  icv_bad: { abbrev: "esp.icv_bad", name: "Bad", type: FT.BOOLEAN, blurb: "True: ICV doesn't match packet content; False: matches content or not checked" },
  expected_sn: { abbrev: "esp.sequence-analysis.expected-sn", name: "Expected SN", type: FT.UINT32, generated: true },
  previous_frame: { abbrev: "esp.sequence-analysis.previous-frame", name: "Previous Frame", type: FT.FRAMENUM, generated: true },
});

export const ei = registerExperts(hf.proto, {
  wrong_sequence_number: { abbrev: "esp.sequence-analysis.wrong-sequence-number", group: "sequence", severity: "warn", summary: "Wrong Sequence Number" },
});

function newSpiTable(): KeyTable {
  return new KeyTable(1, MAX_SPIS, V_WIDTH);
}

function u32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;
}

function hex8(v: number): string {
  return v.toString(16).padStart(8, "0");
}

/**
 * Checks `seq` against the SPI's previous frame, shows the report when it is not the expected
 * number, and records this frame as the SPI's latest.
 */
function sequenceAnalysis(p: Packet, t: Tree, off: number, spi: number, seq: number): void {
  const table = p.session.store("esp.spi", newSpiTable);
  table.key[0] = spi;
  let s = table.find();
  if (s < 0) {
    s = table.insert();
    table.vals[s * V_WIDTH + V_SEQ] = seq;
    table.vals[s * V_WIDTH + V_FRAME] = p.num;
    return;
  }
  table.touch(s);
  const v = table.vals;
  const prevSeq = v[s * V_WIDTH + V_SEQ]!;
  const prevFrame = v[s * V_WIDTH + V_FRAME]!;
  v[s * V_WIDTH + V_SEQ] = seq;
  v[s * V_WIDTH + V_FRAME] = p.num;
  const expected = (prevSeq + 1) >>> 0;
  if (seq === expected) return;

  // Generated items of no length, at the start of the ESP header.
  t.num(hf.expected_sn, expected);
  if (t.full && seq > expected) t.label(`[Expected SN: ${expected} (${seq - expected} SNs missing)]`);
  t.down();
  // (Every expert hit keeps its text, and this one is rare: built whatever the mode.)
  const head = `Wrong Sequence Number for SPI ${hex8(spi)} - `;
  const text = seq === prevSeq ? `${head}${seq} repeated`
    : seq > expected ? `${head}${seq - expected} missing`
    : `${head}${(expected - seq) >>> 0} less than expected`;
  t.expert(p, ei.wrong_sequence_number, off, 0, text);
  t.up();
  t.num(hf.previous_frame, prevFrame);
}

/**
 * ESP from `off` (its own bytes up to t.cap; also called by UDP encapsulation). Leaves the ESP
 * item open: the caller closes it.
 */
export function dissectEsp(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  // Columns first: a header cut short still shows as ESP, with an empty Info (as in Wireshark,
  // whose Info is written only once both numbers were read).
  p.protocol = "ESP";
  if (p.wantCols) p.info.clear();
  t.proto(p, hf.proto, off, Math.max(0, t.cap - off));
  t.curProto = "ESP";
  t.check(off + SPI, 4);
  const spi = u32(d, off + SPI);
  t.uint(hf.spi, off + SPI, 4, spi);
  t.check(off + SEQ, 4);
  const seq = u32(d, off + SEQ);
  t.uint(hf.sequence, off + SEQ, 4, seq);
  if (p.wantCols) p.info.set(`ESP (SPI=0x${hex8(spi)})`);
  sequenceAnalysis(p, t, off, spi, seq);
}

ipProtos.add(PROTO_ESP, (p, t, off) => {
  dissectEsp(p, t, off);
  t.up();
});
