// The quic_transport_parameters extension of a TLS handshake carried by QUIC (RFC 9000 section 18,
// and the extension parameters Wireshark 4.0 names), as tshark shows them: one subtree per
// parameter with its type, length, raw value and decoded value.
//   parameter: id (varint) | length (varint) | value
import { Base, FT, registerFields, type Field, type FieldSpec } from "../fields.js";
import type { Tree } from "../tree.js";
import { concatBytes } from "../build.js";
import { ipv4At as be32 } from "../format.js";
import { encodeVarint, varint, varintLen } from "./quic-varint.js";

const u64 = FT.UINT64;
const SPECS = {
  type: { abbrev: "tls.quic.parameter.type", name: "Type", type: u64 },
  length: { abbrev: "tls.quic.parameter.length", name: "Length", type: u64 },
  value: { abbrev: "tls.quic.parameter.value", name: "Value", type: FT.BYTES },
  odcid: { abbrev: "tls.quic.parameter.original_destination_connection_id", name: "original_destination_connection_id", type: FT.BYTES },
  max_idle_timeout: { abbrev: "tls.quic.parameter.max_idle_timeout", name: "max_idle_timeout", type: u64 },
  stateless_reset_token: { abbrev: "tls.quic.parameter.stateless_reset_token", name: "stateless_reset_token", type: FT.BYTES },
  max_udp_payload_size: { abbrev: "tls.quic.parameter.max_udp_payload_size", name: "max_udp_payload_size", type: u64 },
  initial_max_data: { abbrev: "tls.quic.parameter.initial_max_data", name: "initial_max_data", type: u64 },
  bidi_local: { abbrev: "tls.quic.parameter.initial_max_stream_data_bidi_local", name: "initial_max_stream_data_bidi_local", type: u64 },
  bidi_remote: { abbrev: "tls.quic.parameter.initial_max_stream_data_bidi_remote", name: "initial_max_stream_data_bidi_remote", type: u64 },
  uni: { abbrev: "tls.quic.parameter.initial_max_stream_data_uni", name: "initial_max_stream_data_uni", type: u64 },
  streams_bidi: { abbrev: "tls.quic.parameter.initial_max_streams_bidi", name: "initial_max_streams_bidi", type: u64 },
  streams_uni: { abbrev: "tls.quic.parameter.initial_max_streams_uni", name: "initial_max_streams_uni", type: u64 },
  ack_delay_exponent: { abbrev: "tls.quic.parameter.ack_delay_exponent", name: "ack_delay_exponent", type: u64 },
  max_ack_delay: { abbrev: "tls.quic.parameter.max_ack_delay", name: "max_ack_delay", type: u64 },
  pa_ipv4: { abbrev: "tls.quic.parameter.preferred_address.ipv4address", name: "ipv4Address", type: FT.IPV4 },
  pa_ipv4port: { abbrev: "tls.quic.parameter.preferred_address.ipv4port", name: "ipv4Port", type: FT.UINT16 },
  pa_ipv6: { abbrev: "tls.quic.parameter.preferred_address.ipv6address", name: "ipv6Address", type: FT.IPV6 },
  pa_ipv6port: { abbrev: "tls.quic.parameter.preferred_address.ipv6port", name: "ipv6Port", type: FT.UINT16 },
  pa_cid_length: { abbrev: "tls.quic.parameter.preferred_address.connectionid.length", name: "Length", type: FT.UINT8 },
  pa_cid: { abbrev: "tls.quic.parameter.preferred_address.connectionid", name: "connectionId", type: FT.BYTES },
  pa_token: { abbrev: "tls.quic.parameter.preferred_address.statelessresettoken", name: "statelessResetToken", type: FT.BYTES },
  active_cid_limit: { abbrev: "tls.quic.parameter.active_connection_id_limit", name: "Active Connection ID Limit", type: u64 },
  initial_scid: { abbrev: "tls.quic.parameter.initial_source_connection_id", name: "Initial Source Connection ID", type: FT.BYTES },
  retry_scid: { abbrev: "tls.quic.parameter.retry_source_connection_id", name: "Retry Source Connection ID", type: FT.BYTES },
  max_datagram_frame_size: { abbrev: "tls.quic.parameter.max_datagram_frame_size", name: "max_datagram_frame_size", type: u64 },
  enable_time_stamp_v2: {
    abbrev: "tls.quic.parameter.enable_time_stamp_v2", name: "Enable TimestampV2", type: u64,
    strings: new Map([[1, "I would like to receive TIME_STAMP frames"], [2, "I am able to generate TIME_STAMP frames"], [3, "I am able to generate TIME_STAMP frames and I would like to receive them"]]),
  },
  loss_bits: { abbrev: "tls.quic.parameter.loss_bits", name: "loss_bits", type: u64 },
  min_ack_delay: { abbrev: "tls.quic.parameter.min_ack_delay", name: "min_ack_delay", type: u64 },
  google_initial_rtt: { abbrev: "tls.quic.parameter.google.initial_rtt", name: "Google Initial RTT", type: u64 },
  google_connection_options: { abbrev: "tls.quic.parameter.google.connection_options", name: "Google Connection options", type: FT.BYTES },
  google_user_agent: { abbrev: "tls.quic.parameter.google.user_agent", name: "Google UserAgent", type: FT.STRING },
  google_quic_version: { abbrev: "tls.quic.parameter.google.quic_version", name: "Google QUIC version", type: FT.UINT32, base: Base.HEX },
  chosen_version: { abbrev: "tls.quic.parameter.vi.chosen_version", name: "Chosen Version", type: FT.UINT32, base: Base.HEX },
  other_version: { abbrev: "tls.quic.parameter.vi.other_version", name: "Other Version", type: FT.UINT32, base: Base.HEX },
} satisfies Record<string, FieldSpec>;

