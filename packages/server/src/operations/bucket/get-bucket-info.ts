// GetBucketInfo (`GET /?bucketInfo`) and GetBucketLocation (`GET /?location`), OSS API: what a
// single-node server can truthfully say about a bucket — name, creation date, location and endpoints,
// ACL, Standard storage, LRS redundancy, versioning and encryption off.
import type { Operation } from '../../http/request-context.js';
import type { BucketInfo } from '../../store/object-store.js';
import { requireBucket } from '../require-address.js';
import { readBucketInfo } from './read-bucket-info.js';
import { bucketOwner, readBucketEndpoints, type BucketEndpoints } from './bucket-endpoints.js';
import { sendXml, xmlDeclaration, xmlElement as el } from './send-xml.js';

export function buildBucketInfoXml(bucket: BucketInfo, endpoints: BucketEndpoints): string {
  return (
    `${xmlDeclaration}<BucketInfo><Bucket>` +
    el('AccessMonitor', 'Disabled') +
    el('CreationDate', new Date(bucket.createdMs).toISOString()) +
    el('ExtranetEndpoint', endpoints.extranetEndpoint) +
    el('IntranetEndpoint', endpoints.intranetEndpoint) +
    el('Location', endpoints.location) +
    el('StorageClass', 'Standard') +
    el('TransferAcceleration', 'Disabled') +
    el('CrossRegionReplication', 'Disabled') +
    el('DataRedundancyType', 'LRS') +
    el('Name', bucket.name) +
    el('Region', endpoints.region) +
    `<Owner>${el('DisplayName', bucketOwner.displayName)}${el('ID', bucketOwner.id)}</Owner>` +
    `<AccessControlList>${el('Grant', bucket.acl)}</AccessControlList>` +
    `<ServerSideEncryptionRule>${el('SSEAlgorithm', 'None')}</ServerSideEncryptionRule>` +
    '</Bucket></BucketInfo>\n'
  );
}

export const getBucketInfo: Operation = async (ctx, deps) => {
  const bucket = await readBucketInfo(ctx, deps);
  sendXml(ctx.res, buildBucketInfoXml(bucket, readBucketEndpoints(deps)));
};

export const getBucketLocation: Operation = (ctx, deps) => {
  requireBucket(ctx);
  const { location } = readBucketEndpoints(deps);
  sendXml(ctx.res, `${xmlDeclaration}${el('LocationConstraint', location)}\n`);
  return Promise.resolve();
};
