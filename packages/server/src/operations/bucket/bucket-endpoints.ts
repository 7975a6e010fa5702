// How this server describes where a bucket lives (ListBuckets, GetBucketInfo, GetBucketLocation). One
// server is one "region"; OSS names it `oss-<region>` as Location and `<region>` as Region. The region is
// fixed to cn-hangzhou, ali-oss's usual default, because V4 signing scopes name a region and SDK examples
// use this one; the endpoints are this server's public endpoint host (what clients actually dial).
import type { ServerDeps } from '../../http/request-context.js';

export const serverRegion = 'cn-hangzhou';
export const bucketOwner = { id: 'upcall', displayName: 'upcall' } as const;

export interface BucketEndpoints {
  /** `oss-<region>`. */
  readonly location: string;
  readonly region: string;
  readonly extranetEndpoint: string;
  readonly intranetEndpoint: string;
}

export function readBucketEndpoints(deps: ServerDeps): BucketEndpoints {
  let host = deps.config.host;
  try {
    host = new URL(deps.config.publicEndpoint).host;
  } catch {
    // An unparseable publicEndpoint is refused by config validation; the listen host is the fallback.
  }
  return {
    location: `oss-${serverRegion}`,
    region: serverRegion,
    extranetEndpoint: host,
    intranetEndpoint: host,
  };
}
