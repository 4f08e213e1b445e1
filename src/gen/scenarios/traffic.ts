// Steady and bursty traffic from a remote client, through the gateway, to several applications
// (UDP and TCP), after each application announced its MAC.
import type { ScenarioDef } from "../scenario.js";
import { CLIENT, endpoint, GATEWAY, HOST_A, TCP, UDP, XarpMsg, tcpFrame, udpFrame } from "../lan.js";

export const traffic: ScenarioDef = {
  name: "traffic",
  summary: "steady and bursty UDP and TCP traffic to several apps on one host, steered to app MACs",
  params: {
    apps: { default: 3, help: "applications (ports 8080...; even ones UDP, odd ones TCP)" },
    rate: { default: 20000, help: "packets per second per application (steady part)" },
    size: { default: 512, help: "frame size in bytes" },
    duration: { default: 0.5, help: "seconds of traffic" },
    burst: { default: 64, help: "packets per burst (bursty apps: every third app); 0 for none" },
    burst_gap_us: { default: 0.5, help: "microseconds between packets inside a burst (line rate ~ 0.05-0.7)" },
    legacy: { default: false, help: "send everything to the host's canonical MAC (a gateway that knows only ARP)" },
  },
  run(s, p) {
    const n = Number(p.apps);
    const rate = Number(p.rate), size = Number(p.size), dur = Number(p.duration) * 1e9;
    const burst = Number(p.burst), gap = Number(p.burst_gap_us) * 1e3;
    const legacy = Boolean(p.legacy);
    const apps = Array.from({ length: n }, (_, i) => ({ mac: s.randomAppMac(), port: 8080 + i, proto: i % 2 === 0 ? UDP : TCP }));
    for (const a of apps) s.at(0, () => XarpMsg.announce(a.mac, endpoint(HOST_A.ip, a.port, a.proto)));
    const start = 10e6;
    let id = 0;
    apps.forEach((a, i) => {
      const dst = legacy ? HOST_A.mac : a.mac;
      const sport = 40000 + i;
      let seq = 1000;
      const period = 1e9 / rate;
      const bursty = burst > 0 && i % 3 === 2;
      const payload = Math.max(0, size - 54);
      if (a.proto === TCP) {
        s.at(start - 3e6, () => tcpFrame(GATEWAY.mac, dst, CLIENT.ip, HOST_A.ip, sport, a.port, seq - 1, 0, 0x002, 0, id++));
        s.at(start - 1e6, () => tcpFrame(GATEWAY.mac, dst, CLIENT.ip, HOST_A.ip, sport, a.port, seq, 1, 0x010, 0, id++));
      }
      const send = (t: number) => {
        const myId = id++;
        const mySeq = seq;
        if (a.proto === UDP) s.at(t, () => udpFrame(GATEWAY.mac, dst, CLIENT.ip, HOST_A.ip, sport, a.port, size, myId));
        else {
          s.at(t, () => tcpFrame(GATEWAY.mac, dst, CLIENT.ip, HOST_A.ip, sport, a.port, mySeq, 1, 0x018, payload, myId));
          seq = (seq + payload) >>> 0;
        }
      };
      if (bursty) {
        const every = (burst * 1e9) / rate;
        for (let t = start; t < start + dur; t += every) for (let k = 0; k < burst; k++) send(t + k * gap);
      } else for (let t = start + s.uniform(0, period); t < start + dur; t += period) send(t);
    });
    s.hostConfig = {
      host: { mac: "00:16:3e:11:22:33", ip: "10.0.0.2" },
      apps: apps.map((a, i) => ({ name: `app${i + 1}`, ip: "10.0.0.2", port: a.port, proto: a.proto === UDP ? "udp" : "tcp", mac: macText(a.mac), ring: 512, rate: rate * 1.5, batch: 32 })),
    };
  },
};

export function macText(m: number): string {
  return m.toString(16).padStart(12, "0").replace(/(..)(?!$)/g, "$1:");
}
