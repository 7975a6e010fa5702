// The values substituted into callbackBody for a PostObject upload (oss-protocol §8.4): the shared
// upload builder (operations/upload/build-upload-callback-vars.ts) with `operation` = PostObject.
import type { CallbackCustomVars, CallbackVars, UploadDigest } from '@upcall/protocol';
import { buildUploadCallbackVars } from '../upload/build-upload-callback-vars.js';

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
  return buildUploadCallbackVars({ ...input, operation: 'PostObject' });
}
