// pcapng files: block parse and emit side by side. Every block is
//    0 block type (u32)   4 total length (u32, multiple of 4)   8 body ...   len-4 total length again
// in the byte order its section's SHB declares (byte-order magic 1a2b3c4d at offset 8 of the SHB).
//
//   SHB 0a0d0d0a  8 BOM, 12 major, 14 minor, 16 section length (i64), 24 options     min 28
//   IDB 1         8 link type (u16), 10 reserved, 12 snaplen, 16 options              min 20
//   PB  2         8 if id (u16), 10 drops, 12 ts high, 16 ts low, 20 caplen,          min 32
//                 24 len, 28 data (padded to 4), options          (obsolete; read only)
//   SPB 3         8 len, 12 data (caplen = min(len, snaplen, block))                  min 16
//   NRB 4         8 records (type u16, length u16, value padded), then options         min 12
//   ISB 5         8 if id, 12 ts high, 16 ts low, 20 options                          min 24
//   EPB 6         8 if id, 12 ts high, 16 ts low, 20 caplen, 24 len, 28 data, options  min 32
//   DSB 10, custom (0xbad / 0x40000bad) and unknown blocks are skipped.
//
// Each SHB starts a section: byte order and interface ids restart there. Interface ids in records
// are section-local; readers hand out file-wide indexes into `interfaces` (see types.ts).
import { BufferedReader, MAX_BLOCK, type Primed } from "./reader.js";
import { maxCapLen } from "./pcap.js";
import {
  decodeOptions, encodeOptions, EPB_OPTS, IDB_OPTS, ISB_OPTS, NRB_OPTS, PB_OPTS, SHB_OPTS, optString,
  type OptTable, type OptValues,
} from "./pcapng-options.js";
import type { ByteSink } from "./sink.js";
import type { ByteSource } from "./source.js";
import { ticksToTime, timeToTicks, tickScale, type HiLo, type SecNsec, type TickScale } from "./timestamps.js";
import {
  CaptureWriteError, type CaptureReader, type CaptureRecord, type InterfaceInfo, type InterfaceStats, type NameRecord,
  type SectionInfo,
} from "./types.js";

export const BT_SHB = 0x0a0d0d0a;
export const BT_IDB = 1;
export const BT_PB = 2;
export const BT_SPB = 3;
export const BT_NRB = 4;
export const BT_ISB = 5;
export const BT_EPB = 6;
export const BT_DSB = 10;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** The byte-order magic of a big-endian section, read little-endian. */
const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a;

/** Smallest valid total length of each block type. */
function minLen(type: number): number {
  switch (type) {
    case BT_EPB: case BT_PB: return 32;
    case BT_SHB: return 28;
    case BT_ISB: return 24;
    case BT_IDB: return 20;
    case BT_SPB: return 16;
    default: return 12;
  }
}

const BLOCK_NAMES: Record<number, string> = {
  [BT_SHB]: "Section Header Block", [BT_IDB]: "Interface Description Block", [BT_PB]: "Packet Block",
  [BT_SPB]: "Simple Packet Block", [BT_NRB]: "Name Resolution Block", [BT_ISB]: "Interface Statistics Block",
  [BT_EPB]: "Enhanced Packet Block", 9: "systemd Journal Export Block", [BT_DSB]: "Decryption Secrets Block",
  0x00000bad: "Custom Block", 0x40000bad: "Custom Block",
};

export function blockName(type: number): string {
  return BLOCK_NAMES[type] ?? `block of type 0x${type.toString(16).padStart(8, "0")}`;
}

const MAX_NAME_RECORDS = 100_000;

/** What the reader keeps per interface of the current section. */
interface IfState {
  global: number;
  linkType: number;
  snapLen: number;
  scale: TickScale;
  maxCap: number;
}

/** The resolution an if_tsresol byte names (high bit: power of two). */
export function tsresolOf(v: number | undefined): { base: 10 | 2; exp: number } {
  if (v === undefined) return { base: 10, exp: 6 };
  return v & 0x80 ? { base: 2, exp: v & 0x7f } : { base: 10, exp: v };
}

