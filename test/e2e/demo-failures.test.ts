// The demo's failure paths in a real browser: storage refuses a too-large file with OSS's own error, a
// callback that cannot be delivered leaves the object stored but unconfirmed (and reconciliation
// records it), and cancelling mid-upload stores nothing.
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { defaultDemoLimits } from '@upcall/demo';
import {
  fetchRecords,
  postReconcile,
  readProgressValue,
  uploadRow,
  waitForFinalStatus,
} from './support/demo-page.js';
import { launchChromium } from './support/launch-chromium.js';
import { startE2eDemo, type E2eDemo } from './support/start-e2e-demo.js';

const limits = { ...defaultDemoLimits, maxSizeBytes: 4 * 1024 * 1024 };
const artifactsDir = new URL('./artifacts/', import.meta.url);

async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(artifactsDir, { recursive: true });
  await page.screenshot({ path: new URL(name, artifactsDir).pathname, fullPage: true });
}

async function openPage(browser: Browser, demo: E2eDemo): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(demo.system.appUrl);
  await page.locator('html[data-ready="true"]').waitFor();
  return page;
}

async function listStoredKeys(demo: E2eDemo): Promise<string[]> {
  const { objects } = await demo.system.storage.deps.store.list(demo.system.connection.bucket, {
    maxKeys: 1000,
  });
  return objects.map((object) => object.key);
}

/** A loopback port nobody listens on: bound once by us, then released. */
async function findClosedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

describe('demo page failure paths', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  describe('with the app server up', () => {
    let demo: E2eDemo;
    let page: Page;
    before(async () => {
      demo = await startE2eDemo({ limits });
      page = await openPage(browser, demo);
    });
    after(async () => {
      await page?.close();
      await demo?.stop();
    });

    it('shows storage’s EntityTooLarge for a file over the limit and stores nothing', async () => {
      const tooBig = Buffer.alloc(limits.maxSizeBytes + 1024, 0x61);
      await page.setInputFiles('#file-input', {
        name: 'too-big.txt',
        mimeType: 'text/plain',
        buffer: tooBig,
      });
      const final = await waitForFinalStatus(page, 'too-big.txt');
      assert.equal(final.status, 'rejected');
      assert.match(final.message, /^EntityTooLarge: Your proposed upload exceeds the maximum allowed size\./);
      assert.deepEqual(await listStoredKeys(demo), []);
      const records = await fetchRecords(page);
      assert.deepEqual(
        records.map((r) => [r.fileName, r.status]),
        [['too-big.txt', 'pending']],
      );
    });

    it('stores nothing when a running upload is cancelled', async () => {
      // Throttle the page's uploads (DevTools network emulation) so there is time to press Cancel.
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: 512 * 1024,
      });
      const large = Buffer.alloc(3 * 1024 * 1024, 0x62);
      await page.setInputFiles('#file-input', { name: 'large.txt', mimeType: 'text/plain', buffer: large });
      const row = uploadRow(page, 'large.txt');
      await page.waitForFunction(
        () =>
          Number(
            document
              .querySelector('li[data-file-name="large.txt"] [role="progressbar"]')
              ?.getAttribute('aria-valuenow'),
          ) > 0,
        undefined,
        { timeout: 15_000 },
      );
      const progressAtCancel = await readProgressValue(page, 'large.txt');
      assert.ok(progressAtCancel > 0 && progressAtCancel < 100, `progress ${progressAtCancel}`);
      await saveScreenshot(page, 'demo-uploading.png');
      await row.getByRole('button', { name: 'Cancel upload of large.txt' }).click();
      const final = await waitForFinalStatus(page, 'large.txt');
      assert.equal(final.status, 'aborted');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
      await new Promise((resolve) => setTimeout(resolve, 500)); // let storage see the connection close
      assert.deepEqual(await listStoredKeys(demo), []);
      const record = (await fetchRecords(page)).find((r) => r.fileName === 'large.txt');
      assert.equal(record?.status, 'pending');
      await saveScreenshot(page, 'demo-rejected-and-cancelled.png');
    });
  });

  describe('with the callback endpoint unreachable', () => {
    let demo: E2eDemo;
    let page: Page;
    before(async () => {
      const deadPort = await findClosedPort();
      demo = await startE2eDemo({ limits, callbackUrl: `http://127.0.0.1:${deadPort}/api/oss-callback` });
      page = await openPage(browser, demo);
    });
    after(async () => {
      await page?.close();
      await demo?.stop();
    });

    it('shows stored-unconfirmed, and reconciliation records the object', async () => {
      const bytes = Buffer.from('stored, but nobody was told\n');
      await page.setInputFiles('#file-input', { name: 'orphan.txt', mimeType: 'text/plain', buffer: bytes });
      const final = await waitForFinalStatus(page, 'orphan.txt');
      assert.equal(final.status, 'stored-unconfirmed');
      assert.match(final.message, /CallbackFailed/);
      const [before] = await fetchRecords(page);
      assert.equal(before?.status, 'pending');
      assert.deepEqual(await listStoredKeys(demo), [before.key]);

      const reconciled = await postReconcile(page);
      assert.equal(reconciled.status, 200);
      assert.equal(reconciled.body.markedStoredUnconfirmed, 1);
      const [afterReconcile] = await fetchRecords(page);
      assert.equal(afterReconcile?.status, 'stored-unconfirmed');
      assert.equal(afterReconcile.size, bytes.length);
      assert.ok(afterReconcile.etag !== null && /^[0-9A-F]{32}$/.test(afterReconcile.etag));
      assert.equal(afterReconcile.confirmedAt, null);
    });

    it('the Reconcile button reports the run and refreshes the table', async () => {
      await page.getByRole('button', { name: 'Reconcile with storage' }).click();
      await page.locator('#reconcile-result', { hasText: 'Checked' }).waitFor();
      await page.locator('#records-body tr[data-status="stored-unconfirmed"]').waitFor();
      await saveScreenshot(page, 'demo-stored-unconfirmed.png');
    });
  });
});
