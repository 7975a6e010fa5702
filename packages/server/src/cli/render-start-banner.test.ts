import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestConfig } from '../http/testing/start-test-server.js';
import type { ServerConfig } from '../config/server-config.js';
import { renderStartBanner, type StartBannerInput } from './render-start-banner.js';

function render(config: Partial<ServerConfig>, extra: Partial<StartBannerInput> = {}): string {
  return renderStartBanner({
    config: buildTestConfig({ dataDir: '/srv/.upcall', publicEndpoint: 'http://127.0.0.1:9000', ...config }),
    buckets: [{ name: 'uploads', acl: 'private', createdMs: 0 }],
    credentialsSource: { kind: 'given' },
    publicKeyUrl: 'http://127.0.0.1:9000/_upcall/callback-public-key-0.pem',
    callbackKeyCreated: false,
    ...extra,
  });
}

function rowOf(banner: string, label: string): string | undefined {
  return banner
    .split('\n')
    .find((line) => line.startsWith(`  ${label} `))
    ?.slice(label.length + 2)
    .trim();
}

describe('renderStartBanner', () => {
  it('names the embedded store and its data directory', () => {
    assert.equal(rowOf(render({}), 'store'), 'fs (embedded, in /srv/.upcall)');
    assert.equal(rowOf(render({ store: { kind: 'fs' } }), 'store'), 'fs (embedded, in /srv/.upcall)');
  });

  it('names the S3 gateway store with its endpoint and bucket map, never its credentials', () => {
    const banner = render({
      store: {
        kind: 's3',
        s3: {
          connection: {
            endpoint: 'http://ceph-rgw:7480',
            region: 'us-east-1',
            accessKeyId: 'BACKENDKEYID',
            secretAccessKey: 'backend-secret',
            forcePathStyle: true,
          },
          bucketMap: { uploads: 'prod-uploads', media: 'prod-media' },
          bucketPrefix: 'oss-',
          bucketCacheMs: 1_000,
        },
      },
    });
    assert.equal(
      rowOf(banner, 'store'),
      's3 http://ceph-rgw:7480, bucket map uploads=prod-uploads, media=prod-media, others oss-<name>',
    );
    assert.ok(!banner.includes('backend-secret') && !banner.includes('BACKENDKEYID'));
    const aws = render({
      store: {
        kind: 's3',
        s3: {
          connection: { region: 'eu-west-1', forcePathStyle: false },
          bucketMap: {},
          bucketPrefix: '',
          bucketCacheMs: 1_000,
        },
      },
    });
    assert.equal(rowOf(aws, 'store'), 's3 AWS S3 eu-west-1, bucket map others same name');
  });

  it('prints the STS endpoint only when the local STS is enabled', () => {
    const on = render({ publicEndpoint: 'http://127.0.0.1:9000/', sts: { key: Buffer.alloc(32, 7) } });
    assert.equal(rowOf(on, 'sts endpoint'), 'http://127.0.0.1:9000/_upcall/sts');
    assert.ok(!on.includes(Buffer.alloc(32, 7).toString('base64')), 'the STS key is never printed');
    assert.equal(rowOf(render({}), 'sts endpoint'), undefined);
  });

  it('warns loudly, right under the first line, when fault injection is armed', () => {
    const armed = render({}, { faultInjection: 'after-blob-rename:kill:2' }).split('\n');
    assert.equal(armed[0], 'Upcall storage server is running');
    assert.match(
      armed[1] ?? '',
      /^ {2}!!! FAULT INJECTION ARMED: UPCALL_FAULT_INJECTION=after-blob-rename:kill:2$/,
    );
    assert.match(armed[2] ?? '', /^ {2}!!! .*testing only/);
    for (const value of [undefined, '', '  ']) {
      assert.ok(!render({}, { faultInjection: value }).includes('!!!'), JSON.stringify(value));
    }
  });
});
