// The values substituted into callbackBody (oss-protocol §8.4) for any upload operation: PutObject,
// PostObject and CompleteMultipartUpload. Only `operation` and the checksums differ between them
// (`contentMd5` is empty for CompleteMultipartUpload, §8.4).
import type { CallbackCustomVars, CallbackVars, UploadDigest } from '@upcall/protocol';
import { readImageInfo } from '../../callback/read-image-info.js';

export type UploadCallbackOperation = 'PutObject' | 'PostObject' | 'CompleteMultipartUpload';

export interface UploadCallbackVarsInput {
  readonly operation: UploadCallbackOperation;
  readonly bucket: string;
  readonly key: string;
  readonly digest: Pick<UploadDigest, 'etagHex' | 'size' | 'crc64' | 'contentMd5'>;
  readonly contentType: string;
  /** The object's first bytes (empty when no `${imageInfo.*}` is used). */
  readonly head: Uint8Array;
  readonly clientIp: string;
  readonly requestId: string;
  readonly customVars: CallbackCustomVars;
}

export function buildUploadCallbackVars(input: UploadCallbackVarsInput): CallbackVars {
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
      operation: input.operation,
    },
    custom: input.customVars,
  };
}
