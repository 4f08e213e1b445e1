// A capture reader over a live byte stream (a capture backend's standard output): the same pcap
// and pcapng parsers as files use, fed chunk by chunk as the bytes arrive. Unlike openCapture(),
// nothing waits for the first packet: `readHeaders` returns as soon as the interface is described,
// which on a quiet link may be long before any packet.
import { BT_SHB, PcapngReader } from "../pcapng.js";
import { pcapMagic, PcapReader } from "../pcap.js";
import { CHUNK } from "../reader.js";
import { IterSource, SourceError, type ByteSource } from "../source.js";
import { CaptureFileError } from "../types.js";

export type StreamReader = PcapReader | PcapngReader;

/** A ByteSource over a Node readable (a child's stdout). */
export function streamSource(stream: AsyncIterable<Uint8Array | string>): IterSource {
  return new IterSource(stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array | string>);
}

/**
 * Reads the stream's first bytes and returns a reader for its format, or null when the stream
 * ended before any byte (the backend failed to start: its stderr says why).
 */
export async function openStream(src: ByteSource, name: string): Promise<StreamReader | null> {
  const buf = new Uint8Array(CHUNK);
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
  if (end === 0) return null;
  const primed = { buf, end, eof };
  const b = buf.subarray(0, end);
  const pm = pcapMagic(b);
  if (pm !== null && pm !== "modified") return new PcapReader(name, name, src, primed, pm.le, pm.ns);
  if (end >= 4 && ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0 === BT_SHB) {
    return new PcapngReader(name, name, src, primed);
  }
  const magic = Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, "0")).join("");
  throw new CaptureFileError(name, 0, `the capture backend sent neither pcap nor pcapng (magic 0x${magic})`);
}

/**
 * Parses the header blocks until the first interface is described (pcap: the file header; pcapng:
 * SHB and IDB). False when the stream ended first.
 */
export async function readHeaders(reader: StreamReader): Promise<boolean> {
  for (;;) {
    reader.prime();
    if (reader.interfaces.length > 0) return true;
    if (!(await reader.fill())) return false;
  }
}
