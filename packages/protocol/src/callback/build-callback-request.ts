// The callback request OSS sends to the application server (oss-protocol §9.2): POST, body = rendered
// callbackBody, signed per §9.3. Pure apart from the signature: the clock (dateMs), request id, key and
// the public-key URL are all inputs. Sending it (timeouts, no redirects, target policy) is the server's job.
import { createHash, type KeyObject } from 'node:crypto';
import { buildCallbackStringToSign, signCallback } from './callback-signature.js';
import type { CallbackUrl } from './callback-url.js';
import type { CallbackConfig } from './parse-callback-param.js';
import {
  callbackRequestHeaderNames as names,
  callbackRequestHeaderValues as values,
} from './callback-wire-names.js';

export interface BuildCallbackRequestInput {
  /** One of config.urls (they are tried in order, each with its own request). */
  readonly url: CallbackUrl;
  readonly config: Pick<CallbackConfig, 'host' | 'bodyType'>;
  /** From renderCallbackBody. */
  readonly body: Uint8Array;
  /** Where this server publishes its public key (sent base64-encoded as x-oss-pub-key-url). */
  readonly publicKeyUrl: string;
  /** x-oss-request-id of the upload request. */
  readonly requestId: string;
  readonly bucket: string;
  /** Time for the Date header (ms since the epoch). */
  readonly dateMs: number;
  readonly privateKey: KeyObject;
}

export interface CallbackRequest {
  readonly method: 'POST';
  readonly url: CallbackUrl;
  /** In sending order; names spelled as OSS sends them. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Uint8Array;
}

export async function buildCallbackRequest(input: BuildCallbackRequestInput): Promise<CallbackRequest> {
  const { url, config, body } = input;
  const authorization = await signCallback(
    buildCallbackStringToSign(url.requestTarget, body),
    input.privateKey,
  );
  const headers: Array<readonly [string, string]> = [
    [names.host, config.host ?? url.host],
    [names.contentType, config.bodyType],
    [names.contentLength, String(body.length)],
    [names.contentMd5, createHash('md5').update(body).digest('base64')],
    [names.date, new Date(input.dateMs).toUTCString()], // RFC 1123 "Tue, 07 May 2024 03:06:13 GMT"
    [names.authorization, authorization],
    [names.pubKeyUrl, Buffer.from(input.publicKeyUrl, 'utf8').toString('base64')],
    [names.requestId, input.requestId],
    [names.bucket, input.bucket],
    [names.tag, values.tag],
    [names.signatureVersion, values.signatureVersion],
    [names.userAgent, values.userAgent],
  ];
  return { method: 'POST', url, headers, body };
}
