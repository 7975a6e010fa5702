// GetBucketAcl / PutBucketAcl (`?acl`, OSS API): the canned ACL of a bucket — private, public-read or
// public-read-write — read as an AccessControlPolicy document and set with the `x-oss-acl` header (which
// PutBucketAcl requires; CreateBucket defaults it to private).
import { OssError } from '@upcall/protocol';
import type { Operation } from '../../http/request-context.js';
import { parseBucketAcl } from '../create-bucket.js';
import { readHeader } from '../upload/read-object-meta-headers.js';
import { bucketOwner } from './bucket-endpoints.js';
import { readBucketInfo } from './read-bucket-info.js';
import { sendEmpty, sendXml, xmlDeclaration, xmlElement as el } from './send-xml.js';

export const bucketAclHeader = 'x-oss-acl';

export function buildAccessControlPolicyXml(acl: string): string {
  return (
    `${xmlDeclaration}<AccessControlPolicy>` +
    `<Owner>${el('ID', bucketOwner.id)}${el('DisplayName', bucketOwner.displayName)}</Owner>` +
    `<AccessControlList>${el('Grant', acl)}</AccessControlList>` +
    '</AccessControlPolicy>\n'
  );
}

export const getBucketAcl: Operation = async (ctx, deps) => {
  const bucket = await readBucketInfo(ctx, deps);
  sendXml(ctx.res, buildAccessControlPolicyXml(bucket.acl));
};

export const putBucketAcl: Operation = async (ctx, deps) => {
  const bucket = await readBucketInfo(ctx, deps);
  const value = readHeader(ctx.req.headers, bucketAclHeader);
  if (value === undefined || value === '') {
    throw new OssError('InvalidArgument', {
      message: 'PutBucketAcl requires the x-oss-acl header.',
      extra: [['ArgumentName', bucketAclHeader]],
    });
  }
  await deps.store.setBucketAcl(bucket.name, parseBucketAcl(value));
  sendEmpty(ctx.res, 200);
};
