// The BER reader (ber.ts) on bytes built here: identifiers and lengths in every form, OIDs as
// Wireshark writes them (huge arcs malformed), strings in each encoding, times as Wireshark 4.0
// reads them, labels cut as its fixed buffers cut them, and reads past the data signalled the
// Tree's way (short past the captured bytes, malformed past the claimed ones).
import { describe, expect, it } from "vitest";
import { Packet } from "../../../src/dissect/packet.js";
import { treeText } from "../../../src/dissect/output/tree-text.js";
import { MALFORMED, SHORT, Tree, TreeMode } from "../../../src/dissect/tree.js";
import {
  ber, berBegin, bitString, cutLabel, decodeString, generalizedTime, identifier, integer, length, oid, oidText, sequence, sequenceOf,
  NOOWNTAG, Tag, UNI, utcTime,
} from "../../../src/dissect/protocols/ber.js";
import { afHf } from "../../../src/dissect/protocols/x509.js";
import { ceHf } from "../../../src/dissect/protocols/x509ce.js";

/** A tree (FULL) over `bytes`, `wire` long on the wire; the BER state pointed at it. */
function over(bytes: number[], wire = bytes.length): Tree {
  const p = new Packet();
  p.reset(Uint8Array.from(bytes), wire);
  const t = new Tree(TreeMode.FULL);
  t.reset(p);
  berBegin(p, t);
  return t;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("identifiers and lengths", () => {
  it("reads one-byte and multi-byte tags", () => {
    over([0x30, 0x9f, 0x81, 0x02]);
    expect(identifier(0)).toBe(1);
    expect([ber.cls, ber.pc, ber.tag]).toEqual([0, true, 16]);
    expect(identifier(1)).toBe(4);
    expect([ber.cls, ber.pc, ber.tag]).toEqual([2, false, 130]);
  });

  it("reads short, long and indefinite lengths", () => {
    over([0x05, 0x82, 0x01, 0x00, 0x80, 0x04, 0x01, 0x41, 0x00, 0x00]);
    expect(length(0)).toBe(1);
    expect(ber.len).toBe(5);
    expect(length(1)).toBe(4);
    expect(ber.len).toBe(256);
    // Indefinite: the elements up to the end-of-contents, which count too.
    expect(length(4)).toBe(5);
    expect([ber.len, ber.ind]).toEqual([5, true]);
  });

  it("clamps a length past 31 bits as Wireshark does", () => {
    over([0x85, 0xff, 0xff, 0xff, 0xff, 0xff]);
    length(0);
    expect(ber.len).toBe(0x7fffffff);
  });

  it("signals a read past the captured bytes as short, past the claimed ones as malformed", () => {
    over([0x30, 0x82, 0x01], 10);
    expect(thrown(() => length(1))).toBe(SHORT);
    over([0x30, 0x82, 0x01]);
    expect(thrown(() => length(1))).toBe(MALFORMED);
  });
});

describe("OIDs", () => {
  it("writes them dotted, the first two arcs from the first subidentifier", () => {
    const d = Uint8Array.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]);
    expect(oidText(d, 0, d.length)).toBe("1.2.840.113549.1.1.11");
    expect(oidText(Uint8Array.from([0x88, 0x37, 0x03]), 0, 3)).toBe("2.999.3");
    expect(oidText(Uint8Array.from([]), 0, 0)).toBe("0");
  });

  it("drops an arc the encoding ends inside, and calls an arc past 32 bits malformed", () => {
    expect(oidText(Uint8Array.from([0x55, 0x04, 0x8a]), 0, 3)).toBe("2.5.4");
    expect(oidText(Uint8Array.from([0x55, 0x9f, 0xff, 0xff, 0xff, 0x7f]), 0, 6)).toBeNull();
  });

  it("labels the item with the name, or *** Malformed OID ***", () => {
    const t = over([0x06, 0x03, 0x55, 0x04, 0x03, 0x06, 0x06, 0x55, 0x9f, 0xff, 0xff, 0xff, 0x7f]);
    expect(oid(false, 0, afHf.algorithm_id)).toBe(5);
    expect(oid(false, 5, afHf.algorithm_id)).toBe(13);
    expect(treeText(t.root)).toBe("Algorithm Id: 2.5.4.3 (id-at-commonName)\nAlgorithm Id:  (*** Malformed OID ***)\n");
  });
});

