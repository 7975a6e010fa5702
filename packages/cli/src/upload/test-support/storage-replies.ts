// Storage's answers as OSS sends them (oss-protocol §3.8 success, §9.6 203 CallbackFailed, §10.1 error
// XML), built with @upcall/protocol's own error encoder so the documents are the real shape.
import { encodeErrorXml, OssError, type OssErrorCode } from '@upcall/protocol';
import type { StorageReply } from './serve-loopback-storage.js';

function errorReply(error: OssError, requestId: string): StorageReply {
  return {
    status: error.status,
    headers: { 'content-type': 'application/xml', 'x-oss-request-id': requestId },
    body: encodeErrorXml(error, { requestId, hostId: 'uploads.127.0.0.1' }),
  };
}

/** 200 relaying the app's callback reply (success_action_status is ignored with a callback, §9.6). */
export function replyConfirmed(callbackReply: unknown, requestId = 'RID-OK'): StorageReply {
  return {
    status: 200,
    headers: {
      'content-type': 'application/json',
      'x-oss-request-id': requestId,
      etag: '"5EB63BBBE01EEED093CB22BB8F5ACDC3"',
    },
    body: JSON.stringify(callbackReply),
  };
}

/** 204 with no body: stored, no callback in the ticket (§3.8 default success_action_status). */
export function replyStored(): StorageReply {
  return { status: 204, headers: { 'x-oss-request-id': 'RID-204' } };
}

/** 203: the object is stored, the app's callback failed (§9.6). */
export function replyCallbackFailed(requestId = 'RID-203'): StorageReply {
  return errorReply(new OssError('CallbackFailed'), requestId);
}

export function replyError(code: OssErrorCode, requestId = 'RID-ERR'): StorageReply {
  return errorReply(new OssError(code), requestId);
}
