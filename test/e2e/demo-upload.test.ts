// The whole loop in a real browser: demo page → ticket from the app → form POST straight to the storage
// server (XHR, progress) → signed callback to the app → reply relayed to the page → records API and
// presigned thumbnail. Chromium is Debian's, driven by playwright-core; everything runs on 127.0.0.1.
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { presignUrlV1 } from '@upcall/protocol';
import { buildPng } from './support/build-png.js';
import { fetchRecords, readProgressValue, uploadRow, waitForFinalStatus } from './support/demo-page.js';
import { launchChromium } from './support/launch-chromium.js';
import { startE2eDemo, type E2eDemo } from './support/start-e2e-demo.js';

const artifactsDir = new URL('./artifacts/', import.meta.url);

function md5Hex(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('hex').toUpperCase();
}

describe('demo page: uploading an image and a text file together', () => {
  let demo: E2eDemo;
  let browser: Browser;
  let page: Page;
  const png = buildPng(48, 32);
  const text = Buffer.from('Upcall e2e: these bytes travel browser → storage → back.\n'.repeat(40));

  before(async () => {
    demo = await startE2eDemo();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    // Playwright intercepts file choosers only while a listener exists; enable that well before use.
    page.on('filechooser', () => undefined);
    await page.goto(demo.system.appUrl);
    await page.locator('html[data-ready="true"]').waitFor();
    await page.setInputFiles('#file-input', [
      { name: 'gradient.png', mimeType: 'image/png', buffer: png },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: text },
    ]);
  });

  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('shows both files confirmed with full progress bars', async () => {
    for (const name of ['gradient.png', 'notes.txt']) {
      assert.deepEqual((await waitForFinalStatus(page, name)).status, 'confirmed', name);
      assert.equal(await readProgressValue(page, name), 100, name);
    }
    assert.deepEqual(demo.appErrors, []);
  });

  it('loads the image thumbnail through a presigned URL', async () => {
    const img = uploadRow(page, 'gradient.png').locator('.thumb img');
    await img.waitFor({ timeout: 10_000 });
    const size = await img.evaluate((el: HTMLImageElement) => ({
      w: el.naturalWidth,
      h: el.naturalHeight,
      src: el.src,
    }));
    assert.deepEqual([size.w, size.h], [48, 32]);
    assert.match(size.src, /x-oss-signature=/);
    assert.equal(await uploadRow(page, 'notes.txt').locator('.thumb img').count(), 0);
  });

  it('lists both records as confirmed with the right size and ETag', async () => {
    await waitForFinalStatus(page, 'notes.txt');
    const records = await fetchRecords(page);
    const byName = new Map(records.map((record) => [record.fileName, record]));
    for (const [name, bytes, type] of [
      ['gradient.png', png, 'image/png'],
      ['notes.txt', text, 'text/plain'],
    ] as const) {
      const record = byName.get(name);
      assert.ok(record, `no record for ${name}: ${JSON.stringify(records)}`);
      assert.equal(record.status, 'confirmed');
      assert.equal(record.size, bytes.length);
      assert.equal(record.etag, md5Hex(bytes));
      assert.equal(record.mimeType, type);
      assert.ok(
        record.confirmedAt !== null && Date.parse(record.confirmedAt) >= Date.parse(record.createdAt),
      );
    }
    await page.locator('#records-body tr[data-status="confirmed"]').nth(1).waitFor();
  });

  it('stores exactly the bytes that were picked', async () => {
    const records = await fetchRecords(page);
    const { connection } = demo.system;
    for (const [name, bytes] of [
      ['gradient.png', png],
      ['notes.txt', text],
    ] as const) {
      const record = records.find((r) => r.fileName === name)!;
      const { url } = presignUrlV1({
        method: 'GET',
        bucket: connection.bucket,
        key: record.key,
        accessKeyId: connection.credentials.accessKeyId,
        secret: connection.credentials.accessKeySecret,
        origin: connection.endpoint,
        pathStyle: true,
        expiresUnixSeconds: Math.floor(Date.now() / 1000) + 60,
      });
      const response = await fetch(url);
      assert.equal(response.status, 200);
      assert.deepEqual(Buffer.from(await response.arrayBuffer()), bytes);
      assert.equal(response.headers.get('etag'), `"${md5Hex(bytes)}"`);
    }
  });

  it('announces each result in the live region and saves a screenshot', async () => {
    const announcer = page.locator('#announcer');
    assert.equal(await announcer.getAttribute('role'), 'status');
    assert.match((await announcer.textContent()) ?? '', /: confirmed\./);
    await mkdir(artifactsDir, { recursive: true });
    await page.screenshot({ path: new URL('demo-after-uploads.png', artifactsDir).pathname, fullPage: true });
  });

  it('uploads files dropped on the drop zone', async () => {
    const dataTransfer = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['dropped bytes\n'], 'dropped.txt', { type: 'text/plain' }));
      return transfer;
    });
    await page.dispatchEvent('#drop-zone', 'dragenter', { dataTransfer });
    assert.equal(await page.locator('#drop-zone.is-dragging').count(), 1);
    await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer });
    assert.equal((await waitForFinalStatus(page, 'dropped.txt')).status, 'confirmed');
    assert.equal(await page.locator('#drop-zone.is-dragging').count(), 0);
  });

  it('opens the file picker from the keyboard on the drop zone', async () => {
    const chooser = page.waitForEvent('filechooser');
    await page.locator('#drop-zone').focus();
    await page.keyboard.press('Enter');
    assert.equal((await chooser).isMultiple(), true);
  });
});
