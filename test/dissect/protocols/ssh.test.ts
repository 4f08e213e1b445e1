import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { Engine } from "../../../src/dissect/engine.js";
import { treeText } from "../../../src/dissect/output/tree-text.js";
import { TreeMode } from "../../../src/dissect/tree.js";
import { HAVE_SHARED, HAVE_TSHARK, ROOT, runArpx, runTshark, SHARED_CAPTURES } from "../../helpers.js";
import { A4, ACK, B4, eth, ip4, PSH, run, tcp, u32 } from "./transport-build.js";

const F = ["ssh.protocol", "ssh.packet_length", "ssh.padding_length", "ssh.message_code", "ssh.direction", "ssh.cookie",
  "ssh.kex_algorithms", "ssh.encryption_algorithms_client_to_server", "ssh.languages_server_to_client", "ssh.kex.hassh",
  "ssh.kex.hassh_algorithms", "ssh.kex.hasshserver", "ssh.ecdh.q_c", "ssh.ecdh.q_s", "ssh.host_key.type", "ssh.host_key.ecdsa.id",
  "ssh.host_sig.type", "ssh.encrypted_packet", "ssh.packet_length_encrypted", "ssh.padding_string", "data.len"];

const CLI = 50000, SRV = 22;
let cseq = 1000, sseq = 5000;
function fromClient(data: number[]) {
  const b = eth(ip4(A4, B4, 6, tcp(CLI, SRV, cseq, sseq, PSH | ACK, { data })));
  cseq += data.length;
  return { bytes: b };
}
function fromServer(data: number[]) {
  const b = eth(ip4(B4, A4, 6, tcp(SRV, CLI, sseq, cseq, PSH | ACK, { data })));
  sseq += data.length;
  return { bytes: b };
}
const str = (s: string) => [...s].map((c) => c.charCodeAt(0));
const nameList = (s: string) => [...u32(s.length), ...str(s)];

/** A binary packet: length, padding length, payload, zero padding to a multiple of 8. */
function packet(payload: number[]): number[] {
  let pad = 8 - ((5 + payload.length) % 8);
  if (pad < 4) pad += 8;
  return [...u32(1 + payload.length + pad), pad, ...payload, ...new Array(pad).fill(0)];
}

function kexinit(cookieByte: number, kex: string, enc: string): number[] {
  const lists = [kex, "ssh-ed25519", enc, enc, "hmac-sha2-256", "hmac-sha2-256", "none", "none", "", ""];
  return packet([20, ...new Array(16).fill(cookieByte), ...lists.flatMap(nameList), 0, 0, 0, 0, 0]);
}

function versions() {
  cseq = 1000;
  sseq = 5000;
  return [fromClient(str("SSH-2.0-OpenSSH_8.9\r\n")), fromServer(str("SSH-2.0-OpenSSH_7.6p1 Ubuntu-4ubuntu0.3\r\n"))];
}

function handshake(enc: string) {
  const q = new Array(32).fill(7);
  const hostKey = [...nameList("ecdsa-sha2-nistp256"), ...nameList("nistp256"), ...u32(65), 4, ...new Array(64).fill(9)];
  const sig = [...nameList("ecdsa-sha2-nistp256"), ...u32(4), 1, 2, 3, 4];
  return [
    ...versions(),
    fromClient(kexinit(0xaa, "curve25519-sha256,diffie-hellman-group14-sha256", enc)),
    fromServer(kexinit(0xbb, "curve25519-sha256", enc)),
    fromClient(packet([30, ...u32(32), ...q])),
    fromServer([...packet([31, ...u32(hostKey.length), ...hostKey, ...u32(32), ...q, ...u32(sig.length), ...sig]), ...packet([21]), 1, 2, 3, 4, 5, 6, 7, 8]),
    fromClient(packet([21])),
    fromClient(new Array(44).fill(0x5a)),
  ];
}

