// The demo's one page. Server-rendered shell: the limits are written into the markup at serve time from
// the same DemoLimits object that the ticket route signs into each policy, so the page cannot drift
// from what storage enforces. No inline script or style (the CSP forbids both); the script is the
// bundled @upcall/client page (/app.js).
import { resolveMultipartLimits, type DemoLimits } from '../demo-limits.js';
import { formatBytes } from '../format-bytes.js';

export interface DemoPageConfig {
  readonly limits: DemoLimits;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The records table both demo pages show (filled by their scripts from GET /api/uploads). */
export const recordsTableHtml = `  <div class="table-wrap">
    <table id="records-table">
      <caption class="visually-hidden">Your upload records, newest first</caption>
      <thead><tr><th scope="col">File</th><th scope="col">Status</th><th scope="col">Size</th>
        <th scope="col">Type</th><th scope="col">ETag</th><th scope="col">Key</th>
        <th scope="col">Created</th><th scope="col">Confirmed</th></tr></thead>
      <tbody id="records-body"><tr><td colspan="8" class="muted">Loading…</td></tr></tbody>
    </table>
  </div>`;

function renderLimits(limits: DemoLimits): string {
  const types = limits.allowedContentTypes.map((type) => `<code>${escapeHtml(type)}</code>`).join(', ');
  const multipart = resolveMultipartLimits(limits);
  const largeTypes = multipart.allowedContentTypes
    .filter((type) => !limits.allowedContentTypes.includes(type))
    .map((type) => `<code>${escapeHtml(type)}</code>`)
    .join(', ');
  return (
    `<p id="limits" class="limits">Up to <strong>${escapeHtml(formatBytes(limits.maxSizeBytes))}</strong> per file. ` +
    `Allowed types: ${types}. These limits are signed into each upload policy; storage enforces them.</p>` +
    `<p id="large-limits" class="limits">Files over <strong>${escapeHtml(formatBytes(multipart.thresholdBytes))}</strong> ` +
    `(up to <strong>${escapeHtml(formatBytes(multipart.maxSizeBytes))}</strong>, also ${largeTypes}) go up in ` +
    `resumable parts: pause them, or reload the page and pick the same file again to resume.</p>` +
    `<p id="resume-hint" class="muted" hidden></p>`
  );
}

function renderUploadSection(limits: DemoLimits): string {
  const multipart = resolveMultipartLimits(limits);
  // `accept` lists the form-upload types only: it is a picker hint, and large files of the extra types
  // can still be dropped or chosen with "All files".
  const accept = escapeHtml(limits.allowedContentTypes.join(','));
  return `<section class="panel" aria-labelledby="upload-heading">
  <h2 id="upload-heading">Upload files</h2>
  ${renderLimits(limits)}
  <div id="drop-zone" class="drop-zone" role="button" tabindex="0" aria-describedby="limits drop-help"
    data-multipart-threshold-bytes="${multipart.thresholdBytes}">
    <p class="drop-title">Drop files here</p>
    <p id="drop-help" class="drop-help">or press Enter (or click) to choose files — several at once are fine</p>
  </div>
  <p class="picker">
    <label for="file-input">Or pick files:</label>
    <input id="file-input" name="files" type="file" multiple accept="${accept}">
  </p>
</section>
<section class="panel" aria-labelledby="queue-heading">
  <h2 id="queue-heading">This visit's uploads</h2>
  <p id="queue-empty" class="muted">Nothing uploaded yet.</p>
  <ul id="upload-list" class="upload-list" aria-labelledby="queue-heading"></ul>
  <div id="announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"></div>
</section>`;
}

function renderRecordsSection(): string {
  return `<section class="panel" aria-labelledby="records-heading">
  <h2 id="records-heading">Upload records</h2>
  <p class="muted">What the app server knows (<code>GET /api/uploads</code>): a record is created with each
  ticket and confirmed only by the storage server's signed callback.</p>
  <div class="actions">
    <button id="refresh-records" type="button">Refresh</button>
    <button id="reconcile" type="button">Reconcile with storage</button>
    <span id="reconcile-result" role="status" aria-live="polite"></span>
  </div>
${recordsTableHtml}
</section>`;
}

export function renderDemoPage(config: DemoPageConfig): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Upcall demo — direct uploads with signed callbacks</title>
<link rel="stylesheet" href="/app.css">
<script type="module" src="/app.js"></script>
</head>
<body>
<header class="page-header">
  <h1>Upcall demo</h1>
  <p>Files go from this page straight to the storage server with a signed POST policy; the storage
  server then calls the app back with a signed request, and only that callback confirms an upload.</p>
  <p><a href="/sdk">Upload with the OSS browser SDK</a>: <code>ali-oss</code> in the page with temporary STS credentials.</p>
</header>
<main>
${renderUploadSection(config.limits)}
${renderRecordsSection()}
</main>
</body>
</html>
`;
}
