// PostObject with a callback (oss-protocol §9.6): the application's reply is relayed verbatim with 200
// (whatever success_action_status/redirect said, §3.8 recommendation); if every URL failed, 203 with a
// CallbackFailed error document — written here rather than thrown, because the upload headers (ETag,
// CRC-64, Content-MD5) must stay on it and the object stays stored (§9.6, G2 mock).
import type { ServerResponse } from 'node:http';
import { OssError, encodeErrorXml } from '@upcall/protocol';
import type { UploadCallbackOutcome } from '../../callback/send-upload-callback.js';

export interface CallbackResultContext {
  readonly requestId: string;
  readonly hostId: string;
}

export function sendPostCallbackResult(
  res: ServerResponse,
  outcome: UploadCallbackOutcome,
  ctx: CallbackResultContext,
): void {
  if (outcome.ok) {
    res.statusCode = 200;
    res.setHeader('Content-Type', outcome.contentType);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Length', outcome.body.length);
    res.end(outcome.body);
    return;
  }
  const error = new OssError('CallbackFailed', { message: outcome.message, ec: outcome.ec });
  const xml = encodeErrorXml(error, ctx);
  res.statusCode = error.status;
  res.setHeader('Content-Type', 'application/xml');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (error.ec !== undefined) res.setHeader('x-oss-ec', error.ec);
  res.setHeader('Content-Length', Buffer.byteLength(xml));
  res.end(xml);
}
