// Paces V8's young-generation collections by upload bytes (docs/adr/0014-node-runtime-flags.md).
//
// An upload's socket chunks are ArrayBuffers outside the JS heap; the JS objects around them are few, so
// V8's own scavenges — paced by JS allocation — come rarely once the young generation has grown. Tens of
// MB of dead chunks then pile up between them, V8 counts that external memory against the old
// generation's limit and runs full mark-compact collections instead: 50–70 per GiB uploaded, ~1.3 CPU-s,
// ~25% of the large-upload throughput (bimodal: it depended on the process's start-up history). A minor
// collection every 16 MiB of upload bytes frees the chunks young: 0–1 mark-compacts per GiB, for 64
// scavenges of ~0.3–0.5 ms. Capping the young generation instead (--max-semi-space-size=2) did the same
// for large uploads but cost small uploads ~12% (more promotion of in-flight requests).
//
// It needs node's --expose-gc (serverNodeFlags); without it this does nothing.
const defaultEveryBytes = 16 * 1024 * 1024;

type MinorGc = (options: { type: 'minor' }) => void;

export class YoungGcPacer {
  readonly #gc: MinorGc | undefined;
  readonly #everyBytes: number;
  #untilNext: number;

  constructor(gc: MinorGc | undefined, everyBytes = defaultEveryBytes) {
    this.#gc = gc;
    this.#everyBytes = everyBytes;
    this.#untilNext = everyBytes;
  }

  /** Counts `bytes` more upload bytes (all uploads together); collects when the pace is reached. */
  note(bytes: number): void {
    if (this.#gc === undefined) return;
    this.#untilNext -= bytes;
    if (this.#untilNext > 0) return;
    this.#untilNext = this.#everyBytes;
    this.#gc({ type: 'minor' });
  }
}

function readExposedGc(): MinorGc | undefined {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? (gc as MinorGc) : undefined;
}

/** The process-wide pacer every upload stream reports to. */
export const uploadGcPacer = new YoungGcPacer(readExposedGc());
