#!/usr/bin/env bash
# Records captures/tls-basics.pcapng: two HTTPS requests between two test hosts made here with
# ip netns + veth (curl to `openssl s_server -www`), one over TLS 1.3 and one over TLS 1.2, with
# segmentation offloads off so that records span TCP segments as on a real link. The server's
# key and self-signed certificate are made for the run and thrown away. Needs root, iproute2,
# ethtool, dumpcap, openssl, curl. Never touches other interfaces.
# Usage: sudo scripts/record-tls-basics.sh [output.pcapng]
set -euo pipefail
out=${1:-captures/tls-basics.pcapng}
A=arpxtlsA; B=arpxtlsB
work=$(mktemp -d)
cleanup() { ip netns del $A 2>/dev/null || true; ip netns del $B 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cleanup; work=$(mktemp -d)
openssl req -x509 -newkey rsa:4096 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 3650 \
  -subj "/CN=arpx-test.example" -addext "subjectAltName=DNS:arpx-test.example" 2>/dev/null
ip netns add $A; ip netns add $B
ip link add vethA netns $A type veth peer name vethB netns $B
ip -n $A link set vethA address 02:00:00:00:0a:01
ip -n $B link set vethB address 02:00:00:00:0b:01
ip -n $A addr add 10.77.0.1/24 dev vethA; ip -n $B addr add 10.77.0.2/24 dev vethB
ip -n $A link set lo up; ip -n $B link set lo up
ip -n $A link set vethA up; ip -n $B link set vethB up
ip netns exec $A ethtool -K vethA tso off gso off gro off tx off >/dev/null
ip netns exec $B ethtool -K vethB tso off gso off gro off tx off >/dev/null
ip netns exec $B openssl s_server -accept 443 -cert "$work/cert.pem" -key "$work/key.pem" -www -quiet >/dev/null 2>&1 &
srv=$!
sleep 1
ip netns exec $A dumpcap -q -i vethA -f "tcp port 443" -w "$out.tmp" &
cap=$!
sleep 2
ip netns exec $A curl -sk --http1.1 https://10.77.0.2/ -o /dev/null
ip netns exec $A curl -sk --http1.1 --tlsv1.2 --tls-max 1.2 https://10.77.0.2/ -o /dev/null
sleep 1
kill -INT $cap; wait $cap || true
kill $srv 2>/dev/null || true
mv "$out.tmp" "$out"
echo "wrote $out"
