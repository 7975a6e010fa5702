import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isCompactUtcDate, parseCompactUtcDateTime, utcPartsToMs, type UtcParts } from './utc-calendar.js';

/** The Date-setter reading (calendar roll-over detected by reading the fields back). */
function referenceMs(parts: UtcParts): number | undefined {
  const { year, month, day, hour, minute, second, millisecond } = parts;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millisecond);
  return date.getUTCDate() === day && date.getUTCMonth() === month - 1 ? date.getTime() : undefined;
}

describe('utcPartsToMs', () => {
  it('agrees with the Date-setter reading on every year, month and day, valid or not', () => {
    fc.assert(
      fc.property(
        fc.record({
          year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(1900, 2000, 2024, 2100, 2400)),
          month: fc.integer({ min: 0, max: 13 }),
          day: fc.integer({ min: 0, max: 32 }),
          hour: fc.integer({ min: 0, max: 24 }),
          minute: fc.integer({ min: 0, max: 60 }),
          second: fc.integer({ min: 0, max: 60 }),
          millisecond: fc.integer({ min: 0, max: 999 }),
        }),
        (parts) => assert.equal(utcPartsToMs(parts), referenceMs(parts)),
      ),
      { numRuns: 5000 },
    );
  });

  it('knows the leap days', () => {
    const at = (year: number, month: number, day: number) =>
      utcPartsToMs({ year, month, day, hour: 0, minute: 0, second: 0, millisecond: 0 });
    assert.equal(at(2024, 2, 29), Date.UTC(2024, 1, 29));
    assert.equal(at(2000, 2, 29), Date.UTC(2000, 1, 29));
    assert.equal(at(2100, 2, 29), undefined);
    assert.equal(at(2023, 2, 29), undefined);
    assert.equal(at(2023, 4, 31), undefined);
    assert.equal(at(2023, 12, 31), Date.UTC(2023, 11, 31));
  });

  it('parses the V4 forms and refuses impossible dates', () => {
    assert.equal(isCompactUtcDate('20240229'), true);
    assert.equal(isCompactUtcDate('20230229'), false);
    assert.equal(parseCompactUtcDateTime('20231203T010203Z'), Date.UTC(2023, 11, 3, 1, 2, 3));
    assert.equal(parseCompactUtcDateTime('20231131T010203Z'), undefined);
  });
});
