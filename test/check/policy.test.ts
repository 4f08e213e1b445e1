// Policy loading: YAML and JSON, defaults, and one clear line naming the bad key per problem.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadPolicy, PolicyError } from "../../src/check/policy.js";

const dir = mkdtempSync(join(tmpdir(), "arpx-policy-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(text: string, ext = "yaml"): string {
  const p = join(dir, `p${++n}.${ext}`);
  writeFileSync(p, text);
  return p;
}

async function errorOf(text: string, ext = "yaml"): Promise<string> {
  const p = file(text, ext);
  try {
    await loadPolicy(p);
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    return (e as Error).message.split(`${p}: `).join("");
  }
  throw new Error("the policy was accepted");
}

describe("loadPolicy", () => {
  it("reads YAML and JSON, with defaults filled in", async () => {
    const y = await loadPolicy(file("name: t\nrules:\n  - { rule: occupancy, maxPercent: 50 }\n  - { rule: spec }\n  - { rule: filter, filter: udp, min: 1 }\n"));
    expect(y.name).toBe("t");
    expect(y.rules[0]).toEqual({ rule: "occupancy", app: "*", maxPercent: 50, stat: "max" });
    expect(y.rules[1]).toEqual({ rule: "spec", ignore: [], severity: "warn" });
    expect(y.filters.get(2)?.text).toBe("udp");
    expect(y.model.speed).toBe(1);
    const j = await loadPolicy(file('{"model": {"hostMac": "00:16:3e:11:22:33", "config": {"kernel": {"size": 16}}}, "rules": [{"rule": "kernel-drops", "max": 0}]}', "json"));
    expect(j.model.hostMac).toBe(0x00163e112233);
    expect(j.model.config?.kernel?.size).toBe(16);
  });

  it("reads a host configuration file relative to the policy", async () => {
    writeFileSync(join(dir, "host.json"), '{"host": {"mac": "00:16:3e:11:22:33"}, "apps": [{"name": "a", "port": 80, "proto": "tcp"}]}');
    const p = await loadPolicy(file("model: { config: host.json }\nrules: [{ rule: apps, expect: [{ name: a }] }]\n"));
    expect(p.model.config?.apps?.[0]?.name).toBe("a");
  });

  it.each([
    ["rules: [{ rule: overflow, max: 0 }]", /^rules\[0\]\.rule: unknown rule "overflow" \(expected one of: overflows, occupancy, kernel-drops, resolution, collisions, spec, app-macs, apps, filter\)$/],
    ["rules: [{ max: 0 }]", /^rules\[0\]\.rule: missing \(expected one of: /],
    ["rules: [{ rule: overflows }]", /^rules\[0\]: give a bound: max \(overflows\), maxPerSecond or maxRatio/],
    ["rules: [{ rule: overflows, max: 1, apps: x }]", /^rules\[0\]\.apps: unknown key$/],
    ["rules: [{ rule: overflows, max: -1 }]", /^rules\[0\]\.max: /],
    ["rules: [{ rule: occupancy, maxPercent: 120 }]", /^rules\[0\]\.maxPercent: /],
    ["rules: [{ rule: occupancy, maxPercent: 10, stat: p95 }]", /^rules\[0\]\.stat: /],
    ["rules: [{ rule: kernel-drops }]", /^rules\[0\]: give a bound: max \(drops\) or maxPerSecond$/],
    ["rules: [{ rule: resolution }]", /^rules\[0\]\.withinMs: missing \(expected number\)$/],
    ["rules: [{ rule: resolution, withinMs: 0 }]", /^rules\[0\]\.withinMs: /],
    ["rules: [{ rule: spec, ignore: [xarp.nope] }]", /^rules\[0\]\.ignore\[0\]: expected an XARP expert info: xarp\./],
    ["rules: [{ rule: spec, severity: note }]", /^rules\[0\]\.severity: /],
    ["rules: [{ rule: apps, expect: [] }]", /^rules\[0\]\.expect: /],
    ["rules: [{ rule: apps, expect: [{}] }]", /^rules\[0\]\.expect\[0\]: give name, endpoint or mac$/],
    ["rules: [{ rule: apps, expect: [{ endpoint: '10.0.0.2:80' }] }]", /^rules\[0\]\.expect\[0\]\.endpoint: expected an endpoint like/],
    ["rules: [{ rule: apps, expect: [{ mac: 'zz' }] }]", /^rules\[0\]\.expect\[0\]\.mac: expected a MAC address/],
    ["rules: [{ rule: filter, filter: udp }]", /^rules\[0\]: give min, max or exactly/],
    ["rules: [{ rule: filter, filter: udp, exactly: 1, min: 1 }]", /^rules\[0\]: exactly cannot be combined with min or max$/],
    ["rules: [{ rule: filter, filter: udp, min: 3, max: 1 }]", /^rules\[0\]: min is above max$/],
    ["rules: [{ rule: filter, filter: 'ip.src == 10.0.0.300', min: 1 }]", /^rules\[0\]\.filter: .*10\.0\.0\.300.* \(at character 11 of "ip\.src == 10\.0\.0\.300"\)$/],
    ["rules: [{ rule: filter, filter: 'nosuch.field', min: 1 }]", /^rules\[0\]\.filter: /],
    ["rules: []", /^rules: a policy needs at least one rule$/],
    ["name: x", /^rules: missing \(expected a list\)$/],
    ["rulez: []\nrules: [{ rule: spec }]", /^rulez: unknown key$/],
    ["model: { speed: 0 }\nrules: [{ rule: spec }]", /^model\.speed: /],
    ["model: { hostMac: nope }\nrules: [{ rule: spec }]", /^model\.hostMac: expected a MAC address/],
    ["model: { config: { apps: [{ name: a, rign: 4 }] } }\nrules: [{ rule: spec }]", /^model\.config: apps\[0\]\.rign: unknown key$/],
    ["model: { config: { apps: [{ name: a, port: 1, proto: udp }, { name: a, port: 2, proto: udp }] } }\nrules: [{ rule: spec }]", /^model\.config: apps\[1\]\.name: "a" is used by another application$/],
    ["model: { config: missing-host.yaml }\nrules: [{ rule: spec }]", /^model\.config: .*missing-host\.yaml: cannot read/],
    ["rules: [ { rule: spec }", /^not valid YAML: /],
    ["", /^the policy is empty/],
  ])("rejects %j", async (text, want) => {
    const msg = await errorOf(text);
    expect(msg.split("\n")[0]).toMatch(want);
  });

  it("reports every bad key, one line each", async () => {
    const msg = await errorOf("rules:\n  - { rule: overflows, max: -1, app: 3 }\n  - { rule: nope }\nextra: 1\n");
    const lines = msg.split("\n");
    expect(lines).toContain("extra: unknown key");
    expect(lines.some((l) => l.startsWith("rules[0].max: "))).toBe(true);
    expect(lines.some((l) => l.startsWith("rules[0].app: "))).toBe(true);
    expect(lines.some((l) => l.startsWith('rules[1].rule: unknown rule "nope"'))).toBe(true);
  });

  it("names the file on every line, and rejects bad JSON and unreadable files", async () => {
    const p = file('{"rules": [1]}', "json");
    await expect(loadPolicy(p)).rejects.toThrow(`${p}: rules[0]: Invalid input: expected object, received number`);
    await expect(loadPolicy(file("{ rules: ", "json"))).rejects.toThrow(/: not valid JSON: /);
    await expect(loadPolicy(join(dir, "none.yaml"))).rejects.toThrow(/none\.yaml: cannot read the policy: /);
  });
});
