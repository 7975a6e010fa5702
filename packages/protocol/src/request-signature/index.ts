// Request signatures V1 and V4 — header and presigned URL, signing and verifying (oss-protocol §6, §7).
// Only the public surface is re-exported; helpers (encoders, date formats, header lookups) stay private
// so they cannot collide with other modules' names in the root index.
export type { HeaderInput, QueryInput } from './request-parts.js';
export { v1SubResourceNames, isV1SubResource } from './v1-sub-resources.js';
export { buildCanonicalResourceV1, type CanonicalResourceV1Input } from './canonical-resource-v1.js';
export {
  buildCanonicalizedOssHeadersV1,
  buildStringToSignV1,
  signV1,
  type StringToSignV1Input,
} from './string-to-sign-v1.js';
export {
  buildCanonicalQueryV4,
  buildCanonicalRequestV4,
  buildCanonicalUriV4,
  filterAdditionalHeadersV4,
  type CanonicalRequestV4Input,
} from './canonical-request-v4.js';
export {
  buildScopeV4,
  buildStringToSignV4,
  signV4,
  type ScopeV4,
  type StringToSignV4Input,
} from './string-to-sign-v4.js';
export {
  parseAuthorizationHeader,
  type AuthorizationV1,
  type AuthorizationV4,
  type ParsedAuthorization,
} from './parse-authorization-header.js';
export {
  detectPresigned,
  type PresignedAuth,
  type PresignedV1,
  type PresignedV4,
} from './detect-presigned.js';
export { parseRequestAuth, verifyRequestSignature, type RequestAuth } from './verify-request-signature.js';
export type {
  AccessKeyRecord,
  RequestAuthScheme,
  SignedRequest,
  VerifyRequestDeps,
  VerifyRequestResult,
} from './verify-types.js';
export type { PresignTarget, SentHeaders, SigningCredentials } from './signing-output.js';
export {
  presignUrlV1,
  signRequestV1Header,
  type PresignedUrlResult,
  type PresignUrlV1Input,
  type SignedRequestV1Header,
  type SignRequestV1HeaderInput,
} from './sign-request-v1.js';
export {
  presignUrlV4,
  signRequestV4Header,
  type PresignedUrlV4Result,
  type PresignUrlV4Input,
  type SignedRequestV4Header,
  type SignRequestV4HeaderInput,
} from './sign-request-v4.js';
