// The closed dispatch table: (method × service/bucket/object × operation-selecting sub-resource ×
// variant) → Operation. Anything not in the table is refused before authentication: a known OSS operation
// we do not implement → 501 NotImplemented, anything else → 405 MethodNotAllowed. OPTIONS never gets here
// (CORS preflight, http/cors.ts), nor do reserved `/_upcall/` paths (http/serve-reserved-path.ts).
// Strict by default (docs/compatibility.md): an `x-oss-*` request header the route does not understand is
// NotImplemented too, never silently ignored (check-oss-headers.ts).
import type { IncomingHttpHeaders } from 'node:http';
import { OssError, v1SubResourceNames } from '@upcall/protocol';
import type { Operation } from './request-context.js';
import { createBucket } from '../operations/create-bucket.js';
import { copyObject } from '../operations/copy-object.js';
import { deleteMultipleObjects } from '../operations/delete-multiple-objects.js';
import { deleteObject } from '../operations/delete-object.js';
import { getObject } from '../operations/get-object.js';
import { getObjectMeta } from '../operations/get-object-meta.js';
import { headObject } from '../operations/head-object.js';
import { listObjects } from '../operations/list-objects.js';
import { listObjectsV2 } from '../operations/list-objects-v2.js';
import { putObject } from '../operations/put-object.js';
import { postObject } from '../operations/post-object/index.js';
import { deleteBucket } from '../operations/bucket/delete-bucket.js';
import { getBucketAcl, putBucketAcl } from '../operations/bucket/bucket-acl.js';
import { deleteBucketCors, getBucketCors, putBucketCors } from '../operations/bucket/bucket-cors.js';
import { getBucketInfo, getBucketLocation } from '../operations/bucket/get-bucket-info.js';
import { listBuckets } from '../operations/bucket/list-buckets.js';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  initiateMultipartUpload,
  listMultipartUploads,
  listParts,
  uploadPart,
} from '../operations/multipart/index.js';

export type RouteScope = 'service' | 'bucket' | 'object';

/**
 * How the HTTP core authenticates before running the operation: `request` = header / presigned V1/V4 or
 * anonymous per ACL (http/authorize-request.ts); `form` = the operation verifies its own form-field
 * signature (PostObject ignores header and URL signatures, oss-protocol §2).
 */
export type RouteAuth = 'request' | 'form';

/** What an anonymous caller needs from the ACLs: read, write, or nothing will do. */
export type AnonymousAccess = 'read' | 'write' | 'never';

export interface Route {
  readonly name: string;
  readonly operation: Operation;
  readonly auth: RouteAuth;
  readonly anonymous: AnonymousAccess;
  /** The bucket must exist before authorization runs (OSS answers NoSuchBucket first). */
  readonly needsBucket: boolean;
  /**
   * `x-oss-*` request headers the operation understands, beyond the exchange headers every route
   * accepts (check-oss-headers.ts); a trailing `*` matches a prefix. Undefined = not checked (routes whose
   * operation validates its own headers).
   */
  readonly ossHeaders?: readonly string[];
}

function route(
  name: string,
  operation: Operation,
  anonymous: AnonymousAccess,
  ossHeaders: readonly string[] | undefined,
  needsBucket = true,
): Route {
  return { name, operation, auth: 'request', anonymous, needsBucket, ...(ossHeaders ? { ossHeaders } : {}) };
}

/** Headers PutObject understands (operations/upload/object-header-names.ts); others are NotImplemented. */
const putObjectHeaders = [
  'x-oss-meta-*',
  'x-oss-object-acl',
  'x-oss-storage-class',
  'x-oss-forbid-overwrite',
  'x-oss-server-side-encryption',
  'x-oss-callback',
  'x-oss-callback-var',
];
/**
 * CopyObject: the copy source and its conditionals, the metadata directive, and the tagging directive (no
 * tags are kept, so COPY and REPLACE-without-tags agree). ali-oss `copy()` also sends an
 * `x-oss-copy-source-<name>` for every header it is given, hence the prefix.
 */
const copyObjectHeaders = [
  ...putObjectHeaders.filter((name) => !name.startsWith('x-oss-callback')),
  'x-oss-copy-source',
  'x-oss-copy-source-*',
  'x-oss-metadata-directive',
  'x-oss-tagging-directive',
];
const none: readonly string[] = [];

