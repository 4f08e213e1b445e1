// A text column (Info) kept as UTF-8 bytes. Dissectors append numbers, addresses and strings
// straight into a reused buffer, so a summary line costs no number-to-string conversions, no
// concatenated strings and no encoding on output: the printer copies the bytes. Like Wireshark's
// columns it holds at most COL_MAX bytes (COL_MAX_INFO_LEN less its NUL); what does not fit is
// dropped, never half a character.
import { controlEscape, decDigits, utf8SequenceAt, writeByteDec, writeDec, writeIPv6, writeUtf8 } from "./format.js";

export const COL_MAX = 4095;
// Room past COL_MAX so that one number or address can be written before the length is clamped.
const SLACK = 64;
const HEX = Uint8Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
const decoder = new TextDecoder();
const encoder = new TextEncoder();

export class TextColumn {
  readonly bytes = new Uint8Array(COL_MAX + SLACK);
  /** The same bytes, for copyBytes. */
  readonly view = new DataView(this.bytes.buffer);
  len = 0;
  /**
   * Text before this byte stays when the column is cleared or set (Wireshark's column fence: a
   * second PDU decoded in the same segment adds to the first one's text).
   */
  fence = 0;

  get empty(): boolean {
    return this.len === 0;
  }

  /** No more text fits. */
  get full(): boolean {
    return this.len >= COL_MAX;
  }

  clear(): this {
    this.len = this.fence;
    return this;
  }

  set(s: string): this {
    this.len = this.fence;
    return this.add(s);
  }

  /** Empty, without a fence: for the next packet. */
  reset(): this {
    this.fence = 0;
    this.len = 0;
    return this;
  }

  /** Keeps the text so far whatever comes next (see `fence`). */
  setFence(): this {
    this.fence = this.len;
    return this;
  }

  add(s: string): this {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (this.len + 3 * s.length > COL_MAX) return this.addNearEnd(s);
    this.len = writeUtf8(this.bytes, this.len, s);
    return this;
  }

  /** What fits of `s` before COL_MAX, whole characters only. */
  private addNearEnd(s: string): this {
    if (this.len >= COL_MAX) return this;
    this.len += encoder.encodeInto(s, this.bytes.subarray(this.len, COL_MAX)).written;
    return this;
  }

  /**
   * Bytes d[a, b) as Wireshark's format_text writes them (see format.ts formatText): printable
   * ASCII as is, control characters escaped, well-formed UTF-8 kept, other bytes U+FFFD.
   */
  text(d: Uint8Array, a: number, b: number): this {
    for (let i = a; i < b && this.len < COL_MAX; ) {
      const c = d[i]!;
      if (c >= 0x20 && c < 0x7f) {
        this.bytes[this.len++] = c;
        i++;
      } else if (c < 0x80) {
        this.add(controlEscape(c));
        i++;
      } else {
        const n = utf8SequenceAt(d, i, b);
        if (n === 0) {
          this.add("\ufffd");
          i++;
        } else {
          if (this.len + n > COL_MAX) break;
          for (let k = 0; k < n; k++) this.bytes[this.len++] = d[i + k]!;
          i += n;
        }
      }
    }
    return this;
  }

  /** One ASCII character. */
  char(c: number): this {
    if (this.len < COL_MAX) this.bytes[this.len++] = c;
    return this;
  }

  /** An integer in decimal. */
  dec(v: number): this {
    if (this.len >= COL_MAX) return this;
    if (!Number.isSafeInteger(v)) return this.add(String(v));
    let q = this.len;
    if (v < 0) {
      this.bytes[q++] = 0x2d;
      v = -v;
    }
    const digits = decDigits(v);
    writeDec(this.bytes, q, v, digits);
    return this.clamp(q + digits);
  }

  /** A non-negative integer in lowercase hex, zero-padded to `width` digits. */
  hex(v: number, width: number): this {
    if (this.len >= COL_MAX) return this;
    let n = 1;
    for (let x = v; x >= 16; x = Math.floor(x / 16)) n++;
    if (n < width) n = width;
    if (n > SLACK) return this.add(v.toString(16).padStart(width, "0"));
    const b = this.bytes;
    const q = this.len;
    for (let i = q + n - 1; i >= q; i--) {
      b[i] = HEX[v % 16]!;
      v = Math.floor(v / 16);
    }
    return this.clamp(q + n);
  }

  /** The IPv4 address at d[off..off+4] in dotted decimal. */
  ipv4(d: Uint8Array, off: number): this {
    if (this.len >= COL_MAX) return this;
    const b = this.bytes;
    let q = writeByteDec(b, this.len, d[off]!);
    for (let i = 1; i < 4; i++) {
      b[q++] = 0x2e;
      q = writeByteDec(b, q, d[off + i]!);
    }
    return this.clamp(q);
  }

  /** The IPv6 address at d[off..off+16], compressed as Wireshark prints it. */
  ipv6(d: Uint8Array, off: number): this {
    if (this.len >= COL_MAX) return this;
    return this.clamp(writeIPv6(this.bytes, this.len, d, off));
  }

  /** The MAC address at d[off..off+6] as aa:bb:cc:dd:ee:ff. */
  ether(d: Uint8Array, off: number): this {
    if (this.len >= COL_MAX) return this;
    const b = this.bytes;
    let q = this.len;
    for (let i = 0; i < 6; i++) {
      if (i) b[q++] = 0x3a;
      const v = d[off + i]!;
      b[q++] = HEX[v >> 4]!;
      b[q++] = HEX[v & 15]!;
    }
    return this.clamp(q);
  }

  /** Puts `s` in front of the text (what would then pass COL_MAX is dropped from the end). */
  prepend(s: string): this {
    let ascii = true;
    for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) ascii = false;
    const head = ascii ? null : encoder.encode(s);
    const n = head ? head.length : s.length;
    const b = this.bytes;
    b.copyWithin(n, 0, this.len);
    if (head) b.set(head.subarray(0, Math.min(n, COL_MAX)));
    else for (let i = 0; i < n && i < COL_MAX; i++) b[i] = s.charCodeAt(i);
    return this.clamp(this.len + n);
  }

  /** Keeps the first `n` bytes (a length read earlier from `len`). */
  truncate(n: number): this {
    if (n < this.len) this.len = n;
    return this;
  }

  /** Where the ASCII string `s` first occurs at or after byte `from`, or -1. */
  indexOf(s: string, from = 0): number {
    for (let i = from; i + s.length <= this.len; i++) if (this.startsWith(s, i)) return i;
    return -1;
  }

  includes(s: string): boolean {
    return this.indexOf(s) >= 0;
  }

  /** Whether the text starts with the ASCII string `s` at byte `at`. */
  startsWith(s: string, at = 0): boolean {
    if (at + s.length > this.len) return false;
    for (let j = 0; j < s.length; j++) if (this.bytes[at + j] !== s.charCodeAt(j)) return false;
    return true;
  }

  /** Same content as another column. */
  copyFrom(o: TextColumn): this {
    this.bytes.set(o.bytes.subarray(0, o.len));
    this.len = o.len;
    return this;
  }

  toString(): string {
    return decoder.decode(this.bytes.subarray(0, this.len));
  }

  /** Ends the text at `end`, or at COL_MAX without cutting a UTF-8 sequence in two. */
  private clamp(end: number): this {
    if (end > COL_MAX) {
      end = COL_MAX;
      while (end > 0 && (this.bytes[end]! & 0xc0) === 0x80) end--;
    }
    this.len = end;
    return this;
  }
}
