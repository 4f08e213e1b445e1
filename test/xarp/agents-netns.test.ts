// `arpx agent` and `arpx resolve` on real interfaces. The test builds its own LAN: a bridge in a
// network namespace it creates, and four hosts (namespaces with one veth each, created directly
// inside them, so the machine's own interfaces are never touched):
//   a  10.77.0.1  agent: web=8080/udp, db=5432/tcp,5433/tcp (web's first candidate fixed)
//   b  10.77.0.2  agent: cache=6379/tcp, whose first candidate is web's MAC (a collision)
//   r  10.77.0.3  the resolver (the gateway side), where the exchange is captured
//   l  10.77.0.4  a plain Linux host: no agent
// The decoded capture (`arpx read -T fields`) is checked against docs/extended-arp.md: probes,
// the defence, the retry with a new MAC, announcements, replies, releases on SIGTERM; and the
// plain host must ignore XARP (no reply, no neighbour entry) yet answer plain ARP (section 7).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build, ipv4, mac } from "../../src/dissect/build.js";
import { arpLayer } from "../../src/dissect/protocols/arp.js";
import { ethLayer } from "../../src/dissect/protocols/eth.js";
import { XarpOp } from "../../src/dissect/protocols/xarp-wire.js";
import { macText, parseEndpoint, XarpFrames } from "../../src/xarp/frames.js";
import { ARPX, IS_ROOT, ROOT, runArpx, skipReason } from "../helpers.js";

