// openCapture(): opens a file (or stdin for "-"), looks through gzip if the file is compressed,
// recognises pcap or pcapng by the magic, and reads the header blocks before the first packet
// (so `interfaces` is ready for a writer). Everything wrong is a CaptureFileError. The gzip and
// pcapng modules load only for files that need them (start-up time of short commands).
import type { PcapngReader } from "./pcapng.js";
import { pcapMagic, PcapReader } from "./pcap.js";
import { AHEAD_SIZE, CHUNK, type Primed } from "./reader.js";
import { FileSource, SourceError, stdinSource, type ByteSource } from "./source.js";
import { CaptureFileError, type CaptureReader } from "./types.js";

export type { CaptureReader, CaptureRecord, InterfaceInfo } from "./types.js";
export { CaptureFileError } from "./types.js";

export interface OpenOptions {
  /** The name errors use (default: the path, "stdin" for "-"). */
  displayName?: string;
}

export async function openCapture(path: string, opts: OpenOptions = {}): Promise<CaptureReader> {
  return openReader(path, opts);
}

/** A reader openCapture() returns, with its allocation-free side (reader.ts nextRaw()). */
export type FileReader = PcapReader | PcapngReader;

/** openCapture() typed as what it returns, for hot loops that read records in place. */
export async function openReader(path: string, opts: OpenOptions = {}): Promise<FileReader> {
  const name = opts.displayName ?? (path === "-" ? "stdin" : path);
  let src: ByteSource;
  if (path === "-") {
    src = stdinSource();
  } else {
    try {
      src = await FileSource.open(path);
    } catch (e) {
      throw new CaptureFileError(name, -1, openErrorText(e), { cause: e });
    }
  }
  try {
    let primed = await sniff(src, name);
    if (primed.end === 0) throw new CaptureFileError(name, -1, "the file is empty (0 bytes): not a pcap or pcapng file");
    const comp = compressionOf(primed.buf, primed.end);
    if (comp === "gzip") {
      const { GunzipSource } = await import("./gzip.js");
      src = new GunzipSource(primed.buf.slice(0, primed.end), src);
      primed = await sniff(src, name);
      if (primed.end === 0) throw new CaptureFileError(name, -1, "the gzip-compressed file is empty: not a pcap or pcapng file");
    } else if (comp !== null) {
      throw new CaptureFileError(name, 0, `${comp}-compressed file: only gzip is read directly; decompress it first`);
    }
    const reader = await makeReader(path, name, src, primed);
    while (!reader.prime()) {
      if (!(await reader.fill())) break;
    }
    return reader;
  } catch (e) {
    await src.close().catch(() => {});
    throw e;
  }
}

/** pcapng's Section Header Block type, its first four bytes in either byte order (pcapng.ts BT_SHB). */
const PCAPNG_MAGIC = 0x0a0d0d0a;

async function makeReader(path: string, name: string, src: ByteSource, primed: Primed): Promise<FileReader> {
  const b = primed.buf.subarray(0, primed.end);
  const pm = pcapMagic(b);
  if (pm === "modified") {
    throw new CaptureFileError(name, 0, "modified (Kuznetzov/SuSE/Nokia) pcap format is not supported; convert it with editcap -F pcap");
  }
  if (pm !== null) return new PcapReader(path, name, src, primed, pm.le, pm.ns);
  if (b.length >= 4 && ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0 === PCAPNG_MAGIC) {
    const { PcapngReader } = await import("./pcapng.js");
    return new PcapngReader(path, name, src, primed);
  }
  const magic = Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, "0")).join("");
  throw new CaptureFileError(name, 0, `not a pcap or pcapng file (magic 0x${magic})`);
}

/** Names the compression format the first bytes announce, or null. */
export function compressionOf(b: Uint8Array, n: number): "gzip" | "zstd" | "xz" | "bzip2" | "lz4" | null {
  const at = (i: number) => (i < n ? b[i]! : -1);
  if (at(0) === 0x1f && at(1) === 0x8b) return "gzip";
  if (at(0) === 0x28 && at(1) === 0xb5 && at(2) === 0x2f && at(3) === 0xfd) return "zstd";
  if (at(0) === 0xfd && at(1) === 0x37 && at(2) === 0x7a && at(3) === 0x58 && at(4) === 0x5a) return "xz";
  if (at(0) === 0x42 && at(1) === 0x5a && at(2) === 0x68) return "bzip2";
  if (at(0) === 0x04 && at(1) === 0x22 && at(2) === 0x4d && at(3) === 0x18) return "lz4";
  return null;
}

/** Reads the first bytes: enough for any magic (one read usually brings a whole chunk). */
async function sniff(src: ByteSource, name: string): Promise<Primed> {
  const buf = new Uint8Array(src.readAhead === true ? AHEAD_SIZE : CHUNK);
  let end = 0;
  let eof = false;
  try {
    while (end < 8) {
      const n = await src.read(buf, end, buf.length - end);
      if (n === 0) {
        eof = true;
        break;
      }
      end += n;
    }
  } catch (e) {
    const msg = e instanceof SourceError ? e.message : `read error: ${e instanceof Error ? e.message : String(e)}`;
    throw new CaptureFileError(name, end, msg, { cause: e });
  }
  return { buf, end, eof };
}

function openErrorText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return `cannot open: ${e instanceof Error ? e.message : String(e)}`;
}
