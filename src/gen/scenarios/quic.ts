// QUIC as a browser and an HTTP/3 server start it: the client's Initial (Client Hello with SNI,
// ALPN h3 and transport parameters), the server's Initial and Handshake packets coalesced in one
// datagram, the client's reply, then 1-RTT packets both ways. A second connection goes through
// Version Negotiation and a Retry first. Initial packets are sealed with the keys RFC 9001 derives
// from the DCID, so readers open them; the other packets carry random protected bytes.
import { concatBytes, payloadLayer, type Layer } from "../../dissect/build.js";
import { ethLayer } from "../../dissect/protocols/eth.js";
import { ETHERTYPE } from "../../dissect/protocols/ethertypes.js";
import { ipv4Layer } from "../../dissect/protocols/ipv4.js";
import { udpLayer } from "../../dissect/protocols/udp.js";
import { initialKeys, QUIC_V1, QUIC_V2, retryTag } from "../../dissect/protocols/quic-crypto.js";
import { cryptoFrame, quicLongPacket, quicShortPacket } from "../../dissect/protocols/quic.js";
import { clientHello, serverHello } from "../../dissect/protocols/tls-hello-build.js";
import { transportParameters } from "../../dissect/protocols/tls-quic-params.js";
import type { ScenarioDef } from "../scenario.js";
import { HOST_A, HOST_B, UDP } from "../lan.js";

const MS = 1e6;

const concat = (...parts: Uint8Array[]): Uint8Array => concatBytes(parts);

class Peer {
  constructor(readonly host: { mac: number; ip: number }, readonly port: number) {}
}

function datagram(from: Peer, to: Peer, payload: Uint8Array, id: number): Layer[] {
  return [
    ethLayer({ dst: to.host.mac, src: from.host.mac, type: ETHERTYPE.IPV4 }),
    ipv4Layer({ src: from.host.ip, dst: to.host.ip, proto: UDP, id: id & 0xffff }),
    udpLayer({ srcPort: from.port, dstPort: to.port }),
    payloadLayer(payload),
  ];
}

/** ACK of packet 0..largest (no gaps): largest, delay, no extra ranges, first range. */
function ack(largest: number, delay: number): Uint8Array {
  return Uint8Array.of(0x02, largest, 0x40 | (delay >> 8), delay & 0xff, 0x00, largest);
}

