import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OssError } from '../errors/index.js';
import { parseCallbackParam } from './parse-callback-param.js';

const b64 = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64');
const param = (fields: Record<string, unknown>): string =>
  b64({ callbackUrl: 'http://app.example.com/cb', callbackBody: 'bucket=${bucket}', ...fields });

/** Asserts an InvalidArgument naming the callback, with the given EC (undefined = none documented). */
function assertRejects(run: () => unknown, ec: string | undefined, argumentValue?: string): OssError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof OssError, `expected OssError, got ${String(caught)}`);
  assert.equal(caught.code, 'InvalidArgument');
  assert.equal(caught.status, 400);
  assert.equal(caught.ec, ec);
  assert.deepEqual(caught.extra[0], ['ArgumentName', 'callback']);
  if (argumentValue !== undefined) assert.deepEqual(caught.extra[1], ['ArgumentValue', argumentValue]);
  return caught;
}

describe('parseCallbackParam', () => {
  it('decodes the documented D4 example with its defaults and URL', () => {
    const d4 =
      'eyJjYWxsYmFja0hvc3QiOiAieW91ci5jYWxsYmFjay5jb20iLCAiY2FsbGJhY2tVcmwiOiAiaHR0cDovL29zcy1kZW1vLmFsaXl1bmNzLmNvbToyMzQ1MCIsICJjYWxsYmFja0JvZHkiOiAiYnVja2V0PSR7YnVja2V0fSZvYmplY3Q9JHtvYmplY3R9JnVpZD0ke3g6dWlkfSZvcmRlcj0ke3g6b3JkZXJfaWR9IiwgImNhbGxiYWNrQm9keVR5cGUiOiAiYXBwbGljYXRpb24veC13d3ctZm9ybS11cmxlbmNvZGVkIiwgImNhbGxiYWNrU05JIjogZmFsc2V9';
    const config = parseCallbackParam(d4);
    assert.equal(config.host, 'your.callback.com');
    assert.equal(config.bodyType, 'application/x-www-form-urlencoded');
    assert.equal(config.sni, false);
    assert.equal(config.body, 'bucket=${bucket}&object=${object}&uid=${x:uid}&order=${x:order_id}');
    assert.deepEqual(config.urls, [
      {
        href: 'http://oss-demo.aliyuncs.com:23450/',
        protocol: 'http:',
        hostname: 'oss-demo.aliyuncs.com',
        port: 23450,
        host: 'oss-demo.aliyuncs.com:23450',
        requestTarget: '/',
      },
    ]);
    assert.deepEqual(
      config.template.filter((part) => part.kind === 'variable').map((part) => part.name),
      ['bucket', 'object', 'x:uid', 'x:order_id'],
    );
  });

  it('defaults the body type to form encoding and SNI to false', () => {
    const config = parseCallbackParam(param({}));
    assert.equal(config.bodyType, 'application/x-www-form-urlencoded');
    assert.equal(config.sni, false);
    assert.equal(config.host, undefined);
  });

  it('adds http:// to a URL without a scheme and keeps path and raw query as the request target', () => {
    const config = parseCallbackParam(
      param({ callbackUrl: '121.43.113.8:23456/index.php?id=1&next=%2Fhome' }),
    );
    const [url] = config.urls;
    assert.equal(url?.href, 'http://121.43.113.8:23456/index.php?id=1&next=%2Fhome');
    assert.equal(url?.requestTarget, '/index.php?id=1&next=%2Fhome');
    assert.equal(url?.port, 23456);
  });

  it('accepts up to five URLs in order, ignoring a trailing semicolon', () => {
    const urls = ['https://a.example', 'https://b.example', 'c.example:8080', 'd.example', 'e.example'];
    const config = parseCallbackParam(param({ callbackUrl: `${urls.join(';')};` }));
    assert.deepEqual(
      config.urls.map((url) => url.host),
      ['a.example', 'b.example', 'c.example:8080', 'd.example', 'e.example'],
    );
    assert.equal(config.urls[0]?.port, 443);
  });

  it('normalises numeric IPv4 spellings so a later address check sees the real address', () => {
    const config = parseCallbackParam(param({ callbackUrl: 'http://0x7f.1/cb;http://2130706433/' }));
    assert.deepEqual(
      config.urls.map((url) => url.hostname),
      ['127.0.0.1', '127.0.0.1'],
    );
  });

  it('accepts unpadded base64 and callbackSNI as a boolean or the strings "true"/"false"', () => {
    assert.equal(parseCallbackParam(param({ callbackSNI: true }).replace(/=+$/, '')).sni, true);
    assert.equal(parseCallbackParam(param({ callbackSNI: 'true' })).sni, true);
    assert.equal(parseCallbackParam(param({ callbackSNI: 'false' })).sni, false);
  });

  it('rejects a value that is not base64 with EC 0007-00000002', () => {
    assertRejects(() => parseCallbackParam('x123-*&'), '0007-00000002', 'x123-*&');
    assertRejects(() => parseCallbackParam(`${param({})}!`), '0007-00000002');
    assertRejects(
      () => parseCallbackParam(param({}).replace(/\+/g, '-').replace(/\//g, '_') + 'A-_'),
      '0007-00000002',
    );
  });

  it('rejects base64 of non-JSON, invalid UTF-8 or a non-object with EC 0007-00000003 and the decoded text', () => {
    const broken = '{"callbackUrl":"8.8.8.8:9090","callbackBody":"{"bucket":${bucket}}"}';
    const error = assertRejects(() => parseCallbackParam(b64(broken)), '0007-00000003', broken);
    assert.equal(error.message, 'The callback configuration is not json format.');
    assertRejects(
      () => parseCallbackParam(Buffer.from([0xff, 0xfe, 0x7b]).toString('base64')),
      '0007-00000003',
    );
    assertRejects(() => parseCallbackParam(b64('["http://a.example"]')), '0007-00000003');
    assertRejects(() => parseCallbackParam(b64('null')), '0007-00000003');
  });

  it('rejects six URLs with EC 0007-00000005', () => {
    const six = Array.from({ length: 6 }, (_, i) => `https://callback${i}.example`).join(';');
    assertRejects(() => parseCallbackParam(param({ callbackUrl: six })), '0007-00000005');
  });

  it('rejects invalid callback URLs and ports with EC 0007-00000004', () => {
    const invalid = [
      'www.callback-example.com:test', // D9 0007-00000004 example
      '10.101.166.30:0',
      'example.com:65536',
      'example.com:-1',
      'http://[::1]:8080/',
      'http://user:pass@example.com/',
      'ftp://example.com/',
      'http://exa mple.com/',
      'http://example.com/\r\nX-Injected: 1',
      'http://example.com\\@evil.example/',
      'http://example.com/#frag',
      'http://例子.com/',
      'http://',
      'http://a..b:80x/',
    ];
    for (const callbackUrl of invalid) {
      assertRejects(() => parseCallbackParam(param({ callbackUrl })), '0007-00000004');
    }
  });

  it('rejects a missing, empty or non-string callbackUrl with EC 0007-00000004', () => {
    assertRejects(() => parseCallbackParam(b64({ callbackBody: 'a=b' })), '0007-00000004');
    assertRejects(() => parseCallbackParam(param({ callbackUrl: '' })), '0007-00000004');
    assertRejects(() => parseCallbackParam(param({ callbackUrl: ' ; ' })), '0007-00000004');
    assertRejects(() => parseCallbackParam(param({ callbackUrl: ['http://a.example'] })), '0007-00000004');
  });

  it('rejects a callbackHost with CR/LF, spaces, @, / or a non-string value with EC 0007-00000009', () => {
    for (const callbackHost of ['evil.example\r\nX-Injected: 1', 'a b', 'a@b', 'a/b', 'a:99999', [1, 2, 3]]) {
      assertRejects(() => parseCallbackParam(param({ callbackHost })), '0007-00000009');
    }
    assert.equal(
      parseCallbackParam(param({ callbackHost: 'cb.example.com:8443' })).host,
      'cb.example.com:8443',
    );
  });

  it('rejects an empty callbackBody with EC 0007-00000011 and a non-string one with 0007-00000010', () => {
    assertRejects(() => parseCallbackParam(param({ callbackBody: '' })), '0007-00000011');
    assertRejects(() => parseCallbackParam(b64({ callbackUrl: 'a.example' })), '0007-00000011');
    assertRejects(() => parseCallbackParam(param({ callbackBody: [1, 2, 3] })), '0007-00000010');
  });

  it('rejects an unsupported callbackBodyType with EC 0007-00000012', () => {
    for (const callbackBodyType of ['image/jpg', 123, 'application/JSON', '']) {
      assertRejects(() => parseCallbackParam(param({ callbackBodyType })), '0007-00000012');
    }
  });

  it('rejects a callbackSNI that is neither a boolean nor "true"/"false"', () => {
    for (const callbackSNI of ['yes', 1, 'TRUE'])
      assertRejects(() => parseCallbackParam(param({ callbackSNI })), undefined);
  });

  it('rejects a parameter longer than 5 KiB, and accepts it when the caller raises the limit', () => {
    const long = param({ callbackBody: `a=${'b'.repeat(4000)}` });
    assert.ok(long.length > 5 * 1024);
    assertRejects(() => parseCallbackParam(long), undefined);
    assert.equal(parseCallbackParam(long, { maxBytes: 64 * 1024 }).body.length, 4002);
  });

  it('rejects unknown and malformed body variables with EC 0007-00000105', () => {
    const bad = [
      'a=${unknown}',
      'a=${x:}',
      'a=${bucket',
      'a=$x:my_var}',
      'a=${Bucket}',
      'a=${ bucket }',
      'a=${x:a${b}',
    ];
    for (const callbackBody of bad)
      assertRejects(() => parseCallbackParam(param({ callbackBody })), '0007-00000105');
  });

  it('rejects a JSON body template that is not JSON once variables are substituted', () => {
    const notJson = [
      '{"bucket":${bucket}',
      '{"bucket":"${bucket}}',
      '{"a":${size}${size}}',
      '{"a":1${object}}',
      '{"a":"\\${object}"}',
      '{"a":"line\nbreak"}',
    ];
    for (const callbackBody of notJson) {
      const error = assertRejects(
        () => parseCallbackParam(param({ callbackBody, callbackBodyType: 'application/json' })),
        undefined,
      );
      assert.equal(error.message, 'The callback configuration is not json format.');
    }
  });

  it('accepts JSON templates with variables unquoted or inside string literals', () => {
    const callbackBody =
      '{"bucket":${bucket},"size":${size},"pic":"${imageInfo.width},${imageInfo.height}","uid":${x:uid}}';
    const config = parseCallbackParam(param({ callbackBody, callbackBodyType: 'application/json' }));
    assert.deepEqual(
      config.template.flatMap((part) => (part.kind === 'variable' ? [[part.name, part.inJsonString]] : [])),
      [
        ['bucket', false],
        ['size', false],
        ['imageInfo.width', true],
        ['imageInfo.height', true],
        ['x:uid', false],
      ],
    );
  });

  it('keeps form-mode template text verbatim, including non-ASCII and braces', () => {
    const callbackBody = '中文=${object}&json={}&x:var1=${x:var1}';
    const config = parseCallbackParam(param({ callbackBody }));
    assert.deepEqual(config.template[0], { kind: 'text', text: '中文=' });
  });
});
