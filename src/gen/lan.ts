// The cast of the generated scenarios: a gateway and hosts on 10.0.0.0/24, and frame builders
// that compose the dissectors' build layers. Addresses are fixed so captures are easy to read.
import { ipv4, mac, type Layer } from "../dissect/build.js";
import { ethLayer } from "../dissect/protocols/eth.js";
import { ETHERTYPE } from "../dissect/protocols/ethertypes.js";
import { xarpLayer, XarpOp, FLAG_CANONICAL, type Endpoint } from "../dissect/protocols/xarp-wire.js";
import { arpLayer } from "../dissect/protocols/arp.js";
import { ipv4Layer } from "../dissect/protocols/ipv4.js";
import { udpLayer } from "../dissect/protocols/udp.js";
import { tcpLayer } from "../dissect/protocols/tcp.js";
import { icmpLayer } from "../dissect/protocols/icmp.js";
import { dhcpLayer, dhcpOption } from "../dissect/protocols/dhcp.js";
import { payloadLayer } from "../dissect/build.js";

export const BROADCAST = mac("ff:ff:ff:ff:ff:ff");
export const GATEWAY = { mac: mac("00:16:3e:aa:bb:cc"), ip: ipv4("10.0.0.1") };
export const HOST_A = { mac: mac("00:16:3e:11:22:33"), ip: ipv4("10.0.0.2") };
export const HOST_B = { mac: mac("00:16:3e:44:55:66"), ip: ipv4("10.0.0.3") };
export const CLIENT = { mac: GATEWAY.mac, ip: ipv4("198.51.100.7") };

export const TCP = 6;
export const UDP = 17;

export function endpoint(ip: number, port = 0, proto = 0, flags = 0): Endpoint {
  return { ip, port, proto, flags };
}
const NONE = endpoint(0);

function xarp(src: number, dst: number, op: number, sha: number, spa: Endpoint, tha: number, tpa: Endpoint): Layer[] {
  return [ethLayer({ dst, src, type: ETHERTYPE.ARP }), xarpLayer({ op, sha, spa, tha, tpa })];
}

/** Section 3's messages, with the Ethernet addresses the spec requires. */
export const XarpMsg = {
  request: (requester: { mac: number; ip: number }, target: Endpoint) =>
    xarp(requester.mac, BROADCAST, XarpOp.REQUEST, requester.mac, endpoint(requester.ip), 0, target),
  reply: (appMac: number, ep: Endpoint, requester: { mac: number; ip: number }) =>
    xarp(appMac, requester.mac, XarpOp.REPLY, appMac, ep, requester.mac, endpoint(requester.ip)),
  fallback: (host: { mac: number }, ep: Endpoint, requester: { mac: number; ip: number }) =>
    xarp(host.mac, requester.mac, XarpOp.REPLY, host.mac, { ...ep, flags: FLAG_CANONICAL }, requester.mac, endpoint(requester.ip)),
  probe: (host: { mac: number; ip: number }, candidate: number) =>
    xarp(host.mac, BROADCAST, XarpOp.PROBE, host.mac, endpoint(host.ip), candidate, NONE),
  announce: (appMac: number, ep: Endpoint) => xarp(appMac, BROADCAST, XarpOp.ANNOUNCE, appMac, ep, appMac, ep),
  defend: (ownedMac: number, ownerEp: Endpoint, other: { mac: number; ip: number }) =>
    xarp(ownedMac, BROADCAST, XarpOp.DEFEND, ownedMac, ownerEp, other.mac, endpoint(other.ip)),
  release: (appMac: number, ep: Endpoint) => xarp(appMac, BROADCAST, XarpOp.RELEASE, appMac, ep, 0, ep),
};

export function arpRequest(from: { mac: number; ip: number }, targetIp: number): Layer[] {
  return [ethLayer({ dst: BROADCAST, src: from.mac, type: ETHERTYPE.ARP }), arpLayer({ op: 1, sha: from.mac, spa: from.ip, tha: 0, tpa: targetIp })];
}

export function arpReply(from: { mac: number; ip: number }, to: { mac: number; ip: number }): Layer[] {
  return [ethLayer({ dst: to.mac, src: from.mac, type: ETHERTYPE.ARP }), arpLayer({ op: 2, sha: from.mac, spa: from.ip, tha: to.mac, tpa: to.ip })];
}

function fill(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(Math.max(0, n));
  for (let i = 0; i < b.length; i++) b[i] = (seed + i * 31) & 0xff;
  return b;
}

/** A UDP datagram whose whole frame is `frameLen` bytes (at least the headers). */
export function udpFrame(srcMac: number, dstMac: number, src: number, dst: number, sport: number, dport: number, frameLen: number, id: number): Layer[] {
  const payload = fill(frameLen - 14 - 20 - 8, id);
  return [ethLayer({ dst: dstMac, src: srcMac, type: ETHERTYPE.IPV4 }), ipv4Layer({ src, dst, proto: UDP, id: id & 0xffff }), udpLayer({ srcPort: sport, dstPort: dport }), payloadLayer(payload)];
}

export function tcpFrame(srcMac: number, dstMac: number, src: number, dst: number, sport: number, dport: number, seq: number, ack: number, flags: number, payloadLen: number, id: number): Layer[] {
  const layers: Layer[] = [
    ethLayer({ dst: dstMac, src: srcMac, type: ETHERTYPE.IPV4 }),
    ipv4Layer({ src, dst, proto: TCP, id: id & 0xffff }),
    tcpLayer({ srcPort: sport, dstPort: dport, seq, ack, flags, window: 65535, options: flags & 0x002 ? [{ kind: "mss", value: 1460 }] : [] }),
  ];
  if (payloadLen > 0) layers.push(payloadLayer(fill(payloadLen, id)));
  return layers;
}

export function icmpEcho(from: { mac: number; ip: number }, to: { mac: number; ip: number }, reply: boolean, ident: number, seq: number): Layer[] {
  return [
    ethLayer({ dst: to.mac, src: from.mac, type: ETHERTYPE.IPV4 }),
    ipv4Layer({ src: from.ip, dst: to.ip, proto: 1, id: seq }),
    icmpLayer({ type: reply ? 0 : 8, code: 0, ident, seq }),
    payloadLayer(fill(56, seq)),
  ];
}

export function dhcpMessage(kind: "discover" | "offer" | "request" | "ack", client: number, xid: number, server: { mac: number; ip: number }, offered: number): Layer[] {
  const fromClient = kind === "discover" || kind === "request";
  const type = { discover: 1, offer: 2, request: 3, ack: 5 }[kind];
  const opts = [dhcpOption.messageType(type)];
  if (kind === "request") opts.push(dhcpOption.requestedIp(offered), dhcpOption.serverId(server.ip));
  if (!fromClient) opts.push(dhcpOption.serverId(server.ip), dhcpOption.leaseTime(3600), dhcpOption.subnetMask(ipv4("255.255.255.0")), dhcpOption.router(server.ip));
  return [
    ethLayer({ dst: fromClient ? BROADCAST : client, src: fromClient ? client : server.mac, type: ETHERTYPE.IPV4 }),
    ipv4Layer({ src: fromClient ? 0 : server.ip, dst: fromClient ? ipv4("255.255.255.255") : offered, proto: UDP, df: false }),
    udpLayer({ srcPort: fromClient ? 68 : 67, dstPort: fromClient ? 67 : 68 }),
    dhcpLayer({ op: fromClient ? 1 : 2, xid, chaddr: client, yiaddr: fromClient ? 0 : offered, siaddr: fromClient ? 0 : server.ip, options: opts }),
  ];
}
