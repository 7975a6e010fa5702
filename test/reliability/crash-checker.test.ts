// The crash campaign's checker must be able to fail (brief: "a test that cannot fail is a defect"). Here
// the store is damaged on purpose between two runs of a real server — a blob deleted, a blob truncated —
// and a refused upload is recorded as rejected although it was stored; checkStore must report each.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, truncate, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { checkStore } from './support/check-store.js';
import { putObject, type OssTarget } from './support/oss-requests.js';
import { buildBody } from './support/seeded-random.js';
import { startUpcallServer, type ServerProcess } from './support/server-process.js';
import { UploadHistory } from './support/upload-history.js';

const credentials = {
  accessKeyId: 'CHECKERTESTKEY0000000001',
  accessKeySecret: 'checker-secret-00000000000000',
};
const bucket = 'checked';

function blobPathOf(dataDir: string, key: string): string {
  const db = new Database(join(dataDir, 'index.sqlite'), { readonly: true });
  try {
    const row = db.prepare('SELECT blob_id FROM objects WHERE key = ?').get(key) as { blob_id: string };
    return join(dataDir, 'blobs', row.blob_id.slice(0, 2), row.blob_id);
  } finally {
    db.close();
  }
}

describe('the crash checker', () => {
  let root: string;
  let server: ServerProcess | undefined;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'upcall-checker-'));
  });
  after(async () => {
    await server?.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
  });

  it('reports a deleted blob as lost, a truncated blob and a stored-but-refused body as violations', async () => {
    const dataDir = join(root, 'data');
    const options = { dataDir, bucket, ...credentials };
    server = await startUpcallServer(options);
    const target = (): OssTarget => ({ port: server!.port, bucket, ...credentials });
    const history = new UploadHistory();
    for (const [index, key] of ['intact', 'deleted', 'truncated', 'refused'].entries()) {
      const attempt = history.begin('put', key, index + 1, [50_000]);
      const res = await putObject(target(), key, buildBody(index + 1, 50_000));
      assert.equal(res.status, 200);
      history.settle(attempt, key === 'refused' ? 'rejected' : 'acked', res.status);
    }
    const clean = await checkStore(target(), history);
    assert.deepEqual(clean.lost, []);
    assert.equal(clean.violations.length, 1, clean.violations.join('\n'));
    assert.match(clean.violations[0]!, /^refused: .* matches no allowed body$/);
    assert.equal(clean.verified, 3);
    assert.equal((await server.stop()).code, 0);

    await unlink(blobPathOf(dataDir, 'deleted'));
    await truncate(blobPathOf(dataDir, 'truncated'), 10_000);
    server = await startUpcallServer(options);
    const damaged = await checkStore(target(), history);
    assert.deepEqual(damaged.lost, ['deleted: acknowledged (attempt 2) but absent']);
    assert.equal(damaged.violations.length, 2, damaged.violations.join('\n'));
    assert.match(
      damaged.violations.find((v) => v.startsWith('truncated:')) ?? '',
      /read failed|not the body/,
    );
    assert.match(damaged.violations.find((v) => v.startsWith('refused:')) ?? '', /matches no allowed body/);
    assert.equal(damaged.verified, 1);
  });
});
