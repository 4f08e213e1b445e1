// Wireshark display filters (the `-Y` language), compiled once into a closure per filter.
//
//   const f = compileFilter("ip.addr == 10.0.0.0/8 && tcp.port in {80, 443}");
//   const engine = new Engine({ mode: TreeMode.FIELDS, fields: f.fields });
//   ... engine.dissect(frame); if (f.test(engine.tree)) show(frame);
//
// Semantics follow Wireshark 4.0 (checked against tshark 4.0.17): a comparison holds if any
// occurrence of the field matches ("!=" holds if none is equal), every field named in a comparison
// must be present, literals are parsed against the type of the field they meet, and a bad filter
// is a FilterError pointing at the offending token.
import type { Field } from "../fields.js";
import type { Tree } from "../tree.js";
import { compile } from "./compile.js";
// Field names resolve against the registry: make sure every protocol has registered first.
import "../protocols/index.js";

export { FilterError } from "./errors.js";

export interface CompiledFilter {
  /** Every field the filter reads: record these (Tree FIELDS mode) before calling test(). */
  readonly fields: readonly Field[];
  /** Does the packet whose values are in `t` pass the filter? */
  test(t: Tree): boolean;
  /** The filter as given. */
  readonly text: string;
}

/** Compiles a display filter; throws FilterError (with .caretMessage()) when it is not valid. */
export function compileFilter(text: string): CompiledFilter {
  const c = compile(text);
  return { fields: c.fields, test: c.test, text };
}
