// The demo's /sdk page in a real browser: the official ali-oss browser build with STS credentials from
// Upcall's local STS (via GET /api/sts-credentials). A 100 MB file goes up with multipartUpload (5 MiB
// parts, 3 at a time), is paused with client.cancel(), the page is reloaded, and the upload resumes from
// the checkpoint in localStorage once the same file is picked again; the record is confirmed by the
// callback and the stored bytes are identical. A write outside the granted folder is AccessDenied.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { fetchRecords } from './support/demo-page.js';
import { launchChromium } from './support/launch-chromium.js';
import { md5OfStoredObject, writePatternFile } from './support/sdk-page.js';
import { startE2eDemo, type E2eDemo } from './support/start-e2e-demo.js';

const fileBytes = 100 * 1024 * 1024;
const partBytes = 5 * 1024 * 1024;
const totalParts = fileBytes / partBytes;
/** Parts allowed through before the pause; later ones are held until Pause has been clicked. */
const partsBeforePause = 6;

function isUploadPart(request: Request): boolean {
  return request.method() === 'PUT' && new URL(request.url()).searchParams.has('partNumber');
}

async function openSdkPage(page: Page, appUrl: string): Promise<void> {
  await page.goto(`${appUrl}/sdk`);
  await page.locator('html[data-ready="true"]').waitFor();
  await page.locator('#sdk-prefix', { hasText: /^uploads\/.+\/\*$/ }).waitFor();
}

function readSavedDoneParts(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const key = Object.keys(localStorage).find((name) => name.startsWith('upcall-sdk-upload:'));
    const saved = JSON.parse(localStorage.getItem(key ?? '') ?? '{}') as {
      checkpoint?: { doneParts: Array<{ number: number }> };
    };
    return (saved.checkpoint?.doneParts ?? []).map((part) => part.number).sort((a, b) => a - b);
  });
}

describe('demo /sdk page: ali-oss in the browser with STS credentials', () => {
  let demo: E2eDemo;
  let browser: Browser;
  let page: Page;
  let fileDir: string;
  let file: { path: string; md5: string };

  before(async () => {
    fileDir = await mkdtemp(join(tmpdir(), 'upcall-e2e-sdk-file-'));
    file = await writePatternFile(join(fileDir, 'dataset.bin'), fileBytes, 7);
    demo = await startE2eDemo();
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('filechooser', () => undefined);
    await openSdkPage(page, demo.system.appUrl);
  });

  after(async () => {
    await browser?.close();
    await demo?.stop();
    if (fileDir !== undefined) await rm(fileDir, { recursive: true, force: true });
  });

  it('pauses a 100 MB multipartUpload, resumes it after a reload from the checkpoint, and stores the same bytes', async () => {
    const status = page.locator('#sdk-status');
    let releaseHeld!: () => void;
    const held = new Promise<void>((resolve) => (releaseHeld = resolve));
    await page.route(
      (url) => url.searchParams.has('partNumber'),
      async (route) => {
        const partNumber = Number(new URL(route.request().url()).searchParams.get('partNumber'));
        if (partNumber > partsBeforePause) await held;
        await route.continue();
      },
    );
    await page.setInputFiles('#sdk-file', file.path);
    await page.locator(`#sdk-status[data-done-parts="${partsBeforePause}"]`).waitFor({ timeout: 30_000 });
    await page.click('#sdk-pause');
    releaseHeld();
    await page.locator('#sdk-status[data-state="paused"]').waitFor({ timeout: 30_000 });
    await page.unrouteAll({ behavior: 'wait' });
    const saved = await readSavedDoneParts(page);
    assert.deepEqual(
      saved,
      Array.from({ length: partsBeforePause }, (_, i) => i + 1),
    );

    await page.reload();
    await openSdkPage(page, demo.system.appUrl);
    const partPuts: number[] = [];
    page.on('request', (request) => {
      if (isUploadPart(request)) partPuts.push(Number(new URL(request.url()).searchParams.get('partNumber')));
    });
    await page.setInputFiles('#sdk-file', file.path);
    await page.locator('#sdk-status[data-state="done"]').waitFor({ timeout: 45_000 });
    assert.match((await status.textContent()) ?? '', /uploaded, confirmed\./);
    assert.match(
      (await page.locator('#sdk-resume-hint').textContent()) ?? '',
      /6 parts were already uploaded/,
    );
    assert.deepEqual(
      partPuts.sort((a, b) => a - b),
      Array.from({ length: totalParts - partsBeforePause }, (_, i) => partsBeforePause + i + 1),
      'only the parts missing from the checkpoint are sent again',
    );
    assert.equal(await page.evaluate(() => localStorage.length), 0, 'the checkpoint is dropped when done');

    const records = (await fetchRecords(page)).filter((record) => record.fileName === 'dataset.bin');
    assert.equal(records.length, 1, JSON.stringify(records));
    const [record] = records;
    assert.deepEqual([record?.status, record?.size], ['confirmed', fileBytes]);
    await page.locator('#records-body tr[data-status="confirmed"]').first().waitFor();
    assert.equal(await md5OfStoredObject(demo.system.connection, record!.key), file.md5);
    assert.deepEqual(demo.appErrors, []);
  });

  it('shows AccessDenied for a write outside the folder the STS policy grants', async () => {
    await page.click('#sdk-probe');
    const result = page.locator('#sdk-probe-result[data-code]');
    await result.waitFor({ timeout: 10_000 });
    assert.equal(await result.getAttribute('data-code'), 'AccessDenied');
    assert.match((await result.textContent()) ?? '', /^Refused: AccessDenied \(403\)/);
  });
});
