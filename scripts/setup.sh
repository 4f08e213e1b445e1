#!/usr/bin/env bash
# Installs what arpx needs on a fresh Debian/Ubuntu machine, then its npm packages (which builds
# arpx itself). System packages: libpcap-dev (live capture through the `cap` binding), tshark
# and tcpdump (reference decoders for tests and the benchmark), iproute2 (test hosts in network
# namespaces). Without root, system packages are skipped with a note; reading files still works.
set -euo pipefail
cd "$(dirname "$0")/.."

want=(libpcap-dev tshark tcpdump iproute2 iputils-ping time libxml2-utils)
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" = none ]; then
    echo "setup: not root and no sudo: skipping system packages ${missing[*]} (live capture and tshark comparisons will be unavailable)" >&2
  else
    echo "setup: installing ${missing[*]}" >&2
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
npm ci --no-fund --no-audit --loglevel=error
