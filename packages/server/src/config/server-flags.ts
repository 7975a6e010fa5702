// Every `upcall server` flag, its environment variable and its default, spelled in one place: the
// parser (parse-server-flags.ts), `--help` and docs/configuration.md all follow this table.
export interface FlagSpec {
  /** Long option name without `--`. */
  readonly name: string;
  /** Environment variable read when the flag is absent (repeatable flags: comma-separated). */
  readonly env: string;
  /** Placeholder in help text, e.g. `PORT`. */
  readonly value: string;
  readonly multiple: boolean;
  readonly defaultText: string;
  readonly description: string;
}

function flag(
  name: string,
  value: string,
  defaultText: string,
  description: string,
  multiple = false,
): FlagSpec {
  return {
    name,
    env: `UPCALL_${name.toUpperCase().replace(/-/g, '_')}`,
    value,
    multiple,
    defaultText,
    description,
  };
}

export const serverFlags: readonly FlagSpec[] = [
  flag('host', 'HOST', '127.0.0.1', 'Address to listen on.'),
  flag('port', 'PORT', '9000', 'TCP port (0 = any free port).'),
  flag('data-dir', 'DIR', './.upcall', 'Objects, index, credentials.json and callback-key.pem live here.'),
  flag('bucket', 'NAME', 'uploads', 'Bucket to create at start if missing; repeat for several.', true),
  flag(
    'bucket-acl',
    'ACL',
    'private',
    'ACL for buckets created at start: private, public-read, public-read-write.',
  ),
  flag('access-key-id', 'ID', 'generated', 'AccessKeyId clients sign with (with --access-key-secret).'),
  flag(
    'access-key-secret',
    'SECRET',
    'generated',
    'AccessKeySecret; both absent = generated once, kept in credentials.json.',
  ),
  flag(
    'public-endpoint',
    'URL',
    'http://<host>:<port>',
    'Base URL clients and app servers use to reach this server.',
  ),
  flag(
    'callback-targets',
    'POLICY',
    'dev on loopback, else public-only',
    'Upload-callback targets: dev (loopback/private allowed) or public-only.',
  ),
  flag(
    'cors-origin',
    'ORIGIN',
    '* on loopback, else none',
    'Allowed CORS origin (`*`, exact, one `*` wildcard, or `none`); repeatable.',
    true,
  ),
  flag(
    'callback-key-bits',
    'BITS',
    '2048',
    'RSA modulus size of the callback signing key generated on first start.',
  ),
  flag('callback-timeout-ms', 'MS', '5000', 'Upload-callback request timeout (OSS: 5 s).'),
  flag('max-object-bytes', 'BYTES', '5368709120', 'Largest accepted object (OSS: 5 GiB).'),
  flag(
    'shutdown-grace-ms',
    'MS',
    '10000',
    'On SIGINT/SIGTERM, how long in-flight requests may take to finish.',
  ),
  flag('log-level', 'LEVEL', 'info', 'fatal, error, warn, info, debug, trace or silent.'),
];

export function findFlag(name: string): FlagSpec {
  const spec = serverFlags.find((candidate) => candidate.name === name);
  if (spec === undefined) throw new Error(`unknown flag ${name}`);
  return spec;
}
