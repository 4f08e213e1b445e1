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
 * The object tshark's -T json writes for a node's children, with the items of one key grouped
 * where the key first appears (--no-duplicate-keys): a field as "abbrev": "value" and, when any of
 * its items has children, "abbrev_tree" right after it, holding each item's children ("" for an
 * item without). A protocol, an FT_NONE or a text item has no value: it is written as its children
 * (a protocol without children as its label, the others as ""). A text item is keyed by its label,
 * without the brackets of a generated item.
 */
function children(n: Node): Record<string, J> {
  // (No prototype: a key is any text, "__proto__" included.)
  const o = Object.create(null) as Record<string, J>;
  const kids = n.kids;
  if (kids === null || kids.length === 0) return o;
  const groups = new Map<string, Node[]>();
  for (const k of kids) {
    const key = jsonKey(k);
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [k]);
    else g.push(k);
  }
  for (const [key, g] of groups) {
    const first = g[0]!;
    const f = first.f;
    // A protocol item a dissector adds inside its own (IPv4's options) has its bytes as value;
    // a protocol's own item has none.
    const hasValue = f !== null && f.proto !== null && f.type !== FT.NONE && (f.type !== FT.PROTOCOL || (first.v instanceof Uint8Array && first.v.length > 0));
    const hasKids = g.some((k) => k.kids !== null && k.kids.length > 0);
    if (hasValue) put(o, key, list(g, (k) => (k.v === undefined ? "" : jsonValue(f, k.v))));
    if (hasKids) put(o, hasValue ? key + "_tree" : key, list(g, (k) => (k.kids !== null && k.kids.length > 0 ? children(k) : noValue(k))));
    else if (!hasValue) put(o, key, list(g, noValue));
  }
  return o;
}

/** One item's JSON, or an array of them for several items of one key. */
function list(g: Node[], one: (k: Node) => J): J {
  return g.length === 1 ? one(g[0]!) : g.map(one);
}

/** What an item without a value or children writes: a protocol its label, anything else "". */
function noValue(k: Node): J {
  const f = k.f;
  return f !== null && (f.proto === null || f.type === FT.PROTOCOL) ? nodeText(k) : "";
}

function jsonKey(k: Node): string {
  if (k.f !== null) return k.f.abbrev;
  const text = nodeText(k);
  return k.generated !== false && isBracketed(text) ? text.slice(1, -1) : text;
}

function isBracketed(s: string): boolean {
  return s.length >= 2 && s.startsWith("[") && s.endsWith("]");
}

/** As -T fields prints a value, but bytes as colon-separated hex and strings unescaped. */
function jsonValue(f: Field, v: Val): string {
  if ((f.type === FT.BYTES || f.type === FT.PROTOCOL) && v instanceof Uint8Array) return bytesToHex(v, ":");
  if (f.type === FT.STRING && typeof v === "string") return v;
  return fieldValueText(f, v);
}

export function packetJson(root: Node, num: number, tsSec: number): string {
  const d = new Date(tsSec * 1000);
  const day = Number.isNaN(d.getTime()) ? "unknown" : d.toISOString().slice(0, 10);
  const doc = { _index: `packets-${day}`, _type: "doc", _score: null, _source: { layers: children(root) } };
  void num;
  return JSON.stringify(doc, null, 2);
}
