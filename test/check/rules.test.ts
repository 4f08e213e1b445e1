// Every `arpx check` rule against a capture that passes it and one that fails it. Captures are
// generated with `arpx gen` (test/check/captures.ts); policies are judged in-process.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect } from "../../src/check/collect.js";
import { loadPolicy } from "../../src/check/policy.js";
import { evaluate, type RuleResult } from "../../src/check/rules.js";
import { OWN_CAPTURES, ownCaptureFiles, runArpx } from "../helpers.js";
import { generate, type CaptureName, type Generated } from "./captures.js";

let g: Generated;
beforeAll(() => {
  g = generate();
});
afterAll(() => g?.cleanup());

let seq = 0;
/** Judges `cap` against a policy given as YAML text; returns each rule's result. */
async function judge(cap: CaptureName | string, yaml: string): Promise<RuleResult[]> {
  const p = await loadPolicy(g.write(`policy-${++seq}.yaml`, yaml));
  return evaluate(p, await collect(cap.includes("/") ? cap : g.cap(cap as CaptureName), p));
}

async function one(cap: CaptureName, yaml: string): Promise<RuleResult> {
  const r = await judge(cap, yaml);
  expect(r).toHaveLength(1);
  return r[0]!;
}

const rules = (...lines: string[]) => `rules:\n${lines.map((l) => `  - ${l}`).join("\n")}\n`;
const withConfig = (cfg: string, ...lines: string[]) => `model:\n  config: ${cfg}\n${rules(...lines)}`;

describe("overflows", () => {
  it("passes when no application ring overflows", async () => {
    const r = await one("traffic", withConfig("traffic.host.json", "{ rule: overflows, app: '*', max: 0 }"));
    expect(r.ok).toBe(true);
    expect(r.measured).toBe("3 applications, none overflowed");
    expect(r.name).toBe("overflows of every application");
  });

  it("fails when the slow application overflows, with the count arpx replay reports", async () => {
    const r = await one("slow", withConfig("slow.host.json", "{ rule: overflows, app: slow, max: 0 }"));
    expect(r.ok).toBe(false);
    const rep = JSON.parse(runArpx(["replay", g.cap("slow"), "-c", g.config("slow"), "--json"]).stdout);
    const slow = rep.queues.find((q: { name: string }) => q.name === "slow");
    expect(slow.overflow.count).toBeGreaterThan(0);
    expect(r.value).toBe(slow.overflow.count);
    expect(r.limit).toBe(0);
    expect(r.measured).toMatch(new RegExp(`^${slow.overflow.count.toLocaleString("en-US")} overflows \\(`));
    expect(r.bound).toBe("<= 0 overflows");
  });

  it("judges a rate or a ratio of arrivals, and selects applications by endpoint or MAC", async () => {
    const cfg = JSON.parse(readFileSync(g.config("slow"), "utf8"));
    const slowMac = cfg.apps[0].mac as string;
    const r = await judge(
      "slow",
      withConfig(
        "slow.host.json",
        "{ rule: overflows, app: 10.0.0.2:7000/udp, maxRatio: 0.9 }",
        "{ rule: overflows, app: 10.0.0.2:7000/udp, maxRatio: 0.1 }",
        `{ rule: overflows, app: "${slowMac}", maxPerSecond: 1 }`,
        "{ rule: overflows, app: fast, max: 0, maxPerSecond: 0 }",
        "{ rule: overflows, app: nope, max: 0 }",
      ),
    );
    expect(r.map((x) => x.ok)).toEqual([true, false, false, true, false]);
    expect(r[1]!.unit).toBe("ratio");
    expect(r[2]!.unit).toBe("overflows/s");
    expect(r[4]!.measured).toBe('no application matches "nope"');
    expect(r[4]!.details[0]).toMatch(/applications: slow, fast/);
  });
});

describe("occupancy", () => {
  it("passes when every ring stays below the bound", async () => {
    const r = await judge("traffic", withConfig("traffic.host.json", "{ rule: occupancy, app: '*', maxPercent: 50 }", "{ rule: occupancy, app: app1, stat: mean, maxPercent: 1 }"));
    expect(r.map((x) => x.ok)).toEqual([true, true]);
    expect(r[0]!.measured).toMatch(/^worst app\d: [\d.]+% of the ring \(max \d+ of 512 descriptors\)$/);
  });

  it("fails when the slow application's ring fills", async () => {
    const r = await one("slow", withConfig("slow.host.json", "{ rule: occupancy, app: slow, maxPercent: 90 }"));
    expect(r.ok).toBe(false);
    expect(r.value).toBe(100);
    expect(r.measured).toBe("100.00% of the ring (max 256 of 256 descriptors)");
    expect(r.bound).toBe("<= 90% of the ring");
  });
});

