// Turns the request line and Host header into bucket / key / query (oss-protocol §2).
//
// Bucket resolution (INFERRED emulator rule, §2): a configured custom domain (OSS CNAME; ali-oss
// `cname: true` with a non-IP endpoint) names its bucket, and the whole path is the key. Otherwise a Host
// of the form `<bucket>.<anything>` names the bucket (virtual-hosted style, including
// `Host: <bucket>.oss-cn-hangzhou.aliyuncs.com` that ali-oss sends when its endpoint is an IP address —
// whatever its `cname`/`sldEnable` options) unless the host is an IP literal, `localhost`, or one of the
// server's own host names. Otherwise the first path segment is the bucket (path style). Path-style
// segments beginning with `_` can never be buckets (OSS names never contain `_`), so `/_upcall/…` is
// reserved for the server itself (docs/adr/0005-http-core.md).
import { isIP } from 'node:net';
import { OssError } from '@upcall/protocol';
import { isValidBucketName } from '../store/bucket-name.js';
import { decodeUrlComponent } from '../operations/decode-url-component.js';
import { validateObjectKey } from '../operations/validate-object-key.js';

export { decodeUrlComponent };

export const reservedPathSegment = '_upcall';

export interface RequestTarget {
  readonly style: 'virtual-hosted' | 'path' | 'custom-domain';
  /** Bucket named by Host or path; undefined for service-level requests and reserved paths. */
  readonly bucket: string | undefined;
  /** Decoded, validated object key; undefined when the request addresses a bucket or the service. */
  readonly key: string | undefined;
  /** For `/_upcall/<rest>` (path style only): `<rest>`, raw. */
  readonly reservedPath: string | undefined;
  readonly query: ReadonlyArray<readonly [string, string]>;
  readonly rawQuery: string;
  /** The addressed host name without port, lower-case (`HostId` in error XML, §10.1). */
  readonly hostName: string;
}

export interface TargetParseOptions {
  /** Host names (lower-case, no port) that address the server itself and therefore never a bucket. */
  readonly serviceHosts: ReadonlySet<string>;
  /**
   * Custom domains bound to one bucket each (OSS CNAME, ali-oss `cname: true`): host name (lower-case,
   * no port) → bucket. Such a host always addresses its bucket; the whole path is the key.
   */
  readonly bucketHosts?: ReadonlyMap<string, string>;
}

/** Splits `host[:port]` / `[v6]:port`, lower-cases and drops a trailing root dot. */
export function readHostName(hostHeader: string | undefined): string {
  if (hostHeader === undefined) return '';
  let host = hostHeader.trim().toLowerCase();
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    host = close === -1 ? host.slice(1) : host.slice(1, close);
  } else {
    const colon = host.indexOf(':');
    if (colon !== -1) host = host.slice(0, colon);
  }
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/** The bucket a virtual-hosted Host names, or undefined when the host addresses the server itself. */
export function readVirtualHostBucket(
  hostName: string,
  serviceHosts: ReadonlySet<string>,
): string | undefined {
  if (hostName === '' || isIP(hostName) !== 0 || hostName === 'localhost') return undefined;
  if (serviceHosts.has(hostName)) return undefined;
  const dot = hostName.indexOf('.');
  if (dot <= 0) return undefined;
  const label = hostName.slice(0, dot);
  // A first label that cannot be a bucket name (`my_box.lan`) means the host is not virtual-hosted.
  return isValidBucketName(label) ? label : undefined;
}

/** `a=1&b&c=` → [['a','1'],['b',''],['c','']]; undecodable components are an InvalidArgument. */
export function parseQuery(rawQuery: string): Array<readonly [string, string]> {
  const pairs: Array<readonly [string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeUrlComponent(eq === -1 ? part : part.slice(0, eq));
    const value = decodeUrlComponent(eq === -1 ? '' : part.slice(eq + 1));
    if (name === undefined || value === undefined) {
      throw new OssError('InvalidArgument', {
        message: 'The query string is not valid percent-encoded UTF-8.',
      });
    }
    pairs.push([name, value]);
  }
  return pairs;
}

function decodeKey(raw: string): string | undefined {
  if (raw === '') return undefined;
  const key = decodeUrlComponent(raw);
  if (key === undefined) throw new OssError('InvalidObjectName');
  return validateObjectKey(key);
}

/** Origin-form `/path?query`; absolute-form `http://host/path` (RFC 9112 §3.2.2) also yields its authority. */
function splitTarget(rawTarget: string): { path: string; rawQuery: string; authority?: string } {
  let target = rawTarget;
  let authority: string | undefined;
  const absolute = /^https?:\/\/([^/?#]*)/i.exec(target);
  if (absolute !== null) {
    authority = absolute[1];
    target = target.slice(absolute[0].length);
    if (!target.startsWith('/')) target = `/${target}`;
  }
  if (!target.startsWith('/')) {
    throw new OssError('InvalidArgument', { message: 'The request target must be an absolute path.' });
  }
  const hash = target.indexOf('#');
  if (hash !== -1) target = target.slice(0, hash);
  const question = target.indexOf('?');
  const path = question === -1 ? target : target.slice(0, question);
  const rawQuery = question === -1 ? '' : target.slice(question + 1);
  return authority === undefined ? { path, rawQuery } : { path, rawQuery, authority };
}

function parsePathStyle(path: string): Pick<RequestTarget, 'bucket' | 'key' | 'reservedPath'> {
  const rest = path.slice(1);
  const slash = rest.indexOf('/');
  const segment = slash === -1 ? rest : rest.slice(0, slash);
  const after = slash === -1 ? '' : rest.slice(slash + 1);
  if (segment === '') return { bucket: undefined, key: undefined, reservedPath: undefined };
  if (segment === reservedPathSegment) return { bucket: undefined, key: undefined, reservedPath: after };
  const bucket = decodeUrlComponent(segment);
  if (bucket === undefined || !isValidBucketName(bucket)) {
    throw new OssError('InvalidBucketName', { extra: [['BucketName', bucket ?? segment]] });
  }
  return { bucket, key: decodeKey(after), reservedPath: undefined };
}

export function parseRequestTarget(
  rawTarget: string,
  hostHeader: string | undefined,
  options: TargetParseOptions,
): RequestTarget {
  const { path, rawQuery, authority } = splitTarget(rawTarget);
  const hostName = readHostName(authority ?? hostHeader);
  const query = parseQuery(rawQuery);
  const customBucket = options.bucketHosts?.get(hostName);
  const virtualBucket = customBucket ?? readVirtualHostBucket(hostName, options.serviceHosts);
  if (virtualBucket !== undefined) {
    return {
      style: customBucket === undefined ? 'virtual-hosted' : 'custom-domain',
      bucket: virtualBucket,
      key: decodeKey(path.slice(1)),
      reservedPath: undefined,
      query,
      rawQuery,
      hostName,
    };
  }
  return { style: 'path', ...parsePathStyle(path), query, rawQuery, hostName };
}
