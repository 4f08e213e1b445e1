// Protocol hierarchy: frames and bytes per protocol path, as `tshark -z io,phs`.
import type { Packet } from "../packet.js";

interface PhsNode {
  name: string;
  frames: number;
  bytes: number;
  kids: Map<string, PhsNode>;
}

export class ProtocolHierarchy {
  private readonly root: PhsNode = { name: "", frames: 0, bytes: 0, kids: new Map() };

  add(p: Packet): void {
    let n = this.root;
    n.frames++;
    n.bytes += p.wireLen;
    // Like tshark, one level per protocol at the top of the detail tree (not frame.protocols,
    // which also lists hand-offs such as "ethertype" and nested ones such as IPv6 extension
    // headers or the packet quoted in an ICMP error); the frame itself is not counted.
    for (const name of p.topLayers) {
      if (name === "frame") continue;
      let k = n.kids.get(name);
      if (!k) {
        k = { name, frames: 0, bytes: 0, kids: new Map() };
        n.kids.set(name, k);
      }
      k.frames++;
      k.bytes += p.wireLen;
      n = k;
    }
  }

  /** Rows of (depth, protocol, frames, bytes) in first-seen order. */
  rows(): { depth: number; name: string; frames: number; bytes: number }[] {
    const out: { depth: number; name: string; frames: number; bytes: number }[] = [];
    const walk = (n: PhsNode, depth: number) => {
      for (const k of n.kids.values()) {
        out.push({ depth, name: k.name, frames: k.frames, bytes: k.bytes });
        walk(k, depth + 1);
      }
    };
    walk(this.root, 0);
    return out;
  }

  get totalFrames(): number {
    return this.root.frames;
  }
}
