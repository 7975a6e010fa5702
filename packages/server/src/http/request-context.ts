// What every operation receives: the raw request/response plus the resolved addressing, and the server's
// injected dependencies. Operations read as a short list of named steps and throw OssError; the HTTP core
// turns any thrown error into OSS error XML in one place (http/send-error.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { ObjectStore } from '../store/object-store.js';
import type { ServerConfig } from '../config/server-config.js';

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
  /** Credential lookup for V1/V4 signatures; undefined = unknown AccessKeyId. */
  readonly lookupSecret: (accessKeyId: string) => { secret: string; securityToken?: string } | undefined;
  readonly log: Logger;
}

export type Operation = (ctx: RequestContext, deps: ServerDeps) => Promise<void>;
