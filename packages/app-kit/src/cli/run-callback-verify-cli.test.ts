import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { CallbackRequest } from '@upcall/protocol';
import { buildSignedCallbackFor, readEmulatorTestKey } from '../test-support/build-signed-callback.js';
import { startRecordingServer } from '../test-support/start-recording-server.js';
import { parseCapturedRequest } from './parse-captured-request.js';
import { runCallbackVerifyCli } from './run-callback-verify-cli.js';

interface Vector {
  id: string;
  requestTarget: string;
  body: string;
  headers: Record<string, string>;
  publicKeyPem: string;
  expected: { stringToSign: string; verifies: boolean };
}

const vectors = (
  JSON.parse(
    readFileSync(new URL('../../../../test/vectors/callback-signatures.json', import.meta.url), 'utf8'),
  ) as {
    vectors: Vector[];
  }
).vectors;

function vector(id: string): Vector {
  const found = vectors.find((v) => v.id === id);
  assert.ok(found, id);
  return found;
}

/** A capture as OSS's documentation prints it (§9.5), built from a vector. */
function captureOf(v: Vector, eol = '\r\n'): string {
  return [
    `POST ${v.requestTarget} HTTP/1.0`,
    'Host: 121.43.113.8',
    'Connection: close',
    `Content-Length: ${Buffer.byteLength(v.body)}`,
    `authorization: ${v.headers.authorization ?? ''}`,
    'Content-Type: application/x-www-form-urlencoded',
    'User-Agent: ehttp-client/0.0.1',
    `x-oss-pub-key-url: ${v.headers['x-oss-pub-key-url'] ?? ''}`,
    '',
    v.body,
  ].join(eol);
}

function captureOfRequest(request: CallbackRequest): string {
  const head = [
    `POST ${request.url.requestTarget} HTTP/1.1`,
    ...request.headers.map(([name, value]) => `${name}: ${value}`),
  ];
  return `${head.join('\r\n')}\r\n\r\n${Buffer.from(request.body).toString('utf8')}`;
}

async function run(
  argv: string[],
  stdin: string,
  files: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCallbackVerifyCli(argv, Readable.from([Buffer.from(stdin)]), {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    readFile: (path) =>
      files[path] === undefined
        ? Promise.reject(Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' }))
        : Promise.resolve(Buffer.from(files[path])),
  });
  return { code, stdout, stderr };
}

describe('upcall callback verify', () => {
  for (const eol of ['\r\n', '\n']) {
    it(`verifies the genuine OSS capture with the built-in key (${JSON.stringify(eol)} line endings)`, async () => {
      const result = await run([], captureOf(vector('CB-OSS-DOC'), eol));
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /key URL: "http:\/\/gosspublic\.alicdn\.com\/callback_pub_key_v1\.pem"/);
      assert.ok(
        result.stdout.includes('string to sign (42 bytes): "/index.php?id=1&index=2\\nbucket=yonghu-test"'),
      );
      assert.match(result.stdout, /result: VALID/);
    });
  }

  it('cuts an editor’s trailing newline to Content-Length and says so', async () => {
    const result = await run([], `${captureOf(vector('CB-OSS-DOC'))}\n`);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /note: body cut to Content-Length 18/);
  });

  for (const id of ['CB-OSS-DOC-NEG-1', 'CB-OSS-DOC-NEG-2', 'CB-OSS-DOC-NEG-3']) {
    it(`${id}: reports a signature mismatch and the escaped string to sign`, async () => {
      const v = vector(id);
      const result = await run([], captureOf(v));
      assert.equal(result.code, 1);
      assert.match(result.stdout, /result: INVALID \(bad-signature\): signature mismatch/);
      assert.ok(result.stdout.includes(JSON.stringify(v.expected.stringToSign)), result.stdout);
    });
  }

  for (const id of ['CB-EMU-1', 'CB-EMU-2']) {
    it(`${id}: names the untrusted key URL by default and verifies with --trust-key`, async () => {
      const v = vector(id);
      const untrusted = await run([], captureOf(v));
      assert.equal(untrusted.code, 1);
      assert.match(
        untrusted.stdout,
        /key URL: "http:\/\/127\.0\.0\.1:9000\/callback_pub_key_v1\.pem" — NOT trusted, not fetched/,
      );
      assert.match(untrusted.stdout, /INVALID \(untrusted-key-url\)/);
      const trusted = await run(['--trust-key', 'emu.pem'], captureOf(v), { 'emu.pem': v.publicKeyPem });
      assert.equal(trusted.code, 0, trusted.stdout);
      assert.ok(trusted.stdout.includes(JSON.stringify(v.expected.stringToSign)));
    });
  }

  it('fetches a key only from a URL given with --trust-key-url, never from the request alone', async () => {
    const keyServer = await startRecordingServer((_req, res) => res.end(readEmulatorTestKey().publicKeyPem));
    try {
      const key = readEmulatorTestKey(`${keyServer.origin}/key.pem`);
      const capture = captureOfRequest(
        await buildSignedCallbackFor('http://127.0.0.1:3000/cb?x=1', 'bucket=b', key),
      );
      const withoutFlag = await run([], capture);
      assert.equal(withoutFlag.code, 1);
      assert.deepEqual(keyServer.seen, []);
      const withFlag = await run(['--trust-key-url', `${keyServer.origin}/key.pem`], capture);
      assert.equal(withFlag.code, 0, withFlag.stdout);
      assert.deepEqual(keyServer.seen, ['GET /key.pem']);
    } finally {
      await keyServer.close();
    }
  });

  const usage: Array<[string, string[], string]> = [
    [
      'both trust options',
      ['--trust-key', 'a', '--trust-key-url', 'http://x/'],
      'either --trust-key or --trust-key-url',
    ],
    ['an unknown option', ['--nope'], 'unknown option --nope'],
    ['a missing option value', ['--trust-key'], '--trust-key needs a value'],
    ['a missing key file', ['--trust-key', 'missing.pem'], 'ENOENT'],
    ['a non-canonical key URL', ['--trust-key-url', 'http://127.0.0.1:9000'], 'canonical'],
  ];
  for (const [what, argv, message] of usage) {
    it(`exits 2 on ${what}`, async () => {
      const result = await run(argv, captureOf(vector('CB-OSS-DOC')));
      assert.equal(result.code, 2);
      assert.ok(result.stderr.includes(message), result.stderr);
    });
  }

  it('exits 2 on empty input and on text that is not an HTTP request, 0 on --help', async () => {
    assert.equal((await run([], '')).code, 2);
    assert.equal((await run([], 'hello world\n\nbody')).code, 2);
    const help = await run(['--help'], '');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: upcall callback verify/);
  });
});

describe('parseCapturedRequest', () => {
  it('keeps the body bytes exactly and joins repeated headers', () => {
    const parsed = parseCapturedRequest('\nPOST /a%20b?x=%2F HTTP/1.1\nX-A: 1\nx-a: 2\n\nline1\r\nline2');
    assert.equal(parsed.method, 'POST');
    assert.equal(parsed.target, '/a%20b?x=%2F');
    assert.equal(parsed.headers['x-a'], '1, 2');
    assert.equal(parsed.body.toString(), 'line1\r\nline2');
  });

  it('notes a body shorter than Content-Length', () => {
    const parsed = parseCapturedRequest('POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc');
    assert.deepEqual(parsed.notes, ['body is 3 bytes but Content-Length says 10 (truncated capture?)']);
  });
});
