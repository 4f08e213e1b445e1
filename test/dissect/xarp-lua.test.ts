// `arpx wireshark-plugin`: the Lua dissector it prints must make tshark show the same xarp.* field
// values, Info column and expert fields as arpx, on the project's XARP captures, on a scenario
// generated here with `arpx gen`, and on a capture of spec-violating and truncated messages; and
// it must hand plain ARP back to Wireshark's own dissector unchanged.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build, ipv4, mac } from "../../src/dissect/build.js";
import { allFields } from "../../src/dissect/fields.js";
import { arpLayer } from "../../src/dissect/protocols/arp.js";
import { ethLayer } from "../../src/dissect/protocols/eth.js";
import { hf as xarpHf } from "../../src/dissect/protocols/xarp.js";
import { FLAG_CANONICAL, xarpLayer, XarpOp, type XarpMessage } from "../../src/dissect/protocols/xarp-wire.js";
import { createWriter } from "../../src/capture/write.js";
import { HAVE_TSHARK, ownCaptureFiles, runArpx, skipReason } from "../helpers.js";

// Every xarp.* field and expert of arpx's registry, minus the protocol itself.
const XARP_FIELDS = allFields().filter((f) => f.proto === xarpHf.proto).map((f) => f.abbrev);

function has(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

const work = mkdtempSync(join(tmpdir(), "arpx-lua-"));
chmodSync(work, 0o755);

/**
 * How to run tshark so that it loads Lua scripts: directly, or (when tshark refuses Lua as root:
 * init.lua's run_user_scripts_when_superuser = false) as an unprivileged user through runuser.
 * Returns the command prefix, or a reason to skip.
 */
function luaTshark(sample: string): { prefix: string[] } | { reason: string } {
  if (!HAVE_TSHARK) return { reason: "tshark is not installed: the Wireshark plugin is not checked" };
  const v = spawnSync("tshark", ["-v"], { encoding: "utf8" }).stdout ?? "";
  if (!/with Lua/.test(v)) return { reason: "tshark is built without Lua: the Wireshark plugin is not checked" };
  const probe = join(work, "probe.lua");
  writeFileSync(probe, 'print("arpx-lua-probe")\n');
  chmodSync(probe, 0o644);
  const tryWith = (prefix: string[]) => {
    const argv = [...prefix, "tshark", "-X", `lua_script:${probe}`, "-r", sample, "-c", "1", "-T", "fields", "-e", "frame.number"];
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8" });
    return /arpx-lua-probe/.test(r.stdout ?? "");
  };
  if (tryWith([])) return { prefix: [] };
  if (process.getuid?.() === 0 && has("runuser") && tryWith(["runuser", "-u", "nobody", "--"])) return { prefix: ["runuser", "-u", "nobody", "--"] };
  return { reason: "tshark does not run Lua scripts here (as root it needs run_user_scripts_when_superuser in init.lua, and running it as nobody failed)" };
}

/** A capture readable by any user (tshark may run as nobody). */
function local(path: string): string {
  const dst = join(work, basename(path));
  if (dst !== path) copyFileSync(path, dst);
  chmodSync(dst, 0o644);
  return dst;
}

// ---- a capture of spec violations, edge cases and plain ARP, built from the project's layers ----

const GW = mac("00:16:3e:aa:bb:cc"), HOST = mac("00:16:3e:11:22:33"), OTHER = mac("00:16:3e:44:55:66");
const APP = mac("0a:5e:71:0c:9d:42"), GLOBAL_APP = mac("00:1b:21:0c:9d:42"), BCAST = mac("ff:ff:ff:ff:ff:ff");
const ep = (ip: string, port = 0, proto = 0, flags = 0) => ({ ip: ipv4(ip), port, proto, flags });

function xframe(src: number, dst: number, m: XarpMessage): Uint8Array {
  return build([ethLayer({ dst, src, type: 0x0806 }), xarpLayer(m)]);
}

function edgeFrames(): Uint8Array[] {
  const frames = [
    // request with a non-zero THA and reserved flag bits; port 0 asked for
    xframe(GW, BCAST, { op: XarpOp.REQUEST, sha: GW, spa: ep("10.0.0.1", 0, 0, 0x01), tha: OTHER, tpa: ep("10.0.0.2", 0, 17) }),
    // reply from a globally administered "application" MAC, unsolicited
    xframe(GLOBAL_APP, GW, { op: XarpOp.REPLY, sha: GLOBAL_APP, spa: ep("10.0.0.2", 7000, 6), tha: GW, tpa: ep("10.0.0.1") }),
    // request then canonical reply (matched: response_to, time)
    xframe(GW, BCAST, { op: XarpOp.REQUEST, sha: GW, spa: ep("10.0.0.1"), tha: 0, tpa: ep("10.0.0.2", 9999, 132) }),
    xframe(HOST, GW, { op: XarpOp.REPLY, sha: HOST, spa: ep("10.0.0.2", 9999, 132, FLAG_CANONICAL), tha: GW, tpa: ep("10.0.0.1") }),
    // defend for a MAC nobody probed
    xframe(APP, BCAST, { op: XarpOp.DEFEND, sha: APP, spa: ep("10.0.0.2", 8080, 17), tha: OTHER, tpa: ep("10.0.0.3") }),
    // two hosts probing the same candidate, one with a non-zero target endpoint
    xframe(HOST, BCAST, { op: XarpOp.PROBE, sha: HOST, spa: ep("10.0.0.2"), tha: APP, tpa: ep("0.0.0.0") }),
    xframe(OTHER, BCAST, { op: XarpOp.PROBE, sha: OTHER, spa: ep("10.0.0.3"), tha: APP, tpa: ep("10.0.0.9", 1, 6) }),
    // the same MAC announced by two hosts; an unknown transport protocol number
    xframe(APP, BCAST, { op: XarpOp.ANNOUNCE, sha: APP, spa: ep("10.0.0.2", 8080, 17), tha: APP, tpa: ep("10.0.0.2", 8080, 17) }),
    xframe(APP, BCAST, { op: XarpOp.ANNOUNCE, sha: APP, spa: ep("10.0.0.3", 4242, 99), tha: APP, tpa: ep("10.0.0.3", 4242, 99) }),
    // release with a non-zero THA; an unknown opcode
    xframe(APP, BCAST, { op: XarpOp.RELEASE, sha: APP, spa: ep("10.0.0.2", 8080, 17), tha: GW, tpa: ep("10.0.0.2", 8080, 17) }),
    xframe(HOST, BCAST, { op: 77, sha: HOST, spa: ep("10.0.0.2"), tha: 0, tpa: ep("10.0.0.0") }),
    // plain ARP request and reply (Wireshark's own ARP dissector must still get these)
    build([ethLayer({ dst: BCAST, src: GW, type: 0x0806 }), arpLayer({ op: 1, sha: GW, spa: ipv4("10.0.0.1"), tha: 0, tpa: ipv4("10.0.0.2") })]),
    build([ethLayer({ dst: GW, src: HOST, type: 0x0806 }), arpLayer({ op: 2, sha: HOST, spa: ipv4("10.0.0.2"), tha: GW, tpa: ipv4("10.0.0.1") })]),
  ];
  // truncated XARP: the header and opcode only, then cut (no Ethernet padding either)
  const whole = xframe(HOST, BCAST, { op: XarpOp.PROBE, sha: HOST, spa: ep("10.0.0.2"), tha: APP, tpa: ep("0.0.0.0") });
  frames.push(whole.slice(0, 14 + 12));
  return frames;
}

async function writeCapture(path: string, frames: Uint8Array[]): Promise<void> {
  const w = createWriter(path, { format: "pcap", nanosecond: true, interfaces: [{ linkType: 1, snapLen: 65535 }] });
  frames.forEach((data, i) => w.writePacket({ data, wireLen: data.length, tsSec: 1_700_000_000, tsNsec: i * 250_000, linkType: 1, ifIndex: 0 }));
  await w.close();
}

// ---- running both tools ----

let tsharkPrefix: string[] = [];
let plugin = "";

function tshark(args: string[], withPlugin = true): string {
  const argv = [...tsharkPrefix, "tshark", ...(withPlugin ? ["-X", `lua_script:${plugin}`] : []), "-n", ...args];
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, TZ: "UTC" } });
  const err = (r.stderr ?? "").replace(/^Running as user "root".*\n/m, "");
  if (/Lua: Error/i.test(err) || /Lua Error/.test(r.stdout ?? "")) throw new Error(`tshark reported a Lua error:\n${err}`);
  expect(r.status, err).toBe(0);
  return r.stdout;
}

