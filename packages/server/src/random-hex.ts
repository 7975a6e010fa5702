// Random hex identifiers (request ids, blob ids) from a pooled entropy buffer. crypto.randomBytes(n) per
// id cost ~13 µs each in the small-upload profile (two per upload: request id and blob id, docs/
// benchmarks.md scenario 3): a buffer allocation plus a call into OpenSSL's RNG for a dozen bytes. One
// randomFillSync of 4 KiB serves hundreds of ids; crypto.randomUUID caches entropy the same way. The
// bytes are the same CSPRNG's, each handed out once.
import { randomFillSync } from 'node:crypto';

const poolBytes = 4096;
const pool = Buffer.allocUnsafe(poolBytes);
let offset = poolBytes;

/** `bytes` random bytes as lower-case hex (2 × bytes characters); bytes ≤ 256. */
export function randomHex(bytes: number): string {
  if (bytes > 256) throw new RangeError('randomHex: at most 256 bytes');
  if (offset + bytes > poolBytes) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}
