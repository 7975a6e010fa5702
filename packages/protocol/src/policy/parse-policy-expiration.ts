// `expiration` (oss-protocol §4.2): a JSON string, ISO 8601 UTC with `T` and `Z`, milliseconds
// optional. Numbers, empty strings, a space instead of `T`, offsets other than `Z` and five-digit
// years are InvalidPolicyDocument with the EC that D9 documents for each case.
import type { JsonNode } from './strict-json.js';
import { invalidPolicyDocument, truncateForMessage } from './invalid-policy-document.js';
import { utcPartsToMs } from './utc-calendar.js';

// INFERRED: 1–9 fractional digits are accepted (Go's RFC3339Nano, Python's microseconds) and
// truncated to milliseconds; docs only show none or three (docs/protocol-decisions.md).
const expirationPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

function expirationToMs(text: string): number | undefined {
  const match = expirationPattern.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.slice(0, 7).map(Number);
  const fraction = match[7] ?? '';
  return utcPartsToMs({
    year: year ?? 0,
    month: month ?? 0,
    day: day ?? 0,
    hour: hour ?? 0,
    minute: minute ?? 0,
    second: second ?? 0,
    millisecond: Number(fraction.padEnd(3, '0').slice(0, 3)),
  });
}

/** Returns the expiration as ms since the epoch; throws InvalidPolicyDocument. */
export function parsePolicyExpiration(node: JsonNode): number {
  if (node.type !== 'string') {
    throw invalidPolicyDocument('expiration must be a string.', 'expirationNotString');
  }
  if (node.value === '') {
    throw invalidPolicyDocument('expiration must not be empty.', 'expirationEmpty');
  }
  const ms = expirationToMs(node.value);
  if (ms === undefined) {
    const shown = JSON.stringify(truncateForMessage(node.value, 64));
    throw invalidPolicyDocument(
      `Invalid 'expiration' value: ${shown}. Use ISO 8601 UTC, e.g. "2014-12-01T12:00:00.000Z".`,
      'expirationMalformed',
    );
  }
  return ms;
}
