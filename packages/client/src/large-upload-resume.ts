// What survives a page reload: the app's upload id, the part size and the parts already stored, kept in
// localStorage (or any injected Storage-like object) under a key derived from the file's name, size, type
// and lastModified — the only identity a re-picked File has. It is a hint: on resume the parts are
// checked against ListParts, and storage failures (quota, private mode) never fail an upload.

/** The subset of the Web Storage API used here (tests pass a Map-backed one). */
export interface ResumeStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface ResumeState {
  readonly uploadId: string;
  readonly key?: string;
  readonly size: number;
  readonly partSize: number;
  /** Part number → ETag (unquoted). */
  readonly parts: Readonly<Record<string, string>>;
}

const keyPrefix = 'upcall.large-upload.v1:';

export function buildResumeKey(file: Blob & { name?: string; lastModified?: number }, scope = ''): string {
  const identity = [scope, file.name ?? '', String(file.size), file.type, String(file.lastModified ?? '')];
  return keyPrefix + identity.map(encodeURIComponent).join('|');
}

/** localStorage when this runtime has one (and allows it), else undefined. */
export function findDefaultResumeStorage(): ResumeStorage | undefined {
  try {
    const storage = (globalThis as { localStorage?: ResumeStorage }).localStorage;
    return storage ?? undefined;
  } catch {
    return undefined; // SecurityError in sandboxed frames
  }
}

function isState(value: unknown): value is ResumeState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Record<string, unknown>;
  return (
    typeof state.uploadId === 'string' &&
    typeof state.size === 'number' &&
    typeof state.partSize === 'number' &&
    typeof state.parts === 'object' &&
    state.parts !== null
  );
}

export function readResumeState(storage: ResumeStorage | undefined, key: string): ResumeState | undefined {
  try {
    const text = storage?.getItem(key);
    if (text === null || text === undefined) return undefined;
    const parsed = JSON.parse(text) as unknown;
    return isState(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function writeResumeState(storage: ResumeStorage | undefined, key: string, state: ResumeState): void {
  try {
    storage?.setItem(key, JSON.stringify(state));
  } catch {
    // Quota or privacy mode: the upload goes on, it just cannot resume after a reload.
  }
}

export function clearResumeState(storage: ResumeStorage | undefined, key: string): void {
  try {
    storage?.removeItem(key);
  } catch {
    // see writeResumeState
  }
}