export const quic: ScenarioDef = {
  name: "quic",
  summary: "two QUIC connections to an HTTP/3 server: a plain handshake, and one through Version Negotiation and a Retry",
  params: {
    packets: { default: 8, help: "1-RTT packets the server sends after each handshake (each acknowledged by the client)" },
  },
  run(s, p) {
    const n = Number(p.packets);
    const bytes = (len: number) => Uint8Array.from({ length: len }, () => Math.floor(s.random() * 256));
    const server = new Peer(HOST_B, 443);
    let id = 1;
    const send = (t: number, from: Peer, to: Peer, payload: Uint8Array) => {
      const ipId = id++;
      s.at(t, () => datagram(from, to, payload, ipId));
    };
    const hello = (scid: Uint8Array) => clientHello({
      random: bytes(32),
      serverName: "h3.arpx.test",
      alpn: ["h3"],
      keyShare: bytes(32),
      quicTransportParameters: transportParameters([
        [0x01, 30000], [0x03, 1472], [0x04, 15728640], [0x05, 6291456], [0x06, 6291456], [0x07, 6291456],
        [0x08, 100], [0x09, 103], [0x0e, 4], [0x0f, scid], [0x20, 65536], [0x2ab2, new Uint8Array(0)],
      ]),
    });

    /** Handshake and data of one connection whose client Initial goes out at `t0` with `dcid`. */
    const connection = (t0: number, client: Peer, dcid: Uint8Array, cscid = bytes(8), token?: Uint8Array): void => {
      const sscid = bytes(8);
      const ck = initialKeys(QUIC_V1, dcid, false), sk = initialKeys(QUIC_V1, dcid, true);
      const ch = hello(cscid);
      send(t0, client, server, quicLongPacket({ type: "initial", version: QUIC_V1, dcid, scid: cscid, token, packetNumber: 0, pnLength: 1, payload: cryptoFrame(0, ch), keys: ck, minLength: 1200 }));
      const sh = serverHello({ random: bytes(32), suite: 0x1301, keyShare: bytes(32) });
      send(t0 + 12 * MS, server, client, concat(
        quicLongPacket({ type: "initial", version: QUIC_V1, dcid: cscid, scid: sscid, packetNumber: 0, pnLength: 1, payload: concat(ack(0, 0), cryptoFrame(0, sh)), keys: sk }),
        quicLongPacket({ type: "handshake", version: QUIC_V1, dcid: cscid, scid: sscid, packetNumber: 0, pnLength: 1, payload: bytes(900) }),
      ));
      send(t0 + 12.2 * MS, server, client, quicLongPacket({ type: "handshake", version: QUIC_V1, dcid: cscid, scid: sscid, packetNumber: 1, pnLength: 1, payload: bytes(260) }));
      send(t0 + 24 * MS, client, server, concat(
        quicLongPacket({ type: "initial", version: QUIC_V1, dcid: sscid, scid: cscid, packetNumber: 1, pnLength: 1, payload: ack(0, 40), keys: ck, minLength: 1200 - 80 }),
        quicLongPacket({ type: "handshake", version: QUIC_V1, dcid: sscid, scid: cscid, packetNumber: 0, pnLength: 1, payload: bytes(52) }),
      ));
      send(t0 + 24.1 * MS, client, server, quicShortPacket(sscid, bytes(60)));
      for (let i = 0; i < n; i++) {
        const t = t0 + (36 + i * 3) * MS;
        send(t, server, client, quicShortPacket(cscid, bytes(200 + Math.floor(s.random() * 1000)), i % 4 >= 2));
        send(t + 1.5 * MS, client, server, quicShortPacket(sscid, bytes(24), i % 4 >= 2));
      }
    };

    connection(0, new Peer(HOST_A, 50123), bytes(8));

    // The second client first offers a version the server does not speak (a reserved one that
    // forces negotiation), then v1, and is asked to prove its address with a Retry.
    const client2 = new Peer(HOST_A, 50124);
    const vnDcid = bytes(8), vnScid = bytes(8);
    const t1 = 200 * MS;
    send(t1, client2, server, quicLongPacket({ type: "initial", version: 0x1a2a3a4a, dcid: vnDcid, scid: vnScid, packetNumber: 0, pnLength: 1, payload: bytes(1150) }));
    send(t1 + 12 * MS, server, client2, concat(Uint8Array.of(0x80 | 0x3f, 0, 0, 0, 0, vnScid.length), vnScid, Uint8Array.of(vnDcid.length), vnDcid,
      Uint8Array.of(0, 0, 0, 1, QUIC_V2 >>> 24, (QUIC_V2 >>> 16) & 0xff, (QUIC_V2 >>> 8) & 0xff, QUIC_V2 & 0xff)));
    const odcid = bytes(8), cscid2 = bytes(8), retryScid = bytes(8), token = bytes(40);
    send(t1 + 24 * MS, client2, server, quicLongPacket({ type: "initial", version: QUIC_V1, dcid: odcid, scid: cscid2, packetNumber: 0, pnLength: 1, payload: cryptoFrame(0, hello(cscid2)), keys: initialKeys(QUIC_V1, odcid, false), minLength: 1200 }));
    const retry = concat(Uint8Array.of(0xf0, 0, 0, 0, 1, cscid2.length), cscid2, Uint8Array.of(retryScid.length), retryScid, token);
    send(t1 + 36 * MS, server, client2, concat(retry, retryTag(QUIC_V1, odcid, retry)));
    connection(t1 + 48 * MS, client2, retryScid, cscid2, token);
  },
};
