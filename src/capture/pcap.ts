// Classic pcap (libpcap) files: parse and emit side by side.
//
//   file header (24 bytes)               record header (16 bytes), then caplen bytes of data
//    0 magic  a1b2c3d4 us / a1b23c4d ns    0 ts_sec   (u32)
//    4 version_major (2), version_minor    4 ts_usec  (u32; nanoseconds with the ns magic)
//    8 thiszone (i32, always 0)            8 caplen   (u32, bytes present)
//   12 sigfigs  (u32, always 0)           12 len      (u32, bytes on the wire)
//   16 snaplen  (u32)
//   20 network  (u32: link type in the low 28 bits, FCS length in the high bits)
//
// Either byte order (the magic tells which). Times are passed through as Wireshark's wiretap
// does: seconds unsigned, the fraction as a signed 32-bit nanosecond count (so an invalid
// fraction prints as tshark prints it). The "modified" (Kuznetzov) variants are refused clearly.
import { BufferedReader, MAX_BLOCK, type Primed } from "./reader.js";
import type { ByteSink } from "./sink.js";
import type { ByteSource } from "./source.js";
import { normalizeTime, type SecNsec } from "./timestamps.js";
import { CaptureWriteError, type CaptureReader, type CaptureRecord, type InterfaceInfo, type InterfaceStats, type NameRecord, type SectionInfo } from "./types.js";

export const PCAP_HDR_LEN = 24;
export const PCAP_REC_HDR_LEN = 16;
export const MAGIC_USEC = 0xa1b2c3d4;
export const MAGIC_NSEC = 0xa1b23c4d;
const MAGIC_MODIFIED = 0xa1b2cd34;

/** Largest record wiretap accepts for ordinary link types (WTAP_MAX_PACKET_SIZE_STANDARD). */
export const MAX_PACKET = 262144;
/** Link types whose records may be much larger (D-Bus, USB). */
const BIG_LINK_TYPES = new Map<number, number>([[231, 128 << 20], [189, 128 << 20], [220, 128 << 20], [249, 128 << 20], [279, (8 << 20) + 32]]);

/** Largest caplen a record of this interface may claim before we call the file corrupt. */
export function maxCapLen(linkType: number, snapLen: number): number {
  return Math.min(MAX_BLOCK, Math.max(snapLen, BIG_LINK_TYPES.get(linkType) ?? MAX_PACKET));
}

export type PcapMagic = { le: boolean; ns: boolean } | "modified" | null;

/** Recognises the four pcap magics (and the modified variant) in the first 4 bytes. */
export function pcapMagic(b: Uint8Array): PcapMagic {
  if (b.length < 4) return null;
  const be = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  const le = ((b[3]! << 24) | (b[2]! << 16) | (b[1]! << 8) | b[0]!) >>> 0;
  for (const [v, isLe] of [[le, true], [be, false]] as const) {
    if (v === MAGIC_USEC) return { le: isLe, ns: false };
    if (v === MAGIC_NSEC) return { le: isLe, ns: true };
    if (v === MAGIC_MODIFIED) return "modified";
  }
  return null;
}

export interface PcapHeader {
  le: boolean;
  ns: boolean;
  major: number;
  minor: number;
  snapLen: number;
  /** The raw network field (link type plus FCS bits). */
  network: number;
}

export function parsePcapHeader(dv: DataView, off: number, le: boolean, ns: boolean): PcapHeader {
  return {
    le, ns,
    major: dv.getUint16(off + 4, le),
    minor: dv.getUint16(off + 6, le),
    snapLen: dv.getUint32(off + 16, le),
    network: dv.getUint32(off + 20, le),
  };
}

export function emitPcapHeader(sink: ByteSink, h: PcapHeader): void {
  const o = sink.reserve(PCAP_HDR_LEN);
  const dv = sink.dv;
  dv.setUint32(o, h.ns ? MAGIC_NSEC : MAGIC_USEC, h.le);
  dv.setUint16(o + 4, h.major, h.le);
  dv.setUint16(o + 6, h.minor, h.le);
  dv.setUint32(o + 8, 0, h.le);
  dv.setUint32(o + 12, 0, h.le);
  dv.setUint32(o + 16, h.snapLen >>> 0, h.le);
  dv.setUint32(o + 20, h.network >>> 0, h.le);
  sink.pos = o + PCAP_HDR_LEN;
}

/** The interface a pcap header describes: link type in the low bits, FCS length if flagged. */
export function pcapInterface(h: PcapHeader): InterfaceInfo {
  const info: InterfaceInfo = { linkType: h.network & 0x03ffffff, snapLen: h.snapLen, tsResol: { base: 10, exp: h.ns ? 9 : 6 } };
  if (h.network & 0x04000000) info.fcsLen = ((h.network >>> 28) & 0xf) * 2;
  return info;
}

const norm: SecNsec = { sec: 0, nsec: 0 };

