// A 300 MB file through the demo page with presigned multipart (docs/large-uploads.md): the page starts
// the upload at the app, PUTs 8 MiB parts straight to storage with presigned URLs, the page is reloaded
// mid-way, the same file is picked again and only the missing parts are sent (resume note in localStorage,
// checked against ListParts); the app completes with the pinned callback and the record is confirmed
// once. The file is generated on disk (streamed, deterministic) and deleted afterwards.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { fetchRecords, readProgressValue, uploadRow, waitForFinalStatus } from './support/demo-page.js';
import { readObjectMd5, writeLargeFile } from './support/large-file.js';
import { launchChromium } from './support/launch-chromium.js';
import { startE2eDemo, type E2eDemo } from './support/start-e2e-demo.js';

const mebibyte = 1024 * 1024;
const fileMebibytes = 300;
const fileName = 'large-video.mp4';
const partCount = Math.ceil(fileMebibytes / 8);

function recordPartPuts(page: Page): number[] {
  const parts: number[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (request.method() === 'PUT' && url.searchParams.has('partNumber'))
      parts.push(Number(url.searchParams.get('partNumber')));
  });
  return parts;
}

describe('demo page: a 300 MB file in presigned parts, reloaded mid-way and resumed', () => {
  let demo: E2eDemo;
  let browser: Browser;
  let page: Page;
  let dir: string;
  let path: string;
  let expectedMd5: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'upcall-e2e-large-'));
    path = join(dir, fileName);
    [expectedMd5, demo, browser] = await Promise.all([
      writeLargeFile(path, fileMebibytes * mebibyte),
      startE2eDemo(),
      launchChromium(),
    ]);
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('filechooser', () => undefined);
  });

  after(async () => {
    await browser?.close();
    await demo?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('resumes after the reload, sends only the missing parts, and stores identical bytes confirmed once', async () => {
    await page.goto(demo.system.appUrl);
    await page.locator('html[data-ready="true"]').waitFor();
    const firstPuts = recordPartPuts(page);
    await page.setInputFiles('#file-input', path);
    await uploadRow(page, fileName).locator('button.pause').waitFor();
    await page.waitForFunction(
      (name) => {
        const bar = document.querySelector(`li.upload-row[data-file-name="${name}"] [role="progressbar"]`);
        return Number(bar?.getAttribute('aria-valuenow') ?? '0') >= 25;
      },
      fileName,
      { timeout: 60_000, polling: 100 },
    );

    await page.reload();
    await page.locator('html[data-ready="true"]').waitFor();
    const hint = page.locator('#resume-hint');
    assert.match((await hint.textContent()) ?? '', new RegExp(fileName.replace('.', '\\.')));
    assert.equal(await hint.isVisible(), true);
    const secondPuts = recordPartPuts(page);
    await page.setInputFiles('#file-input', path);
    const final = await waitForFinalStatus(page, fileName, 80_000);

    assert.equal(final.status, 'confirmed', final.message);
    assert.equal(await readProgressValue(page, fileName), 100);
    assert.ok(firstPuts.length >= 8, `before the reload: ${firstPuts.length} part PUTs`);
    assert.ok(!secondPuts.includes(1), 'part 1 was finished before the reload and not sent again');
    assert.ok(secondPuts.length < partCount, `after the reload: ${secondPuts.length} of ${partCount} parts`);
    assert.equal(new Set([...firstPuts, ...secondPuts]).size, partCount);

    const records = (await fetchRecords(page)).filter((record) => record.fileName === fileName);
    assert.equal(records.length, 1, JSON.stringify(records));
    const [record] = records;
    assert.equal(record?.status, 'confirmed');
    assert.equal(record?.size, fileMebibytes * mebibyte);
    assert.equal(record?.mimeType, 'video/mp4');
    assert.match(record?.etag ?? '', new RegExp(`^[0-9A-F]{32}-${partCount}$`));
    const stored = await readObjectMd5(demo.system.connection, record.key);
    assert.deepEqual(stored, { md5: expectedMd5, size: fileMebibytes * mebibyte });
    assert.equal(await page.evaluate(() => localStorage.length), 0, 'the resume note is gone');
    assert.deepEqual(demo.appErrors, []);
  });
});
