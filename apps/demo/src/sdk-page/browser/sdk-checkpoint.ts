// What survives a reload: per file (name, size, last-modified), the upload's key, record id and callback
// parameters, and ali-oss's checkpoint without its File (which cannot be stored; the user picks the file
// again and the page puts it back, as ali-oss's docs describe).
import type { SdkCallback, SdkCheckpoint } from './oss-sdk-client.js';

export interface SdkUploadTarget {
  readonly uploadId: string;
  readonly key: string;
  readonly callback: SdkCallback;
}

export interface SavedSdkUpload {
  readonly target: SdkUploadTarget;
  readonly checkpoint?: SdkCheckpoint;
}

const storagePrefix = 'upcall-sdk-upload:';

export function buildCheckpointKey(file: File): string {
  return `${storagePrefix}${file.name}:${file.size}:${file.lastModified}`;
}

export function readSavedUpload(file: File): SavedSdkUpload | undefined {
  try {
    const text = localStorage.getItem(buildCheckpointKey(file));
    if (text === null) return undefined;
    const saved = JSON.parse(text) as SavedSdkUpload;
    const size = saved.checkpoint?.fileSize;
    return size === undefined || size === file.size ? saved : undefined;
  } catch {
    return undefined;
  }
}

export function saveUpload(file: File, saved: SavedSdkUpload): void {
  const checkpoint = saved.checkpoint === undefined ? undefined : { ...saved.checkpoint, file: undefined };
  localStorage.setItem(buildCheckpointKey(file), JSON.stringify({ ...saved, checkpoint }));
}

export function forgetUpload(file: File): void {
  localStorage.removeItem(buildCheckpointKey(file));
}