describe("strings", () => {
  const d = (b: number[]) => Uint8Array.from(b);
  it("decodes each encoding as Wireshark 4.0 does", () => {
    expect(decodeString(d([0x41, 0xdc, 0x42]), 0, 3, 0 /* ASCII */)).toBe("A\ufffdB");
    expect(decodeString(d([0xc3, 0xa9, 0xc3, 0x41]), 0, 4, 1 /* UTF-8 */)).toBe("é\ufffdA");
    expect(decodeString(d([0, 0x42, 0xd8, 0x00, 0]), 0, 5, 3 /* UCS-2 */)).toBe("B\ufffd\ufffd\ufffd\ufffd");
    expect(decodeString(d([0, 0, 0, 0x55, 0x7f, 0, 0, 0]), 0, 8, 4 /* UCS-4 */)).toBe("U" + "\ufffd".repeat(6));
    expect(decodeString(d([0x7f, 0, 0, 0]), 0, 4, 4, true)).toBe("\ufffd");
  });

  it("cuts labels at 239 bytes, a character cut in two read back as U+FFFD", () => {
    expect(cutLabel("x".repeat(300))).toBe("x".repeat(239));
    expect(cutLabel("x".repeat(238) + "é")).toBe("x".repeat(238) + "\ufffd");
  });
});

describe("times", () => {
  it("UTCTime with and without seconds, with an offset, and malformed", () => {
    const bytes = (s: string) => [0x17, s.length, ...Buffer.from(s, "latin1")];
    over([...bytes("250101120000Z"), ...bytes("2501011200+0130"), ...bytes("25010112x0Z")]);
    expect(utcTime(false, 0, null)).toBe("25-01-01 12:00:00 (UTC)");
    expect(utcTime(false, 15, null)).toBe("25-01-01 12:00 (UTC+0130)");
    const t = over(bytes("25010112x0Z"));
    expect(utcTime(false, 0, afHf.utcTime)).toBeNull();
    expect(treeText(t.root)).toContain("BER Error: malformed UTCTime encoding, first 10 octets have to contain YYMMDDhhmm in digits");
  });

  it("GeneralizedTime read the way tshark 4.0 reads it", () => {
    const cases: [string, string | null][] = [
      ["20500101120000Z", "Jan  1, 2050 12:00:00.000000000 UTC"],
      ["20500101120000.25-0100", "Jan  1, 2050 13:00:00.250000000 UTC"],
      ["2050010112 000", "Jan  1, 2050 12:00:00.000000000 UTC"],
      ["205001011200p0,25-0100", "Jan  1, 2050 12:00:00.000000000 UTC"],
      ["2020 101000000Z", null],
      ["205001011r0000", null],
      ["20504101120000", null],
    ];
    for (const [s, want] of cases) {
      const t = over([0x18, s.length, ...Buffer.from(s, "latin1")]);
      generalizedTime(false, 0, ceHf.notBefore);
      const text = treeText(t.root);
      if (want === null) expect(text, s).toContain("BER Error: GeneralizedTime invalid format");
      else expect(text, s).toBe(`notBefore: ${want}\n`);
    }
  });
});

describe("constructed types and their errors", () => {
  const SERIALS = [{ cls: UNI, tag: Tag.INTEGER, flags: NOOWNTAG, f: afHf.serialNumber, fn: integer }];

  it("a SEQUENCE OF counts its items; a wrong type is reported under a SEQUENCE's item", () => {
    const t = over([0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x06, 0x31, 0x00]);
    sequenceOf(false, 0, false, SERIALS[0]!, ceHf.GeneralNames);
    sequence(false, 8, SERIALS, afHf.signedCertificate);
    expect(treeText(t.root)).toBe([
      "GeneralNames: 2 items", "    serialNumber: 0x05", "    serialNumber: 0x06", "signedCertificate",
      "    BER Error: Sequence expected but class:UNIVERSAL(0) Constructed tag:17 was unexpected",
      "        [Expert Info (Warning/Malformed): BER Error: Sequence expected but class:UNIVERSAL(0) Constructed tag:17 was unexpected]",
      "            [BER Error: Sequence expected but class:UNIVERSAL(0) Constructed tag:17 was unexpected]",
      "            [Severity level: Warning]", "            [Group: Malformed]", "",
    ].join("\n"));
  });

  it("a SEQUENCE past its data shows its item, and fails reading inside", () => {
    over([0x30, 0x7f, 0x02, 0x01, 0x05]);
    expect(thrown(() => sequence(false, 0, SERIALS, afHf.signedCertificate))).toBe(MALFORMED);
  });

  it("a BIT STRING's named bits, unknown bits and bits set in the padding", () => {
    const t = over([0x03, 0x03, 0x07, 0xa6, 0x81]);
    bitString(false, 0, ceHf.KeyUsage, [ceHf.KeyUsage_digitalSignature, ceHf.KeyUsage_keyEncipherment]);
    const text = treeText(t.root);
    expect(text).toContain("Padding: 7\nKeyUsage: a681\n    1... .... = digitalSignature: True\n    ..1. .... = keyEncipherment: True\n");
    expect(text).toContain("[Unknown bit(s): 0x0681]");
    expect(text).toContain("[Bits set in padded area: 0x01]");
  });
});
