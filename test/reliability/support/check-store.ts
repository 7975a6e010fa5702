// The crash invariants, checked through the server's own API after a restart (threats §A6, §C7 item 60):
//   - nothing lost: every acknowledged upload is readable byte-identical (or replaced by a later attempt);
//   - no partial object: List, HEAD and GET show only whole objects whose bytes hash to their ETag
//     and equal one body the history allows;
//   - no debris: the start-up sweep left tmp/ empty and no blob or part file the index does not name.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { buildSingleEtag, sha256Hex } from './seeded-random.js';
import { getObject, headObject, listAllObjects, type ListedObject, type OssTarget } from './oss-requests.js';
import { buildPartsEtag, type Attempt, type UploadHistory } from './upload-history.js';

export interface StoreCheck {
  /** What ListObjects showed, by key. */
  readonly objects: ReadonlyMap<string, ListedObject>;
  readonly listed: number;
  /** Objects read back with GET and compared byte for byte (through SHA-256). */
  readonly verified: number;
  /** Keys whose acknowledged body is gone: must stay empty. */
  readonly lost: string[];
  /** Any other broken invariant (partial or unknown object, List/HEAD disagreeing). */
  readonly violations: string[];
  /** Objects present although their answer was lost in a crash (committed, never acknowledged). */
  readonly unackedPresent: number;
}

/**
 * Checks every key of the history against List (ETag and size of an allowed body, or absent when that
 * is allowed); the keys in `readBack` (default: all) are also read with GET and HEAD.
 */
export async function checkStore(
  target: OssTarget,
  history: UploadHistory,
  readBack: ReadonlySet<string> = new Set(history.keys()),
): Promise<StoreCheck> {
  const objects = new Map((await listAllObjects(target)).map((object) => [object.key, object]));
  const known = new Set(history.keys());
  const result = { objects, listed: objects.size, verified: 0, unackedPresent: 0 };
  const problems: { lost: string[]; violations: string[] } = { lost: [], violations: [] };
  const tally = Object.assign(result, problems);
  for (const key of objects.keys()) {
    if (!known.has(key)) tally.violations.push(`${key}: listed but never uploaded`);
  }
  for (const key of known) await checkKey(target, history, key, objects.get(key), readBack.has(key), tally);
  return tally;
}

async function checkKey(
  target: OssTarget,
  history: UploadHistory,
  key: string,
  listed: ListedObject | undefined,
  deep: boolean,
  result: { verified: number; lost: string[]; violations: string[]; unackedPresent: number },
): Promise<void> {
  const expectation = history.expect(key);
  if (listed === undefined) {
    if (!expectation.mayBeAbsent)
      result.lost.push(`${key}: acknowledged (attempt ${expectation.acked?.id}) but absent`);
    if (!deep) return;
    const head = await headObject(target, key);
    if (head.status !== 404) result.violations.push(`${key}: not listed but HEAD answered ${head.status}`);
    return;
  }
  const match = expectation.allowed.find((a) => a.etag === listed.etag && a.size === listed.size);
  if (match === undefined) {
    const problem = `${key}: listed ${listed.etag}/${listed.size} matches no allowed body`;
    (expectation.mayBeAbsent ? result.violations : result.lost).push(problem);
    return;
  }
  if (match.outcome !== 'acked') result.unackedPresent += 1;
  if (!deep) return;
  const problem = await readBack(target, key, match).catch(
    (error: unknown) => `read failed: ${String(error)}`,
  );
  if (problem !== undefined) result.violations.push(`${key}: ${problem}`);
  else result.verified += 1;
}

/** GET and HEAD agree with the List entry, and the bytes are the attempt's body and hash to its ETag. */
async function readBack(target: OssTarget, key: string, attempt: Attempt): Promise<string | undefined> {
  const [get, head] = [await getObject(target, key), await headObject(target, key)];
  if (get.status !== 200 || head.status !== 200) return `GET ${get.status}, HEAD ${head.status}`;
  if (get.headers.etag !== attempt.etag || head.headers.etag !== attempt.etag) {
    return `ETag GET ${get.headers.etag} HEAD ${head.headers.etag}, expected ${attempt.etag}`;
  }
  if (head.headers['content-length'] !== String(attempt.size))
    return `HEAD Content-Length ${head.headers['content-length']}`;
  if (sha256Hex(get.body) !== attempt.sha256)
    return `GET returned ${get.body.length} bytes that are not the body`;
  const etagOfBytes =
    attempt.kind === 'multipart' ? buildPartsEtag(get.body, attempt.partSizes) : buildSingleEtag(get.body);
  return etagOfBytes === attempt.etag ? undefined : `bytes hash to ${etagOfBytes}, ETag says ${attempt.etag}`;
}

export interface DataDirFiles {
  readonly tmpFiles: number;
  readonly blobFiles: number;
  readonly partFiles: number;
}

/** Counts the store's files (layout: packages/server/src/store/blob-layout.ts). */
export async function countDataDirFiles(dataDir: string): Promise<DataDirFiles> {
  const tmpFiles = (await readdir(join(dataDir, 'tmp'))).length;
  const partFiles = (await readdir(join(dataDir, 'parts'))).length;
  let blobFiles = 0;
  for (const shard of await readdir(join(dataDir, 'blobs'))) {
    blobFiles += (await readdir(join(dataDir, 'blobs', shard))).length;
  }
  return { tmpFiles, blobFiles, partFiles };
}

/** The sweep report FsObjectStore logs at start-up (`"msg":"object store opened"`, server.ts). */
export interface LoggedSweep {
  readonly tempFilesRemoved: number;
  readonly orphanBlobsRemoved: number;
  readonly orphanPartsRemoved: number;
  readonly lostObjects: readonly unknown[];
  readonly lostParts: readonly unknown[];
}

/** Finds the sweep report in a server's output (log level info or lower), or undefined. */
export function readSweepReport(output: string): LoggedSweep | undefined {
  const line = output.split('\n').find((text) => text.includes('"object store opened"'));
  return line === undefined ? undefined : (JSON.parse(line) as { sweep?: LoggedSweep }).sweep;
}