/** The if_tsresol byte for a resolution. */
export function tsresolByte(r: { base: 10 | 2; exp: number }): number {
  return r.base === 2 ? 0x80 | r.exp : r.exp;
}

export class PcapngReader extends BufferedReader implements CaptureReader {
  readonly format = "pcapng";
  readonly interfaces: InterfaceInfo[] = [];
  readonly sectionComments: string[] = [];
  readonly sections: SectionInfo[] = [];
  readonly names: NameRecord[] = [];
  readonly stats = { interfaceStats: new Map<number, InterfaceStats>() };
  private le = true;
  private secIfs: IfState[] = [];
  /** Type of the block at pos, valid after header() returned >= 0. */
  private type = 0;
  private readonly t: SecNsec = { sec: 0, nsec: 0 };
  private readonly rec: CaptureRecord = {
    data: new Uint8Array(0), wireLen: 0, tsSec: 0, tsNsec: 0, linkType: 0, ifIndex: 0,
    comment: undefined, moreComments: undefined, noTimestamp: false, packetFlags: undefined,
  };
  private readonly failAt = (at: number, detail: string): never => this.fail(this.base + at, detail);

  constructor(path: string, name: string, src: ByteSource, primed: Primed) {
    super(path, name, src, primed);
  }

  get section(): SectionInfo {
    return this.sections[0] ?? { byteOrder: "le", version: "", offset: 0, comments: [] };
  }

  /** Reads the blocks before the first packet (SHB, IDBs...); false when more bytes are needed. */
  prime(): boolean {
    for (;;) {
      if (this.pos === this.end && this.eof) return true;
      const len = this.header();
      if (len < 0) return false;
      const type = this.type;
      if (type === BT_EPB || type === BT_SPB || type === BT_PB) return true;
      this.meta(type, this.pos, len);
      this.pos += len;
    }
  }

  nextRaw(): CaptureRecord | null {
    this.checkFailed();
    for (;;) {
      const len = this.header();
      if (len < 0) return null;
      const p = this.pos;
      const type = this.type;
      if (type === BT_EPB) return this.epb(p, len);
      if (type === BT_SPB) return this.spb(p, len);
      if (type === BT_PB) return this.pb(p, len);
      this.meta(type, p, len);
      this.pos = p + len;
    }
  }

  /** Validates the block header (and trailer) at pos; returns its length, or -1 when incomplete. */
  private header(): number {
    const p = this.pos;
    const avail = this.end - p;
    const dv = this.dv;
    let le = this.le;
    let type = 0;
    // bytes the block needs: its length, or (its header cut short) what it takes to read that
    let want = 8;
    if (avail >= 8) {
      type = dv.getUint32(p, le);
      if (type === BT_SHB) want = 12;
      if (avail >= want) {
        if (type === BT_SHB) {
          const bom = dv.getUint32(p + 8, true);
          if (bom === BYTE_ORDER_MAGIC) le = true;
          else if (bom === BYTE_ORDER_MAGIC_SWAPPED) le = false;
          else this.fail(this.base + p + 8, `Section Header Block has a bad byte-order magic 0x${bom.toString(16).padStart(8, "0")}`);
        }
        const len = dv.getUint32(p + 4, le);
        const min = minLen(type);
        if (len < min || (len & 3) !== 0 || len > MAX_BLOCK) {
          const name = blockName(type);
          if (len < min) this.fail(this.base + p, `${name} length ${len} is less than the minimum of ${min} bytes`);
          if ((len & 3) !== 0) this.fail(this.base + p, `${name} length ${len} is not a multiple of 4`);
          this.fail(this.base + p, `${name} length ${len} is larger than the ${MAX_BLOCK >>> 20} MiB limit`);
        }
        want = len;
      }
    }
    // a whole block and a chunk's end share this one store and test (see pcap.ts nextRaw())
    const whole = avail >= want;
    this.need = whole ? 0 : want;
    if (!whole) return -1;
    const trail = dv.getUint32(p + want - 4, le);
    if (trail !== want) {
      this.fail(this.base + p + want - 4, `${blockName(type)}: trailing length ${trail} does not match the leading length ${want}`);
    }
    this.type = type;
    return want;
  }