describe("ssh", () => {
  it("decodes the version exchange, KEXINIT, ECDH and NEWKEYS, then hides ChaCha20 records as tshark 4.0 does", () => {
    const rs = run(handshake("chacha20-poly1305@openssh.com"), F);
    const [cv, sv, ck, sk, ci, sr, cn, enc] = rs;
    expect(cv!.info).toBe("Client: Protocol (SSH-2.0-OpenSSH_8.9)");
    expect(cv!.protocol).toBe("SSH");
    expect(cv!.f["ssh.protocol"]).toBe("SSH-2.0-OpenSSH_8.9");
    expect(cv!.f["ssh.direction"]).toBe("0");
    expect(sv!.info).toBe("Server: Protocol (SSH-2.0-OpenSSH_7.6p1 Ubuntu-4ubuntu0.3)");
    expect(sv!.protocol).toBe("SSHv2");
    expect(sv!.f["ssh.direction"]).toBe("1");
    expect(ck!.info).toBe("Client: Key Exchange Init");
    expect(ck!.f["ssh.message_code"]).toBe("20");
    expect(ck!.f["ssh.cookie"]).toBe("aa".repeat(16));
    expect(ck!.f["ssh.kex_algorithms"]).toBe("curve25519-sha256,diffie-hellman-group14-sha256");
    expect(ck!.f["ssh.languages_server_to_client"]).toBe("");
    expect(ck!.f["ssh.kex.hassh_algorithms"]).toBe("curve25519-sha256,diffie-hellman-group14-sha256;chacha20-poly1305@openssh.com;hmac-sha2-256;none");
    expect(ck!.f["ssh.kex.hassh"]).toMatch(/^[0-9a-f]{32}$/);
    expect(sk!.f["ssh.kex.hasshserver"]).toMatch(/^[0-9a-f]{32}$/);
    expect(ci!.info).toBe("Client: Elliptic Curve Diffie-Hellman Key Exchange Init");
    expect(ci!.f["ssh.ecdh.q_c"]).toBe("07".repeat(32));
    expect(sr!.info).toBe("Server: Elliptic Curve Diffie-Hellman Key Exchange Reply, New Keys");
    expect(sr!.f["ssh.message_code"]).toBe("31,21");
    expect(sr!.f["ssh.host_key.type"]).toBe("ecdsa-sha2-nistp256");
    expect(sr!.f["ssh.host_key.ecdsa.id"]).toBe("nistp256");
    expect(sr!.f["ssh.host_sig.type"]).toBe("ecdsa-sha2-nistp256");
    expect(sr!.f["ssh.encrypted_packet"]).toBe("");
    expect(cn!.info).toBe("Client: New Keys");
    expect(enc!.info).toBe("Client: ");
    expect(enc!.layers).toBe("eth:ethertype:ip:tcp:ssh");
    expect(enc!.f["ssh.packet_length"]).toBe("");
  });

  it("shows records of a connection joined after its key exchange as encrypted bytes", () => {
    cseq = 1000;
    sseq = 5000;
    const rs = run([fromClient(new Array(44).fill(0x5a)), fromServer([1, 2, 3, 4, 5, 6, 7, 8])], F);
    expect(rs[0]!.protocol).toBe("SSH");
    expect(rs[0]!.info).toBe("Client: Encrypted packet (len=44)");
    expect(rs[0]!.f["ssh.packet_length_encrypted"]).toBe("5a5a5a5a");
    expect(rs[0]!.f["ssh.encrypted_packet"]).toBe("5a".repeat(40));
    expect(rs[1]!.info).toBe("Server: Encrypted packet (len=8)");
  });

  it("hides AES-CTR records too (tshark 4.0 tries to decrypt them)", () => {
    const rs = run(handshake("aes128-ctr"), F);
    expect(rs[7]!.info).toBe("Client: ");
    expect(rs[7]!.f["ssh.encrypted_packet"]).toBe("");
  });

  it("labels the tree like tshark -V", () => {
    const rs = handshakeTree();
    expect(rs).toContain("SSH Version 2 (encryption:chacha20-poly1305@openssh.com compression:none)\n");
    expect(rs).toContain("        Key Exchange (method:curve25519-sha256)\n            Message Code: New Keys (21)\n");
    expect(rs).toContain("    [Direction: server-to-client]\n");
  });

  it("leaves a record split across segments to data (tshark would reassemble it)", () => {
    const frames = versions();
    const k = kexinit(0xaa, "curve25519-sha256", "aes128-ctr");
    frames.push(fromClient(k.slice(0, 100)));
    const rs = run(frames, F);
    expect(rs[2]!.layers).toBe("eth:ethertype:ip:tcp:data");
    expect(rs[2]!.f["data.len"]).toBe("100");
  });

  it("stops at a name-list length that overruns the packet, without throwing", () => {
    const frames = versions();
    const k = kexinit(0xaa, "curve25519-sha256", "aes128-ctr");
    k.splice(22, 4, 0xff, 0xff, 0xff, 0xff); // the kex_algorithms length
    frames.push(fromClient(k));
    const rs = run(frames, F);
    expect(rs[2]!.malformed).toBe(true);
    // As in Wireshark, "Client: " is put in front only once the segment is done.
    expect(rs[2]!.info).toBe("Key Exchange Init[Malformed Packet]");
    expect(rs[2]!.f["ssh.message_code"]).toBe("20");
  });
});

function handshakeTree(): string {
  const e = new Engine({ mode: TreeMode.FULL });
  let out = "";
  for (const fr of handshake("chacha20-poly1305@openssh.com")) {
    e.dissect({ data: Uint8Array.from(fr.bytes), wireLen: fr.bytes.length, tsSec: 1, tsNsec: 0, linkType: 1, ifIndex: 0 });
    out += treeText(e.tree.root);
  }
  return out;
}

// ---- against tshark on real captures ----

const ZEEK = join(SHARED_CAPTURES, "zeek-tcp-ssh-dups.pcap");
const FIXTURES = join(ROOT, "test/fixtures/ssh");
/**
 * OpenSSH 9.2 against a paramiko 5.0 server on loopback (auth refused): a failed DH group
 * exchange, then DH group14 + AES-GCM up to both NEWKEYS (tshark 4.0 "decrypts" GCM records
 * with keys it does not have and shows garbage: those frames are left out); DH group14 +
 * aes128-ctr and ECDH + aes256-cbc with an RSA host key, through a few encrypted records.
 */
