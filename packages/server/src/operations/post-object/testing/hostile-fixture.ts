// Test helper for hostile-input suites (threats §C): a real server over a fresh FsObjectStore, and the
// three checks every refusal must pass — the OSS status/code, nothing stored (no object, no temp file),
// and the server still serving a normal upload right afterwards.
import assert from 'node:assert/strict';
import type { PostPolicyConditionInput } from '@upcall/protocol';
import type { ServerConfig } from '../../../config/server-config.js';
import type { TestServer } from '../../../http/testing/start-test-server.js';
import { buildFormParts, buildMultipartBody, type FormPart } from './build-multipart-body.js';
import { readErrorCode, sendForm, signPolicyFields, type FormResponse } from './post-form-client.js';
import {
  fixedNowMs,
  openTempFsStore,
  startPostObjectServer,
  testAccessKeyId,
  testAccessKeySecret,
  testBucket,
  type TempFsStore,
} from './post-object-test-server.js';

export type Fields = ReadonlyArray<readonly [string, string]>;

export interface HostileFixture {
  readonly server: TestServer;
  readonly fs: TempFsStore;
  signed(conditions?: readonly PostPolicyConditionInput[], version?: 'v1' | 'v4'): Fields;
  postParts(parts: readonly FormPart[], headers?: Readonly<Record<string, string>>): Promise<FormResponse>;
  post(fields: Fields, content?: string | Buffer): Promise<FormResponse>;
  /** Status + OSS code, no object under `key`, no temp file, and a normal upload still works. */
  expectRefused(res: FormResponse, status: number, code: string, key?: string): Promise<void>;
  waitForNoTempFiles(timeoutMs?: number): Promise<void>;
  expectStillServing(): Promise<void>;
  close(): Promise<void>;
}

let serial = 0;

export async function openHostileFixture(config: Partial<ServerConfig> = {}): Promise<HostileFixture> {
  const fs = await openTempFsStore();
  const server = await startPostObjectServer({ store: fs.store, config });
  const signed = (
    conditions: readonly PostPolicyConditionInput[] = [],
    version: 'v1' | 'v4' = 'v1',
  ): Fields =>
    signPolicyFields({
      version,
      accessKeyId: testAccessKeyId,
      secret: testAccessKeySecret,
      nowMs: fixedNowMs,
      conditions: [{ bucket: testBucket }, ...conditions],
    });
  const postParts = (
    parts: readonly FormPart[],
    headers?: Readonly<Record<string, string>>,
  ): Promise<FormResponse> => {
    const { body, contentType } = buildMultipartBody(parts);
    return sendForm({
      port: server.port,
      bucket: testBucket,
      body,
      contentType,
      ...(headers ? { headers } : {}),
    });
  };
  const post = (fields: Fields, content: string | Buffer = 'hi oss'): Promise<FormResponse> =>
    postParts(buildFormParts(fields, { content }));
  const waitForNoTempFiles = async (timeoutMs = 3000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = await fs.listTempFiles();
      if (left.length === 0) return;
      if (Date.now() > deadline) assert.fail(`temp files left behind: ${left.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const expectStillServing = async (): Promise<void> => {
    const key = `alive/${++serial}`;
    const res = await post([['key', key], ...signed()]);
    assert.equal(res.status, 204, `a normal upload after the hostile one: ${res.text}`);
    assert.ok(await server.store.head(testBucket, key));
  };
  const expectRefused = async (
    res: FormResponse,
    status: number,
    code: string,
    key?: string,
  ): Promise<void> => {
    assert.equal(res.status, status, res.text);
    assert.equal(readErrorCode(res.text), code, res.text);
    assert.equal(res.headers['content-type'], 'application/xml');
    if (key !== undefined)
      assert.equal(await server.store.head(testBucket, key), undefined, `nothing stored under ${key}`);
    await waitForNoTempFiles();
    await expectStillServing();
  };
  return {
    server,
    fs,
    signed,
    postParts,
    post,
    expectRefused,
    waitForNoTempFiles,
    expectStillServing,
    close: async () => {
      await server.close();
      await fs.remove();
    },
  };
}
