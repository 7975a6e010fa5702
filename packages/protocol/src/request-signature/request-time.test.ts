import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatErrorTime,
  formatIsoBasicDateTime,
  formatRfc1123Date,
  parseIsoBasicDateTime,
  parseRfc1123Date,
} from './request-time.js';

describe('parseRfc1123Date', () => {
  it('reads the D11 form and round-trips through formatRfc1123Date', () => {
    const ms = parseRfc1123Date('Thu, 17 Nov 2005 18:49:58 GMT');
    assert.equal(ms, Date.UTC(2005, 10, 17, 18, 49, 58));
    assert.equal(formatRfc1123Date(ms ?? 0), 'Thu, 17 Nov 2005 18:49:58 GMT');
  });

  it('rejects a one-digit day, another zone, ISO text, impossible dates and trailing text', () => {
    for (const text of [
      'Thu, 7 Nov 2005 18:49:58 GMT',
      'Thu, 17 Nov 2005 18:49:58 +0000',
      '2005-11-17T18:49:58Z',
      'Thu, 31 Feb 2005 18:49:58 GMT',
      'Thu, 17 Nov 2005 24:00:00 GMT',
      'Thu, 17 Nov 2005 18:49:58 GMT ',
      '',
    ]) {
      assert.equal(parseRfc1123Date(text), undefined, text);
    }
  });
});

describe('parseIsoBasicDateTime', () => {
  it('reads YYYYMMDDTHHMMSSZ and round-trips through formatIsoBasicDateTime', () => {
    const ms = parseIsoBasicDateTime('20231216T162057Z');
    assert.equal(ms, 1702743657000);
    assert.equal(formatIsoBasicDateTime(ms ?? 0), '20231216T162057Z');
  });

  it('rejects hyphenated, zone-less, lower-case and impossible values', () => {
    for (const text of ['2023-12-16T16:20:57Z', '20231216T162057', '20231216t162057z', '20231332T000000Z']) {
      assert.equal(parseIsoBasicDateTime(text), undefined, text);
    }
  });
});

describe('formatErrorTime', () => {
  it('prints whole seconds with .000Z as OSS does in RequestTime/ServerTime', () => {
    assert.equal(formatErrorTime(Date.UTC(2025, 3, 10, 10, 0, 57, 999)), '2025-04-10T10:00:57.000Z');
  });
});
