// Option parsing shared by the subcommands.
import type { Command } from "commander";
import { setMacResolution } from "../dissect/mac-names.js";
import { UsageError } from "./out.js";

/** Commander accumulator for a repeatable option (`-e a -e b` -> ["a", "b"]). */
export const collect = (v: string, acc: string[]): string[] => [...acc, v];

/** tshark's name resolution letters; arpx does MAC names ('m') and accepts the others. */
const RESOLVE_LETTERS = "dgmnNstv";

/**
 * -n and -N as tshark takes them: MAC address names are resolved by default; -n turns name
 * resolution off; -N FLAGS turns on exactly the kinds it lists (and wins over -n).
 */
export function addNameOptions(cmd: Command): Command {
  return cmd
    .option("-n", "disable name resolution (MAC address names are resolved by default, as tshark does)")
    .option("-N, --name-resolution <flags>", "resolve only these kinds of names: m for MAC addresses (tshark's other letters are accepted, not resolved)")
    .hook("preAction", (_cmd, action) => applyNameOptions(action.opts()));
}

export function applyNameOptions(o: { n?: unknown; nameResolution?: unknown }): void {
  let mac = o.n !== true;
  if (typeof o.nameResolution === "string") {
    const flags = o.nameResolution;
    const bad = [...flags].find((c) => !RESOLVE_LETTERS.includes(c));
    if (bad !== undefined) throw new UsageError(`-N specifies unknown resolving option '${bad}' (valid: ${RESOLVE_LETTERS}; arpx resolves 'm')`);
    const ignored = [...new Set(flags)].filter((c) => c !== "m").join("");
    if (ignored) process.stderr.write(`arpx: -N ${ignored}: only MAC address names (m) are resolved\n`);
    mac = flags.includes("m");
  }
  setMacResolution(mac);
}
