import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { putTestObject, startTestServer, type TestServer } from '../http/testing/start-test-server.js';
import { base64Md5, signedExchange } from './testing/signed-exchange.js';

const xml = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'Deleted' });
const codeOf = (body: string): string => (xml.parse(body) as { Error: { Code: string } }).Error.Code;
const deletedKeys = (body: string): string[] =>
  (
    (xml.parse(body) as { DeleteResult: { Deleted?: Array<{ Key: string }> } }).DeleteResult.Deleted ?? []
  ).map((d) => d.Key);

function deleteBody(keys: readonly string[], quiet = false): string {
  const objects = keys.map((key) => `<Object><Key>${key}</Key></Object>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Delete><Quiet>${quiet}</Quiet>${objects}</Delete>`;
}

describe('DeleteMultipleObjects', () => {
  let server: TestServer;
  const post = (
    body: string,
    headers: Record<string, string> = { 'content-md5': base64Md5(body) },
    query: Array<[string, string]> = [],
  ) =>
    signedExchange(server.port, {
      method: 'POST',
      bucket: 'uploads',
      query: [['delete', ''], ...query],
      headers: { 'content-type': 'application/xml', ...headers },
      body,
    });

  before(async () => {
    server = await startTestServer({ config: { buckets: ['uploads'] } });
  });
  after(() => server.close());

  it('deletes every listed key (missing ones count as deleted) and lists them unless quiet', async () => {
    for (const key of ['m/a.txt', 'm/b&c.txt']) await putTestObject(server.store, 'uploads', key, key);
    const res = await post(deleteBody(['m/a.txt', 'm/b&amp;c.txt', 'm/none.txt']));
    assert.equal(res.status, 200, res.body);
    assert.deepEqual(deletedKeys(res.body), ['m/a.txt', 'm/b&c.txt', 'm/none.txt']);
    assert.equal(await server.store.head('uploads', 'm/a.txt'), undefined);
    assert.equal(await server.store.head('uploads', 'm/b&c.txt'), undefined);
    await putTestObject(server.store, 'uploads', 'm/q.txt', 'q');
    const quiet = await post(deleteBody(['m/q.txt'], true));
    assert.deepEqual(deletedKeys(quiet.body), []);
    assert.equal(await server.store.head('uploads', 'm/q.txt'), undefined);
  });

  it('URL-encodes the returned keys with encoding-type=url', async () => {
    const res = await post(deleteBody(['m/ü x.txt']), undefined, [['encoding-type', 'url']]);
    assert.deepEqual(deletedKeys(res.body), ['m%2F%C3%BC%20x.txt']);
  });

  it('requires a Content-MD5 that matches the body', async () => {
    const body = deleteBody(['m/a.txt']);
    const missing = await post(body, {});
    assert.equal(missing.status, 400);
    assert.equal(codeOf(missing.body), 'InvalidArgument');
    assert.match(missing.body, /<EC>0016-00000606<\/EC>/);
    const wrong = await post(body, { 'content-md5': base64Md5('other') });
    assert.equal(codeOf(wrong.body), 'InvalidDigest');
  });

  it('answers MalformedXML for DOCTYPEs, broken XML, no objects, over 1000 keys and a missing Key', async () => {
    await putTestObject(server.store, 'uploads', 'm/kept.txt', 'kept');
    const many = Array.from({ length: 1001 }, (_, i) => `m/k${i}`);
    const bodies = [
      '<?xml version="1.0"?><!DOCTYPE Delete [<!ENTITY k "m/kept.txt">]><Delete><Object><Key>&k;</Key></Object></Delete>',
      '<Delete><Object><Key>m/kept.txt</Key></Delete>',
      '<Delete><Quiet>true</Quiet></Delete>',
      deleteBody(many),
      '<Delete><Object><VersionIdx>1</VersionIdx></Object></Delete>',
      '<Other><Object><Key>m/kept.txt</Key></Object></Other>',
    ];
    for (const body of bodies) {
      const res = await post(body);
      assert.equal(res.status, 400, body.slice(0, 60));
      assert.equal(codeOf(res.body), 'MalformedXML', body.slice(0, 60));
    }
    assert.ok(await server.store.head('uploads', 'm/kept.txt'));
  });

  it('refuses version ids (NotImplemented) and invalid keys (InvalidObjectName) without deleting anything', async () => {
    await putTestObject(server.store, 'uploads', 'm/stay.txt', 'stay');
    const versioned = await post(
      '<Delete><Object><Key>m/stay.txt</Key><VersionId>v1</VersionId></Object></Delete>',
    );
    assert.equal(codeOf(versioned.body), 'NotImplemented');
    const invalid = await post(deleteBody(['m/stay.txt', '/leading-slash']));
    assert.equal(codeOf(invalid.body), 'InvalidObjectName');
    assert.ok(await server.store.head('uploads', 'm/stay.txt'));
  });
});
