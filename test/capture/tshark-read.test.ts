// The readers against tshark on every capture we have: same records (count, times to the
// nanosecond, lengths, interface and section numbers, comments), and the same packets before a
// file's damage.
import { basename } from "node:path";
import { describe, it } from "vitest";
import { HAVE_TSHARK, ownCaptureFiles, sharedCaptureFiles, skipReason } from "../helpers.js";
import { ourRows, readAll, tsharkRows } from "./util.js";

// tshark opens this 16-byte stub as a MIME file (one "record" of raw bytes); arpx reports the
// truncated Section Header Block instead. Covered in errors.test.ts.
const NOT_COMPARABLE = new Set(["libpcap-pcapng-truncated-shb.pcapng"]);

const files = [...sharedCaptureFiles(), ...ownCaptureFiles()].filter((f) => !NOT_COMPARABLE.has(basename(f)));
const skip = skipReason(HAVE_TSHARK, "tshark is not installed: capture readers not compared with tshark");

describe.skipIf(skip || files.length === 0)("readers agree with tshark", () => {
  it.concurrent.for(files.map((f) => [basename(f), f] as const))("%s", async ([, file], { expect }) => {
    let ours;
    try {
      ours = await readAll(file);
    } catch (e) {
      // the file fails to open: tshark must fail too, printing nothing
      const t = await tsharkRows(file);
      expect(t.rows.filter((r) => r[3] !== "")).toEqual([]);
      expect(t.stderr).toMatch(/tshark: /);
      return;
    }
    const { reader, records, error } = ours;
    const t = await tsharkRows(file);
    // pcapng records without an interface are custom blocks tshark shows and arpx skips
    const rows = reader.format === "pcapng" ? t.rows.filter((r) => r[3] !== "") : t.rows;
    expect(ourRows(reader, records)).toEqual(rows);
    // both fail, or neither
    expect(error !== null).toBe(/appears to be damaged|cut short|doesn't support/.test(t.stderr));
  });
});