function fieldArgs(fields: string[]): string[] {
  return ["-T", "fields", ...fields.flatMap((f) => ["-e", f])];
}

function rows(text: string): string[] {
  return text.split("\n").filter((l, i, all) => i < all.length - 1 || l !== "");
}

/** Frame number -> [protocol, info] from arpx's one-line summaries. */
function arpxSummaries(file: string): Map<number, [string, string]> {
  const r = runArpx(["read", "-r", file]);
  expect(r.status, r.stderr).toBe(0);
  const out = new Map<number, [string, string]>();
  for (const line of rows(r.stdout)) {
    const m = /^\s*(\d+)\s+\S+\s+\S+\s+→\s+\S+\s+(\S+)\s+\d+\s?(.*)$/.exec(line);
    if (m) out.set(Number(m[1]), [m[2]!, m[3]!]);
  }
  return out;
}

function compareCapture(file: string): { xarpFrames: number } {
  const fields = ["frame.number", ...XARP_FIELDS];
  const a = runArpx(["read", "-r", file, ...fieldArgs(fields)]);
  expect(a.status, a.stderr).toBe(0);
  const t = tshark(["-r", file, ...fieldArgs(fields)]);
  const arpxRows = rows(a.stdout), tsharkRows = rows(t);
  expect(tsharkRows.length).toBe(arpxRows.length);
  for (let i = 0; i < arpxRows.length; i++) {
    const av = arpxRows[i]!.split("\t"), tv = tsharkRows[i]!.split("\t");
    const diffs = fields.filter((_, k) => av[k] !== tv[k]).map((f) => `${f}: arpx "${av[fields.indexOf(f)]}" tshark "${tv[fields.indexOf(f)]}"`);
    expect(diffs, `${basename(file)} frame ${i + 1}`).toEqual([]);
  }
  // Protocol and Info columns of every XARP frame
  const summaries = arpxSummaries(file);
  const cols = rows(tshark(["-r", file, ...fieldArgs(["frame.number", "_ws.col.Protocol", "_ws.col.Info"])]));
  let xarpFrames = 0;
  for (const line of cols) {
    const [num, proto, info] = line.split("\t");
    const mine = summaries.get(Number(num));
    if (mine?.[0] !== "XARP") continue;
    const truncated = /Malformed/.test(info ?? "");
    if (truncated) continue;
    xarpFrames++;
    expect([proto, info], `${basename(file)} frame ${num}`).toEqual(["XARP", mine[1]]);
  }
  return { xarpFrames };
}

