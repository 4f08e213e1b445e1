// MAC address names, resolved as tshark does by default: arpx reads the same Wireshark files
// (manuf, wka, the ethers files) and must name every address as tshark does, in the summary
// columns, the detail tree and the eth.*_resolved fields; -n turns it off, -N picks.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ARPX, HAVE_TSHARK, OWN_CAPTURES, runArpx, skipReason } from "../helpers.js";
import { writePcap } from "./protocols/tshark-compare.js";

const LAN = join(OWN_CAPTURES, "lan-basics.pcapng");
const WIRESHARK_DATA = "/usr/share/wireshark";

/** Addresses that exercise each rule tshark follows (found by probing tshark 4.0). */
const PROBES = [
  "ff:ff:ff:ff:ff:ff", // exact well-known address
  "33:33:00:00:00:00", // exact entry beside a /16 range
  "33:33:00:00:00:16", "33:33:ff:00:0a:01", // /16 range: found at the longest prefix that matches a key
  "01:00:5e:00:00:fb", "01:00:5e:80:00:01", // /25 range found as a /24
  "00:00:0c:07:ac:05", "01:80:c2:00:00:31", "09:00:2b:00:00:1f", // /40, /45, /44
  "00:00:0c:12:34:56", "08:00:27:11:22:33", // manufacturer
  "01:1b:c5:00:00:01", "03:60:60:11:22:33", // group address under its individual prefix
  "00:1b:c5:00:00:01", "00:1b:c5:00:1f:ff", "00:1b:c5:0c:a0:00", "00:1b:c5:ff:ff:ff", // /36 blocks
  "00:55:da:05:00:01", "00:55:da:f5:00:01", // /28 blocks
  "80:0a:cc:21:a8:7a", "28:f8:c7:d0:91:2a", // another prefix's block found below 24 bits
  "02:60:60:11:22:33", "01:00:3c:11:22:33", // prefix without a long name
  "03:00:00:00:00:10", "03:00:00:00:00:01", // duplicate lines, a comment inside a name
  "12:34:56:78:9a:bc", "02:00:00:00:0a:01", // nothing known
];

/** Seeded addresses near the data files' entries (inside, past and below their masks) and uniform ones. */
function sampleAddresses(count: number): string[] {
  let seed = 0x5eed;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 0x1000000;
  const entries: [bigint, number][] = [];
  for (const file of ["manuf", "wka"]) {
    for (const line of readFileSync(join(WIRESHARK_DATA, file), "utf8").split("\n")) {
      const m = /^([0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){2,5})(?:\/(\d+))?\s/.exec(line);
      if (!m) continue;
      const bytes = m[1]!.split(/[:-]/);
      const bits = m[2] ? Number(m[2]) : bytes.length * 8;
      entries.push([BigInt("0x" + bytes.join("").padEnd(12, "0")), bits]);
    }
  }
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let v: bigint;
    if (i % 4 === 3) v = BigInt(Math.floor(rnd() * 2 ** 24)) * 2n ** 24n + BigInt(Math.floor(rnd() * 2 ** 24));
    else {
      const [base, bits] = entries[Math.floor(rnd() * entries.length)]!;
      const keep = Math.max(0, bits - [0, 0, 1, 4, 8, 12][Math.floor(rnd() * 6)]!);
      const low = 2n ** BigInt(48 - keep);
      v = base - (base % low) + (BigInt(Math.floor(rnd() * 2 ** 24)) * 2n ** 24n + BigInt(Math.floor(rnd() * 2 ** 24))) % low;
      if (rnd() < 0.2) v ^= 1n << 40n;
    }
    out.push(v.toString(16).padStart(12, "0").replace(/(..)(?!$)/g, "$1:"));
  }
  return out;
}

/** One Ethernet frame per address, sent to it from the next one (type 0x88b5, local experimental). */
function framesTo(addrs: readonly string[]): Uint8Array[] {
  const mac = (a: string) => a.split(":").map((h) => parseInt(h, 16));
  return addrs.map((a, i) => Uint8Array.from([...mac(a), ...mac(addrs[(i + 1) % addrs.length]!), 0x88, 0xb5, ...new Array<number>(46).fill(0)]));
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, TZ: "UTC", NO_COLOR: "1", ...env } });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}
const arpx = (args: string[], env?: Record<string, string>) => run(process.execPath, [ARPX, ...args], env);
const tshark = (args: string[], env?: Record<string, string>) => run("tshark", args, env);

const FIELDS = ["eth.dst", "eth.dst_resolved", "eth.src_resolved", "eth.addr_resolved", "eth.dst.oui", "eth.src.oui_resolved", "eth.addr.oui_resolved"].flatMap((f) => ["-e", f]);

const noTshark = skipReason(HAVE_TSHARK && existsSync(join(WIRESHARK_DATA, "manuf")), "tshark or its manuf file is not installed: MAC names not compared with tshark");

