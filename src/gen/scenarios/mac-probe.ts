// Applications starting: probe, announce; the second host's first candidate collides with the
// first host's application MAC, is defended, and the second host picks a new MAC.
import type { Scenario, ScenarioDef } from "../scenario.js";
import { endpoint, HOST_A, HOST_B, TCP, UDP, XarpMsg } from "../lan.js";
import type { Endpoint } from "../../dissect/protocols/xarp-wire.js";

const PROBE_NUM = 3;
const ANNOUNCE_NUM = 2;

/** Probes and announces `mac` for `ep` from `host` starting at t; returns when announcing ended. */
function claim(s: Scenario, host: { mac: number; ip: number }, mac: number, ep: Endpoint, t: number, conflictAfter?: number): number {
  t += s.uniform(0, 100e6); // PROBE_WAIT
  for (let i = 0; i < PROBE_NUM; i++) {
    s.at(t, () => XarpMsg.probe(host, mac));
    if (conflictAfter !== undefined && i === conflictAfter) return t;
    t += s.uniform(100e6, 200e6); // PROBE_MIN..PROBE_MAX
  }
  t += 200e6; // ANNOUNCE_WAIT
  for (let i = 0; i < ANNOUNCE_NUM; i++) {
    s.at(t, () => XarpMsg.announce(mac, ep));
    t += 1e9; // ANNOUNCE_INTERVAL
  }
  return t;
}

export const macProbe: ScenarioDef = {
  name: "mac-probe",
  summary: "apps start with MAC probing and announcements, including a collision, its defence and the retry",
  params: {
    release: { default: true, help: "end with both applications releasing their MACs" },
  },
  run(s, p) {
    const macA = s.randomAppMac();
    const epA = endpoint(HOST_A.ip, 8080, UDP);
    let t = claim(s, HOST_A, macA, epA, 0);
    // Host B's first candidate is host A's MAC: host A defends it at once.
    const epB = endpoint(HOST_B.ip, 5432, TCP);
    const probeAt = claim(s, HOST_B, macA, epB, t, 0);
    s.at(probeAt + 150e3, () => XarpMsg.defend(macA, epA, HOST_B));
    const macB = s.randomAppMac();
    t = claim(s, HOST_B, macB, epB, probeAt + 1e6);
    if (p.release) {
      s.at(t + 1e9, () => XarpMsg.release(macA, epA));
      s.at(t + 2e9, () => XarpMsg.release(macB, epB));
    }
  },
};
