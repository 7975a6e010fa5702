// `x-oss-copy-source: /<bucket>/<key>` (OSS CopyObject, UploadPartCopy): the key is URL-encoded by the
// SDKs (ali-oss encodes it whole, `/` as `%2F`; others keep `/`), decoded here as UTF-8 with `+` kept
// literal, exactly like request paths (http/parse-request-target.ts). A `?versionId=` suffix names a
// version, which this server does not keep ⇒ NotImplemented.
import { OssError } from '@upcall/protocol';
import { decodeUrlComponent } from '../decode-url-component.js';
import { isValidBucketName } from '../../store/bucket-name.js';
import { validateObjectKey } from '../validate-object-key.js';
import { objectHeaderNames } from './object-header-names.js';

export interface CopySource {
  readonly bucket: string;
  readonly key: string;
}

function invalidCopySource(value: string): OssError {
  return new OssError('InvalidArgument', {
    message: 'Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.',
    extra: [
      ['ArgumentName', objectHeaderNames.copySource],
      ['ArgumentValue', value],
    ],
  });
}

export function parseCopySource(value: string): CopySource {
  const question = value.indexOf('?');
  if (question !== -1) {
    if (value.slice(question + 1).startsWith('versionId=')) {
      throw new OssError('NotImplemented', {
        message: 'Copying a specific object version is not supported.',
      });
    }
    throw invalidCopySource(value);
  }
  const path = value.startsWith('/') ? value.slice(1) : value;
  const slash = path.indexOf('/');
  if (slash <= 0) throw invalidCopySource(value);
  const bucket = decodeUrlComponent(path.slice(0, slash));
  const key = decodeUrlComponent(path.slice(slash + 1));
  if (bucket === undefined || !isValidBucketName(bucket) || key === undefined || key === '') {
    throw invalidCopySource(value);
  }
  return { bucket, key: validateObjectKey(key) };
}
