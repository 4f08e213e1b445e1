// One application releases its buffers slower than traffic arrives: its ring fills and the
// excess overflows to the kernel queue. The host configuration written beside the capture
// (--config-out) gives the app's ring and release rate.
import type { ScenarioDef } from "../scenario.js";
import { CLIENT, endpoint, GATEWAY, HOST_A, UDP, XarpMsg, udpFrame } from "../lan.js";
import { macText } from "./traffic.js";

export const slowApp: ScenarioDef = {
  name: "slow-app",
  summary: "an app draining its ring slower than traffic arrives: ring fills, overflow goes to the kernel",
  params: {
    rate: { default: 100000, help: "arriving packets per second" },
    release_rate: { default: 60000, help: "packets per second the app releases (in the written host config)" },
    ring: { default: 256, help: "ring size in descriptors (in the written host config)" },
    packets: { default: 5000, help: "packets sent" },
    size: { default: 256, help: "frame size in bytes" },
  },
  run(s, p) {
    const mac = s.randomAppMac();
    const fast = s.randomAppMac();
    s.at(0, () => XarpMsg.announce(mac, endpoint(HOST_A.ip, 7000, UDP)));
    s.at(1e3, () => XarpMsg.announce(fast, endpoint(HOST_A.ip, 7001, UDP)));
    const period = 1e9 / Number(p.rate);
    for (let i = 0; i < Number(p.packets); i++) {
      const t = 1e6 + i * period;
      s.at(t, () => udpFrame(GATEWAY.mac, mac, CLIENT.ip, HOST_A.ip, 50000, 7000, Number(p.size), i));
      if (i % 10 === 0) s.at(t + period / 2, () => udpFrame(GATEWAY.mac, fast, CLIENT.ip, HOST_A.ip, 50001, 7001, Number(p.size), i));
    }
    s.hostConfig = {
      host: { mac: "00:16:3e:11:22:33", ip: "10.0.0.2" },
      apps: [
        { name: "slow", ip: "10.0.0.2", port: 7000, proto: "udp", mac: macText(mac), ring: Number(p.ring), rate: Number(p.release_rate), batch: 1 },
        { name: "fast", ip: "10.0.0.2", port: 7001, proto: "udp", mac: macText(fast), ring: Number(p.ring), rate: Number(p.rate), batch: 1 },
      ],
    };
  },
};