let hf: Record<keyof typeof SPECS, Field>;

/** Registers the fields under TLS (tls-handshake.ts calls this once). */
export function registerQuicParameterFields(proto: Field): void {
  hf = registerFields(proto, SPECS);
}

/** How a parameter's value is decoded: a varint (with the label's unit: "" none, " " plain), bytes, or special. */
type Decode = { varint: keyof typeof SPECS; unit?: string } | { bytes: keyof typeof SPECS } | { special: "preferred_address" | "version_information" | "user_agent" | "quic_version" } | null;

const PARAMETERS = new Map<number, [string, Decode]>([
  [0x00, ["original_destination_connection_id", { bytes: "odcid" }]],
  [0x01, ["max_idle_timeout", { varint: "max_idle_timeout", unit: " ms" }]],
  [0x02, ["stateless_reset_token", { bytes: "stateless_reset_token" }]],
  [0x03, ["max_udp_payload_size", { varint: "max_udp_payload_size", unit: "" }]],
  [0x04, ["initial_max_data", { varint: "initial_max_data", unit: "" }]],
  [0x05, ["initial_max_stream_data_bidi_local", { varint: "bidi_local", unit: "" }]],
  [0x06, ["initial_max_stream_data_bidi_remote", { varint: "bidi_remote", unit: "" }]],
  [0x07, ["initial_max_stream_data_uni", { varint: "uni", unit: "" }]],
  [0x08, ["initial_max_streams_bidi", { varint: "streams_bidi", unit: "" }]],
  [0x09, ["initial_max_streams_uni", { varint: "streams_uni", unit: "" }]],
  [0x0a, ["ack_delay_exponent", { varint: "ack_delay_exponent" }]],
  [0x0b, ["max_ack_delay", { varint: "max_ack_delay", unit: "" }]],
  [0x0c, ["disable_active_migration", null]],
  [0x0d, ["preferred_address", { special: "preferred_address" }]],
  [0x0e, ["active_connection_id_limit", { varint: "active_cid_limit", unit: "" }]],
  [0x0f, ["initial_source_connection_id", { bytes: "initial_scid" }]],
  [0x10, ["retry_source_connection_id", { bytes: "retry_scid" }]],
  [0x11, ["version_information", { special: "version_information" }]],
  [0x20, ["max_datagram_frame_size", { varint: "max_datagram_frame_size", unit: "" }]],
  [0x1057, ["loss_bits", { varint: "loss_bits" }]],
  [0x2ab2, ["grease_quic_bit", null]],
  [0x3127, ["google_initial_rtt", { varint: "google_initial_rtt", unit: " us" }]],
  [0x3128, ["google_connection_options", { bytes: "google_connection_options" }]],
  [0x3129, ["google_user_agent", { special: "user_agent" }]],
  [0x4752, ["google_quic_version", { special: "quic_version" }]],
  [0xde1a, ["min_ack_delay", { varint: "min_ack_delay", unit: "" }]],
  [0xff03de1a, ["min_ack_delay", { varint: "min_ack_delay", unit: "" }]],
  [0x7157, ["enable_time_stamp", null]],
  [0x7158, ["enable_time_stamp_v2", { varint: "enable_time_stamp_v2" }]],
]);

