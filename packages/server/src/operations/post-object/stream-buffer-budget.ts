// Per-upload stream buffers sized by how many uploads are in flight (issue 8, scenario 5; docs/adr/0012).
// Each PostObject holds up to about six high-water marks of data (request meter in and out, busboy in,
// the file stream, limit-and-hash in and out) once its chain backs up — and under many concurrent
// uploads it does, because they share one hash worker. At 256 KiB that is ~1.5 MB per upload, ~500 MB
// for 200 concurrent 10 MiB forms. A large buffer only pays off for a few large uploads at a time
// (fewer stream turns per byte: ~10% more MB/s for one 256 MiB form here), so the first
// `roomyUploads` uploads in flight get the configured size and any beyond them `crowdedBytes`.
// The sizes only move buffering, never what is accepted or stored.

export interface StreamBufferLease {
  readonly highWaterMarkBytes: number;
  /** Call once when the upload is over (idempotent). */
  release(): void;
}

export interface StreamBufferBudgetOptions {
  /** The configured size (PostFormLimits.streamHighWaterMarkBytes). */
  readonly roomyBytes: number;
  /** How many uploads in flight get `roomyBytes` (default 16). */
  readonly roomyUploads?: number;
  /** The size beyond them (default 64 KiB: one socket read; never more than `roomyBytes`). */
  readonly crowdedBytes?: number;
}

export const defaultRoomyUploads = 16;
export const defaultCrowdedStreamBytes = 64 * 1024;

export class StreamBufferBudget {
  readonly #roomyBytes: number;
  readonly #crowdedBytes: number;
  readonly #roomyUploads: number;
  #roomyInFlight = 0;

  constructor(options: StreamBufferBudgetOptions) {
    this.#roomyBytes = options.roomyBytes;
    this.#crowdedBytes = Math.min(options.crowdedBytes ?? defaultCrowdedStreamBytes, options.roomyBytes);
    this.#roomyUploads = options.roomyUploads ?? defaultRoomyUploads;
  }

  /** The high-water mark for one new upload's stream chain. */
  acquire(): StreamBufferLease {
    if (this.#roomyInFlight >= this.#roomyUploads) {
      return { highWaterMarkBytes: this.#crowdedBytes, release: () => undefined };
    }
    this.#roomyInFlight += 1;
    let released = false;
    return {
      highWaterMarkBytes: this.#roomyBytes,
      release: () => {
        if (released) return;
        released = true;
        this.#roomyInFlight -= 1;
      },
    };
  }
}
