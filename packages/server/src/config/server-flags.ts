// Every `upcall server` and `upcall keys rotate` flag, its environment variable and its default, spelled
// in one place: the parsers (parse-server-flags.ts, parse-keys-rotate-flags.ts), `--help` and
// docs/configuration.md all follow these tables.
export interface FlagSpec {
  /** Long option name without `--`. */
  readonly name: string;
  /** Environment variable read when the flag is absent (repeatable flags: comma-separated). */
  readonly env: string;
  /** Placeholder in help text, e.g. `PORT`; '' for a boolean switch. */
  readonly value: string;
  readonly multiple: boolean;
  /** A switch without a value (`--dev-key-proxy`); its variable takes true/false/1/0/yes/no/on/off. */
  readonly boolean: boolean;
  /** Set on an alias: the documented flag it stands for (giving both is an error). */
  readonly aliasOf?: string;
  readonly defaultText: string;
  readonly description: string;
}

function envName(name: string): string {
  return `UPCALL_${name.toUpperCase().replace(/-/g, '_')}`;
}

function flag(
  name: string,
  value: string,
  defaultText: string,
  description: string,
  multiple = false,
): FlagSpec {
  return { name, env: envName(name), value, multiple, boolean: false, defaultText, description };
}

function switchFlag(name: string, description: string): FlagSpec {
  return {
    name,
    env: envName(name),
    value: '',
    multiple: false,
    boolean: true,
    defaultText: 'off',
    description,
  };
}

function aliasFlag(name: string, of: FlagSpec): FlagSpec {
  return { ...of, name, env: envName(name), aliasOf: of.name, description: `Alias of --${of.name}.` };
}

const publicUrl = flag(
  'public-url',
  'URL',
  'http://<host>:<port>',
  'Base URL clients and app servers use to reach this server (behind a proxy or load balancer): ' +
    'PostObject Location, HostId without Host, default callback key URL.',
);

const dataDir = flag(
  'data-dir',
  'DIR',
  './.upcall',
  'Objects, index, credentials.json and callback-key.pem live here.',
);

const callbackPrivateKey = flag(
  'callback-private-key',
  'FILE',
  '<data-dir>/callback-key.pem, generated on first start',
  'PEM RSA private key that signs upload callbacks (shared by every server behind one key URL).',
);

const callbackKeyBits = flag(
  'callback-key-bits',
  'BITS',
  '2048',
  'RSA modulus size of a generated callback signing key (first start, keys rotate).',
);

// ---- HTTP timeouts, upload admission and multipart expiry (threats §B9, §C4 item 38, §C7 item 60). ----
const limitFlags: readonly FlagSpec[] = [
  flag(
    'headers-timeout-ms',
    'MS',
    '20000',
    'Time a client has to send the request line and headers (slowloris); 1000-600000.',
  ),
  flag(
    'idle-timeout-ms',
    'MS',
    '60000',
    'A connection with no bytes in either direction for this long is closed; 1000-3600000.',
  ),
  flag(
    'keep-alive-timeout-ms',
    'MS',
    '5000',
    'An idle keep-alive connection is closed after this; 1-600000.',
  ),
  flag(
    'max-concurrent-uploads',
    'N',
    '0 (no limit)',
    'Uploads in flight at once (PostObject, PutObject, UploadPart, CompleteMultipartUpload); ' +
      'more are answered 503 ServiceUnavailable.',
  ),
  flag(
    'multipart-max-age',
    'DURATION',
    '7d',
    'Multipart uploads initiated longer ago are aborted (e.g. 12h, 7d; 0 = never).',
  ),
  flag(
    'min-body-rate',
    'BYTES_PER_S',
    '500',
    'A request body slower than this over a whole --min-body-rate-window-ms is answered 400 ' +
      'RequestTimeout and closed (slow-body attacks); 0 = no minimum.',
  ),
  flag(
    'min-body-rate-window-ms',
    'MS',
    '20000',
    'Window (and grace period) over which --min-body-rate is judged; 200-600000.',
  ),
  switchFlag(
    'strict-post-policy',
    'PostObject: refuse (403 AccessDenied) a form field no policy condition names, as S3 does; ' +
      'OSS accepts them.',
  ),
  flag(
    'active-content-disposition',
    'MODE',
    'attachment',
    'GetObject of HTML, SVG, XML, JavaScript…: attachment (force a download) or inline (as stored).',
  ),
];

