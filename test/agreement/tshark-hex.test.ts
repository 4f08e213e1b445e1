// arpx -x and tshark -x print the same bytes on every capture in ../shared/captures/public and
// captures/: the frame, and for a packet with reassembled bytes each data source under its name
// ("Frame (94 bytes):", "Reassembled TCP (142 bytes):"). Also -V -x on captures with reassembly.
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { HAVE_SHARED, HAVE_TSHARK, OWN_CAPTURES, ownCaptureFiles, runArpx, runTshark, sharedCaptureFiles, skipReason } from "../helpers.js";

/** Captures whose -x output differs, and why. */
const HEX_EXCEPTIONS: Record<string, string> = {
  "pcapngtg-be-basic-test017.pcapng": "tshark shows pcapng custom blocks as packets",
  "pcapngtg-le-basic-test017.pcapng": "tshark shows pcapng custom blocks as packets",
  "libpcap-pcapng-truncated-shb.pcapng": "tshark reads the damaged file as a MIME file; arpx reports the truncated section header",
};

const files = [...sharedCaptureFiles(), ...ownCaptureFiles()];
const skip = skipReason(HAVE_TSHARK, "tshark is not installed: -x not compared with tshark");
if (!HAVE_SHARED) console.warn("SKIPPED: ../shared/captures/public absent: only the project's own captures' -x output is compared with tshark");

describe.skipIf(skip)("-x agrees with tshark", () => {
  it.each(files.map((f) => [basename(f), f]))("%s", (name, file) => {
    const ax = runArpx(["read", "-n", "-r", file, "-x"]).stdout;
    const ts = runTshark(["-n", "-r", file, "-x"]).stdout;
    const why = HEX_EXCEPTIONS[name];
    if (why === undefined) expect(ax).toBe(ts);
    else expect(ax, `listed as differing (${why}) but equal: remove it from HEX_EXCEPTIONS`).not.toBe(ts);
  });

  it("-V -x: the tree, then every data source's bytes (TCP and IPv4/IPv6 reassembly)", () => {
    for (const file of [join(OWN_CAPTURES, "lan-basics.pcapng"), join(OWN_CAPTURES, "ip-fragments.pcapng")]) {
      const ax = runArpx(["read", "-n", "-r", file, "-V", "-x"]).stdout;
      expect(ax).toBe(runTshark(["-n", "-r", file, "-V", "-x"]).stdout);
      expect(ax).toMatch(/^Reassembled (TCP|IPv4|IPv6) \(\d+ bytes\):$/m);
    }
  });
});