/** One record (header + data). Throws CaptureWriteError for a time pcap cannot hold. */
export function emitPcapRecord(sink: ByteSink, rec: CaptureRecord, ns: boolean, le: boolean): void {
  normalizeTime(rec.tsSec, rec.tsNsec, norm);
  if (!(norm.sec >= 0 && norm.sec <= 0xffffffff)) {
    throw new CaptureWriteError(sink.name, `timestamp ${rec.tsSec}.${rec.tsNsec} does not fit in a pcap file (seconds 0..2^32-1); write pcapng`);
  }
  const cap = rec.data.length;
  const o = sink.reserve(PCAP_REC_HDR_LEN + cap);
  const dv = sink.dv;
  dv.setUint32(o, norm.sec, le);
  dv.setUint32(o + 4, ns ? norm.nsec : Math.floor(norm.nsec / 1000), le);
  dv.setUint32(o + 8, cap, le);
  dv.setUint32(o + 12, rec.wireLen >>> 0, le);
  sink.buf.set(rec.data, o + PCAP_REC_HDR_LEN);
  sink.pos = o + PCAP_REC_HDR_LEN + cap;
}

export class PcapReader extends BufferedReader implements CaptureReader {
  readonly format = "pcap";
  readonly interfaces: InterfaceInfo[] = [];
  readonly sectionComments: string[] = [];
  readonly sections: SectionInfo[] = [];
  readonly names: NameRecord[] = [];
  readonly stats = { interfaceStats: new Map<number, InterfaceStats>() };
  private headerDone = false;
  private maxCap = MAX_PACKET;
  private readonly rec: CaptureRecord = { data: new Uint8Array(0), wireLen: 0, tsSec: 0, tsNsec: 0, linkType: 1, ifIndex: 0, comment: undefined };

  constructor(path: string, name: string, src: ByteSource, primed: Primed, private readonly le: boolean, private readonly ns: boolean) {
    super(path, name, src, primed);
  }

  get section(): SectionInfo {
    return this.sections[0] ?? { byteOrder: this.le ? "le" : "be", version: "", offset: 0, comments: [] };
  }

  /** Reads the file header; false when more bytes are needed. */
  prime(): boolean {
    if (this.headerDone) return true;
    if (this.end - this.pos < PCAP_HDR_LEN) {
      this.wait(PCAP_HDR_LEN);
      return false;
    }
    const h = parsePcapHeader(this.dv, this.pos, this.le, this.ns);
    if (h.major !== 2) this.fail(this.offset + 4, `unsupported pcap version ${h.major}.${h.minor}`);
    const info = pcapInterface(h);
    this.interfaces.push(info);
    this.sections.push({ byteOrder: this.le ? "le" : "be", version: `${h.major}.${h.minor}`, offset: 0, comments: [] });
    this.rec.linkType = info.linkType;
    this.maxCap = maxCapLen(info.linkType, h.snapLen);
    this.pos += PCAP_HDR_LEN;
    this.headerDone = true;
    return true;
  }

  nextRaw(): CaptureRecord | null {
    this.checkFailed();
    const p = this.pos;
    const avail = this.end - p;
    const dv = this.dv;
    const le = this.le;
    let want = PCAP_REC_HDR_LEN;
    if (avail >= PCAP_REC_HDR_LEN) {
      const cap = dv.getUint32(p + 8, le);
      if (cap > this.maxCap) {
        this.fail(this.base + p, `packet record claims ${cap} captured bytes, more than the maximum of ${this.maxCap} for this file`);
      }
      want = PCAP_REC_HDR_LEN + cap;
    }
    // A record and a chunk's end (the record not all here) share this one store and test: code
    // optimised in the middle of a chunk has then seen the path it takes at the chunk's end, and
    // is not thrown away ("deoptimised") there.
    const whole = avail >= want;
    this.need = whole ? 0 : want;
    if (!whole) return null;
    const r = this.rec;
    r.tsSec = dv.getUint32(p, le);
    const frac = dv.getUint32(p + 4, le);
    r.tsNsec = this.ns ? frac | 0 : Math.imul(frac, 1000);
    r.wireLen = dv.getUint32(p + 12, le);
    this.rawAt = p + PCAP_REC_HDR_LEN;
    this.rawLen = want - PCAP_REC_HDR_LEN;
    this.pos = p + want;
    return r;
  }

  protected truncated(): string {
    const left = this.end - this.pos;
    if (!this.headerDone) return `truncated pcap file header: ${left} of ${PCAP_HDR_LEN} bytes`;
    if (left < PCAP_REC_HDR_LEN) return `truncated packet record header: ${left} of ${PCAP_REC_HDR_LEN} bytes`;
    return `truncated packet record: ${left} of ${PCAP_REC_HDR_LEN + this.dv.getUint32(this.pos + 8, this.le)} bytes`;
  }
}
