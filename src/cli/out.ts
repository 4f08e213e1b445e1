// Buffered standard output: packets are printed by the hundred thousand, so text is encoded straight
// into one reused byte buffer and written in large chunks. Hot printers write bytes and numbers
// by position. A closed pipe (`arpx read ... | head`) ends the run quietly.
import { writeSync } from "node:fs";
import { writeUtf8 } from "../dissect/format.js";

// Buffer#write validates its arguments in JavaScript on every call, which costs more than the
// encoding of a short line; Node's own fast binding behind it (utf8Write) is used when present.
type Utf8Writer = (this: Buffer, s: string, off: number) => number;
const nativeUtf8Write = (Buffer.prototype as unknown as { utf8Write?: Utf8Writer }).utf8Write;
function utf8Write(b: Buffer, s: string, off: number): number {
  return nativeUtf8Write ? nativeUtf8Write.call(b, s, off) : b.write(s, off, "utf8");
}

export class Out {
  // A plain Uint8Array, like the Info column's bytes: the printers' byte writers then see one
  // array type (a Buffer is a subclass, which makes their element accesses polymorphic).
  readonly buf: Uint8Array;
  /** The same bytes, for copying words at a time (copyBytes). */
  readonly view: DataView;
  /** The same bytes as a Buffer, for Node's native UTF-8 encoder. */
  private readonly nodeBuf: Buffer;
  pos = 0;
  closed = false;

  // 64 KiB per write: large enough to amortize the system call, small enough to stay in cache.
  constructor(private readonly fd = 1, size = 1 << 16) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
    this.nodeBuf = Buffer.from(this.buf.buffer);
  }

  write(s: string): void {
    const n = s.length;
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (this.pos + 3 * n > this.buf.length) {
      this.flush();
      if (3 * n > this.buf.length) {
        this.writeAll(Buffer.from(s, "utf8"));
        return;
      }
    }
    // Long strings (tree lines, JSON, -T fields lines, often built by concatenation) go to the
    // native encoder, which flattens and encodes them faster than a loop here; short ones are not
    // worth the call.
    if (n > 24) this.pos += utf8Write(this.nodeBuf, s, this.pos);
    else this.pos = writeUtf8(this.buf, this.pos, s);
  }

  line(s: string): void {
    this.write(s);
    this.byte(10);
  }

  /** Makes room for `n` more bytes (n must not exceed the buffer). */
  room(n: number): void {
    if (this.pos + n > this.buf.length) this.flush();
  }

  byte(c: number): void {
    if (this.pos === this.buf.length) this.flush();
    this.buf[this.pos++] = c;
  }

  flush(): void {
    const n = this.pos;
    this.pos = 0;
    if (n === 0 || this.closed) return;
    this.writeAll(this.buf.subarray(0, n));
  }

  private writeAll(data: Uint8Array): void {
    let off = 0;
    while (off < data.length && !this.closed) {
      try {
        off += writeSync(this.fd, data, off, data.length - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EAGAIN") continue;
        if (code === "EPIPE") {
          this.closed = true;
          return;
        }
        throw e;
      }
    }
  }
}

/** Errors the user should see as one line, with the exit status to use. */
export class UsageError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}

export function errorLine(msg: string): void {
  process.stderr.write(`arpx: ${msg}\n`);
}
