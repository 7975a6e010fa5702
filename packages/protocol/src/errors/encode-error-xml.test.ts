import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeErrorXml } from './decode-error-xml.js';
import { encodeErrorXml } from './encode-error-xml.js';
import { encodeXmlText } from './encode-xml-text.js';
import { OssError } from './oss-error.js';

const ctx = { requestId: '5C3D9175B6FC201293AD0000', hostId: 'test.oss-cn-hangzhou.aliyuncs.com' };

describe('encodeErrorXml', () => {
  it('writes the §10.1 layout: Code, Message, RequestId, HostId, extras, EC, RecommendDoc', () => {
    const error = new OssError('NoSuchBucket', { extra: [['BucketName', 'test']] });
    assert.equal(
      encodeErrorXml(error, ctx),
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<Error>',
        '  <Code>NoSuchBucket</Code>',
        '  <Message>The specified bucket does not exist.</Message>',
        '  <RequestId>5C3D9175B6FC201293AD0000</RequestId>',
        '  <HostId>test.oss-cn-hangzhou.aliyuncs.com</HostId>',
        '  <BucketName>test</BucketName>',
        '  <EC>0015-00000101</EC>',
        '  <RecommendDoc>https://api.aliyun.com/troubleshoot?q=0015-00000101</RecommendDoc>',
        '</Error>',
        '',
      ].join('\n'),
    );
  });

  it('omits EC and RecommendDoc when the error has no EC', () => {
    const xml = encodeErrorXml(new OssError('InvalidArgument', { message: 'x' }), ctx);
    assert.equal(xml.includes('<EC>'), false);
    assert.equal(xml.includes('RecommendDoc'), false);
  });

  it('escapes echoed values so hostile keys cannot inject markup (threats §B10)', () => {
    const key = '<script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script>&\'"]]>';
    const xml = encodeErrorXml(new OssError('NoSuchKey', { extra: [['Key', key]] }), {
      requestId: '<r>',
      hostId: 'h&h',
    });
    assert.equal(xml.includes('<script'), false);
    assert.equal(XMLValidator.validate(xml), true);
    const parsed = new XMLParser({ parseTagValue: false, processEntities: true }).parse(xml) as {
      Error: Record<string, string>;
    };
    assert.equal(parsed.Error['Key'], key);
    assert.equal(parsed.Error['RequestId'], '<r>');
    assert.equal(decodeErrorXml(xml)?.fields['Key'], key);
  });

  it('keeps the document well-formed when values hold C0 control characters', () => {
    const xml = encodeErrorXml(
      new OssError('NoSuchKey', { extra: [['Key', 'a\u0001b\u0007c\u0000d\uFFFFe\uD800f']] }),
      ctx,
    );
    assert.equal(XMLValidator.validate(xml), true);
    assert.equal(decodeErrorXml(xml)?.fields['Key'], 'a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf');
  });

  it('refuses an invalid extra element name, which would be a programming error', () => {
    const error = new OssError('InvalidArgument', { extra: [['Bad Name', 'v']] });
    assert.throws(() => encodeErrorXml(error, ctx), RangeError);
  });
});

describe('encodeXmlText', () => {
  it('escapes & < > " \' and keeps tab, LF and CR (as &#13;)', () => {
    assert.equal(encodeXmlText(`a&b<c>d"e'f\tg\nh\ri`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f\tg\nh&#13;i');
  });

  it('replaces characters XML 1.0 forbids with U+FFFD and keeps valid surrogate pairs', () => {
    assert.equal(encodeXmlText('\u0000\u0008\u000B\u000C\u001F\uFFFE'), '\uFFFD'.repeat(6));
    assert.equal(encodeXmlText('😀\uDC00x\uD800'), '😀\uFFFDx\uFFFD');
    assert.equal(encodeXmlText('\u007F\u0085é'), '\u007F\u0085é');
  });
});
