// Opening a capture and walking its records, shared by the commands that read files. A damaged
// file ends the walk with one line on stderr (after every good packet was handled) and status 2.
import { openCapture, type CaptureReader } from "../capture/open.js";
import { CaptureFileError, type CaptureRecord } from "../capture/types.js";
import { errorLine } from "./out.js";

export async function openOrReport(path: string): Promise<CaptureReader | null> {
  try {
    return await openCapture(path);
  } catch (e) {
    if (e instanceof CaptureFileError || (e as NodeJS.ErrnoException).code) {
      errorLine((e as Error).message);
      return null;
    }
    throw e;
  }
}

/**
 * Calls `handle` for each record until the file ends or `handle` returns false.
 * Returns 0, or 2 after reporting a damaged file.
 */
export async function walk(reader: CaptureReader, handle: (r: CaptureRecord) => boolean | void, beforeError?: () => void): Promise<number> {
  try {
    for (;;) {
      let r: CaptureRecord | null;
      while ((r = reader.next()) !== null) if (handle(r) === false) return 0;
      if (!(await reader.fill())) return 0;
    }
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    beforeError?.();
    errorLine(e.message);
    return 2;
  }
}
