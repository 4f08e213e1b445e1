// Every scenario `arpx gen` knows, by name.
import type { ScenarioDef } from "../scenario.js";
import { controlMix } from "./control-mix.js";
import { faults } from "./faults.js";
import { gatewayResolve } from "./gateway-resolve.js";
import { legacyGateway } from "./legacy-gateway.js";
import { macProbe } from "./mac-probe.js";
import { quic } from "./quic.js";
import { slowApp } from "./slow-app.js";
import { traffic } from "./traffic.js";

export const SCENARIOS: readonly ScenarioDef[] = [gatewayResolve, macProbe, traffic, slowApp, controlMix, legacyGateway, faults, quic];

export function scenarioByName(name: string): ScenarioDef | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
