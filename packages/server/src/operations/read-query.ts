// Query-parameter reading shared by the operations. The first occurrence of a repeated parameter wins, as
// OSS documents for presigned URLs (oss-protocol §6.2); bad values are InvalidArgument naming the parameter.
import { OssError } from '@upcall/protocol';
import type { RequestContext } from '../http/request-context.js';

export type Query = RequestContext['query'];

export function readQueryParam(query: Query, name: string): string | undefined {
  return query.find(([candidate]) => candidate === name)?.[1];
}

export function buildInvalidArgument(name: string, value: string, message?: string): OssError {
  return new OssError('InvalidArgument', {
    ...(message === undefined ? {} : { message }),
    extra: [
      ['ArgumentName', name],
      ['ArgumentValue', value],
    ],
  });
}
