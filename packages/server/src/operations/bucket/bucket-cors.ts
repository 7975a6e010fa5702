// PutBucketCors / GetBucketCors / DeleteBucketCors (`?cors`, oss-protocol §12). The stored rules are
// what http/cors.ts evaluates for requests to the bucket (first match wins), in place of the server-wide
// `--cors-origin` rule (docs/compatibility.md). A bucket without a configuration answers GetBucketCors
// with 404 NoSuchCORSConfiguration.
import { OssError } from '@upcall/protocol';
import type { Operation } from '../../http/request-context.js';
import type { BucketCors, BucketCorsRule } from '../../store/object-store.js';
import { readXmlBody } from '../xml/read-xml-body.js';
import { maxCorsBodyBytes, parseCorsConfiguration } from './parse-cors-configuration.js';
import { readBucketInfo } from './read-bucket-info.js';
import { sendEmpty, sendXml, xmlDeclaration, xmlElement as el } from './send-xml.js';

function buildRule(rule: BucketCorsRule): string {
  return (
    '<CORSRule>' +
    rule.allowedOrigins.map((value) => el('AllowedOrigin', value)).join('') +
    rule.allowedMethods.map((value) => el('AllowedMethod', value)).join('') +
    rule.allowedHeaders.map((value) => el('AllowedHeader', value)).join('') +
    rule.exposeHeaders.map((value) => el('ExposeHeader', value)).join('') +
    (rule.maxAgeSeconds === undefined ? '' : el('MaxAgeSeconds', String(rule.maxAgeSeconds))) +
    '</CORSRule>'
  );
}

export function buildCorsConfigurationXml(cors: BucketCors): string {
  return (
    `${xmlDeclaration}<CORSConfiguration>${cors.rules.map(buildRule).join('')}` +
    `${el('ResponseVary', String(cors.responseVary))}</CORSConfiguration>\n`
  );
}

export const putBucketCors: Operation = async (ctx, deps) => {
  const bucket = await readBucketInfo(ctx, deps);
  const body = await readXmlBody(ctx.req, { maxBytes: maxCorsBodyBytes });
  await deps.store.setBucketCors(bucket.name, parseCorsConfiguration(body));
  sendEmpty(ctx.res, 200);
};

export const getBucketCors: Operation = async (ctx, deps) => {
  const bucket = await readBucketInfo(ctx, deps);
  const cors = await deps.store.getBucketCors(bucket.name);
  if (cors === undefined) {
    throw new OssError('NoSuchCORSConfiguration', {
      extra: [['BucketName', bucket.name]],
    });
  }
  sendXml(ctx.res, buildCorsConfigurationXml(cors));
};

export const deleteBucketCors: Operation = async (ctx, deps) => {
  const bucket = await readBucketInfo(ctx, deps);
  await deps.store.setBucketCors(bucket.name, undefined);
  sendEmpty(ctx.res, 204);
};