describe("kernel-drops", () => {
  it("passes when the kernel queue absorbs all overflow", async () => {
    const r = await one("slow", withConfig("slow.host.json", "{ rule: kernel-drops, max: 0 }"));
    expect(r.ok).toBe(true);
    expect(r.measured).toMatch(/^0 drops \(0\.000\/s\) of [\d,]+ arrivals \([\d,]+ from application overflow\)$/);
  });

  it("fails when a small, slow kernel queue drops overflow", async () => {
    const cfg = JSON.parse(readFileSync(g.config("slow"), "utf8"));
    cfg.kernel = { size: 8, rate: "10k", batch: 1 };
    g.write("slow-small-kernel.json", JSON.stringify(cfg));
    const r = await judge("slow", withConfig("slow-small-kernel.json", "{ rule: kernel-drops, max: 0 }", "{ rule: kernel-drops, maxPerSecond: 1e9 }"));
    expect(r[0]!.ok).toBe(false);
    expect(r[0]!.value).toBeGreaterThan(0);
    expect(r[0]!.details[0]).toMatch(/^first drop at [\d.]+ s; kernel queue of 8 descriptors/);
    expect(r[1]!.ok).toBe(true);
  });
});

describe("resolution", () => {
  it("passes when every request is answered in time (at the bound too)", async () => {
    const r = await judge("resolve", rules("{ rule: resolution, withinMs: 1 }", "{ rule: resolution, withinMs: 0.08 }"));
    expect(r.map((x) => x.ok)).toEqual([true, true]);
    expect(r[0]!.measured).toBe("8 requests, slowest answered in 0.080 ms, 0 unanswered");
    expect(r[0]!.value).toBeCloseTo(0.08, 9);
  });

  it("fails on late answers", async () => {
    const r = await judge("resolveLate", rules("{ rule: resolution, withinMs: 1 }", "{ rule: resolution, withinMs: 5 }"));
    expect(r[0]!.ok).toBe(false);
    expect(r[0]!.measured).toBe("8 requests, slowest answered in 5.000 ms, 0 unanswered, 8 late");
    // requests go out every 2 ms, so the first answer (5 ms later) comes after two more requests
    expect(r[0]!.details[0]).toBe("frame 1: 10.0.0.2:8080/udp asked by 00:16:3e:aa:bb:cc: answered in 5.000 ms (frame 4)");
    expect(r[1]!.ok).toBe(true);
  });

  it("fails on unanswered requests, however generous the bound", async () => {
    const r = await one("unanswered", rules("{ rule: resolution, withinMs: 60000 }"));
    expect(r.ok).toBe(false);
    expect(r.measured).toBe("3 requests, slowest answered in 0.080 ms, 2 unanswered");
    expect(r.details).toEqual(["frame 8: 10.0.0.2:9000/udp asked by 00:16:3e:aa:bb:cc: no reply", "frame 9: 10.0.0.2:9001/udp asked by 00:16:3e:aa:bb:cc: no reply"]);
    expect(r.data).toMatchObject({ requests: 3, unanswered: 2, late: 0 });
  });
});

describe("collisions", () => {
  it("passes with no collision, or with collisions the claimant resolved", async () => {
    for (const cap of ["clean", "probe", "dupResolved"] as const) {
      const r = await one(cap, rules("{ rule: collisions }"));
      expect(r.ok, cap).toBe(true);
    }
    expect((await one("probe", rules("{ rule: collisions }"))).measured).toMatch(/^1 collision, 0 unresolved \(resolved in frame \d+\)$/);
  });

  it("fails when a defended prober never moves", async () => {
    const r = await one("collision", rules("{ rule: collisions }"));
    expect(r.ok).toBe(false);
    expect(r.measured).toBe("1 collision, 1 unresolved");
    expect(r.details[0]).toMatch(/probed by 10\.0\.0\.3 .*is defended by 10\.0\.0\.2:8080\/udp \(frame \d+\); 10\.0\.0\.3 never announced another MAC afterwards$/);
  });

  it("fails when two hosts keep announcing one MAC", async () => {
    const r = await one("dupAnnounce", rules("{ rule: collisions }"));
    expect(r.ok).toBe(false);
    expect(r.details[0]).toMatch(/announced for 10\.0\.0\.3:5432\/tcp \(frame \d+\) is already announced for 10\.0\.0\.2:8080\/udp/);
  });
});

describe("spec", () => {
  it("passes on conforming messages", async () => {
    const r = await one("clean", rules("{ rule: spec }"));
    expect(r.ok).toBe(true);
    expect(r.measured).toBe("8 XARP messages, none with a warning or an error");
  });

  it("fails on reserved flag bits and on a non-local application MAC, naming the expert info", async () => {
    const f = await one("flags", rules("{ rule: spec }"));
    expect(f.ok).toBe(false);
    expect(f.details).toEqual([expect.stringMatching(/^frame \d+: xarp\.reserved_flags \(warn\): Reserved endpoint flag bits are set$/)]);
    const m = await one("globalMac", rules("{ rule: spec }"));
    expect(m.ok).toBe(false);
    expect(m.measured).toMatch(/^1 of 10 XARP messages break the spec \(xarp\.not_local_unicast x1\)$/);
  });

  it("counts only the severity asked for, and skips ignored expert infos", async () => {
    const f = await judge("flags", rules("{ rule: spec, severity: error }"));
    expect(f[0]!.ok).toBe(true);
    const m = await judge("globalMac", rules("{ rule: spec, severity: error }", "{ rule: spec, ignore: [xarp.not_local_unicast] }"));
    expect(m.map((x) => x.ok)).toEqual([false, true]);
    const p = await judge("probe", rules("{ rule: spec }", "{ rule: spec, ignore: [xarp.conflict] }"));
    expect(p.map((x) => x.ok)).toEqual([false, true]);
  });
});

