import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseListPage } from './create-storage-lister.js';

const page = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Name>uploads</Name>${body}</ListBucketResult>`;
const contents = (key: string) =>
  `<Contents><Key>${key}</Key><LastModified>2026-01-02T03:04:05.000Z</LastModified><ETag>"0123456789ABCDEF0123456789ABCDEF"</ETag><Size>42</Size></Contents>`;

describe('parseListPage', () => {
  it('decodes url-encoded keys and keeps ETag, size and LastModified', () => {
    const parsed = parseListPage(
      page(
        `<EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>${contents('a%20b/%E2%9C%93%26.txt')}`,
      ),
    );
    assert.deepEqual(parsed, {
      objects: [
        {
          key: 'a b/✓&.txt',
          size: 42,
          etag: '"0123456789ABCDEF0123456789ABCDEF"',
          lastModifiedMs: Date.UTC(2026, 0, 2, 3, 4, 5),
        },
      ],
      nextMarker: undefined,
    });
  });

  it('keeps numeric-looking keys as text and continues from NextMarker', () => {
    const parsed = parseListPage(
      page(`<IsTruncated>true</IsTruncated><NextMarker>007</NextMarker>${contents('007')}`),
    );
    assert.equal(parsed.objects[0]?.key, '007');
    assert.equal(parsed.nextMarker, '007');
  });

  it('throws on an error document instead of listing nothing', () => {
    assert.throws(
      () => parseListPage('<Error><Code>AccessDenied</Code></Error>'),
      /without ListBucketResult/,
    );
  });
});