  protected truncated(): string {
    const p = this.pos;
    const left = this.end - p;
    if (left < 8) return `truncated block header: ${left} of 8 bytes`;
    const type = this.dv.getUint32(p, this.le);
    if (type === BT_SHB && left < 12) return `truncated Section Header Block: ${left} of at least ${minLen(BT_SHB)} bytes`;
    let le = this.le;
    if (type === BT_SHB) le = this.dv.getUint32(p + 8, true) === BYTE_ORDER_MAGIC;
    return `truncated ${blockName(type)}: ${left} of ${this.dv.getUint32(p + 4, le)} bytes`;
  }

  private iface(p: number, ifId: number, blockType: number): IfState {
    const s = this.secIfs[ifId];
    if (s === undefined) {
      this.fail(this.base + p + 8, `${blockName(blockType)} refers to interface ${ifId}, but its section has ${this.secIfs.length} interface(s)`);
    }
    return s;
  }

  private options(p: number, from: number, len: number, t: OptTable): OptValues | null {
    const end = p + len - 4;
    return from < end ? decodeOptions(this.dv, this.buf, from, end, this.le, t, this.failAt) : null;
  }

  private epb(p: number, len: number): CaptureRecord {
    return this.packet(p, len, this.dv.getUint32(p + 8, this.le), BT_EPB, EPB_OPTS);
  }

  /** The obsolete Packet Block: an EPB with a 16-bit interface id (and a drop count we skip). */
  private pb(p: number, len: number): CaptureRecord {
    return this.packet(p, len, this.dv.getUint16(p + 8, this.le), BT_PB, PB_OPTS);
  }

  /** EPB and PB share the layout from offset 12 on. */
  private packet(p: number, len: number, ifId: number, type: number, opts: OptTable): CaptureRecord {
    const dv = this.dv;
    const le = this.le;
    const s = this.iface(p, ifId, type);
    const cap = dv.getUint32(p + 20, le);
    if (cap > len - 32) this.fail(this.base + p + 20, `${blockName(type)} of ${len} bytes is too small for ${cap} bytes of packet data`);
    if (cap > s.maxCap) this.fail(this.base + p + 20, `${blockName(type)} claims ${cap} captured bytes, more than the maximum of ${s.maxCap}`);
    ticksToTime(dv.getUint32(p + 12, le), dv.getUint32(p + 16, le), s.scale, this.t);
    const r = this.rec;
    r.tsSec = this.t.sec;
    r.tsNsec = this.t.nsec;
    r.noTimestamp = false;
    r.wireLen = dv.getUint32(p + 24, le);
    r.linkType = s.linkType;
    r.ifIndex = s.global;
    this.rawAt = p + 28;
    this.rawLen = cap;
    this.packetOptions(this.options(p, p + 28 + ((cap + 3) & ~3), len, opts));
    this.pos = p + len;
    this.need = 0;
    return r;
  }

  private spb(p: number, len: number): CaptureRecord {
    if (this.secIfs.length === 0) this.fail(this.base + p, "Simple Packet Block before any Interface Description Block in its section");
    const s = this.secIfs[0]!;
    const wire = this.dv.getUint32(p + 8, this.le);
    let cap = wire;
    if (s.snapLen !== 0 && cap > s.snapLen) cap = s.snapLen;
    if (cap > len - 16) cap = len - 16;
    const r = this.rec;
    r.tsSec = 0;
    r.tsNsec = 0;
    r.noTimestamp = true;
    r.wireLen = wire;
    r.linkType = s.linkType;
    r.ifIndex = s.global;
    this.rawAt = p + 12;
    this.rawLen = cap;
    this.packetOptions(null);
    this.pos = p + len;
    this.need = 0;
    return r;
  }

  private packetOptions(o: OptValues | null): void {
    const r = this.rec;
    if (o === null) {
      r.comment = undefined;
      r.moreComments = undefined;
      r.packetFlags = undefined;
      return;
    }
    const c = o.comments as string[] | undefined;
    r.comment = c?.[0];
    r.moreComments = c !== undefined && c.length > 1 ? c.slice(1) : undefined;
    r.packetFlags = o.flags as number | undefined;
  }

