import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { crc64Ecma } from '@upcall/protocol';
import type { PartInfo } from '../../store/multipart-store.js';
import { checkCompleteParts, minPartBytes } from './check-complete-parts.js';
import { buildCompleteChecksums } from './complete-multipart-upload.js';
import { buildTestBytes } from './testing/multipart-test-kit.js';

function part(
  partNumber: number,
  size: number,
  etag = `"${String(partNumber).padStart(32, '0')}"`,
): PartInfo {
  return { partNumber, size, etag, crc64: '0', lastModifiedMs: 0 };
}

const stored = new Map(
  [part(1, minPartBytes), part(2, minPartBytes - 1), part(4, 1)].map((p) => [p.partNumber, p]),
);

function codeOf(verdict: ReturnType<typeof checkCompleteParts>): string {
  return verdict.ok ? 'ok' : verdict.error.code;
}

describe('checkCompleteParts', () => {
  it('accepts ascending, matching parts whose last one alone is small', () => {
    const verdict = checkCompleteParts(
      [
        { partNumber: 1, etag: stored.get(1)!.etag.toLowerCase() },
        { partNumber: 4, etag: stored.get(4)!.etag.replaceAll('"', '') },
      ],
      stored,
    );
    assert.ok(verdict.ok);
    assert.deepEqual(verdict.parts, [stored.get(1), stored.get(4)]);
  });

  it('names the first broken rule: order, existence and ETag, then size', () => {
    const etag = (n: number): string => stored.get(n)?.etag ?? '"x"';
    assert.equal(
      codeOf(
        checkCompleteParts(
          [
            { partNumber: 4, etag: etag(4) },
            { partNumber: 1, etag: etag(1) },
          ],
          stored,
        ),
      ),
      'InvalidPartOrder',
    );
    assert.equal(codeOf(checkCompleteParts([{ partNumber: 3, etag: etag(1) }], stored)), 'InvalidPart');
    assert.equal(codeOf(checkCompleteParts([{ partNumber: 1, etag: etag(4) }], stored)), 'InvalidPart');
    const small = checkCompleteParts(
      [
        { partNumber: 2, etag: etag(2) },
        { partNumber: 4, etag: etag(4) },
      ],
      stored,
    );
    assert.equal(codeOf(small), 'EntityTooSmall');
    assert.ok(!small.ok && small.error.extra.some(([name, value]) => name === 'PartNumber' && value === '2'));
  });
});

describe('buildCompleteChecksums', () => {
  it('combines the parts’ CRC-64s into the CRC-64 of the whole object', () => {
    const bytes = buildTestBytes(300_001, 4);
    const cuts = [0, 102_400, 250_000, 300_001];
    const parts = cuts.slice(1).map((end, i) => {
      const slice = bytes.subarray(cuts[i], end);
      return { ...part(i + 1, slice.length), crc64: crc64Ecma(slice) };
    });
    const { etag, crc64 } = buildCompleteChecksums(parts);
    assert.equal(crc64, crc64Ecma(bytes));
    assert.match(etag, /^"[0-9A-F]{32}-3"$/);
  });
});
