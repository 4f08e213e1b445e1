// A gateway that knows only ARP: it resolves the host's address with plain ARP and sends all
// application traffic to the canonical MAC, even though the apps announced their own MACs.
import type { ScenarioDef } from "../scenario.js";
import { arpReply, arpRequest, GATEWAY, HOST_A } from "../lan.js";
import { traffic } from "./traffic.js";

export const legacyGateway: ScenarioDef = {
  name: "legacy-gateway",
  summary: "a gateway that knows only ARP: everything goes to the host's canonical MAC and the kernel queue",
  params: { ...traffic.params, legacy: { default: true, help: "always true here" } },
  run(s, p) {
    s.at(0, () => arpRequest(GATEWAY, HOST_A.ip));
    s.at(60e3, () => arpReply(HOST_A, GATEWAY));
    traffic.run(s, { ...p, legacy: true });
  },
};