  /** Non-packet blocks. */
  private meta(type: number, p: number, len: number): void {
    switch (type) {
      case BT_SHB: return this.shb(p, len);
      case BT_IDB: return this.idb(p, len);
      case BT_ISB: return this.isb(p, len);
      case BT_NRB: return this.nrb(p, len);
      default: return; // DSB, custom, journal and unknown blocks: skipped
    }
  }

  private shb(p: number, len: number): void {
    const dv = this.dv;
    const le = dv.getUint32(p + 8, true) === BYTE_ORDER_MAGIC;
    const major = dv.getUint16(p + 12, le);
    const minor = dv.getUint16(p + 14, le);
    if (!(major === 1 && (minor === 0 || minor === 2))) {
      this.fail(this.base + p + 12, `unsupported pcapng version ${major}.${minor} in Section Header Block`);
    }
    this.le = le;
    const o = this.options(p, p + 24, len, SHB_OPTS) ?? {};
    const comments = (o.comments as string[] | undefined) ?? [];
    this.sections.push({
      byteOrder: le ? "le" : "be", version: `${major}.${minor}`, offset: this.base + p, comments,
      hardware: o.hardware as string | undefined, os: o.os as string | undefined, userAppl: o.userAppl as string | undefined,
    });
    this.sectionComments.push(...comments);
    this.secIfs = [];
  }

  private idb(p: number, len: number): void {
    const dv = this.dv;
    const linkType = dv.getUint16(p + 8, this.le);
    const snapLen = dv.getUint32(p + 12, this.le);
    const o = this.options(p, p + 16, len, IDB_OPTS) ?? {};
    const tsResol = tsresolOf(o.tsresol as number | undefined);
    const tsOffset = o.tsoffset === undefined ? 0 : Number(o.tsoffset);
    const info: InterfaceInfo = { linkType, snapLen, tsResol };
    if (o.name !== undefined) info.name = o.name as string;
    if (o.description !== undefined) info.description = o.description as string;
    if (tsOffset !== 0) info.tsOffset = tsOffset;
    if (o.fcslen !== undefined) info.fcsLen = o.fcslen as number;
    if (o.filter !== undefined) info.filter = o.filter as string;
    if (o.os !== undefined) info.os = o.os as string;
    if (o.hardware !== undefined) info.hardware = o.hardware as string;
    if (o.speed !== undefined) info.speed = o.speed as number | bigint;
    if (o.comments !== undefined) info.comments = o.comments as string[];
    info.section = this.sections.length - 1;
    info.idInSection = this.secIfs.length;
    const global = this.interfaces.length;
    this.interfaces.push(info);
    this.secIfs.push({ global, linkType, snapLen, scale: tickScale(tsResol.base, tsResol.exp, tsOffset), maxCap: maxCapLen(linkType, snapLen) });
  }

  private isb(p: number, len: number): void {
    const dv = this.dv;
    const s = this.secIfs[dv.getUint32(p + 8, this.le)];
    const o = this.options(p, p + 20, len, ISB_OPTS);
    if (s === undefined) return; // statistics for an interface we never saw: nothing to attach them to
    const st: InterfaceStats = {};
    if (o !== null) {
      for (const k of ["ifRecv", "ifDrop", "osDrop", "filterAccept", "usrDeliv"] as const) {
        if (o[k] !== undefined) st[k] = o[k] as number | bigint;
      }
      const start = o.startTime as HiLo | undefined;
      if (start !== undefined) {
        ticksToTime(start.hi, start.lo, s.scale, this.t);
        st.startSec = this.t.sec;
        st.startNsec = this.t.nsec;
      }
      const end = o.endTime as HiLo | undefined;
      if (end !== undefined) {
        ticksToTime(end.hi, end.lo, s.scale, this.t);
        st.endSec = this.t.sec;
        st.endNsec = this.t.nsec;
      }
      if (o.comments !== undefined) st.comments = o.comments as string[];
    }
    // later ISBs update what they carry; one without counters does not erase earlier ones
    const prev = this.stats.interfaceStats.get(s.global);
    this.stats.interfaceStats.set(s.global, prev === undefined ? st : Object.assign(prev, st));
  }

