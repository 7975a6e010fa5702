// Which RAM action and resource each routed operation needs (Alibaba Cloud OSS "RAM policy actions":
// PostObject, PutObject and every multipart write step are oss:PutObject; HeadObject and GetObjectMeta
// are oss:GetObject; ListObjects(V2) is oss:ListObjects on the bucket with the oss:Prefix / oss:Delimiter
// condition keys). A route missing from this table is refused (closed world, threats key takeaway 2):
// DeleteMultipleObjects among them, because its keys are in a body not yet read when authorization runs
// (OSS checks oss:DeleteObject per key; a session deletes one object at a time here).
import type { RamRequest } from './check-ram-policy.js';

type Scope = 'service' | 'bucket' | 'object';

const actions: ReadonlyMap<string, readonly [string, Scope]> = new Map([
  ['ListBuckets', ['oss:ListBuckets', 'service']],
  ['ListObjects', ['oss:ListObjects', 'bucket']],
  ['ListObjectsV2', ['oss:ListObjects', 'bucket']],
  ['CreateBucket', ['oss:PutBucket', 'bucket']],
  ['DeleteBucket', ['oss:DeleteBucket', 'bucket']],
  ['GetBucketInfo', ['oss:GetBucketInfo', 'bucket']],
  ['GetBucketLocation', ['oss:GetBucketLocation', 'bucket']],
  ['GetBucketAcl', ['oss:GetBucketAcl', 'bucket']],
  ['PutBucketAcl', ['oss:PutBucketAcl', 'bucket']],
  ['PutBucketCors', ['oss:PutBucketCors', 'bucket']],
  ['GetBucketCors', ['oss:GetBucketCors', 'bucket']],
  ['DeleteBucketCors', ['oss:DeleteBucketCors', 'bucket']],
  ['ListMultipartUploads', ['oss:ListMultipartUploads', 'bucket']],
  ['PostObject', ['oss:PutObject', 'object']],
  ['PutObject', ['oss:PutObject', 'object']],
  ['CopyObject', ['oss:PutObject', 'object']],
  ['InitiateMultipartUpload', ['oss:PutObject', 'object']],
  ['UploadPart', ['oss:PutObject', 'object']],
  ['CompleteMultipartUpload', ['oss:PutObject', 'object']],
  ['AbortMultipartUpload', ['oss:AbortMultipartUpload', 'object']],
  ['ListParts', ['oss:ListParts', 'object']],
  ['GetObject', ['oss:GetObject', 'object']],
  ['HeadObject', ['oss:GetObject', 'object']],
  ['GetObjectMeta', ['oss:GetObject', 'object']],
  ['DeleteObject', ['oss:DeleteObject', 'object']],
] as Array<[string, readonly [string, Scope]]>);

/** `acs:oss:*:*:<bucket>[/<key>]` (region and account are not modelled locally, check-ram-policy.ts). */
export function buildOssResource(bucket: string | undefined, key?: string): string {
  if (bucket === undefined) return 'acs:oss:*:*:*';
  return key === undefined ? `acs:oss:*:*:${bucket}` : `acs:oss:*:*:${bucket}/${key}`;
}

export interface RamTarget {
  readonly operation: string;
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  readonly query?: ReadonlyArray<readonly [string, string]>;
}

function readListContext(query: ReadonlyArray<readonly [string, string]>): Map<string, string> {
  const context = new Map<string, string>();
  for (const [name, value] of query) {
    if (name === 'prefix') context.set('oss:prefix', value);
    if (name === 'delimiter') context.set('oss:delimiter', value);
  }
  // RAM evaluates oss:Prefix as "" when a listing names none (INFERRED, as S3 does for s3:prefix).
  if (!context.has('oss:prefix')) context.set('oss:prefix', '');
  return context;
}

/** The RAM request an operation amounts to, or undefined for an operation no session may perform. */
export function buildRamRequest(target: RamTarget): RamRequest | undefined {
  const entry = actions.get(target.operation);
  if (entry === undefined) return undefined;
  const [action, scope] = entry;
  if (scope === 'service') return { action, resource: buildOssResource(undefined) };
  if (scope === 'bucket') {
    const context = action === 'oss:ListObjects' ? readListContext(target.query ?? []) : undefined;
    return { action, resource: buildOssResource(target.bucket), ...(context ? { context } : {}) };
  }
  if (target.key === undefined) return undefined;
  return { action, resource: buildOssResource(target.bucket, target.key) };
}
