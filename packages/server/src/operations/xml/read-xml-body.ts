// Reads a small XML request body (PutBucketCors ≤ 16 KB, DeleteMultipleObjects, CompleteMultipartUpload)
// into memory with a hard byte cap — declared (Content-Length) and actual — and, when the request sent
// `Content-MD5`, checks it against the bytes received (InvalidDigest). The body is decoded as strict UTF-8.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { OssError } from '@upcall/protocol';
import { readContentMd5 } from '../upload/read-content-md5.js';
import { malformedXml } from './parse-xml-document.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function tooLarge(maxBytes: number): OssError {
  return new OssError('InvalidArgument', {
    message: `The request body exceeds ${maxBytes} bytes.`,
    extra: [['ArgumentName', 'Content-Length']],
  });
}

async function collect(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

export interface XmlBodyOptions {
  readonly maxBytes: number;
  /** When true, a missing Content-MD5 is refused (DeleteMultipleObjects, OSS EC 0016-00000606). */
  readonly requireContentMd5?: boolean;
}

/** The body as text; throws InvalidArgument (too large / no Content-MD5), InvalidDigest, MalformedXML. */
export async function readXmlBody(req: IncomingMessage, options: XmlBodyOptions): Promise<string> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > options.maxBytes) throw tooLarge(options.maxBytes);
  const expectedMd5 = readContentMd5(req.headers);
  if (expectedMd5 === undefined && options.requireContentMd5 === true) {
    throw new OssError('InvalidArgument', {
      message: 'Missing required header for this request: Content-MD5.',
      ec: '0016-00000606',
      extra: [['ArgumentName', 'Content-MD5']],
    });
  }
  const body = await collect(req, options.maxBytes);
  if (expectedMd5 !== undefined && createHash('md5').update(body).digest('base64') !== expectedMd5) {
    throw new OssError('InvalidDigest');
  }
  try {
    return utf8.decode(body);
  } catch {
    throw malformedXml('The request body is not valid UTF-8.');
  }
}
