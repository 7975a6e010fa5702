// Turns a path into the File that @upcall/client uploads, without reading it: `fs.openAsBlob` gives a
// Blob backed by the file on disk (read in 64 KiB chunks only when streamed), and wrapping it in a File
// keeps that backing. The name and type are what a browser's file picker would give: the base name,
// and the type guessed from the extension (browsers do the same; empty → application/octet-stream).
import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { lookup } from 'mime-types';
import { UploadUsageError } from './upload-usage-error.js';

export function guessContentType(path: string): string {
  return lookup(path) || 'application/octet-stream';
}

/** Throws UploadUsageError when `path` is not a readable regular file. */
export async function openUploadFile(path: string): Promise<File> {
  let isFile: boolean;
  try {
    isFile = (await stat(path)).isFile();
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new UploadUsageError(`${path}: ${reason}`, { cause: error });
  }
  if (!isFile) throw new UploadUsageError(`${path}: not a regular file`);
  const type = guessContentType(path);
  try {
    return new File([await openAsBlob(path, { type })], basename(path), { type });
  } catch (error) {
    throw new UploadUsageError(`${path}: cannot be read (${String(error)})`, { cause: error });
  }
}
