// Control traffic the kernel keeps (ARP, ICMP, DHCP) mixed with application traffic.
import { ipv4 } from "../../dissect/build.js";
import type { ScenarioDef } from "../scenario.js";
import { arpReply, arpRequest, CLIENT, dhcpMessage, endpoint, GATEWAY, HOST_A, icmpEcho, UDP, XarpMsg, udpFrame } from "../lan.js";

export const controlMix: ScenarioDef = {
  name: "control-mix",
  summary: "ARP, ICMP echo and a DHCP exchange mixed with UDP traffic to an application",
  params: {
    packets: { default: 200, help: "application datagrams" },
    pings: { default: 4, help: "ICMP echo request/reply pairs" },
  },
  run(s, p) {
    const newHost = 0x02_00_5e_00_00_09;
    dhcp: {
      const xid = Math.floor(s.random() * 2 ** 32);
      const offered = ipv4("10.0.0.9");
      s.at(0, () => dhcpMessage("discover", newHost, xid, GATEWAY, offered));
      s.at(2e6, () => dhcpMessage("offer", newHost, xid, GATEWAY, offered));
      s.at(3e6, () => dhcpMessage("request", newHost, xid, GATEWAY, offered));
      s.at(5e6, () => dhcpMessage("ack", newHost, xid, GATEWAY, offered));
      break dhcp;
    }
    s.at(10e6, () => arpRequest(GATEWAY, HOST_A.ip));
    s.at(10.1e6, () => arpReply(HOST_A, GATEWAY));
    const app = s.randomAppMac();
    s.at(11e6, () => XarpMsg.announce(app, endpoint(HOST_A.ip, 6000, UDP)));
    for (let i = 0; i < Number(p.pings); i++) {
      s.at(20e6 + i * 1e9, () => icmpEcho(GATEWAY, HOST_A, false, 0x4242, i + 1));
      s.at(20.05e6 + i * 1e9, () => icmpEcho(HOST_A, GATEWAY, true, 0x4242, i + 1));
    }
    const n = Number(p.packets);
    for (let i = 0; i < n; i++) s.at(15e6 + (i * 4e9) / n, () => udpFrame(GATEWAY.mac, app, CLIENT.ip, HOST_A.ip, 53000, 6000, 200, i));
  },
};
