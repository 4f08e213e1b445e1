// `-T json`: tshark's layout ({"_source": {"layers": {proto: {field: "value", field_tree: {...}}}}}),
// with repeated keys merged into arrays so the output is valid JSON for any parser.
import { FT, type Field } from "../fields.js";
import { bytesToHex, fieldValueText, type Val } from "../format.js";
import type { Node } from "../tree.js";
import { nodeText } from "./tree-text.js";

type J = string | J[] | { [k: string]: J };

function put(obj: Record<string, J>, key: string, v: J): void {
  const cur = obj[key];
  if (cur === undefined) obj[key] = v;
  else if (Array.isArray(cur) && (cur as J[] & { merged?: boolean }).merged) (cur as J[]).push(v);
  else {
    const arr = [cur, v] as J[] & { merged?: boolean };
    arr.merged = true;
    obj[key] = arr;
  }
}

/**
 * The object tshark's -T json writes for a node's children: a field as "abbrev": "value" with its
 * children under "abbrev_tree"; a protocol or an FT_NONE item with children as "abbrev": {...};
 * a text-only item under its label, without the brackets of a generated item.
 */
function children(n: Node): Record<string, J> {
  const o: Record<string, J> = {};
  for (const k of n.kids ?? []) {
    const f = k.f;
    const hasKids = k.kids !== null && k.kids.length > 0;
    if (f === null) {
      put(o, unbracket(nodeText(k)), hasKids ? children(k) : "");
      continue;
    }
    if (f.proto === null || f.type === FT.PROTOCOL) {
      if (!hasKids) put(o, f.abbrev, nodeText(k));
      else put(o, f.abbrev, children(k));
      continue;
    }
    if (f.type === FT.NONE && hasKids) {
      put(o, f.abbrev, children(k));
      continue;
    }
    put(o, f.abbrev, k.v === undefined ? "" : jsonValue(f, k.v));
    if (hasKids) put(o, f.abbrev + "_tree", children(k));
  }
  return o;
}

/** As -T fields prints a value, but bytes as colon-separated hex and strings unescaped. */
function jsonValue(f: Field, v: Val): string {
  if (f.type === FT.BYTES && v instanceof Uint8Array) return bytesToHex(v, ":");
  if (f.type === FT.STRING && typeof v === "string") return v;
  return fieldValueText(f, v);
}

function unbracket(s: string): string {
  return s.length >= 2 && s.startsWith("[") && s.endsWith("]") ? s.slice(1, -1) : s;
}

export function packetJson(root: Node, num: number, tsSec: number): string {
  const d = new Date(tsSec * 1000);
  const day = Number.isNaN(d.getTime()) ? "unknown" : d.toISOString().slice(0, 10);
  const doc = { _index: `packets-${day}`, _type: "doc", _score: null, _source: { layers: children(root) } };
  void num;
  return JSON.stringify(doc, null, 2);
}
