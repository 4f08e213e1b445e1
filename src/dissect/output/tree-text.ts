// `-V`: the detail tree as indented text, four spaces a level, as tshark prints it.
import { FT } from "../fields.js";
import { bitPattern, displayValue } from "../format.js";
import type { Node } from "../tree.js";

export function nodeText(n: Node): string {
  if (n.text !== null) return n.text;
  const f = n.f;
  if (f === null) return "";
  if (f.type === FT.PROTOCOL || f.type === FT.NONE) return f.name;
  const value = n.v === undefined ? "" : displayValue(f, n.v);
  const body = `${f.name}: ${value}`;
  const s = f.mask ? bitPattern(f, n.raw) + body : body;
  return f.generated ? `[${s}]` : s;
}

export function treeText(root: Node): string {
  let out = "";
  const walk = (n: Node, depth: number): void => {
    for (const k of n.kids ?? []) {
      if (k.f?.hidden) continue;
      out += "    ".repeat(depth) + nodeText(k) + "\n";
      if (k.kids && k.kids.length) walk(k, depth + 1);
    }
  };
  walk(root, 0);
  return out;
}
