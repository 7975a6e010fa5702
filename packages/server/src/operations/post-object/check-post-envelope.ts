// The HTTP envelope of a PostObject request, checked before a byte of the body is read (oss-protocol §3.1):
// multipart/form-data with a usable boundary, no second authentication mechanism, a well-formed
// Content-MD5 if any. Throws OssError.
import type { IncomingHttpHeaders } from 'node:http';
import { OssError } from '@upcall/protocol';

export interface PostEnvelope {
  /** Content-MD5 header (Base64 MD5 of the entire body, §3.1), undefined when absent. */
  readonly contentMd5: string | undefined;
  /** x-oss-object-acl header; a form field of the same name wins (§3.1). */
  readonly objectAclHeader: string | undefined;
}

// RFC 2046 §5.1.1: 1–70 bchars, not ending in a space.
const boundaryPattern = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;
const base64Md5Pattern = /^[A-Za-z0-9+/]{22}==$/;

function readBoundary(contentType: string): string | undefined {
  for (const parameter of contentType.split(';').slice(1)) {
    const eq = parameter.indexOf('=');
    if (eq === -1 || parameter.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
    const value = parameter.slice(eq + 1).trim();
    return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  }
  return undefined;
}

function checkContentType(contentType: string | undefined): void {
  const mediaType = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType !== 'multipart/form-data') throw new OssError('RequestIsNotMultiPartContent');
  const boundary = readBoundary(contentType ?? '');
  if (boundary === undefined || !boundaryPattern.test(boundary)) {
    throw new OssError('MalformedPOSTRequest', {
      message: 'The multipart/form-data boundary is missing or invalid.',
    });
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function checkPostEnvelope(headers: IncomingHttpHeaders): PostEnvelope {
  checkContentType(headers['content-type']);
  // One authentication mechanism per request (threats §C1.5): PostObject authenticates by form fields
  // only (§2), so an Authorization header would be a second, ignored credential.
  if (headers.authorization !== undefined) {
    throw new OssError('InvalidArgument', {
      message: 'PostObject is authenticated by form fields; remove the Authorization header.',
      extra: [['ArgumentName', 'Authorization']],
    });
  }
  const contentMd5 = single(headers['content-md5']);
  if (contentMd5 !== undefined && !base64Md5Pattern.test(contentMd5)) throw new OssError('InvalidDigest');
  return { contentMd5, objectAclHeader: single(headers['x-oss-object-acl']) };
}
