import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkCompleteParts, measureChosenParts } from './complete-multipart-upload.js';
import { MultipartRequestError } from './multipart-request-error.js';

const refused = (reason: string) => (error: unknown) =>
  error instanceof MultipartRequestError && error.reason === reason;

describe('the part list a browser sends to complete', () => {
  it('keeps ascending part numbers with unquoted ETags', () => {
    assert.deepEqual(
      checkCompleteParts([
        { partNumber: 1, etag: '"AA"' },
        { partNumber: 3, etag: 'bb' },
      ]),
      [
        { partNumber: 1, etag: 'AA' },
        { partNumber: 3, etag: 'bb' },
      ],
    );
  });

  it('refuses empty, repeated, descending, out-of-range and malformed entries', () => {
    for (const parts of [
      [],
      [
        { partNumber: 1, etag: 'A' },
        { partNumber: 1, etag: 'A' },
      ],
      [
        { partNumber: 2, etag: 'A' },
        { partNumber: 1, etag: 'A' },
      ],
      [{ partNumber: 0, etag: 'A' }],
      [{ partNumber: 10_001, etag: 'A' }],
      [{ partNumber: '1', etag: 'A' }],
      [{ partNumber: 1, etag: '<x>' }],
      [null],
    ]) {
      assert.throws(() => checkCompleteParts(parts), refused('bad-request'), JSON.stringify(parts));
    }
  });

  it('sums the stored sizes of the chosen parts, comparing ETags case-insensitively', () => {
    const stored = [
      { partNumber: 1, etag: 'AA', size: 100 },
      { partNumber: 2, etag: 'BB', size: 50 },
      { partNumber: 3, etag: 'CC', size: 7 },
    ];
    const chosen = [
      { partNumber: 1, etag: 'aa' },
      { partNumber: 3, etag: 'CC' },
    ];
    assert.equal(measureChosenParts(chosen, stored), 107);
  });

  it('refuses a part storage does not hold with that ETag', () => {
    const stored = [{ partNumber: 1, etag: 'AA', size: 100 }];
    assert.throws(() => measureChosenParts([{ partNumber: 1, etag: 'AB' }], stored), refused('bad-request'));
    assert.throws(() => measureChosenParts([{ partNumber: 2, etag: 'AA' }], stored), refused('bad-request'));
  });
});
