// The /sdk page: the official ali-oss browser SDK (/oss-sdk.js, its prebuilt UMD bundle, sets window.OSS)
// driven by /sdk.js with STS credentials from GET /api/sts-credentials (docs/large-uploads.md). Same
// stylesheet and CSP as the main page: no inline script or style.
import { recordsTableHtml } from '../page/render-demo-page.js';

export const sdkPartSizeBytes = 5 * 1024 * 1024;
export const sdkParallelParts = 3;

function renderUploadSection(): string {
  return `<section class="panel" aria-labelledby="sdk-heading">
  <h2 id="sdk-heading">Resumable upload with <code>ali-oss</code></h2>
  <p class="muted">The page asks the app for temporary STS credentials limited to your folder, then runs
  <code>multipartUpload</code> (${sdkPartSizeBytes / (1024 * 1024)} MiB parts, ${sdkParallelParts} at a time)
  straight against the storage server. The checkpoint is kept in this browser: pause, or reload the page
  and pick the same file again, and only the missing parts are sent.</p>
  <p class="picker">
    <label for="sdk-file">Pick a file:</label>
    <input id="sdk-file" name="file" type="file">
  </p>
  <p id="sdk-resume-hint" class="muted" hidden></p>
  <progress id="sdk-progress" max="100" value="0" aria-label="Upload progress"></progress>
  <p id="sdk-status" role="status" aria-live="polite" data-state="idle">No upload yet.</p>
  <div class="actions">
    <button id="sdk-pause" type="button" disabled>Pause</button>
    <button id="sdk-resume" type="button" disabled>Resume</button>
  </div>
  <p class="muted">Object key: <code id="sdk-key">—</code></p>
</section>`;
}

function renderProbeSection(): string {
  return `<section class="panel" aria-labelledby="probe-heading">
  <h2 id="probe-heading">What the credentials allow</h2>
  <p class="muted">They carry an inline RAM policy: writes and reads under <code id="sdk-prefix">…</code>
  only. Storage refuses anything else with <code>AccessDenied</code>.</p>
  <div class="actions">
    <button id="sdk-probe" type="button">Try to write outside my folder</button>
    <span id="sdk-probe-result" role="status" aria-live="polite"></span>
  </div>
</section>`;
}

function renderRecordsSection(): string {
  return `<section class="panel" aria-labelledby="records-heading">
  <h2 id="records-heading">Upload records</h2>
  <p class="muted">Each SDK upload gets a record from <code>POST /api/sdk-uploads</code>; the callback
  parameters the app returns travel with CompleteMultipartUpload, and the storage server's signed callback
  confirms the record, exactly as for form uploads.</p>
  <div class="actions"><button id="refresh-records" type="button">Refresh</button></div>
${recordsTableHtml}
</section>`;
}

export function renderSdkPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Upcall demo — upload with the OSS browser SDK</title>
<link rel="stylesheet" href="/app.css">
<script src="/oss-sdk.js"></script>
<script type="module" src="/sdk.js"></script>
</head>
<body>
<header class="page-header">
  <h1>Upload with the OSS browser SDK</h1>
  <p>The official <code>ali-oss</code> SDK in the page, with temporary credentials from Upcall's local STS.
  <a href="/">Back to form uploads</a>.</p>
</header>
<main>
${renderUploadSection()}
${renderProbeSection()}
${renderRecordsSection()}
</main>
</body>
</html>
`;
}
