// `arpx check` policies: a JSON (.json) or YAML file naming the rules a capture must pass, and how
// to run the NIC model for the rules that need it. Validated with zod (policy-schema.ts, loaded
// only here) so every bad key is reported with its path; docs/check.md documents every rule.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseIpv4, parseMac } from "../nicmodel/classify.js";
import { ConfigError, loadConfigFile, resolveConfig, type ConfigInput, type Learn } from "../nicmodel/config.js";
import type { CompiledFilter } from "../dissect/filter/index.js";
import type { ModelSettings } from "../nicmodel/run.js";

export type { ModelSettings };

export class PolicyError extends Error {
  override name = "PolicyError";
}

export const RULE_KINDS = ["overflows", "occupancy", "kernel-drops", "resolution", "collisions", "spec", "app-macs", "apps", "filter"] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const OCCUPANCY_STATS = ["max", "p99", "p50", "mean"] as const;

interface Named {
  /** Shown in the pass/fail list and as the JUnit test case name (default: made from the rule). */
  name?: string | undefined;
}

export interface OverflowsRule extends Named {
  rule: "overflows";
  /** Application name, endpoint (10.0.0.2:8080/udp) or MAC; "*" for every application. */
  app: string;
  max?: number | undefined;
  maxPerSecond?: number | undefined;
  maxRatio?: number | undefined;
}

export interface OccupancyRule extends Named {
  rule: "occupancy";
  app: string;
  maxPercent: number;
  stat: (typeof OCCUPANCY_STATS)[number];
}

export interface KernelDropsRule extends Named {
  rule: "kernel-drops";
  max?: number | undefined;
  maxPerSecond?: number | undefined;
}

export interface ResolutionRule extends Named {
  rule: "resolution";
  withinMs: number;
}

export interface CollisionsRule extends Named {
  rule: "collisions";
}

export interface SpecRule extends Named {
  rule: "spec";
  /** Expert infos (xarp.*) not counted. */
  ignore: string[];
  /** Lowest severity counted. */
  severity: "warn" | "error";
}

export interface AppMacsRule extends Named {
  rule: "app-macs";
}

export interface AppExpectation {
  name?: string | undefined;
  endpoint?: string | undefined;
  mac?: string | undefined;
}

export interface AppsRule extends Named {
  rule: "apps";
  expect: AppExpectation[];
}

export interface FilterRule extends Named {
  rule: "filter";
  filter: string;
  min?: number | undefined;
  max?: number | undefined;
  exactly?: number | undefined;
}

export type Rule = OverflowsRule | OccupancyRule | KernelDropsRule | ResolutionRule | CollisionsRule | SpecRule | AppMacsRule | AppsRule | FilterRule;

/** What the file says about the NIC model (see docs/nic-model.md for the configuration itself). */
export interface ModelInput {
  config?: string | Record<string, unknown> | undefined;
  dispatch?: "mac" | "port" | undefined;
  filter?: "promiscuous" | "mac" | undefined;
  learn?: Learn[] | undefined;
  hostMac?: string | undefined;
  hostIp?: string | undefined;
  speed?: number | undefined;
  guessFrames?: number | undefined;
}

export interface PolicyInput {
  name?: string | undefined;
  description?: string | undefined;
  model?: ModelInput | undefined;
  rules: Rule[];
}

export interface Policy {
  /** The file, as given on the command line. */
  path: string;
  name: string | undefined;
  model: ModelSettings;
  rules: Rule[];
  /** Compiled display filters of the `filter` rules, by rule index. */
  filters: Map<number, CompiledFilter>;
}

/** Rules answered by the NIC model (src/nicmodel) rather than by dissection. */
export function needsModel(r: Rule): boolean {
  return r.rule === "overflows" || r.rule === "occupancy" || r.rule === "kernel-drops" || r.rule === "apps";
}

/** Rules answered by dissecting every frame (XARP facts, expert infos, display filters). */
export function needsDissection(r: Rule): boolean {
  return !(r.rule === "overflows" || r.rule === "occupancy" || r.rule === "kernel-drops");
}

/**
 * Reads, parses and validates a policy. Every problem is a PolicyError whose message has one line
 * per problem, each starting with the file name and naming the bad key (`rules[2].max: ...`).
 */
export async function loadPolicy(path: string): Promise<Policy> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new PolicyError(`${path}: cannot read the policy: ${(e as Error).message}`);
  }
  const json = /\.json$/i.test(path);
  let raw: unknown;
  try {
    raw = json ? JSON.parse(text) : (await import("yaml")).parse(text);
  } catch (e) {
    throw new PolicyError(`${path}: not valid ${json ? "JSON" : "YAML"}: ${(e as Error).message.split("\n")[0]}`);
  }
  if (raw === null || raw === undefined) throw new PolicyError(`${path}: the policy is empty (it needs rules: [...])`);
  const { validatePolicy } = await import("./policy-schema.js");
  const input = validatePolicy(raw, path);

  const m = input.model ?? {};
  let config: ConfigInput | null = null;
  if (typeof m.config === "string") {
    const cfgPath = resolve(dirname(path), m.config);
    try {
      config = await loadConfigFile(cfgPath);
    } catch (e) {
      if (e instanceof ConfigError) throw new PolicyError(e.message.split("\n").map((l) => `${path}: model.config: ${l}`).join("\n"));
      throw e;
    }
  } else if (m.config !== undefined) {
    const { validateConfig } = await import("../nicmodel/config-schema.js");
    try {
      config = validateConfig(m.config, `${path}: model.config`);
    } catch (e) {
      if (e instanceof ConfigError) throw new PolicyError(e.message);
      throw e;
    }
  }
  const model: ModelSettings = {
    config,
    dispatch: m.dispatch,
    filter: m.filter,
    learn: m.learn,
    hostMac: m.hostMac !== undefined ? parseMac(m.hostMac)! : undefined,
    hostIp: m.hostIp !== undefined ? parseIpv4(m.hostIp)! : undefined,
    speed: m.speed ?? 1,
    guessFrames: m.guessFrames ?? 50000,
  };
  try {
    // the same checks arpx replay makes before reading a capture (duplicate names, MACs, ...)
    resolveConfig(config, { dispatch: model.dispatch, filter: model.filter, learn: model.learn, hostMac: model.hostMac, hostIp: model.hostIp });
  } catch (e) {
    if (e instanceof ConfigError) throw new PolicyError(`${path}: model.config: ${e.message}`);
    throw e;
  }

  const filters = new Map<number, CompiledFilter>();
  const wantsFilter = input.rules.some((r) => r.rule === "filter");
  if (wantsFilter) {
    const { compileFilter, FilterError } = await import("../dissect/filter/index.js");
    input.rules.forEach((r, i) => {
      if (r.rule !== "filter") return;
      try {
        filters.set(i, compileFilter(r.filter));
      } catch (e) {
        if (e instanceof FilterError) throw new PolicyError(`${path}: rules[${i}].filter: ${e.message} (at character ${e.pos + 1} of "${r.filter}")`);
        throw e;
      }
    });
  }
  return { path, name: input.name, model, rules: input.rules, filters };
}
