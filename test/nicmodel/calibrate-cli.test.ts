// arpx calibrate: builds the native helper with the system compiler and writes a profile that
// replay accepts.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { ARPX, OWN_CAPTURES, skipReason } from "../helpers.js";

const dir = mkdtempSync(join(tmpdir(), "arpx-calib-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HAVE_CC = spawnSync("sh", ["-c", "command -v cc || command -v gcc || command -v clang"]).status === 0;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [ARPX, ...args], { encoding: "utf8", env: { ...process.env, ARPX_CACHE_DIR: join(dir, "cache") } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("arpx calibrate", () => {
  it.skipIf(skipReason(HAVE_CC, "no C compiler: the native calibration helper cannot be built"))("measures with the native helper and saves a profile replay uses", () => {
    const out = join(dir, "p.json");
    const r = run(["calibrate", "--quick", "-o", out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/munmap one page/);
    const p = JSON.parse(readFileSync(out, "utf8"));
    expect(p.arpxCalibration).toBe(1);
    expect(p.native.pageFaultAnonNs).toBeGreaterThan(0);
    expect(Object.keys(p.native.munmapNs)).toContain("0");
    expect(p.cost.mapLocalNs).toBeGreaterThan(0);
    const rep = run(["replay", join(OWN_CAPTURES, "lan-basics.pcapng"), "--profile", out, "--json"]);
    expect(rep.status).toBe(0);
    const j = JSON.parse(rep.stdout);
    expect(j.cost.profile).toBe(out);
    expect(j.cost.params.mapLocalNs).toBe(p.cost.mapLocalNs);
  });

  it("without the native helper, measures memcpy from JavaScript", () => {
    const out = join(dir, "js.json");
    const r = run(["calibrate", "--quick", "--no-native", "-o", out]);
    expect(r.status).toBe(0);
    const p = JSON.parse(readFileSync(out, "utf8"));
    expect(p.native).toBeNull();
    expect(p.memcpy.length).toBeGreaterThan(5);
  });

  it("replay rejects a file that is not a profile", () => {
    const r = run(["replay", join(OWN_CAPTURES, "lan-basics.pcapng"), "--profile", join(OWN_CAPTURES, "README.md")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/calibration profile/);
  });
});
