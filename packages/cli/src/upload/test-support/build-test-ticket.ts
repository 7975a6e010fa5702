// Tickets shaped like app-kit's (oss-protocol §13, docs/app-kit.md "What a ticket signs"): an exact key,
// V4 signature fields, a pinned callback and a one-time upload id, with `success_action_status` 200 so
// storage relays the callback reply. Signatures are placeholders: the storage in these tests checks
// nothing, it only records what arrived.
import type { ReceivedTicketRequest } from './serve-loopback-storage.js';

export interface TestTicket {
  readonly host: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly expire: number;
  readonly key: string;
  readonly uploadId: string;
}

let counter = 0;

export function buildTestTicket(request: ReceivedTicketRequest, origin: string): TestTicket {
  counter += 1;
  const { fileName } = request.json as { fileName: string };
  const key = `uploads/alice/${counter}-${fileName}`;
  const uploadId = `upload-${counter}`;
  const callback = JSON.stringify({
    callbackUrl: 'http://127.0.0.1:3000/upload/callback',
    callbackBody: 'bucket=${bucket}&object=${object}&size=${size}&upload_id=${x:upload_id}',
  });
  return {
    host: origin,
    fields: {
      key,
      'x-oss-forbid-overwrite': 'true',
      success_action_status: '200',
      callback: Buffer.from(callback).toString('base64'),
      'x:upload_id': uploadId,
      'x-oss-signature-version': 'OSS4-HMAC-SHA256',
      'x-oss-credential': 'LTAI5tExample/20250101/cn-hangzhou/oss/aliyun_v4_request',
      'x-oss-date': '20250101T000000Z',
      policy: Buffer.from('{"expiration":"2030-01-01T00:00:00.000Z","conditions":[]}').toString('base64'),
      'x-oss-signature': 'ab'.repeat(32),
    },
    expire: Math.floor(Date.now() / 1000) + 300,
    key,
    uploadId,
  };
}
