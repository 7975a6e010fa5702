// What every operation receives: the raw request/response plus the resolved addressing, and the server's
// injected dependencies. Operations read as a short list of named steps and throw OssError; the HTTP core
// turns any thrown error into OSS error XML in one place (http/send-error.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { ObjectStore } from '../store/object-store.js';
import type { ServerConfig } from '../config/server-config.js';
import type { RequestAuthScheme } from '@upcall/protocol';
import type { AccessKeyLookup, StsRuntime } from '../sts/create-access-key-lookup.js';
import type { StsSession } from '../sts/sts-token.js';

/**
 * Who the HTTP core authenticated the request as (http/authorize-request.ts). Absent for operations that
 * authenticate themselves (PostObject: form-field policy signature, oss-protocol §2, §5).
 */
export type RequestPrincipal =
  | { readonly kind: 'anonymous' }
  | {
      readonly kind: 'signed';
      readonly accessKeyId: string;
      readonly scheme: RequestAuthScheme;
      /** Set for temporary STS credentials (already authorized for this operation). */
      readonly session?: StsSession;
    };

export interface RequestContext {
  readonly requestId: string;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Bucket resolved from virtual-host or path style; undefined for service-level requests. */
  readonly bucket: string | undefined;
  /** Object key, percent-decoded; undefined when the request addresses the bucket itself. */
  readonly key: string | undefined;
  /** Decoded query parameters in order of appearance. */
  readonly query: ReadonlyArray<readonly [string, string]>;
  /** The raw query string as received (without '?'). */
  readonly rawQuery: string;
  /** `HostId` for error XML: the Host header the client addressed. */
  readonly hostId: string;
  readonly clientIp: string;
  readonly startedMs: number;
  readonly log: Logger;
  /** How the request addressed its bucket (oss-protocol §2). */
  readonly addressing?: 'virtual-hosted' | 'path' | 'custom-domain';
  /** Set by the HTTP core's auth dispatch; undefined for self-authenticating operations. */
  readonly principal?: RequestPrincipal;
}

export interface CallbackSigningKey {
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  /** The URL at which this server serves publicKeyPem; sent base64-encoded as x-oss-pub-key-url. */
  readonly publicKeyUrl: string;
}

export interface ServerDeps {
  readonly config: ServerConfig;
  readonly store: ObjectStore;
  readonly callbackKey: CallbackSigningKey;
  /** Injected clock (ms since epoch). */
  readonly now: () => number;
  /**
   * Credential lookup for every signature scheme; undefined = unknown AccessKeyId. Temporary STS keys are
   * opened from the token the request carries and may throw InvalidSecurityToken / SecurityTokenExpired
   * (sts/create-access-key-lookup.ts).
   */
  readonly lookupSecret: AccessKeyLookup;
  /** The local STS's keys; undefined = STS off. */
  readonly sts?: StsRuntime;
  readonly log: Logger;
  /** Request-id source (24 upper-case hex, §10.1); injected for deterministic tests. */
  readonly newRequestId?: () => string;
}

export type Operation = (ctx: RequestContext, deps: ServerDeps) => Promise<void>;
