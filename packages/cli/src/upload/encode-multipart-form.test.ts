import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openAsBlob } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMultipartBoundary, encodeMultipartForm, type MultipartBody } from './encode-multipart-form.js';

async function readBytes(body: MultipartBody): Promise<Buffer> {
  const chunks = await Promise.all(
    body.parts.map(async (part) =>
      part instanceof Uint8Array ? part : new Uint8Array(await part.arrayBuffer()),
    ),
  );
  return Buffer.concat(chunks);
}

async function readAll(body: MultipartBody): Promise<string> {
  return (await readBytes(body)).toString('utf8');
}

describe('encodeMultipartForm', () => {
  it('writes the fields in order, then the file part, then the closing boundary, with an exact length', async () => {
    const form = new FormData();
    form.append('key', 'uploads/a.txt');
    form.append('policy', 'eyJ9');
    form.append('file', new File(['hello'], 'a.txt', { type: 'text/plain' }), 'a.txt');
    const body = encodeMultipartForm(form, 'XyZ');
    const text = await readAll(body);
    assert.equal(
      text,
      '--XyZ\r\nContent-Disposition: form-data; name="key"\r\n\r\nuploads/a.txt\r\n' +
        '--XyZ\r\nContent-Disposition: form-data; name="policy"\r\n\r\neyJ9\r\n' +
        '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n' +
        'hello\r\n--XyZ--\r\n',
    );
    assert.equal(body.contentLength, Buffer.byteLength(text));
    assert.equal(body.contentType, 'multipart/form-data; boundary=XyZ');
  });

  it('counts UTF-8 bytes, not characters, in names, values and file names', async () => {
    const form = new FormData();
    form.append('x:note', 'café ☕');
    form.append('file', new File(['é'], 'résumé.pdf'), 'résumé.pdf');
    const body = encodeMultipartForm(form, 'b');
    assert.equal(body.contentLength, Buffer.byteLength(await readAll(body)));
    assert.match(
      await readAll(body),
      /filename="résumé\.pdf"\r\nContent-Type: application\/octet-stream\r\n/,
    );
  });

  it('escapes quotes and line breaks in names so a field cannot forge a part header', async () => {
    const form = new FormData();
    form.append('a"\r\nContent-Type: evil', 'line1\nline2\rline3');
    form.append('file', new File(['x'], 'q"\n.txt'), 'q"\n.txt');
    const text = await readAll(encodeMultipartForm(form, 'b'));
    assert.ok(text.includes('name="a%22%0D%0AContent-Type: evil"\r\n\r\nline1\r\nline2\r\nline3\r\n'));
    assert.ok(text.includes('filename="q%22%0A.txt"'));
    assert.equal(text.split('\r\nContent-Type: ').length, 2); // only the file part has one
  });

  it('produces the same bytes as the platform’s own FormData encoder (fetch / browsers)', async () => {
    const form = new FormData();
    form.append('key', 'uploads/${filename}');
    form.append('x:multi', 'a\nb\r\nc\rd');
    form.append('we"ird\nname', 'v');
    form.append(
      'file',
      new File(['\u0000\u00ff binary ☕'], 'ф "x".bin', { type: 'image/png' }),
      'ф "x".bin',
    );
    const platform = new Response(form);
    const boundary = /boundary=(.+)$/.exec(platform.headers.get('content-type') ?? '')?.[1] ?? '';
    assert.notEqual(boundary, '');
    const expected = Buffer.from(await platform.arrayBuffer());
    assert.deepEqual(await readBytes(encodeMultipartForm(form, boundary)), expected);
  });

  it('keeps a disk-backed file as a Blob part instead of reading it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'upcall-multipart-'));
    try {
      const path = join(dir, 'data.bin');
      await writeFile(path, Buffer.alloc(300_000, 7));
      const form = new FormData();
      form.append('key', 'k');
      form.append('file', new File([await openAsBlob(path)], 'data.bin'), 'data.bin');
      const body = encodeMultipartForm(form, createMultipartBoundary());
      const blobs = body.parts.filter((part) => !(part instanceof Uint8Array));
      assert.equal(blobs.length, 1);
      assert.equal((blobs[0] as Blob).size, 300_000);
      assert.equal(body.contentLength, (await readBytes(body)).length);
      const framing = body.parts.reduce(
        (sum, part) => sum + (part instanceof Uint8Array ? part.byteLength : 0),
        0,
      );
      assert.equal(body.contentLength, framing + 300_000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('makes boundaries that differ every time', () => {
    const boundaries = new Set(Array.from({ length: 50 }, () => createMultipartBoundary()));
    assert.equal(boundaries.size, 50);
    for (const boundary of boundaries) assert.match(boundary, /^----UpcallFormBoundary[0-9a-f]{24}$/);
  });
});
