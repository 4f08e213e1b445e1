// `-V`: the detail tree as indented text, four spaces a level, as tshark prints it.
import { FT } from "../fields.js";
import { bitPattern, displayValue } from "../format.js";
import { macLabel } from "../mac-names.js";
import { hf as dataHf } from "../protocols/data.js";
import { hexDump } from "./hexdump.js";
import type { Node } from "../tree.js";

/** Wireshark's labels hold ITEM_LABEL_LENGTH (240) bytes of UTF-8 with the terminating NUL. */
const LABEL_MAX = 239;
const dataProto = dataHf.proto;

export function nodeText(n: Node): string {
  if (n.text !== null) return n.text;
  const f = n.f;
  if (f === null) return "";
  if (f.type === FT.PROTOCOL || f.type === FT.NONE) return f.name;
  const value = n.v === undefined ? "" : f.type === FT.ETHER ? macLabel(n.v as number) : displayValue(f, n.v);
  const head = f.mask ? bitPattern(f, n.raw) + f.name : f.name;
  let s = `${head}: ${value}`;
  // A label of more than 239 bytes says so after the name and is cut to 238 bytes, at the start
  // of a character. (A UTF-16 unit is at most 3 bytes: a short label needs no count.)
  if (s.length * 3 > LABEL_MAX && Buffer.byteLength(s) > LABEL_MAX) s = cutUtf8(`${head} [truncated]: ${value}`, LABEL_MAX - 1);
  return f.generated ? `[${s}]` : s;
}

/** The longest start of `s` that is at most `max` bytes of UTF-8, cut between characters. */
export function cutUtf8(s: string, max: number): string {
  let bytes = 0;
  let i = 0;
  while (i < s.length) {
    const c = s.codePointAt(i)!;
    const n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (bytes + n > max) break;
    bytes += n;
    i += c >= 0x10000 ? 2 : 1;
  }
  return s.slice(0, i);
}

/**
 * The tree as `-V` prints it. `dataHex`: as tshark -V without -x, the bytes of each "Data" item
 * are dumped in hex right after its line. `only` (tshark -O): the protocols shown in detail; any
 * other top-level item shows its own line only.
 */
export function treeText(root: Node, dataHex = false, only?: ReadonlySet<string>): string {
  let out = "";
  const walk = (n: Node, depth: number): void => {
    for (const k of n.kids ?? []) {
      if (k.f?.hidden || k.hidden) continue;
      out += "    ".repeat(depth) + nodeText(k) + "\n";
      if (depth === 0 && only !== undefined && !(k.f !== null && only.has(k.f.abbrev))) continue;
      if (dataHex && k.f === dataProto && k.v instanceof Uint8Array) out += "\n" + hexDump(k.v);
      if (k.kids && k.kids.length) walk(k, depth + 1);
    }
  };
  walk(root, 0);
  return out;
}