const CAPTURES = [
  ...(HAVE_SHARED && existsSync(ZEEK) ? [ZEEK] : []),
  join(FIXTURES, "openssh-paramiko-gex-dh.pcap"),
  join(FIXTURES, "openssh-paramiko-ctr-cbc.pcap"),
];

const FIELDS = ["ssh.protocol", "ssh.packet_length", "ssh.padding_length", "ssh.message_code", "ssh.direction", "ssh.cookie",
  "ssh.kex_algorithms", "ssh.server_host_key_algorithms", "ssh.mac_algorithms_server_to_client", "ssh.kex.hassh",
  "ssh.kex.hasshserver_algorithms", "ssh.kex.hasshserver", "ssh.first_kex_packet_follows", "ssh.dh_gex.min", "ssh.dh_gex.nbits",
  "ssh.dh_gex.max", "ssh.dh.e", "ssh.dh.f", "ssh.ecdh.q_c", "ssh.ecdh.q_s", "ssh.host_key.type", "ssh.host_key.rsa.n",
  "ssh.host_key.rsa.e", "ssh.host_key.ecdsa.q", "ssh.host_sig.type", "ssh.host_sig.data", "ssh.padding_string",
  "ssh.encrypted_packet", "frame.protocols"];

/** Classic little-endian pcap records (enough for the captures used here). */
function pcapFrames(file: string): { data: Uint8Array; sec: number; usec: number }[] {
  const b = readFileSync(file);
  const out: { data: Uint8Array; sec: number; usec: number }[] = [];
  for (let o = 24; o + 16 <= b.length;) {
    const incl = b.readUInt32LE(o + 8);
    out.push({ data: new Uint8Array(b.subarray(o + 16, o + 16 + incl)), sec: b.readUInt32LE(o), usec: b.readUInt32LE(o + 4) });
    o += 16 + incl;
  }
  return out;
}

describe.each(CAPTURES.map((f) => [basename(f), f]))("ssh on %s", (_name, file) => {
  it.skipIf(!HAVE_TSHARK)("Protocol and Info columns equal tshark's for the SSH frames", () => {
    // Summary lines, spaces squeezed, keyed by frame number.
    const lines = (out: string) => out.split("\n").filter((l) => l.trim() !== "").map((l) => l.trim().replace(/ +/g, " "));
    const ts = lines(runTshark(["-n", "-r", file, "-Y", "ssh"]).stdout);
    const ax = new Map(lines(runArpx(["read", "-r", file]).stdout).map((l) => [l.split(" ")[0]!, l]));
    expect(ts.length).toBeGreaterThan(10);
    const diffs: string[] = [];
    for (const line of ts) {
      const a = ax.get(line.split(" ")[0]!) ?? "";
      if (a !== line) diffs.push(`tshark ${line} | arpx ${a}`);
    }
    expect(diffs).toEqual([]);
  });

  it.skipIf(!HAVE_TSHARK)("field values equal tshark's", () => {
    const args = ["-T", "fields", "-E", "separator=|", ...FIELDS.flatMap((f) => ["-e", f])];
    const ts = runTshark(["-n", "-r", file, ...args]).stdout.split("\n");
    const ax = runArpx(["read", "-r", file, ...args]).stdout.split("\n");
    expect(ax.length).toBe(ts.length);
    const diffs: string[] = [];
    ts.forEach((l, i) => {
      if (ax[i] !== l) diffs.push(`frame ${i + 1}: tshark ${l.slice(0, 300)} | arpx ${ax[i]?.slice(0, 300)}`);
    });
    expect(diffs).toEqual([]);
  });

  it("decodes every prefix of every SSH frame without an error escaping the engine", () => {
    // Full mode: the engine records any exception other than the Tree's signals as a
    // "[Malformed Packet: ...: arpx dissector error: ...]" item at the top of the tree.
    const e = new Engine({ mode: TreeMode.FULL });
    for (const fr of pcapFrames(file)) {
      e.dissect({ data: fr.data, wireLen: fr.data.length, tsSec: fr.sec, tsNsec: fr.usec * 1000, linkType: 1, ifIndex: 0 });
      if (fr.data.length <= 66) continue;
      for (let n = 0; n < fr.data.length; n++) {
        const cut = fr.data.subarray(0, n);
        // Cut by the snaplen, then lying about its length (the IP total length still claims more).
        for (const wireLen of [fr.data.length, n]) {
          e.dissect({ data: cut, wireLen, tsSec: fr.sec, tsNsec: 0, linkType: 1, ifIndex: 0 });
          const bad = (e.tree.root.kids ?? []).map((k) => k.text ?? "").filter((t) => t.includes("dissector error"));
          if (bad.length > 0) throw new Error(`prefix ${n} of a ${fr.data.length}-byte frame: ${bad.join("; ")}`);
        }
      }
    }
  });
});
