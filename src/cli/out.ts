// Buffered standard output: packets are printed by the hundred thousand, so lines are joined
// into large chunks before each write. A closed pipe (`arpx read ... | head`) ends the run quietly.
import { writeSync } from "node:fs";

export class Out {
  private buf = "";
  closed = false;

  // 16 KiB of text per write: large enough to amortize the system call, small enough that
  // flattening the joined string stays in cache.
  constructor(private readonly fd = 1, private readonly limit = 1 << 14) {}

  write(s: string): void {
    this.buf += s;
    if (this.buf.length >= this.limit) this.flush();
  }

  line(s: string): void {
    this.buf += s;
    this.buf += "\n";
    if (this.buf.length >= this.limit) this.flush();
  }

  flush(): void {
    if (this.buf.length === 0 || this.closed) {
      this.buf = "";
      return;
    }
    const text = this.buf;
    this.buf = "";
    // Whole ASCII writes go straight from the string; partial writes fall back to bytes.
    let data: Buffer | null = null;
    try {
      const n = writeSync(this.fd, text);
      if (n === Buffer.byteLength(text)) return;
      data = Buffer.from(text, "utf8");
      this.writeRest(data, n);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EPIPE") {
        this.closed = true;
        return;
      }
      if (code !== "EAGAIN") throw e;
      this.writeRest(data ?? Buffer.from(text, "utf8"), 0);
    }
  }

  private writeRest(data: Buffer, from: number): void {
    let off = from;
    while (off < data.length) {
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