describe("MAC names agree with tshark", { skip: noTshark }, () => {
  const file = noTshark ? "" : writePcap("names.pcap", framesTo([...PROBES, ...sampleAddresses(4000)]));

  it("names every address as tshark does: summary lines, eth.*_resolved and OUI fields", () => {
    expect(arpx(["read", "-r", file])).toBe(tshark(["-r", file]));
    expect(arpx(["read", "-r", file, "-T", "fields", ...FIELDS])).toBe(tshark(["-r", file, "-T", "fields", ...FIELDS]));
  });

  it("-n: numbers only, but the OUI owner fields are still filled (as tshark)", () => {
    const ours = arpx(["read", "-n", "-r", file, "-T", "fields", ...FIELDS]);
    expect(ours).toBe(tshark(["-n", "-r", file, "-T", "fields", ...FIELDS]));
    expect(ours).toContain("Cisco Systems, Inc");
    expect(arpx(["read", "-n", "-r", file])).toBe(tshark(["-n", "-r", file]));
  });

  it("the detail tree shows 'name (address)' for every MAC field", () => {
    const cut = (s: string) => s.split("\n").filter((l) => /Ethernet II|Destination:|Source:|Address:/.test(l));
    const some = writePcap("names-v.pcap", framesTo(PROBES));
    const ours = cut(arpx(["read", "-r", some, "-V"]));
    expect(ours).toEqual(cut(tshark(["-r", some, "-V"])));
    expect(ours).toContain("    Destination: Broadcast (ff:ff:ff:ff:ff:ff)");
  });

  it("names from the personal ethers file come before manufacturers, after the well-known addresses", () => {
    const conf = mkdtempSync(join(tmpdir(), "arpx-ethers-"));
    writeFileSync(join(conf, "ethers"), "02:00:00:00:0a:01 hostA\n02-00-00-00-0b-01\thost-b # with a comment\nff:ff:ff:ff:ff:ff everyone\n");
    const env = { WIRESHARK_CONFIG_DIR: conf };
    const ours = arpx(["read", "-r", LAN], env);
    expect(ours).toBe(tshark(["-r", LAN], env));
    expect(ours).toContain("host-b → hostA        ARP 42 10.77.0.2 is at 02:00:00:00:0b:01");
    expect(ours).toContain("hostA → Broadcast    ARP");
  });
});

describe("MAC name options and files", () => {
  it("resolves by default, -n and -N without m turn it off, -N m on", () => {
    const arpLine = (out: string) => out.split("\n").find((l) => l.includes("Who has 10.77.0.2"))!;
    expect(arpLine(runArpx(["read", "-r", LAN]).stdout)).toContain("→ Broadcast ");
    expect(arpLine(runArpx(["read", "-n", "-r", LAN]).stdout)).toContain("→ ff:ff:ff:ff:ff:ff ");
    expect(arpLine(runArpx(["read", "-n", "-N", "m", "-r", LAN]).stdout)).toContain("→ Broadcast ");
    const nt = runArpx(["read", "-N", "nt", "-r", LAN]);
    expect(arpLine(nt.stdout)).toContain("→ ff:ff:ff:ff:ff:ff ");
    expect(nt.stderr).toBe("arpx: -N nt: only MAC address names (m) are resolved\n");
    const bad = runArpx(["read", "-N", "mx", "-r", LAN]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain("unknown resolving option 'x'");
  });

  it("without Wireshark's files, knows the broadcast and IP multicast addresses only", () => {
    const env = { WIRESHARK_DATA_DIR: mkdtempSync(join(tmpdir(), "arpx-nodata-")), WIRESHARK_CONFIG_DIR: "/nonexistent" };
    const out = arpx(["read", "-r", LAN, "-V", "-c", "5"], env);
    expect(out).toContain("Dst: IPv6mcast_16 (33:33:00:00:00:16)");
    expect(out).toContain("Destination: Broadcast (ff:ff:ff:ff:ff:ff)");
    expect(out).toContain("Src: 02:00:00:00:0a:01 (02:00:00:00:0a:01)");
  });

  it("reads manuf and wka lines as Wireshark writes them: separators, masks, comments, later lines", () => {
    const data = mkdtempSync(join(tmpdir(), "arpx-data-"));
    writeFileSync(join(data, "manuf"), [
      "# a comment line", "", "00:00:0C\tCisco\tCisco Systems, Inc", "00:1B:C5\tIEEERegi\tIEEE Registration Authority",
      "00:1B:C5:00:00:00/36\tConvergi\tConverging Systems Inc.", "00:1B:C5:00:10:00/36\tOpenRBco", "02:60:60\t3com", "",
    ].join("\n"));
    writeFileSync(join(data, "wka"), ["01-00-5E/25\t\tIPv4mcast", "FF-FF-FF-FF-FF-FF\tBroadcast", "03-00-00-00-00-01\tNETBIOS-# [TR?]", "03-00-00-00-00-10\tFirst", "03-00-00-00-00-10\tSecond", ""].join("\n"));
    const addrs = ["00:00:0c:12:34:56", "00:1b:c5:00:00:01", "00:1b:c5:00:1f:ff", "00:1b:c5:ff:00:01", "03:60:60:01:02:03", "01:00:5e:00:00:fb", "03:00:00:00:00:01", "03:00:00:00:00:10", "ff:ff:ff:ff:ff:ff", "12:34:56:78:9a:bc"];
    const file = writePcap("custom.pcap", framesTo(addrs));
    const out = arpx(["read", "-r", file, "-T", "fields", "-e", "eth.dst_resolved", "-e", "eth.dst.oui_resolved"], { WIRESHARK_DATA_DIR: data, WIRESHARK_CONFIG_DIR: "/nonexistent" });
    // (the last line's empty second field is cut by trimEnd)
    expect(out.trimEnd().split("\n")).toEqual([
      "Cisco_12:34:56\tCisco Systems, Inc",
      "Convergi_01\tIEEE Registration Authority",
      "OpenRBco_0f:ff\tIEEE Registration Authority",
      "Convergi_ff:00:01\tIEEE Registration Authority",
      "3com_01:02:03\t",
      "IPv4mcast_fb\t",
      "NETBIOS-\t",
      "Second\t",
      "Broadcast\t",
      "12:34:56:78:9a:bc",
    ]);
  });
});
