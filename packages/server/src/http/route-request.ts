// The closed dispatch table: (method × service/bucket/object × operation-selecting sub-resource) →
// Operation. Anything not in the table is refused before authentication: a known OSS operation we do not
// implement → 501 NotImplemented, anything else → 405 MethodNotAllowed. OPTIONS never gets here (CORS
// preflight, http/cors.ts), nor do reserved `/_upcall/` paths (http/serve-reserved-path.ts).
import { OssError, v1SubResourceNames } from '@upcall/protocol';
import type { Operation } from './request-context.js';
import { createBucket } from '../operations/create-bucket.js';
import { deleteObject } from '../operations/delete-object.js';
import { getObject } from '../operations/get-object.js';
import { headObject } from '../operations/head-object.js';
import { listObjects } from '../operations/list-objects.js';
import { postObject } from '../operations/post-object/index.js';
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
}

const routes: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['GET bucket', route('ListObjects', listObjects, 'read')],
  ['PUT bucket', { ...route('CreateBucket', createBucket, 'never'), needsBucket: false }],
  [
    'POST bucket',
    { name: 'PostObject', operation: postObject, auth: 'form', anonymous: 'never', needsBucket: false },
  ],
  ['GET object', route('GetObject', getObject, 'read')],
  ['HEAD object', route('HeadObject', headObject, 'read')],
  ['HEAD object?objectMeta', route('GetObjectMeta', headObject, 'read')],
  ['DELETE object', route('DeleteObject', deleteObject, 'write')],
  ['POST object?uploads', route('InitiateMultipartUpload', initiateMultipartUpload, 'write')],
  ['PUT object?uploadId', route('UploadPart', uploadPart, 'write')],
  ['PUT object?partNumber', route('UploadPart', uploadPart, 'write')],
  ['POST object?uploadId', route('CompleteMultipartUpload', completeMultipartUpload, 'write')],
  ['DELETE object?uploadId', route('AbortMultipartUpload', abortMultipartUpload, 'write')],
  ['GET object?uploadId', route('ListParts', listParts, 'read')],
  ['GET bucket?uploads', route('ListMultipartUploads', listMultipartUploads, 'read')],
]);

/** Plain (sub-resource-free) OSS operations that exist but are not implemented here yet. */
const knownUnimplemented: ReadonlySet<string> = new Set([
  'GET service',
  'PUT object',
  'DELETE bucket',
  'HEAD bucket',
]);

/**
 * Query parameters that are signed sub-resources (§6.1) but modify a request instead of selecting an
 * operation: response header overrides, STS token, upload callback parameters, throttling/billing.
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
  'x-oss-traffic-limit',
  'x-oss-request-payer',
  'x-oss-ac-source-ip',
  'x-oss-ac-subnet-mask',
  'x-oss-ac-vpc-id',
  'x-oss-ac-forward-allow',
]);

const supportedMethods: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE']);

function route(name: string, operation: Operation, anonymous: AnonymousAccess): Route {
  return { name, operation, auth: 'request', anonymous, needsBucket: true };
}

/** The first query parameter that names an OSS sub-resource operation (`?acl`, `?uploads`, …), if any. */
export function findSelectingSubResource(
  query: ReadonlyArray<readonly [string, string]>,
): string | undefined {
  return query.find(([name]) => v1SubResourceNames.has(name) && !modifierParams.has(name))?.[0];
}

function resourceType(scope: RouteScope): string {
  return scope === 'object' ? 'Object' : scope === 'bucket' ? 'Bucket' : 'Service';
}

export function routeRequest(
  method: string,
  scope: RouteScope,
  query: ReadonlyArray<readonly [string, string]>,
): Route {
  const subResource = findSelectingSubResource(query);
  const found = routes.get(`${method} ${scope}${subResource === undefined ? '' : `?${subResource}`}`);
  if (found !== undefined) return found;
  const notAllowed = new OssError('MethodNotAllowed', {
    extra: [
      ['Method', method],
      ['ResourceType', resourceType(scope)],
    ],
  });
  if (!supportedMethods.has(method)) throw notAllowed;
  if (subResource !== undefined || knownUnimplemented.has(`${method} ${scope}`)) {
    throw new OssError('NotImplemented');
  }
  throw notAllowed;
}
