import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from './config-error.js';
import { parseServerFlags } from './parse-server-flags.js';
import { serverFlags } from './server-flags.js';

function problemsOf(argv: string[], env: Record<string, string> = {}): readonly string[] {
  try {
    parseServerFlags(argv, env, '/srv');
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
}

describe('parseServerFlags', () => {
  it('applies the documented defaults for a loopback host', () => {
    const flags = parseServerFlags([], {}, '/srv');
    assert.equal(flags.host, '127.0.0.1');
    assert.equal(flags.port, 9000);
    assert.equal(flags.dataDir, '/srv/.upcall');
    assert.deepEqual(flags.buckets, ['uploads']);
    assert.equal(flags.bucketAcl, 'private');
    assert.equal(flags.accessKeyId, undefined);
    assert.equal(flags.callbackTargets, 'dev');
    assert.deepEqual(flags.corsOrigins, ['*']);
    assert.equal(flags.callbackKeyBits, 2048);
    assert.equal(flags.publicEndpoint, '');
    assert.equal(flags.logLevel, 'info');
    assert.equal(flags.shutdownGraceMs, 10_000);
  });

  it('defaults to public-only callbacks and no CORS when listening beyond loopback', () => {
    const flags = parseServerFlags(['--host', '0.0.0.0'], {}, '/srv');
    assert.equal(flags.callbackTargets, 'public-only');
    assert.deepEqual(flags.corsOrigins, []);
  });

  it('reads UPCALL_* environment variables, comma-separated for repeatable flags, and lets flags win', () => {
    const env = {
      UPCALL_PORT: '9100',
      UPCALL_BUCKET: 'media, avatars',
      UPCALL_CORS_ORIGIN: 'https://a.example,https://*.b.example',
      UPCALL_ACCESS_KEY_ID: 'AKID',
      UPCALL_ACCESS_KEY_SECRET: 'SECRET',
      UPCALL_LOG_LEVEL: 'debug',
    };
    const flags = parseServerFlags(['--port', '9200', '--bucket', 'one', '--bucket', 'two'], env, '/srv');
    assert.equal(flags.port, 9200);
    assert.deepEqual(flags.buckets, ['one', 'two']);
    assert.deepEqual(flags.corsOrigins, ['https://a.example', 'https://*.b.example']);
    assert.deepEqual([flags.accessKeyId, flags.accessKeySecret], ['AKID', 'SECRET']);
    assert.equal(flags.logLevel, 'debug');
    assert.deepEqual(parseServerFlags([], env, '/srv').buckets, ['media', 'avatars']);
  });

  it('reads the callback key options: key file resolved against cwd, key URL template, dev-key switch', () => {
    const defaults = parseServerFlags([], {}, '/srv');
    assert.deepEqual(
      [defaults.callbackPrivateKey, defaults.callbackKeyUrl, defaults.devKeyProxy],
      [undefined, undefined, false],
    );
    const flags = parseServerFlags(
      [
        '--callback-private-key',
        'keys/cb.pem',
        '--callback-key-url',
        'https://keys.example/upcall-{fingerprint}.pem',
      ],
      {},
      '/srv',
    );
    assert.equal(flags.callbackPrivateKey, '/srv/keys/cb.pem');
    assert.equal(flags.callbackKeyUrl, 'https://keys.example/upcall-{fingerprint}.pem');
    assert.equal(parseServerFlags(['--dev-key-proxy'], {}, '/srv').devKeyProxy, true);
    assert.equal(parseServerFlags([], { UPCALL_DEV_KEY_PROXY: 'yes' }, '/srv').devKeyProxy, true);
    assert.equal(parseServerFlags([], { UPCALL_DEV_KEY_PROXY: '0' }, '/srv').devKeyProxy, false);
    assert.equal(problemsOf([], { UPCALL_DEV_KEY_PROXY: 'maybe' }).length, 1);
  });

  it('refuses a key URL that is not canonical http(s), and the dev-key switch together with a key URL', () => {
    assert.match(
      problemsOf(['--callback-key-url', 'HTTP://Keys.example/k.pem'])[0] ?? '',
      /did you mean http:\/\/keys\.example\/k\.pem/,
    );
    assert.equal(problemsOf(['--callback-key-url', 'file:///etc/key.pem']).length, 1);
    assert.equal(problemsOf(['--callback-key-url', 'https://u:p@keys.example/k.pem']).length, 1);
    assert.match(
      problemsOf(['--dev-key-proxy', '--callback-key-url', 'https://keys.example/k.pem'])[0] ?? '',
      /cannot be combined with --callback-key-url/,
    );
  });

  it('takes --public-url and its alias --public-endpoint, from flags or environment, but not both differently', () => {
    assert.equal(
      parseServerFlags(['--public-url', 'https://oss.example'], {}, '/').publicEndpoint,
      'https://oss.example',
    );
    assert.equal(
      parseServerFlags(['--public-endpoint', 'https://oss.example'], {}, '/').publicEndpoint,
      'https://oss.example',
    );
    assert.equal(
      parseServerFlags([], { UPCALL_PUBLIC_ENDPOINT: 'https://a.example' }, '/').publicEndpoint,
      'https://a.example',
    );
    const flagWins = parseServerFlags(
      ['--public-endpoint', 'https://a.example'],
      { UPCALL_PUBLIC_URL: 'https://b.example' },
      '/',
    );
    assert.equal(flagWins.publicEndpoint, 'https://a.example');
    assert.match(
      problemsOf(['--public-url', 'https://a.example', '--public-endpoint', 'https://b.example'])[0] ?? '',
      /--public-url and --public-endpoint are the same setting/,
    );
    const env = { UPCALL_PUBLIC_URL: 'https://a.example', UPCALL_PUBLIC_ENDPOINT: 'https://b.example' };
    assert.equal(problemsOf([], env).length, 1);
  });

  it('gives every environment variable the UPCALL_<FLAG> name', () => {
    for (const spec of serverFlags) {
      assert.equal(spec.env, `UPCALL_${spec.name.toUpperCase().replaceAll('-', '_')}`);
    }
  });

  it('collects every bad value into one ConfigError naming the flag or variable', () => {
    const problems = problemsOf(['--port', '70000', '--bucket', 'Bad_Name', '--callback-targets', 'all'], {
      UPCALL_LOG_LEVEL: 'loud',
    });
    assert.equal(problems.length, 4);
    assert.match(problems[0] ?? '', /--port="70000"/);
    assert.ok(problems.some((p) => p.startsWith('UPCALL_LOG_LEVEL="loud"')));
  });

  it('requires both halves of an access key pair or neither', () => {
    assert.match(
      problemsOf(['--access-key-id', 'AK'])[0] ?? '',
      /both --access-key-id and --access-key-secret/,
    );
    assert.match(problemsOf(['--access-key-id', 'A:K', '--access-key-secret', 's'])[0] ?? '', /without ":"/);
  });

  it('refuses unknown flags, positionals and malformed values', () => {
    assert.equal(problemsOf(['--prot', '1']).length, 1);
    assert.equal(problemsOf(['serve']).length, 1);
    assert.equal(problemsOf(['--public-endpoint', 'http://x.example/path']).length, 1);
    assert.equal(problemsOf(['--cors-origin', 'none', '--cors-origin', '*']).length, 1);
    assert.equal(problemsOf(['--callback-key-bits', '512']).length, 1);
    assert.equal(problemsOf(['--host', 'http://x']).length, 1);
  });

  it('reads the HTTP timeouts, the upload cap and the multipart age, with the documented defaults', () => {
    const defaults = parseServerFlags([], {}, '/srv');
    assert.deepEqual(
      [
        defaults.headersTimeoutMs,
        defaults.idleTimeoutMs,
        defaults.keepAliveTimeoutMs,
        defaults.maxConcurrentUploads,
        defaults.multipartMaxAgeMs,
      ],
      [20_000, 60_000, 5_000, 0, 7 * 86_400_000],
    );
    const flags = parseServerFlags(
      [
        '--headers-timeout-ms',
        '2000',
        '--idle-timeout-ms',
        '3000',
        '--keep-alive-timeout-ms',
        '1000',
        '--max-concurrent-uploads',
        '256',
        '--multipart-max-age',
        '12h',
      ],
      { UPCALL_MAX_CONCURRENT_UPLOADS: '8', UPCALL_MULTIPART_MAX_AGE: '1d' },
      '/srv',
    );
    assert.deepEqual(
      [
        flags.headersTimeoutMs,
        flags.idleTimeoutMs,
        flags.keepAliveTimeoutMs,
        flags.maxConcurrentUploads,
        flags.multipartMaxAgeMs,
      ],
      [2_000, 3_000, 1_000, 256, 43_200_000],
    );
    const env = { UPCALL_MAX_CONCURRENT_UPLOADS: '8', UPCALL_MULTIPART_MAX_AGE: '0' };
    const fromEnv = parseServerFlags([], env, '/srv');
    assert.deepEqual([fromEnv.maxConcurrentUploads, fromEnv.multipartMaxAgeMs], [8, 0]);
  });

  it('refuses HTTP timeouts of 0 (Node would read "never"), a negative cap and an age without a unit', () => {
    for (const argv of [
      ['--headers-timeout-ms', '0'],
      ['--headers-timeout-ms', '999'],
      ['--idle-timeout-ms', '0'],
      ['--keep-alive-timeout-ms', '0'],
      ['--max-concurrent-uploads', '-1'],
      ['--max-concurrent-uploads', 'many'],
      ['--multipart-max-age', '7'],
      ['--multipart-max-age', '400d'],
    ]) {
      assert.equal(problemsOf(argv).length, 1, argv.join(' '));
    }
    assert.match(problemsOf([], { UPCALL_IDLE_TIMEOUT_MS: '5' })[0] ?? '', /^UPCALL_IDLE_TIMEOUT_MS="5"/);
  });

  it('accepts --cors-origin none to switch CORS off and normalizes the public endpoint', () => {
    const flags = parseServerFlags(
      ['--cors-origin', 'none', '--public-endpoint', 'https://S3.Example:8443/'],
      {},
      '/',
    );
    assert.deepEqual(flags.corsOrigins, []);
    assert.equal(flags.publicEndpoint, 'https://s3.example:8443');
  });
});
