// Shared test helpers: where captures are, whether the reference tools exist, running the CLI.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const SHARED_CAPTURES = resolve(ROOT, "../shared/captures/public");
export const OWN_CAPTURES = join(ROOT, "captures");
export const ARPX = join(ROOT, "bin/arpx");

function has(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

export const HAVE_TSHARK = has("tshark");
export const HAVE_TCPDUMP = has("tcpdump");
export const HAVE_SHARED = existsSync(SHARED_CAPTURES);
export const IS_ROOT = process.getuid?.() === 0;

/** Says once, visibly, why a group of tests is skipped. */
export function skipReason(cond: boolean, reason: string): boolean {
  if (!cond) console.warn(`SKIPPED: ${reason}`);
  return !cond;
}

const CAPTURE_RE = /\.(pcap|pcapng|cap)(\.gz)?$/;

export function sharedCaptureFiles(): string[] {
  if (!HAVE_SHARED) return [];
  return readdirSync(SHARED_CAPTURES).filter((f) => CAPTURE_RE.test(f)).sort().map((f) => join(SHARED_CAPTURES, f));
}

export function ownCaptureFiles(): string[] {
  if (!existsSync(OWN_CAPTURES)) return [];
  return readdirSync(OWN_CAPTURES).filter((f) => CAPTURE_RE.test(f)).sort().map((f) => join(OWN_CAPTURES, f));
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function runArpx(args: string[], input?: Buffer): RunResult {
  const r = spawnSync(process.execPath, [ARPX, ...args], { input, maxBuffer: 1 << 30, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", TZ: "UTC" } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function runTshark(args: string[]): RunResult {
  const r = spawnSync("tshark", args, { maxBuffer: 1 << 30, encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr.replace(/^Running as user "root".*\n/m, "") };
}

export function tsharkVersion(): string {
  return HAVE_TSHARK ? execFileSync("tshark", ["--version"], { encoding: "utf8" }).split("\n")[0]! : "none";
}
