import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseServerFlags } from './parse-server-flags.js';
import { resolveServerConfig } from './resolve-server-config.js';

describe('resolveServerConfig', () => {
  it('carries the HTTP timeouts, the upload cap and the multipart age from flags into the config', async () => {
    const flags = parseServerFlags(
      [
        '--access-key-id',
        'AKID',
        '--access-key-secret',
        'SECRET',
        '--headers-timeout-ms',
        '2000',
        '--idle-timeout-ms',
        '3000',
        '--keep-alive-timeout-ms',
        '1500',
        '--max-concurrent-uploads',
        '2',
        '--multipart-max-age',
        '0',
      ],
      {},
      '/nonexistent-upcall-test-dir',
    );
    const { config, credentialsSource } = await resolveServerConfig(flags);
    assert.deepEqual(credentialsSource, { kind: 'given' });
    assert.deepEqual(
      [
        config.headersTimeoutMs,
        config.idleTimeoutMs,
        config.keepAliveTimeoutMs,
        config.maxConcurrentUploads,
        config.multipartMaxAgeMs,
      ],
      [2_000, 3_000, 1_500, 2, 0],
    );
  });
});
