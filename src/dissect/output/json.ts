// `-T json`: tshark's layout ({"_source": {"layers": {proto: {field: "value", field_tree: {...}}}}}),
// with repeated keys merged into arrays so the output is valid JSON for any parser.
import { fieldValueText } from "../format.js";
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

function children(n: Node): Record<string, J> {
  const o: Record<string, J> = {};
  for (const k of n.kids ?? []) {
    const f = k.f;
    if (f === null) {
      put(o, nodeText(k), k.kids && k.kids.length ? children(k) : "");
      continue;
    }
    const isProto = f.proto === null;
    if (isProto) {
      put(o, f.abbrev, children(k));
      continue;
    }
    put(o, f.abbrev, k.v === undefined ? "" : fieldValueText(f, k.v));
    if (k.kids && k.kids.length) put(o, f.abbrev + "_tree", children(k));
  }
  return o;
}

export function packetJson(root: Node, num: number, tsSec: number): string {
  const d = new Date(tsSec * 1000);
  const day = Number.isNaN(d.getTime()) ? "unknown" : d.toISOString().slice(0, 10);
  const doc = { _index: `packets-${day}`, _type: "doc", _score: null, _source: { layers: children(root) } };
  void num;
  return JSON.stringify(doc, null, 2);
}
