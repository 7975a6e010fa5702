// The /sdk page's script: ali-oss multipartUpload with STS credentials from the app, a checkpoint in
// localStorage after every part (pause = client.cancel(); resume = multipartUpload with the checkpoint,
// also after a reload once the same file is picked again), and a probe showing that the credentials
// cannot write outside the user's folder. The upload's record is confirmed by the storage server's
// callback, whose parameters the app issues (POST /api/sdk-uploads).
import { fetchRecords, renderRecords } from '../../browser/records-table.js';
import { sdkParallelParts, sdkPartSizeBytes } from '../render-sdk-page.js';
import {
  createSdkClient,
  fetchSdkCredentials,
  type SdkCheckpoint,
  type SdkClient,
  type SdkError,
} from './oss-sdk-client.js';
import { forgetUpload, readSavedUpload, saveUpload, type SdkUploadTarget } from './sdk-checkpoint.js';

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`The page has no #${id}`);
  return element as T;
}

const fileInput = byId<HTMLInputElement>('sdk-file');
const progress = byId<HTMLProgressElement>('sdk-progress');
const status = byId<HTMLParagraphElement>('sdk-status');
const pauseButton = byId<HTMLButtonElement>('sdk-pause');
const resumeButton = byId<HTMLButtonElement>('sdk-resume');
const keyView = byId<HTMLElement>('sdk-key');
const resumeHint = byId<HTMLParagraphElement>('sdk-resume-hint');
const probeResult = byId<HTMLSpanElement>('sdk-probe-result');
const recordsBody = byId<HTMLTableSectionElement>('records-body');

type State = 'idle' | 'starting' | 'uploading' | 'paused' | 'done' | 'failed';

interface Upload {
  readonly file: File;
  readonly target: SdkUploadTarget;
  checkpoint: SdkCheckpoint | undefined;
}

let client: SdkClient | undefined;
let clientReady: Promise<SdkClient> | undefined;
let keyPrefix = '';
let current: Upload | undefined;

function show(state: State, text: string): void {
  status.dataset.state = state;
  status.textContent = text;
  pauseButton.disabled = state !== 'uploading';
  resumeButton.disabled = state !== 'paused' && state !== 'failed';
  fileInput.disabled = state === 'starting' || state === 'uploading';
}

function describeError(error: unknown): string {
  const e = error as SdkError;
  if (typeof e?.code === 'string')
    return `${e.code}${e.status === undefined ? '' : ` (${e.status})`}: ${e.message ?? ''}`;
  return error instanceof Error ? error.message : String(error);
}

/** ali-oss turns a part's 404 into `{ name: 'abort' }`; Complete answers NoSuchUpload itself. */
function isUploadGone(error: unknown): boolean {
  const e = error as SdkError;
  return e?.name === 'abort' || e?.code === 'NoSuchUpload';
}

async function refreshRecords(): Promise<void> {
  try {
    renderRecords(recordsBody, await fetchRecords());
  } catch {
    // The table keeps its last rows; the Refresh button tries again.
  }
}

/** One client for the page (pause cancels the one uploading); refreshSTSToken keeps its token fresh. */
function ensureClient(): Promise<SdkClient> {
  clientReady ??= fetchSdkCredentials().then((credentials) => {
    keyPrefix = credentials.keyPrefix;
    byId<HTMLElement>('sdk-prefix').textContent = `${credentials.keyPrefix}*`;
    client = createSdkClient(credentials);
    return client;
  });
  clientReady.catch(() => {
    clientReady = undefined; // the next action asks again
  });
  return clientReady;
}

async function requestTarget(file: File): Promise<SdkUploadTarget> {
  const response = await fetch('/api/sdk-uploads', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fileName: file.name }),
  });
  if (!response.ok) throw new Error(`POST /api/sdk-uploads answered ${response.status}`);
  return (await response.json()) as SdkUploadTarget;
}

function noteProgress(upload: Upload, fraction: number, checkpoint: SdkCheckpoint | null | undefined): void {
  progress.value = Math.round(fraction * 100);
  if (checkpoint === null || checkpoint === undefined) return;
  upload.checkpoint = checkpoint;
  saveUpload(upload.file, { target: upload.target, checkpoint });
  status.dataset.doneParts = String(checkpoint.doneParts.length);
}

async function run(upload: Upload): Promise<void> {
  const sdk = await ensureClient();
  show('uploading', `Uploading ${upload.file.name}…`);
  try {
    const result = await sdk.multipartUpload(upload.target.key, upload.file, {
      ...(upload.checkpoint === undefined ? {} : { checkpoint: { ...upload.checkpoint, file: upload.file } }),
      partSize: sdkPartSizeBytes,
      parallel: sdkParallelParts,
      callback: upload.target.callback,
      progress: (fraction, checkpoint) => noteProgress(upload, fraction, checkpoint),
    });
    forgetUpload(upload.file);
    progress.value = 100;
    const reply = result.data as { status?: string } | undefined;
    show('done', `${upload.file.name}: uploaded, ${reply?.status ?? 'no callback reply'}.`);
    resumeHint.hidden = true;
  } catch (error) {
    if ((error as SdkError)?.name === 'cancel')
      show('paused', `Paused. ${upload.file.name} resumes from its checkpoint.`);
    else if (isUploadGone(error)) {
      // Completed or aborted meanwhile (e.g. a reload right at the end): the checkpoint is useless.
      forgetUpload(upload.file);
      current = undefined;
      show(
        'failed',
        `${upload.file.name}: the upload is gone from storage; pick the file again to start over.`,
      );
    } else show('failed', `${upload.file.name} failed: ${describeError(error)}`);
  }
  await refreshRecords();
}

async function start(file: File): Promise<void> {
  show('starting', `Preparing ${file.name}…`);
  try {
    const saved = readSavedUpload(file);
    const target = saved?.target ?? (await requestTarget(file));
    current = { file, target, checkpoint: saved?.checkpoint };
    if (saved === undefined) saveUpload(file, { target });
    else {
      resumeHint.hidden = false;
      resumeHint.textContent = `Resuming: ${saved.checkpoint?.doneParts.length ?? 0} parts were already uploaded.`;
    }
    keyView.textContent = target.key;
    await run(current);
  } catch (error) {
    show('failed', `${file.name} failed: ${describeError(error)}`);
  }
}

async function probeOutsideFolder(): Promise<void> {
  probeResult.textContent = 'Trying…';
  delete probeResult.dataset.code;
  try {
    const sdk = await ensureClient();
    const folderRoot = keyPrefix.replace(/[^/]+\/$/, '');
    await sdk.put(`${folderRoot}someone-else/probe.txt`, new Blob(['not mine'], { type: 'text/plain' }));
    probeResult.dataset.code = 'allowed';
    probeResult.textContent = 'Stored — the credentials are NOT limited to your folder!';
  } catch (error) {
    probeResult.dataset.code = (error as SdkError)?.code ?? 'error';
    probeResult.textContent = `Refused: ${describeError(error)}`;
  }
}

fileInput.addEventListener('change', () => {
  const file = fileInput.files?.[0];
  if (file !== undefined) void start(file);
});
pauseButton.addEventListener('click', () => client?.cancel());
resumeButton.addEventListener('click', () => {
  if (current !== undefined) void run(current);
});
byId<HTMLButtonElement>('sdk-probe').addEventListener('click', () => void probeOutsideFolder());
byId<HTMLButtonElement>('refresh-records').addEventListener('click', () => void refreshRecords());

void ensureClient().then(
  () => undefined,
  (error: unknown) => show('failed', describeError(error)),
);
void refreshRecords();
document.documentElement.dataset.ready = 'true';