const VERSION_NAMES = new Map<number, string>([[1, "1"], [0x6b3343cf, "2"]]);
for (let draft = 21; draft <= 34; draft++) VERSION_NAMES.set(0xff000000 + draft, `draft-${draft}`);
const versionLabel = (name: string, v: number) => `${name}: ${VERSION_NAMES.get(v) ?? "Unknown"} (0x${v.toString(16).padStart(8, "0")})`;

/** Reserved identifiers 31 * N + 27 (RFC 9000 section 18.1). */
const isGrease = (id: number) => id >= 27 && (id - 27) % 31 === 0;

/** The parameters in d[o, end). */
export function quicTransportParameters(t: Tree, o: number, end: number): void {
  const d = t.d;
  while (o < end) {
    const start = o;
    const id = varint(t, o);
    const idLen = varintLen;
    const len = varint(t, o + idLen);
    const lenLen = varintLen;
    const v = o + idLen + lenLen;
    t.check(v, len);
    const known = PARAMETERS.get(id);
    const name = known?.[0] ?? (isGrease(id) ? "GREASE" : undefined);
    const decode = known?.[1] ?? null;
    let suffix = "";
    if (decode && "varint" in decode && decode.unit !== undefined && len > 0) suffix = ` ${varintAt(d, v)}${decode.unit}`;
    if (t.full) t.text(`Parameter: ${name ?? `Unknown 0x${id.toString(16).padStart(4, "0")}`} (len=${len})${suffix}`, start, v + len - start);
    t.down();
    t.uint(hf.type, o, idLen, id);
    if (t.full) t.label(`Type: ${name ?? "Unknown"} (0x${id.toString(16).padStart(2, "0")})`);
    t.uint(hf.length, o + idLen, lenLen, len);
    t.bytes(hf.value, v, len);
    if (decode && len > 0) value(t, decode, v, len);
    t.up();
    o = v + len;
  }
}

function varintAt(d: Uint8Array, o: number): number {
  const n = 1 << (d[o]! >> 6);
  let x = d[o]! & 0x3f;
  for (let i = 1; i < n; i++) x = x * 256 + (d[o + i] ?? 0);
  return x;
}

function value(t: Tree, decode: NonNullable<Decode>, v: number, len: number): void {
  const d = t.d;
  if ("varint" in decode) {
    t.uint(hf[decode.varint], v, varintLenAt(d, v), varint(t, v));
    return;
  }
  if ("bytes" in decode) {
    t.bytes(hf[decode.bytes], v, len);
    return;
  }
  switch (decode.special) {
    case "user_agent":
      t.str(hf.google_user_agent, v, len, t.wants(hf.google_user_agent) ? new TextDecoder("latin1").decode(d.subarray(v, v + len)) : "");
      break;
    case "quic_version":
      if (len >= 4) {
        t.uint(hf.google_quic_version, v, 4, be32(d, v));
        if (t.full) t.label(versionLabel("Google QUIC version", be32(d, v)));
      }
      break;
    case "version_information":
      for (let q = v; q + 4 <= v + len; q += 4) {
        const f = q === v ? hf.chosen_version : hf.other_version;
        t.uint(f, q, 4, be32(d, q));
        if (t.full) t.label(versionLabel(f.name, be32(d, q)));
      }
      break;
    case "preferred_address": {
      t.check(v, 4 + 2 + 16 + 2 + 1);
      t.ipv4(hf.pa_ipv4, v);
      t.uint(hf.pa_ipv4port, v + 4, 2, (d[v + 4]! << 8) | d[v + 5]!);
      t.ipv6(hf.pa_ipv6, v + 6);
      t.uint(hf.pa_ipv6port, v + 22, 2, (d[v + 22]! << 8) | d[v + 23]!);
      const n = d[v + 24]!;
      t.uint(hf.pa_cid_length, v + 24, 1, n);
      t.bytes(hf.pa_cid, v + 25, n);
      t.bytes(hf.pa_token, v + 25 + n, 16);
      break;
    }
  }
}

function varintLenAt(d: Uint8Array, o: number): number {
  return 1 << (d[o]! >> 6);
}

export const EXT_QUIC_TRANSPORT_PARAMETERS = 0x39;

/** The extension's body from (id, value) pairs; a number value is written as a varint. */
export function transportParameters(params: readonly (readonly [number, number | Uint8Array])[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [id, v] of params) {
    const value = typeof v === "number" ? encodeVarint(v) : v;
    parts.push(encodeVarint(id), encodeVarint(value.length), value);
  }
  return concatBytes(parts);
}
