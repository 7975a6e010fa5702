// Renders an OssError as OSS's error document (oss-protocol §10.1):
// Code, Message, RequestId, HostId, then the code-specific extras in order, then EC and RecommendDoc.
import { encodeXmlText } from './encode-xml-text.js';
import type { OssError } from './oss-error.js';

export interface ErrorXmlContext {
  readonly requestId: string;
  readonly hostId: string;
}

const elementName = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** `https://api.aliyun.com/troubleshoot?q=<EC>` as newer OSS responses carry it (§10.1). */
export function buildRecommendDocUrl(ec: string): string {
  return `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(ec)}`;
}

function element(name: string, value: string): string {
  // Extra element names come from our own code, never from the request; a bad one is a bug.
  if (!elementName.test(name)) throw new RangeError(`invalid XML element name: ${JSON.stringify(name)}`);
  return `  <${name}>${encodeXmlText(value)}</${name}>\n`;
}

export function encodeErrorXml(error: OssError, ctx: ErrorXmlContext): string {
  let body = element('Code', error.code);
  body += element('Message', error.message);
  body += element('RequestId', ctx.requestId);
  body += element('HostId', ctx.hostId);
  for (const [name, value] of error.extra) body += element(name, value);
  if (error.ec !== undefined) {
    body += element('EC', error.ec);
    body += element('RecommendDoc', buildRecommendDocUrl(error.ec));
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n${body}</Error>\n`;
}
