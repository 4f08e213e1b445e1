// V8 gives an object field the representation of the first value stored in it. A field that starts
// as a small integer (0) and later holds a time in ns past 2^31, a byte count past 2^31 or a
// fraction is generalised to a double in the middle of a run, and every piece of optimised code
// that relied on it is thrown away ("deoptimised") at once, in the hot loop; values computed from
// such fields deoptimise the same way when they outgrow small integers. The model's time and byte
// fields are made double fields when their objects are built instead: values are unchanged.

/** Makes each named numeric field of `o` a double field, keeping its value. */
export function doubleFields(o: object, keys: readonly string[]): void {
  const r = o as Record<string, number>;
  for (const k of keys) {
    const v = r[k]!;
    r[k] = 0.5; // not a small integer: the field becomes a double field
    r[k] = v;
  }
}
