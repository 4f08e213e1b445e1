// Building TLS 1.3 Client and Server Hello messages (the mirror of tls-handshake.ts's hellos), for
// generated captures: QUIC's Initial packets carry them in CRYPTO frames.
import { EXT_QUIC_TRANSPORT_PARAMETERS } from "./tls-quic-params.js";

const u16 = (n: number) => [n >> 8, n & 0xff];
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

function extension(type: number, body: readonly number[]): number[] {
  return [...u16(type), ...u16(body.length), ...body];
}

function message(type: number, body: readonly number[]): Uint8Array {
  return Uint8Array.from([type, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff, ...body]);
}

export interface ClientHelloRepr {
  random: Uint8Array;
  serverName: string;
  alpn: readonly string[];
  /** x25519 public key (32 bytes). */
  keyShare: Uint8Array;
  /** quic_transport_parameters' body (see tls-quic-params.ts transportParameters), if any. */
  quicTransportParameters?: Uint8Array;
}

/** A TLS 1.3 Client Hello handshake message (type, length, body). */
export function clientHello(r: ClientHelloRepr): Uint8Array {
  const sni = [...u16(r.serverName.length + 3), 0, ...u16(r.serverName.length), ...ascii(r.serverName)];
  const alpnList = r.alpn.flatMap((p) => [p.length, ...ascii(p)]);
  const exts = [
    ...extension(0, sni),
    ...extension(10, [...u16(6), ...u16(0x001d), ...u16(0x0017), ...u16(0x0018)]),
    ...extension(13, [...u16(8), ...u16(0x0403), ...u16(0x0804), ...u16(0x0401), ...u16(0x0503)]),
    ...extension(16, [...u16(alpnList.length), ...alpnList]),
    ...extension(43, [2, ...u16(0x0304)]),
    ...extension(45, [1, 1]),
    ...extension(51, [...u16(36), ...u16(0x001d), ...u16(32), ...r.keyShare]),
    ...(r.quicTransportParameters ? extension(EXT_QUIC_TRANSPORT_PARAMETERS, [...r.quicTransportParameters]) : []),
  ];
  const suites = [0x1301, 0x1302, 0x1303].flatMap(u16);
  return message(1, [...u16(0x0303), ...r.random, 0, ...u16(suites.length), ...suites, 1, 0, ...u16(exts.length), ...exts]);
}

export interface ServerHelloRepr {
  random: Uint8Array;
  suite: number;
  keyShare: Uint8Array;
}

/** A TLS 1.3 Server Hello handshake message. */
export function serverHello(r: ServerHelloRepr): Uint8Array {
  const exts = [...extension(43, u16(0x0304)), ...extension(51, [...u16(0x001d), ...u16(32), ...r.keyShare])];
  return message(2, [...u16(0x0303), ...r.random, 0, ...u16(r.suite), 0, ...u16(exts.length), ...exts]);
}
