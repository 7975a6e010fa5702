// OSS bucket name → backend bucket name. Explicit entries (`--s3-bucket-map uploads=prod-uploads`) win;
// any other OSS name maps to `<prefix><name>` (prefix '' by default: the same name). A prefixed name
// longer than S3's 63 characters is shortened with a hash of the OSS name, so every valid OSS name has a
// valid backend name; the reverse direction is read from the bucket record (s3-bucket-records.ts).
import { createHash } from 'node:crypto';
import { assertValidBucketName, isValidBucketName } from './bucket-name.js';

const maxBackendNameLength = 63;
const hashLength = 8;
/** S3 bucket names (no dots here: dotted names break virtual-hosted TLS and are never generated). */
const backendNamePattern = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const prefixPattern = /^[a-z0-9][a-z0-9-]*$/;

export interface S3BucketMapOptions {
  /** OSS bucket name → backend bucket name. */
  readonly entries?: Readonly<Record<string, string>>;
  /** Prepended to OSS names without an entry; lower-case letters, digits, hyphens. */
  readonly prefix?: string;
}

export class S3BucketMap {
  readonly prefix: string;
  readonly #entries: ReadonlyMap<string, string>;

  constructor(options: S3BucketMapOptions = {}) {
    this.prefix = options.prefix ?? '';
    if (this.prefix !== '' && (!prefixPattern.test(this.prefix) || this.prefix.length > 40)) {
      throw new RangeError(`S3 bucket prefix ${JSON.stringify(this.prefix)} must be [a-z0-9-], ≤ 40 chars`);
    }
    const entries = Object.entries(options.entries ?? {});
    for (const [oss, backend] of entries) {
      assertValidBucketName(oss);
      if (!backendNamePattern.test(backend)) throw new RangeError(`invalid backend bucket name "${backend}"`);
    }
    const targets = entries.map(([, backend]) => backend);
    if (new Set(targets).size !== targets.length) {
      throw new RangeError('two OSS buckets cannot map to the same backend bucket');
    }
    this.#entries = new Map(entries);
  }

  /** The backend bucket for a valid OSS name; InvalidBucketName (OssError) otherwise. */
  backendFor(name: string): string {
    assertValidBucketName(name);
    const mapped = this.#entries.get(name);
    if (mapped !== undefined) return mapped;
    const prefixed = `${this.prefix}${name}`;
    if (prefixed.length <= maxBackendNameLength) return prefixed;
    const hash = createHash('sha256').update(name).digest('hex').slice(0, hashLength);
    return `${prefixed.slice(0, maxBackendNameLength - hashLength - 1)}-${hash}`;
  }

  /** Like backendFor, but undefined for an invalid OSS name (lookups of missing things answer "none"). */
  tryBackendFor(name: string): string | undefined {
    try {
      return this.backendFor(name);
    } catch {
      return undefined;
    }
  }

  /** Whether a backend bucket could hold an OSS bucket (listBuckets reads the records of these only). */
  mayHoldOssBucket(backend: string): boolean {
    return backend.startsWith(this.prefix) || [...this.#entries.values()].includes(backend);
  }
}

/** `a=b,c=d` (the --s3-bucket-map flag, repeatable, and UPCALL_S3_BUCKET_MAP) → entries. */
export function parseS3BucketMap(texts: readonly string[]): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const item of texts.flatMap((text) => text.split(','))) {
    const trimmed = item.trim();
    if (trimmed === '') continue;
    const match = /^([^=\s]+)=([^=\s]+)$/.exec(trimmed);
    if (match === null) throw new Error(`"${trimmed}" is not OSS-BUCKET=BACKEND-BUCKET`);
    const [, oss, backend] = match as unknown as [string, string, string];
    if (!isValidBucketName(oss)) throw new Error(`"${oss}" is not a valid OSS bucket name`);
    if (Object.hasOwn(entries, oss)) throw new Error(`bucket ${oss} is mapped twice`);
    entries[oss] = backend;
  }
  new S3BucketMap({ entries }); // validates names and duplicate targets
  return entries;
}