  private nrb(p: number, len: number): void {
    const dv = this.dv;
    const le = this.le;
    const end = p + len - 4;
    let off = p + 8;
    while (end - off >= 4) {
      const type = dv.getUint16(off, le);
      const rlen = dv.getUint16(off + 2, le);
      off += 4;
      if (type === 0) break;
      if (rlen > end - off) this.fail(this.base + off - 4, `Name Resolution Block record of ${rlen} bytes runs past the end of its block`);
      const alen = type === 1 ? 4 : type === 2 ? 16 : type === 3 ? 6 : type === 4 ? 8 : -1;
      if (alen > 0 && rlen >= alen && this.names.length < MAX_NAME_RECORDS) {
        const names = optString(this.buf.subarray(off + alen, off + rlen)).split("\0").filter((n) => n.length > 0);
        const kind = (["ipv4", "ipv6", "eui48", "eui64"] as const)[type - 1]!;
        this.names.push({ kind, addr: this.buf.slice(off, off + alen), names });
      }
      off += (rlen + 3) & ~3;
    }
    if (off < end) this.options(p, off, len, NRB_OPTS); // validated, not kept
  }
}

// ---- emit -------------------------------------------------------------------------------------

const EMPTY: Uint8Array = new Uint8Array(0);

/** A block whose body is `fixed` (already laid out by `body`) followed by `opts`. */
function emitBlock(sink: ByteSink, le: boolean, type: number, fixed: number, opts: Uint8Array, body: (dv: DataView, o: number) => void): void {
  const len = 8 + fixed + opts.length + 4;
  const o = sink.reserve(len);
  const dv = sink.dv;
  dv.setUint32(o, type, le);
  dv.setUint32(o + 4, len, le);
  body(dv, o + 8);
  sink.buf.set(opts, o + 8 + fixed);
  dv.setUint32(o + len - 4, len, le);
  sink.pos = o + len;
}

export interface SectionOptions {
  comments?: string[] | undefined;
  hardware?: string | undefined;
  os?: string | undefined;
  userAppl?: string | undefined;
}

export function emitSHB(sink: ByteSink, le: boolean, s: SectionOptions): void {
  emitBlock(sink, le, BT_SHB, 16, encodeOptions(SHB_OPTS, { ...s }, le), (dv, o) => {
    dv.setUint32(o, BYTE_ORDER_MAGIC, le);
    dv.setUint16(o + 4, 1, le);
    dv.setUint16(o + 6, 0, le);
    dv.setInt32(o + 8, -1, le); // section length: not given
    dv.setInt32(o + 12, -1, le);
  });
}

/** An IDB for `info`, at the resolution the writer uses (tsoffset is not written: times include it). */
export function emitIDB(sink: ByteSink, le: boolean, info: InterfaceInfo, scale: TickScale): void {
  const opts = encodeOptions(IDB_OPTS, {
    comments: info.comments, name: info.name, description: info.description, speed: info.speed,
    tsresol: tsresolByte(scale), filter: info.filter, os: info.os, fcslen: info.fcsLen, hardware: info.hardware,
  }, le);
  emitBlock(sink, le, BT_IDB, 8, opts, (dv, o) => {
    dv.setUint16(o, info.linkType & 0xffff, le);
    dv.setUint16(o + 2, 0, le);
    dv.setUint32(o + 4, info.snapLen >>> 0, le);
  });
}

const hilo: HiLo = { hi: 0, lo: 0 };

