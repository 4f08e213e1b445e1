import { describe, expect, it } from "vitest";
import { decode, everyPrefixIsSafe, hex } from "./l3-helpers.js";

const E8023 = (len: string) => `ffffffffffff 001122334455 ${len}`;

describe("llc", () => {
  it("decodes SNAP with an ethertype protocol id straight to the ethertype table", () => {
    const { v, text } = decode(hex(`${E8023("0020")} aaaa03 000000 0800 4500 0018 0000 0000 40fd 0000 0a000001 0a000002 deadbeef`));
    expect(v("frame.protocols")).toEqual(["eth:llc:ip:data"]);
    expect(v("llc.dsap")).toEqual(["0xaa"]);
    expect(v("llc.dsap.sap")).toEqual(["85"]);
    expect(v("llc.control")).toEqual(["0x0003"]);
    expect(v("llc.oui")).toEqual(["0"]);
    expect(v("llc.type")).toEqual(["0x0800"]);
    expect(text).toContain("    Control field: U, func=UI (0x03)");
  });

  it("names SAPs and I/S/U frames in Info", () => {
    const u = decode(hex(`${E8023("0006")} fafa03 010203`));
    expect(u.p.protocol).toBe("LLC");
    expect(u.p.info.toString()).toBe("U, func=UI; DSAP Ungermann-Bass Individual, SSAP Ungermann-Bass Command");
    const i = decode(hex(`${E8023("0006")} fafb 0a0b 0102`));
    expect(i.p.info.toString()).toBe("I P, N(R)=5, N(S)=5; DSAP Ungermann-Bass Individual, SSAP Ungermann-Bass Response");
    expect(i.v("llc.control.n_r")).toEqual(["5"]);
    const s = decode(hex(`${E8023("0006")} fafa 010b 0102`));
    expect(s.p.info.toString()).toBe("S P, func=RR, N(R)=5; DSAP Ungermann-Bass Individual, SSAP Ungermann-Bass Command");
    const snap = decode(hex(`${E8023("0008")} aaaa03 000000 88b5`));
    expect(snap.p.info.toString()).toBe("U, func=UI; SNAP, OUI 0x000000 (Officially Xerox, but 0:0:0:0:0:0 is more common), PID 0x88B5");
  });

  it("never throws on truncated frames", () => {
    everyPrefixIsSafe(hex(`${E8023("0010")} aaaa03 00000c 2000 0102 0304 0506`));
    everyPrefixIsSafe(hex(`${E8023("0010")} 4242 0b0a 0102 0304 0506`));
    const cut = decode(hex(`${E8023("0003")} aaaa03`));
    expect(cut.p.malformed).toBe(true);
  });
});
