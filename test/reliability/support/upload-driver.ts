// The three upload paths the crash harness drives, each recording into the UploadHistory what it sent
// and what it was told: PostObject forms and PutObject as signed raw requests, multipart through the
// official ali-oss client (Initiate, UploadPart, ListParts, Complete). A lost answer (the server died
// mid-request) is `unknown`, never guessed.
import { createHash } from 'node:crypto';
import { createAliOssClient } from '../../../packages/server/src/http/testing/create-ali-oss-client.js';
import type { AliOssMultipartClient } from '../../../packages/server/src/operations/multipart/testing/multipart-test-kit.js';
import { postObject, putObject, type OssTarget, type RawResponse } from './oss-requests.js';
import { buildBody } from './seeded-random.js';
import { splitParts, type Attempt, type UploadHistory } from './upload-history.js';

export interface DriverContext {
  readonly target: OssTarget;
  readonly history: UploadHistory;
  readonly multipart: AliOssMultipartClient;
}

/** A multipart upload the harness started and has not seen completed. */
export interface OpenUpload {
  readonly attempt: Attempt;
  /** Set once Initiate was acknowledged. */
  uploadId: string | undefined;
  readonly partsAcked: Set<number>;
  /** True once a Complete was sent (its commit may have happened without an answer). */
  completeSent: boolean;
}

export function createMultipartClient(target: OssTarget): AliOssMultipartClient {
  return createAliOssClient({
    endpoint: `http://127.0.0.1:${target.port}`,
    bucket: target.bucket,
    accessKeyId: target.accessKeyId,
    accessKeySecret: target.accessKeySecret,
  }) as AliOssMultipartClient;
}

/** An error from ali-oss with an HTTP status is an answer; anything else (reset, refused) lost one. */
export function answeredStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 100 ? status : undefined;
}

function isSuccess(res: RawResponse): boolean {
  return res.status >= 200 && res.status < 300;
}

/** PostObject (V1 or V4 policy) or PutObject of the attempt's body. */
export async function runSingleUpload(
  ctx: DriverContext,
  attempt: Attempt,
  version: 'v1' | 'v4',
): Promise<void> {
  const body = buildBody(attempt.seed, attempt.size);
  try {
    const res =
      attempt.kind === 'post'
        ? await postObject(ctx.target, attempt.key, body, version)
        : await putObject(ctx.target, attempt.key, body);
    const acked = isSuccess(res) && res.headers.etag === attempt.etag;
    ctx.history.settle(attempt, acked ? 'acked' : 'rejected', res.status);
  } catch {
    ctx.history.settle(attempt, 'unknown');
  }
}

/** Initiate (if not yet acknowledged), every part not yet acknowledged, then Complete. */
export async function runMultipartUpload(ctx: DriverContext, open: OpenUpload): Promise<void> {
  const { attempt } = open;
  const parts = splitParts(buildBody(attempt.seed, attempt.size), attempt.partSizes);
  try {
    if (open.uploadId === undefined) {
      open.uploadId = (await ctx.multipart.initMultipartUpload(attempt.key)).uploadId;
    }
    for (const [index, part] of parts.entries()) {
      if (open.partsAcked.has(index + 1)) continue;
      await ctx.multipart.uploadPart(attempt.key, open.uploadId, index + 1, part, 0, part.length);
      open.partsAcked.add(index + 1);
    }
    open.completeSent = true;
    const listed = parts.map((_, index) => ({ number: index + 1, etag: partEtagOf(parts, index) }));
    const done = await ctx.multipart.completeMultipartUpload(attempt.key, open.uploadId, listed);
    ctx.history.settle(attempt, done.etag === attempt.etag ? 'acked' : 'rejected', done.res.status);
  } catch (error) {
    const status = answeredStatus(error);
    // Only a Complete refused with an answer is a verdict; anything else leaves the upload to resume.
    ctx.history.settle(attempt, status !== undefined && open.completeSent ? 'rejected' : 'unknown', status);
  }
}

function partEtagOf(parts: readonly Buffer[], index: number): string {
  return `"${createHash('md5').update(parts[index]!).digest('hex').toUpperCase()}"`;
}

type ListedPart = Awaited<ReturnType<AliOssMultipartClient['listParts']>>['parts'][number];

/** ali-oss (xml2js) gives one element as an object and none as undefined. */
function asList<T>(value: T[] | T | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export interface ResumeVerdict {
  /** resumable: every acknowledged part listed intact; committed: the Complete landed before the crash. */
  readonly state: 'resumable' | 'committed' | 'broken';
  readonly problem?: string;
}

/**
 * After a restart: an upload the harness left open must be resumable (ListParts shows every
 * acknowledged part with its MD5 ETag, nothing partial) — or gone because its Complete committed.
 */
export async function checkOpenUpload(ctx: DriverContext, open: OpenUpload): Promise<ResumeVerdict> {
  const { attempt } = open;
  // Initiate's answer was lost: if the upload was created, it must be listed (and is adopted).
  open.uploadId ??= asList((await ctx.multipart.listUploads({ prefix: attempt.key })).uploads).find(
    (upload) => upload.name === attempt.key,
  )?.uploadId;
  if (open.uploadId === undefined) return { state: 'resumable' };
  const parts = splitParts(buildBody(attempt.seed, attempt.size), attempt.partSizes);
  let listed: ListedPart[];
  try {
    listed = asList((await ctx.multipart.listParts(attempt.key, open.uploadId)).parts);
  } catch (error) {
    if (answeredStatus(error) !== 404 || !open.completeSent) {
      return { state: 'broken', problem: `ListParts failed: ${String(error)}` };
    }
    return { state: 'committed' };
  }
  for (const part of listed) {
    const number = Number(part.PartNumber);
    const expected = parts[number - 1];
    if (
      expected === undefined ||
      part.ETag !== partEtagOf(parts, number - 1) ||
      Number(part.Size) !== expected.length
    ) {
      return { state: 'broken', problem: `part ${number} listed as ${part.ETag}/${part.Size}` };
    }
  }
  const present = new Set(listed.map((part) => Number(part.PartNumber)));
  const missing = [...open.partsAcked].filter((number) => !present.has(number));
  if (missing.length > 0)
    return { state: 'broken', problem: `acknowledged parts ${missing.join(',')} are gone` };
  open.partsAcked.clear();
  for (const number of present) open.partsAcked.add(number);
  return { state: 'resumable' };
}
