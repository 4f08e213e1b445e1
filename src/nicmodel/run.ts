// One run of a capture through the NIC model, as `arpx replay` and `arpx check` both do it: the
// host guessed from the first frames when nothing names it, the model with its ring monitor, and
// the loop that feeds it every frame with the bytes read in place (nothing allocated per frame).
//
// A file is read twice when the host is guessed (the guess pass stops after `guessFrames`
// frames); standard input cannot be, so its first frames are kept (copied into one buffer) and
// fed from memory before the rest. Damage met by the guess pass is not reported there: the main
// pass meets it again (a reopened file, or the same reader, which repeats its error) after
// feeding every good frame, and reports it once.
import { openReader, type FileReader } from "../capture/open.js";
import { CaptureFileError, type CaptureRecord } from "../capture/types.js";
import { classifyAt, Classified } from "./classify.js";
import { resolveConfig, type ConfigInput, type Learn, type ModelConfig } from "./config.js";
import type { ModelListener } from "./events.js";
import { FrameFeeder } from "./feed.js";
import { HostGuesser, type HostGuess } from "./guess.js";
import { NicModel } from "./model.js";

/** Bytes of standard input's first frames kept while guessing the host. */
const STDIN_KEEP = 16 << 20;

/** How to run the model: what `arpx replay` options and `arpx check` policies (model:) say. */
export interface ModelSettings {
  /** The configuration file's content; null: none (resolveConfig's defaults differ for that). */
  config: ConfigInput | null;
  dispatch?: "mac" | "port" | undefined;
  filter?: "promiscuous" | "mac" | undefined;
  learn?: Learn[] | undefined;
  /** Given on the command line (or in a policy): they win over the configuration and the guess. */
  hostMac?: number | undefined;
  hostIp?: number | undefined;
  speed: number;
  /** Frames the host guess reads at most. */
  guessFrames: number;
}

export interface RunOptions extends ModelSettings {
  /** The capture; "-" for standard input. */
  file: string;
}

export interface GuessInfo extends HostGuess {
  /** Frames the guess looked at. */
  frames: number;
  /** Standard input's first frames outgrew the memory kept for them: the guess stopped early. */
  cut: boolean;
}

export interface ModelRun {
  /** The reader to feed the model from (after the guess: reopened, or standard input's). */
  reader: FileReader;
  /** Standard input's frames the guess read: feed them first (feedAll() does). */
  buffered: CaptureRecord[];
  /** How the host was guessed; null when the options or the configuration name it. */
  guess: GuessInfo | null;
  cfg: ModelConfig;
  model: NicModel;
  feeder: FrameFeeder;
}

/** Nothing names the host's MAC, so it must be guessed from the capture. */
export function needsHostGuess(hostMac: number | undefined, config: ConfigInput | null | undefined): boolean {
  return hostMac === undefined && (config?.host?.mac === undefined || config.host.mac === "auto");
}

/**
 * Opens the capture, guesses the host if needed and builds the model, which tells `listener` (a
 * src/ringmon RingMonitor) its events. Throws CaptureFileError when the capture cannot be opened
 * (ConfigError when the guessed host clashes with the configuration). The caller feeds it
 * (feedAll) and closes `reader`.
 */
export async function startRun(o: RunOptions, listener: ModelListener | null): Promise<ModelRun> {
  let reader = await openReader(o.file);
  let hostMac = o.hostMac;
  let hostIp = o.hostIp;
  const buffered: CaptureRecord[] = [];
  let guess: GuessInfo | null = null;
  try {
    if (needsHostGuess(hostMac, o.config)) {
      const keep = o.file === "-";
      guess = await guessHost(reader, o.guessFrames, keep ? buffered : null);
      if (!keep) {
        await reader.close();
        reader = await openReader(o.file);
      }
      if (guess.mac !== null) hostMac = guess.mac;
      if (hostIp === undefined && o.config?.host?.ip === undefined && guess.ip !== null) hostIp = guess.ip;
    }
    const cfg = resolveConfig(o.config, { dispatch: o.dispatch, filter: o.filter, learn: o.learn, hostMac, hostIp });
    const model = new NicModel(cfg, listener);
    const feeder = new FrameFeeder(model, o.speed);
    return { reader, buffered, guess, cfg, model, feeder };
  } catch (e) {
    await reader.close();
    throw e;
  }
}

