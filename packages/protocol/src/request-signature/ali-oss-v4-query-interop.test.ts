// ali-oss 6.x V4 requests whose canonical query is not the §7.2 one (empty values written `name=`,
// names in locale order): built and signed by ali-oss's own code, they must verify, and any change to a
// query parameter must still fail. See canonical-query-ali-oss.ts for what ali-oss signs and why.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  aliOssClient,
  aliOssDeps,
  aliOssSignUtils,
  assertAccepted,
  assertAcceptedThenTampered,
  assertSignatureMismatch,
  presignWithAliOssV4,
  signWithAliOss,
  type AliOssSigned,
} from './ali-oss-test-helpers.js';
import { buildCanonicalRequestV4 } from './canonical-request-v4.js';
import { buildStringToSignV4 } from './string-to-sign-v4.js';
import { verifyRequestSignature } from './verify-request-signature.js';
import type { SignedRequest } from './verify-types.js';

const v4Client = aliOssClient({ authorizationV4: true });

/** Parameters a test may edit: the presigned auth parameters have their own checks (§7.3). */
const isAuthParam = (name: string): boolean =>
  name.startsWith('x-oss-') && name !== 'x-oss-process' && name !== 'x-oss-additional-headers';

function withQuery(request: SignedRequest, query: Array<readonly [string, string]>): SignedRequest {
  return { ...request, query };
}

/** Drop each parameter, fill each empty one, empty each filled one, add one: every edit must fail. */
function assertQueryEditsFail({ request, nowMs }: AliOssSigned): void {
  const editable = request.query.filter(([name]) => !isAuthParam(name));
  assert.ok(editable.length > 0, 'the request has query parameters to edit');
  for (const pair of editable) {
    const others = request.query.filter((candidate) => candidate !== pair);
    assertSignatureMismatch(withQuery(request, others), nowMs);
    const changed: readonly [string, string] = [pair[0], pair[1] === '' ? 'x' : ''];
    assertSignatureMismatch(withQuery(request, [...others, changed]), nowMs);
  }
  assertSignatureMismatch(withQuery(request, [...request.query, ['acl', '']]), nowMs);
}

describe('ali-oss V4 canonical query (signUtils.getCanonicalRequest called directly)', () => {
  const canonicalQuery = (queries: Record<string, unknown>): string | undefined =>
    aliOssSignUtils.getCanonicalRequest('GET', { headers: {}, queries }, 'b').split('\n')[2];

  it('writes a null value as a bare name and an empty string as `name=`', () => {
    assert.equal(
      canonicalQuery({ uploads: null, prefix: '', 'max-uploads': 5 }),
      'max-uploads=5&prefix=&uploads',
    );
  });

  it('sorts decoded names by locale collation, not encoded names by byte', () => {
    const queries = { Zeta: '1', alpha: '2', a_b: '3', aB: '4', 'x-y': '', x_y: '', '+p': '5' };
    assert.equal(canonicalQuery(queries), '%2Bp=5&a_b=3&aB=4&alpha=2&x_y=&x-y=&Zeta=1');
  });

  it('sends `name=` on the wire whichever form it signed, so the raw query cannot tell them apart', () => {
    const signed = signWithAliOss(v4Client, {
      method: 'GET',
      subres: 'uploads',
      query: { prefix: '', 'max-uploads': 5 },
    });
    assert.equal(new URL(signed.url).search, '?prefix=&max-uploads=5&uploads=');
  });
});

