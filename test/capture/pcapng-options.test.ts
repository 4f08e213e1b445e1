// Options: one table per block type drives both directions; a fixed byte fixture is checked each
// way, and every table round-trips in both byte orders.
import { describe, expect, it } from "vitest";
import {
  decodeOptions, encodeOptions, EPB_OPTS, IDB_OPTS, ISB_OPTS, NRB_OPTS, PB_OPTS, SHB_OPTS, type OptTable, type OptValues,
} from "../../src/capture/pcapng-options.js";

const fail = (at: number, detail: string): never => {
  throw new Error(`${detail} @${at}`);
};
const decode = (b: Uint8Array, le: boolean, t: OptTable) => decodeOptions(new DataView(b.buffer, b.byteOffset, b.byteLength), b, 0, b.length, le, t, fail);

describe("pcapng options", () => {
  // IDB: if_name "eth0", if_tsresol 9, if_tsoffset -2, end
  const fixture = Uint8Array.from([
    0x02, 0x00, 0x04, 0x00, 0x65, 0x74, 0x68, 0x30,
    0x09, 0x00, 0x01, 0x00, 0x09, 0x00, 0x00, 0x00,
    0x0e, 0x00, 0x08, 0x00, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x00, 0x00, 0x00, 0x00,
  ]);
  const values = { name: "eth0", tsresol: 9, tsoffset: -2 };
  it("decodes a byte fixture", () => expect(decode(fixture, true, IDB_OPTS)).toEqual(values));
  it("encodes the same bytes", () => expect(Array.from(encodeOptions(IDB_OPTS, values, true))).toEqual(Array.from(fixture)));

  const samples: [string, OptTable, OptValues][] = [
    ["SHB", SHB_OPTS, { comments: ["one", "twø"], hardware: "x86_64", os: "Linux 6.1", userAppl: "arpx 0.1.0" }],
    ["IDB", IDB_OPTS, { comments: ["c"], name: "eth0", description: "uplink", speed: 10_000_000_000, tsresol: 0x94, filter: "tcp port 80", os: "Linux", fcslen: 4, tsoffset: 1_000_000, hardware: "nic" }],
    ["IDB big speed", IDB_OPTS, { speed: 2n ** 63n + 5n, tsoffset: -(2n ** 60n) }],
    ["EPB", EPB_OPTS, { comments: ["a", "b", "c"], flags: 0x80000001, dropCount: 3, packetId: 2n ** 64n - 1n, queue: 7 }],
    ["PB", PB_OPTS, { comments: ["x"], flags: 2 }],
    ["ISB", ISB_OPTS, { comments: ["s"], startTime: { hi: 1, lo: 2 }, endTime: { hi: 0xffffffff, lo: 0 }, ifRecv: 100, ifDrop: 0, filterAccept: 9, osDrop: 1, usrDeliv: 99 }],
    ["NRB", NRB_OPTS, { comments: ["n"], dnsName: "ns1" }],
  ];
  for (const le of [true, false]) {
    it.each(samples)(`%s round-trips (${le ? "LE" : "BE"})`, (_n, t, v) => {
      const b = encodeOptions(t, v, le);
      expect(b.length % 4).toBe(0);
      expect(decode(b, le, t)).toEqual(v);
    });
  }

  it("no options: empty bytes, decoded as null", () => {
    expect(encodeOptions(EPB_OPTS, {}, true).length).toBe(0);
    expect(decode(new Uint8Array(0), true, EPB_OPTS)).toBeNull();
    expect(decode(new Uint8Array(4), true, EPB_OPTS)).toBeNull();
  });
  it("ignores fixed-size options of the wrong size and unknown codes, strips trailing NULs", () => {
    const b = Uint8Array.from([0x0e, 0, 3, 0, 1, 2, 3, 0, 0x63, 0, 1, 0, 9, 0, 0, 0, 1, 0, 3, 0, 0x68, 0x69, 0, 0, 0, 0, 0, 0]);
    expect(decode(b, true, IDB_OPTS)).toEqual({ comments: ["hi"] });
  });
  it("an option running past the block is an error", () => {
    expect(() => decode(Uint8Array.from([1, 0, 200, 0, 0x61, 0x62, 0x63, 0x64]), true, EPB_OPTS)).toThrow("option 1 of 200 bytes runs past the end of its block (4 bytes left) @0");
  });
  it("a filter that is a BPF program (type 1) is not taken for a string", () => {
    const b = Uint8Array.from([11, 0, 3, 0, 1, 0xaa, 0xbb, 0]);
    expect(decode(b, true, IDB_OPTS)).toBeNull();
  });
});
