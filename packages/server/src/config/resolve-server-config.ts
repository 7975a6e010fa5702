// Flags → the final ServerConfig: the one step that needs I/O (the generated key pair lives in the data
// directory, keys/read-or-create-credentials.ts).
import { readOrCreateCredentials } from '../keys/read-or-create-credentials.js';
import { readOrCreateStsKey } from '../sts/read-or-create-sts-key.js';
import type { ServerFlags } from './parse-server-flags.js';
import type { ServerConfig } from './server-config.js';

/** Where the access key pair came from, for the start-up banner. */
export type CredentialsSource =
  | { readonly kind: 'given' }
  | { readonly kind: 'stored'; readonly path: string }
  | { readonly kind: 'generated'; readonly path: string };

export interface ResolvedServerConfig {
  readonly config: ServerConfig;
  readonly credentialsSource: CredentialsSource;
}

export async function resolveServerConfig(flags: ServerFlags): Promise<ResolvedServerConfig> {
  let accessKeyId = flags.accessKeyId;
  let accessKeySecret = flags.accessKeySecret;
  let credentialsSource: CredentialsSource = { kind: 'given' };
  if (accessKeyId === undefined || accessKeySecret === undefined) {
    const stored = await readOrCreateCredentials(flags.dataDir);
    ({ accessKeyId, accessKeySecret } = stored);
    credentialsSource = { kind: stored.created ? 'generated' : 'stored', path: stored.path };
  }
  const stsKey = await readOrCreateStsKey({
    dataDir: flags.dataDir,
    keyText: flags.sts.stsKey,
    keyFile: flags.sts.stsKeyFile,
  });
  const config: ServerConfig = {
    host: flags.host,
    port: flags.port,
    dataDir: flags.dataDir,
    buckets: flags.buckets,
    bucketAcl: flags.bucketAcl,
    accessKeyId,
    accessKeySecret,
    callbackTargets: flags.callbackTargets,
    corsOrigins: flags.corsOrigins,
    publicEndpoint: flags.publicEndpoint,
    callbackTimeoutMs: flags.callbackTimeoutMs,
    callbackKeyBits: flags.callbackKeyBits,
    ...(flags.callbackPrivateKey === undefined ? {} : { callbackPrivateKeyFile: flags.callbackPrivateKey }),
    ...(flags.callbackKeyUrl === undefined ? {} : { callbackKeyUrl: flags.callbackKeyUrl }),
    devKeyProxy: flags.devKeyProxy,
    maxObjectBytes: flags.maxObjectBytes,
    shutdownGraceMs: flags.shutdownGraceMs,
    headersTimeoutMs: flags.headersTimeoutMs,
    idleTimeoutMs: flags.idleTimeoutMs,
    keepAliveTimeoutMs: flags.keepAliveTimeoutMs,
    maxConcurrentUploads: flags.maxConcurrentUploads,
    multipartMaxAgeMs: flags.multipartMaxAgeMs,
    minBodyBytesPerSec: flags.minBodyBytesPerSec,
    bodyRateWindowMs: flags.bodyRateWindowMs,
    strictPostPolicy: flags.strictPostPolicy,
    activeContentDisposition: flags.activeContentDisposition,
    logLevel: flags.logLevel,
    store: flags.store,
    sts: { key: stsKey.key, maxDurationSeconds: flags.sts.stsMaxDurationSeconds },
  };
  return { config, credentialsSource };
}