/**
 * The guess pass over the first `limit` frames. `keep` (standard input) receives copies of the
 * frames read, in one buffer of STDIN_KEEP bytes; when they outgrow it the guess stops there (the
 * frame that did not fit gets a copy of its own: no frame is lost).
 */
async function guessHost(reader: FileReader, limit: number, keep: CaptureRecord[] | null): Promise<GuessInfo> {
  const pass = new GuessPass(limit, keep);
  try {
    while (pass.chunk(reader, reader.bytes) && (await reader.fill()));
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    // damage: the guess stands on the frames before it; the main pass reports it
  }
  return { ...pass.g.result(), frames: pass.seen, cut: pass.cut };
}

class GuessPass {
  readonly g = new HostGuesser();
  private readonly c = new Classified();
  private readonly pool: Uint8Array | null;
  private used = 0;
  seen = 0;
  cut = false;

  constructor(private readonly limit: number, private readonly keep: CaptureRecord[] | null) {
    this.pool = keep !== null ? new Uint8Array(STDIN_KEEP) : null;
  }

  /** The records in hand (a chunk; d is reader.bytes); false when the guess has seen enough. */
  chunk(reader: FileReader, d: Uint8Array): boolean {
    // (nothing before the loop: see feedChunk)
    let r: CaptureRecord | null;
    while ((r = reader.nextRaw()) !== null) {
      const at = reader.rawAt, len = reader.rawLen;
      classifyAt(this.c, d, at, len, r.linkType);
      this.g.addAt(this.c, d, at, len);
      this.seen++;
      if (this.pool !== null && !this.copy(r, d, at, len)) return false;
      if (this.seen >= this.limit) return false;
    }
    return true;
  }

  /** Keeps a copy of a standard input frame; false when the pool is full (that frame is kept apart). */
  private copy(r: CaptureRecord, d: Uint8Array, at: number, len: number): boolean {
    const pool = this.pool!;
    if (this.used + len > pool.length) {
      this.keep!.push({ ...r, data: d.slice(at, at + len), comment: undefined });
      this.cut = true;
      return false;
    }
    pool.set(d.subarray(at, at + len), this.used);
    this.keep!.push({ ...r, data: pool.subarray(this.used, this.used + len), comment: undefined });
    this.used += len;
    return true;
  }
}

/**
 * Feeds the run's buffered frames, then every record of its reader, to the model. `afterChunk`
 * runs between chunks (a progress bar). Throws the reader's CaptureFileError at damage, after
 * every frame before it was fed.
 */
export async function feedAll(run: ModelRun, afterChunk?: () => void): Promise<void> {
  const { feeder, reader } = run;
  for (const r of run.buffered) feeder.feed(r);
  run.buffered.length = 0;
  do {
    feedChunk(reader, reader.bytes, feeder);
    afterChunk?.();
  } while (await reader.fill());
}

/**
 * The hot loop: the records in hand (d is reader.bytes, which changes only in fill()), read in
 * place, nothing allocated. A function of its own so that its optimised code is this loop alone: a
 * chunk's end is a plain return, and nothing runs only once per call (V8 records no type feedback
 * for that, and optimised code would be thrown away there on the next chunk).
 */
function feedChunk(reader: FileReader, d: Uint8Array, feeder: FrameFeeder): void {
  let r: CaptureRecord | null;
  while ((r = reader.nextRaw()) !== null) feeder.feedAt(r, d, reader.rawAt, reader.rawLen);
}