function has(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

const CAP_PATH = join(ROOT, "node_modules/cap");

function unavailable(): string | null {
  if (!IS_ROOT) return "agent tests need root (network namespaces, raw frames)";
  if (!has("ip")) return "agent tests need iproute2's ip";
  if (!existsSync(join(ROOT, "dist/cli/commands/agent.js"))) return "arpx is not built (npm run build)";
  try {
    createRequire(join(ROOT, "package.json"))("cap");
  } catch {
    return "the cap package (libpcap binding) is not installed or not built";
  }
  const probe = `axgprobe${process.pid}`;
  const r = spawnSync("ip", ["netns", "add", probe], { encoding: "utf8" });
  if (r.status !== 0) return `cannot create network namespaces: ${(r.stderr || "").trim()}`;
  spawnSync("ip", ["netns", "del", probe]);
  return null;
}

const why = unavailable();
const skip = skipReason(why === null, why ?? "");

// ---- the LAN ----

const TAG = `axg${process.pid % 100000}`;
const NS = { lan: `${TAG}-lan`, a: `${TAG}-a`, b: `${TAG}-b`, r: `${TAG}-r`, l: `${TAG}-l` };
const HOSTS = {
  a: { mac: mac("00:16:3e:77:00:01"), ip: ipv4("10.77.0.1"), ipText: "10.77.0.1" },
  b: { mac: mac("00:16:3e:77:00:02"), ip: ipv4("10.77.0.2"), ipText: "10.77.0.2" },
  r: { mac: mac("00:16:3e:77:00:03"), ip: ipv4("10.77.0.3"), ipText: "10.77.0.3" },
  l: { mac: mac("00:16:3e:77:00:04"), ip: ipv4("10.77.0.4"), ipText: "10.77.0.4" },
};
const WEB_MAC = "0a:77:00:00:be:ef";
const BROADCAST = "ff:ff:ff:ff:ff:ff";

function run(args: string[]): string {
  const r = spawnSync(args[0]!, args.slice(1), { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${args.join(" ")}: ${(r.stderr || r.stdout || "").trim()}`);
  return r.stdout;
}

function createLan(): void {
  destroyLan();
  run(["ip", "netns", "add", NS.lan]);
  spawnSync("ip", ["netns", "exec", NS.lan, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"]);
  run(["ip", "-n", NS.lan, "link", "add", "br0", "type", "bridge"]);
  run(["ip", "-n", NS.lan, "link", "set", "br0", "up"]);
  for (const h of ["a", "b", "r", "l"] as const) {
    const ns = NS[h];
    run(["ip", "netns", "add", ns]);
    // nothing but our frames on the link: no IPv6 (router solicitations, DAD, MLD)
    spawnSync("ip", ["netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"]);
    run(["ip", "link", "add", "eth0", "netns", ns, "address", macText(HOSTS[h].mac), "type", "veth", "peer", "name", `p${h}`, "netns", NS.lan]);
    run(["ip", "-n", NS.lan, "link", "set", `p${h}`, "master", "br0", "up"]);
    run(["ip", "-n", ns, "addr", "add", `${HOSTS[h].ipText}/24`, "dev", "eth0"]);
    run(["ip", "-n", ns, "link", "set", "eth0", "up"]);
  }
}

function destroyLan(): void {
  for (const ns of Object.values(NS)) spawnSync("ip", ["netns", "del", ns], { stdio: "ignore" });
}

// ---- child processes ----

class Proc {
  out = "";
  err = "";
  readonly exited: Promise<number>;
  readonly child: ChildProcess;

  constructor(readonly label: string, ns: string, argv: string[]) {
    this.child = spawn("ip", ["netns", "exec", ns, ...argv], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    this.child.stdout!.on("data", (d) => (this.out += d));
    this.child.stderr!.on("data", (d) => (this.err += d));
    this.exited = new Promise((resolve) => this.child.on("close", (code, sig) => resolve(code ?? (sig ? 128 : -1))));
    procs.push(this);
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when `pred` holds on the output; rejects after `ms`. */
  async until(pred: () => boolean, ms: number, what: string): Promise<void> {
    const end = Date.now() + ms;
    while (!pred()) {
      if (!this.alive) throw new Error(`${this.label} exited while waiting for ${what}:\n${this.out}\n${this.err}`);
      if (Date.now() > end) throw new Error(`${this.label}: no ${what} within ${ms} ms:\n${this.out}\n${this.err}`);
      await sleep(20);
    }
  }

  async stop(signal: NodeJS.Signals = "SIGTERM", ms = 4000): Promise<number> {
    if (this.alive) this.child.kill(signal);
    const timer = new Promise<number>((resolve) => setTimeout(() => resolve(-999), ms));
    const code = await Promise.race([this.exited, timer]);
    if (code === -999) {
      this.child.kill("SIGKILL");
      throw new Error(`${this.label} did not exit within ${ms} ms of ${signal}`);
    }
    return code;
  }

  json(): Record<string, unknown>[] {
    return this.out.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

const procs: Proc[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function arpxIn(label: string, ns: string, args: string[]): Proc {
  return new Proc(label, ns, [process.execPath, ARPX, ...args]);
}

async function arpxDone(label: string, ns: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const p = arpxIn(label, ns, args);
  const code = await Promise.race([p.exited, sleep(15_000).then(() => -999)]);
  if (code === -999) {
    p.child.kill("SIGKILL");
    throw new Error(`${label} did not finish`);
  }
  return { code, out: p.out, err: p.err };
}

const work = mkdtempSync(join(tmpdir(), "arpx-agents-"));
const SENDER = join(work, "send.cjs");
writeFileSync(SENDER, `// sends hex frames on an interface through libpcap (cap)
const { Cap } = require(process.argv[2]);
const c = new Cap();
c.open(process.argv[3], "arp", 1 << 16, Buffer.alloc(65535));
for (const h of process.argv.slice(4)) { const b = Buffer.from(h, "hex"); c.send(b, b.length); }
c.close();
`);

function sendFrom(ns: string, frames: Uint8Array[]): void {
  run(["ip", "netns", "exec", ns, process.execPath, SENDER, CAP_PATH, "eth0", ...frames.map((f) => Buffer.from(f).toString("hex"))]);
}

/** `arpx capture` when it is built and starts, else dumpcap. Resolves once capturing. */
async function startCapture(label: string, ns: string, iface: string, filter: string, file: string): Promise<Proc> {
  if (existsSync(join(ROOT, "dist/cli/commands/capture.js"))) {
    const p = arpxIn(label, ns, ["capture", "-i", iface, "-f", filter, "-q", "-w", file]);
    try {
      await p.until(() => /Capturing on/.test(p.err), 5000, "capture start");
      await sleep(200);
      return p;
    } catch (e) {
      if (p.alive) p.child.kill("SIGKILL");
      if (!has("dumpcap")) throw e;
      console.warn(`arpx capture did not start (${(e as Error).message.split("\n")[0]}); using dumpcap`);
    }
  }
  const p = new Proc(label, ns, ["dumpcap", "-i", iface, "-f", filter, "-w", file]);
  await p.until(() => /Capturing on/.test(p.err), 5000, "dumpcap start");
  await sleep(200);
  return p;
}

// ---- the decoded capture ----

const FIELDS = [
  "frame.number", "frame.time_relative", "eth.src", "eth.dst", "xarp.opcode",
  "xarp.src.hw_mac", "xarp.src.ipv4", "xarp.src.port", "xarp.src.proto", "xarp.src.flags",
  "xarp.dst.hw_mac", "xarp.dst.ipv4", "xarp.dst.port", "xarp.dst.proto", "xarp.dst.flags",
  "xarp.conflict", "arp.opcode", "arp.src.proto_ipv4", "arp.dst.proto_ipv4",
] as const;
type Row = Record<(typeof FIELDS)[number], string> & { t: number; op: number };

function decode(file: string): Row[] {
  const r = runArpx(["read", "-r", file, "-T", "fields", ...FIELDS.flatMap((f) => ["-e", f])]);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split("\n").filter(Boolean).map((line) => {
    const v = line.split("\t");
    const row = Object.fromEntries(FIELDS.map((f, i) => [f, v[i] ?? ""])) as Row;
    row.t = Number(row["frame.time_relative"]) * 1000;
    row.op = row["xarp.opcode"] === "" ? 0 : Number(row["xarp.opcode"]);
    return row;
  });
}

const ep = (r: Row, side: "src" | "dst") => `${r[`xarp.${side}.ipv4`]}:${r[`xarp.${side}.port`]}/${r[`xarp.${side}.proto`]}/${r[`xarp.${side}.flags`]}`;

// ---- the run ----

let rows: Row[] = [];
let legacyRows: Row[] = [];
let agentA: Proc, agentB: Proc;
let aEvents: Record<string, unknown>[] = [];
let bEvents: Record<string, unknown>[] = [];
let resolved: { code: number; out: string; err: string };
let legacyResolve: { code: number; out: string; err: string };
let neighAfterXarp = "";
let neighAfterArp = "";
let exitCodes: number[] = [];
let macs: { web: string; db: string; cache: string } = { web: "", db: "", cache: "" };

describe.skipIf(skip)("arpx agent and arpx resolve between network namespaces", () => {
  beforeAll(async () => {
    createLan();
    const capFile = join(work, "lan.pcapng");
    const legacyFile = join(work, "legacy.pcapng");
    const cap = await startCapture("capture r", NS.r, "eth0", "arp", capFile);
    // everything the plain host sends, seen from its bridge port
    const legacyCap = await startCapture("capture l", NS.lan, "pl", `ether src ${macText(HOSTS.l.mac)}`, legacyFile);

    agentA = arpxIn("agent a", NS.a, ["agent", "--iface", "eth0", "--ip", HOSTS.a.ipText, "--app", "web=8080/udp", "--app", "db=5432/tcp,5433/tcp", "--first-mac", `web=${WEB_MAC}`, "--json"]);
    await agentA.until(() => agentA.json().filter((e) => e.event === "claimed").length === 2, 5000, "two claimed MACs");
    agentB = arpxIn("agent b", NS.b, ["agent", "--iface", "eth0", "--ip", HOSTS.b.ipText, "--app", "cache=6379/tcp", "--first-mac", WEB_MAC, "--json"]);
    await agentB.until(() => agentB.json().some((e) => e.event === "claimed"), 6000, "a claimed MAC");
    const claimedMac = (p: Proc, app: string) => String(p.json().find((e) => e.event === "claimed" && e.app === app)?.mac ?? "");
    macs = { web: claimedMac(agentA, "web"), db: claimedMac(agentA, "db"), cache: claimedMac(agentB, "cache") };

    resolved = await arpxDone("resolve", NS.r, ["resolve", "--iface", "eth0", "10.77.0.1:8080/udp", "10.77.0.1:5433/tcp", "10.77.0.1:9999/udp", "10.77.0.2:6379/tcp", "10.77.0.2:80/tcp"]);

    // The plain host: a resolution, a probe for its MAC, an announcement for its address, a reply
    // and a defence addressed to it. It must send nothing and learn nothing.
    legacyResolve = await arpxDone("resolve legacy", NS.r, ["resolve", "--iface", "eth0", "--timeout", "300", HOSTS.l.ipText + ":80/tcp"]);
    const r = HOSTS.r, l = HOSTS.l;
    sendFrom(NS.r, [
      XarpFrames.probe(r, l.mac),
      XarpFrames.announce(mac("0a:77:00:00:00:44"), parseEndpoint("10.77.0.4:8080/udp")),
      XarpFrames.announce(mac("0a:77:00:00:00:45"), parseEndpoint("10.77.0.9:8080/udp")),
      XarpFrames.reply(mac("0a:77:00:00:00:46"), parseEndpoint("10.77.0.9:80/tcp"), false, l),
      XarpFrames.defend(mac("0a:77:00:00:00:47"), parseEndpoint("10.77.0.9:80/tcp"), l),
    ]);
    await sleep(400);
    neighAfterXarp = run(["ip", "-n", NS.l, "-4", "neigh", "show"]);
    // plain ARP request from the resolver for the plain host's address
    sendFrom(NS.r, [build([ethLayer({ dst: 0xffffffffffff, src: r.mac, type: 0x0806 }), arpLayer({ op: 1, sha: r.mac, spa: r.ip, tha: 0, tpa: l.ip })])]);
    await sleep(400);
    neighAfterArp = run(["ip", "-n", NS.l, "-4", "neigh", "show"]);

    exitCodes = [await agentA.stop(), await agentB.stop()];
    aEvents = agentA.json();
    bEvents = agentB.json();
    await sleep(300);
    await cap.stop("SIGINT");
    await legacyCap.stop("SIGINT");
    rows = decode(capFile);
    legacyRows = decode(legacyFile);
  }, 45_000);

  afterAll(async () => {
    for (const p of procs) if (p.alive) p.child.kill("SIGKILL");
    await Promise.all(procs.map((p) => Promise.race([p.exited, sleep(2000)])));
    destroyLan();
    rmSync(work, { recursive: true, force: true });
  });

  it("assigns each application a locally administered MAC: 3 probes from the canonical MAC, then 2 announcements per endpoint", () => {
    expect(macs.web).toBe(WEB_MAC);
    for (const m of [macs.web, macs.db, macs.cache]) expect(parseInt(m.slice(0, 2), 16) & 3, m).toBe(2);
    const cases = [
      { mac: macs.web, host: HOSTS.a, endpoints: ["10.77.0.1:8080/17/0x00"] },
      { mac: macs.db, host: HOSTS.a, endpoints: ["10.77.0.1:5432/6/0x00", "10.77.0.1:5433/6/0x00"] },
      { mac: macs.cache, host: HOSTS.b, endpoints: ["10.77.0.2:6379/6/0x00"] },
    ];
    for (const c of cases) {
      const probes = rows.filter((r) => r.op === XarpOp.PROBE && r["xarp.dst.hw_mac"] === c.mac && r["eth.src"] === macText(c.host.mac));
      expect(probes, `probes for ${c.mac}`).toHaveLength(3);
      for (const p of probes) {
        expect([p["eth.dst"], p["xarp.src.hw_mac"], ep(p, "src"), ep(p, "dst")]).toEqual([BROADCAST, macText(c.host.mac), `${c.host.ipText}:0/0/0x00`, "0.0.0.0:0/0/0x00"]);
      }
      for (let i = 1; i < 3; i++) {
        const gap = probes[i]!.t - probes[i - 1]!.t;
        expect(gap, "PROBE_MIN..PROBE_MAX (with scheduling slack)").toBeGreaterThanOrEqual(90);
        expect(gap).toBeLessThanOrEqual(300);
      }
      const ann = rows.filter((r) => r.op === XarpOp.ANNOUNCE && r["xarp.src.hw_mac"] === c.mac);
      expect(ann, `announcements of ${c.mac}`).toHaveLength(2 * c.endpoints.length);
      for (const a of ann) {
        expect([a["eth.src"], a["eth.dst"], a["xarp.dst.hw_mac"], ep(a, "src")]).toEqual([c.mac, BROADCAST, c.mac, ep(a, "dst")]);
        expect(a.t - probes[2]!.t, "ANNOUNCE_WAIT after the last probe").toBeGreaterThanOrEqual(190);
      }
      expect(new Set(ann.map((a) => ep(a, "src")))).toEqual(new Set(c.endpoints));
      const first = ann.filter((a) => ep(a, "src") === c.endpoints[0]);
      expect(first[1]!.t - first[0]!.t, "ANNOUNCE_INTERVAL").toBeGreaterThanOrEqual(900);
      expect(first[1]!.t - first[0]!.t).toBeLessThanOrEqual(1400);
    }
  });

  it("resolves a MAC collision: b probes web's MAC once, a defends it at once, b retries with a new MAC", () => {
    const bProbes = rows.filter((r) => r.op === XarpOp.PROBE && r["eth.src"] === macText(HOSTS.b.mac));
    expect(bProbes.map((p) => p["xarp.dst.hw_mac"])).toEqual([WEB_MAC, macs.cache, macs.cache, macs.cache]);
    expect(macs.cache).not.toBe(WEB_MAC);
    // (the defence sent by the test itself to the plain host claims 10.77.0.9)
    const defends = rows.filter((r) => r.op === XarpOp.DEFEND && r["xarp.src.ipv4"] !== "10.77.0.9");
    expect(defends).toHaveLength(1);
    const d = defends[0]!;
    expect([d["eth.src"], d["eth.dst"], d["xarp.src.hw_mac"], ep(d, "src"), d["xarp.dst.hw_mac"], ep(d, "dst")]).toEqual(
      [WEB_MAC, BROADCAST, WEB_MAC, "10.77.0.1:8080/17/0x00", macText(HOSTS.b.mac), "10.77.0.2:0/0/0x00"],
    );
    expect(d.t).toBeGreaterThan(bProbes[0]!.t);
    expect(d.t - bProbes[0]!.t, "DEFEND at once").toBeLessThan(100);
    expect(bProbes[1]!.t).toBeGreaterThan(d.t);
    expect(d["xarp.conflict"], "arpx flags the defence as a conflict").not.toBe("");
    // the agents' own logs tell the same story
    expect(aEvents.filter((e) => e.event === "defend")).toHaveLength(1);
    expect(bEvents.filter((e) => e.event === "conflict").map((e) => e.mac)).toEqual([WEB_MAC]);
  });

  it("answers resolution requests with the application's MAC, or the canonical MAC with C set", () => {
    expect(resolved.code, resolved.err).toBe(0);
    expect(resolved.out.trim().split("\n")).toEqual([
      `10.77.0.1:8080/udp is at ${macs.web} (app)`,
      `10.77.0.1:5433/tcp is at ${macs.db} (app)`,
      `10.77.0.1:9999/udp is at ${macText(HOSTS.a.mac)} (canonical: no application)`,
      `10.77.0.2:6379/tcp is at ${macs.cache} (app)`,
      `10.77.0.2:80/tcp is at ${macText(HOSTS.b.mac)} (canonical: no application)`,
    ]);
    const expected = [
      ["10.77.0.1:8080/17/0x00", macs.web],
      ["10.77.0.1:5433/6/0x00", macs.db],
      ["10.77.0.1:9999/17/0x80", macText(HOSTS.a.mac)],
      ["10.77.0.2:6379/6/0x00", macs.cache],
      ["10.77.0.2:80/6/0x80", macText(HOSTS.b.mac)],
    ];
    const r = macText(HOSTS.r.mac);
    for (const [endpoint, m] of expected) {
      const req = rows.filter((x) => x.op === XarpOp.REQUEST && ep(x, "dst") === endpoint!.replace(/0x80$/, "0x00"));
      expect(req, `request for ${endpoint}`).toHaveLength(1);
      expect([req[0]!["eth.src"], req[0]!["eth.dst"], req[0]!["xarp.src.hw_mac"], ep(req[0]!, "src"), req[0]!["xarp.dst.hw_mac"]]).toEqual([r, BROADCAST, r, "10.77.0.3:0/0/0x00", "00:00:00:00:00:00"]);
      const rep = rows.filter((x) => x.op === XarpOp.REPLY && ep(x, "src") === endpoint);
      expect(rep, `reply for ${endpoint}`).toHaveLength(1);
      expect([rep[0]!["eth.src"], rep[0]!["eth.dst"], rep[0]!["xarp.src.hw_mac"], rep[0]!["xarp.dst.hw_mac"], ep(rep[0]!, "dst")]).toEqual([m, r, m, r, "10.77.0.3:0/0/0x00"]);
    }
  });

  it("releases every endpoint on SIGTERM and exits 0", () => {
    expect(exitCodes).toEqual([0, 0]);
    const rel = rows.filter((r) => r.op === XarpOp.RELEASE);
    expect(rel.map((r) => `${r["eth.src"]} ${r["xarp.src.hw_mac"]} ${ep(r, "src")} ${r["xarp.dst.hw_mac"]} ${ep(r, "dst")}`).sort()).toEqual([
      `${macs.web} ${macs.web} 10.77.0.1:8080/17/0x00 00:00:00:00:00:00 10.77.0.1:8080/17/0x00`,
      `${macs.db} ${macs.db} 10.77.0.1:5432/6/0x00 00:00:00:00:00:00 10.77.0.1:5432/6/0x00`,
      `${macs.db} ${macs.db} 10.77.0.1:5433/6/0x00 00:00:00:00:00:00 10.77.0.1:5433/6/0x00`,
      `${macs.cache} ${macs.cache} 10.77.0.2:6379/6/0x00 00:00:00:00:00:00 10.77.0.2:6379/6/0x00`,
    ].sort());
    for (const r of rel) expect(r["eth.dst"]).toBe(BROADCAST);
    // releases are the agents' last frames
    const lastOther = Math.max(...rows.filter((r) => r.op !== 0 && r.op !== XarpOp.RELEASE && r["eth.src"] !== macText(HOSTS.r.mac)).map((r) => r.t));
    for (const r of rel) expect(r.t).toBeGreaterThan(lastOther);
    expect(aEvents.at(-1)?.event).toBe("stop");
    expect(bEvents.at(-1)?.event).toBe("stop");
  });

  it("times out with a clear message and exit status 1 for a host without an agent", () => {
    expect(legacyResolve.code).toBe(1);
    expect(legacyResolve.out).toBe("");
    expect(legacyResolve.err).toMatch(/no reply for 10\.77\.0\.4:80\/tcp after 3 requests 300 ms apart/);
    expect(rows.filter((r) => r.op === XarpOp.REQUEST && r["xarp.dst.ipv4"] === HOSTS.l.ipText)).toHaveLength(3);
  });

  it("a plain Linux host ignores XARP (no reply, no neighbour entry) yet answers plain ARP", () => {
    // it saw every broadcast XARP frame of the run and the five addressed to it
    expect(neighAfterXarp.trim(), "neighbour table after XARP").toBe("");
    expect(neighAfterArp).toMatch(new RegExp(`^10\\.77\\.0\\.3 dev eth0 lladdr ${macText(HOSTS.r.mac)}`, "m"));
    // all it ever sent: one ARP reply to the plain request
    expect(legacyRows.map((r) => [r["eth.src"], r["eth.dst"], r.op, r["arp.opcode"], r["arp.src.proto_ipv4"], r["arp.dst.proto_ipv4"]])).toEqual([
      [macText(HOSTS.l.mac), macText(HOSTS.r.mac), 0, "2", HOSTS.l.ipText, HOSTS.r.ipText],
    ]);
    expect(rows.filter((r) => r["eth.src"] === macText(HOSTS.l.mac)).map((r) => r["arp.opcode"])).toEqual(["2"]);
  });
});
