// A gateway resolving several applications that share one IPv4 address, one of them absent.
import type { ScenarioDef } from "../scenario.js";
import { endpoint, GATEWAY, HOST_A, TCP, UDP, XarpMsg } from "../lan.js";

export const gatewayResolve: ScenarioDef = {
  name: "gateway-resolve",
  summary: "a gateway resolves IP+port for several apps on one host; an unbound port gets the canonical MAC",
  params: {
    apps: { default: 3, help: "applications on host A (ports 8080, 8081, ...; alternating UDP and TCP)" },
    rounds: { default: 2, help: "resolution rounds (each round re-resolves every app, as cache refreshes do)" },
    interval: { default: 55, help: "seconds between rounds (RESOLVE_LIFETIME - REFRESH_BEFORE)" },
    latency_us: { default: 80, help: "host's answer latency, microseconds" },
  },
  run(s, p) {
    const apps = Array.from({ length: Number(p.apps) }, (_, i) => ({
      mac: s.randomAppMac(),
      ep: endpoint(HOST_A.ip, 8080 + i, i % 2 === 0 ? UDP : TCP),
    }));
    const unbound = endpoint(HOST_A.ip, 9999, TCP);
    let t = 1e6;
    for (let r = 0; r < Number(p.rounds); r++) {
      for (const a of apps) {
        s.at(t, () => XarpMsg.request(GATEWAY, a.ep));
        s.at(t + Number(p.latency_us) * 1e3, () => XarpMsg.reply(a.mac, a.ep, GATEWAY));
        t += 2e6;
      }
      s.at(t, () => XarpMsg.request(GATEWAY, unbound));
      s.at(t + Number(p.latency_us) * 1e3, () => XarpMsg.fallback(HOST_A, unbound, GATEWAY));
      t += Number(p.interval) * 1e9;
    }
  },
};
