// `upcall server --store s3 …`: the settings of the gateway store, read from the flags of the
// `--store s3` block in config/server-flags.ts and their environment variables, and the one function
// server.ts calls to open the store. docs/scale-out.md describes the deployment.
import type { Env, FlagReader } from '../config/flag-reader.js';
import { integer, oneOf, parseSwitch } from '../config/flag-reader.js';
import { S3BucketMap, parseS3BucketMap } from './s3-bucket-map.js';
import { createS3Client, defaultRequestTimeoutMs, type S3Connection } from './s3-client.js';
import { S3ObjectStore } from './s3-object-store.js';

export interface S3StoreConfig {
  readonly connection: S3Connection;
  /** OSS bucket → backend bucket (`--s3-bucket-map`). */
  readonly bucketMap: Readonly<Record<string, string>>;
  /** Backend bucket of an unmapped OSS bucket: prefix + name (`--s3-bucket-prefix`, default ''). */
  readonly bucketPrefix: string;
  /** How long an instance trusts a bucket record (ACL, CORS) it read (`--s3-bucket-cache-ms`). */
  readonly bucketCacheMs: number;
}

/** Which object store the server runs on: the embedded one in --data-dir, or the S3 gateway store. */
export type StoreConfig = { readonly kind: 'fs' } | { readonly kind: 's3'; readonly s3: S3StoreConfig };

/** The --store flag names besides `store` itself, to refuse them with the embedded store. */
const s3FlagNames = [
  's3-endpoint',
  's3-region',
  's3-bucket-map',
  's3-bucket-prefix',
  's3-access-key',
  's3-secret-key',
  's3-force-path-style',
  's3-bucket-cache-ms',
  's3-request-timeout-ms',
] as const;

function parseEndpointUrl(text: string): string {
  const url = new URL(text);
  if (!/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search !== '' || url.username !== '') {
    throw new Error('must be an http(s) URL without path, query or credentials');
  }
  return url.origin;
}

function parseMap(text: string): Record<string, string> {
  return parseS3BucketMap([text]);
}

function readCredentials(
  reader: FlagReader,
  env: Env,
): Pick<S3Connection, 'accessKeyId' | 'secretAccessKey'> {
  const keyId =
    reader.one<string | undefined>('s3-access-key', (text) => text, undefined) ?? env.AWS_ACCESS_KEY_ID;
  const secret =
    reader.one<string | undefined>('s3-secret-key', (text) => text, undefined) ?? env.AWS_SECRET_ACCESS_KEY;
  if ((keyId === undefined) !== (secret === undefined)) {
    reader.problems.push(
      'Give both --s3-access-key and --s3-secret-key (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or neither.',
    );
  }
  return { accessKeyId: keyId, secretAccessKey: secret };
}

function readS3Config(reader: FlagReader, env: Env): S3StoreConfig {
  const endpoint = reader.one<string | undefined>('s3-endpoint', parseEndpointUrl, undefined);
  const maps = reader.many('s3-bucket-map', parseMap, []);
  const bucketMap: Record<string, string> = {};
  for (const map of maps) {
    for (const [oss, backend] of Object.entries(map)) {
      if (Object.hasOwn(bucketMap, oss)) reader.problems.push(`--s3-bucket-map maps ${oss} twice.`);
      bucketMap[oss] = backend;
    }
  }
  const bucketPrefix = reader.one(
    's3-bucket-prefix',
    (text) => {
      new S3BucketMap({ prefix: text });
      return text;
    },
    '',
  );
  try {
    new S3BucketMap({ entries: bucketMap, prefix: bucketPrefix });
  } catch (error) {
    reader.problems.push(`--s3-bucket-map: ${(error as Error).message}.`);
  }
  const connection: S3Connection = {
    ...(endpoint === undefined ? {} : { endpoint }),
    region: reader.one('s3-region', (text) => text, 'us-east-1'),
    ...readCredentials(reader, env),
    // Path-style by default on a custom endpoint: S3-compatible clusters rarely have wildcard DNS.
    forcePathStyle: reader.one('s3-force-path-style', parseSwitch, endpoint !== undefined),
    requestTimeoutMs: reader.one('s3-request-timeout-ms', integer(1_000, 600_000), defaultRequestTimeoutMs),
  };
  const bucketCacheMs = reader.one('s3-bucket-cache-ms', integer(0, 3_600_000), 1_000);
  return { connection, bucketMap, bucketPrefix, bucketCacheMs };
}

/** Reads `--store` and, for `s3`, the `--s3-*` flags (flags win over UPCALL_* over AWS_* variables). */
export function readStoreFlags(reader: FlagReader, env: Env): StoreConfig {
  const kind = reader.one('store', oneOf<'fs' | 's3'>(['fs', 's3']), 'fs');
  if (kind === 's3') return { kind, s3: readS3Config(reader, env) };
  const stray = s3FlagNames.filter((name) => reader.many(name, (text) => text, []).length > 0);
  if (stray.length > 0) reader.problems.push(`--${stray[0]} needs --store s3.`);
  return { kind };
}

/** Opens the gateway store; nothing is contacted until the first request (start-up creates buckets). */
export function openS3ObjectStore(
  config: S3StoreConfig,
  options: { now: () => number; warn: (message: string, detail: Record<string, unknown>) => void },
): S3ObjectStore {
  return new S3ObjectStore({
    client: createS3Client(config.connection),
    bucketMap: new S3BucketMap({ entries: config.bucketMap, prefix: config.bucketPrefix }),
    bucketCacheMs: config.bucketCacheMs,
    now: options.now,
    warn: options.warn,
  });
}
