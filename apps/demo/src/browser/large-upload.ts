// Large files on the demo page: @upcall/client's uploadLargeFile (presigned multipart, /api/multipart/*)
// wrapped as an UploadItem so the ordinary row renders it, plus a Pause/Resume button on the row. Parts
// grow with the file so a completion never lists more than 1000 parts (a small JSON body).
import {
  fetchMultipartEndpoints,
  uploadLargeFile,
  type LargeFileUpload,
  type UploadItem,
  type UploadItemState,
  type UploadProgress,
  type UploadResult,
} from '@upcall/client';

const mebibyte = 1024 * 1024;
const endpoints = fetchMultipartEndpoints('/api/multipart');
const resumeNotePrefix = 'upcall.large-upload.v1:';

export interface LargeItem extends UploadItem {
  readonly upload: LargeFileUpload;
}

/** 8 MiB, or more for files that would otherwise need over 1000 parts. */
export function choosePartSize(size: number): number {
  return Math.max(8, Math.ceil(size / 1000 / mebibyte)) * mebibyte;
}

export function startLargeUpload(file: File, id: string, onChange: (item: LargeItem) => void): LargeItem {
  const controller = new AbortController();
  let state: UploadItemState = 'uploading';
  let progress: UploadProgress = { loaded: 0, total: file.size, bytesPerSecond: 0, attempt: 1 };
  let result: UploadResult | undefined;
  const upload = uploadLargeFile(file, endpoints, {
    partSize: choosePartSize(file.size),
    concurrency: 4,
    signal: controller.signal,
    onProgress: (next) => {
      progress = next;
      onChange(item);
    },
  });
  const item: LargeItem = {
    id,
    file,
    upload,
    get state() {
      return state;
    },
    get progress() {
      return progress;
    },
    get result() {
      return result;
    },
    abort: () => controller.abort(),
  };
  void upload.result.then((done) => {
    state = 'done';
    result = done;
    onChange(item);
  });
  return item;
}

/** A Pause/Resume toggle placed before the row's Cancel button; removed when the upload ends. */
export function attachPauseButton(row: HTMLElement, item: LargeItem): void {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'pause';
  const name = item.file.name ?? 'the file';
  const render = (): void => {
    const paused = item.upload.paused;
    button.textContent = paused ? 'Resume' : 'Pause';
    button.setAttribute('aria-label', `${paused ? 'Resume' : 'Pause'} upload of ${name}`);
    row.dataset.paused = String(paused);
  };
  button.addEventListener('click', () => {
    if (item.upload.paused) item.upload.resume();
    else item.upload.pause();
    render();
  });
  render();
  row.querySelector('button.cancel')?.before(button);
  void item.upload.result.then(() => button.remove());
}

/** Names of large uploads noted in localStorage (a reload left them unfinished). */
export function listUnfinishedUploads(): string[] {
  const names: string[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key?.startsWith(resumeNotePrefix))
        names.push(decodeURIComponent(key.slice(resumeNotePrefix.length).split('|')[1] ?? ''));
    }
  } catch {
    // storage unavailable: nothing to resume
  }
  return names;
}
