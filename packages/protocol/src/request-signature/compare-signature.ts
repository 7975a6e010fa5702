// Constant-time signature comparison (threats B8, C1.1–C1.2). Node's timingSafeEqual throws on unequal
// lengths, so length is checked first and reported as a plain mismatch; the caller turns any mismatch
// into 403 SignatureDoesNotMatch, never a 500.
import { timingSafeEqual } from 'node:crypto';

/**
 * Compares the signature *text* as sent with the one computed. Comparing text rather than decoded bytes
 * keeps the check exact: Node's base64 decoder skips invalid characters and missing padding, which would
 * let several spellings of one signature pass.
 */
export function checkSignatureEqual(provided: string, expected: string): boolean {
  const providedBytes = Buffer.from(provided, 'utf8');
  const expectedBytes = Buffer.from(expected, 'utf8');
  if (providedBytes.length !== expectedBytes.length) return false;
  return timingSafeEqual(providedBytes, expectedBytes);
}
