// PostObject success without a callback (oss-protocol §3.8): success_action_redirect ⇒ 303 to the URL
// with bucket, key and etag appended (S3 semantics; §3.8 UNKNOWN, decided); else success_action_status
// 200 (empty), 201 (PostResponse XML) or 204 for anything else or nothing.
import type { ServerResponse } from 'node:http';
import { encodeXmlText, type UploadDigest } from '@upcall/protocol';
import { postFormFields } from './post-form-fields.js';

export interface PostSuccess {
  readonly bucket: string;
  readonly key: string;
  readonly digest: UploadDigest;
  /** config.publicEndpoint, the base of the 201 Location. */
  readonly publicEndpoint: string;
}

/** The redirect target, or undefined when the field is absent or not an absolute http(s) URL (P). */
export function buildSuccessRedirect(redirect: string | undefined, success: PostSuccess): string | undefined {
  if (redirect === undefined || redirect === '') return undefined;
  let url: URL;
  try {
    url = new URL(redirect);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const added = new URLSearchParams({ bucket: success.bucket, key: success.key, etag: success.digest.etag });
  url.search = url.search === '' ? `?${added.toString()}` : `${url.search}&${added.toString()}`;
  return url.href;
}

/** Path-style object URL: works for IP endpoints, unlike OSS's virtual-hosted form (§3.8 observation). */
export function buildObjectLocation(success: PostSuccess): string {
  const base = success.publicEndpoint.replace(/\/+$/, '');
  const path = success.key.split('/').map(encodeURIComponent).join('/');
  return `${base}/${encodeURIComponent(success.bucket)}/${path}`;
}

/** Element order Bucket, Location, Key, ETag and an unquoted ETag, as in the one real OSS capture (§3.8). */
export function buildPostResponseXml(success: PostSuccess): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse>' +
    `<Bucket>${encodeXmlText(success.bucket)}</Bucket>` +
    `<Location>${encodeXmlText(buildObjectLocation(success))}</Location>` +
    `<Key>${encodeXmlText(success.key)}</Key>` +
    `<ETag>${encodeXmlText(success.digest.etagHex)}</ETag>` +
    '</PostResponse>'
  );
}

function sendEmpty(res: ServerResponse, status: number): void {
  res.statusCode = status;
  res.setHeader('Content-Length', '0');
  res.end();
}

export function sendPostSuccess(
  res: ServerResponse,
  fields: ReadonlyMap<string, string>,
  success: PostSuccess,
): void {
  const location = buildSuccessRedirect(fields.get(postFormFields.successActionRedirect), success);
  if (location !== undefined) {
    res.setHeader('Location', location);
    sendEmpty(res, 303);
    return;
  }
  const status = fields.get(postFormFields.successActionStatus);
  if (status === '201') {
    const xml = buildPostResponseXml(success);
    res.statusCode = 201;
    res.setHeader('Content-Type', 'application/xml');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Length', Buffer.byteLength(xml));
    res.end(xml);
    return;
  }
  sendEmpty(res, status === '200' ? 200 : 204);
}
