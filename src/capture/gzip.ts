// Compressed inputs. gzip (magic 1f 8b) is read transparently through a zlib stream, one chunk at
// a time; other compressors get a clear error naming them instead of "not a capture file"
// (open.ts compressionOf() tells them apart; this module loads only for gzip files).
import { Readable, pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { IterSource, SourceError, type ByteSource } from "./source.js";

const RAW_CHUNK = 1 << 20;

/**
 * The decompressed bytes of `raw`, whose first bytes (`prefix`) were already read to sniff the
 * magic. Multi-member gzip files are read to the end, as gunzip does.
 */
export class GunzipSource implements ByteSource {
  private readonly input: Readable;
  private readonly inner: IterSource;

  constructor(prefix: Uint8Array, private readonly raw: ByteSource) {
    async function* chunks(): AsyncGenerator<Uint8Array> {
      if (prefix.length > 0) yield prefix;
      for (;;) {
        const b = Buffer.allocUnsafe(RAW_CHUNK);
        const n = await raw.read(b, 0, RAW_CHUNK);
        if (n === 0) return;
        yield b.subarray(0, n);
      }
    }
    this.input = Readable.from(chunks());
    const gunzip = createGunzip({ chunkSize: 1 << 18 });
    const out = pipeline(this.input, gunzip, () => {});
    this.inner = new IterSource(out[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>, () => {
      this.input.destroy();
      gunzip.destroy();
    });
  }

  async read(buf: Uint8Array, off: number, len: number): Promise<number> {
    try {
      return await this.inner.read(buf, off, len);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new SourceError(`gzip data is damaged (${msg})`, { cause: e });
    }
  }

  async close(): Promise<void> {
    await this.inner.close();
    await this.raw.close();
  }
}
