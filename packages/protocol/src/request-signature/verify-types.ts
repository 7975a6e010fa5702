// Shapes shared by the request-signature verifiers.
import type { OssError } from '../errors/index.js';
import type { HeaderInput } from './request-parts.js';

/** What the server knows about an incoming request, before any body is read. */
export interface SignedRequest {
  method: string;
  bucket?: string | undefined;
  key?: string | undefined;
  /** Decoded query parameters, in request order. */
  query: ReadonlyArray<readonly [string, string]>;
  /** Header values by lower-case name (other cases are tolerated). */
  headers: HeaderInput;
}

export interface AccessKeyRecord {
  secret: string;
  /** Set for STS credentials: the request must carry exactly this token. */
  securityToken?: string | undefined;
}

export interface VerifyRequestDeps {
  /**
   * `securityToken` is the STS token the request carries (header, query or form field), so a server can
   * open stateless STS credentials; lookups of permanent keys ignore it.
   */
  lookupSecret(accessKeyId: string, securityToken?: string): AccessKeyRecord | undefined;
  nowMs: number;
  /**
   * Regions this server answers for. When given, a V4 credential naming another region is rejected;
   * when omitted any region is accepted (the signature still binds it).
   */
  regions?: readonly string[] | undefined;
}

export type RequestAuthScheme = 'v1-header' | 'v1-presigned' | 'v4-header' | 'v4-presigned';

export type VerifyRequestResult =
  { ok: true; accessKeyId: string; scheme: RequestAuthScheme } | { ok: false; error: OssError };
