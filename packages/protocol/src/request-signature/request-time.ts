// Date formats of request auth: RFC 1123 GMT for V1 (`Thu, 17 Nov 2005 18:49:58 GMT`, 2-digit day, §6.1),
// ISO 8601 basic for V4 (`20231216T162057Z`, §7.1), ISO 8601 extended with `.000Z` in error extras
// (§10.1). Parsers return epoch milliseconds or undefined; they never consult a clock.

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const dayNames = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const rfc1123Pattern =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const isoBasicPattern = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Builds a UTC instant and rejects fields that overflow (31 Feb, 24:00, 60 s) instead of rolling over. */
function utcFromFields(fields: readonly number[]): number | undefined {
  const [year, month, day, hour, minute, second] = fields as [number, number, number, number, number, number];
  const ms = Date.UTC(year, month, day, hour, minute, second);
  const back = new Date(ms);
  const roundTrips =
    back.getUTCFullYear() === year &&
    back.getUTCMonth() === month &&
    back.getUTCDate() === day &&
    back.getUTCHours() === hour &&
    back.getUTCMinutes() === minute &&
    back.getUTCSeconds() === second;
  return roundTrips ? ms : undefined;
}

/**
 * The weekday is not cross-checked against the date (INFERRED leniency: it carries no information the
 * signature does not already cover).
 */
export function parseRfc1123Date(value: string): number | undefined {
  const match = rfc1123Pattern.exec(value);
  if (match === null) return undefined;
  const [, day, month, year, hour, minute, second] = match;
  return utcFromFields([
    Number(year),
    monthNames.indexOf(month ?? ''),
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
  ]);
}

export function parseIsoBasicDateTime(value: string): number | undefined {
  const match = isoBasicPattern.exec(value);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second] = match;
  return utcFromFields([
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
  ]);
}

const pad2 = (value: number): string => String(value).padStart(2, '0');

/** `Wed, 28 Dec 2022 10:27:41 GMT` — what ali-oss puts in x-oss-date for V1 and Go puts in Date. */
export function formatRfc1123Date(epochMs: number): string {
  const d = new Date(epochMs);
  return (
    `${dayNames[d.getUTCDay()] ?? ''}, ${pad2(d.getUTCDate())} ${monthNames[d.getUTCMonth()] ?? ''} ` +
    `${d.getUTCFullYear()} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} GMT`
  );
}

/** `20231216T162057Z` */
export function formatIsoBasicDateTime(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** `2025-04-10T10:00:57.000Z`: whole seconds, as OSS prints RequestTime/ServerTime/Expires (§10.1). */
export function formatErrorTime(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString();
}
