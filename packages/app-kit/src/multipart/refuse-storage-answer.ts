// A storage answer app-kit did not expect becomes a MultipartRequestError carrying OSS's own code and
// request id (§10.1), so logs point at the storage request that failed.
import { decodeErrorXml } from '@upcall/protocol';
import { MultipartRequestError } from './multipart-request-error.js';
import type { StorageAnswer } from './send-storage-request.js';

export function readStorageErrorCode(answer: StorageAnswer): string | undefined {
  return decodeErrorXml(answer.bodyText)?.code;
}

export function refuseStorageAnswer(operation: string, answer: StorageAnswer): never {
  const decoded = decodeErrorXml(answer.bodyText);
  const detail =
    decoded === undefined ? answer.bodyText.slice(0, 200) : `${decoded.code}: ${decoded.message}`;
  const requestId = decoded?.requestId ?? answer.header('x-oss-request-id') ?? '';
  throw new MultipartRequestError(
    'storage-refused',
    `${operation} answered ${answer.status} (${detail})${requestId === '' ? '' : ` request ${requestId}`}`,
  );
}
