// pcapng metadata from the pcapng-test-generator samples: sections, interfaces, statistics and
// name resolution records (counts as capinfos reports them).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HAVE_SHARED, SHARED_CAPTURES } from "../helpers.js";
import { readAll } from "./util.js";

describe.skipIf(!HAVE_SHARED)("pcapng metadata", () => {
  it("test100: name resolution records (capinfos: 9 IPv4, 5 IPv6), section options", async () => {
    const { reader } = await readAll(join(SHARED_CAPTURES, "pcapngtg-le-advanced-test100.pcapng"));
    expect(reader.names.filter((n) => n.kind === "ipv4")).toHaveLength(9);
    expect(reader.names.filter((n) => n.kind === "ipv6")).toHaveLength(5);
    expect(reader.names[0]).toEqual({ kind: "ipv4", addr: Uint8Array.of(192, 168, 1, 2), names: ["example.com"] });
    expect(reader.section).toEqual({ byteOrder: "le", version: "1.0", offset: 0, comments: ["test100"], hardware: "Apple MBP", os: "OS-X 10.10.5", userAppl: "pcap_writer.lua" });
    expect(reader.interfaces.map((i) => [i.name, i.linkType, i.snapLen])).toEqual([["eth0", 1, 0], ["null1", 0, 0], ["wifi2?", 1, 128]]);
  });

  for (const order of ["le", "be"]) {
    it(`test201 (${order}): three sections, five interfaces, statistics per interface`, async () => {
      const { reader, records } = await readAll(join(SHARED_CAPTURES, `pcapngtg-${order}-difficult-test201.pcapng`));
      expect(reader.sections.map((s) => [s.byteOrder, s.comments[0], s.offset])).toEqual([[order, "test201 SHB-0", 0], [order, "test201 SHB-1", 324], [order, "test201 SHB-2", 924]]);
      expect(reader.sectionComments).toEqual(["test201 SHB-0", "test201 SHB-1", "test201 SHB-2"]);
      expect(reader.interfaces.map((i) => [i.section, i.idInSection, i.name])).toEqual([
        [0, 0, "eth0"], [0, 1, "null1"], [1, 0, "silly ethernet interface 2"], [2, 0, "eth0"], [2, 1, "null1"],
      ]);
      expect(records.map((r) => r.ifIndex)).toEqual([0, 2, 2, 4]);
      expect(reader.stats.interfaceStats.get(2)).toEqual({ ifDrop: 10, filterAccept: 42, startSec: 1340954905, startNsec: 298858000, endSec: 1340954905, endNsec: 299858000, comments: ["test201 ISB-2"] });
      expect(reader.stats.interfaceStats.get(3)).toMatchObject({ ifRecv: 100, ifDrop: 1, osDrop: 42, filterAccept: 9, usrDeliv: 6 });
      expect(reader.offset).toBe(1452);
    });
  }
});
