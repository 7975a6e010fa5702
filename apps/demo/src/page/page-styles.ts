// The page's stylesheet, served as /app.css (the CSP allows no inline styles). Colours meet WCAG AA
// contrast on white; focus is always visible; status is never told by colour alone (a text badge).
export const demoPageCss = `
:root { color-scheme: light; --ink: #1c2430; --muted: #5a6473; --line: #d5dbe3; --accent: #1f5fbf;
  --ok: #17663a; --warn: #8a5300; --bad: #a32020; --bg: #f5f7fa; font-family: system-ui, sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: var(--bg); line-height: 1.45; }
.page-header { padding: 1.25rem 1.5rem 0.5rem; max-width: 72rem; margin: 0 auto; }
.page-header h1 { margin: 0 0 0.25rem; font-size: 1.6rem; }
.page-header p { margin: 0; color: var(--muted); max-width: 52rem; }
main { max-width: 72rem; margin: 0 auto; padding: 0.5rem 1.5rem 2rem; }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin: 1rem 0; }
.panel h2 { margin: 0 0 0.5rem; font-size: 1.2rem; }
.muted { color: var(--muted); }
.limits code, .muted code { background: #eef1f5; padding: 0 0.25em; border-radius: 3px; }
.drop-zone { border: 2px dashed #8a96a8; border-radius: 8px; padding: 1.5rem; text-align: center; cursor: pointer; background: #fafbfc; }
.drop-zone:hover, .drop-zone.is-dragging { border-color: var(--accent); background: #eef4fd; }
.drop-zone:focus-visible, button:focus-visible, input:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.drop-title { margin: 0; font-size: 1.1rem; font-weight: 600; }
.drop-help { margin: 0.25rem 0 0; color: var(--muted); }
.picker { margin: 0.75rem 0 0; }
.picker label { margin-right: 0.5rem; }
.upload-list { list-style: none; margin: 0; padding: 0; }
.upload-row { display: grid; grid-template-columns: 4rem 1fr auto; gap: 0.75rem; align-items: center;
  padding: 0.75rem 0; border-top: 1px solid var(--line); }
.upload-row:first-child { border-top: 0; }
.thumb { width: 4rem; height: 4rem; border-radius: 6px; background: #eef1f5; display: flex; align-items: center;
  justify-content: center; overflow: hidden; color: var(--muted); font-size: 0.75rem; text-transform: uppercase; }
.thumb img { width: 100%; height: 100%; object-fit: cover; image-rendering: pixelated; }
.file-name { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.progress { height: 0.6rem; border-radius: 999px; background: #e3e8ef; overflow: hidden; margin: 0.35rem 0; }
.progress-fill { height: 100%; width: 0; background: var(--accent); transition: width 120ms linear; }
.upload-row[data-status="confirmed"] .progress-fill { background: var(--ok); }
.upload-row[data-status="stored-unconfirmed"] .progress-fill { background: var(--warn); }
.upload-row[data-status="rejected"] .progress-fill, .upload-row[data-status="failed"] .progress-fill { background: var(--bad); }
.upload-row[data-status="aborted"] .progress-fill { background: #8a96a8; }
.bytes { margin: 0; color: var(--muted); font-size: 0.9rem; font-variant-numeric: tabular-nums; }
.result { margin: 0.2rem 0 0; font-size: 0.95rem; overflow-wrap: anywhere; }
.badge { display: inline-block; white-space: nowrap; padding: 0 0.5em; border-radius: 999px; font-size: 0.85rem; font-weight: 600;
  border: 1px solid currentColor; margin-right: 0.4em; }
.badge-confirmed { color: var(--ok); } .badge-stored-unconfirmed { color: var(--warn); }
.badge-rejected, .badge-failed { color: var(--bad); } .badge-aborted, .badge-queued, .badge-uploading, .badge-pending, .badge-expired { color: var(--muted); }
button { font: inherit; padding: 0.35rem 0.9rem; border-radius: 6px; border: 1px solid #8a96a8; background: #fff; color: var(--ink); cursor: pointer; }
button:hover { background: #eef1f5; }
button:disabled { opacity: 0.6; cursor: default; }
.actions { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; margin-bottom: 0.75rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; padding: 0.4rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f0f3f7; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
td.key, td.etag { font-family: ui-monospace, monospace; font-size: 0.8rem; overflow-wrap: anywhere; max-width: 22rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
@media (prefers-reduced-motion: reduce) { .progress-fill { transition: none; } }
`;
