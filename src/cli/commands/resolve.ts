// `arpx resolve --iface IF IP:PORT/PROTO ...`: the gateway side of extended ARP: broadcast
// REQUESTs (REQUEST_TIMEOUT apart, REQUEST_TRIES times) and print each answer. Exit 0 when every
// endpoint was answered, 1 when one timed out.
import { networkInterfaces } from "node:os";
import type { Command } from "commander";
import { ipv4 } from "../../dissect/build.js";
import { endpointText, type Endpoint } from "../../dissect/protocols/xarp-wire.js";
import { ipText, macText, parseEndpoint } from "../../xarp/frames.js";
import { LinkError, openPcapLink } from "../../xarp/link.js";
import { REQUEST_TIMEOUT, REQUEST_TRIES, resolveEndpoints } from "../../xarp/resolve.js";
import { UsageError } from "../out.js";

interface Opts {
  iface?: string;
  ip?: string;
  timeout: string;
  tries: string;
  json?: boolean;
  verbose?: boolean;
}

function positiveInt(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`invalid ${what} "${text}"`);
  return n;
}

function interfaceIpv4(iface: string): number | null {
  const a = (networkInterfaces()[iface] ?? []).find((x) => x.family === "IPv4");
  return a ? ipv4(a.address) : null;
}

export default function register(program: Command, done: (code: number) => void): void {
  program
    .command("resolve")
    .description("resolve IP:PORT/PROTO endpoints to application MACs with extended-ARP requests, as a gateway does (needs root or CAP_NET_RAW)")
    .argument("<endpoint...>", "endpoints to resolve, e.g. 10.0.0.2:8080/udp")
    .option("-i, --iface <interface>", "interface to send the requests on")
    .option("--ip <address>", "the sender IPv4 address in the requests (default: the interface's first IPv4 address)")
    .option("--timeout <ms>", "wait this long for each reply (REQUEST_TIMEOUT)", String(REQUEST_TIMEOUT))
    .option("--tries <n>", "requests per endpoint before giving up (REQUEST_TRIES)", String(REQUEST_TRIES))
    .option("--json", "one JSON object per endpoint")
    .option("--verbose", "also print each request as it is sent (to standard error)")
    .action(async (args: string[], o: Opts) => {
      if (!o.iface) throw new UsageError("arpx resolve needs --iface IF");
      const timeoutMs = positiveInt(o.timeout, "--timeout");
      const tries = positiveInt(o.tries, "--tries");
      let targets: Endpoint[];
      try {
        targets = args.map(parseEndpoint);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      let ip: number | null;
      try {
        ip = o.ip ? ipv4(o.ip) : interfaceIpv4(o.iface);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      if (ip === null) throw new UsageError(`${o.iface} has no IPv4 address: give the requests' sender address with --ip`);
      let link;
      try {
        link = openPcapLink(o.iface);
      } catch (e) {
        if (e instanceof LinkError) throw new UsageError(e.message, 1);
        throw e;
      }
      const self = { mac: link.mac, ip };
      let results;
      try {
        results = await resolveEndpoints(link, self, targets, {
          timeoutMs,
          tries,
          onRequest: o.verbose ? (t, n) => process.stderr.write(`arpx resolve: who has ${endpointText(t)}? tell ${ipText(ip!)} (request ${n}/${tries})\n`) : undefined,
        });
      } finally {
        link.close();
      }
      let failed = 0;
      for (const r of results) {
        const ep = endpointText(r.target);
        if (o.json) {
          process.stdout.write(`${JSON.stringify(r.ok ? { endpoint: ep, mac: macText(r.mac), canonical: r.canonical, tries: r.tries, ms: r.ms } : { endpoint: ep, error: "timeout", tries: r.tries, ms: r.ms })}\n`);
        } else if (r.ok) {
          process.stdout.write(`${ep} is at ${macText(r.mac)} ${r.canonical ? "(canonical: no application)" : "(app)"}\n`);
        }
        if (!r.ok) {
          failed++;
          if (!o.json) {
            process.stderr.write(`arpx resolve: no reply for ${ep} after ${r.tries} request${r.tries === 1 ? "" : "s"} ${timeoutMs} ms apart on ${o.iface}: ${ipText(r.target.ip)} runs no XARP agent or is unreachable (a legacy host still answers plain ARP with its canonical MAC)\n`);
          }
        }
      }
      done(failed > 0 ? 1 : 0);
    });
}
