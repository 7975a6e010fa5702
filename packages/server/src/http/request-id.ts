// OSS request ids are 24 upper-case hex characters, e.g. `55F6BF87207FB30F2640C548` (oss-protocol §10.1).
import { randomHex } from '../random-hex.js';

export function createRequestId(): string {
  return randomHex(12).toUpperCase();
}
