// arpx -T json and tshark -T json --no-duplicate-keys (tshark's layout with repeated keys merged
// into arrays, which is how arpx always writes them) give the same layers, key for key and value
// for value, on every capture in ../shared/captures/public and captures/. A capture that differs
// must be listed below with the reason; one listed that no longer differs fails too.
import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { HAVE_SHARED, HAVE_TSHARK, ownCaptureFiles, runArpx, runTshark, sharedCaptureFiles, skipReason } from "../helpers.js";
import { TREE_EXCEPTIONS } from "./tree-exceptions.js";

/** Captures whose JSON differs for a reason of its own (the tree's reasons apply too, below). */
const JSON_ONLY_EXCEPTIONS: Record<string, string> = {
  "zeek-chksums-localhost-bad-chksum.pcap": "an HTTP header arpx has no field for: tshark's key is the raw line, arpx's the escaped label",
  "zeek-tcp-missing-syn.pcap": "HTTP headers arpx has no field for: tshark's key is the raw line, arpx's the escaped label",
  "zeek-tcp-tcp-fast-open.pcap": "an HTTP header arpx has no field for: tshark's key is the raw line, arpx's the escaped label",
  "tcpdump-timestamp_invalid_nano.pcap": "invalid timestamp fractions: tshark's expert infos and wrapped arithmetic",
};

const files = [...sharedCaptureFiles(), ...ownCaptureFiles()];
const skip = skipReason(HAVE_TSHARK, "tshark is not installed: -T json not compared with tshark");
if (!HAVE_SHARED) console.warn("SKIPPED: ../shared/captures/public absent: only the project's own captures' JSON is compared with tshark");

/** The packets' layers, or [] where a tool wrote nothing (a file rejected before its first packet). */
function layers(stdout: string): unknown[] {
  if (stdout.trim() === "") return [];
  return (JSON.parse(stdout) as { _source: { layers: unknown } }[]).map((p) => p._source.layers);
}

describe.skipIf(skip)("-T json agrees with tshark", () => {
  it.each(files.map((f) => [basename(f), f]))("%s", (name, file) => {
    const ax = layers(runArpx(["read", "-n", "-r", file, "-T", "json"]).stdout);
    const ts = layers(runTshark(["-n", "-r", file, "-T", "json", "--no-duplicate-keys"]).stdout);
    const why = JSON_ONLY_EXCEPTIONS[name] ?? TREE_EXCEPTIONS[name];
    if (why === undefined) expect(ax).toEqual(ts);
    else expect(ax, `listed as differing (${why}) but equal: remove it from the exceptions`).not.toEqual(ts);
  });
});
