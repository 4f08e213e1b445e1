// `arpx agent --iface IF --ip A --app NAME=PORT/PROTO ...`: the XARP host control plane on a real
// interface (src/xarp/agent.ts): application MACs probed, announced, defended and released on
// SIGINT/SIGTERM; resolution requests answered. One line per event (--json: one JSON object).
import type { Command } from "commander";
import { ipv4, mac } from "../../dissect/build.js";
import { Agent, eventText, type AgentEvent, type AppSpec } from "../../xarp/agent.js";
import { parseBinding } from "../../xarp/frames.js";
import { LinkError, openPcapLink } from "../../xarp/link.js";
import { UsageError } from "../out.js";
import { collect } from "../options.js";

interface Opts {
  iface?: string;
  ip?: string;
  app: string[];
  firstMac: string[];
  json?: boolean;
}

function parseApps(o: Opts): AppSpec[] {
  const apps = new Map<string, AppSpec>();
  const owners = new Map<string, string>();
  for (const a of o.app) {
    const eq = a.indexOf("=");
    if (eq < 1) throw new UsageError(`invalid --app "${a}" (expected NAME=PORT/PROTO[,PORT/PROTO...], e.g. web=8080/tcp)`);
    const name = a.slice(0, eq);
    const spec = apps.get(name) ?? { name, bindings: [] };
    for (const part of a.slice(eq + 1).split(",")) {
      let b;
      try {
        b = parseBinding(part);
      } catch (e) {
        throw new UsageError(`--app ${a}: ${(e as Error).message}`);
      }
      const key = `${b.port}/${b.proto}`;
      const prev = owners.get(key);
      if (prev !== undefined && prev !== name) throw new UsageError(`--app ${a}: ${part} is already held by ${prev}`);
      if (prev === undefined) spec.bindings.push(b);
      owners.set(key, name);
    }
    apps.set(name, spec);
  }
  const list = [...apps.values()];
  for (const f of o.firstMac) {
    const eq = f.indexOf("=");
    const name = eq > 0 ? f.slice(0, eq) : list[0]?.name;
    const app = list.find((x) => x.name === name);
    if (!app) throw new UsageError(`--first-mac ${f}: no application "${name}"`);
    let m: number;
    try {
      m = mac(eq > 0 ? f.slice(eq + 1) : f);
    } catch (e) {
      throw new UsageError(`--first-mac ${f}: ${(e as Error).message}`);
    }
    app.firstMac = m;
  }
  return list;
}

export default function register(program: Command, done: (code: number) => void): void {
  program
    .command("agent")
    .description("run the extended-ARP host control plane on an interface: probe/announce/defend application MACs, answer resolution requests, release on exit (needs root or CAP_NET_RAW)")
    .option("-i, --iface <interface>", "interface to run on")
    .option("--ip <address>", "this host's IPv4 address on the interface")
    .option("--app <name=port/proto>", "an application and its endpoints, e.g. web=8080/tcp or dns=53/udp,53/tcp (repeatable)", collect, [])
    .option("--first-mac <[name=]mac>", "first candidate MAC for an application (default: the first one) instead of a random one; for tests and manual configuration (repeatable)", collect, [])
    .option("--json", "one JSON object per event")
    .action(async (o: Opts) => {
      if (!o.iface) throw new UsageError("arpx agent needs --iface IF");
      if (!o.ip) throw new UsageError("arpx agent needs --ip ADDRESS (this host's IPv4 address)");
      let ip: number;
      try {
        ip = ipv4(o.ip);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      const apps = parseApps(o);
      if (apps.length === 0) throw new UsageError("arpx agent needs at least one --app NAME=PORT/PROTO");
      let link;
      try {
        link = openPcapLink(o.iface);
      } catch (e) {
        if (e instanceof LinkError) throw new UsageError(e.message, 1);
        throw e;
      }
      const t0 = Date.now();
      const log = (e: AgentEvent) => {
        const elapsed = (Date.now() - t0) / 1000;
        process.stdout.write(o.json ? `${JSON.stringify({ time: new Date().toISOString(), elapsed, ...e })}\n` : `${elapsed.toFixed(3).padStart(9)} ${eventText(e)}\n`);
      };
      const agent = new Agent(link, { ip, apps, log });
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          agent.stop();
          link.close();
          resolve();
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
        agent.start();
      });
      done(0);
    });
}
