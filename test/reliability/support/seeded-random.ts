// Deterministic randomness for the reliability harnesses (architecture §6: inject randomness). The seed
// is printed by every run, so a failing kill schedule or body can be replayed; only the timing of kills
// (the machine's speed) stays outside its control.
import { createCipheriv, createHash } from 'node:crypto';

export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  pick<T>(list: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
}

/** mulberry32: tiny, fast, good enough to spread schedules and sizes (not for secrets). */
export function createSeededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => {
      if (list.length === 0) throw new Error('pick() from an empty list');
      return list[Math.floor(next() * list.length)]!;
    },
    chance: (p) => next() < p,
  };
}

/**
 * `size` bytes that differ at every offset and between seeds (AES-128-CTR keystream keyed by the seed),
 * so a body cut short, shifted or mixed with another one never hashes to the expected value.
 */
export function buildBody(seed: number, size: number): Buffer {
  const key = createHash('sha256').update(`upcall-body-${seed}`).digest();
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
  return Buffer.concat([cipher.update(Buffer.alloc(size)), cipher.final()]);
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The ETag OSS gives a single-request upload: `"<MD5 hex, upper case>"` (oss-protocol §8.3). */
export function buildSingleEtag(bytes: Buffer): string {
  return `"${createHash('md5').update(bytes).digest('hex').toUpperCase()}"`;
}