const sampleCapture = ownCaptureFiles().find((f) => /xarp-.*\.pcapng$/.test(f));
const lua = sampleCapture ? luaTshark(local(sampleCapture)) : { reason: "no XARP captures in captures/" };
const skip = skipReason(!("reason" in lua), "reason" in lua ? lua.reason : "");

describe.skipIf(skip)("arpx wireshark-plugin under tshark", () => {
  const generated = join(work, "gen-mac-probe.pcapng");
  const generated2 = join(work, "gen-gateway-resolve.pcap");
  const edges = join(work, "edges.pcap");

  beforeAll(async () => {
    if ("prefix" in lua) tsharkPrefix = lua.prefix;
    plugin = join(work, "xarp.lua");
    const r = runArpx(["wireshark-plugin", "-w", plugin]);
    expect(r.status, r.stderr).toBe(0);
    chmodSync(plugin, 0o644);
    const g1 = runArpx(["gen", "mac-probe", "-s", "11", "-w", generated]);
    expect(g1.status, g1.stderr).toBe(0);
    const g2 = runArpx(["gen", "gateway-resolve", "-s", "5", "-p", "apps=5", "-p", "rounds=3", "-w", generated2]);
    expect(g2.status, g2.stderr).toBe(0);
    await writeCapture(edges, edgeFrames());
    for (const f of [generated, generated2, edges]) chmodSync(f, 0o644);
  });

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it("prints a Lua dissector declaring every xarp field and expert of the registry", () => {
    const r = runArpx(["wireshark-plugin"]);
    expect(r.status).toBe(0);
    for (const f of XARP_FIELDS) expect(r.stdout).toContain(`"${f}"`);
    expect(r.stdout).toContain('DissectorTable.get("ethertype")');
    expect(r.stdout).toContain("get_dissector(0x0806)");
    // tshark knows the fields: a display filter on them compiles
    const t = tshark(["-r", local(sampleCapture!), "-Y", "xarp.src.flags.canonical == 1 || xarp.opcode == 4", "-c", "1"]);
    expect(t).toBeTypeOf("string");
  });

  it.each(ownCaptureFiles().filter((f) => /xarp-.*\.pcapng$/.test(f)).map((f) => basename(f)))("same field values and Info as arpx on captures/%s", (name) => {
    const file = local(ownCaptureFiles().find((f) => basename(f) === name)!);
    const { xarpFrames } = compareCapture(file);
    expect(xarpFrames).toBeGreaterThan(0);
  });

  it("same field values and Info as arpx on generated scenarios (arpx gen)", () => {
    expect(compareCapture(generated).xarpFrames).toBeGreaterThan(10);
    expect(compareCapture(generated2).xarpFrames).toBeGreaterThan(20);
  });

  it("same fields, experts and Info on spec violations, unknown opcodes and a truncated message", () => {
    const { xarpFrames } = compareCapture(edges);
    expect(xarpFrames).toBe(11);
    // the expert fields did fire (the comparison above is not all-empty)
    const t = rows(tshark(["-r", edges, ...fieldArgs(["xarp.not_local_unicast", "xarp.must_be_zero", "xarp.reserved_flags", "xarp.defend_unprobed", "xarp.conflict", "xarp.unknown_opcode", "xarp.unsolicited_reply", "xarp.port_zero"])]));
    for (let k = 0; k < 8; k++) expect(t.some((row) => row.split("\t")[k] !== ""), `expert ${k}`).toBe(true);
  });

  it("leaves plain ARP to Wireshark's own dissector", () => {
    const arpFields = ["frame.number", "_ws.col.Protocol", "_ws.col.Info", "arp.opcode", "arp.src.hw_mac", "arp.src.proto_ipv4", "arp.dst.hw_mac", "arp.dst.proto_ipv4", "xarp.opcode"];
    const files = [edges, ...ownCaptureFiles().filter((f) => /lan-basics|control-mix/.test(f)).map(local)];
    for (const f of files) {
      const withPlugin = rows(tshark(["-r", f, "-Y", "arp.proto.size == 4", ...fieldArgs(arpFields)]));
      const without = rows(tshark(["-r", f, "-Y", "arp.proto.size == 4", ...fieldArgs(arpFields.slice(0, -1))], false));
      expect(withPlugin.length, basename(f)).toBeGreaterThan(0);
      expect(withPlugin.map((r) => r.split("\t").slice(0, -1).join("\t")), basename(f)).toEqual(without);
      expect(withPlugin.every((r) => r.endsWith("\t")), "no xarp fields on plain ARP").toBe(true);
    }
  });
});
