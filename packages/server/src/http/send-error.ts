// The one place that turns any thrown value into the HTTP response (oss-protocol §10.1, threats §B10):
// OssError → its status and the OSS error XML (Code, Message, RequestId, HostId, extras, EC) served as
// `application/xml` with `nosniff`; anything else → 500 InternalError, logged once with the request id.
// HEAD responses carry no body, so the XML travels Base64-encoded in `x-oss-err` (§10.1, ali-oss
// `requestError`, Go SDK `tryConvertServiceError`).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { OssError, encodeErrorXml, isOssError } from '@upcall/protocol';
import { lingerBeforeClose } from './linger-before-close.js';

export interface ErrorResponseContext {
  readonly requestId: string;
  readonly hostId: string;
  readonly log: Logger;
}

/** Headers that describe the exchange rather than the failed operation; they survive into the error. */
function isExchangeHeader(name: string): boolean {
  return (
    name === 'x-oss-request-id' ||
    name === 'server' ||
    name === 'date' ||
    name === 'vary' ||
    name.startsWith('access-control-')
  );
}

/**
 * An error answered before the request body was read: the body is not drained (a hostile or stalled
 * client could hold the connection for as long as it trickles bytes, threats §B9); the connection is
 * closed after the error document instead, as OSS and S3 do — with a bounded lingering close, so the
 * client still sending reads the answer rather than a reset (RFC 9112 §9.6, linger-before-close.ts).
 * Bodiless requests keep their keep-alive.
 */
function shouldCloseConnection(req: IncomingMessage): boolean {
  if (req.complete) return false;
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const declared = req.headers['content-length'];
  return declared !== undefined && declared !== '0';
}

// RFC 9110 §15.5.17: a 416 tells the client the current length (`Content-Range: bytes */<size>`).
function setUnsatisfiedRangeHeader(res: ServerResponse, error: OssError): void {
  if (error.code !== 'InvalidRange') return;
  const size = error.extra.find(([name]) => name === 'ActualObjectSize')?.[1];
  if (size !== undefined && /^\d+$/.test(size)) res.setHeader('Content-Range', `bytes */${size}`);
}

export function toOssError(error: unknown, ctx: ErrorResponseContext): OssError {
  if (isOssError(error)) return error;
  ctx.log.error({ err: error, requestId: ctx.requestId }, 'internal error');
  return new OssError('InternalError', { cause: error });
}

/** Sends `error` as the response; returns the OssError that was sent (for the request log line). */
export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  error: unknown,
  ctx: ErrorResponseContext,
): OssError {
  const ossError = toOssError(error, ctx);
  if (res.headersSent) {
    ctx.log.warn({ requestId: ctx.requestId, code: ossError.code }, 'error after response started');
    // Too late for an error document: the client must not mistake a truncated body for a whole one.
    if (!res.writableEnded) res.destroy();
    return ossError;
  }
  for (const name of res.getHeaderNames()) {
    if (!isExchangeHeader(name)) res.removeHeader(name);
  }
  const xml = encodeErrorXml(ossError, { requestId: ctx.requestId, hostId: ctx.hostId });
  res.statusCode = ossError.status;
  res.setHeader('Content-Type', 'application/xml');
  res.setHeader('Content-Length', Buffer.byteLength(xml));
  res.setHeader('x-oss-request-id', ctx.requestId);
  if (ossError.ec !== undefined) res.setHeader('x-oss-ec', ossError.ec);
  setUnsatisfiedRangeHeader(res, ossError);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (shouldCloseConnection(req)) {
    res.setHeader('Connection', 'close');
    lingerBeforeClose(req, res);
  }
  if (req.method === 'HEAD') {
    res.setHeader('x-oss-err', Buffer.from(xml, 'utf8').toString('base64'));
    res.end();
  } else {
    res.end(xml);
  }
  return ossError;
}
