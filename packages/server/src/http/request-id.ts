// OSS request ids are 24 upper-case hex characters, e.g. `55F6BF87207FB30F2640C548` (oss-protocol §10.1).
import { randomBytes } from 'node:crypto';

export function createRequestId(): string {
  return randomBytes(12).toString('hex').toUpperCase();
}