describe("app-macs", () => {
  it("passes when every application MAC is locally administered unicast", async () => {
    const r = await one("clean", rules("{ rule: app-macs }"));
    expect(r.ok).toBe(true);
    expect(r.measured).toBe("1 application MAC, all locally administered unicast");
  });

  it("fails on a universally administered MAC in a reply", async () => {
    const r = await one("globalMac", rules("{ rule: app-macs }"));
    expect(r.ok).toBe(false);
    expect(r.details).toEqual([expect.stringMatching(/^00:1b:21:3a:4f:10: reply for 10\.0\.0\.2:8443\/tcp \(frame \d+\)$/)]);
  });

  it("fails on a configured application MAC that is not locally administered", async () => {
    const r = await one("clean", `model:\n  config: { apps: [{ name: legacy, mac: "00:1b:21:00:00:01" }] }\n${rules("{ rule: app-macs }")}`);
    expect(r.ok).toBe(false);
    expect(r.details).toEqual(['00:1b:21:00:00:01: configured for application "legacy" (model.config)']);
  });
});

describe("apps", () => {
  it("passes when the expected applications are present (by name, endpoint, MAC)", async () => {
    const cfg = JSON.parse(readFileSync(g.config("traffic"), "utf8"));
    const r = await one("traffic", withConfig("traffic.host.json", `{ rule: apps, expect: [{ name: app1 }, { name: app2, endpoint: 10.0.0.2:8081/tcp }, { mac: "${cfg.apps[2].mac}" }, { endpoint: "*:8080/udp" }] }`));
    expect(r.ok).toBe(true);
    expect(r.measured).toBe("4 of 4 present");
    const x = await one("clean", rules("{ rule: apps, expect: [{ endpoint: 10.0.0.2:8080/udp }] }"));
    expect(x.ok).toBe(true);
  });

  it("fails when one is missing, or configured but never seen", async () => {
    const r = await one("traffic", withConfig("traffic.host.json", "{ rule: apps, expect: [{ name: app1 }, { name: db }, { name: app2, endpoint: 10.0.0.2:9999/tcp }] }"));
    expect(r.ok).toBe(false);
    expect(r.measured).toBe("1 of 3 present; missing name db; name app2, endpoint 10.0.0.2:9999/tcp");
    const cfg = JSON.parse(readFileSync(g.config("traffic"), "utf8"));
    cfg.apps.push({ name: "ghost", ip: "10.0.0.2", port: 9999, proto: "udp" });
    g.write("traffic-ghost.json", JSON.stringify(cfg));
    const ghost = await one("traffic", withConfig("traffic-ghost.json", "{ rule: apps, expect: [{ name: ghost }] }"));
    expect(ghost.ok).toBe(false);
  });
});

describe("filter", () => {
  it("counts the packets a display filter matches against min, max or exactly", async () => {
    const r = await judge(
      "clean",
      rules(
        "{ rule: filter, filter: 'xarp.opcode == 4', exactly: 2 }",
        "{ rule: filter, filter: 'xarp.opcode == 4', min: 1, max: 2 }",
        "{ rule: filter, filter: 'xarp.opcode == 3', min: 3 }",
        "{ rule: filter, filter: 'xarp.opcode == 4', max: 1 }",
        "{ rule: filter, filter: 'xarp.opcode == 4', min: 3 }",
        "{ rule: filter, filter: 'xarp.opcode == 4', exactly: 0 }",
        "{ rule: filter, filter: 'tcp', max: 0 }",
      ),
    );
    expect(r.map((x) => x.ok)).toEqual([true, true, true, false, false, false, true]);
    expect(r[3]!.measured).toBe("2 packets match");
    expect(r[3]!.bound).toBe("at most 1 packet");
    expect(r[3]!.details).toEqual(["first matching frames: 4, 5"]);
    expect(r[1]!.bound).toBe("between 1 and 2 packets");
  });
});

describe("shipped captures", () => {
  const files = ownCaptureFiles();
  it.each(files.map((f) => [f.slice(OWN_CAPTURES.length + 1)]))("%s passes its example policy", async (name) => {
    const base = name.replace(/(\.pcapng|\.pcap)(\.gz)?$/, "");
    const dir = join(OWN_CAPTURES, "policies");
    const policy = [join(dir, `${base}.yaml`), join(dir, `${base}.json`)].find(existsSync) ?? join(dir, "default.yaml");
    const p = await loadPolicy(policy);
    const results = evaluate(p, await collect(join(OWN_CAPTURES, name), p));
    expect(results.filter((x) => !x.ok)).toEqual([]);
  });
});
