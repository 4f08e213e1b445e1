// Captures for the `arpx check` tests, generated with `arpx gen` (deterministic: fixed seeds) into
// a temporary directory, with the host configurations the scenarios write beside them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runArpx } from "../helpers.js";

/** name -> arpx gen arguments (scenario, seed, parameters). */
export const GENERATED = {
  /** The faults scenario with no fault: passes every XARP rule. */
  clean: ["faults", "-s", "1"],
  unanswered: ["faults", "-s", "1", "-p", "unanswered=2"],
  collision: ["faults", "-s", "1", "-p", "collision=true"],
  dupAnnounce: ["faults", "-s", "1", "-p", "dup_announce=true"],
  dupResolved: ["faults", "-s", "1", "-p", "dup_announce=true", "-p", "resolve_dup=true"],
  globalMac: ["faults", "-s", "1", "-p", "global_mac=true"],
  flags: ["faults", "-s", "1", "-p", "reserved_flags=true"],
  probe: ["mac-probe", "-s", "2"],
  resolve: ["gateway-resolve", "-s", "1"],
  resolveLate: ["gateway-resolve", "-s", "1", "-p", "latency_us=5000"],
  traffic: ["traffic", "-s", "3", "-p", "duration=0.02"],
  slow: ["slow-app", "-s", "4", "-p", "packets=2000"],
} as const;

export type CaptureName = keyof typeof GENERATED;

export interface Generated {
  dir: string;
  cap(name: CaptureName): string;
  /** The host configuration `arpx gen --config-out` wrote for a scenario that has one. */
  config(name: "traffic" | "slow"): string;
  write(name: string, text: string): string;
  cleanup(): void;
}

export function generate(names: readonly CaptureName[] = Object.keys(GENERATED) as CaptureName[]): Generated {
  const dir = mkdtempSync(join(tmpdir(), "arpx-check-"));
  for (const n of names) {
    const args = [...GENERATED[n]];
    const out = ["gen", ...args, "-w", join(dir, `${n}.pcapng`)];
    if (n === "traffic" || n === "slow") out.push("--config-out", join(dir, `${n}.host.json`));
    const r = runArpx(out);
    if (r.status !== 0) throw new Error(`arpx ${out.join(" ")} failed (${r.status}): ${r.stderr}`);
  }
  return {
    dir,
    cap: (n) => join(dir, `${n}.pcapng`),
    config: (n) => join(dir, `${n}.host.json`),
    write(name, text) {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
}
