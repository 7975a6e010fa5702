// The faults s3-fault-proxy.ts can stage between the S3 gateway store and its backend (threats §C7 item
// 65, §B13 "S3-compatible backend"): which backend operation a request is (read from method, query and
// headers, the way S3 routes it), the rules that pick requests, and the canned answers a misbehaving
// backend gives — `503 SlowDown` (S3's throttling answer) and a `200` for a PutObject whose bytes it threw
// away (an object "stored" that the backend does not have).
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type S3Operation =
  | 'PutObject'
  | 'CopyObject'
  | 'UploadPart'
  | 'UploadPartCopy'
  | 'CreateMultipartUpload'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'HeadObject'
  | 'GetObject'
  | 'DeleteObject'
  | 'Other';

export interface S3RequestInfo {
  readonly operation: S3Operation;
  readonly bucket: string;
  /** Object key, decoded; '' for bucket-level requests. */
  readonly key: string;
}

export type S3FaultAction =
  /** Answer `503 SlowDown` without forwarding (the body is read first, as a server would). */
  | { readonly kind: 'slow-down' }
  /** Answer 200 with the MD5 ETag of the body, forwarding nothing: the backend "loses" the object. */
  | { readonly kind: 'drop' }
  /** Forward, then reset both connections once `bodyBytes` of the request body went through. */
  | { readonly kind: 'reset-after'; readonly bodyBytes: number }
  /** Hold the request `ms` before forwarding; a request whose caller left meanwhile is never sent. */
  | { readonly kind: 'delay'; readonly ms: number };

export interface S3FaultRule {
  readonly match: (request: S3RequestInfo) => boolean;
  readonly action: S3FaultAction;
  /** How many matching requests get the fault; default every one. */
  readonly times?: number;
}

/** A rule as armed in the proxy: how often it fired so far. */
export interface ArmedRule {
  readonly rule: S3FaultRule;
  hits: number;
}

/** Picks the first armed rule that matches and still has hits left, and counts the hit. */
export function takeFault(rules: readonly ArmedRule[], request: S3RequestInfo): S3FaultAction | undefined {
  const armed = rules.find(
    ({ rule, hits }) => rule.match(request) && hits < (rule.times ?? Number.POSITIVE_INFINITY),
  );
  if (armed === undefined) return undefined;
  armed.hits += 1;
  return armed.rule.action;
}

function classify(method: string, query: URLSearchParams, copy: boolean, key: string): S3Operation {
  const upload = query.has('uploadId');
  if (method === 'PUT' && key !== '') {
    if (query.has('partNumber') && upload) return copy ? 'UploadPartCopy' : 'UploadPart';
    return copy ? 'CopyObject' : 'PutObject';
  }
  if (method === 'POST' && query.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && upload) return 'CompleteMultipartUpload';
  if (method === 'DELETE' && upload) return 'AbortMultipartUpload';
  if (key === '') return 'Other';
  if (method === 'HEAD') return 'HeadObject';
  if (method === 'GET' && !query.has('uploadId')) return 'GetObject';
  if (method === 'DELETE') return 'DeleteObject';
  return 'Other';
}

/** A path-style S3 request (`/<bucket>/<key>?…`) as the operation it is. */
export function describeS3Request(req: IncomingMessage): S3RequestInfo {
  const url = new URL(req.url ?? '/', 'http://backend');
  const [bucket = '', ...rest] = url.pathname.slice(1).split('/');
  const raw = rest.join('/');
  let key = raw;
  try {
    key = decodeURIComponent(raw);
  } catch {
    // not percent-encoding the SDK would send; match on the raw text
  }
  const copy = req.headers['x-amz-copy-source'] !== undefined;
  return { operation: classify(req.method ?? 'GET', url.searchParams, copy, key), bucket, key };
}

/** Reads the whole request body (the canned answers come after it, as from a real server). */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** S3's throttling answer (AWS S3 error codes: `SlowDown`, 503, "Please reduce your request rate."). */
export function sendSlowDown(req: IncomingMessage, res: ServerResponse): void {
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>' +
    `<Message>Please reduce your request rate.</Message><Resource>${escapeXml(req.url ?? '')}</Resource>` +
    '<RequestId>fault-proxy</RequestId></Error>';
  const body = req.method === 'HEAD' ? '' : xml;
  res.writeHead(503, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(xml),
    'x-amz-request-id': 'fault-proxy',
  });
  res.end(body);
}

/** A PutObject success whose bytes went nowhere: the ETag a backend would give them, and nothing else. */
export function sendDropped(res: ServerResponse, body: Buffer, operation: S3Operation): void {
  const etag = `"${createHash('md5').update(body).digest('hex')}"`;
  if (operation === 'CopyObject') {
    // CopyObject answers with a document (its ETag is the copy's, here made up).
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><CopyObjectResult>' +
      `<LastModified>${new Date().toISOString()}</LastModified><ETag>${escapeXml(etag)}</ETag></CopyObjectResult>`;
    res.writeHead(200, {
      'content-type': 'application/xml',
      'content-length': Buffer.byteLength(xml),
      'x-amz-request-id': 'fault-proxy',
    });
    res.end(xml);
    return;
  }
  res.writeHead(200, { etag, 'content-length': 0, 'x-amz-request-id': 'fault-proxy' });
  res.end();
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
