// Calendar-checked UTC timestamps for the policy `expiration` (§4.2) and V4 `x-oss-date` (§5.2).
// Date.UTC maps years 0–99 to 1900–1999 and silently rolls 2023-02-30 over to March, so both are
// guarded here.

export interface UtcParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Milliseconds since the epoch, or undefined when the parts are not a real calendar instant. */
export function utcPartsToMs(parts: UtcParts): number | undefined {
  const { year, month, day, hour, minute, second, millisecond } = parts;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  // Arithmetic check + Date.UTC for the years every request carries (three timestamps per V4 upload;
  // a Date object and its setters cost several µs each). Years 0–99 take the Date path below.
  if (year >= 100) {
    const lastDay = month === 2 && isLeapYear(year) ? 29 : (daysInMonth[month - 1] ?? 0);
    return day > lastDay ? undefined : Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millisecond);
  return date.getUTCDate() === day && date.getUTCMonth() === month - 1 ? date.getTime() : undefined;
}

/** `YYYYMMDD` → true when it is a real calendar date (the V4 credential/scope date). */
export function isCompactUtcDate(text: string): boolean {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) return false;
  const [, year, month, day] = match.map(Number);
  const parts = { year: year ?? 0, month: month ?? 0, day: day ?? 0, hour: 0, minute: 0, second: 0 };
  return utcPartsToMs({ ...parts, millisecond: 0 }) !== undefined;
}

/** `YYYYMMDDTHHMMSSZ` (V4 `x-oss-date`, §5.2) → ms since the epoch, or undefined. */
export function parseCompactUtcDateTime(text: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  return utcPartsToMs({
    year: year ?? 0,
    month: month ?? 0,
    day: day ?? 0,
    hour: hour ?? 0,
    minute: minute ?? 0,
    second: second ?? 0,
    millisecond: 0,
  });
}
