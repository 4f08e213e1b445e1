// `arpx stats FILE`: protocol hierarchy, conversations, endpoints, I/O per interval, followed
// streams and expert infos.
import type { Command } from "commander";
import { Engine } from "../../dissect/engine.js";
import { compileFilter, FilterError, type CompiledFilter } from "../../dissect/filter/index.js";
import { TreeMode } from "../../dissect/tree.js";
import { Out } from "../out.js";
import { openOrReport, walk } from "../readloop.js";
import { parseStatSpecs, StatsCollector, STAT_SPECS, type StatsRequest } from "../stats-report.js";
import { addNameOptions, collect } from "../options.js";

export default function register(program: Command, done: (code: number) => void): void {
  addNameOptions(program
    .command("stats")
    .description("protocol hierarchy, conversations, endpoints, I/O, followed streams and expert infos of a capture")
    .argument("<file>", "capture file ('-' for standard input)")
    .option("-z, --stat <spec>", `${STAT_SPECS} (repeatable; default: phs, conv,ip, conv,tcp, conv,udp, io,stat,1)`, collect, [])
    .option("-Y, --display-filter <filter>", "count only packets matching this display filter"))
    .action(async (file: string, o: { stat: string[]; displayFilter?: string }) => {
      const specs = o.stat.length ? o.stat : ["io,phs", "conv,ip", "conv,tcp", "conv,udp", "io,stat,1"];
      done(await statsCommand(file, parseStatSpecs(specs), o.displayFilter));
    });
}

export async function statsCommand(file: string, req: StatsRequest, filterText?: string): Promise<number> {
  let filter: CompiledFilter | undefined;
  if (filterText) {
    try {
      filter = compileFilter(filterText);
    } catch (e) {
      if (e instanceof FilterError) {
        process.stderr.write(e.caretMessage() + "\n");
        return 2;
      }
      throw e;
    }
  }
  const stats = new StatsCollector(req);
  const fields = [...(filter?.fields ?? []), ...stats.fields];
  const engine = new Engine({ mode: fields.length ? TreeMode.FIELDS : TreeMode.SUMMARY, fields, columns: false });
  stats.attach(engine);
  const reader = await openOrReport(file);
  if (!reader) return 2;
  engine.interfaces = reader.interfaces;
  const status = await walk(reader, (r) => {
    const p = engine.dissect(r);
    if (filter && !filter.test(engine.tree)) return;
    stats.add(p, engine.tree);
  });
  await reader.close();
  const out = new Out();
  stats.print(out, filterText ? `Filter: ${filterText}` : "Filter: <none>");
  out.flush();
  return status;
}
