import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../config/config-error.js';
import { parseServerFlags, type Env } from '../config/parse-server-flags.js';

function storeOf(argv: string[], env: Env = {}) {
  return parseServerFlags(argv, env, '/').store;
}

function problemsOf(argv: string[], env: Env = {}): readonly string[] {
  try {
    parseServerFlags(argv, env, '/');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('--store flags', () => {
  it('uses the embedded store unless told otherwise', () => {
    assert.deepEqual(storeOf([]), { kind: 'fs' });
  });

  it('reads the S3 gateway settings from flags', () => {
    const store = storeOf([
      '--store', 's3',
      '--s3-endpoint', 'http://127.0.0.1:7480/',
      '--s3-bucket-map', 'uploads=ceph-uploads,media=ceph-media',
      '--s3-bucket-map', 'logs=ceph-logs',
      '--s3-access-key', 'AK',
      '--s3-secret-key', 'SK',
      '--s3-request-timeout-ms', '12000',
    ]); // prettier-ignore
    assert.deepEqual(store, {
      kind: 's3',
      s3: {
        connection: {
          endpoint: 'http://127.0.0.1:7480',
          region: 'us-east-1',
          accessKeyId: 'AK',
          secretAccessKey: 'SK',
          forcePathStyle: true,
          requestTimeoutMs: 12_000,
        },
        bucketMap: { uploads: 'ceph-uploads', media: 'ceph-media', logs: 'ceph-logs' },
        bucketPrefix: '',
        bucketCacheMs: 1000,
      },
    });
  });

  it('reads them from UPCALL_* variables, credentials also from AWS_* ones', () => {
    const env: Env = {
      UPCALL_STORE: 's3',
      UPCALL_S3_ENDPOINT: 'https://s3.internal',
      UPCALL_S3_BUCKET_MAP: 'uploads=prod',
      UPCALL_S3_REGION: 'eu-west-1',
      UPCALL_S3_FORCE_PATH_STYLE: 'false',
      UPCALL_S3_BUCKET_PREFIX: 'oss-',
      AWS_ACCESS_KEY_ID: 'AWSAK',
      AWS_SECRET_ACCESS_KEY: 'AWSSK',
    };
    const store = storeOf([], env);
    assert.equal(store.kind, 's3');
    assert.deepEqual(store.kind === 's3' ? store.s3 : undefined, {
      connection: {
        endpoint: 'https://s3.internal',
        region: 'eu-west-1',
        accessKeyId: 'AWSAK',
        secretAccessKey: 'AWSSK',
        forcePathStyle: false,
        requestTimeoutMs: 30_000,
      },
      bucketMap: { uploads: 'prod' },
      bucketPrefix: 'oss-',
      bucketCacheMs: 1000,
    });
    const upcallKeys = storeOf([], { ...env, UPCALL_S3_ACCESS_KEY: 'U', UPCALL_S3_SECRET_KEY: 'S' });
    assert.equal(upcallKeys.kind === 's3' ? upcallKeys.s3.connection.accessKeyId : '', 'U');
  });

  it('leaves credentials to the SDK chain and path style off without an endpoint (AWS S3)', () => {
    const store = storeOf(['--store', 's3']);
    assert.deepEqual(store.kind === 's3' ? store.s3.connection : undefined, {
      region: 'us-east-1',
      accessKeyId: undefined,
      secretAccessKey: undefined,
      forcePathStyle: false,
      requestTimeoutMs: 30_000,
    });
  });

  it('reports S3 flags without --store s3, half a key pair, bad maps and endpoints', () => {
    assert.match(problemsOf(['--s3-endpoint', 'http://x:1'])[0] ?? '', /needs --store s3/);
    assert.match(problemsOf(['--store', 's3', '--s3-access-key', 'AK'])[0] ?? '', /both --s3-access-key/);
    assert.match(
      problemsOf(['--store', 's3', '--s3-bucket-map', 'uploads'])[0] ?? '',
      /OSS-BUCKET=BACKEND-BUCKET/,
    );
    assert.match(
      problemsOf(['--store', 's3', '--s3-bucket-map', 'aa1=bb1', '--s3-bucket-map', 'aa1=cc1'])[0] ?? '',
      /twice/,
    );
    assert.match(problemsOf(['--store', 's3', '--s3-endpoint', 'http://x/path'])[0] ?? '', /without path/);
    assert.match(problemsOf(['--store', 'gcs'])[0] ?? '', /one of fs, s3/);
  });
});
