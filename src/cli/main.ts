// The arpx command line: one file per subcommand under commands/, loaded only when used so that
// reading a file never loads the libpcap binding.
import { PerformanceObserver } from "node:perf_hooks";
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { Command, CommanderError } from "commander";
import { errorLine, UsageError } from "./out.js";

export const VERSION = "0.1.0";

type Action = (args: string[]) => Promise<number>;

// Dissectors make dozens of small Tree calls per layer; V8's default inlining budget (920 bytes of
// bytecode per optimized function) runs out halfway through a TCP header, leaving real calls on
// the packet path. Commands that dissect every packet get a larger budget (summary output ~20%
// faster); for the others it only delays optimized code (replay ~10% slower from a cold start).
const DISSECTING = new Set(["read", "stats", "capture", "check"]);
const DISSECTOR_INLINING = "--max-inlined-bytecode-size-cumulative=4000";
// V8 doubles the young generation up to 2x16 MB semi-spaces when per-flow state survives scavenges;
// its maximum is fixed at heap setup, but the growth factor is read at each growth, so stop at 8 MB
// semi-spaces (3M/6M distinct-flow packets: peak RSS 139-151 -> ~120 MB; bench, -V, stats as fast).
const YOUNG_CAP = 16 << 20; // new_space committed bytes: two 8 MB semi-spaces

function capYoungGeneration(): void {
  const gc = new PerformanceObserver(() => {
    const young = getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
    if (young && young.space_size >= YOUNG_CAP) {
      setFlagsFromString("--semi-space-growth-factor=1");
      gc.disconnect();
    }
  });
  gc.observe({ entryTypes: ["gc"] });
}

const commands: { name: string; summary: string; load: () => Promise<{ default: (program: Command, done: (code: number) => void) => void }> }[] = [
  { name: "read", summary: "read a capture file and print its packets (like tshark -r)", load: () => import("./commands/read.js") },
  { name: "stats", summary: "protocol hierarchy, conversations, endpoints and I/O statistics (like tshark -z)", load: () => import("./commands/stats.js") },
  { name: "fields", summary: "list every field arpx can decode, filter on and export (like tshark -G fields)", load: () => import("./commands/fields.js") },
  { name: "gen", summary: "generate deterministic extended-ARP scenario captures (gateway resolution, MAC probing, traffic, overflow...)", load: () => import("./commands/gen.js") },
  { name: "replay", summary: "push a capture through the multi-MAC NIC model: per-app ring occupancy, overflow, sizing, copy-vs-map costs", load: () => import("./commands/replay.js") },
  { name: "calibrate", summary: "measure memcpy, page-fault and munmap costs on this machine into a profile for replay --profile", load: () => import("./commands/calibrate.js") },
  { name: "capture", summary: "capture live from an interface through libpcap: print, save (ring buffer), model rings live (like tshark -i)", load: () => import("./commands/capture.js") },
  { name: "interfaces", summary: "list the interfaces arpx capture can open (like tshark -D)", load: () => import("./commands/interfaces.js") },
  { name: "check", summary: "judge captures against a policy of rules (overflow, occupancy, drops, resolution, collisions, XARP spec, filters) for CI gates", load: () => import("./commands/check.js") },
  { name: "wireshark-plugin", summary: "print a Wireshark Lua dissector for extended ARP with the same xarp.* fields as arpx", load: () => import("./commands/wireshark-plugin.js") },
  { name: "agent", summary: "run the extended-ARP host control plane on an interface: application MACs probed, announced, defended, released", load: () => import("./commands/agent.js") },
  { name: "resolve", summary: "resolve IP:PORT/PROTO to an application MAC with extended-ARP requests (the gateway side)", load: () => import("./commands/resolve.js") },
];

export async function run(argv: string[]): Promise<number> {
  let exit = 0;
  const program = new Command("arpx")
    .description("Packet dissector and multi-MAC NIC / extended-ARP analyzer")
    .version(VERSION, "-v, --version")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError(false);
  const wanted = argv.find((a) => !a.startsWith("-"));
  for (const c of commands) {
    if (c.name === wanted) {
      if (DISSECTING.has(c.name)) {
        setFlagsFromString(DISSECTOR_INLINING);
        capYoungGeneration();
      }
      const mod = await c.load();
      mod.default(program, (code) => (exit = code));
    } else {
      program.command(c.name).description(c.summary).allowUnknownOption().helpOption(false).action(() => {});
    }
  }
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError) {
      errorLine(e.message);
      return e.exitCode;
    }
    errorLine(`internal error: ${(e as Error)?.stack ?? String(e)}`);
    return 3;
  }
  return exit;
}

export type { Action };
