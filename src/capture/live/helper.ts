// The arpx-pcap helper (native/arpx-pcap.c): a small libpcap program compiled with the system C
// compiler on first use, cached in $ARPX_CACHE_DIR, else $XDG_CACHE_HOME/arpx, else ~/.cache/arpx,
// under a name that hashes its source, the compiler's version and the libpcap headers (an edit or
// an upgrade rebuilds it). $ARPX_PCAP_HELPER names a prebuilt binary instead, e.g. one given file
// capabilities with `setcap cap_net_raw,cap_net_admin+eip` so that unprivileged users can capture.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const HELPER_SOURCE = fileURLToPath(new URL("../../../src/capture/live/native/arpx-pcap.c", import.meta.url));

/** Why the helper is not available: no compiler, no libpcap headers, or something else. */
export interface HelperUnavailable {
  kind: "no-compiler" | "no-libpcap" | "build-failed";
  message: string;
}

export function cacheDir(): string {
  if (process.env.ARPX_CACHE_DIR) return process.env.ARPX_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "arpx");
}

function findCompiler(): string | null {
  for (const c of [process.env.CC, "cc", "gcc", "clang"]) {
    if (!c) continue;
    const r = spawnSync(c, ["--version"], { encoding: "utf8" });
    if (r.status === 0) return c;
  }
  return null;
}

let cached: { path: string } | HelperUnavailable | undefined;

/** The helper's path, building it when needed (once per process). */
export function helperBinary(): { path: string } | HelperUnavailable {
  cached ??= locate();
  return cached;
}

function locate(): { path: string } | HelperUnavailable {
  const env = process.env.ARPX_PCAP_HELPER;
  if (env) {
    if (existsSync(env)) return { path: env };
    return { kind: "build-failed", message: `ARPX_PCAP_HELPER names ${env}, which does not exist` };
  }
  if (!existsSync(HELPER_SOURCE)) return { kind: "build-failed", message: `the helper source ${HELPER_SOURCE} is missing` };
  const cc = findCompiler();
  if (cc === null) return { kind: "no-compiler", message: "no C compiler to build the libpcap helper (tried $CC, cc, gcc, clang)" };
  const src = readFileSync(HELPER_SOURCE);
  const ver = spawnSync(cc, ["--version"], { encoding: "utf8" }).stdout ?? "";
  const h = createHash("sha256").update(src).update(ver).update(process.arch);
  for (const hdr of ["/usr/include/pcap/pcap.h", "/usr/local/include/pcap/pcap.h"]) {
    try {
      h.update(readFileSync(hdr));
    } catch {
      // not there: the compiler will say whether it finds pcap.h elsewhere
    }
  }
  const dir = cacheDir();
  const bin = join(dir, `arpx-pcap-${h.digest("hex").slice(0, 16)}`);
  if (existsSync(bin)) return { path: bin };
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    return { kind: "build-failed", message: `cannot create the cache directory ${dir}: ${(e as Error).message}` };
  }
  const tmp = `${bin}.${process.pid}.tmp`;
  const r = spawnSync(cc, ["-O2", "-o", tmp, HELPER_SOURCE, "-lpcap"], { encoding: "utf8" });
  if (r.status !== 0) {
    rmSync(tmp, { force: true });
    const err = (r.stderr || r.error?.message || "").trim();
    if (/pcap\.h|-lpcap|cannot find -lpcap/.test(err)) {
      return { kind: "no-libpcap", message: "libpcap's development files are missing (pcap.h / libpcap.so): apt-get install libpcap-dev" };
    }
    return { kind: "build-failed", message: `compiling ${HELPER_SOURCE} with ${cc} failed: ${err.split("\n")[0] ?? ""}` };
  }
  renameSync(tmp, bin);
  return { path: bin };
}

/** Exit statuses of the helper (see arpx-pcap.c). */
export const HelperExit = {
  PERMISSION: 10,
  NO_DEVICE: 11,
  FILTER: 12,
  DOWN: 13,
  PCAP: 14,
  USAGE: 15,
  OUTPUT: 16,
} as const;
