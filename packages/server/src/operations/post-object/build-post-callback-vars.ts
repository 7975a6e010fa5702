// The values substituted into callbackBody for a PostObject upload (oss-protocol §8.4).
import type { CallbackCustomVars, CallbackVars, UploadDigest } from '@upcall/protocol';
import { readImageInfo } from '../../callback/read-image-info.js';

export interface PostCallbackVarsInput {
  readonly bucket: string;
  readonly key: string;
  readonly digest: UploadDigest;
  readonly contentType: string;
  /** The file's first bytes (empty when no `${imageInfo.*}` is used). */
  readonly head: Uint8Array;
  readonly clientIp: string;
  readonly requestId: string;
  readonly customVars: CallbackCustomVars;
}

export function buildPostCallbackVars(input: PostCallbackVarsInput): CallbackVars {
  return {
    system: {
      bucket: input.bucket,
      object: input.key,
      etag: input.digest.etagHex, // unquoted in the body (§8.4, D6 example)
      size: input.digest.size,
      mimeType: input.contentType,
      imageInfo: readImageInfo(input.head),
      crc64: input.digest.crc64,
      contentMd5: input.digest.contentMd5,
      vpcId: '', // no VPCs here (§8.4: empty when not via VPC)
      clientIp: input.clientIp,
      reqId: input.requestId,
      operation: 'PostObject',
    },
    custom: input.customVars,
  };
}
