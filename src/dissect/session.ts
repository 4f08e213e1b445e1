// State that lives across the frames of one read: reference times for relative timestamps and
// per-protocol conversation state (TCP relative sequence numbers, stream indexes).

export class Session {
  firstSec = NaN;
  firstNsec = 0;
  prevSec = NaN;
  prevNsec = 0;
  prevDispSec = NaN;
  prevDispNsec = 0;
  private readonly stores = new Map<string, unknown>();

  /** Per-protocol state, created on first use. */
  store<T>(key: string, make: () => T): T {
    let s = this.stores.get(key) as T | undefined;
    if (s === undefined) {
      s = make();
      this.stores.set(key, s);
    }
    return s;
  }
}

/** a - b in seconds, exact to the nanosecond when printed with 9 decimals. */
export function secondsBetween(aSec: number, aNsec: number, bSec: number, bNsec: number): number {
  return aSec - bSec + (aNsec - bNsec) / 1e9;
}

/** "1362692526.869344000": seconds and nanoseconds joined without floating point loss. */
export function epochText(sec: number, nsec: number): string {
  // pcap files may carry an out-of-range fraction; print it the way tshark does.
  if (nsec < 0) return "-" + sec + "." + String(-nsec).padStart(9, "0");
  const neg = sec < 0;
  return (neg ? "-" : "") + Math.abs(sec) + "." + String(nsec).padStart(9, "0");
}

/** Relative seconds printed with nine decimals, as tshark does. */
export function relText(v: number): string {
  return v.toFixed(9);
}