// Multipart routes (operations/multipart/) validate their own headers: `undefined` skips the check.
const routes: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['GET service', route('ListBuckets', listBuckets, 'never', none, false)],
  ['GET bucket', route('ListObjects', listObjects, 'read', none)],
  ['GET bucket list-type=2', route('ListObjectsV2', listObjectsV2, 'read', none)],
  ['PUT bucket', route('CreateBucket', createBucket, 'never', ['x-oss-acl'], false)],
  ['DELETE bucket', route('DeleteBucket', deleteBucket, 'never', none)],
  ['GET bucket?bucketInfo', route('GetBucketInfo', getBucketInfo, 'never', none)],
  ['GET bucket?location', route('GetBucketLocation', getBucketLocation, 'never', none)],
  ['GET bucket?acl', route('GetBucketAcl', getBucketAcl, 'never', none)],
  ['PUT bucket?acl', route('PutBucketAcl', putBucketAcl, 'never', ['x-oss-acl'])],
  ['PUT bucket?cors', route('PutBucketCors', putBucketCors, 'never', none)],
  ['GET bucket?cors', route('GetBucketCors', getBucketCors, 'never', none)],
  ['DELETE bucket?cors', route('DeleteBucketCors', deleteBucketCors, 'never', none)],
  ['POST bucket?delete', route('DeleteMultipleObjects', deleteMultipleObjects, 'write', none)],
  [
    'POST bucket',
    { name: 'PostObject', operation: postObject, auth: 'form', anonymous: 'never', needsBucket: false },
  ],
  ['GET object', route('GetObject', getObject, 'read', none)],
  ['HEAD object', route('HeadObject', headObject, 'read', none)],
  ['HEAD object?objectMeta', route('GetObjectMeta', getObjectMeta, 'read', none)],
  ['DELETE object', route('DeleteObject', deleteObject, 'write', none)],
  ['PUT object', route('PutObject', putObject, 'write', putObjectHeaders)],
  ['PUT object copy', route('CopyObject', copyObject, 'write', copyObjectHeaders)],
  ['POST object?uploads', route('InitiateMultipartUpload', initiateMultipartUpload, 'write', undefined)],
  ['PUT object?uploadId', route('UploadPart', uploadPart, 'write', undefined)],
  ['PUT object?partNumber', route('UploadPart', uploadPart, 'write', undefined)],
  ['POST object?uploadId', route('CompleteMultipartUpload', completeMultipartUpload, 'write', undefined)],
  ['DELETE object?uploadId', route('AbortMultipartUpload', abortMultipartUpload, 'write', undefined)],
  ['GET object?uploadId', route('ListParts', listParts, 'read', undefined)],
  ['GET bucket?uploads', route('ListMultipartUploads', listMultipartUploads, 'read', undefined)],
]);

/** Sub-resource-free OSS operations that exist but are not implemented here. */
const knownUnimplemented: ReadonlySet<string> = new Set(['HEAD bucket']);

/**
 * Query parameters that are signed sub-resources (§6.1) but modify a request instead of selecting an
 * operation: response header overrides, STS token, upload callback parameters, the ListObjectsV2 page
 * token, throttling/billing.
 */
const modifierParams: ReadonlySet<string> = new Set([
  'response-content-type',
  'response-content-language',
  'response-expires',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'security-token',
  'callback',
  'callback-var',
  'continuation-token',
  'x-oss-traffic-limit',
  'x-oss-request-payer',
  'x-oss-ac-source-ip',
  'x-oss-ac-subnet-mask',
  'x-oss-ac-vpc-id',
  'x-oss-ac-forward-allow',
]);

/** Sub-resources that only accompany another one: `partNumber` goes with `uploadId` (UploadPart). */
const companions: ReadonlyMap<string, string> = new Map([['partNumber', 'uploadId']]);

const supportedMethods: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE']);

/**
 * The operation-selecting sub-resources of a query as one deterministic key: distinct names, companions
 * of a present sub-resource dropped, sorted, joined with `&` — so `?partNumber=1&uploadId=x` and
 * `?uploadId=x&partNumber=1` both select `uploadId`. Undefined when there is none. Several unrelated
 * selectors (`?acl&cors`) make a key no route has, hence NotImplemented.
 */
export function findSelectingSubResource(
  query: ReadonlyArray<readonly [string, string]>,
): string | undefined {
  const names = new Set(
    query.map(([name]) => name).filter((name) => v1SubResourceNames.has(name) && !modifierParams.has(name)),
  );
  const selecting = [...names].filter((name) => {
    const leader = companions.get(name);
    return leader === undefined || !names.has(leader);
  });
  return selecting.length === 0 ? undefined : selecting.sort().join('&');
}

/**
 * Variants of one (method, scope, sub-resource) that are different OSS operations: CopyObject is a PUT
 * with `x-oss-copy-source` (UploadPartCopy likewise), ListObjectsV2 a GET with `list-type=2`.
 */
function findVariant(
  method: string,
  scope: RouteScope,
  query: ReadonlyArray<readonly [string, string]>,
  headers: IncomingHttpHeaders,
): string {
  if (method === 'PUT' && scope === 'object' && headers['x-oss-copy-source'] !== undefined) return ' copy';
  if (method === 'GET' && scope === 'bucket') {
    const listType = query.find(([name]) => name === 'list-type')?.[1];
    if (listType === '2') return ' list-type=2';
  }
  return '';
}

function resourceType(scope: RouteScope): string {
  return scope === 'object' ? 'Object' : scope === 'bucket' ? 'Bucket' : 'Service';
}

export function routeRequest(
  method: string,
  scope: RouteScope,
  query: ReadonlyArray<readonly [string, string]>,
  headers: IncomingHttpHeaders = {},
): Route {
  const subResource = findSelectingSubResource(query);
  const variant = findVariant(method, scope, query, headers);
  const key = `${method} ${scope}${subResource === undefined ? '' : `?${subResource}`}${variant}`;
  const found = routes.get(key);
  if (found !== undefined) return found;
  const notAllowed = new OssError('MethodNotAllowed', {
    extra: [
      ['Method', method],
      ['ResourceType', resourceType(scope)],
    ],
  });
  if (!supportedMethods.has(method)) throw notAllowed;
  if (subResource !== undefined || variant !== '' || knownUnimplemented.has(`${method} ${scope}`)) {
    throw new OssError('NotImplemented');
  }
  throw notAllowed;
}
