// `arpx gen SCENARIO -w FILE`: deterministic extended-ARP scenarios as pcap or pcapng.
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { createWriter, formatFromPath } from "../../capture/write.js";
import { parseParams, Scenario } from "../../gen/scenario.js";
import { SCENARIOS, scenarioByName } from "../../gen/scenarios/index.js";
import { Out, UsageError } from "../out.js";
import { collect } from "../options.js";

export default function register(program: Command, done: (code: number) => void): void {
  program
    .command("gen")
    .description("generate a deterministic extended-ARP scenario capture (arpx gen --list for scenarios)")
    .argument("[scenario]", "scenario name")
    .option("-w, --write <file>", "capture file to write (.pcap or .pcapng; '-' for standard output)")
    .option("-F, --write-format <format>", "pcap or pcapng (default: from the file name)")
    .option("-s, --seed <n>", "random seed", "1")
    .option("-p, --param <key=value>", "scenario parameter (repeatable; see --list)", collect, [])
    .option("--config-out <file>", "also write the matching host configuration for arpx replay (JSON)")
    .option("--list", "list scenarios and their parameters")
    .action(async (name: string | undefined, o: { write?: string; writeFormat?: string; seed: string; param: string[]; configOut?: string; list?: boolean }) => {
      if (o.list || !name) {
        const out = new Out();
        for (const s of SCENARIOS) {
          out.line(`${s.name}: ${s.summary}`);
          for (const [k, spec] of Object.entries(s.params)) out.line(`    ${k} (default ${String(spec.default)}): ${spec.help}`);
        }
        out.flush();
        done(name || o.list ? 0 : 2);
        return;
      }
      const def = scenarioByName(name);
      if (!def) throw new UsageError(`no scenario "${name}" (${SCENARIOS.map((s) => s.name).join(", ")})`);
      if (!o.write) throw new UsageError("arpx gen needs -w FILE");
      const seed = Number(o.seed);
      if (!Number.isInteger(seed)) throw new UsageError(`invalid seed "${o.seed}"`);
      const given: Record<string, string> = {};
      for (const kv of o.param) {
        const eq = kv.indexOf("=");
        if (eq < 1) throw new UsageError(`invalid -p "${kv}" (expected key=value)`);
        given[kv.slice(0, eq)] = kv.slice(eq + 1);
      }
      let params;
      try {
        params = parseParams(def, given);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      const wf = o.writeFormat ?? formatFromPath(o.write);
      if (wf !== "pcap" && wf !== "pcapng") throw new UsageError(`invalid -F format "${wf}"`);
      const s = new Scenario(seed);
      def.run(s, params);
      const paramText = Object.entries(params).map(([k, v]) => `${k}=${String(v)}`).join(" ");
      const w = createWriter(o.write, {
        format: wf,
        nanosecond: true,
        interfaces: [{ linkType: 1, snapLen: 65535, name: "gen0", description: `arpx gen ${def.name}` }],
        comment: `arpx gen ${def.name} --seed ${seed} ${paramText}`.trim(),
      });
      for (const f of s.frames()) w.writePacket({ data: f.data, wireLen: f.data.length, tsSec: f.tsSec, tsNsec: f.tsNsec, linkType: 1, ifIndex: 0 });
      await w.close();
      if (o.configOut) {
        if (s.hostConfig === undefined) throw new UsageError(`scenario ${def.name} has no host configuration to write`);
        writeFileSync(o.configOut, JSON.stringify(s.hostConfig, null, 2) + "\n");
      }
      if (o.write !== "-") process.stderr.write(`arpx gen: wrote ${s.count} packets to ${o.write}\n`);
      done(0);
    });
}
