import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildCompleteXml, parseInitiateUploadId, parseListPartsPage, unquoteEtag } from './multipart-xml.js';

describe('multipart XML', () => {
  it('reads the upload id of an InitiateMultipartUploadResult', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<InitiateMultipartUploadResult><Bucket>b</Bucket>' +
      '<Key>k</Key><UploadId>0004B9894A22E5B1888A1E29F823****</UploadId></InitiateMultipartUploadResult>';
    assert.equal(parseInitiateUploadId(xml), '0004B9894A22E5B1888A1E29F823****');
  });

  it('refuses a document with a DOCTYPE or without the expected root', () => {
    assert.throws(() => parseInitiateUploadId('<!DOCTYPE x><InitiateMultipartUploadResult>'), /DOCTYPE/);
    assert.throws(() => parseListPartsPage('<Error><Code>NoSuchUpload</Code></Error>'), /ListPartsResult/);
  });

  it('reads parts with unquoted, entity-decoded ETags and the paging markers', () => {
    const xml =
      '<ListPartsResult><Bucket>b</Bucket><NextPartNumberMarker>2</NextPartNumberMarker>' +
      '<IsTruncated>true</IsTruncated>' +
      '<Part><PartNumber>1</PartNumber><ETag>&quot;AA&quot;</ETag><Size>102400</Size></Part>' +
      '<Part><PartNumber>2</PartNumber><ETag>"BB"</ETag><Size>7</Size></Part></ListPartsResult>';
    assert.deepEqual(parseListPartsPage(xml), {
      parts: [
        { partNumber: 1, etag: 'AA', size: 102400 },
        { partNumber: 2, etag: 'BB', size: 7 },
      ],
      isTruncated: true,
      nextPartNumberMarker: 2,
    });
  });

  it('refuses a part without a numeric size', () => {
    const xml = '<ListPartsResult><Part><PartNumber>1</PartNumber><ETag>"A"</ETag></Part></ListPartsResult>';
    assert.throws(() => parseListPartsPage(xml), /numeric/);
  });

  it('writes the Complete body with quoted, escaped ETags in the given order', () => {
    assert.equal(
      buildCompleteXml([
        { partNumber: 1, etag: 'AA' },
        { partNumber: 2, etag: 'B&B' },
      ]),
      '<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload>' +
        '<Part><PartNumber>1</PartNumber><ETag>&quot;AA&quot;</ETag></Part>' +
        '<Part><PartNumber>2</PartNumber><ETag>&quot;B&amp;B&quot;</ETag></Part></CompleteMultipartUpload>',
    );
    assert.equal(unquoteEtag(' "ABC-3" '), 'ABC-3');
  });
});
