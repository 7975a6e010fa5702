import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeErrorXml } from './decode-error-xml.js';
import { encodeErrorXml } from './encode-error-xml.js';
import { OssError } from './oss-error.js';

describe('decodeErrorXml', () => {
  it('reads the RequestTimeTooSkewed example of §10.1, including extras', () => {
    const xml = `<Error>
  <Code>RequestTimeTooSkewed</Code>
  <Message>The difference between the request time and the current time is too large.</Message>
  <RequestId>5CAC0CF8DE0170*****</RequestId>
  <HostId>versioning-get.oss-cn-hangzhou.aliyunc*****</HostId>
  <MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds>
  <RequestTime>2025-04-10T11:00:57.000Z</RequestTime>
  <ServerTime>2025-04-10T10:00:57.000Z</ServerTime>
  <EC>0002-00000504</EC>
  <RecommendDoc>https://api.aliyun.com/troubleshoot?q=0002-00000504</RecommendDoc>
</Error>`;
    const decoded = decodeErrorXml(xml);
    assert.ok(decoded);
    assert.equal(decoded.code, 'RequestTimeTooSkewed');
    assert.equal(decoded.requestId, '5CAC0CF8DE0170*****');
    assert.equal(decoded.hostId, 'versioning-get.oss-cn-hangzhou.aliyunc*****');
    assert.equal(decoded.ec, '0002-00000504');
    assert.equal(decoded.fields['MaxAllowedSkewMilliseconds'], '900000');
    assert.equal(decoded.fields['ServerTime'], '2025-04-10T10:00:57.000Z');
  });

  it('round-trips what encodeErrorXml writes, CR and entities included', () => {
    const message = 'Invalid according to Policy: Policy Condition failed: ["eq", "$key", "a&b<c>\r\n"]';
    const error = new OssError('AccessDenied', { message, ec: '0006-00000227', extra: [['Key', "'x'"]] });
    const decoded = decodeErrorXml(encodeErrorXml(error, { requestId: 'R', hostId: 'H' }));
    assert.deepEqual(
      { ...decoded, fields: { ...decoded?.fields } },
      {
        code: 'AccessDenied',
        message,
        requestId: 'R',
        hostId: 'H',
        ec: '0006-00000227',
        fields: {
          Code: 'AccessDenied',
          Message: message,
          RequestId: 'R',
          HostId: 'H',
          Key: "'x'",
          EC: '0006-00000227',
          RecommendDoc: 'https://api.aliyun.com/troubleshoot?q=0006-00000227',
        },
      },
    );
  });

  it('tolerates comments, CDATA, attributes, self-closing and numeric references', () => {
    const xml =
      '<?xml version="1.0"?><!-- c --><Error xmlns="x"><!-- d --><Code>NoSuchKey</Code>' +
      '<Message><![CDATA[a <b> & c]]> &#x41;&#66;</Message><Key/><RequestId a="1">r</RequestId></Error>';
    const decoded = decodeErrorXml(xml);
    assert.equal(decoded?.code, 'NoSuchKey');
    assert.equal(decoded.message, 'a <b> & c AB');
    assert.equal(decoded.fields['Key'], '');
    assert.equal(decoded.requestId, 'r');
    assert.equal(decoded.hostId, '');
    assert.equal(decoded.ec, undefined);
  });

  it('refuses documents with a DOCTYPE or entity declarations (XXE, entity bombs)', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><Error><Code>&b;</Code></Error>';
    assert.equal(decodeErrorXml(bomb), undefined);
    assert.equal(decodeErrorXml('<!doctype x><Error><Code>A</Code></Error>'), undefined);
    assert.equal(decodeErrorXml('<Error><Code>&ext;</Code></Error>')?.code, '&ext;');
  });

  it('returns undefined for non-error documents', () => {
    for (const text of [
      '',
      'not xml',
      '<PostResponse><Bucket>b</Bucket></PostResponse>',
      '<Error></Error>',
      '<Error><Message>m</Message></Error>',
    ]) {
      assert.equal(decodeErrorXml(text), undefined, text);
    }
  });

  it('stays linear on hostile input', () => {
    const started = performance.now();
    decodeErrorXml(`<Error><Code>${'<'.repeat(200_000)}</Code>${'<a'.repeat(100_000)}`);
    decodeErrorXml(`<Error>${'<Code>'.repeat(100_000)}`);
    assert.ok(performance.now() - started < 500);
  });
});
