import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { replyJson, type CallbackReply } from './testing/callback-receiver.js';
import {
  findClosedPort,
  notJsonMessage,
  openCallbackFixture,
  type CallbackFixture,
} from './testing/callback-fixture.js';
import { readErrorMessage } from './testing/post-form-client.js';
import { testBucket } from './testing/post-object-test-server.js';
import {
  describeStoreUnderTest,
  skipStoreUnderTest,
  storesUnderTest,
} from '../../store/testing/open-store-under-test.js';

const callbackTimeoutMs = 500;

for (const kind of storesUnderTest) {
  describe(
    `PostObject upload callback failures over the ${describeStoreUnderTest(kind)}: 203 CallbackFailed, object kept`,
    { skip: skipStoreUnderTest(kind) },
    () => {
      let fx: CallbackFixture;
      before(async () => {
        fx = await openCallbackFixture(callbackTimeoutMs, { storeKind: kind });
      });
      after(() => fx.close());

      it('answers 203 "can not connect" quickly when the callback target refuses connections', async () => {
        const port = await findClosedPort();
        const started = Date.now();
        const res = await fx.postWithCallback('cb/down.txt', {
          callbackUrl: `http://127.0.0.1:${port}/cb`,
          callbackBody: 'a=1',
        });
        await fx.expectCallbackFailed(
          res,
          'cb/down.txt',
          'Error status : -1. OSS can not connect to your callbackUrl, please check it.',
        );
        assert.ok(
          Date.now() - started < callbackTimeoutMs,
          'refused connections do not wait for the timeout',
        );
      });

      const failures: Array<[string, CallbackReply, string]> = [
        ['a 500 reply', replyJson('{"Status":"bad"}', 500), 'Error status : 500.'],
        ['a 400 reply', replyJson('{"Status":"bad"}', 400), 'Error status : 400.'],
        [
          'a reply that is not JSON',
          (_r, res) => {
            res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 2 });
            res.end('OK');
          },
          notJsonMessage,
        ],
        [
          'a JSON reply with a BOM',
          (_r, res) => {
            const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]);
            res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
            res.end(body);
          },
          notJsonMessage,
        ],
        [
          'a chunked reply without Content-Length',
          (_r, res) => {
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.write('{"a":');
            res.end('1}');
          },
          'Error Status : 400.User server return too long content-length value',
        ],
        [
          'a reply over 1 MB',
          (_r, res) => {
            const body = `{"pad":"${'x'.repeat(1024 * 1024)}"}`;
            res.writeHead(200, {
              'Content-Type': 'application/json',
              'Content-Length': Buffer.byteLength(body),
            });
            res.end(body);
          },
          'Error Status : 400.User server return too long content-length value',
        ],
      ];
      for (const [name, reply, message] of failures) {
        it(`answers 203 CallbackFailed for ${name} and keeps the object`, async () => {
          const app = await fx.receiver(reply);
          const key = `cb/fail-${name.replace(/\W+/g, '-')}`;
          const res = await fx.postWithCallback(key, { callbackUrl: app.url, callbackBody: 'a=${object}' });
          await fx.expectCallbackFailed(res, key, message);
          assert.equal(app.received.length, 1);
        });
      }

      it('does not follow a 302 from the callback target', async () => {
        const elsewhere = await fx.receiver();
        const app = await fx.receiver((_r, res) => {
          res.writeHead(302, { Location: `${elsewhere.url}/stolen`, 'Content-Length': 0 });
          res.end();
        });
        const res = await fx.postWithCallback('cb/redirect', { callbackUrl: app.url, callbackBody: 'a=1' });
        await fx.expectCallbackFailed(res, 'cb/redirect', 'Error status : 302.');
        assert.equal(elsewhere.connectionCount(), 0);
      });

      it('gives up after the configured callback timeout and reports it', async () => {
        const app = await fx.receiver((_r, res) => {
          setTimeout(() => replyJson('{}')(_r, res), 4 * callbackTimeoutMs).unref();
        });
        const started = Date.now();
        const res = await fx.postWithCallback('cb/slow', { callbackUrl: app.url, callbackBody: 'a=1' });
        const elapsedMs = Date.now() - started;
        assert.equal(res.status, 203);
        assert.match(
          readErrorMessage(res.text) ?? '',
          new RegExp(
            `^Error status : -1\\. 127\\.0\\.0\\.1:${app.port} reply timeout, cost: \\d+ MS, timeout: ${callbackTimeoutMs} MS$`,
          ),
        );
        assert.ok(
          elapsedMs >= callbackTimeoutMs && elapsedMs < 3 * callbackTimeoutMs,
          `took ${elapsedMs} ms`,
        );
        assert.ok(await fx.server.store.head(testBucket, 'cb/slow'));
      });

      it('tries the next URL when the first cannot be reached, and relays the second reply', async () => {
        const port = await findClosedPort();
        const app = await fx.receiver(replyJson('{"from":"second"}'));
        const res = await fx.postWithCallback('cb/second', {
          callbackUrl: `http://127.0.0.1:${port};${app.url}/b`,
          callbackBody: 'a=1',
        });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.text, '{"from":"second"}');
        assert.equal(app.received.length, 1);
        assert.equal(app.received[0]?.target, '/b');
        assert.equal(app.received[0]?.signatureVerified, true);
      });

      it('reports the last failure when every URL fails', async () => {
        const first = await fx.receiver(replyJson('{}', 500));
        const second = await fx.receiver((_r, res) => {
          res.writeHead(200, { 'Content-Length': 3 });
          res.end('nah');
        });
        const res = await fx.postWithCallback('cb/all-fail', {
          callbackUrl: `${first.url};${second.url}`,
          callbackBody: 'a=1',
        });
        await fx.expectCallbackFailed(res, 'cb/all-fail', notJsonMessage);
        assert.equal(first.received.length, 1);
        assert.equal(second.received.length, 1);
      });
    },
  );
}

describe('PostObject upload callback logging', () => {
  it('logs one line per attempt with target (no query), status, duration and outcome', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = pino(
      { level: 'info' },
      { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    const fx = await openCallbackFixture(callbackTimeoutMs, { log });
    try {
      const port = await findClosedPort();
      const app = await fx.receiver();
      const res = await fx.postWithCallback('cb/logged', {
        callbackUrl: `http://127.0.0.1:${port}/a?secret=1;${app.url}/b?token=2`,
        callbackBody: 'a=1',
      });
      assert.equal(res.status, 200, res.text);
      const attempts = lines.filter((line) => line.msg === 'upload callback attempt');
      assert.equal(attempts.length, 2);
      const [first, second] = attempts;
      assert.equal(first?.target, `http://127.0.0.1:${port}/a`);
      assert.equal(first?.status, -1);
      assert.match(String(first?.outcome), /can not connect/);
      assert.equal(second?.target, `${app.url}/b`);
      assert.equal(second?.status, 200);
      assert.equal(second?.outcome, 'ok');
      assert.equal(second?.requestId, res.headers['x-oss-request-id']);
      for (const attempt of attempts) assert.equal(typeof attempt.durationMs, 'number');
      assert.ok(!JSON.stringify(attempts).includes('token=2'), 'query strings are not logged');
    } finally {
      await fx.close();
    }
  });
});