describe('ali-oss interop: V4 Authorization header with sub-resources and listing queries', () => {
  const cases: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
    ['InitiateMultipartUpload ?uploads', { method: 'POST', object: 'big.bin', subres: 'uploads' }],
    ['GetObjectAcl ?acl', { method: 'GET', object: 'a.txt', subres: { acl: '' } }],
    [
      'DeleteMultipleObjects ?delete',
      { method: 'POST', subres: { delete: '' }, content: Buffer.from('<x/>') },
    ],
    ['GetObjectMeta ?objectMeta', { method: 'HEAD', object: 'a.txt', subres: { objectMeta: '' } }],
    ['GetBucketCors ?cors', { method: 'GET', subres: 'cors' }],
    [
      'UploadPart ?uploadId&partNumber',
      {
        method: 'PUT',
        object: 'big.bin',
        subres: { uploadId: 'X1', partNumber: 2 },
        content: Buffer.from('p'),
      },
    ],
    [
      'ListObjectsV2 with empty values',
      { method: 'GET', query: { 'list-type': 2, prefix: '', 'max-keys': 10 } },
    ],
    [
      'ListMultipartUploads: ?uploads plus empty listing values',
      { method: 'GET', subres: 'uploads', query: { prefix: '', delimiter: '', 'max-uploads': 5 } },
    ],
    ['a query with mixed-case and `_` names', { method: 'GET', query: { Zeta: '1', alpha: '', a_b: '2' } }],
    [
      'a query with null values and mixed-case names',
      { method: 'GET', query: { Zeta: null, prefix: null, 'max-keys': 3 } },
    ],
  ];

  for (const [label, params] of cases) {
    it(`accepts ${label}, and rejects it once a query parameter or the key changes`, () => {
      const signed = signWithAliOss(v4Client, params);
      assertAcceptedThenTampered(signed.request, signed.nowMs, 'v4-header');
      assertQueryEditsFail(signed);
    });
  }

  it('accepts keys with `+`, spaces and non-ASCII characters', () => {
    for (const object of ['a+b.txt', 'dir/with space/x y.txt', 'ünï/cøde €😀.txt', "+ +/~!*()'.txt"]) {
      const signed = signWithAliOss(v4Client, { method: 'PUT', object, content: Buffer.from('x') });
      assertAcceptedThenTampered(signed.request, signed.nowMs, 'v4-header');
    }
  });

  it('reports the §7.2 string to sign when no form matches', () => {
    const signed = signWithAliOss(v4Client, { method: 'GET', query: { 'list-type': 2, prefix: '' } });
    const tampered = withQuery(signed.request, [...signed.request.query, ['max-keys', '1']]);
    const verdict = verifyRequestSignature(tampered, aliOssDeps(signed.nowMs));
    assert.ok(!verdict.ok);
    const dateTime = String(tampered.headers['x-oss-date']);
    const canonicalRequest = buildCanonicalRequestV4(tampered);
    assert.match(canonicalRequest, /\nlist-type=2&max-keys=1&prefix\n/);
    const stringToSign = buildStringToSignV4({ dateTime, region: 'cn-hangzhou', canonicalRequest });
    assert.deepEqual(
      verdict.error.extra.find(([name]) => name === 'StringToSign'),
      ['StringToSign', stringToSign],
    );
  });
});

describe('ali-oss interop: signatureUrlV4', () => {
  const headers = { 'content-type': 'text/plain' };

  it('accepts GET and PUT URLs without extra query parameters', async () => {
    const get = await presignWithAliOssV4('GET', {}, 'docs/a b+c.txt');
    assertAcceptedThenTampered(get.request, get.nowMs, 'v4-presigned');
    const put = await presignWithAliOssV4('PUT', { headers }, 'docs/ünï.txt');
    assertAcceptedThenTampered(put.request, put.nowMs, 'v4-presigned');
  });

  it('accepts GET and PUT URLs with empty, mixed-case and response-* query parameters', async () => {
    const queries = { acl: '', 'response-content-type': 'text/plain', Zeta: 'z', 'x-oss-process': '' };
    const get = await presignWithAliOssV4('GET', { queries }, 'docs/a.txt');
    assertAcceptedThenTampered(get.request, get.nowMs, 'v4-presigned');
    assertQueryEditsFail(get);
    const put = await presignWithAliOssV4('PUT', { headers, queries: { tagging: '' } }, 'docs/b.txt');
    assertAcceptedThenTampered(put.request, put.nowMs, 'v4-presigned');
    assertQueryEditsFail(put);
  });

  it('accepts a URL with null query values and an additional header', async () => {
    const signed = await presignWithAliOssV4(
      'GET',
      { headers: { 'x-extra': 'yes' }, queries: { uploads: null, Zeta: null, alpha: 'a' } },
      'big.bin',
      ['x-extra'],
    );
    assertAccepted(signed.request, signed.nowMs, 'v4-presigned');
    assertQueryEditsFail(signed);
    assertSignatureMismatch({ ...signed.request, headers: { 'x-extra': 'no' } }, signed.nowMs);
  });
});