// ---- The local STS (docs/adr/0009-local-sts.md; read by sts/read-sts-flags.ts). ----
const stsFlags: readonly FlagSpec[] = [
  flag(
    'sts-key',
    'BASE64',
    '<data-dir>/sts-key, generated on first start',
    'Key (32 bytes, Base64) sealing STS tokens; give every instance the same one. Prefer the variable.',
  ),
  flag(
    'sts-key-file',
    'FILE',
    '<data-dir>/sts-key',
    'File holding the STS key (Base64); never written by the server.',
  ),
  flag(
    'sts-max-duration',
    'SECONDS',
    '3600',
    'Longest AssumeRole DurationSeconds granted (the role MaxSessionDuration); 900-43200.',
  ),
];

// ---- `--store s3`: the S3 gateway store (docs/scale-out.md; read by store/s3-store-config.ts). ----
const storeFlags: readonly FlagSpec[] = [
  flag(
    'store',
    'KIND',
    'fs',
    'Object store: fs (embedded, in --data-dir) or s3 (stateless gateway over an S3-compatible cluster).',
  ),
  flag('s3-endpoint', 'URL', 'AWS S3', 'Backend S3 endpoint, e.g. http://ceph-rgw:7480 (--store s3).'),
  flag('s3-region', 'REGION', 'us-east-1', 'Region backend requests are signed for.'),
  flag(
    's3-bucket-map',
    'OSS=BACKEND',
    'same name',
    'OSS bucket → backend bucket, e.g. uploads=prod-uploads; repeatable or comma-separated.',
    true,
  ),
  flag(
    's3-bucket-prefix',
    'PREFIX',
    "''",
    'Backend bucket of an OSS bucket not in --s3-bucket-map: PREFIX + name.',
  ),
  flag(
    's3-access-key',
    'ID',
    '$AWS_ACCESS_KEY_ID',
    'Backend access key id (else the AWS SDK credential chain).',
  ),
  flag(
    's3-secret-key',
    'SECRET',
    '$AWS_SECRET_ACCESS_KEY',
    'Backend secret key; prefer the variable to the flag.',
  ),
  flag(
    's3-force-path-style',
    'BOOL',
    'true with --s3-endpoint',
    'Path-style backend URLs (Ceph RGW, MinIO).',
  ),
  flag(
    's3-request-timeout-ms',
    'MS',
    '30000',
    'A backend request whose connection stays silent this long fails (503 ServiceUnavailable); 1000-600000.',
  ),
  flag(
    's3-bucket-cache-ms',
    'MS',
    '1000',
    'How long an instance trusts bucket ACL/CORS read from the backend.',
  ),
];
// ---- end of the `--store s3` block ----

export const serverFlags: readonly FlagSpec[] = [
  flag('host', 'HOST', '127.0.0.1', 'Address to listen on.'),
  flag('port', 'PORT', '9000', 'TCP port (0 = any free port).'),
  dataDir,
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
  publicUrl,
  aliasFlag('public-endpoint', publicUrl),
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
  callbackPrivateKey,
  flag(
    'callback-key-url',
    'URL',
    '<public-url>/_upcall/callback-public-key-<fingerprint>.pem',
    'URL advertised in x-oss-pub-key-url; `{fingerprint}` is replaced by the key fingerprint.',
  ),
  switchFlag(
    'dev-key-proxy',
    'Development: answer http://gosspublic.alicdn.com/upcall_dev_key.pem as an HTTP proxy and advertise it.',
  ),
  callbackKeyBits,
  flag('callback-timeout-ms', 'MS', '5000', 'Upload-callback request timeout (OSS: 5 s).'),
  flag('max-object-bytes', 'BYTES', '5368709120', 'Largest accepted object (OSS: 5 GiB).'),
  flag(
    'shutdown-grace-ms',
    'MS',
    '10000',
    'On SIGINT/SIGTERM, how long in-flight requests may take to finish.',
  ),
  flag('log-level', 'LEVEL', 'info', 'fatal, error, warn, info, debug, trace or silent.'),
  ...limitFlags,
  ...stsFlags,
  ...storeFlags,
];

/** `upcall keys rotate`: the key location flags are the server's own, so one environment serves both. */
export const keysRotateFlags: readonly FlagSpec[] = [
  dataDir,
  callbackPrivateKey,
  callbackKeyBits,
  flag(
    'grace-period',
    'DURATION',
    '24h',
    'How long servers keep serving the retired public key (e.g. 90s, 30m, 24h, 7d; 0 = not at all).',
  ),
];

export function findFlag(name: string, table: readonly FlagSpec[] = serverFlags): FlagSpec {
  const spec = table.find((candidate) => candidate.name === name);
  if (spec === undefined) throw new Error(`unknown flag ${name}`);
  return spec;
}
