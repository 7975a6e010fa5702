import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OssError } from '@upcall/protocol';
import { parseCompleteXml } from './parse-complete-xml.js';

const isMalformed = (error: unknown): boolean => error instanceof OssError && error.code === 'MalformedXML';

describe('parseCompleteXml', () => {
  it('reads parts in document order, with entities and surrounding whitespace resolved', () => {
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<CompleteMultipartUpload xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">
  <Part>
    <PartNumber> 3 </PartNumber>
    <ETag>&quot;ABC&quot;</ETag>
    <ChecksumCRC32>ignored</ChecksumCRC32>
  </Part>
  <Part><ETag>"def"</ETag><PartNumber>1</PartNumber></Part>
</CompleteMultipartUpload>`;
    assert.deepEqual(parseCompleteXml(body), [
      { partNumber: 3, etag: '"ABC"' },
      { partNumber: 1, etag: '"def"' },
    ]);
  });

  it('refuses DTDs and entity declarations outright', () => {
    const internal =
      '<!DOCTYPE x [<!ENTITY a "b">]><CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&a;</ETag></Part></CompleteMultipartUpload>';
    const laughs = `<!DOCTYPE l [<!ENTITY l0 "ha">${Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "&l${i};&l${i};">`).join('')}]><CompleteMultipartUpload/>`;
    for (const body of [internal, laughs]) assert.throws(() => parseCompleteXml(body), isMalformed);
  });

  it('refuses undefined entities, several roots, a missing ETag and an over-long part number', () => {
    for (const body of [
      '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&nbsp;</ETag></Part></CompleteMultipartUpload>',
      '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload><x/>',
      '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag></ETag></Part></CompleteMultipartUpload>',
      '<CompleteMultipartUpload><Part><PartNumber>123456</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>',
      '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>a</ETag><ETag>b</ETag></Part></CompleteMultipartUpload>',
    ]) {
      assert.throws(() => parseCompleteXml(body), isMalformed, body);
    }
  });
});
