// The scenario captures shipped in captures/ are exactly what `arpx gen` makes (deterministic),
// and hold what captures/README.md says they hold.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OWN_CAPTURES, runArpx } from "../helpers.js";

const tmp = mkdtempSync(join(tmpdir(), "arpx-gen-"));

const SHIPPED: [string, string[]][] = [
  ["xarp-gateway-resolve.pcapng", ["gateway-resolve", "--seed", "1"]],
  ["xarp-mac-probe.pcapng", ["mac-probe", "--seed", "2"]],
  ["xarp-traffic.pcapng", ["traffic", "--seed", "3", "-p", "duration=0.05"]],
  ["xarp-slow-app.pcapng", ["slow-app", "--seed", "4"]],
  ["xarp-control-mix.pcapng", ["control-mix", "--seed", "5"]],
  ["xarp-legacy-gateway.pcapng", ["legacy-gateway", "--seed", "6", "-p", "duration=0.02"]],
  ["quic-handshakes.pcapng", ["quic", "--seed", "7"]],
];

function fields(file: string, filter: string, ...names: string[]): string[][] {
  const wanted = names.length ? names : ["frame.number"];
  const r = runArpx(["read", "-r", file, "-Y", filter, "-T", "fields", ...wanted.flatMap((n) => ["-e", n])]);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split("\n").filter(Boolean).map((l) => l.split("\t"));
}

describe("arpx gen", () => {
  it.each(SHIPPED)("regenerates %s byte for byte", (name, args) => {
    const out = join(tmp, name);
    const r = runArpx(["gen", ...args, "-w", out]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out).equals(readFileSync(join(OWN_CAPTURES, name)))).toBe(true);
  });

  it("quic: two connections, Initials opened, the second after Version Negotiation and a verified Retry", () => {
    const f = join(OWN_CAPTURES, "quic-handshakes.pcapng");
    expect(fields(f, "quic.connection.number", "quic.connection.number").map((r) => r[0]).filter((v, i, a) => a.indexOf(v) === i)).toEqual(["0", "1", "2"]);
    expect(fields(f, "tls.handshake.type == 1", "tls.handshake.extensions_server_name", "tls.handshake.extensions_alpn_str")).toEqual([["h3.arpx.test", "h3"], ["h3.arpx.test", "h3"]]);
    expect(fields(f, "tls.handshake.type == 2")).toHaveLength(2);
    expect(fields(f, "quic.version == 0", "quic.supported_version")).toEqual([["0x00000001,0x6b3343cf"]]);
    expect(fields(f, "quic.retry_integrity_tag and not _ws.expert")).toHaveLength(1);
    expect(fields(f, "quic.retransmission")).toHaveLength(1);
  });

  it("gateway-resolve: every request answered, one port by the canonical MAC", () => {
    const f = join(OWN_CAPTURES, "xarp-gateway-resolve.pcapng");
    const req = fields(f, "xarp.opcode == 1", "frame.number");
    const rep = fields(f, "xarp.opcode == 2", "xarp.response_to", "xarp.canonical", "xarp.src.port");
    expect(req).toHaveLength(8);
    expect(rep.map((r) => r[0])).toEqual(req.map((r) => r[0]));
    expect(rep.filter((r) => r[1] === "1").map((r) => r[2])).toEqual(["9999", "9999"]);
    expect(fields(f, "_ws.expert")).toHaveLength(0);
  });

  it("mac-probe: probes, a defended collision, a retry with a new MAC, announcements and releases", () => {
    const f = join(OWN_CAPTURES, "xarp-mac-probe.pcapng");
    const ops = fields(f, "xarp", "xarp.opcode").map((r) => Number(r[0]));
    expect(ops).toEqual([3, 3, 3, 4, 4, 3, 5, 3, 3, 3, 4, 4, 6, 6]);
    const defend = fields(f, "xarp.opcode == 5", "xarp.conflict_with", "xarp.app_mac");
    const probedFirst = fields(f, "frame.number == 6", "xarp.app_mac")[0]![0];
    expect(defend).toEqual([["6", probedFirst]]);
    const announced = new Set(fields(f, "xarp.opcode == 4", "xarp.app_mac").map((r) => r[0]));
    expect(announced.size).toBe(2);
    expect(fields(f, "xarp.not_local_unicast || xarp.must_be_zero || xarp.defend_unprobed")).toHaveLength(0);
  });

  it("traffic: UDP and TCP to three announced application MACs", () => {
    const f = join(OWN_CAPTURES, "xarp-traffic.pcapng");
    const macs = fields(f, "xarp.opcode == 4", "xarp.app_mac").map((r) => r[0]);
    expect(macs).toHaveLength(3);
    const dsts = new Set(fields(f, "udp || tcp", "eth.dst").map((r) => r[0]));
    expect([...dsts].sort()).toEqual([...macs].sort());
    expect(fields(f, "tcp.flags.syn == 1")).toHaveLength(1);
    expect(fields(f, "udp and frame.len == 512").length).toBeGreaterThan(1000);
  });

  it("slow-app: its ring overflows to the kernel queue under the shipped host configuration", () => {
    const r = runArpx(["replay", join(OWN_CAPTURES, "xarp-slow-app.pcapng"), "--config", join(OWN_CAPTURES, "xarp-slow-app.host.json"), "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const text = r.stdout;
    const report = JSON.parse(text);
    const json = JSON.stringify(report);
    expect(json).toContain("slow");
    expect(json).toMatch(/"overflow[a-zA-Z]*":\s*[1-9]/);
  });

  it("control-mix and legacy-gateway: DHCP, ARP, ICMP; everything to the canonical MAC", () => {
    const c = join(OWN_CAPTURES, "xarp-control-mix.pcapng");
    expect(fields(c, "dhcp", "dhcp.option.dhcp").map((r) => r[0])).toEqual(["1", "2", "3", "5"]);
    expect(fields(c, "arp")).toHaveLength(2);
    expect(fields(c, "icmp.type == 0")).toHaveLength(4);
    const l = join(OWN_CAPTURES, "xarp-legacy-gateway.pcapng");
    const dsts = new Set(fields(l, "udp || tcp", "eth.dst").map((r) => r[0]));
    expect([...dsts]).toEqual(["00:16:3e:11:22:33"]);
  });
});
