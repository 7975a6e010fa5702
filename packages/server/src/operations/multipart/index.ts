// Multipart upload operations (InitiateMultipartUpload, UploadPart, CompleteMultipartUpload,
// AbortMultipartUpload, ListParts, ListMultipartUploads). Placeholders until implemented.
import { OssError } from '@upcall/protocol';
import type { Operation } from '../../http/request-context.js';

const notImplemented: Operation = () => Promise.reject(new OssError('NotImplemented'));

export const initiateMultipartUpload: Operation = notImplemented;
export const uploadPart: Operation = notImplemented;
export const completeMultipartUpload: Operation = notImplemented;
export const abortMultipartUpload: Operation = notImplemented;
export const listParts: Operation = notImplemented;
export const listMultipartUploads: Operation = notImplemented;
