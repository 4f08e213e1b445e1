#!/usr/bin/env bash
# Records captures/ip-fragments.pcapng: IPv4 and IPv6 datagrams larger than the link MTU between
# two test hosts made here with ip netns + veth, so that the kernel fragments them: pings of
# 3,000 bytes both ways (ICMP and ICMPv6 echo, request and reply fragmented), and a DNS query
# answered with a response of about 4,000 bytes over IPv4 and over IPv6 (sent by a small Python
# responder). Needs root, iproute2, ping, dumpcap, python3. Never touches other interfaces.
# Usage: sudo scripts/record-ip-fragments.sh [output.pcapng]
set -euo pipefail
out=${1:-captures/ip-fragments.pcapng}
A=arpxfragA; B=arpxfragB
cleanup() { ip netns del $A 2>/dev/null || true; ip netns del $B 2>/dev/null || true; }
trap cleanup EXIT
cleanup
ip netns add $A; ip netns add $B
ip link add vethA netns $A type veth peer name vethB netns $B
ip -n $A link set vethA address 02:00:00:00:0c:01
ip -n $B link set vethB address 02:00:00:00:0d:01
ip -n $A addr add 10.78.0.1/24 dev vethA; ip -n $B addr add 10.78.0.2/24 dev vethB
ip -n $A addr add fd00:78::1/64 dev vethA nodad; ip -n $B addr add fd00:78::2/64 dev vethB nodad
ip -n $A link set lo up; ip -n $B link set lo up
ip -n $A link set vethA up; ip -n $B link set vethB up
# A DNS responder on B: answers any query with 250 A records (about 4,000 bytes).
cat > "/tmp/arpx-frag-dns.py" <<'PY'
import socket, struct, sys, threading
def serve(family, addr):
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((addr, 53))
    while True:
        q, peer = s.recvfrom(2048)
        qid = q[:2]
        question = q[12:]
        hdr = qid + struct.pack(">HHHHH", 0x8180, 1, 250, 0, 0)
        ans = b"".join(b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 300, 4) + bytes([10, 78, i // 256, i % 256]) for i in range(250))
        s.sendto(hdr + question + ans, peer)
threading.Thread(target=serve, args=(socket.AF_INET, "10.78.0.2"), daemon=True).start()
serve(socket.AF_INET6, "fd00:78::2")
PY
ip netns exec $B python3 /tmp/arpx-frag-dns.py &
srv=$!
sleep 1
ip netns exec $A dumpcap -q -i vethA -w "$out.tmp" &
cap=$!
sleep 2
ip netns exec $A ping -q -c 2 -i 0.2 -s 3000 10.78.0.2 >/dev/null
ip netns exec $A ping -q -c 2 -i 0.2 -s 3000 fd00:78::2 >/dev/null
ip netns exec $A python3 - <<'PY'
import socket, struct
def ask(family, server, qid):
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.settimeout(2)
    name = b"".join(bytes([len(l)]) + l for l in b"many.arpx-test.example".split(b".")) + b"\0"
    s.sendto(struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + name + struct.pack(">HH", 1, 1), (server, 53))
    s.recvfrom(8192)
ask(socket.AF_INET, "10.78.0.2", 0x4101)
ask(socket.AF_INET6, "fd00:78::2", 0x4102)
PY
sleep 1
kill -INT $cap; wait $cap || true
kill $srv 2>/dev/null || true
rm -f /tmp/arpx-frag-dns.py
mv "$out.tmp" "$out"
echo "wrote $out"
