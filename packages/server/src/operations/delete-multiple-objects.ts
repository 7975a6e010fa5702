// DeleteMultipleObjects (`POST /?delete`, OSS API): an XML body `<Delete><Quiet>…</Quiet><Object><Key>…`
// of at most 1 000 keys, with a required Content-MD5 (OSS EC 0016-00000606). The body is parsed with
// DTDs refused (threats §C8.68 → MalformedXML). Keys are deleted in order; a key that does not exist
// counts as deleted (OSS/S3). The answer lists `<Deleted><Key>` per key unless Quiet is true;
// `encoding-type=url` URL-encodes the returned keys (XML cannot carry every character a key may hold).
import { OssError, encodeXmlText } from '@upcall/protocol';
import type { Operation } from '../http/request-context.js';
import { requireBucket } from './require-address.js';
import { validateObjectKey } from './validate-object-key.js';
import { findChildren, malformedXml, parseXmlDocument, readChildText } from './xml/parse-xml-document.js';
import { readXmlBody } from './xml/read-xml-body.js';

export const maxDeleteKeys = 1000;
/** 1 000 keys of up to 1 023 bytes, each possibly escaped, plus the envelope (P: 2 MiB). */
export const maxDeleteBodyBytes = 2 * 1024 * 1024;

export interface DeleteRequest {
  readonly quiet: boolean;
  readonly keys: readonly string[];
}

function readQuiet(value: string | undefined): boolean {
  const text = value?.trim().toLowerCase();
  if (text === undefined || text === 'false') return false;
  if (text === 'true') return true;
  throw malformedXml('Quiet must be true or false.');
}

/** Parses and validates the `<Delete>` document; throws MalformedXML / InvalidObjectName / KeyTooLong. */
export function parseDeleteRequest(xml: string): DeleteRequest {
  const root = parseXmlDocument(xml, 'Delete');
  const objects = findChildren(root, 'Object');
  if (objects.length === 0) throw malformedXml('The Delete element must list at least one Object.');
  if (objects.length > maxDeleteKeys) {
    throw malformedXml(`At most ${maxDeleteKeys} objects may be deleted per request.`);
  }
  const keys = objects.map((object) => {
    if (findChildren(object, 'VersionId').length > 0) {
      throw new OssError('NotImplemented', { message: 'Deleting object versions is not supported.' });
    }
    const key = readChildText(object, 'Key');
    if (key === undefined) throw malformedXml('Every Object must have a Key.', '0016-00000613');
    return validateObjectKey(key);
  });
  return { quiet: readQuiet(readChildText(root, 'Quiet')), keys };
}

function readEncoding(query: ReadonlyArray<readonly [string, string]>): boolean {
  const value = query.find(([name]) => name === 'encoding-type')?.[1];
  if (value === undefined) return false;
  if (value === 'url') return true;
  throw new OssError('InvalidArgument', {
    extra: [
      ['ArgumentName', 'encoding-type'],
      ['ArgumentValue', value],
    ],
  });
}

export function buildDeleteResultXml(deleted: readonly string[], urlEncoded: boolean): string {
  const encode = urlEncoded ? encodeURIComponent : (text: string) => text;
  let xml = '<?xml version="1.0" encoding="UTF-8"?>\n<DeleteResult>';
  if (urlEncoded) xml += '<EncodingType>url</EncodingType>';
  for (const key of deleted) xml += `<Deleted><Key>${encodeXmlText(encode(key))}</Key></Deleted>`;
  return `${xml}</DeleteResult>\n`;
}

export const deleteMultipleObjects: Operation = async (ctx, deps) => {
  const bucket = requireBucket(ctx);
  const urlEncoded = readEncoding(ctx.query);
  const body = await readXmlBody(ctx.req, { maxBytes: maxDeleteBodyBytes, requireContentMd5: true });
  const request = parseDeleteRequest(body);
  for (const key of request.keys) await deps.store.delete(bucket, key);
  const xml = buildDeleteResultXml(request.quiet ? [] : request.keys, urlEncoded);
  ctx.res.statusCode = 200;
  ctx.res.setHeader('Content-Type', 'application/xml');
  ctx.res.setHeader('X-Content-Type-Options', 'nosniff');
  ctx.res.setHeader('Content-Length', Buffer.byteLength(xml));
  ctx.res.end(xml);
};
