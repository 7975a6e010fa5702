// Scenario 4: callback verification per second with a cached key (RSA 512, 1024, 2048) and ticket issuing
// per second, each on one core (one thread, sequential calls). Baselines from the same run: the bare
// node:crypto RSA-MD5 verify with the same KeyObject (the floor any verifier pays), and for tickets the
// pure build without the record insert.
import { generateKeyPairSync, createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildUploadTicket,
  createCallbackKeyTrust,
  issueUploadTicket,
  SqliteUploadRecordStore,
  verifyCallback,
  verifyCallbackAuthenticity,
  type CallbackRequestParts,
  type UploadTicketOptions,
} from '@upcall/app-kit';
import {
  buildSignedCallbackFor,
  toCallbackRequestParts,
} from '../packages/app-kit/src/test-support/build-signed-callback.js';
import { quick, repeats } from './lib/bench-settings.js';
import { makeFreshDir } from './lib/input-file.js';
import { formatRatio, formatSpread, summarize, type Spread } from './lib/stats.js';
import { verdict } from './lib/measure-runs.js';

const passMs = quick ? 400 : 1000;

async function opsPerSecond(op: () => unknown): Promise<Spread> {
  const rates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    let count = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < passMs) {
      for (let i = 0; i < 64; i++) await op();
      count += 64;
      elapsed = performance.now() - start;
    }
    rates.push((count * 1000) / elapsed);
  }
  return summarize(rates);
}

const keyUrl = 'http://127.0.0.1:9000/_upcall/callback-public-key.pem';
const body =
  'bucket=bench&object=uploads%2Fu1%2Ffile.bin&etag=D41D8CD98F00B204E9800998ECF8427E&size=4096&mimeType=application%2Foctet-stream&x%3Aupload_id=abcdef0123456789';

async function verifyRows(bits: number): Promise<Array<Record<string, string>>> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const request = await buildSignedCallbackFor('http://127.0.0.1:3000/oss-callback', body, {
    privateKey,
    publicKeyPem,
    publicKeyUrl: keyUrl,
  });
  const parts: CallbackRequestParts = toCallbackRequestParts(request);
  const trust = createCallbackKeyTrust({ pinnedKeys: { [keyUrl]: publicKeyPem } });
  const key: KeyObject = createPublicKey(publicKeyPem);
  const signature = Buffer.from('x'.repeat(bits / 8));
  const bare = await opsPerSecond(() => cryptoVerify('md5', parts.body, key, signature));
  const authenticity = await opsPerSecond(() => verifyCallbackAuthenticity(parts, { trust }));
  const full = await opsPerSecond(() => verifyCallback(parts, { trust }));
  return [
    {
      operation: `node:crypto RSA-MD5 verify, ${bits}-bit (baseline)`,
      'ops/s median [min..max]': formatSpread(bare, 0),
      'vs baseline': '1.00×',
    },
    {
      operation: `verifyCallbackAuthenticity, ${bits}-bit, cached key`,
      'ops/s median [min..max]': formatSpread(authenticity, 0),
      'vs baseline': formatRatio(authenticity.median, bare.median),
    },
    {
      operation: `verifyCallback (+ body parse), ${bits}-bit, cached key`,
      'ops/s median [min..max]': formatSpread(full, 0),
      'vs baseline': formatRatio(full.median, bare.median),
    },
  ];
}

function ticketOptions(userId: string): UploadTicketOptions {
  return {
    credentials: {
      accessKeyId: 'BENCHACCESSKEYID00000001',
      accessKeySecret: 'bench-secret-0000000000000000000',
    },
    region: 'cn-hangzhou',
    bucket: 'bench',
    host: 'http://127.0.0.1:9000',
    userId,
    filename: 'photo.jpg',
    maxSizeBytes: 10 * 1024 * 1024,
    callback: { urls: 'http://127.0.0.1:3000/oss-callback' },
  };
}

export async function runBench(): Promise<{
  title: string;
  rows: Array<Record<string, string>>;
  notes: string[];
}> {
  const rows: Array<Record<string, string>> = [];
  for (const bits of [512, 1024, 2048]) rows.push(...(await verifyRows(bits)));
  const verify2048 = Number.parseFloat(rows[rows.length - 1]!['ops/s median [min..max]']!);
  let n = 0;
  const built = await opsPerSecond(() => buildUploadTicket(ticketOptions(`user-${n++}`)));
  const dir = makeFreshDir('tickets');
  const store = new SqliteUploadRecordStore({ path: join(dir, 'records.sqlite') });
  const issued = await opsPerSecond(() => issueUploadTicket({ ...ticketOptions(`user-${n++}`), store }));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  rows.push({
    operation: 'buildUploadTicket (V4, no record; baseline)',
    'ops/s median [min..max]': formatSpread(built, 0),
    'vs baseline': '1.00×',
  });
  rows.push({
    operation: 'issueUploadTicket (V4 + SQLite insertPending, file DB)',
    'ops/s median [min..max]': formatSpread(issued, 0),
    'vs baseline': formatRatio(issued.median, built.median),
  });
  return {
    title: 'Scenario 4: callback verification and ticket issuing, one core',
    rows,
    notes: [
      `Sequential calls on one thread, ${passMs} ms per pass, n=${repeats}; keys generated per run, trusted by pinned PEM (cached KeyObject).`,
      verdict(
        'scenario 4 ≥ 40k verifications/s per core at 2048 bits',
        verify2048 >= 40_000,
        `${Math.round(verify2048)}/s (verifyCallback)`,
      ),
    ],
  };
}
