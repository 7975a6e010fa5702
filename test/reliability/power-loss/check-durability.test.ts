import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkDurability, type ExpectedAck, type FindingKind } from './check-durability.js';
import { parseFsTrace } from './parse-fs-trace.js';
import {
  blobFileIno,
  blobPath,
  putObjectTrace,
  root,
  rootIno,
  TraceWriter,
  walIno,
  type PutTraceOptions,
} from './fs-trace-fixture.js';

const putAck: ExpectedAck = { requestId: 'R1', label: 'put k', path: blobPath, bytes: 100_000 };

function audit(trace: TraceWriter, acks: readonly ExpectedAck[] = [putAck]) {
  return checkDurability(parseFsTrace(trace.text()), { root, rootIno, indexPath: '/d/index.sqlite', acks });
}

function kindsOf(options: PutTraceOptions, acks?: readonly ExpectedAck[]): FindingKind[] {
  return [...new Set(audit(putObjectTrace(options), acks).findings.map((finding) => finding.kind))];
}

describe('checkDurability on hand-written traces', () => {
  it('passes the commit order the store follows: fsync, rename, directory fsync, index commit fsynced', () => {
    const report = audit(putObjectTrace());
    assert.deepEqual(report.findings, []);
    assert.equal(report.cuts, 1);
    assert.equal(report.objectChecks, 2, 'checked at its own cut and at the end of the trace');
  });

  it('fails an object whose data file was never fsynced', () => {
    assert.deepEqual(kindsOf({ omit: 'data-fsync' }), ['data-not-durable']);
  });

  it('fails an fsync that began before the last write completed', () => {
    assert.deepEqual(kindsOf({ fsyncRacesWrite: true, omit: 'data-fsync' }), ['data-not-durable']);
    assert.deepEqual(kindsOf({ fsyncRacesWrite: true }), [], 'a second fsync after the write covers it');
  });

  it('fails an object whose data fsync failed, even when a later fsync succeeds (fsyncgate)', () => {
    assert.deepEqual(kindsOf({ fsyncFails: true }), ['data-not-durable']);
  });

  it('fails a rename into place with no fsync of the directory after it', () => {
    const report = audit(putObjectTrace({ omit: 'shard-fsync' }));
    assert.deepEqual(
      report.findings.map((f) => f.kind),
      ['entry-not-durable'],
    );
    assert.match(report.findings[0]!.detail, /\/d\/blobs\/ab\/abc is not durable/);
  });

  it('fails a directory fsync that began before the rename completed', () => {
    assert.deepEqual(kindsOf({ dirFsyncRacesRename: true }), ['entry-not-durable']);
  });

  it('fails a new shard directory whose parent was not fsynced after the mkdir', () => {
    const report = audit(putObjectTrace({ omit: 'blobs-fsync' }));
    assert.deepEqual(
      report.findings.map((f) => f.kind),
      ['entry-not-durable'],
    );
    assert.match(report.findings[0]!.detail, /the entry \/d\/blobs\/ab is not durable/);
  });

  it('fails an acknowledgement whose SQLite commit was not fsynced', () => {
    assert.deepEqual(kindsOf({ omit: 'index-fsync' }), ['index-not-durable']);
  });

  it('fails an acknowledgement with no index write after the file was published', () => {
    assert.deepEqual(kindsOf({ omit: 'index-write' }), ['index-not-written']);
    assert.deepEqual(kindsOf({ indexBeforeRename: true }), ['index-not-written']);
  });

  it('fails when the trace did not see the bytes the client sent (writes bypassing libc)', () => {
    assert.deepEqual(kindsOf({}, [{ ...putAck, bytes: 200_000 }]), ['bytes-unseen']);
  });

  it('fails an acknowledgement that is not in the trace, or whose file is not there', () => {
    assert.deepEqual(kindsOf({}, [putAck, { requestId: 'R9', label: 'lost' }]), ['ack-missing']);
    assert.deepEqual(kindsOf({}, [{ ...putAck, path: '/d/blobs/ab/other' }]), ['not-published']);
  });

  it('fails a later cut at which an acknowledged file was changed without an fsync', () => {
    const trace = putObjectTrace().write(blobFileIno, 10).write(walIno, 10).sync(walIno, 'reg').http('R2');
    const report = audit(trace, [putAck, { requestId: 'R2', label: 'put k2' }]);
    assert.deepEqual(
      report.findings.map((f) => [f.kind, f.label]),
      [['data-not-durable', 'put k']],
    );
    assert.equal(report.cuts, 2);
  });

  it('fails a trace with a blind spot: an io_uring ring, or a second process', () => {
    const ring = putObjectTrace().line(4, 'blind', ['what=io_uring', 'nr=425']);
    assert.deepEqual([...new Set(audit(ring).findings.map((f) => f.kind))], ['blind']);
    const other = putObjectTrace(undefined, new TraceWriter(7));
    const text = `${putObjectTrace().text()}${other.text().split('\n')[0]!}\n`;
    const report = checkDurability(parseFsTrace(text), {
      root,
      rootIno,
      indexPath: '/d/index.sqlite',
      acks: [putAck],
    });
    assert.deepEqual(
      report.findings.map((f) => f.kind),
      ['blind'],
    );
  });

  it('ignores a non-2xx answer as an acknowledgement', () => {
    const trace = putObjectTrace().http('R2', 500);
    const report = audit(trace, [putAck, { requestId: 'R2', label: 'refused' }]);
    assert.deepEqual(
      report.findings.map((f) => [f.kind, f.label]),
      [['ack-missing', 'refused']],
    );
  });
});