/** An EPB for `rec` on interface `ifId`. Throws CaptureWriteError for a time before 1970. */
export function emitEPB(sink: ByteSink, le: boolean, rec: CaptureRecord, ifId: number, scale: TickScale): void {
  if (!timeToTicks(rec.tsSec, rec.tsNsec, scale, hilo)) {
    throw new CaptureWriteError(sink.name, `timestamp ${rec.tsSec}.${rec.tsNsec} cannot be written to pcapng (before 1970 or too far ahead)`);
  }
  const cap = rec.data.length;
  const padded = (cap + 3) & ~3;
  let opts = EMPTY;
  if (rec.comment !== undefined || rec.moreComments !== undefined || rec.packetFlags !== undefined) {
    const comments = rec.comment !== undefined ? [rec.comment, ...(rec.moreComments ?? [])] : rec.moreComments;
    opts = encodeOptions(EPB_OPTS, { comments, flags: rec.packetFlags }, le);
  }
  const len = 32 + padded + opts.length;
  const o = sink.reserve(len);
  const dv = sink.dv;
  const buf = sink.buf;
  dv.setUint32(o, BT_EPB, le);
  dv.setUint32(o + 4, len, le);
  dv.setUint32(o + 8, ifId, le);
  dv.setUint32(o + 12, hilo.hi, le);
  dv.setUint32(o + 16, hilo.lo, le);
  dv.setUint32(o + 20, cap, le);
  dv.setUint32(o + 24, rec.wireLen >>> 0, le);
  buf.set(rec.data, o + 28);
  for (let i = o + 28 + cap; i < o + 28 + padded; i++) buf[i] = 0;
  if (opts.length > 0) buf.set(opts, o + 28 + padded);
  dv.setUint32(o + len - 4, len, le);
  sink.pos = o + len;
}

/**
 * Whether `rec` can be a Simple Packet Block on interface 0 with snaplen `snapLen`: it has no time,
 * comment or flags, and the reader's rule (caplen = min(len, snaplen)) gives back its caplen.
 */
export function fitsSPB(rec: CaptureRecord, snapLen: number): boolean {
  if (!rec.noTimestamp || rec.ifIndex !== 0 || rec.comment !== undefined || rec.moreComments !== undefined || rec.packetFlags !== undefined) return false;
  const cap = snapLen !== 0 && rec.wireLen > snapLen ? snapLen : rec.wireLen;
  return cap === rec.data.length;
}

/** An SPB (check fitsSPB first). */
export function emitSPB(sink: ByteSink, le: boolean, rec: CaptureRecord): void {
  const cap = rec.data.length;
  const padded = (cap + 3) & ~3;
  const len = 16 + padded;
  const o = sink.reserve(len);
  const dv = sink.dv;
  dv.setUint32(o, BT_SPB, le);
  dv.setUint32(o + 4, len, le);
  dv.setUint32(o + 8, rec.wireLen >>> 0, le);
  sink.buf.set(rec.data, o + 12);
  for (let i = o + 12 + cap; i < o + 12 + padded; i++) sink.buf[i] = 0;
  dv.setUint32(o + len - 4, len, le);
  sink.pos = o + len;
}

/** An ISB for interface `ifId`; its own time is the end time, else now. */
export function emitISB(sink: ByteSink, le: boolean, ifId: number, s: InterfaceStats, scale: TickScale): void {
  const ts = (sec: number | undefined, nsec: number | undefined): HiLo | undefined => {
    if (sec === undefined) return undefined;
    const out = { hi: 0, lo: 0 };
    return timeToTicks(sec, nsec ?? 0, scale, out) ? out : undefined;
  };
  const now = Date.now();
  const when = ts(s.endSec, s.endNsec) ?? ts(Math.floor(now / 1000), (now % 1000) * 1e6) ?? { hi: 0, lo: 0 };
  const opts = encodeOptions(ISB_OPTS, {
    comments: s.comments, startTime: ts(s.startSec, s.startNsec), endTime: ts(s.endSec, s.endNsec),
    ifRecv: s.ifRecv, ifDrop: s.ifDrop, filterAccept: s.filterAccept, osDrop: s.osDrop, usrDeliv: s.usrDeliv,
  }, le);
  emitBlock(sink, le, BT_ISB, 12, opts, (dv, o) => {
    dv.setUint32(o, ifId, le);
    dv.setUint32(o + 4, when.hi, le);
    dv.setUint32(o + 8, when.lo, le);
  });
}
