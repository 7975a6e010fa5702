// Test helper for callback suites: the real server with a short callback timeout over the store under
// test (filesystem or gateway, open-store-under-test.ts), callback receivers that are closed afterwards,
// V1-signed form posting and the 203 CallbackFailed assertion.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { once } from 'node:events';
import type { Logger } from 'pino';
import type { TestServer } from '../../../http/testing/start-test-server.js';
import { openStoreUnderTest, type StoreUnderTestKind } from '../../../store/testing/open-store-under-test.js';
import { buildFormParts, buildMultipartBody } from './build-multipart-body.js';
import { startCallbackReceiver, type CallbackReceiver, type CallbackReply } from './callback-receiver.js';
import {
  readErrorCode,
  readErrorMessage,
  sendForm,
  signPolicyFields,
  type FormResponse,
} from './post-form-client.js';
import {
  fixedNowMs,
  startPostObjectServer,
  testAccessKeyId,
  testAccessKeySecret,
  testBucket,
} from './post-object-test-server.js';

export type Fields = ReadonlyArray<readonly [string, string]>;
export type FileInput = { content: string | Buffer; contentType?: string; filename?: string };

export const notJsonMessage = 'Response body is not valid json format.';

export function callbackParam(config: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(config), 'utf8').toString('base64');
}

/** A loopback port nothing listens on (connections are refused). */
export async function findClosedPort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  probe.close();
  await once(probe, 'close');
  return port;
}

export interface CallbackFixture {
  readonly server: TestServer;
  receiver(reply?: CallbackReply): Promise<CallbackReceiver>;
  signedV1(): Fields;
  post(fields: Fields, file?: FileInput): Promise<FormResponse>;
  postWithCallback(key: string, callback: Record<string, unknown>, extra?: Fields): Promise<FormResponse>;
  /** 203, CallbackFailed with `message`, the upload headers of "hi oss", and the object still stored. */
  expectCallbackFailed(res: FormResponse, key: string, message: string): Promise<void>;
  close(): Promise<void>;
}

export interface CallbackFixtureOptions {
  /** Default 'fs'. */
  readonly storeKind?: StoreUnderTestKind;
  readonly log?: Logger;
}

/** The server over a fresh store of the given kind; the store is removed again if the server fails. */
async function startOverStore(callbackTimeoutMs: number, options: CallbackFixtureOptions) {
  const { log } = options;
  const opened = await openStoreUnderTest(options.storeKind ?? 'fs', { now: () => fixedNowMs });
  try {
    const server = await startPostObjectServer({
      store: opened.store,
      config: { callbackTimeoutMs },
      ...(log ? { log } : {}),
    });
    return { server, opened };
  } catch (error) {
    await opened.cleanup();
    throw error;
  }
}

export async function openCallbackFixture(
  callbackTimeoutMs: number,
  options: CallbackFixtureOptions = {},
): Promise<CallbackFixture> {
  const { server, opened } = await startOverStore(callbackTimeoutMs, options);
  const receivers: CallbackReceiver[] = [];
  const signedV1 = (): Fields =>
    signPolicyFields({
      version: 'v1',
      accessKeyId: testAccessKeyId,
      secret: testAccessKeySecret,
      nowMs: fixedNowMs,
      conditions: [{ bucket: testBucket }],
    });
  const post = (fields: Fields, file: FileInput = { content: 'hi oss' }): Promise<FormResponse> => {
    const { body, contentType } = buildMultipartBody(buildFormParts([...fields, ...signedV1()], file));
    return sendForm({ port: server.port, bucket: testBucket, body, contentType });
  };
  return {
    server,
    signedV1,
    post,
    receiver: async (reply) => {
      const started = await startCallbackReceiver(reply);
      receivers.push(started);
      return started;
    },
    postWithCallback: (key, callback, extra = []) =>
      post([['key', key], ['callback', callbackParam(callback)], ...extra]),
    expectCallbackFailed: async (res, key, message) => {
      // EC 0007-00000205 is OSS's page for a non-JSON reply (D9); every other failure uses 0007-00000203.
      const ec = message === notJsonMessage ? '0007-00000205' : '0007-00000203';
      assert.equal(res.status, 203, res.text);
      assert.equal(readErrorCode(res.text), 'CallbackFailed');
      assert.equal(readErrorMessage(res.text), message);
      assert.equal(res.headers['content-type'], 'application/xml');
      assert.ok(res.text.includes(`<EC>${ec}</EC>`), res.text);
      assert.equal(res.headers['x-oss-ec'], ec);
      assert.equal(res.headers.etag, '"B22E0DC370A7F7067FACF5F75D7FA385"');
      assert.equal(res.headers['x-oss-hash-crc64ecma'], '8707180448768400016');
      assert.equal(res.headers['content-md5'], 'si4Nw3Cn9wZ/rPX3XX+jhQ==');
      assert.ok(await server.store.head(testBucket, key), 'the object stays stored');
    },
    close: async () => {
      await Promise.all(receivers.map((r) => r.close()));
      await server.close();
      await opened.cleanup();
    },
  };
}
