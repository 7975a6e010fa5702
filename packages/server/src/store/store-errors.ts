// The OssErrors every store throws for a missing bucket or upload, with OSS's extra elements.
import { OssError } from '@upcall/protocol';

export function noSuchBucket(name: string): OssError {
  return new OssError('NoSuchBucket', { extra: [['BucketName', name]] });
}

export function noSuchUpload(uploadId: string): OssError {
  return new OssError('NoSuchUpload', { extra: [['UploadId', uploadId]] });
}
