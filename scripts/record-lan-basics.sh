#!/usr/bin/env bash
# Records captures/lan-basics.pcapng: real traffic between two test hosts made here with
# ip netns + veth (ARP, ICMP, IPv6 neighbour discovery and ping, DNS over UDP and TCP, an HTTP
# exchange over TCP). Needs root, iproute2, dumpcap, ping, dig, python3. Never touches other
# interfaces. Usage: sudo scripts/record-lan-basics.sh [output.pcapng]
set -euo pipefail
out=${1:-captures/lan-basics.pcapng}
A=arpxrecA; B=arpxrecB
cleanup() { ip netns del $A 2>/dev/null || true; ip netns del $B 2>/dev/null || true; }
trap cleanup EXIT
cleanup
ip netns add $A; ip netns add $B
ip link add vethA netns $A type veth peer name vethB netns $B
ip -n $A link set vethA address 02:00:00:00:0a:01
ip -n $B link set vethB address 02:00:00:00:0b:01
ip -n $A addr add 10.77.0.1/24 dev vethA; ip -n $B addr add 10.77.0.2/24 dev vethB
ip -n $A addr add fd77::1/64 dev vethA nodad; ip -n $B addr add fd77::2/64 dev vethB nodad
ip -n $A link set lo up; ip -n $B link set lo up
ip -n $A link set vethA up; ip -n $B link set vethB up
sleep 1
ip netns exec $B python3 - <<'PY' &
import socket, struct, threading, http.server, socketserver
def answer(q):
    qid = q[:2]; qd = q[12:]; end = qd.index(b"\0") + 5
    question = qd[:end]
    hdr = qid + b"\x81\x80" + struct.pack(">HHHH", 1, 1, 0, 0)
    rr = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 300, 4) + bytes([10, 77, 0, 2])
    return hdr + question + rr
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("10.77.0.2", 53))
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); t.bind(("10.77.0.2", 53)); t.listen(1)
def udp():
    while True:
        q, a = u.recvfrom(512); u.sendto(answer(q), a)
def tcp():
    while True:
        c, _ = t.accept(); n = struct.unpack(">H", c.recv(2))[0]; q = c.recv(n)
        r = answer(q); c.sendall(struct.pack(">H", len(r)) + r); c.close()
threading.Thread(target=udp, daemon=True).start(); threading.Thread(target=tcp, daemon=True).start()
class H(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        body = b"hello from arpx test host B\n"
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
socketserver.TCPServer(("10.77.0.2", 8080), H).serve_forever()
PY
srv=$!
sleep 1
ip netns exec $A dumpcap -q -i vethA -w "$out.tmp" &
cap=$!
sleep 2
ip netns exec $A ping -c 3 -i 0.2 10.77.0.2 >/dev/null
ip netns exec $A ping -6 -c 2 -i 0.2 fd77::2 >/dev/null
ip netns exec $A dig +short +tries=1 @10.77.0.2 b.example.test A >/dev/null
ip netns exec $A dig +short +tcp +tries=1 @10.77.0.2 c.example.test A >/dev/null
ip netns exec $A curl -s http://10.77.0.2:8080/ >/dev/null
ip netns exec $A ip neigh flush dev vethA
ip netns exec $A ping -c 1 10.77.0.2 >/dev/null
sleep 1
kill -INT $cap; wait $cap || true
kill $srv 2>/dev/null || true
mv "$out.tmp" "$out"
echo "wrote $out"
