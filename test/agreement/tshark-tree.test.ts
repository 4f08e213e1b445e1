// arpx -V and tshark -V print the same detail tree, line for line (with -n, and with MAC names
// resolved as both do by default), on every capture in ../shared/captures/public and captures/:
// expert info sub-lines and the hex dumps of data items included. A capture that differs must be
// listed below with the reason; one listed that no longer differs fails too.
import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { HAVE_SHARED, HAVE_TSHARK, ownCaptureFiles, runArpx, runTshark, sharedCaptureFiles, skipReason } from "../helpers.js";
import { comparableTree } from "../dissect/protocols/tshark-compare.js";
import { TREE_EXCEPTIONS } from "./tree-exceptions.js";

const files = [...sharedCaptureFiles(), ...ownCaptureFiles()];
const skip = skipReason(HAVE_TSHARK, "tshark is not installed: detail trees not compared with tshark");
if (!HAVE_SHARED) console.warn("SKIPPED: ../shared/captures/public absent: only the project's own captures' trees are compared with tshark");

describe.skipIf(skip)("detail trees agree with tshark -V", () => {
  it.each(files.map((f) => [basename(f), f]))("%s", (name, file) => {
    const ax = comparableTree(runArpx(["read", "-n", "-r", file, "-V"]).stdout);
    const ts = comparableTree(runTshark(["-n", "-r", file, "-V"]).stdout);
    const why = TREE_EXCEPTIONS[name];
    if (why !== undefined) {
      expect(ax, `listed as differing (${why}) but equal: remove it from TREE_EXCEPTIONS`).not.toEqual(ts);
      return;
    }
    expect(ax).toEqual(ts);
    // And with MAC names resolved, as both tools do by default.
    expect(comparableTree(runArpx(["read", "-r", file, "-V"]).stdout)).toEqual(comparableTree(runTshark(["-r", file, "-V"]).stdout));
  });
});

describe.skipIf(skip)("-O shows only the listed protocols in detail, as tshark", () => {
  const picks = files.filter((f) => /lan-basics|zeek-dns-mdns|zeek-tcp-retransmit-fast009|zeek-raw_packets/.test(f));
  it.each(picks.map((f) => [basename(f), f]))("%s", (_name, file) => {
    for (const list of ["ip,arp", "tcp", "eth,data", "udp,dns,icmpv6", "nosuchprotocol"]) {
      const ax = runArpx(["read", "-n", "-r", file, "-O", list]);
      expect(ax.status).toBe(0);
      expect(ax.stdout, `-O ${list}`).toBe(runTshark(["-n", "-r", file, "-O", list]).stdout);
    }
  });
});
