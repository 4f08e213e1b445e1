// Absolute times are printed in the local zone with the C library's zone abbreviation, as tshark
// does. The abbreviation comes from the zone's TZif file; the digits from JavaScript's Date.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parsePosixRule, parseTzif, zoneNameAt } from "../../src/dissect/timezone.js";
import { ARPX, HAVE_TSHARK, OWN_CAPTURES, skipReason } from "../helpers.js";

const ZONEINFO = "/usr/share/zoneinfo";
const haveZones = existsSync(join(ZONEINFO, "Europe/Berlin"));

describe("POSIX TZ rules", () => {
  it("reads names and standard offsets (east of UTC, the opposite of POSIX's sign)", () => {
    expect(parsePosixRule("CET-1CEST,M3.5.0,M10.5.0/3")).toEqual({ std: "CET", stdOff: 3600, dst: "CEST" });
    expect(parsePosixRule("EST5EDT,M3.2.0,M11.1.0")).toEqual({ std: "EST", stdOff: -18000, dst: "EDT" });
    expect(parsePosixRule("IST-5:30")).toEqual({ std: "IST", stdOff: 19800, dst: null });
    expect(parsePosixRule("<-03>3")).toEqual({ std: "-03", stdOff: -10800, dst: null });
    expect(parsePosixRule("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0")).toEqual({ std: "+1030", stdOff: 37800, dst: "+11" });
    expect(parsePosixRule("UTC0")).toEqual({ std: "UTC", stdOff: 0, dst: null });
    expect(parsePosixRule("")).toBeNull();
    expect(parsePosixRule("<unterminated")).toBeNull();
  });
});

describe.skipIf(skipReason(haveZones, `no zone files in ${ZONEINFO}: TZif parsing not checked`))("TZif zones", () => {
  const zone = (name: string) => parseTzif(readFileSync(join(ZONEINFO, name)))!;
  it("names winter and summer time from the transitions and from the footer rule", () => {
    const berlin = zone("Europe/Berlin");
    expect(zoneNameAt(berlin, Date.UTC(1990, 0, 15) / 1000, 3600)).toBe("CET");
    expect(zoneNameAt(berlin, Date.UTC(1990, 6, 15) / 1000, 7200)).toBe("CEST");
    // Far past the last listed transition: the POSIX footer decides.
    expect(zoneNameAt(berlin, Date.UTC(2090, 0, 15) / 1000, 3600)).toBe("CET");
    expect(zoneNameAt(berlin, Date.UTC(2090, 6, 15) / 1000, 7200)).toBe("CEST");
    expect(zoneNameAt(zone("Asia/Kolkata"), 1.7e9, 19800)).toBe("IST");
  });
  it("rejects what is not a TZif file", () => {
    expect(parseTzif(new TextEncoder().encode("not a zone file at all, just some text here........"))).toBeNull();
    expect(parseTzif(readFileSync(join(ZONEINFO, "Europe/Berlin")).subarray(0, 60))).toBeNull();
  });
});

describe.skipIf(skipReason(HAVE_TSHARK, "tshark is not installed: local-time frame.time not compared"))("frame.time agrees with tshark in any zone", () => {
  const file = join(OWN_CAPTURES, "lan-basics.pcapng");
  const run = (cmd: string, args: string[], tz: string | undefined) => {
    const env = { ...process.env, NO_COLOR: "1" } as NodeJS.ProcessEnv;
    if (tz === undefined) delete env.TZ;
    else env.TZ = tz;
    return spawnSync(cmd, args, { encoding: "utf8", env }).stdout;
  };
  const zones = haveZones ? ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "America/Sao_Paulo", "EST5EDT", "", undefined] : ["UTC", "", undefined];
  it.each(zones.map((z) => [String(z), z]))("TZ=%s", (_label, tz) => {
    const ts = run("tshark", ["-n", "-r", file, "-T", "fields", "-e", "frame.time"], tz);
    const ax = run(process.execPath, [ARPX, "read", "-r", file, "-T", "fields", "-e", "frame.time"], tz);
    expect(ax.split("\n").length).toBeGreaterThan(40);
    expect(ax).toBe(ts);
  });
});
