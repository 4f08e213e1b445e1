#!/usr/bin/env bash
# Regenerates the scenario captures shipped in captures/ (deterministic: same seed, same bytes).
# test/gen/shipped-captures.test.ts checks that these files are exactly what this script makes.
set -euo pipefail
cd "$(dirname "$0")/.."
gen() { node bin/arpx gen "$@"; }
gen gateway-resolve --seed 1 -w captures/xarp-gateway-resolve.pcapng
gen mac-probe --seed 2 -w captures/xarp-mac-probe.pcapng
gen traffic --seed 3 -p duration=0.05 -w captures/xarp-traffic.pcapng --config-out captures/xarp-traffic.host.json
gen slow-app --seed 4 -w captures/xarp-slow-app.pcapng --config-out captures/xarp-slow-app.host.json
gen control-mix --seed 5 -w captures/xarp-control-mix.pcapng
gen legacy-gateway --seed 6 -p duration=0.02 -w captures/xarp-legacy-gateway.pcapng
gen quic --seed 7 -w captures/quic-handshakes.pcapng
