import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildUploadForm } from './build-upload-form.js';
import { readFormEntries } from './test-support/fake-transport.js';
import { parseTicket } from './ticket.js';

const file = new Blob(['hello'], { type: 'text/plain' });
const upload = { file, fileName: 'hello.txt', contentType: 'text/plain' };

describe('buildUploadForm', () => {
  it('sends the ticket fields in order and the file last, with its filename and type', () => {
    const ticket = parseTicket({
      host: 'https://h',
      fields: { key: 'k/hello.txt', policy: 'p', Signature: 's' },
    });
    const form = buildUploadForm(ticket, upload);
    assert.deepEqual(readFormEntries(form.body), [
      ['key', 'k/hello.txt'],
      ['policy', 'p'],
      ['Signature', 's'],
      ['file', { fileName: 'hello.txt', type: 'text/plain', size: 5 }],
    ]);
    assert.equal(form.key, 'k/hello.txt');
  });

  it('names the object keyPrefix + file name for prefix tickets, before the other fields', () => {
    const ticket = parseTicket({ host: 'https://h', fields: [['policy', 'p']], keyPrefix: 'uploads/alice/' });
    const form = buildUploadForm(ticket, upload);
    assert.deepEqual(
      readFormEntries(form.body).map(([name, value]) =>
        typeof value === 'string' ? `${name}=${value}` : name,
      ),
      ['key=uploads/alice/hello.txt', 'policy=p', 'file'],
    );
    assert.equal(form.key, 'uploads/alice/hello.txt');
  });

  it('adds a Content-Type field when the policy restricts types and the ticket did not send one', () => {
    const restricted = parseTicket({
      host: 'https://h',
      fields: { key: 'k', policy: 'p' },
      allowedContentTypes: ['text/plain'],
    });
    assert.deepEqual(readFormEntries(buildUploadForm(restricted, upload).body).slice(0, 3), [
      ['key', 'k'],
      ['policy', 'p'],
      ['Content-Type', 'text/plain'],
    ]);
    const alreadySent = parseTicket({
      host: 'https://h',
      fields: { key: 'k', 'content-type': 'text/plain' },
      allowedContentTypes: ['text/plain'],
    });
    const names = readFormEntries(buildUploadForm(alreadySent, upload).body).map(([name]) => name);
    assert.deepEqual(names, ['key', 'content-type', 'file']);
  });

  it('does not override an exact key with the prefix rule', () => {
    const ticket = parseTicket({ host: 'https://h', fields: { Key: 'exact' }, keyPrefix: 'ignored/' });
    const names = readFormEntries(buildUploadForm(ticket, upload).body).map(([name]) => name);
    assert.deepEqual(names, ['Key', 'file']);
  });

  it('types the file part with the upload content type when the Blob has none', () => {
    const untyped = new Blob(['x']);
    const ticket = parseTicket({ host: 'https://h', fields: { key: 'k' } });
    const entries = readFormEntries(
      buildUploadForm(ticket, { file: untyped, fileName: 'x.bin', contentType: 'application/octet-stream' })
        .body,
    );
    assert.deepEqual(entries.at(-1), [
      'file',
      { fileName: 'x.bin', type: 'application/octet-stream', size: 1 },
    ]);
  });
});
