// Maps what the multipart layer can throw onto OSS codes (oss-protocol §3.1, §10.2): busboy's framing
// errors and a request that ended or was cut early are `MalformedPOSTRequest` (OSS EC 0006-00000104
// also covers "incomplete due to network interruptions", threats §C3.28); OssErrors pass through; anything
// else (a store write failure, a bug) is left for the HTTP core to report as InternalError.
import { OssError } from '@upcall/protocol';

const framingMessages = new Set([
  'Malformed part header',
  'Unexpected end of form',
  'Unexpected end of file',
  'Malformed content type',
  'Multipart: Boundary not found',
  'form reading stopped',
  'aborted',
]);

const earlyEndCodes = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET']);

export function toPostFormError(error: unknown): unknown {
  if (error instanceof OssError) return error;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (framingMessages.has(error.message) || (code !== undefined && earlyEndCodes.has(code))) {
      return new OssError('MalformedPOSTRequest', { cause: error });
    }
  }
  return error;
}
