// PutBucket (CreateBucket): `PUT /<bucket>` with an optional `x-oss-acl` header. The request body
// (CreateBucketConfiguration: storage class, redundancy) is not needed by a single-node server and is
// drained by Node. An existing bucket answers 409 BucketAlreadyExists (oss-protocol §10.2 catalog).
import { OssError } from '@upcall/protocol';
import type { Operation } from '../http/request-context.js';
import type { BucketAcl } from '../config/server-config.js';
import { requireBucket } from './require-address.js';

const bucketAcls: readonly BucketAcl[] = ['private', 'public-read', 'public-read-write'];

export function parseBucketAcl(value: string | undefined): BucketAcl {
  if (value === undefined || value === '') return 'private';
  const acl = bucketAcls.find((candidate) => candidate === value);
  if (acl === undefined) {
    throw new OssError('InvalidArgument', {
      message: 'no such bucket access control exists',
      extra: [
        ['ArgumentName', 'x-oss-acl'],
        ['ArgumentValue', value],
      ],
    });
  }
  return acl;
}

export const createBucket: Operation = async (ctx, deps) => {
  const bucket = requireBucket(ctx);
  const header = ctx.req.headers['x-oss-acl'];
  const acl = parseBucketAcl(Array.isArray(header) ? header[0] : header);
  if ((await deps.store.getBucket(bucket)) !== undefined) {
    throw new OssError('BucketAlreadyExists', { extra: [['BucketName', bucket]] });
  }
  await deps.store.createBucket(bucket, acl);
  ctx.res.statusCode = 200;
  ctx.res.setHeader('Location', `/${bucket}`);
  ctx.res.setHeader('Content-Length', '0');
  ctx.res.end();
};
