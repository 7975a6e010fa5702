// Everything decided when the file part starts, before a byte is stored (oss-protocol §3.9 steps 3–12):
// authentication and policy, the final key, object properties, the callback, the overwrite pre-check and
// the size range. Throws OssError.
import { OssError, checkPolicyCoversFields, type PostPolicy } from '@upcall/protocol';
import type { BucketInfo, NewObjectMeta } from '../../store/object-store.js';
import type { ServerDeps } from '../../http/request-context.js';
import { validateObjectKey } from '../validate-object-key.js';
import { authorizePostForm, checkPostAccess } from './authorize-post-form.js';
import { buildPostObjectMeta, readForbidOverwrite } from './build-post-object-meta.js';
import type { PostEnvelope } from './check-post-envelope.js';
import { postFormFields } from './post-form-fields.js';
import type { PostFormLimits } from './post-form-limits.js';
import type { PostFormFile } from './read-post-form.js';
import { readPostCallback, type PostCallbackRequest } from './read-post-callback.js';
import { renderPostKey } from './render-post-key.js';

export interface PostUploadPlan {
  readonly meta: NewObjectMeta;
  readonly policy: PostPolicy | undefined;
  /** min(content-length-range max, server max) (§3.7, §4.5). */
  readonly maxBytes: number;
  readonly callback: PostCallbackRequest | undefined;
  readonly forbidOverwrite: boolean;
}

export interface PlanPostUploadInput {
  readonly deps: ServerDeps;
  readonly bucket: BucketInfo;
  readonly envelope: PostEnvelope;
  readonly form: PostFormFile;
  readonly limits: PostFormLimits;
}

export async function planPostUpload(input: PlanPostUploadInput): Promise<PostUploadPlan> {
  const { deps, bucket, form } = input;
  const { fields } = form;
  const auth = authorizePostForm({ fields, bucket, nowMs: deps.now(), lookupSecret: deps.lookupSecret });
  const policy = auth.mode === 'anonymous' ? undefined : auth.policy;
  // --strict-post-policy: every field signed, as S3 requires (threats §C2 item 19); OSS default: not.
  if (policy !== undefined && deps.config.strictPostPolicy === true) {
    const verdict = checkPolicyCoversFields(policy, fields.keys());
    if (!verdict.ok) throw verdict.error;
  }
  // `${filename}` is expanded only now: the policy saw the template (§3.5, §4.4).
  const key = validateObjectKey(renderPostKey(fields.get(postFormFields.key) ?? '', form.filename));
  checkPostAccess(auth, bucket.name, key);
  const meta = buildPostObjectMeta({
    bucket: bucket.name,
    key,
    fields,
    partContentType: form.partContentType,
    objectAclHeader: input.envelope.objectAclHeader,
  });
  const callback = readPostCallback(fields, deps.config.callbackTargets, input.limits.maxFieldValueBytes);
  const forbidOverwrite = readForbidOverwrite(fields);
  // Cheap early answer; the commit re-checks atomically (store contract).
  if (forbidOverwrite && (await deps.store.head(bucket.name, key)) !== undefined) {
    throw new OssError('FileAlreadyExists');
  }
  const rangeMax = policy?.contentLengthRange?.maxBytes ?? Number.POSITIVE_INFINITY;
  return {
    meta,
    policy,
    maxBytes: Math.min(rangeMax, deps.config.maxObjectBytes),
    callback,
    forbidOverwrite,
  };
}
