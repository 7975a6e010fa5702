// Test helper: one PostObject (V1-signed policy, as an application server would issue it) with an upload
// callback, sent over real HTTP to an Upcall server on 127.0.0.1.
import {
  buildFormParts,
  buildMultipartBody,
} from '../../operations/post-object/testing/build-multipart-body.js';
import {
  sendForm,
  signPolicyFields,
  type FormResponse,
} from '../../operations/post-object/testing/post-form-client.js';

export interface CallbackUploadInput {
  readonly port: number;
  readonly bucket: string;
  readonly key: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** The server's clock (policies are checked against it). */
  readonly nowMs: number;
  readonly callbackUrl: string;
}

export function postCallbackUpload(input: CallbackUploadInput): Promise<FormResponse> {
  const callback = {
    callbackUrl: input.callbackUrl,
    callbackBody: 'bucket=${bucket}&object=${object}&size=${size}&uid=${x:uid}',
  };
  const fields: Array<[string, string]> = [
    ['key', input.key],
    ['x:uid', '42'],
    ['callback', Buffer.from(JSON.stringify(callback), 'utf8').toString('base64')],
    ...signPolicyFields({
      version: 'v1',
      accessKeyId: input.accessKeyId,
      secret: input.accessKeySecret,
      nowMs: input.nowMs,
      conditions: [{ bucket: input.bucket }],
    }),
  ];
  const { body, contentType } = buildMultipartBody(buildFormParts(fields, { content: 'hi oss' }));
  return sendForm({ port: input.port, bucket: input.bucket, body, contentType });
}
