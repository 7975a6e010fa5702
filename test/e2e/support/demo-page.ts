// Reading the demo page the way a user (and assistive technology) sees it: rows by file name, the
// progressbar's aria-valuenow, the status badge; the records API fetched from the page (its cookie).
import type { Page } from 'playwright-core';

export interface RecordJson {
  readonly id: string;
  readonly key: string;
  readonly status: string;
  readonly size: number | null;
  readonly etag: string | null;
  readonly mimeType: string | null;
  readonly fileName: string | null;
  readonly createdAt: string;
  readonly confirmedAt: string | null;
}

export function uploadRow(page: Page, fileName: string) {
  return page.locator(`li.upload-row[data-file-name="${fileName}"]`);
}

/** Waits until the row's final status is one of `statuses`; returns the status and the message. */
export async function waitForFinalStatus(
  page: Page,
  fileName: string,
  timeoutMs = 20_000,
): Promise<{ status: string; message: string }> {
  const row = uploadRow(page, fileName);
  await row
    .locator('xpath=self::*[not(@data-status="queued") and not(@data-status="uploading")]')
    .waitFor({ timeout: timeoutMs });
  return {
    status: (await row.getAttribute('data-status')) ?? '',
    message: (await row.locator('.result .message').textContent()) ?? '',
  };
}

export async function readProgressValue(page: Page, fileName: string): Promise<number> {
  const value = await uploadRow(page, fileName).getByRole('progressbar').getAttribute('aria-valuenow');
  return Number(value);
}

export function fetchRecords(page: Page): Promise<RecordJson[]> {
  return page.evaluate(async () => {
    const response = await fetch('/api/uploads');
    return (await response.json()) as RecordJson[];
  });
}

export function postReconcile(page: Page): Promise<{ status: number; body: Record<string, unknown> }> {
  return page.evaluate(async () => {
    const response = await fetch('/api/reconcile', { method: 'POST' });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  });
}
