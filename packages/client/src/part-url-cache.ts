// Presigned part URLs, fetched from the app in batches (one sign-parts call covers the next parts the
// workers will need) and re-signed shortly before they expire: URLs are short-lived on purpose (a URL is
// a write grant), and a long upload outlives many of them. One sign request at a time.
import type { SignedPartUrlBatch } from './multipart-endpoints.js';
import { TicketError } from './upload-errors.js';

export interface PartUrlCacheOptions {
  readonly sign: (partNumbers: readonly number[]) => Promise<SignedPartUrlBatch>;
  /** The part numbers still to upload, in order (the batch is filled from them). */
  readonly upcoming: () => readonly number[];
  readonly now: () => number;
  /** A URL expiring within this margin is signed again (default 60 000 ms). */
  readonly marginMs?: number;
  /** Default 20. */
  readonly batchSize?: number;
}

export interface PartUrlCache {
  get(partNumber: number): Promise<string>;
  /** Forget a URL storage refused as expired. */
  invalidate(partNumber: number): void;
}

export function createPartUrlCache(options: PartUrlCacheOptions): PartUrlCache {
  const marginMs = options.marginMs ?? 60_000;
  const batchSize = options.batchSize ?? 20;
  const urls = new Map<number, { url: string; expiresAtMs: number }>();
  let signing: Promise<void> | undefined;

  const valid = (partNumber: number): string | undefined => {
    const hit = urls.get(partNumber);
    return hit !== undefined && hit.expiresAtMs - options.now() > marginMs ? hit.url : undefined;
  };
  const signBatch = async (partNumber: number): Promise<void> => {
    const wanted = [partNumber, ...options.upcoming().filter((n) => n !== partNumber && !valid(n))];
    const batch = await options.sign(wanted.slice(0, batchSize));
    for (const { partNumber: n, url } of batch.urls) urls.set(n, { url, expiresAtMs: batch.expiresAtMs });
  };

  return {
    async get(partNumber) {
      for (;;) {
        const hit = valid(partNumber);
        if (hit !== undefined) return hit;
        if (signing === undefined) break;
        await signing.catch(() => undefined); // another worker's batch may cover this part
      }
      const own = signBatch(partNumber);
      signing = own;
      try {
        await own;
      } finally {
        if (signing === own) signing = undefined;
      }
      const signed = valid(partNumber);
      if (signed === undefined)
        throw new TicketError(`sign-parts returned no usable URL for part ${partNumber}.`);
      return signed;
    },
    invalidate(partNumber) {
      urls.delete(partNumber);
    },
  };
}
