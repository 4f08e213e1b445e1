// Dropbox LAN sync discovery (UDP 17500): the public captures' announcement and datagrams built
// here are read by arpx and by tshark, which must show the same protocol subtree (JSON when the
// payload passes Wireshark's check, a "Text" string otherwise), columns and fields.
import { describe, expect, it } from "vitest";
import { HAVE_SHARED, HAVE_TSHARK, runArpx, runTshark, SHARED_CAPTURES } from "../../helpers.js";
import { decode, everyPrefixIsSafe } from "./l3-helpers.js";
import { fieldLines, summaries, writePcap } from "./tshark-compare.js";
import { A4, B4, eth, ip4, udp } from "./transport-build.js";

const FIELDS = [
  "db-lsp.text", "json.object", "json.array", "json.member", "json.key", "json.path", "json.path_with_value",
  "json.member_with_value", "json.value.string", "json.value.number", "_ws.expert.message",
];

const CAPTURES = ["be-advanced-test100", "le-advanced-test100", "be-difficult-test201", "le-difficult-test201"].map(
  (n) => `${SHARED_CAPTURES}/pcapngtg-${n}.pcapng`,
);

const bytes = (s: string): number[] => Array.from(Buffer.from(s, "latin1"));

function datagram(payload: number[], sport = 17500, dport = 17500): number[] {
  return eth(ip4(A4, B4, 17, udp(sport, dport, payload)));
}

/** The Dropbox subtree of each frame of a -V text (from its line to the frame's end). */
function dropboxDetail(text: string): string[] {
  return text.split(/\n(?=Frame \d+: )/).map((f) => {
    const i = f.indexOf("\nDropbox LAN sync Discovery Protocol\n");
    return i < 0 ? "" : f.slice(i + 1);
  });
}

/** The "db-lsp-disc" layer of each packet of a -T json text. */
function dropboxJson(text: string): unknown[] {
  return (JSON.parse(text) as { _source: { layers: Record<string, unknown> } }[]).map((p) => p._source.layers["db-lsp-disc"]);
}

describe("db-lsp-disc", () => {
  it("shows a payload that is not JSON as one ASCII string, cut at a NUL", () => {
    const d = decode(datagram(bytes("hello\r\nworld")));
    expect(d.p.protocol).toBe("DB-LSP-DISC");
    expect(d.p.info.toString()).toBe("Dropbox LAN sync Discovery Protocol");
    expect(d.v("frame.protocols")).toEqual(["eth:ethertype:ip:udp:db-lsp-disc"]);
    expect(d.v("db-lsp.text")).toEqual(["hello\\r\\nworld"]);
    expect(d.text).toContain("Dropbox LAN sync Discovery Protocol\n    Text: hello\\r\\nworld\n");
    const nul = decode(datagram(bytes("ab\0cd")));
    expect(nul.v("db-lsp.text")).toEqual(["ab"]);
    expect(nul.v("_ws.expert.message")).toEqual(["Trailing stray characters"]);
    // Bytes from 0x80 on before the NUL move the window Wireshark looks at past the end.
    expect(decode(datagram(bytes("\u00ff\u00ff\u00ff\u00ff\0cd"))).v("_ws.expert.message")).toEqual([]);
    expect(decode(datagram(bytes("ab\0\0\0"))).v("_ws.expert.message")).toEqual([]);
  });

  it("never throws on cut datagrams", () => {
    everyPrefixIsSafe(datagram(bytes('{"host_int": 1, "version": [2, 0], "port": 17500}')));
    everyPrefixIsSafe(datagram(bytes("not json\0at all")));
  });

  describe.skipIf(!HAVE_TSHARK)("agrees with tshark", () => {
    it.skipIf(!HAVE_SHARED)("on the public captures: summary lines, the Dropbox subtree, its JSON and fields", () => {
      for (const file of CAPTURES) {
        const s = summaries(file);
        expect(s.ax).toEqual(s.ts);
        const ts = dropboxDetail(runTshark(["-n", "-V", "-r", file]).stdout);
        expect(ts.filter((x) => x !== "")).toHaveLength(1);
        expect(dropboxDetail(runArpx(["read", "-n", "-V", "-r", file]).stdout)).toEqual(ts);
        const tj = dropboxJson(runTshark(["-n", "-T", "json", "--no-duplicate-keys", "-r", file]).stdout);
        expect(dropboxJson(runArpx(["read", "-n", "-T", "json", "-r", file]).stdout)).toEqual(tj);
        const v = fieldLines(file, ["frame.protocols", ...FIELDS]);
        expect(v.ax).toEqual(v.ts);
      }
    });

    it("on built datagrams: -V, summary lines, fields", () => {
      const frames = [
        datagram(bytes("hello world")),
        datagram(bytes("ab\0cd")),
        datagram(bytes("\0{")),
        datagram(bytes("\u00ff\u00ff\0cd")),
        datagram(bytes("a".repeat(300))),
        datagram(bytes("\u00c3".repeat(10) + "b".repeat(230))),
        datagram(bytes('{"displayname": "x", "port": 17500}'), 40000, 17500),
        datagram(bytes('{"a": 1}'), 17500, 53000),
      ].map((f) => Uint8Array.from(f));
      const cut = [Uint8Array.from(datagram(bytes('{"host_int": 1, "port": 17500}'))), Uint8Array.from(datagram(bytes("text\0stray")))];
      const file = writePcap("db-lsp.pcap", [...frames, ...cut.flatMap((f) => [[f.subarray(0, f.length - 3), f.length] as const, [f.subarray(0, f.length - 12), f.length] as const])]);
      expect(runArpx(["read", "-n", "-V", "-r", file]).stdout).toBe(runTshark(["-n", "-V", "-r", file]).stdout);
      const s = summaries(file);
      expect(s.ax).toEqual(s.ts);
      const v = fieldLines(file, ["frame.protocols", ...FIELDS]);
      expect(v.ax).toEqual(v.ts);
      expect(v.ts).toHaveLength(frames.length + 2 * cut.length);
    });
  });
});
