// A small, clean XARP exchange (an application claims its MAC, the gateway resolves it, the
// application releases it) into which faults can be switched on one by one, so `arpx check`
// rules have a failing capture each: requests nobody answers, a MAC collision the prober never
// resolves, two hosts announcing one MAC, an application MAC that is not locally administered,
// reserved flag bits. With no parameter the capture breaks no rule.
import { mac } from "../../dissect/build.js";
import type { ScenarioDef } from "../scenario.js";
import { BROADCAST, endpoint, GATEWAY, HOST_A, HOST_B, TCP, UDP, XarpMsg } from "../lan.js";
import { ethLayer } from "../../dissect/protocols/eth.js";
import { ETHERTYPE } from "../../dissect/protocols/ethertypes.js";
import { xarpLayer, XarpOp } from "../../dissect/protocols/xarp-wire.js";

/** A universally administered (burned-in style) MAC, wrongly used as an application MAC. */
const GLOBAL_MAC = mac("00:1b:21:3a:4f:10");

export const faults: ScenarioDef = {
  name: "faults",
  summary: "a clean claim/resolve/release exchange with optional faults (for arpx check): unanswered requests, unresolved collisions, non-local MACs",
  params: {
    unanswered: { default: 0, help: "resolution requests nobody answers (10.0.0.2:9000/udp, 9001/udp, ...)" },
    collision: { default: false, help: "host B probes host A's application MAC, is defended, and never picks another MAC" },
    dup_announce: { default: false, help: "host B announces host A's application MAC for its own endpoint 10.0.0.3:5432/tcp" },
    resolve_dup: { default: false, help: "with dup_announce: host B then re-announces its endpoint with a MAC of its own" },
    global_mac: { default: false, help: "host A answers a request for 10.0.0.2:8443/tcp with a universally administered MAC" },
    reserved_flags: { default: false, help: "host A re-announces its endpoint with reserved flag bits set" },
  },
  run(s, p) {
    const macA = s.randomAppMac();
    const epA = endpoint(HOST_A.ip, 8080, UDP);
    // claim: three probes, then two announcements (spec section 5.2)
    for (let i = 0; i < 3; i++) s.at(10e6 + i * 150e6, () => XarpMsg.probe(HOST_A, macA));
    s.at(510e6, () => XarpMsg.announce(macA, epA));
    s.at(1510e6, () => XarpMsg.announce(macA, epA));
    // the gateway resolves the application's endpoint
    s.at(2e9, () => XarpMsg.request(GATEWAY, epA));
    s.at(2e9 + 80e3, () => XarpMsg.reply(macA, epA, GATEWAY));
    for (let i = 0; i < Number(p.unanswered); i++) {
      const ep = endpoint(HOST_A.ip, 9000 + i, UDP);
      s.at(2.2e9 + i * 10e6, () => XarpMsg.request(GATEWAY, ep));
    }
    if (p.global_mac) {
      const ep = endpoint(HOST_A.ip, 8443, TCP);
      s.at(2.5e9, () => XarpMsg.request(GATEWAY, ep));
      s.at(2.5e9 + 80e3, () => XarpMsg.reply(GLOBAL_MAC, ep, GATEWAY));
    }
    const epB = endpoint(HOST_B.ip, 5432, TCP);
    if (p.collision) {
      s.at(3e9, () => XarpMsg.probe(HOST_B, macA));
      s.at(3e9 + 150e3, () => XarpMsg.defend(macA, epA, HOST_B));
    }
    if (p.dup_announce) {
      s.at(4e9, () => XarpMsg.announce(macA, epB));
      if (p.resolve_dup) {
        const macB = s.randomAppMac();
        s.at(4.5e9, () => XarpMsg.announce(macB, epB));
      }
    }
    if (p.reserved_flags) {
      const flagged = { ...epA, flags: 0x01 };
      s.at(5e9, () => [ethLayer({ dst: BROADCAST, src: macA, type: ETHERTYPE.ARP }), xarpLayer({ op: XarpOp.ANNOUNCE, sha: macA, spa: flagged, tha: macA, tpa: flagged })]);
    }
    s.at(6e9, () => XarpMsg.release(macA, epA));
  },
};
