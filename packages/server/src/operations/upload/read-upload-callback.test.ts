import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OssError } from '@upcall/protocol';
import { readUploadCallback } from './read-upload-callback.js';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');
const callback = b64({
  callbackUrl: 'http://127.0.0.1:9/cb',
  callbackBody: 'o=${object}&w=${imageInfo.width}',
});
const vars = b64({ 'x:uid': '42' });

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return error instanceof OssError ? `${error.code}${error.ec ? ` ${error.ec}` : ''}` : String(error);
  }
  return 'ok';
}

describe('readUploadCallback', () => {
  it('reads the callback and its variables from the headers or from the query', () => {
    const fromHeaders = readUploadCallback({
      headers: { 'x-oss-callback': callback, 'x-oss-callback-var': vars },
      query: [],
      targetPolicy: 'dev',
    });
    assert.equal(fromHeaders?.config.urls[0]?.hostname, '127.0.0.1');
    assert.deepEqual(fromHeaders?.customVars, { 'x:uid': '42' });
    assert.equal(fromHeaders?.needsImageInfo, true);
    const fromQuery = readUploadCallback({
      headers: {},
      query: [
        ['callback', callback],
        ['callback-var', vars],
      ],
      targetPolicy: 'dev',
    });
    assert.deepEqual(fromQuery?.customVars, { 'x:uid': '42' });
  });

  it('means no callback when none is given or it is empty', () => {
    assert.equal(readUploadCallback({ headers: {}, query: [], targetPolicy: 'dev' }), undefined);
    assert.equal(
      readUploadCallback({ headers: { 'x-oss-callback': '' }, query: [], targetPolicy: 'dev' }),
      undefined,
    );
  });

  it('refuses headers and query together, even split between callback and callback-var', () => {
    const both = {
      headers: { 'x-oss-callback': callback },
      query: [['callback-var', vars]] as Array<[string, string]>,
    };
    assert.equal(
      codeOf(() => readUploadCallback({ ...both, targetPolicy: 'dev' })),
      'InvalidArgument',
    );
  });

  it('refuses parameters over 5 KB, undecodable ones and private targets under public-only', () => {
    const big = b64({ callbackUrl: 'http://example.com/', callbackBody: 'x'.repeat(5 * 1024) });
    const cases: Array<[Record<string, string>, 'dev' | 'public-only']> = [
      [{ 'x-oss-callback': big }, 'dev'],
      [{ 'x-oss-callback': '%%%' }, 'dev'],
      [{ 'x-oss-callback': callback, 'x-oss-callback-var': b64({ uid: '1' }) }, 'dev'],
      [{ 'x-oss-callback': callback }, 'public-only'],
    ];
    for (const [headers, targetPolicy] of cases) {
      assert.match(
        codeOf(() => readUploadCallback({ headers, query: [], targetPolicy })),
        /^InvalidArgument/,
      );
    }
  });
});
