// Helpers shared by the capture tests: read a whole capture into copies, format times as tshark
// does, run tshark on a file.
import { openCapture } from "../../src/capture/open.js";
import { CaptureFileError, type CaptureReader, type CaptureRecord } from "../../src/capture/types.js";
import { execFile } from "node:child_process";

export interface ReadResult {
  reader: CaptureReader;
  records: CaptureRecord[];
  error: CaptureFileError | null;
}

/** Reads every record (copied), stopping at the first CaptureFileError, which is returned. */
export async function readAll(path: string, opts?: { displayName?: string }): Promise<ReadResult> {
  const reader = await openCapture(path, opts);
  const records: CaptureRecord[] = [];
  const error = await drain(reader, records);
  return { reader, records, error };
}

/** Reads a file that must fail (on open or later); returns the records before the failure and the error. */
export async function readExpectingError(path: string): Promise<{ records: CaptureRecord[]; error: CaptureFileError }> {
  const records: CaptureRecord[] = [];
  let error: CaptureFileError | null;
  try {
    error = await drain(await openCapture(path), records);
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    error = e;
  }
  if (error === null) throw new Error(`${path}: expected a CaptureFileError, read ${records.length} records without one`);
  return { records, error };
}

/** The consumer loop: copies records into `into`; returns the CaptureFileError that ended it, if any. */
async function drain(reader: CaptureReader, into: CaptureRecord[]): Promise<CaptureFileError | null> {
  try {
    for (;;) {
      let r;
      while ((r = reader.next()) !== null) into.push({ ...r, data: r.data.slice() });
      if (!(await reader.fill())) return null;
    }
  } catch (e) {
    if (e instanceof CaptureFileError) return e;
    throw e;
  } finally {
    await reader.close();
  }
}

/** frame.time_epoch as tshark 4.0 prints it (a negative fraction puts the sign in front). */
export function tsharkEpoch(r: CaptureRecord): string {
  if (r.noTimestamp) return "";
  if (r.tsNsec < 0) return `-${r.tsSec}.${String(-r.tsNsec).padStart(9, "0")}`;
  const neg = r.tsSec < 0;
  return `${neg ? "-" : ""}${Math.abs(r.tsSec)}.${String(r.tsNsec).padStart(9, "0")}`;
}

/** Exact time in ns (normalising out-of-range fractions), for comparisons across formats. */
export function totalNs(r: CaptureRecord): bigint {
  return BigInt(r.tsSec) * 1_000_000_000n + BigInt(r.tsNsec);
}

export const TSHARK_FIELDS = ["frame.time_epoch", "frame.len", "frame.cap_len", "frame.interface_id", "frame.section_number", "frame.comment"];

/** tshark's rows for `fields` (default above), and its error text if any. Async, so tests can run several. */
export function tsharkRows(path: string, fields = TSHARK_FIELDS): Promise<{ rows: string[][]; stderr: string }> {
  const args = ["-n", "-r", path, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,", ...fields.flatMap((f) => ["-e", f])];
  return new Promise((resolve) => {
    execFile("tshark", args, { maxBuffer: 1 << 30, env: { ...process.env, TZ: "UTC" } }, (_err, stdout, stderr) => {
      const rows = stdout.split("\n").filter((l) => l.length > 0).map((l) => l.split("\t"));
      resolve({ rows, stderr: stderr.replace(/^Running as user "root".*\n/m, "").trim() });
    });
  });
}

/** Our records as tshark's TSHARK_FIELDS rows. */
export function ourRows(reader: CaptureReader, records: CaptureRecord[]): string[][] {
  return records.map((r) => {
    const info = reader.interfaces[r.ifIndex];
    const comments = r.comment === undefined ? "" : [r.comment, ...(r.moreComments ?? [])].join(",");
    return reader.format === "pcapng"
      ? [tsharkEpoch(r), String(r.wireLen), String(r.data.length), String(info?.idInSection), String((info?.section ?? 0) + 1), comments]
      : [tsharkEpoch(r), String(r.wireLen), String(r.data.length), "", "", comments];
  });
}
